"""Bulk sending, measured: `notify send-batch` against Notify's rate limit, beside the published
client's plain loop, a run killed and resumed, and memory as the file grows.

    python benchmarks/bulk_compare.py            # 2,000 rows; memory at 10,000 and 100,000
    python benchmarks/bulk_compare.py --quick    # a smoke run: 300 rows, memory at 1k and 3k

Each scenario gets a fresh simulator in a child process with 100 ms added to every request
(``--fault-latency-ms``) and enough threads for that wait not to queue, so the round trip is a
real service's and the rate limit is Notify's default (a burst of 999, then 50 a second). The
figures are in docs/performance.md; nothing here is asserted against a time.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_simulator import child_simulator, unlimited_data
from clients.compare import published_python

from notifications_python_client import NotificationsAPIClient
from notifications_python_client.simulator import NotifySimulator

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "bulk.json"
LATENCY_MS = "100"
SIMULATOR_THREADS = "64"
WORKERS = "20"
# The memory runs raise the simulator's limit out of reach, and the client's to match.
UNLIMITED_RATE = "--rate=10000000"
# Peak memory of a Python process running `notify`, measured from inside it at exit.
MEASURED_CLI = (
    "import resource, sys\n"
    "from notifications_python_client.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "sys.stderr.write('peak_rss_kib=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(status)\n"
)


def keys() -> tuple[str, str]:
    """The built-in data's test key and text message template (the child shares the data)."""
    offline = NotifySimulator()
    return offline.api_key("test"), offline.env()["SMS_TEMPLATE_ID"]


def write_rows(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["phone number", "name"])
        for number in range(rows):
            # 07700 9xxxxx: numbers for drama, never Notify's smoke-test ones (07700 900000...).
            writer.writerow([f"07700 9{10_000 + number % 90_000:05d}", f"Person {number}"])


def send_batch(
    url: str, api_key: str, template: str, path: Path, results: Path, *options: str
) -> subprocess.Popen[str]:
    """`notify send-batch` in a child process that reports its peak memory at exit."""
    env = {**os.environ, "NOTIFY_API_URL": url, "NOTIFY_API_KEY": api_key}
    command = [sys.executable, "-c", MEASURED_CLI, "send-batch", str(path)]
    command += [f"--template={template}", f"--results={results}", f"--workers={WORKERS}"]
    command += options
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(child: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = child.communicate()
    peak = [line for line in err.splitlines() if line.startswith("peak_rss_kib=")]
    summary = json.loads(out) if out.strip() else {}
    summary["exit"] = child.returncode
    if peak:
        summary["peak_rss_mib"] = round(int(peak[-1].split("=")[1]) / 1024, 1)
    return summary


def stored(url: str, api_key: str) -> dict[str, int]:
    """How many notifications the simulator holds, and how many references it holds twice."""
    client = NotificationsAPIClient(api_key, base_url=url)
    references = collections.Counter(
        n["reference"] for n in client.get_all_notifications_iterator()
    )
    return {
        "stored": sum(references.values()),
        "sent_twice": sum(1 for count in references.values() if count > 1),
    }


def notify_with_latency() -> contextlib.AbstractContextManager[str]:
    """A fresh simulator of the built-in data, 100 ms added to every request, threads to spare."""
    return child_simulator(None, "--fault-latency-ms", LATENCY_MS, "--threads", SIMULATOR_THREADS)


def at_the_limit(folder: Path, rows: int, api_key: str, template: str) -> dict[str, Any]:
    path = folder / "limit.csv"
    write_rows(path, rows)
    with notify_with_latency() as url:
        started = time.perf_counter()
        summary = finish(send_batch(url, api_key, template, path, folder / "limit.jsonl"))
        summary["wall_seconds"] = round(time.perf_counter() - started, 2)
        return {**summary, **stored(url, api_key)}


def published_loop(folder: Path, rows: int, api_key: str, template: str) -> dict[str, Any]:
    path = folder / "loop.csv"
    write_rows(path, rows)
    with notify_with_latency() as url:
        finished = subprocess.run(
            [
                str(published_python()),
                str(HERE / "bulk_published_loop.py"),
                url,
                api_key,
                template,
                str(path),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return {**json.loads(finished.stdout.strip().splitlines()[-1]), **stored(url, api_key)}


def killed_and_resumed(
    folder: Path,
    rows: int,
    api_key: str,
    template: str,
    seed: int,
    kill_window: tuple[float, float],
) -> dict[str, Any]:
    path = folder / "killed.csv"
    results = folder / "killed.jsonl"
    write_rows(path, rows)
    kill_after = random.Random(seed).uniform(*kill_window)
    with notify_with_latency() as url:
        first = send_batch(url, api_key, template, path, results)
        time.sleep(kill_after)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        before = stored(url, api_key)["stored"]
        second = finish(send_batch(url, api_key, template, path, results))
        return {
            "killed_after_seconds": round(kill_after, 2),
            "stored_when_killed": before,
            "resumed": second,
            **stored(url, api_key),
        }


def memory(folder: Path, rows: int, api_key: str, template: str) -> dict[str, Any]:
    path = folder / f"memory-{rows}.csv"
    write_rows(path, rows)
    data = folder / "unlimited.json"
    data.write_text(json.dumps(unlimited_data()), encoding="utf-8")
    results = folder / f"memory-{rows}.jsonl"
    with child_simulator(data, "--threads", SIMULATOR_THREADS) as url:
        summary = finish(send_batch(url, api_key, template, path, results, UNLIMITED_RATE))
        return {
            "rows": rows,
            "sent": summary.get("sent"),
            "peak_rss_mib": summary.get("peak_rss_mib"),
            "seconds": summary.get("seconds"),
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of every scenario")
    parser.add_argument("--rows", type=int, help="rows at the rate limit (default 2,000)")
    parser.add_argument("--seed", type=int, default=1, help="chooses when the kill comes")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the results")
    arguments = parser.parse_args(argv)
    rows = arguments.rows or (300 if arguments.quick else 2000)
    # The published loop takes a round trip a row: 50 rows make a smoke run, 2,000 the real one.
    loop_rows = 50 if arguments.quick else rows
    # A kill somewhere in the run (which starts sending about 0.6 s after it starts).
    kill_window = (0.9, 1.8) if arguments.quick else (2.0, 15.0)
    memory_rows = (1000, 3000) if arguments.quick else (10_000, 100_000)
    api_key, template = keys()
    report: dict[str, Any] = {"machine": platform.machine(), "python": platform.python_version()}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        report["send_batch"] = at_the_limit(folder, rows, api_key, template)
        print("send-batch at the limit:", report["send_batch"], flush=True)
        report["published_loop"] = published_loop(folder, loop_rows, api_key, template)
        print("published client, plain loop:", report["published_loop"], flush=True)
        report["killed_and_resumed"] = killed_and_resumed(
            folder, rows, api_key, template, arguments.seed, kill_window
        )
        print("killed and resumed:", report["killed_and_resumed"], flush=True)
        report["memory"] = [memory(folder, n, api_key, template) for n in memory_rows]
        print("memory:", report["memory"], flush=True)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
