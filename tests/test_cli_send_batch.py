"""`notify send-batch` against the simulator: exit statuses, what it prints, standard input."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from cli_support import Ran, notify

from notifications_python_client.extras import install_command
from notifications_python_client.simulator.server import NotifySimulator

HEADER = "phone number,name\n"


def environ(sim: NotifySimulator) -> dict[str, str]:
    return {"NOTIFY_API_KEY": sim.api_key("test"), "NOTIFY_API_URL": sim.url}


def send_batch(sim: NotifySimulator, *args: str) -> Ran:
    template = f"--template={sim.env()['SMS_TEMPLATE_ID']}"
    return notify("send-batch", *args, template, environ=environ(sim))


def csv_file(folder: Path, *rows: str, name: str = "people.csv") -> Path:
    path = folder / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_file_is_sent_and_the_summary_printed(sim: NotifySimulator, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "07700 900123,Amala", "07700 900456,Bo")

    result = send_batch(sim, str(path))

    assert result.code == 0, result.err
    summary: dict[str, Any] = result.json
    assert {k: summary[k] for k in ("rows", "sent", "failed", "skipped", "resumed")} == {
        "rows": 2, "sent": 2, "failed": 0, "skipped": 0, "resumed": False,
    }  # fmt: skip
    assert summary["results_file"] == str(tmp_path / "people.results.jsonl")
    assert "notify: 2 sent, 0 failed, 0 done before" in result.err
    assert len(sim.notifications) == 2


def test_running_it_again_sends_nothing_more(sim: NotifySimulator, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "07700 900123,Amala")
    send_batch(sim, str(path))

    again = send_batch(sim, str(path), "--output=table")

    assert again.code == 0
    assert "skipped          1" in again.out
    assert "resumed          true" in again.out
    assert len(sim.notifications) == 1


def test_a_file_with_problems_sends_nothing_and_names_each_row(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "07700 900123,Amala", "12,", "07700 900456,")

    result = send_batch(sim, str(path))

    assert result.code == 2
    assert result.err.splitlines() == [
        f"notify: {path}: 3 problems; nothing was sent",
        "notify: row 3: phone number: Not enough digits",
        "notify: row 3: no value for ((name))",
        "notify: row 4: no value for ((name))",
    ]
    assert sim.notifications == []


def test_dry_run_checks_and_sends_nothing(sim: NotifySimulator, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "07700 900123,Amala", "07700 900456,Bo")

    result = send_batch(sim, str(path), "--dry-run")

    assert result.code == 0
    assert result.json == {
        "template_id": sim.env()["SMS_TEMPLATE_ID"], "template_type": "sms",
        "rows": 2, "problems": 0,
    }  # fmt: skip
    assert sim.notifications == []
    assert not (tmp_path / "people.results.jsonl").exists()


def test_a_file_for_another_template_type_is_refused(sim: NotifySimulator, tmp_path: Path) -> None:
    path = tmp_path / "emails.csv"
    path.write_text("email address,name\namala@example.com,Amala\n", encoding="utf-8")

    result = send_batch(sim, str(path))

    assert result.code == 2
    assert "it has 'email address', a column for email templates" in result.err


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "is empty"), (b"PK\x03\x04...", "an Excel workbook"),
     (HEADER.encode(), "no recipient rows")],
)  # fmt: skip
def test_files_that_cannot_be_sent_exit_2_with_one_line(
    sim: NotifySimulator, tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)

    result = send_batch(sim, str(path))

    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and problem in result.err


def test_rows_notify_refuses_exit_1_and_are_printed(sim: NotifySimulator, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "07700 900123,Amala", "020 7946 0000,Landline")

    result = send_batch(sim, str(path))

    assert result.code == 1
    assert "notify: row 3: failed: 400 InvalidPhoneError: Not a UK mobile number" in result.err
    assert result.json["failed"] == 1


def test_the_file_can_come_from_standard_input_with_a_results_file(
    sim: NotifySimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(f"{HEADER}07700 900123,Amala\n".encode()))
    monkeypatch.setattr(sys, "stdin", stdin)

    result = send_batch(sim, "-", f"--results={tmp_path / 'stdin.jsonl'}")

    assert result.code == 0, result.err
    assert result.json["sent"] == 1


def test_standard_input_without_a_results_file_is_refused(sim: NotifySimulator) -> None:
    result = send_batch(sim, "-")

    assert result.code == 2
    assert "a file read from standard input needs --results=<file>" in result.err
    assert sim.notifications == []


@pytest.mark.parametrize(
    ("option", "problem"),
    [("--workers=0", "--workers must be a whole number"), ("--workers=65", "from 1 to 64"),
     ("--workers=many", "--workers"),
     ("--rate=0", "--rate")],
)  # fmt: skip
def test_bad_settings_exit_2(
    sim: NotifySimulator, tmp_path: Path, option: str, problem: str
) -> None:
    result = send_batch(sim, str(csv_file(tmp_path, "07700 900123,Amala")), option)

    assert result.code == 2
    assert problem in result.err


def test_an_existing_file_that_is_not_a_results_file_is_refused_and_kept(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes")

    result = send_batch(sim, str(csv_file(tmp_path, "07700 900123,A")), f"--results={notes}")

    assert result.code == 2
    assert result.err == f"notify: {notes} is not a results file of notify send-batch\n"
    assert notes.read_bytes() == b"my notes"
    assert sim.notifications == []


def test_a_results_file_left_by_another_input_is_refused_not_taken_as_done(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    # A daily job that writes new rows to the same file name each day.
    csv_file(tmp_path, "07700 900001,A", "07700 900002,B", "07700 900003,C")
    assert send_batch(sim, str(tmp_path / "people.csv")).code == 0
    csv_file(tmp_path, "07700 900001,A", "07700 900005,E", "07700 900006,F")
    results = tmp_path / "people.results.jsonl"
    before = results.read_bytes()

    result = send_batch(sim, str(tmp_path / "people.csv"))

    assert result.code == 2
    assert f"{results} records a run of another input" in result.err
    assert "to start afresh, choose another results file or delete this one" in result.err
    assert results.read_bytes() == before
    assert len(sim.notifications) == 3


def test_the_same_rows_saved_again_by_a_spreadsheet_resume_the_run(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    people = csv_file(tmp_path, "07700 900001,A", "07700 900002,B")
    assert send_batch(sim, str(people)).code == 0
    # The same rows and columns with Windows line endings and every cell quoted.
    people.write_bytes(b'"phone number","name"\r\n"07700 900001","A"\r\n"07700 900002","B"\r\n')

    result = send_batch(sim, str(people))

    assert result.code == 0
    assert result.json["skipped"] == 2
    assert len(sim.notifications) == 2


def test_a_results_file_of_another_sender_is_refused(sim: NotifySimulator, tmp_path: Path) -> None:
    people = csv_file(tmp_path, "07700 900123,A")
    assert send_batch(sim, str(people)).code == 0

    result = send_batch(sim, str(people), "--sms-sender-id=another-sender")

    assert result.code == 2
    assert "options (none), not sms_sender_id=another-sender" in result.err
    assert len(sim.notifications) == 1


def test_a_nul_byte_past_the_first_8_kib_is_refused_before_any_send(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    rows = "".join(f"07700 9{n:05d},Person {n}\n" for n in range(600))
    people = tmp_path / "people.csv"
    people.write_bytes((HEADER + rows).encode() + b"07700 900999,Nul\x00\n")
    assert people.stat().st_size > 8192

    result = send_batch(sim, str(people))

    assert result.code == 2
    assert "line 602 holds a NUL byte" in result.err
    assert sim.notifications == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"phone number;name\n07700 900123;A\n", "separate its columns with semicolons (;)"),
        (b"phone number\tname\n07700 900123\tA\n", "separate its columns with tabs"),
        ("phone number,name\n".encode("utf-32"), "is UTF-32 text: save it as CSV UTF-8"),
        (b"phone number,name\r07700 900123,A\r", "end with a carriage return alone"),
    ],
)
def test_files_saved_the_wrong_way_say_how_to_save_them(
    sim: NotifySimulator, tmp_path: Path, content: bytes, problem: str
) -> None:
    people = tmp_path / "people.csv"
    people.write_bytes(content)

    result = send_batch(sim, str(people))

    assert result.code == 2
    assert problem in result.err
    assert "Traceback" not in result.err
    assert sim.notifications == []


def test_one_problem_is_counted_as_one(sim: NotifySimulator, tmp_path: Path) -> None:
    result = send_batch(sim, str(csv_file(tmp_path, "07700 900123,")))

    assert result.code == 2
    assert ": 1 problem; nothing was sent" in result.err


def test_without_the_bulk_extra_it_says_what_to_install(
    sim: NotifySimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "tqdm" else real_find_spec(name, *a),
    )

    result = send_batch(sim, str(csv_file(tmp_path, "07700 900123,A")))

    assert result.code == 2
    assert install_command("bulk") in result.err


def test_the_key_never_shows(sim: NotifySimulator, tmp_path: Path) -> None:
    result = send_batch(sim, str(csv_file(tmp_path, "07700 900123,A", "020 7946 0000,B")), "-v")

    key = sim.api_key("test")
    assert key not in result.out + result.err
    assert key[-36:] not in result.out + result.err
    assert json.loads(result.out)["sent"] == 1


def test_problems_of_standard_input_name_it_so(
    sim: NotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HEADER.encode())))

    result = send_batch(sim, "-", "--dry-run")

    assert result.code == 2
    assert result.err == "notify: standard input has a header but no recipient rows\n"


def test_dry_run_lists_the_problems_and_exits_2(sim: NotifySimulator, tmp_path: Path) -> None:
    result = send_batch(sim, str(csv_file(tmp_path, "07700 900123,")), "--dry-run")

    assert result.code == 2
    assert result.err == "notify: row 2: no value for ((name))\n"
    assert result.json["problems"] == 1


def test_the_daily_limit_stops_the_run_says_how_to_finish_and_exits_5(tmp_path: Path) -> None:
    package = resources.files("notifications_python_client.simulator")
    data = json.loads((package / "data" / "default_data.json").read_text("utf-8"))
    data["services"][0]["limits"] = {"daily": {"sms": 2}}
    path = csv_file(tmp_path, "07700 900123,A", "07700 900456,B", "07700 900789,C")
    with NotifySimulator(data) as sim:
        template = sim.env()["SMS_TEMPLATE_ID"]
        env = {"NOTIFY_API_KEY": sim.api_key("normal"), "NOTIFY_API_URL": sim.url}

        # One worker, so that two sends never race for the last place under the limit.
        result = notify(
            "send-batch", str(path), f"--template={template}", "--workers=1", environ=env
        )

    assert result.code == 5
    assert (result.json["sent"], result.json["not_sent"]) == (2, 1)
    results = tmp_path / "people.results.jsonl"
    assert result.err.splitlines()[-2:] == [
        "notify: stopped: 429 TooManyRequestsError: Exceeded send limits (sms: 2) for today",
        f"notify: 1 row has no result yet: to finish, run notify send-batch {path} "
        f"--template={template} --results={results} --workers=1",
    ]


def test_the_usage_states_the_codes_own_defaults() -> None:
    from notifications_python_client.bulk.engine import DEFAULT_WORKERS
    from notifications_python_client.bulk.limiter import DEFAULT_RATE_PER_MINUTE
    from notifications_python_client.cli.entry import USAGE

    assert f"sends in flight at once [default: {DEFAULT_WORKERS}]" in USAGE
    assert f"to stay under [default: {DEFAULT_RATE_PER_MINUTE}]" in USAGE
