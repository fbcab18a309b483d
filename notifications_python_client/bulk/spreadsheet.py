"""A recipients file read as a stream of rows: the header first, then one row at a time.

Only CSV in UTF-8 is read (a byte-order mark is allowed, as Excel writes one). A workbook, a PDF
or any other binary file is refused with a clear error before its first row, and a NUL byte
anywhere in the file when its line is read. Rows are numbered as a spreadsheet shows them: the
header is row 1, the first recipient row 2. ``digest`` names the rows and columns read so far.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO

from notifications_python_client.bulk.errors import BatchFileError

__all__ = ["HEADER_ROW_NUMBER", "SheetRow", "Spreadsheet", "open_spreadsheet"]

HEADER_ROW_NUMBER = 1
SNIFF_BYTES = 8192
# Signatures of files people save by mistake instead of CSV, and how to say what they are.
# UTF-32's marks come before UTF-16's, which begin the same way.
BINARY_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook or another zip file: save it as CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook: save it as CSV UTF-8"),
    (b"%PDF", "a PDF, not a CSV file"),
    (b"\xff\xfe\x00\x00", "UTF-32 text: save it as CSV UTF-8"),
    (b"\x00\x00\xfe\xff", "UTF-32 text: save it as CSV UTF-8"),
    (b"\xff\xfe", "UTF-16 text: save it as CSV UTF-8"),
    (b"\xfe\xff", "UTF-16 text: save it as CSV UTF-8"),
)


@dataclass(frozen=True)
class SheetRow:
    """One row: its number as a spreadsheet shows it, and its cells as text."""

    number: int
    cells: list[str]

    @property
    def is_blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


class Spreadsheet:
    """An open recipients file: ``header`` is read, ``rows()`` streams the rest."""

    def __init__(self, binary: BinaryIO, name: str) -> None:
        self.name = name
        self._binary = binary
        self._line_number = 0
        self._reader = csv.reader(self._text_lines(), strict=True)
        self._number = HEADER_ROW_NUMBER - 1
        self._digest = hashlib.sha256()
        first = self._next()
        if first is None:
            raise BatchFileError(f"{name} is empty: it needs a header row and recipient rows")
        self.header = [cell.strip() for cell in first]
        if not any(self.header):
            raise BatchFileError(f"{name} has no header: its first row must name the columns")

    @property
    def digest(self) -> str:
        """``sha256:`` and the hex digest of every row read so far, header and blanks included,
        cell by cell: the same rows and columns give the same digest, however they are quoted
        or end their lines."""
        return "sha256:" + self._digest.hexdigest()

    def rows(self) -> Iterator[SheetRow]:
        """Every row after the header, blank ones included (they keep the numbering)."""
        while (cells := self._next()) is not None:
            yield SheetRow(self._number, cells)

    def _next(self) -> list[str] | None:
        try:
            cells = next(self._reader)
        except StopIteration:
            return None
        except UnicodeDecodeError:
            raise BatchFileError(
                f"{self.name}: line {self._line_number} is not UTF-8 text: save it as CSV UTF-8"
            ) from None
        except csv.Error as error:
            raise BatchFileError(
                f"{self.name}: row {self._number + 1} is not valid CSV ({_explain(error)})"
            ) from None
        self._number += 1
        self._digest.update(json.dumps(cells, ensure_ascii=False).encode("utf-8") + b"\n")
        return cells

    def _text_lines(self) -> Iterator[str]:
        """The file's lines as text, decoded one at a time so that an error names its line
        (the first without Excel's byte-order mark)."""
        for line in self._binary:
            self._line_number += 1
            if b"\x00" in line:
                raise BatchFileError(
                    f"{self.name}: line {self._line_number} holds a NUL byte: the file holds "
                    "binary data, not CSV text"
                )
            yield line.decode("utf-8-sig" if self._line_number == 1 else "utf-8")

    def close(self) -> None:
        self._binary.close()

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_spreadsheet(path: str | os.PathLike[str]) -> Spreadsheet:
    """Open ``path`` and read its header.

    :raises BatchFileError: the file cannot be opened, is empty, is not CSV text, or has no
        header row.
    """
    name = os.fspath(path)
    try:
        binary = open(name, "rb")  # noqa: SIM115 - closed by the Spreadsheet
    except OSError as error:
        raise BatchFileError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        _refuse_binary(binary, name)
        return Spreadsheet(binary, name)
    except BaseException:
        binary.close()
        raise


def _refuse_binary(binary: BinaryIO, name: str) -> None:
    """Refuse a file that is plainly not CSV text, by its first bytes; then rewind."""
    start = binary.read(SNIFF_BYTES)
    binary.seek(0)
    for signature, description in BINARY_SIGNATURES:
        if start.startswith(signature):
            raise BatchFileError(f"{name} is {description}")
    if b"\x00" in start:
        raise BatchFileError(f"{name} is not a CSV file: it holds binary data")


def _explain(error: csv.Error) -> str:
    """The CSV reader's complaint in words a spreadsheet user knows."""
    if "new-line character" in str(error):
        return (
            "its lines end with a carriage return alone, as on old Macs: save it as CSV UTF-8 "
            "with ordinary line endings"
        )
    return str(error)
