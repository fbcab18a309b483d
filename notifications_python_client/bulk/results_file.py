"""The results file: a line for each row as it goes, flushed, and read back to resume a run.

JSON Lines. The first line names the run and what it belongs to: ``{"format": 2, "batch": ...,
"template_id": ..., "input": "sha256:...", "options": {...}}``, where ``input`` is a digest of
the file's rows and columns and ``options`` the settings that change what is sent. Then, per row,
``{"row": 5, "digest": ..., "status": "sending", "reference": ...}`` just before its send, and
one of:

- ``sent``, with Notify's notification ``id``;
- ``failed``: Notify refused it (``error`` says why); it was not sent and is not tried again;
- ``unknown``: it may have gone and it could not be looked up; a resumed run looks it up;
- ``not sent``: it did not go (the daily limit, Notify out of reach, the run stopped); a resumed
  run sends it.

``digest`` names the row's content, so a row is matched to its results by what it sends, never
by its position alone. The last line for a row wins. A run killed between ``sending`` and the
outcome leaves a row whose outcome is unknown: a resumed run looks it up by its reference before
sending it. Only the last line can be cut short by a kill; it is ignored, then dropped.

A run holds the file under an exclusive lock of the operating system for its whole life (see
``file_lock``), so a second run of the same file is refused instead of sending every row again.
A file that exists is appended to only when it is a results file of the same input, template
and options; anything else is refused before a byte is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, BinaryIO

from notifications_python_client.bulk.errors import ResultsFileError
from notifications_python_client.bulk.file_lock import try_lock
from notifications_python_client.bulk.row_checks import ROW_DIGEST_HEX_CHARACTERS

__all__ = [
    "FINAL_STATUSES",
    "PreviousRun",
    "ResultsJournal",
    "RunIdentity",
    "read_previous_run",
]

FORMAT_VERSION = 2
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
UNKNOWN = "unknown"
NOT_SENT = "not sent"
# Rows with one of these as their last line are not sent again.
FINAL_STATUSES = frozenset({SENT, FAILED})
UNSETTLED_STATUSES = frozenset({SENDING, UNKNOWN})
START_AFRESH = "to start afresh, choose another results file or delete this one"


@dataclass(frozen=True)
class RunIdentity:
    """What a results file belongs to: the input's digest, the template and the options that
    change what is sent (sender ids). Workers and rate change only how fast, so are not here."""

    input_digest: str
    template_id: str
    options: Mapping[str, str] = field(default_factory=dict)

    def header(self, batch_id: str) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "batch": batch_id,
            "template_id": self.template_id,
            "input": self.input_digest,
            "options": dict(sorted(self.options.items())),
        }

    def differences(self, previous: PreviousRun) -> list[str]:
        """How ``previous`` differs from this run, one phrase each; empty when it is this run's."""
        found = []
        if previous.input_digest != self.input_digest:
            found.append("another input (a different file, or this file before it changed)")
        if previous.template_id != self.template_id:
            found.append(f"template {previous.template_id}, not {self.template_id}")
        if dict(previous.options) != dict(self.options):
            found.append(f"options {_shown(previous.options)}, not {_shown(self.options)}")
        return found


@dataclass
class PreviousRun:
    """What an earlier run of the same file recorded.

    ``done`` has a byte per row number, 1 for rows with a final result; ``digests`` the content
    digest each row was recorded with; ``unsettled`` the references of rows whose outcome is
    unknown (at most a few per worker).
    """

    batch_id: str
    template_id: str
    input_digest: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    done: bytearray = field(default_factory=bytearray)
    digests: dict[int, bytes] = field(default_factory=dict, repr=False)
    unsettled: dict[int, str] = field(default_factory=dict)
    sent: int = 0
    failed: int = 0

    def is_done(self, row: int, digest: str) -> bool:
        """Whether ``row`` has a final result, recorded for this very content.

        :raises ResultsFileError: the row was recorded with other content: the input changed.
        """
        recorded = self.digests.get(row)
        if recorded is not None and recorded != bytes.fromhex(digest):
            raise ResultsFileError(
                f"row {row} is not the row this results file recorded (the file changed): "
                + START_AFRESH
            )
        return row < len(self.done) and self.done[row] == 1

    def mark(self, row: int, status: str, reference: str | None, digest: bytes) -> None:
        if row >= len(self.done):
            self.done.extend(bytes(row + 1 - len(self.done)))
        self.done[row] = 1 if status in FINAL_STATUSES else 0
        self.digests[row] = digest
        if status in UNSETTLED_STATUSES and reference:
            self.unsettled[row] = reference
        else:
            self.unsettled.pop(row, None)
        if status == SENT:
            self.sent += 1
        elif status == FAILED:
            self.failed += 1


def read_previous_run(path: str | os.PathLike[str]) -> PreviousRun | None:
    """The run recorded in ``path``, or None when there is no such file or it is empty.

    :raises ResultsFileError: the file is not a results file, or a line other than the last
        is not one of ours.
    """
    name = os.fspath(path)
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ResultsFileError(f"cannot read {name}: {error.strerror or error}") from None
    with handle:
        return _read(handle, name)[0]


