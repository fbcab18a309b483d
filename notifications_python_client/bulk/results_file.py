"""The results file: a line for each row as it goes, flushed, and read back to resume a run.

JSON Lines. The first line names the run: ``{"batch": ..., "template_id": ...}``. Then, per row,
``{"row": 5, "status": "sending", "reference": ...}`` just before its send, and one of:

- ``sent``, with Notify's notification ``id``;
- ``failed``: Notify refused it (``error`` says why); it was not sent and is not tried again;
- ``unknown``: it may have gone and it could not be looked up; a resumed run looks it up;
- ``not sent``: it did not go (the daily limit, Notify out of reach, the run stopped); a resumed
  run sends it.

The last line for a row wins. A run killed between ``sending`` and the outcome leaves a row
whose outcome is unknown: a resumed run looks it up by its reference before sending it. Only the
last line can be cut short by a kill; it is ignored.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TextIO

from notifications_python_client.bulk.errors import ResultsFileError

__all__ = ["FINAL_STATUSES", "PreviousRun", "ResultsWriter", "read_previous_run"]

SENDING = "sending"
SENT = "sent"
FAILED = "failed"
UNKNOWN = "unknown"
NOT_SENT = "not sent"
# Rows with one of these as their last line are not sent again.
FINAL_STATUSES = frozenset({SENT, FAILED})
UNSETTLED_STATUSES = frozenset({SENDING, UNKNOWN})


@dataclass
class PreviousRun:
    """What an earlier run of the same file recorded.

    ``done`` has a byte per row number, 1 for rows with a final result; ``unsettled`` holds the
    references of rows whose outcome is unknown (at most a few per worker).
    """

    batch_id: str
    template_id: str
    done: bytearray = field(default_factory=bytearray)
    unsettled: dict[int, str] = field(default_factory=dict)
    sent: int = 0
    failed: int = 0

    def is_done(self, row: int) -> bool:
        return row < len(self.done) and self.done[row] == 1

    def mark(self, row: int, status: str, reference: str | None) -> None:
        if row >= len(self.done):
            self.done.extend(bytes(row + 1 - len(self.done)))
        self.done[row] = 1 if status in FINAL_STATUSES else 0
        if status in UNSETTLED_STATUSES and reference:
            self.unsettled[row] = reference
        else:
            self.unsettled.pop(row, None)


def read_previous_run(path: str | os.PathLike[str]) -> PreviousRun | None:
    """The run recorded in ``path``, or None when there is no such file or it is empty.

    :raises ResultsFileError: the file is not a results file, or a line other than the last
        is not one of ours.
    """
    name = os.fspath(path)
    try:
        handle = open(name, encoding="utf-8")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ResultsFileError(f"cannot read {name}: {error.strerror or error}") from None
    with handle:
        return _read(handle, name)


def _read(handle: TextIO, name: str) -> PreviousRun | None:
    previous: PreviousRun | None = None
    pending_error: str | None = None
    for number, line in enumerate(handle, start=1):
        if pending_error is not None:
            raise ResultsFileError(pending_error)
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            # Only the last line may be cut off; any other broken line is refused.
            pending_error = f"{name}, line {number}, is not a results line"
            continue
        if previous is None:
            previous = _first_line(entry, name)
            continue
        row, status = _row_entry(entry, name, number)
        previous.mark(row, status, entry.get("reference"))
        if status == SENT:
            previous.sent += 1
        elif status == FAILED:
            previous.failed += 1
    return previous


def _first_line(entry: Any, name: str) -> PreviousRun:
    if not (
        isinstance(entry, dict)
        and isinstance(entry.get("batch"), str)
        and isinstance(entry.get("template_id"), str)
    ):
        raise ResultsFileError(f"{name} is not a results file of notify send-batch")
    return PreviousRun(batch_id=entry["batch"], template_id=entry["template_id"])


def _row_entry(entry: Any, name: str, number: int) -> tuple[int, str]:
    row = entry.get("row") if isinstance(entry, dict) else None
    status = entry.get("status") if isinstance(entry, dict) else None
    if isinstance(row, bool) or not isinstance(row, int) or row < 1 or not isinstance(status, str):
        raise ResultsFileError(f"{name}, line {number}, is not a results line")
    return row, status


class ResultsWriter:
    """Appends lines to the results file, each flushed as soon as it is written."""

    def __init__(self, path: str | os.PathLike[str], batch_id: str, template_id: str) -> None:
        name = os.fspath(path)
        try:
            _drop_cut_short_line(name)
            self._handle = open(name, "a", encoding="utf-8")  # noqa: SIM115 - see close()
        except OSError as error:
            raise ResultsFileError(f"cannot write {name}: {error.strerror or error}") from None
        if self._handle.tell() == 0:
            self._write({"batch": batch_id, "template_id": template_id})

    def write(
        self,
        row: int,
        status: str,
        reference: str,
        notification_id: str | None = None,
        error: str | None = None,
    ) -> None:
        entry: dict[str, Any] = {"row": row, "status": status, "reference": reference}
        if notification_id is not None:
            entry["id"] = notification_id
        if error is not None:
            entry["error"] = error
        self._write(entry)

    def _write(self, entry: dict[str, Any]) -> None:
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _drop_cut_short_line(name: str) -> None:
    """Remove a last line that a kill cut short (it has no newline), so the next starts clean."""
    try:
        handle = open(name, "r+b")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return
    with handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return
        keep = size - 1
        while keep > 0:
            handle.seek(keep - 1)
            if handle.read(1) == b"\n":
                break
            keep -= 1
        handle.truncate(keep)
