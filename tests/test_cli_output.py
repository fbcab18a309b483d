"""What the command line prints: JSON, tables, streams, progress and scrubbing of the key."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from notifications_python_client.cli.output import (
    NOTIFICATION_COLUMNS,
    TEMPLATE_COLUMNS,
    Output,
)

KEY = "cli_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
SECRET = KEY[-36:]
CLEAR = "\r\033[K"

SMS = {
    "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
    "type": "sms",
    "status": "delivered",
    "created_at": "2024-05-17T15:58:38.342838Z",
    "reference": None,
    "phone_number": "+447700900123",
    "body": "Hi Amala,\nsee you",
}
EMAIL = {
    "id": "201b576e-c09b-467b-9dfa-9c3b689ee730",
    "type": "email",
    "status": "temporary-failure",
    "created_at": "2024-05-17T15:58:39.000000Z",
    "reference": "a reference that is longer than twenty characters",
    "email_address": "amala@example.com",
}


class Terminal(io.StringIO):
    """A stream that says a person is reading it."""

    def isatty(self) -> bool:
        return True


def make_output(output_format: str = "json", *, terminal: bool = False) -> Output:
    return Output(io.StringIO(), Terminal() if terminal else io.StringIO(), output_format)


def text_of(stream: Any) -> str:
    value: str = stream.getvalue()
    return value


def test_result_is_indented_json() -> None:
    output = make_output()

    output.result({"id": "x", "content": {"body": "Café"}})

    assert text_of(output.stdout) == '{\n  "id": "x",\n  "content": {\n    "body": "Café"\n  }\n}\n'


def test_page_as_a_table_has_fixed_columns() -> None:
    output = make_output("table")

    output.result({"notifications": [SMS, EMAIL], "links": {}})

    lines = text_of(output.stdout).splitlines()
    assert lines[0].split() == ["ID", "TYPE", "STATUS", "CREATED", "AT", "REFERENCE", "RECIPIENT"]
    assert lines[1] == (
        f"{SMS['id']}  sms     delivered            2024-05-17T15:58:38.342838Z"
        "                        +447700900123"
    )
    assert lines[2].startswith(f"{EMAIL['id']}  email   temporary-failure  ")
    # A long reference is cut to the column so the recipient column stays aligned.
    assert "a reference that is…  amala@example.com" in lines[2]


def test_templates_page_as_a_table() -> None:
    output = make_output("table")

    output.result({"templates": [{"id": "t1", "type": "sms", "version": 3, "name": "Reminder"}]})

    assert text_of(output.stdout).splitlines()[1].split() == ["t1", "sms", "3", "Reminder"]


def test_single_object_as_a_table_flattens_nested_fields() -> None:
    output = make_output("table")

    output.result(
        {"id": "n1", "template": {"id": "t1", "version": 2}, "body": "a\nb\r\nc", "x": None}
    )

    assert text_of(output.stdout).splitlines() == [
        "id                n1",
        "template.id       t1",
        "template.version  2",
        "body              a",
        "                  b",
        "                  c",
        "x",
    ]


def test_a_table_cell_with_line_breaks_takes_a_line_each() -> None:
    output = make_output("table")
    text = {"id": "r1", "created_at": "2026-12-01T10:00:00Z", "user_number": "447700900111",
            "content": "Where do I\nregister?"}  # fmt: skip

    output.result({"received_text_messages": [text]})

    lines = text_of(output.stdout).splitlines()
    assert lines[1].endswith("Where do I")
    assert lines[2].strip() == "register?"
    assert lines[2].index("register?") == lines[1].index("Where do I")


def test_output_id_prints_only_ids() -> None:
    output = make_output("id")

    output.result({"id": "n1", "content": {"body": "Hi"}})
    output.result({"templates": [{"id": "t1"}, {"id": "t2"}]})
    output.result({"message": "no id"})
    output.stream(stream_of(SMS, EMAIL), NOTIFICATION_COLUMNS, "notifications")

    assert text_of(output.stdout).splitlines() == ["n1", "t1", "t2", SMS["id"], EMAIL["id"]]


def stream_of(*items: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from items


def test_stream_prints_json_lines_and_counts() -> None:
    output = make_output()

    count = output.stream(stream_of(SMS, EMAIL), NOTIFICATION_COLUMNS, "notifications")

    assert count == 2
    assert [json.loads(line) for line in text_of(output.stdout).splitlines()] == [SMS, EMAIL]
    assert text_of(output.stderr) == ""


def test_stream_prints_each_item_before_reading_the_next() -> None:
    output = make_output()
    seen_before_second: list[str] = []

    def items() -> Iterator[Mapping[str, Any]]:
        yield SMS
        seen_before_second.append(text_of(output.stdout))
        yield EMAIL

    output.stream(items(), NOTIFICATION_COLUMNS, "notifications")

    assert seen_before_second == [json.dumps(SMS, ensure_ascii=False) + "\n"]


def test_stream_as_a_table_prints_the_header_even_when_empty() -> None:
    output = make_output("table")

    assert output.stream(stream_of(), TEMPLATE_COLUMNS, "templates") == 0
    assert text_of(output.stdout).split() == ["ID", "TYPE", "VERSION", "NAME"]


def test_progress_on_a_terminal_is_redrawn_and_cleared_around_output() -> None:
    output = make_output(terminal=True)

    output.stream(stream_of(SMS, EMAIL), NOTIFICATION_COLUMNS, "notifications")

    assert text_of(output.stderr) == (
        f"{CLEAR}notify: 1 notification so far{CLEAR}"
        f"{CLEAR}notify: 2 notifications so far"
        f"{CLEAR}notify: 2 notifications\n"
    )


def test_no_progress_when_stderr_is_not_a_terminal() -> None:
    output = make_output()

    output.progress("working")
    output.end_progress("done")

    assert text_of(output.stderr) == ""


def test_error_clears_progress_and_is_one_line() -> None:
    output = make_output(terminal=True)
    output.progress("status sending")

    output.error("gave up")

    assert text_of(output.stderr) == f"{CLEAR}notify: status sending{CLEAR}notify: gave up\n"


def test_error_keeps_a_multi_line_message_on_one_line() -> None:
    output = make_output()

    output.error("first\nsecond\r\nthird")

    assert text_of(output.stderr) == "notify: first second third\n"


def test_secrets_are_scrubbed_from_both_streams() -> None:
    output = make_output()
    output.add_secret(KEY)

    output.error(f"bad key {KEY} and secret {SECRET}")
    output.result({"echo": SECRET})

    assert KEY not in text_of(output.stderr)
    assert SECRET not in text_of(output.stderr) + text_of(output.stdout)
    assert text_of(output.stderr) == "notify: bad key [redacted] and secret [redacted]\n"


def test_short_keys_are_not_scrubbed_letter_by_letter() -> None:
    output = make_output()
    output.add_secret("abc")

    output.error("abc is short")

    assert text_of(output.stderr) == "notify: abc is short\n"


def test_log_handler_scrubs_records() -> None:
    output = make_output()
    output.add_secret(KEY)
    logger = logging.getLogger("tests.cli_output")
    handler = output.log_handler()
    logger.addHandler(handler)
    try:
        logger.warning("request with %s failed", SECRET)
    finally:
        logger.removeHandler(handler)

    assert text_of(output.stderr) == "notify: warning: request with [redacted] failed\n"


def test_write_bytes_goes_to_the_binary_stdout() -> None:
    raw = io.BytesIO()
    output = Output(io.TextIOWrapper(raw, encoding="utf-8"), io.StringIO())

    output.write_bytes(b"%PDF-1.7\n\xff")

    assert raw.getvalue() == b"%PDF-1.7\n\xff"