def _read(handle: BinaryIO, name: str) -> tuple[PreviousRun | None, int]:
    """The run recorded in the file, and how many of its bytes hold whole lines."""
    previous: PreviousRun | None = None
    whole_bytes = 0
    for number, line in enumerate(handle, start=1):
        if not line.endswith(b"\n"):
            if previous is None:
                raise ResultsFileError(f"{name} is not a results file of notify send-batch")
            break  # the last line, cut short by a kill: ignored
        whole_bytes += len(line)
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            entry = None
        if previous is None:
            previous = _first_line(entry, name)
            continue
        row, status, digest = _row_entry(entry, name, number)
        previous.mark(row, status, entry.get("reference"), digest)
    if previous is None and whole_bytes:  # blank lines alone
        raise ResultsFileError(f"{name} is not a results file of notify send-batch")
    return previous, whole_bytes


def _first_line(entry: Any, name: str) -> PreviousRun:
    if not (
        isinstance(entry, dict)
        and isinstance(entry.get("batch"), str)
        and isinstance(entry.get("template_id"), str)
    ):
        raise ResultsFileError(f"{name} is not a results file of notify send-batch")
    options = entry.get("options")
    if (
        entry.get("format") != FORMAT_VERSION
        or not isinstance(entry.get("input"), str)
        or not isinstance(options, dict)
        or not all(isinstance(value, str) for value in options.values())
    ):
        raise ResultsFileError(
            f"{name} was written by an earlier version of notify send-batch, which did not "
            f"record what it sent, so its rows cannot be matched safely: {START_AFRESH}"
        )
    return PreviousRun(
        batch_id=entry["batch"],
        template_id=entry["template_id"],
        input_digest=entry["input"],
        options=options,
    )


def _row_entry(entry: Any, name: str, number: int) -> tuple[int, str, bytes]:
    fields = entry if isinstance(entry, dict) else {}
    row, status = fields.get("row"), fields.get("status")
    digest = _row_digest(fields.get("digest"))
    if (
        isinstance(row, bool)
        or not isinstance(row, int)
        or row < 1
        or not isinstance(status, str)
        or digest is None
    ):
        raise ResultsFileError(f"{name}, line {number}, is not a results line")
    return row, status, digest


def _row_digest(value: object) -> bytes | None:
    """A row's digest as bytes, or None when ``value`` is not one."""
    if not isinstance(value, str) or len(value) != ROW_DIGEST_HEX_CHARACTERS:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


class ResultsJournal:
    """A results file held for one run: locked, checked against the run, then appended to.

    ``previous`` is what an earlier run of the same input recorded (None for a new file), and
    ``batch_id`` the run's name: the earlier run's, so that its references are made again.

    :raises ResultsFileError: the file is locked by another run, is not a results file, or
        belongs to another input, template or options; or it cannot be read or written.
        Nothing is written to it then.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        identity: RunIdentity,
        make_batch_id: Callable[[], str],
    ) -> None:
        self.name = name = os.fspath(path)
        try:
            # Append mode creates a missing file and never truncates one that exists.
            self._handle: BinaryIO = open(name, "a+b")  # noqa: SIM115 - see close()
        except OSError as error:
            raise ResultsFileError(f"cannot write {name}: {error.strerror or error}") from None
        try:
            self.previous = self._claim(identity)
        except BaseException:
            self._handle.close()
            raise
        self.batch_id = self.previous.batch_id if self.previous else make_batch_id()
        if self.previous is None:
            self._write(identity.header(self.batch_id))

    def _claim(self, identity: RunIdentity) -> PreviousRun | None:
        """Lock the file, read what it holds, and make sure it is this run's to append to."""
        try:
            locked = try_lock(self._handle)
        except OSError as error:
            raise ResultsFileError(
                f"cannot lock {self.name}: {error.strerror or error}; "
                "keep the results file on a local disk"
            ) from None
        if not locked:
            raise ResultsFileError(
                f"{self.name} is in use by another run of notify send-batch: wait for it to "
                "finish (running it again afterwards sends only what it left)"
            )
        self._handle.seek(0)
        previous, whole_bytes = _read(self._handle, self.name)
        differences = identity.differences(previous) if previous is not None else []
        if differences:
            raise ResultsFileError(
                f"{self.name} records a run of {'; '.join(differences)}: {START_AFRESH}"
            )
        # A last line cut short by a kill: dropped, so that the next line starts clean.
        self._handle.truncate(whole_bytes)
        return previous

    def write(
        self,
        row: int,
        digest: str,
        status: str,
        reference: str,
        notification_id: str | None = None,
        error: str | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "row": row,
            "digest": digest,
            "status": status,
            "reference": reference,
        }
        if notification_id is not None:
            entry["id"] = notification_id
        if error is not None:
            entry["error"] = error
        self._write(entry)

    def _write(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self._handle.write(line.encode("utf-8"))
        self._handle.flush()

    def close(self) -> None:
        """Close the file, which lets go of its lock."""
        self._handle.close()

    def __enter__(self) -> ResultsJournal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _shown(options: Mapping[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in sorted(options.items())) or "(none)"
