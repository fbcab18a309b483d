"""Bulk sending over real sockets against the simulator: sent once, resumed, stopped cleanly."""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from bulk_support import phone_rows, write_csv

from notifications_python_client.bulk import ResultsFileError, RowResult, send_batch_file
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy
from notifications_python_client.simulator.server import NotifySimulator

HEADER = ["phone number", "name"]


@pytest.fixture
def sim(sim: NotifySimulator) -> NotifySimulator:
    """The shared simulator, reset, and without the faults an earlier test set."""
    sim.set_faults()
    return sim


def client_of(
    sim: NotifySimulator, key_type: str = "test", **options: Any
) -> NotificationsAPIClient:
    return NotificationsAPIClient(sim.api_key(key_type), base_url=sim.url, **options)  # type: ignore[arg-type]


def template_id(sim: NotifySimulator) -> str:
    return sim.env()["SMS_TEMPLATE_ID"]


def interrupt_after(count: int) -> Callable[[RowResult], None]:
    """An ``on_result`` that presses Ctrl-C once ``count`` rows have a result."""
    seen: list[RowResult] = []

    def on_result(result: RowResult) -> None:
        seen.append(result)
        if len(seen) == count:
            raise KeyboardInterrupt

    return on_result


def references_stored(sim: NotifySimulator) -> collections.Counter[str]:
    return collections.Counter(str(n.reference) for n in sim.notifications)


