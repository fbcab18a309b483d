"""Callbacks from Notify to a service: JSON POSTs with the service's bearer token.

Behaviour: Callbacks.

A single background worker sends them, so a slow or dead callback URL never holds up an API
request. Connection errors, timeouts, 5xx and 429 answers are retried (other 4xx are not), up to
the service's ``Timings.callback_max_retries`` times, ``Timings.callback_retry_seconds`` apart in
real time; tests make that interval tiny.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import requests

from notifications_python_client.simulator.domain.models import (
    CallbackConfig,
    Notification,
    ReceivedText,
    Timings,
)
from notifications_python_client.simulator.state.serialise import optional_timestamp, timestamp

logger = logging.getLogger(__name__)

CALLBACK_TIMEOUT_SECONDS = 5.0
TOO_MANY_REQUESTS_STATUS = 429
SERVER_ERROR_STATUS = 500


def delivery_status_payload(notification: Notification) -> dict[str, Any]:
    """The body of a delivery-status callback for an SMS or email, as it is now.

    Behaviour: Delivery-status callbacks.
    """
    return {
        "id": notification.id,
        "reference": notification.reference,
        "to": notification.email_address or notification.phone_number,
        "status": notification.status,
        "created_at": timestamp(notification.created_at),
        "completed_at": optional_timestamp(notification.completed_at),
        "sent_at": optional_timestamp(notification.sent_at),
        "notification_type": notification.type,
        "template_id": notification.template_id,
        "template_version": notification.template_version,
    }


def received_text_payload(text: ReceivedText) -> dict[str, Any]:
    """The body of a received-text callback (behaviour: Received-text callbacks)."""
    return {
        "id": text.id,
        "source_number": text.user_number,
        "destination_number": text.notify_number,
        "message": text.content,
        "date_received": timestamp(text.created_at),
    }


def is_retryable(status_code: int | None) -> bool:
    """Retry after no answer at all, a 5xx or a 429; any other answer is final."""
    if status_code is None:
        return True
    return status_code >= SERVER_ERROR_STATUS or status_code == TOO_MANY_REQUESTS_STATUS


@dataclass(frozen=True)
class CallbackAttempt:
    """One POST made (or tried): ``status_code`` is ``None`` when no answer came back."""

    url: str
    payload: dict[str, Any]
    attempt: int
    status_code: int | None
    error: str | None = None


@dataclass(frozen=True)
class _Job:
    config: CallbackConfig
    payload: dict[str, Any]
    retry_seconds: float
    max_retries: int
    generation: int
    attempt: int = 1


class CallbackSender:
    """Queues callbacks and POSTs them from one daemon thread, started on first use."""

    def __init__(
        self,
        *,
        timeout_seconds: float = CALLBACK_TIMEOUT_SECONDS,
        session_factory: Callable[[], requests.Session] = requests.Session,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._timeout_seconds = timeout_seconds
        self._session_factory = session_factory
        self._monotonic = monotonic
        self._condition = threading.Condition()
        self._queue: list[tuple[float, int, _Job]] = []
        self._order = itertools.count()
        self._in_flight = 0
        self._history: list[CallbackAttempt] = []
        self._thread: threading.Thread | None = None
        self._closing = False
        # Bumped by clear(), so a POST already under way then neither retries nor is recorded.
        self._generation = 0

    def send(self, config: CallbackConfig, payload: dict[str, Any], timings: Timings) -> None:
        """Queue a POST of ``payload`` to ``config.url``; retries follow ``timings``."""
        with self._condition:
            if self._closing:
                return
            job = _Job(
                config,
                payload,
                timings.callback_retry_seconds,
                timings.callback_max_retries,
                self._generation,
            )
            self._push(job, self._monotonic())
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="notify-simulator-callbacks", daemon=True
                )
                self._thread.start()

    @property
    def history(self) -> list[CallbackAttempt]:
        """Every attempt made so far, oldest first."""
        with self._condition:
            return list(self._history)

    def wait_until_idle(self, timeout_seconds: float) -> bool:
        """Block until nothing is queued or being sent; ``False`` if that took too long."""
        deadline = self._monotonic() + timeout_seconds
        with self._condition:
            while self._queue or self._in_flight:
                remaining = deadline - self._monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return True

    def clear(self) -> None:
        """Forget queued callbacks (retries included) and the history; a POST under way ends."""
        with self._condition:
            self._queue.clear()
            self._history.clear()
            self._generation += 1
            self._condition.notify_all()

    def close(self) -> None:
        """Stop the worker; queued callbacks are dropped. A later ``send`` starts a new one."""
        with self._condition:
            self._closing = True
            self._queue.clear()
            thread = self._thread
            self._condition.notify_all()
        if thread is not None:
            thread.join()
        with self._condition:
            self._closing = False
            self._thread = None

    def _push(self, job: _Job, due_seconds: float) -> None:
        heapq.heappush(self._queue, (due_seconds, next(self._order), job))
        self._condition.notify_all()

    def _next_job(self) -> _Job | None:
        """The next job once it is due, or ``None`` when closing."""
        with self._condition:
            while not self._closing:
                if self._queue:
                    wait_seconds = self._queue[0][0] - self._monotonic()
                    if wait_seconds <= 0:
                        self._in_flight += 1
                        return heapq.heappop(self._queue)[2]
                    self._condition.wait(wait_seconds)
                else:
                    self._condition.wait()
            return None

    def _work(self) -> None:
        with self._session_factory() as session:
            while (job := self._next_job()) is not None:
                attempt = self._post(session, job)
                with self._condition:
                    if job.generation == self._generation and not self._closing:
                        self._history.append(attempt)
                        if is_retryable(attempt.status_code) and job.attempt <= job.max_retries:
                            due_seconds = self._monotonic() + job.retry_seconds
                            self._push(replace(job, attempt=job.attempt + 1), due_seconds)
                    self._in_flight -= 1
                    self._condition.notify_all()

    def _post(self, session: requests.Session, job: _Job) -> CallbackAttempt:
        headers = {"Authorization": f"Bearer {job.config.bearer_token}"}
        url = job.config.url
        try:
            response = session.post(
                url, json=job.payload, headers=headers, timeout=self._timeout_seconds
            )
        except requests.RequestException as error:
            logger.info("callback to %s failed (attempt %d): %s", url, job.attempt, error)
            return CallbackAttempt(url, job.payload, job.attempt, None, type(error).__name__)
        response.close()
        logger.debug("callback to %s answered %d", url, response.status_code)
        return CallbackAttempt(url, job.payload, job.attempt, response.status_code)
