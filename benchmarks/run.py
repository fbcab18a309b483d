"""Run the benchmarks (``make bench``): print a table, write JSON, compare with the baseline.

    python benchmarks/run.py                      # everything, about 30 s on 2 idle cores
    python benchmarks/run.py --quick              # a quarter of the repetitions
    python benchmarks/run.py --only roundtrip     # names containing "roundtrip"
    python benchmarks/run.py --output benchmarks/results/baseline.json   # a new baseline

See docs/performance.md for what each benchmark measures and how to read the numbers.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench_cases import BENCHMARKS, Context
from bench_report import (
    OtherCpuWatch,
    environment,
    format_table,
    load_average,
    load_medians,
    print_progress,
    write_results,
)
from bench_simulator import unlimited_simulator
from bench_timing import Measurement

RESULTS_DIR = Path(__file__).resolve().parent / "results"
QUICK_SCALE = 0.25


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: which benchmarks, how many repetitions, where the results go."""
    parser = argparse.ArgumentParser(description="Benchmark the Notify client and simulator.")
    parser.add_argument(
        "--quick", action="store_true", help="a quarter of the repetitions (a smoke run)"
    )
    parser.add_argument(
        "--only",
        metavar="TEXT",
        action="append",
        default=[],
        help="run only benchmarks whose name contains TEXT (repeatable)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS_DIR / "latest.json",
        help="where to write the results (default: benchmarks/results/latest.json)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=RESULTS_DIR / "baseline.json",
        help="results to compare with (default: benchmarks/results/baseline.json)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return parser.parse_args(argv)


# (numerator, denominator, goal): the simulator's cost must not grow with what it stores.
GOALS = (
    ("iterator.all_notifications.20000", "iterator.all_notifications.5000", 5.0),
    (
        "roundtrip.get_notification_by_id.20000_stored",
        "roundtrip.get_notification_by_id.1000_stored",
        2.0,
    ),
)


def goal_ratios(measurements: Sequence[Measurement]) -> list[str]:
    """One line per goal whose two benchmarks ran: the ratio of their medians and the goal."""
    medians = {m.name: m.median_seconds for m in measurements}
    lines = []
    for numerator, denominator, goal in GOALS:
        if numerator in medians and denominator in medians:
            ratio = medians[numerator] / medians[denominator]
            verdict = "met" if ratio <= goal else "NOT met"
            lines.append(f"{numerator} / {denominator}: {ratio:.2f}x (goal {goal:g}x: {verdict})")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks against one simulator; 2 when ``--only`` matches nothing."""
    arguments = parse_arguments(argv)
    chosen = [
        bench
        for bench in BENCHMARKS
        if not arguments.only or any(text in bench.name for text in arguments.only)
    ]
    if not chosen:
        print_progress(f"no benchmark name contains any of {arguments.only}; they are:")
    if arguments.list or not chosen:
        for bench in BENCHMARKS:
            print(f"{bench.name:45} {bench.description}")
        return 0 if chosen else 2
    scale = QUICK_SCALE if arguments.quick else 1.0
    baseline = load_medians(arguments.baseline)
    load_before = load_average()
    other_work = OtherCpuWatch()
    started = time.perf_counter()
    measurements = []
    with unlimited_simulator() as simulator:
        context = Context(simulator, scale)
        try:
            for bench in chosen:
                print_progress(f"running {bench.name} ...")
                measurements.append(bench.run(context))
        finally:
            context.close()
    elapsed = time.perf_counter() - started
    other_cpu_seconds = other_work.other_cpu_seconds()
    print(format_table(measurements, baseline))
    for line in goal_ratios(measurements):
        print(line)
    write_results(
        arguments.output, measurements, environment(scale, load_before, other_cpu_seconds)
    )
    print_progress(
        f"wrote {arguments.output} ({elapsed:.1f} s; other processes used "
        f"{other_cpu_seconds} CPU seconds meanwhile)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
