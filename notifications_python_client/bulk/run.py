"""A recipients file sent from start to summary: fetch the template, check every row, resume
from the results file, send the rest, and count what became of each row."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from notifications_python_client.bulk.engine import (
    DEFAULT_WORKERS,
    INVALID,
    SKIPPED,
    BatchEngine,
    RowResult,
    new_batch_id,
)
from notifications_python_client.bulk.errors import BatchFileError
from notifications_python_client.bulk.file_check import (
    FileCheck,
    check_file,
    plural,
    read_messages,
)
from notifications_python_client.bulk.limiter import DEFAULT_RATE_PER_MINUTE, SendRateLimiter
from notifications_python_client.bulk.progress import ProgressFactory, no_progress
from notifications_python_client.bulk.results_file import (
    FAILED,
    NOT_SENT,
    SENT,
    UNKNOWN,
    ResultsJournal,
    RunIdentity,
)
from notifications_python_client.bulk.template_fields import BatchTemplate
from notifications_python_client.notifications import NotificationsAPIClient

__all__ = ["BatchSummary", "check_batch_file", "send_batch_file"]

COUNTED_STATUSES = {
    SENT: "sent",
    FAILED: "failed",
    UNKNOWN: "unknown",
    NOT_SENT: "not_sent",
    SKIPPED: "skipped",
    INVALID: "invalid",
}


@dataclass
class BatchSummary:
    """What a run did: a count per outcome, how long it took, and why it stopped early."""

    batch: str
    results_file: str
    rows: int = 0
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    not_sent: int = 0
    skipped: int = 0
    invalid: int = 0
    seconds: float = 0.0
    stopped: str | None = None
    resumed: bool = False

    @property
    def complete(self) -> bool:
        """Whether every row now has a final result (sent, or refused by Notify)."""
        return self.unknown == 0 and self.not_sent == 0 and self.invalid == 0

    @property
    def sent_per_minute(self) -> float:
        return round(self.sent * 60 / self.seconds, 1) if self.seconds > 0 else 0.0

    def count(self, result: RowResult) -> None:
        name = COUNTED_STATUSES.get(result.status)
        if name is not None:
            setattr(self, name, getattr(self, name) + 1)
        self.rows += 1

    def as_dict(self) -> dict[str, Any]:
        summary = asdict(self)
        summary["seconds"] = round(self.seconds, 2)
        summary["sent_per_minute"] = self.sent_per_minute
        return summary


def check_batch_file(
    client: NotificationsAPIClient, path: str | os.PathLike[str], template_id: str
) -> tuple[BatchTemplate, FileCheck]:
    """Fetch the template and check every row of ``path`` against it; nothing is sent.

    :raises BatchFileError: the file is not a CSV file that fits the template.
    :raises APIError: the template could not be fetched.
    """
    template = BatchTemplate.from_response(client.get_template(template_id))
    return template, check_file(path, template)


def send_batch_file(
    client: NotificationsAPIClient,
    path: str | os.PathLike[str],
    template_id: str,
    results_path: str | os.PathLike[str],
    *,
    workers: int = DEFAULT_WORKERS,
    rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
    sms_sender_id: str | None = None,
    email_reply_to_id: str | None = None,
    on_result: Callable[[RowResult], None] | None = None,
    progress: ProgressFactory = no_progress,
    progress_stream: TextIO | None = None,
    make_batch_id: Callable[[], str] = new_batch_id,
    clock: Callable[[], float] = time.monotonic,
) -> BatchSummary:
    """Send a message to every row of a CSV file, resuming what ``results_path`` records.

    Nothing is sent unless every row passes the checks. Each step is appended to
    ``results_path`` and flushed; running again with the same file and results file sends only
    the rows without a result, and looks up first those whose outcome was unknown. The results
    file is locked for the whole run, and one that exists must record a run of this same input,
    template and sender ids: anything else is refused with nothing sent and nothing written.

    :param on_result: called with each row's result as it finishes (in the calling thread).
    :raises BatchFileError: with ``problems`` listing every row that fails the checks.
    :raises ResultsFileError: the results file is in use by another run, records another
        input, template or sender id, or is not a results file.
    :raises APIError: the template could not be fetched.
    """
    template, check = check_batch_file(client, path, template_id)
    if not check.ok:
        count = check.problem_count
        raise BatchFileError(
            f"{os.fspath(path)}: {count} {plural(count, 'problem')}; nothing was sent",
            check.describe(),
        )
    sender_ids = {"sms_sender_id": sms_sender_id, "email_reply_to_id": email_reply_to_id}
    identity = RunIdentity(
        check.input_digest,
        template.id,
        {name: value for name, value in sender_ids.items() if value},
    )
    with ResultsJournal(results_path, identity, make_batch_id) as journal:
        previous = journal.previous
        engine = BatchEngine(
            client,
            template,
            workers=workers,
            limiter=SendRateLimiter(rate_per_minute),
            batch_id=journal.batch_id,
            sender_ids=sender_ids,
        )
        summary = BatchSummary(journal.batch_id, journal.name, resumed=previous is not None)
        already_done = previous.done.count(1) if previous is not None else 0
        stream = progress_stream or sys.stderr
        bar = progress(total=check.rows, initial=already_done, stream=stream)
        started = clock()
        try:
            messages = read_messages(path, template)
            for result in engine.run(messages, previous=previous, journal=journal):
                summary.count(result)
                if result.status != SKIPPED:
                    bar.update(1)
                if on_result is not None:
                    on_result(result)
        finally:
            bar.close()
            summary.seconds = clock() - started
            summary.stopped = engine.stopped_because
    return summary
