"""The command line's input parsing: personalisation, attachments, the API key, numbers."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from notifications_python_client.cli.input import (
    DEFAULT_BASE_URL,
    InputError,
    attachment,
    base_url,
    output_format,
    personalisation,
    positive_number,
    read_api_key,
    whole_number,
)
from notifications_python_client.utils import DOCUMENT_UPLOAD_SIZE_LIMIT

KEY = "cli_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"


def test_personalisation_merges_json_then_set_pairs() -> None:
    values = personalisation('{"name": "Amala", "items": ["a", "b"]}', ["name=Kim", "day=1=2"])

    assert values == {"name": "Kim", "items": ["a", "b"], "day": "1=2"}


def test_personalisation_is_empty_without_options() -> None:
    assert personalisation(None, []) == {}


def test_personalisation_reads_json_from_a_file(tmp_path: Path) -> None:
    source = tmp_path / "values.json"
    source.write_text('{"name": "Amala"}', encoding="utf-8")

    assert personalisation(f"@{source}", []) == {"name": "Amala"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{name: 1}", "--personalisation is not valid JSON: Expecting property name"),
        ('["a"]', "--personalisation must be a JSON object"),
        ("", "--personalisation is not valid JSON"),
    ],
)
def test_personalisation_rejects_bad_json(text: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^" + message.replace("[", r"\[")):
        personalisation(text, [])


def test_personalisation_file_that_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"

    with pytest.raises(InputError) as caught:
        personalisation(f"@{missing}", [])

    assert (
        str(caught.value) == f"--personalisation: cannot read {missing}: No such file or directory"
    )


@pytest.mark.parametrize("pair", ["name", "=value", " =value"])
def test_set_needs_a_name_and_an_equals_sign(pair: str) -> None:
    with pytest.raises(InputError, match=r"^--set needs name=value"):
        personalisation(None, [pair])


def test_attachment_with_every_setting(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_bytes(b"a,b\n1,2\n")

    name, upload = attachment(
        f"link_to_file={report};filename=Report 2024.csv;confirm=no;retention=4 weeks"
    )

    assert name == "link_to_file"
    assert upload == {
        "file": base64.b64encode(b"a,b\n1,2\n").decode("ascii"),
        "filename": "Report 2024.csv",
        "confirm_email_before_download": False,
        "retention_period": "4 weeks",
    }


def test_attachment_leaves_unset_options_to_notify(tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF")

    _, upload = attachment(f"doc={report}")

    assert upload["filename"] is None
    assert upload["confirm_email_before_download"] is None
    assert upload["retention_period"] is None


@pytest.mark.parametrize(("word", "value"), [("yes", True), ("TRUE", True), ("0", False)])
def test_attachment_confirm_words(tmp_path: Path, word: str, value: bool) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(b"x")

    _, upload = attachment(f"doc={report};confirm={word}")

    assert upload["confirm_email_before_download"] is value


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        (";confirm=maybe", "--attach doc: confirm must be yes or no, not 'maybe'"),
        (
            ";colour=red",
            "--attach doc: unknown setting 'colour' (use filename, confirm, retention)",
        ),
        (";filename", "--attach setting needs name=value, not 'filename'"),
    ],
)
def test_attachment_rejects_bad_settings(tmp_path: Path, suffix: str, message: str) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(b"x")

    with pytest.raises(InputError) as caught:
        attachment(f"doc={report}{suffix}")

    assert str(caught.value) == message


def test_attachment_file_that_is_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        attachment(f"doc={tmp_path / 'gone.pdf'}")

    assert str(caught.value) == (
        f"--attach: cannot read {tmp_path / 'gone.pdf'}: No such file or directory"
    )


def test_attachment_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"0" * (DOCUMENT_UPLOAD_SIZE_LIMIT + 1))

    with pytest.raises(InputError) as caught:
        attachment(f"doc={big}")

    assert str(caught.value) == f"--attach doc: {big}: File is larger than 2MB"


def test_personalisation_adds_attachments_last(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(b"x")

    values = personalisation('{"doc": "text"}', ["doc=also text"], [f"doc={report}"])

    assert values["doc"]["file"] == "eA=="


def test_api_key_from_the_environment() -> None:
    assert read_api_key(None, {"NOTIFY_API_KEY": f"  {KEY}\n"}) == KEY


def test_api_key_file_wins_and_only_its_first_line_counts(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(f"\n{KEY}\nsecond line\n", encoding="utf-8")

    assert read_api_key(str(key_file), {"NOTIFY_API_KEY": "other"}) == KEY


@pytest.mark.parametrize("environ", [{}, {"NOTIFY_API_KEY": "  "}])
def test_missing_api_key(environ: dict[str, str]) -> None:
    with pytest.raises(InputError) as caught:
        read_api_key(None, environ)

    assert str(caught.value) == "no API key: set NOTIFY_API_KEY or pass --api-key-file FILE"


def test_api_key_file_that_is_missing_or_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n \n", encoding="utf-8")

    with pytest.raises(InputError, match=r"No such file or directory$"):
        read_api_key(str(tmp_path / "missing"), {})
    with pytest.raises(InputError, match=r"is empty$"):
        read_api_key(str(empty), {})


def test_base_url_option_then_environment_then_default() -> None:
    environ = {"NOTIFY_API_URL": "http://127.0.0.1:6011"}

    assert base_url("http://localhost:1", environ) == "http://localhost:1"
    assert base_url(None, environ) == "http://127.0.0.1:6011"
    assert base_url(None, {}) == DEFAULT_BASE_URL == "https://api.notifications.service.gov.uk"


def test_output_format() -> None:
    assert output_format("table") == "table"
    with pytest.raises(InputError, match=r"^--output must be one of json, table, id, not 'xml'$"):
        output_format("xml")


@pytest.mark.parametrize("text", ["0", "-1", "soon", "nan", "inf"])
def test_positive_number_rejects(text: str) -> None:
    with pytest.raises(InputError, match=r"^--wait-limit must be"):
        positive_number("--wait-limit", text)


def test_numbers_accepted() -> None:
    assert positive_number("--poll-every", "0.5") == 0.5
    assert whole_number("--version", "3") == 3


@pytest.mark.parametrize("text", ["0", "-2", "1.5", "two"])
def test_whole_number_rejects(text: str) -> None:
    with pytest.raises(InputError, match=r"^--version must be a whole number from 1"):
        whole_number("--version", text)
