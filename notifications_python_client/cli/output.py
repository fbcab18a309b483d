"""What `notify` prints: JSON or tables on stdout, one-line errors and progress on stderr.

All text goes through :class:`Output`, which removes the API key from anything it writes, so a
message that happens to quote the key (an exception, a server echo) cannot leak it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

PROGRAM = "notify"
REDACTED = "[redacted]"
# Erase the current terminal line, so progress can be redrawn in place.
_CLEAR_LINE = "\r\033[K"


@dataclass(frozen=True)
class Column:
    """One table column: a header, a width (``None`` for the last, unbounded one) and a getter."""

    header: str
    width: int | None
    value: Callable[[Mapping[str, Any]], Any]


def _field(name: str) -> Callable[[Mapping[str, Any]], Any]:
    """A getter for a top-level field."""
    return lambda item: item.get(name)


def _recipient(item: Mapping[str, Any]) -> Any:
    """Who a notification went to: email, phone number or the first address line."""
    return item.get("email_address") or item.get("phone_number") or item.get("line_1")


NOTIFICATION_COLUMNS = (
    Column("ID", 36, _field("id")),
    Column("TYPE", 6, _field("type")),
    Column("STATUS", 19, _field("status")),
    Column("CREATED AT", 27, _field("created_at")),
    Column("REFERENCE", 20, _field("reference")),
    Column("RECIPIENT", None, _recipient),
)
TEMPLATE_COLUMNS = (
    Column("ID", 36, _field("id")),
    Column("TYPE", 6, _field("type")),
    Column("VERSION", 7, _field("version")),
    Column("NAME", None, _field("name")),
)
RECEIVED_TEXT_COLUMNS = (
    Column("ID", 36, _field("id")),
    Column("CREATED AT", 27, _field("created_at")),
    Column("FROM", 16, _field("user_number")),
    Column("CONTENT", None, _field("content")),
)
# Which list a page holds, by the key Notify puts it under.
PAGE_COLUMNS = {
    "notifications": NOTIFICATION_COLUMNS,
    "templates": TEMPLATE_COLUMNS,
    "received_text_messages": RECEIVED_TEXT_COLUMNS,
}


class Output:
    """The command line's two streams, in the chosen format, with the API key scrubbed out."""

    def __init__(self, stdout: TextIO, stderr: TextIO, output_format: str = "json") -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.format = output_format
        self._secrets: list[str] = []
        self._progress_shown = False
        self.show_progress = _is_terminal(stderr)

    def add_secret(self, secret: str) -> None:
        """Never print ``secret`` from now on (the key and, separately, its secret part)."""
        for text in (secret, secret[-36:]):
            if len(text) >= 8 and text not in self._secrets:
                self._secrets.append(text)

    def scrub(self, text: str) -> str:
        """``text`` with every known secret replaced."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def result(self, value: Any) -> None:
        """Print one response: indented JSON, a table of its list or of its fields, or ids."""
        if self.format == "json":
            self._out(json.dumps(value, indent=2, ensure_ascii=False))
            return
        if self.format == "id":
            for identifier in _ids(value):
                self._out(identifier)
            return
        if isinstance(value, Mapping):
            for key, columns in PAGE_COLUMNS.items():
                if isinstance(value.get(key), list):
                    self._table(value[key], columns)
                    return
            self._fields(value)
            return
        self._out(_cell(value))

    def stream(
        self, items: Iterable[Mapping[str, Any]], columns: Sequence[Column], noun: str
    ) -> int:
        """Print items as they arrive (JSON Lines or table rows); return how many there were."""
        count = 0
        if self.format == "table":
            self._out(_row([c.header for c in columns], columns))
        for item in items:
            if self.format == "json":
                self._out(json.dumps(item, ensure_ascii=False))
            elif self.format == "id":
                self._out(_cell(item.get("id")))
            else:
                self._out(_row([c.value(item) for c in columns], columns))
            count += 1
            self.progress(f"{counted(count, noun)} so far")
        self.end_progress(counted(count, noun))
        return count

    def write_bytes(self, data: bytes) -> None:
        """Send raw bytes (a PDF) to stdout."""
        self.stdout.flush()
        self.stdout.buffer.write(data)
        self.stdout.buffer.flush()

    def error(self, message: str) -> None:
        """One line on stderr, prefixed with the program name (line breaks become spaces)."""
        self._clear_progress()
        one_line = " ".join(message.splitlines())
        self.stderr.write(self.scrub(f"{PROGRAM}: {one_line}") + "\n")
        self.stderr.flush()

    def usage(self, text: str) -> None:
        """The usage text (after a usage mistake) on stderr."""
        self._clear_progress()
        self.stderr.write(text.rstrip("\n") + "\n")

    def progress(self, message: str) -> None:
        """Redraw a status line on stderr, only when a person is watching it."""
        if not self.show_progress:
            return
        self.stderr.write(_CLEAR_LINE + self.scrub(f"{PROGRAM}: {message}"))
        self.stderr.flush()
        self._progress_shown = True

    def end_progress(self, message: str) -> None:
        """Replace the status line with a final one, if progress was being shown."""
        if self.show_progress:
            self.stderr.write(_CLEAR_LINE + self.scrub(f"{PROGRAM}: {message}") + "\n")
            self.stderr.flush()
        self._progress_shown = False

    def log_handler(self) -> logging.Handler:
        """A logging handler that writes scrubbed records to stderr (for ``--verbose``)."""
        return _ScrubbingHandler(self)

    def _out(self, text: str) -> None:
        """One line of results; progress is cleared first so the two do not mix on a terminal."""
        self._clear_progress()
        self.stdout.write(self.scrub(text) + "\n")
        self.stdout.flush()

    def _clear_progress(self) -> None:
        if self._progress_shown:
            self.stderr.write(_CLEAR_LINE)
            self.stderr.flush()
            self._progress_shown = False

    def _table(self, items: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> None:
        self._out(_row([c.header for c in columns], columns))
        for item in items:
            self._out(_row([c.value(item) for c in columns], columns))

    def _fields(self, value: Mapping[str, Any]) -> None:
        pairs = list(_flatten(value))
        width = max((len(key) for key, _ in pairs), default=0)
        for key, item in pairs:
            first, *more = _cell(item).split("\n")
            self._out(f"{key.ljust(width)}  {first}".rstrip())
            for line in more:
                self._out(f"{'':{width}}  {line}".rstrip())


class _ScrubbingHandler(logging.Handler):
    """Route library log records through :meth:`Output.error`'s scrubbing."""

    def __init__(self, output: Output) -> None:
        super().__init__(logging.DEBUG)
        self._output = output

    def emit(self, record: logging.LogRecord) -> None:
        self._output.error(f"{record.levelname.lower()}: {record.getMessage()}")


