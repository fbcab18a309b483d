"""Callbacks from Notify to a service: JSON POSTs with the service's bearer token.

Behaviour: Callbacks.

A single background worker sends them, so a slow or dead callback URL never holds up an API
request. Connection errors, timeouts (5 s), 5xx and 429 answers are retried (other answers are
not), up to the service's ``Timings.callback_max_retries`` times (5), each
``Timings.callback_retry_seconds`` (300) later *on the simulator's clock*: moving the clock on
fires the retries that fell due. An answer's body is never read, however large.

Every attempt is handed to ``on_attempt`` (the store keeps it with its records), with its
answer, how long it took and when the next try is due; a sender without one keeps the latest
``KEPT_ATTEMPTS`` itself.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
import threading
import time
from collections import deque
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
# The worker looks at the clock at least this often, so a clock moved on by hand is noticed
# even when nobody calls wake().
MAX_IDLE_WAIT_SECONDS = 0.25
DELIVERY_STATUS = "delivery_status"
RECEIVED_TEXT = "received_text"
KEPT_ATTEMPTS = 10_000
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


def _real_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class CallbackAttempt:
    """One POST made (or tried): ``status_code`` is ``None`` when no answer came back.

    :param kind: ``delivery_status`` or ``received_text``.
    :param at: when it was made, on the simulator's clock.
    :param duration_ms: how long the answer (or the failure) took, in real milliseconds.
    :param next_retry_at: when the next try is due on the simulator's clock; None when no try
        follows (it succeeded, it got a final answer, or it was the last).
    """

    url: str
    payload: dict[str, Any]
    attempt: int
    status_code: int | None
    error: str | None = None
    kind: str = DELIVERY_STATUS
    at: dt.datetime | None = None
    duration_ms: float = 0.0
    next_retry_at: dt.datetime | None = None


@dataclass(frozen=True)
class _Job:
    config: CallbackConfig
    payload: dict[str, Any]
    retry_seconds: float
    max_retries: int
    generation: int
    kind: str
    attempt: int = 1


class CallbackSender:
    """Queues callbacks and POSTs them from one daemon thread, started on first use.

    :param now: the simulator's clock, which retries are due by (real time when omitted).
    :param on_attempt: called with each attempt once made and the ``generation`` it was made
        in (outside the sender's lock, so it may take the store's, and keep the attempt only if
        ``generation`` is still current there); without it the sender keeps the latest
        ``KEPT_ATTEMPTS`` itself.
    """

    def __init__(
        self,
        *,
        timeout_seconds: float = CALLBACK_TIMEOUT_SECONDS,
        session_factory: Callable[[], requests.Session] = requests.Session,
        now: Callable[[], dt.datetime] = _real_now,
        monotonic: Callable[[], float] = time.monotonic,
        on_attempt: Callable[[CallbackAttempt, int], None] | None = None,
    ) -> None:
        self._timeout_seconds = timeout_seconds
        self._session_factory = session_factory
        self._now = now
        self._monotonic = monotonic
        self._condition = threading.Condition()
        self._queue: list[tuple[float, int, _Job]] = []
        self._order = itertools.count()
        self._in_flight = 0
        self._history: deque[CallbackAttempt] = deque(maxlen=KEPT_ATTEMPTS)
        self._on_attempt = on_attempt or self._keep_own
        self._thread: threading.Thread | None = None
        self._closing = False
        # Bumped by clear(), so a POST already under way then neither retries nor is recorded.
        self._generation = 0

    def send(
        self,
        config: CallbackConfig,
        payload: dict[str, Any],
        timings: Timings,
        *,
        kind: str = DELIVERY_STATUS,
    ) -> None:
        """Queue a POST of ``payload`` to ``config.url`` now; retries follow ``timings``."""
        with self._condition:
            if self._closing:
                return
            job = _Job(
                config,
                payload,
                timings.callback_retry_seconds,
                timings.callback_max_retries,
                self._generation,
                kind,
            )
            self._push(job, self._now())
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="notify-simulator-callbacks", daemon=True
                )
                self._thread.start()

    def wake(self) -> None:
        """Look at the clock again now: it was moved on, and retries may have fallen due."""
        with self._condition:
            self._condition.notify_all()

    @property
    def history(self) -> list[CallbackAttempt]:
        """The attempts this sender kept itself (none when given ``on_attempt``), oldest first."""
        with self._condition:
            return list(self._history)

    def wait_until_idle(self, timeout_seconds: float) -> bool:
        """Block until no callback is being sent and none queued falls due within the time
        left (so a retry due minutes later on the simulator's clock is not waited for);
        ``False`` if that took too long."""
        deadline = self._monotonic() + timeout_seconds
        with self._condition:
            while True:
                remaining = deadline - self._monotonic()
                if not self._in_flight and not self._due_within(max(remaining, 0.0)):
                    return True
                if remaining <= 0:
                    return False
                self._condition.wait(min(remaining, MAX_IDLE_WAIT_SECONDS))

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

    def _due_within(self, seconds: float) -> bool:
        return bool(self._queue) and self._queue[0][0] <= self._now().timestamp() + seconds

    def _push(self, job: _Job, due: dt.datetime) -> None:
        heapq.heappush(self._queue, (due.timestamp(), next(self._order), job))
        self._condition.notify_all()

    def _next_job(self) -> _Job | None:
        """The next job once it is due on the clock, or ``None`` when closing."""
        with self._condition:
            while not self._closing:
                if self._queue:
                    wait_seconds = self._queue[0][0] - self._now().timestamp()
                    if wait_seconds <= 0:
                        self._in_flight += 1
                        return heapq.heappop(self._queue)[2]
                    self._condition.wait(min(wait_seconds, MAX_IDLE_WAIT_SECONDS))
                else:
                    self._condition.wait()
            return None

    def _work(self) -> None:
        with self._session_factory() as session:
            while (job := self._next_job()) is not None:
                attempt = self._post(session, job)
                with self._condition:
                    current = job.generation == self._generation and not self._closing
                    retried = is_retryable(attempt.status_code) and job.attempt <= job.max_retries
                    if current and retried:
                        due = self._now() + dt.timedelta(seconds=job.retry_seconds)
                        attempt = replace(attempt, next_retry_at=due)
                        self._push(replace(job, attempt=job.attempt + 1), due)
                if current:
                    self._keep(attempt, job.generation)
                # Only now is the sender idle: whoever waited for it sees the attempt kept.
                with self._condition:
                    self._in_flight -= 1
                    self._condition.notify_all()

    @property
    def generation(self) -> int:
        """Bumped by each ``clear()``: an attempt of an older generation is not to be kept."""
        with self._condition:
            return self._generation

    def _keep_own(self, attempt: CallbackAttempt, generation: int) -> None:
        with self._condition:
            if generation == self._generation:
                self._history.append(attempt)

    def _keep(self, attempt: CallbackAttempt, generation: int) -> None:
        """Hand the attempt on; a failure to keep it is logged, and the worker goes on."""
        try:
            self._on_attempt(attempt, generation)
        except Exception:
            logger.exception("a callback attempt to %s could not be kept", attempt.url)

    def _post(self, session: requests.Session, job: _Job) -> CallbackAttempt:
        headers = {"Authorization": f"Bearer {job.config.bearer_token}"}
        url = job.config.url
        made = CallbackAttempt(url, job.payload, job.attempt, None, kind=job.kind, at=self._now())
        started = time.perf_counter()
        try:
            # The answer's body is never read: a receiver may send anything back, of any size.
            response = session.post(
                url,
                json=job.payload,
                headers=headers,
                timeout=self._timeout_seconds,
                stream=True,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            logger.info("callback to %s failed (attempt %d): %s", url, job.attempt, error)
            failed = replace(made, error=type(error).__name__)
            return replace(failed, duration_ms=(time.perf_counter() - started) * 1000)
        response.close()
        logger.debug("callback to %s answered %d", url, response.status_code)
        elapsed_ms = (time.perf_counter() - started) * 1000
        return replace(made, status_code=response.status_code, duration_ms=elapsed_ms)