def test_a_file_is_sent_once_each_row_and_a_second_run_sends_nothing(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", HEADER, phone_rows(40))
    results = tmp_path / "people.results.jsonl"

    first = send_batch_file(client_of(sim), path, template_id(sim), results, workers=4)
    second = send_batch_file(client_of(sim), path, template_id(sim), results, workers=4)

    assert (first.sent, first.rows, first.complete, first.resumed) == (40, 40, True, False)
    assert (second.sent, second.skipped, second.resumed) == (0, 40, True)
    stored = references_stored(sim)
    assert len(stored) == 40 and set(stored.values()) == {1}
    assert {f"batch-{first.batch}-row-{row}" for row in range(2, 42)} == set(stored)
    bodies = {n.reference: n.body for n in sim.notifications}
    assert "Person 0" in bodies[f"batch-{first.batch}-row-2"]


def test_through_errors_and_dropped_connections_every_row_is_stored_once(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    sim.set_faults(error_rate=0.1, error_statuses=(500, 503), drop_after_rate=0.05, seed=7)
    path = write_csv(tmp_path / "flaky.csv", HEADER, phone_rows(200))
    policy = RetryPolicy(max_retries=8, base_delay_seconds=0.001, max_delay_seconds=0.01)

    summary = send_batch_file(
        client_of(sim, retry=policy), path, template_id(sim), tmp_path / "r.jsonl", workers=8
    )

    assert (summary.sent, summary.unknown, summary.not_sent) == (200, 0, 0)
    stored = references_stored(sim)
    assert len(stored) == 200 and set(stored.values()) == {1}
    assert sim.fault_counts["dropped_after_processing"] > 0


def test_a_run_stopped_midway_then_killed_mid_send_resumes_without_sending_twice(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "resume.csv", HEADER, phone_rows(60))
    results = tmp_path / "resume.jsonl"

    with pytest.raises(KeyboardInterrupt):
        send_batch_file(client_of(sim), path, template_id(sim), results, workers=4,
                        on_result=interrupt_after(20))  # fmt: skip
    # As if killed between each send and its result: drop the last five "sent" lines.
    lines = results.read_text(encoding="utf-8").splitlines()
    sent_lines = [n for n, line in enumerate(lines) if '"status": "sent"' in line][-5:]
    results.write_text(
        "".join(line + "\n" for n, line in enumerate(lines) if n not in sent_lines),
        encoding="utf-8",
    )
    stored_before = len(sim.notifications)

    summary = send_batch_file(client_of(sim), path, template_id(sim), results, workers=4)

    assert stored_before >= 20
    assert summary.resumed and summary.complete
    assert summary.sent + summary.skipped == 60
    stored = references_stored(sim)
    assert len(stored) == 60 and set(stored.values()) == {1}


def test_a_row_notify_refuses_is_recorded_and_the_run_goes_on(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    rows = [*phone_rows(2), ["020 7946 0000", "Landline"], *phone_rows(2, start=5)]
    path = write_csv(tmp_path / "mixed.csv", HEADER, rows)
    results = tmp_path / "mixed.jsonl"
    failures: list[RowResult] = []

    def keep_failures(result: RowResult) -> None:
        if result.error:
            failures.append(result)

    summary = send_batch_file(
        client_of(sim), path, template_id(sim), results, workers=2, on_result=keep_failures
    )

    assert (summary.sent, summary.failed, summary.complete) == (4, 1, True)
    assert [(r.row, r.status, r.error) for r in failures] == [
        (4, "failed", "400 InvalidPhoneError: Not a UK mobile number")
    ]
    entry = json.loads(results.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["row"] in (2, 3, 4, 5, 6)


def limited_data(sms_per_day: int) -> dict[str, Any]:
    package = resources.files("notifications_python_client.simulator")
    data: dict[str, Any] = json.loads((package / "data" / "default_data.json").read_text("utf-8"))
    data["services"][0]["limits"] = {"daily": {"sms": sms_per_day}}
    return data


def test_the_daily_limit_stops_the_run_and_the_next_day_finishes_it(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "daily.csv", HEADER, phone_rows(12))
    results = tmp_path / "daily.jsonl"
    with NotifySimulator(limited_data(sms_per_day=5)) as sim:
        client = client_of(sim, "normal")

        # One worker: Notify counts a send against the limit only once it is stored, so two sends
        # checked at the same moment could both pass the last free place (as on Notify).
        today = send_batch_file(client, path, template_id(sim), results, workers=1)
        sim.advance_clock(24 * 60 * 60)
        tomorrow = send_batch_file(client, path, template_id(sim), results, workers=1)

        assert (today.sent, today.not_sent, today.complete) == (5, 7, False)
        assert today.stopped == (
            "429 TooManyRequestsError: Exceeded send limits (sms: 5) for today"
        )
        assert (tomorrow.sent, tomorrow.skipped) == (5, 5)
        assert len(sim.notifications) == 10


def test_a_process_killed_at_any_moment_resumes_to_every_row_once(tmp_path: Path) -> None:
    """The real thing: `notify send-batch` in a child process, killed with SIGKILL mid-run."""
    path = write_csv(tmp_path / "killed.csv", HEADER, phone_rows(150))
    results = tmp_path / "killed.jsonl"
    with NotifySimulator(faults={"latency_ms": 20}, threads=16) as sim:
        env = {**os.environ, "NOTIFY_API_URL": sim.url, "NOTIFY_API_KEY": sim.api_key("test")}
        command = [sys.executable, "-m", "notifications_python_client", "send-batch",
                   str(path), f"--template={template_id(sim)}", f"--results={results}",
                   "--workers=4"]  # fmt: skip
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        while _lines(results) < 80 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait()
        stored_when_killed = len(sim.notifications)

        again = subprocess.run(command, env=env, capture_output=True, text=True, check=False)

        assert again.returncode == 0, again.stderr
        assert 0 < stored_when_killed < 150
        assert json.loads(again.stdout)["resumed"] is True
        stored = references_stored(sim)
        assert len(stored) == 150 and set(stored.values()) == {1}


def _lines(path: Path) -> int:
    try:
        return len(path.read_bytes().splitlines())
    except FileNotFoundError:
        return 0


class CountingProgress:
    """A progress display that remembers what it was told."""

    def __init__(self, *, total: int, initial: int, stream: Any) -> None:
        self.total, self.initial, self.updates, self.closed = total, initial, 0, False
        made.append(self)

    def update(self, n: int = 1) -> None:
        self.updates += n

    def close(self) -> None:
        self.closed = True


made: list[CountingProgress] = []


def test_progress_counts_the_rows_to_send_and_starts_from_those_done(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "progress.csv", HEADER, phone_rows(12))
    results = tmp_path / "progress.jsonl"
    made.clear()

    with pytest.raises(KeyboardInterrupt):
        send_batch_file(client_of(sim), path, template_id(sim), results, workers=1,
                        on_result=interrupt_after(5), progress=CountingProgress)  # fmt: skip
    send_batch_file(client_of(sim), path, template_id(sim), results, workers=1,
                    progress=CountingProgress)  # fmt: skip

    first, second = made
    assert (first.total, first.initial, first.closed) == (12, 0, True)
    assert first.updates == 5
    done_before = second.initial
    assert second.total == 12 and done_before >= 5
    assert done_before + second.updates == 12
    assert len(references_stored(sim)) == 12


def test_a_second_run_of_the_same_file_while_the_first_runs_is_refused_and_sends_nothing(
    sim: NotifySimulator, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "together.csv", HEADER, phone_rows(100))
    results = tmp_path / "together.results.jsonl"
    refusals: list[str] = []

    def start_a_second_run(result: RowResult) -> None:
        if refusals:
            return
        try:
            send_batch_file(client_of(sim), path, template_id(sim), results, workers=4)
        except ResultsFileError as error:
            refusals.append(str(error))
        else:
            refusals.append("the second run was not refused")

    summary = send_batch_file(
        client_of(sim), path, template_id(sim), results, workers=4, on_result=start_a_second_run
    )

    assert refusals == [
        f"{results} is in use by another run of notify send-batch: wait for it to finish "
        "(running it again afterwards sends only what it left)"
    ]
    assert (summary.sent, summary.complete) == (100, True)
    stored = references_stored(sim)
    assert len(stored) == 100 and set(stored.values()) == {1}
