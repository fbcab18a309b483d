"""A recipients file read as a stream of rows, and files that are not CSV refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from notifications_python_client.bulk import BatchFileError
from notifications_python_client.bulk.spreadsheet import open_spreadsheet


def rows_of(path: Path) -> list[tuple[int, list[str]]]:
    with open_spreadsheet(path) as sheet:
        return [(row.number, row.cells) for row in sheet.rows()]


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(b'phone number,name\r\n07700900123,"Amala\nSmith"\r\n\r\n07700900456,Bo\r\n')

    with open_spreadsheet(path) as sheet:
        assert sheet.header == ["phone number", "name"]
        rows = [(row.number, row.cells, row.is_blank) for row in sheet.rows()]

    assert rows == [
        (2, ["07700900123", "Amala\nSmith"], False),
        (3, [], True),
        (4, ["07700900456", "Bo"], False),
    ]


def test_a_byte_order_mark_from_excel_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfphone number,name\n07700900123,Amala\n")

    with open_spreadsheet(path) as sheet:
        assert sheet.header == ["phone number", "name"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b",,\n07700900123,x,\n", "has no header"),
        (b"PK\x03\x04rest of a workbook", "an Excel workbook"),
        (b"\xd0\xcf\x11\xe0old workbook", r"old Excel \(.xls\)"),
        (b"%PDF-1.7\n", "a PDF, not a CSV file"),
        ("phone number\n".encode("utf-16"), "UTF-16 text"),
        (b"phone number\x00,name\n", "holds binary data"),
    ],
)
def test_what_is_not_a_csv_file_is_refused_before_any_row(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(content)

    with pytest.raises(BatchFileError, match=message):
        rows_of(path)


def test_text_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b'phone number,name\n07700900123,"Amala\nSmith"\n07700900456,Ren\xe9e\n')

    with pytest.raises(BatchFileError, match="line 4 is not UTF-8 text: save it as CSV UTF-8"):
        rows_of(path)


def test_a_quote_left_open_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_bytes(b'phone number,name\n07700900123,"Amala\n')

    with pytest.raises(BatchFileError, match="row 2 is not valid CSV"):
        rows_of(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BatchFileError, match=r"cannot read .*nowhere\.csv: No such file"):
        open_spreadsheet(tmp_path / "nowhere.csv")
