"""The worker pool that sends a batch: each row once, paced by the limiter, resolved on doubt.

Rows go to a pool of worker threads through a window of at most two per worker, so memory stays
flat however long the input. Every send carries a reference (the row's own, or
``batch-<batch id>-row-<n>``), so the retry policy can look a send up instead of repeating it,
and so can a later run. A per-minute 429 is retried by the policy; the daily limit or a refused
key stops the run: rows in flight finish, and the rest are reported as not sent.
"""

from __future__ import annotations

import concurrent.futures
import copy
import dataclasses
import itertools
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from notifications_python_client.bulk.columns import map_columns
from notifications_python_client.bulk.limiter import DEFAULT_RATE_PER_MINUTE, SendRateLimiter
from notifications_python_client.bulk.results_file import (
    FAILED,
    NOT_SENT,
    SENDING,
    SENT,
    UNKNOWN,
    PreviousRun,
    ResultsJournal,
)
from notifications_python_client.bulk.row_checks import Message, Problem, message_for
from notifications_python_client.bulk.spreadsheet import HEADER_ROW_NUMBER, SheetRow
from notifications_python_client.bulk.template_fields import BatchTemplate
from notifications_python_client.errors import (
    APIError,
    AuthError,
    InvalidResponse,
    RateLimitError,
    TooManyRequestsError,
)
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy
from notifications_python_client.sent_lookup import Send, find_sent

__all__ = ["DEFAULT_WORKERS", "RowResult", "make_reference", "new_batch_id", "send_batch"]

DEFAULT_WORKERS = 20
ROWS_IN_FLIGHT_PER_WORKER = 2
BATCH_ID_BYTES = 6
SKIPPED = "skipped"
INVALID = "invalid"


@dataclass(frozen=True)
class RowResult:
    """What became of one row.

    :param status: ``sent``; ``failed`` (Notify refused it); ``invalid`` (it failed the checks
        and was not sent); ``unknown`` (it may have gone: look it up by ``reference``); ``not
        sent`` (the run stopped first: send it again); ``skipped`` (an earlier run finished it).
    :param error: why it failed, was not sent or is unknown, in one line.
    :param exception: the client's error, for a program to act on (``retryable``,
        ``may_have_been_sent``, ``status_code``).
    """

    row: int
    status: str
    reference: str
    notification_id: str | None = None
    error: str | None = None
    exception: Exception | None = field(default=None, repr=False, compare=False)
    stops_run: bool = field(default=False, repr=False, compare=False)


def new_batch_id() -> str:
    """A random name for a run, so its references never match another run's."""
    return secrets.token_hex(BATCH_ID_BYTES)


def make_reference(batch_id: str, row: int) -> str:
    """A row's reference when it has none of its own: no personal data, unique to the run."""
    return f"batch-{batch_id}-row-{row}"


def send_batch(
    client: NotificationsAPIClient,
    template_id: str,
    rows: Iterable[Mapping[str, str]],
    *,
    workers: int = DEFAULT_WORKERS,
    rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
    batch_id: str | None = None,
    sms_sender_id: str | None = None,
    email_reply_to_id: str | None = None,
) -> Iterator[RowResult]:
    """Send a message to each row and yield what became of it, as each finishes.

    Each row is a mapping of column names to values, as ``csv.DictReader`` gives: the recipient
    (``phone number``, ``email address``, or ``address line 1`` to ``address line 7``), one
    column per placeholder, and an optional ``reference``; names match as Notify matches
    spreadsheet columns. Rows are numbered as in a spreadsheet, the first being row 2. A row
    that fails the checks is yielded as ``invalid`` and the rest go on. The client's retry
    policy is used, or ``RetryPolicy()`` when it has none. With more than 10 workers, give the
    client a session whose connection pool is as large.

    :param batch_id: names the run in generated references; pass an earlier run's to make the
        same references again.
    :raises BatchFileError: the first row's columns do not fit the template.
    :raises APIError: the template could not be fetched.
    """
    template = BatchTemplate.from_response(client.get_template(template_id))
    engine = BatchEngine(
        client,
        template,
        workers=workers,
        limiter=SendRateLimiter(rate_per_minute),
        batch_id=batch_id or new_batch_id(),
        sender_ids={"sms_sender_id": sms_sender_id, "email_reply_to_id": email_reply_to_id},
    )
    return engine.run(_messages_from_mappings(rows, template))


