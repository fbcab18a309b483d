"""The local Notify's two stores side by side: in memory, and in a SQLite file (``--store``).

    python benchmarks/store_compare.py           # 5,000 sends, stores of 1k/5k/20k
    python benchmarks/store_compare.py --quick   # a smoke run

Each store is measured in a process of its own, through the simulator's app in-process (no
sockets, so what is timed is the simulator): sends a second; a look-up by id in stores of 1,000
and 20,000 (goal: the larger within 2x); a whole walk of the list, a page of 250 at a time, of
5,000 and 20,000 (goal: within 5x, for 4x as many); and the memory it holds (peak RSS) after
storing each size. Writes ``benchmarks/results/store.json``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "store.json"
LOOKUPS = 300
PAGE = 250


def measure(kind: str, sends: int, sizes: list[int], folder: str) -> dict[str, Any]:
    """The figures of one store, in this process."""
    sys.path.insert(0, str(HERE))
    from bench_simulator import WsgiSender, sms_payload, unlimited_data

    from notifications_python_client.simulator import NotifySimulator

    store = str(Path(folder) / "store.sqlite") if kind == "sqlite" else None
    simulator = NotifySimulator(unlimited_data(), store=store)
    env = simulator.env()
    sender = WsgiSender(simulator, simulator.api_key("test"))
    payload = sms_payload(env)
    ids: list[str] = []

    def send(count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            status, body = sender.post("/v2/notifications/sms", payload)
            if status != 201:
                raise RuntimeError(f"refused: {status} {body[:200]!r}")
            ids.append(json.loads(body)["id"])
        return time.perf_counter() - started

    figures: dict[str, Any] = {"sends_per_second": sends / send(sends)}
    simulator.reset()
    ids.clear()
    for size in sizes:
        send(size - len(ids))
        # The status changes that fell due while filling are applied by the next request:
        # one before the timing, so that a look-up is timed alone.
        sender.get("/v2/notifications", "")
        chosen = random.Random(size).sample(ids, min(LOOKUPS, len(ids)))
        started = time.perf_counter()
        for notification_id in chosen:
            status, _ = sender.get(f"/v2/notifications/{notification_id}")
            assert status == 200
        figures[f"lookup_us_{size}"] = (time.perf_counter() - started) / len(chosen) * 1e6
        figures[f"walk_seconds_{size}"] = walk(sender, size)
        figures[f"peak_rss_mib_{size}"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    simulator.store.close()
    return figures


def walk(sender: Any, expected: int) -> float:
    """A whole walk of the list, as the client's iterator makes it."""
    started, older_than, walked = time.perf_counter(), "", 0
    while True:
        status, body = sender.get("/v2/notifications", older_than)
        if status != 200:
            raise RuntimeError(f"the list answered {status}: {body[:200]!r}")
        items = json.loads(body)["notifications"]
        if not items:
            break
        walked += len(items)
        older_than = f"older_than={items[-1]['id']}"
    if walked != expected:
        raise RuntimeError(f"walked {walked}, not {expected}")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write results")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    sends, sizes = (300, [200, 400, 1000]) if arguments.quick else (5000, [1000, 5000, 20000])
    if arguments.child:
        kind, folder = arguments.child
        print(json.dumps(measure(kind, sends, sizes, folder)))
        return 0
    report: dict[str, Any] = {}
    for kind in ("memory", "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            child = subprocess.run(
                [sys.executable, __file__, *(["--quick"] if arguments.quick else []),
                 "--child", kind, folder],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
        report[kind] = json.loads(child.stdout.strip().splitlines()[-1])
    small, middle, large = sizes
    for kind, figures in report.items():
        figures["lookup_ratio"] = figures[f"lookup_us_{large}"] / figures[f"lookup_us_{small}"]
        figures["walk_ratio"] = figures[f"walk_seconds_{large}"] / figures[f"walk_seconds_{middle}"]
        print(
            f"{kind:7} {figures['sends_per_second']:8,.0f} sends/s; look-up "
            f"{figures[f'lookup_us_{small}']:6,.0f} us at {small:,}, "
            f"{figures[f'lookup_us_{large}']:6,.0f} us at {large:,} "
            f"({figures['lookup_ratio']:.2f}x); walk {figures[f'walk_seconds_{middle}']:.2f} s "
            f"at {middle:,}, {figures[f'walk_seconds_{large}']:.2f} s at {large:,} "
            f"({figures['walk_ratio']:.2f}x); peak RSS {figures[f'peak_rss_mib_{large}']:.0f} MiB"
        )
    print(f"stores of {statistics.mean(sizes):,.0f} on average; {sends:,} sends timed")
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
