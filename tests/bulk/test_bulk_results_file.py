"""The results file: a flushed line per step, read back to resume, robust to a kill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notifications_python_client.bulk import ResultsFileError
from notifications_python_client.bulk.results_file import ResultsWriter, read_previous_run

TEMPLATE = "8193b560-c917-4676-ba08-36354dbe5832"


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_first_line_names_the_run_and_each_line_is_on_disk_at_once(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsWriter(path, "abc123", TEMPLATE) as writer:
        writer.write(2, "sending", "batch-abc123-row-2")
        # Read while the writer is still open: a kill now would lose nothing written.
        assert lines(path) == [
            {"batch": "abc123", "template_id": TEMPLATE},
            {"row": 2, "status": "sending", "reference": "batch-abc123-row-2"},
        ]
        writer.write(2, "sent", "batch-abc123-row-2", notification_id="n-1")
        writer.write(3, "failed", "r3", error="400 BadRequestError: Not a UK mobile number")

    assert lines(path)[-2:] == [
        {"row": 2, "status": "sent", "reference": "batch-abc123-row-2", "id": "n-1"},
        {"row": 3, "status": "failed", "reference": "r3",
         "error": "400 BadRequestError: Not a UK mobile number"},
    ]  # fmt: skip


def test_reading_back_the_last_line_of_each_row_wins(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsWriter(path, "abc123", TEMPLATE) as writer:
        for row in (2, 3, 4, 5, 6):
            writer.write(row, "sending", f"ref-{row}")
        writer.write(2, "sent", "ref-2", notification_id="n-2")
        writer.write(3, "failed", "ref-3", error="400")
        writer.write(4, "unknown", "ref-4", error="503")
        writer.write(5, "not sent", "ref-5", error="429")

    previous = read_previous_run(path)

    assert previous is not None
    assert (previous.batch_id, previous.template_id) == ("abc123", TEMPLATE)
    assert [previous.is_done(row) for row in (2, 3, 4, 5, 6, 7, 100)] == [
        True, True, False, False, False, False, False,
    ]  # fmt: skip
    assert previous.unsettled == {4: "ref-4", 6: "ref-6"}
    assert (previous.sent, previous.failed) == (1, 1)


def test_a_last_line_cut_short_by_a_kill_is_ignored_then_dropped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsWriter(path, "abc123", TEMPLATE) as writer:
        writer.write(2, "sending", "ref-2")
    with path.open("a", encoding="utf-8") as file:
        file.write('{"row": 2, "status": "se')

    previous = read_previous_run(path)
    assert previous is not None and previous.unsettled == {2: "ref-2"}

    with ResultsWriter(path, "abc123", TEMPLATE) as writer:
        writer.write(2, "sent", "ref-2", notification_id="n-2")
    assert path.read_text(encoding="utf-8").splitlines()[-2:] == [
        '{"row": 2, "status": "sending", "reference": "ref-2"}',
        '{"row": 2, "status": "sent", "reference": "ref-2", "id": "n-2"}',
    ]
    again = read_previous_run(path)
    assert again is not None and again.is_done(2)


def test_no_file_or_an_empty_one_is_no_previous_run(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")

    assert read_previous_run(tmp_path / "none.jsonl") is None
    assert read_previous_run(empty) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("phone number,name\n07700900123,Amala\n", "line 1, is not a results line"),
        ('{"rows": 3}\n', "is not a results file of notify send-batch"),
        ('{"batch": "a", "template_id": "t"}\nnot json\n{"row": 2, "status": "sent"}\n',
         "line 2, is not a results line"),
        ('{"batch": "a", "template_id": "t"}\n{"row": "2", "status": "sent"}\n',
         "line 2, is not a results line"),
        ('{"batch": "a", "template_id": "t"}\n{"row": 0, "status": "sent"}\n',
         "line 2, is not a results line"),
        ('{"batch": "a", "template_id": "t"}\n[1, 2]\n', "line 2, is not a results line"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_ours_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ResultsFileError, match=message):
        read_previous_run(path)


def test_a_results_file_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ResultsFileError, match="cannot write"):
        ResultsWriter(tmp_path / "missing-folder" / "results.jsonl", "a", TEMPLATE)
