"""prepare_upload and the small helpers beside it."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest

from notifications_python_client.utils import (
    DOCUMENT_UPLOAD_SIZE_LIMIT,
    looks_like_uuid,
    prepare_upload,
    read_binary,
)

CSV_BYTES = b"name,date\nAmala,2018-01-01\n"


class Reader:
    """A minimal file-like object whose read() returns whatever it was given."""

    def __init__(self, contents: Any) -> None:
        self.contents = contents

    def read(self) -> Any:
        return self.contents


def test_the_limit_is_two_mebibytes() -> None:
    assert DOCUMENT_UPLOAD_SIZE_LIMIT == 2 * 1024 * 1024


def test_exactly_two_mebibytes_is_accepted() -> None:
    contents = bytes(range(256)) * (DOCUMENT_UPLOAD_SIZE_LIMIT // 256)
    assert len(contents) == DOCUMENT_UPLOAD_SIZE_LIMIT

    upload = prepare_upload(io.BytesIO(contents))

    assert base64.b64decode(upload["file"]) == contents


def test_one_byte_more_is_refused() -> None:
    with pytest.raises(ValueError) as raised:
        prepare_upload(io.BytesIO(b"\0" * (DOCUMENT_UPLOAD_SIZE_LIMIT + 1)))

    assert str(raised.value) == "File is larger than 2MB"


def test_defaults_are_passed_through_as_none() -> None:
    assert prepare_upload(io.BytesIO(CSV_BYTES)) == {
        "file": base64.b64encode(CSV_BYTES).decode("ascii"),
        "filename": None,
        "confirm_email_before_download": None,
        "retention_period": None,
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {
                "filename": "report.csv",
                "confirm_email_before_download": False,
                "retention_period": "4 weeks",
            },
            ("report.csv", False, "4 weeks"),
        ),
        (
            {"filename": "", "confirm_email_before_download": True, "retention_period": ""},
            ("", True, ""),
        ),
        (
            {"filename": None, "confirm_email_before_download": None, "retention_period": None},
            (None, None, None),
        ),
    ],
)
def test_every_option_is_passed_through_as_given(
    options: dict[str, Any], expected: tuple[Any, Any, Any]
) -> None:
    upload = prepare_upload(io.BytesIO(CSV_BYTES), **options)

    assert list(upload) == ["file", "filename", "confirm_email_before_download", "retention_period"]
    assert (
        upload["filename"],
        upload["confirm_email_before_download"],
        upload["retention_period"],
    ) == expected


def test_options_can_be_given_positionally() -> None:
    upload = prepare_upload(io.BytesIO(CSV_BYTES), "a.csv", False, "1 week")

    assert upload["filename"] == "a.csv"
    assert upload["confirm_email_before_download"] is False
    assert upload["retention_period"] == "1 week"


def test_file_is_ascii_text() -> None:
    upload = prepare_upload(io.BytesIO(bytes(range(256))))

    assert isinstance(upload["file"], str)
    assert upload["file"].isascii()
    assert base64.b64decode(upload["file"]) == bytes(range(256))


def test_a_binary_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "file.pdf"
    path.write_bytes(b"%PDF-1.4 body")

    with path.open("rb") as f:
        upload = prepare_upload(f)

    assert base64.b64decode(upload["file"]) == b"%PDF-1.4 body"


@pytest.mark.parametrize(
    "contents",
    [bytearray(CSV_BYTES), memoryview(CSV_BYTES), bytes(CSV_BYTES)],
    ids=["bytearray", "memoryview", "bytes"],
)
def test_readers_returning_any_bytes_like(contents: Any) -> None:
    upload = prepare_upload(Reader(contents))

    assert base64.b64decode(upload["file"]) == CSV_BYTES


def test_the_limit_counts_bytes_of_a_memoryview_with_wide_items() -> None:
    # 2 MiB of 4-byte items: len() of the view would say a quarter of that.
    wide = memoryview(bytes(DOCUMENT_UPLOAD_SIZE_LIMIT + 4)).cast("I")

    with pytest.raises(ValueError, match=r"^File is larger than 2MB$"):
        prepare_upload(Reader(wide))


def test_a_text_mode_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_text("a,b\n", encoding="utf-8")

    with path.open(encoding="utf-8") as f, pytest.raises(TypeError) as raised:
        prepare_upload(f)  # type: ignore[arg-type]

    assert "text mode" in str(raised.value)
    assert 'binary mode ("rb")' in str(raised.value)


@pytest.mark.parametrize(
    ("not_a_binary_file", "named"),
    [
        (io.StringIO("a,b\n"), "text mode"),
        ("file.csv", "not str"),
        (b"raw bytes", "not bytes"),
        (Reader(42), "returned int"),
        (Reader(None), "returned NoneType"),
    ],
)
def test_other_non_binary_inputs_are_type_errors(not_a_binary_file: Any, named: str) -> None:
    with pytest.raises(TypeError) as raised:
        prepare_upload(not_a_binary_file)

    assert named in str(raised.value)
    assert 'binary mode ("rb")' in str(raised.value)


def test_read_binary_names_the_argument() -> None:
    with pytest.raises(TypeError, match=r"^pdf_file must be a file object"):
        read_binary("letter.pdf", "pdf_file")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26785a09-ab16-4eb0-8407-a37497a57506", True),
        ("26785A09-AB16-4EB0-8407-A37497A57506", True),
        ("26785a09ab164eb08407a37497a57506", False),
        ("{26785a09-ab16-4eb0-8407-a37497a57506}", False),
        (" 26785a09-ab16-4eb0-8407-a37497a57506", False),
        ("26785a09-ab16-4eb0-8407-a37497a5750g", False),
        ("", False),
    ],
)
def test_looks_like_uuid(text: str, expected: bool) -> None:
    assert looks_like_uuid(text) is expected