def counted(count: int, noun: str) -> str:
    """``1 notification``, ``2 notifications``: ``noun`` is the plural."""
    return f"{count} {noun.removesuffix('s') if count == 1 else noun}"


def _ids(value: Any) -> list[str]:
    """The ids a response holds: its own, or those of the items of its list."""
    if isinstance(value, Mapping):
        for key in PAGE_COLUMNS:
            if isinstance(value.get(key), list):
                return [_cell(item.get("id")) for item in value[key] if isinstance(item, Mapping)]
        if value.get("id") is not None:
            return [_cell(value["id"])]
    return []


def _row(values: Sequence[Any], columns: Sequence[Column]) -> str:
    """Pad (and if need be shorten) each cell to its column's width; a cell with line breaks
    takes as many lines as it has, the other cells blank beside them."""
    cell_lines = [_cell(value).split("\n") for value in values]
    height = max(len(lines) for lines in cell_lines)
    rows = []
    for line_number in range(height):
        cells = []
        for lines, column in zip(cell_lines, columns, strict=True):
            text = lines[line_number] if line_number < len(lines) else ""
            if column.width is not None:
                if len(text) > column.width:
                    text = text[: column.width - 1] + "…"
                text = text.ljust(column.width)
            cells.append(text)
        rows.append("  ".join(cells).rstrip())
    return "\n".join(rows)


def _cell(value: Any) -> str:
    """A value as text: empty for null, JSON for structures, every line break as a newline."""
    if value is None:
        return ""
    if isinstance(value, bool | list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _flatten(value: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested objects as dotted keys (``template.id``), for the two-column table."""
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, Mapping) and item:
            yield from _flatten(item, f"{name}.")
        else:
            yield name, item


def _is_terminal(stream: TextIO) -> bool:
    """Whether a person (rather than a file or pipe) reads ``stream``."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
