"""The results file: a flushed line per step, read back to resume, robust to a kill, held by one
run at a time, and never another input's or someone's notes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from notifications_python_client.bulk import ResultsFileError
from notifications_python_client.bulk.results_file import (
    ResultsJournal,
    RunIdentity,
    read_previous_run,
)

TEMPLATE = "8193b560-c917-4676-ba08-36354dbe5832"
IDENTITY = RunIdentity("sha256:the-input", TEMPLATE)
DIGEST = "0123456789abcdef"
OTHER_DIGEST = "fedcba9876543210"


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def journal(path: Path, identity: RunIdentity = IDENTITY) -> ResultsJournal:
    return ResultsJournal(path, identity, lambda: "abc123")


HEADER = {
    "format": 2,
    "batch": "abc123",
    "template_id": TEMPLATE,
    "input": "sha256:the-input",
    "options": {},
}


def test_the_first_line_names_the_run_and_each_line_is_on_disk_at_once(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with journal(path) as writer:
        writer.write(2, DIGEST, "sending", "batch-abc123-row-2")
        # Read while the writer is still open: a kill now would lose nothing written.
        assert lines(path) == [
            HEADER,
            {"row": 2, "digest": DIGEST, "status": "sending", "reference": "batch-abc123-row-2"},
        ]
        writer.write(2, DIGEST, "sent", "batch-abc123-row-2", notification_id="n-1")
        writer.write(3, DIGEST, "failed", "r3", error="400 BadRequestError: Not a UK mobile number")

    assert lines(path)[-2:] == [
        {"row": 2, "digest": DIGEST, "status": "sent", "reference": "batch-abc123-row-2",
         "id": "n-1"},
        {"row": 3, "digest": DIGEST, "status": "failed", "reference": "r3",
         "error": "400 BadRequestError: Not a UK mobile number"},
    ]  # fmt: skip


def test_reading_back_the_last_line_of_each_row_wins(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with journal(path) as writer:
        for row in (2, 3, 4, 5, 6):
            writer.write(row, DIGEST, "sending", f"ref-{row}")
        writer.write(2, DIGEST, "sent", "ref-2", notification_id="n-2")
        writer.write(3, DIGEST, "failed", "ref-3", error="400")
        writer.write(4, DIGEST, "unknown", "ref-4", error="503")
        writer.write(5, DIGEST, "not sent", "ref-5", error="429")

    previous = read_previous_run(path)

    assert previous is not None
    assert (previous.batch_id, previous.template_id) == ("abc123", TEMPLATE)
    assert [previous.is_done(row, DIGEST) for row in (2, 3, 4, 5, 6, 7, 100)] == [
        True, True, False, False, False, False, False,
    ]  # fmt: skip
    assert previous.unsettled == {4: "ref-4", 6: "ref-6"}
    assert (previous.sent, previous.failed) == (1, 1)


def test_a_row_recorded_with_other_content_is_refused_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with journal(path) as writer:
        writer.write(2, DIGEST, "sent", "ref-2", notification_id="n-2")
    previous = read_previous_run(path)
    assert previous is not None

    with pytest.raises(ResultsFileError, match="row 2 is not the row this results file recorded"):
        previous.is_done(2, OTHER_DIGEST)


def test_opening_again_resumes_with_the_same_batch(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with journal(path) as writer:
        writer.write(2, DIGEST, "sent", "ref-2", notification_id="n-2")

    with ResultsJournal(path, IDENTITY, lambda: "never-used") as again:
        assert again.batch_id == "abc123"
        assert again.previous is not None and again.previous.is_done(2, DIGEST)
    assert lines(path)[0] == HEADER


def test_a_last_line_cut_short_by_a_kill_is_ignored_then_dropped(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with journal(path) as writer:
        writer.write(2, DIGEST, "sending", "ref-2")
    with path.open("a", encoding="utf-8") as file:
        file.write('{"row": 2, "digest": "0123456789abcdef", "status": "se')

    previous = read_previous_run(path)
    assert previous is not None and previous.unsettled == {2: "ref-2"}

    with journal(path) as writer:
        writer.write(2, DIGEST, "sent", "ref-2", notification_id="n-2")
    assert [entry["status"] for entry in lines(path)[1:]] == ["sending", "sent"]
    again = read_previous_run(path)
    assert again is not None and again.is_done(2, DIGEST)


def test_no_file_or_an_empty_one_is_no_previous_run(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")

    assert read_previous_run(tmp_path / "none.jsonl") is None
    assert read_previous_run(empty) is None
    with journal(empty) as writer:
        assert writer.previous is None
    assert lines(empty) == [HEADER]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("my notes", "is not a results file of notify send-batch"),
        ("phone number,name\n07700900123,Amala\n", "is not a results file of notify send-batch"),
        ("\n\n", "is not a results file of notify send-batch"),
        ('{"rows": 3}\n', "is not a results file of notify send-batch"),
        ('{"batch": "a", "template_id": "t"}\n', "written by an earlier version"),
        ('{"format": 2, "batch": "a", "template_id": "t", "input": "x", "options": {}}\n'
         'not json\n{"row": 2, "status": "sent"}\n', "line 2, is not a results line"),
        ('{"format": 2, "batch": "a", "template_id": "t", "input": "x", "options": {}}\n'
         '{"row": 2, "status": "sent"}\n', "line 2, is not a results line"),
        ('{"format": 2, "batch": "a", "template_id": "t", "input": "x", "options": {}}\n'
         '{"row": 2, "digest": "zz", "status": "sent"}\n', "line 2, is not a results line"),
        ('{"format": 2, "batch": "a", "template_id": "t", "input": "x", "options": {}}\n'
         '{"row": "2", "digest": "0123456789abcdef", "status": "sent"}\n',
         "line 2, is not a results line"),
        ('{"format": 2, "batch": "a", "template_id": "t", "input": "x", "options": {}}\n'
         '[1, 2]\n', "line 2, is not a results line"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_ours_is_refused_and_left_as_it_was(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ResultsFileError, match=message):
        read_previous_run(path)
    with pytest.raises(ResultsFileError, match=message):
        journal(path)

    assert path.read_text(encoding="utf-8") == content


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        (RunIdentity("sha256:another", TEMPLATE), "another input"),
        (RunIdentity("sha256:the-input", "another-template"), f"template {TEMPLATE}, not another"),
        (
            RunIdentity("sha256:the-input", TEMPLATE, {"sms_sender_id": "s-1"}),
            "options \\(none\\), not sms_sender_id=s-1",
        ),
    ],
)
def test_a_results_file_of_another_input_template_or_sender_is_refused(
    tmp_path: Path, identity: RunIdentity, message: str
) -> None:
    path = tmp_path / "results.jsonl"
    with journal(path) as writer:
        writer.write(2, DIGEST, "sent", "ref-2", notification_id="n-2")
    before = path.read_bytes()

    with pytest.raises(ResultsFileError, match=message) as refused:
        journal(path, identity)

    assert "to start afresh, choose another results file or delete this one" in str(refused.value)
    assert path.read_bytes() == before


def test_a_results_file_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ResultsFileError, match="cannot write"):
        journal(tmp_path / "missing-folder" / "results.jsonl")


def test_a_second_journal_on_the_same_file_is_refused_while_the_first_is_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "results.jsonl"
    with journal(path) as first:
        first.write(2, DIGEST, "sending", "ref-2")
        before = path.read_bytes()

        with pytest.raises(ResultsFileError, match="is in use by another run"):
            journal(path)

        assert path.read_bytes() == before
    # Closed: the lock is gone with it.
    with journal(path) as again:
        assert again.previous is not None


HOLDER = """
import sys
from notifications_python_client.bulk.results_file import ResultsJournal, RunIdentity
writer = ResultsJournal(sys.argv[1], RunIdentity("sha256:the-input", sys.argv[2]), lambda: "abc123")
writer.write(2, "0123456789abcdef", "sending", "ref-2")
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_run_killed_with_sigkill_leaves_no_lock_behind(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), TEMPLATE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(ResultsFileError, match="is in use by another run"):
            journal(path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=10)

    with journal(path) as after:
        assert after.previous is not None and after.previous.unsettled == {2: "ref-2"}