def _messages_from_mappings(
    rows: Iterable[Mapping[str, str]], template: BatchTemplate
) -> Iterator[Message | list[Problem]]:
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    header = list(first)
    columns = map_columns(header, template)
    for number, row in enumerate(itertools.chain([first], iterator), HEADER_ROW_NUMBER + 1):
        yield message_for(_sheet_row(number, header, row), columns, template)


def _sheet_row(number: int, header: list[str], row: Mapping[str, str]) -> SheetRow:
    values = (row.get(name) for name in header)
    return SheetRow(number, ["" if value is None else str(value) for value in values])


class BatchEngine:
    """Sends messages through a worker pool; one engine sends one run."""

    def __init__(
        self,
        client: NotificationsAPIClient,
        template: BatchTemplate,
        *,
        workers: int = DEFAULT_WORKERS,
        limiter: SendRateLimiter,
        batch_id: str,
        sender_ids: Mapping[str, str | None] | None = None,
    ) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError("workers must be a whole number, 1 or more")
        # A copy, so that the user's client keeps its own policy; the copy's also slows the
        # limiter down after each per-minute 429.
        client = copy.copy(client)
        policy = client.retry_policy or RetryPolicy()
        client.retry_policy = dataclasses.replace(
            policy, on_retry=_also_on_429(policy.on_retry, limiter.slow_down)
        )
        self.client = client
        self.template = template
        self.workers = workers
        self.limiter = limiter
        self.batch_id = batch_id
        self.sender_ids = {k: v for k, v in (sender_ids or {}).items() if v}
        self.stopped_because: str | None = None
        self._stop_lock = threading.Lock()

    def run(
        self,
        messages: Iterable[Message | list[Problem]],
        *,
        previous: PreviousRun | None = None,
        journal: ResultsJournal | None = None,
    ) -> Iterator[RowResult]:
        """Send every message not finished by ``previous``, writing each step to ``journal``.

        :raises ResultsFileError: a row differs from the one ``previous`` recorded.
        """
        window = self.workers * ROWS_IN_FLIGHT_PER_WORKER
        in_flight: dict[concurrent.futures.Future[RowResult], Message] = {}
        record = journal.write if journal is not None else _no_journal
        with concurrent.futures.ThreadPoolExecutor(self.workers, "notify-batch") as pool:
            try:
                for item in messages:
                    if isinstance(item, list):
                        yield _invalid(item, self.batch_id)
                        continue
                    if previous is not None and previous.is_done(item.row, item.digest):
                        yield RowResult(item.row, SKIPPED, self._reference(item, previous))
                        continue
                    reference = self._reference(item, previous)
                    if self.stopped_because is not None:
                        yield self._not_sent(item.row, reference)
                        continue
                    unsettled = previous is not None and item.row in previous.unsettled
                    record(item.row, item.digest, SENDING, reference)
                    future = pool.submit(self._deliver, item, reference, unsettled)
                    in_flight[future] = item
                    while len(in_flight) >= window:
                        yield from self._collect(in_flight, record)
                while in_flight:
                    yield from self._collect(in_flight, record)
            finally:
                # Closed early or interrupted: sends under way finish, those queued do not
                # start, and every one is recorded.
                if in_flight:
                    self._stop("an interruption")
                for future, message in in_flight.items():
                    record(*_journal_line(message, future.result()))

    def _collect(
        self,
        in_flight: dict[concurrent.futures.Future[RowResult], Message],
        record: Callable[..., None],
    ) -> Iterator[RowResult]:
        """Wait for at least one send in flight to finish; record and yield each finished."""
        done, _ = concurrent.futures.wait(in_flight, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in done:
            message = in_flight.pop(future)
            result = future.result()
            record(*_journal_line(message, result))
            yield result

    def _stop(self, reason: str | None) -> None:
        with self._stop_lock:
            if self.stopped_because is None:
                self.stopped_because = reason or "the run stopped"

    def _not_sent(self, row: int, reference: str) -> RowResult:
        reason = f"not sent: the run stopped after {self.stopped_because}"
        return RowResult(row, NOT_SENT, reference, None, reason)

    def _reference(self, message: Message, previous: PreviousRun | None) -> str:
        if message.reference:
            return message.reference
        if previous is not None and message.row in previous.unsettled:
            return previous.unsettled[message.row]
        return make_reference(self.batch_id, message.row)

    def _deliver(self, message: Message, reference: str, unsettled: bool) -> RowResult:
        """Send one message (after looking for it, when an earlier run may have sent it)."""
        try:
            if unsettled:
                found = self._look_up(message, reference)
                if found is not None:
                    return RowResult(message.row, SENT, reference, found)
            self.limiter.acquire(self.template.send_cost_requests)
            # Checked after the wait: rows queued when the run stopped do not go.
            if self.stopped_because is not None:
                return self._not_sent(message.row, reference)
            response = self._send(message, reference)
        except APIError as error:
            result = _failure(message.row, reference, error)
            if result.stops_run:
                self._stop(result.error)
            return result
        except Exception as error:  # a fault of ours, not Notify's: the send may have gone
            text = f"unexpected error: {type(error).__name__}: {error}"
            return RowResult(message.row, UNKNOWN, reference, None, text, error)
        notification_id = response.get("id") if isinstance(response, Mapping) else None
        shown_id = None if notification_id is None else str(notification_id)
        return RowResult(message.row, SENT, reference, shown_id)

    def _send(self, message: Message, reference: str) -> Any:
        template_id = self.template.id
        personalisation = message.personalisation or None
        if self.template.type == "sms":
            return self.client.send_sms_notification(
                message.recipient["phone_number"],
                template_id,
                personalisation,
                reference,
                sms_sender_id=self.sender_ids.get("sms_sender_id"),
            )
        if self.template.type == "email":
            return self.client.send_email_notification(
                message.recipient["email_address"],
                template_id,
                personalisation,
                reference,
                email_reply_to_id=self.sender_ids.get("email_reply_to_id"),
            )
        return self.client.send_letter_notification(template_id, message.personalisation, reference)

    def _look_up(self, message: Message, reference: str) -> str | None:
        """The id of the notification an earlier run sent for ``message``, if Notify has one."""
        body: dict[str, Any] = {"template_id": self.template.id, "reference": reference}
        body.update(message.recipient)
        found = find_sent(
            Send(self.template.type, body),
            lambda query: self.client.get_all_notifications(
                template_type=query.get("template_type"), reference=query.get("reference")
            ),
            self.client.base_url,
            self.client.service_id,
        )
        return None if found is None else str(found.get("id"))


def _also_on_429(
    on_retry: Callable[[APIError, float], None] | None, slow_down: Callable[[], None]
) -> Callable[[APIError, float], None]:
    """``on_retry``, and ``slow_down`` after a per-minute rate-limit refusal."""

    def on_retry_in_batch(error: APIError, delay: float) -> None:
        if isinstance(error, RateLimitError):
            slow_down()
        if on_retry is not None:
            on_retry(error, delay)

    return on_retry_in_batch


def _failure(row: int, reference: str, error: APIError) -> RowResult:
    """A failed send's result: whether it may have gone decides between unknown and not sent."""
    text = _describe(error)
    if isinstance(error, InvalidResponse):
        # A 2xx answer that could not be read: Notify took the message.
        return RowResult(row, UNKNOWN, reference, None, text, error)
    if error.may_have_been_sent:
        return RowResult(row, UNKNOWN, reference, None, text, error)
    if isinstance(error, TooManyRequestsError | AuthError):
        return RowResult(row, NOT_SENT, reference, None, text, error, stops_run=True)
    if error.retryable:
        return RowResult(row, NOT_SENT, reference, None, text, error)
    return RowResult(row, FAILED, reference, None, text, error)


def _describe(error: APIError) -> str:
    """``<status> <error name>: <message>`` from Notify's answer, on one line."""
    name = getattr(error, "error_name", None) or type(error).__name__
    message = error.message
    if isinstance(message, list):
        message = "; ".join(
            str(entry.get("message", entry)) if isinstance(entry, Mapping) else str(entry)
            for entry in message
        )
    return " ".join(f"{error.status_code} {name}: {message}".split())


def _invalid(problems: list[Problem], batch_id: str) -> RowResult:
    row = problems[0].row
    message = "; ".join(problem.message for problem in problems)
    return RowResult(row, INVALID, make_reference(batch_id, row), None, message)


def _journal_line(
    message: Message, result: RowResult
) -> tuple[int, str, str, str, str | None, str | None]:
    return (
        result.row,
        message.digest,
        result.status,
        result.reference,
        result.notification_id,
        result.error,
    )


def _no_journal(*_: object) -> None:
    """Where results go when no results file is kept."""
