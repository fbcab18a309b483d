"""Timing loops and statistics for the benchmarks: per-call, batched and multi-threaded.

Every loop uses ``time.perf_counter`` and returns a ``Measurement`` of per-operation times in
seconds; the statistics (median, 95th percentile, throughput) are computed in one place so every
benchmark reports them the same way.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

Operation = Callable[[], object]

# Enough to fill connection pools, caches and the JIT-less interpreter's specialisations.
DEFAULT_WARMUP_CALLS = 20


@dataclass(frozen=True)
class Measurement:
    """Per-operation times of one benchmark and how many operations ran in how long."""

    name: str
    description: str
    seconds_per_op: list[float]
    operations: int
    wall_seconds: float
    threads: int = 1

    @property
    def median_seconds(self) -> float:
        """The typical time of one operation."""
        return statistics.median(self.seconds_per_op)

    @property
    def p95_seconds(self) -> float:
        """The time 95 % of operations stay within (nearest-rank percentile)."""
        ordered = sorted(self.seconds_per_op)
        rank = math.ceil(0.95 * len(ordered))
        return ordered[max(rank - 1, 0)]

    @property
    def ops_per_second(self) -> float:
        """Operations completed per second of wall time, all threads together."""
        return self.operations / self.wall_seconds

    def as_dict(self) -> dict[str, object]:
        """The summary written to the results file (times in milliseconds)."""
        return {
            "name": self.name,
            "description": self.description,
            "threads": self.threads,
            "samples": len(self.seconds_per_op),
            "operations": self.operations,
            "median_ms": round(self.median_seconds * 1000, 4),
            "p95_ms": round(self.p95_seconds * 1000, 4),
            "ops_per_s": round(self.ops_per_second, 1),
        }


def time_each(
    name: str,
    description: str,
    operation: Operation,
    calls: int,
    warmup_calls: int = DEFAULT_WARMUP_CALLS,
) -> Measurement:
    """Time ``calls`` calls one by one: for operations long enough (~0.1 ms+) to time singly."""
    return time_batches(name, description, operation, calls, 1, warmup_calls)


def time_batches(
    name: str,
    description: str,
    operation: Operation,
    batches: int,
    batch_size: int,
    warmup_calls: int = DEFAULT_WARMUP_CALLS,
) -> Measurement:
    """Time batches of calls and divide: for operations too quick to time one at a time."""
    for _ in range(warmup_calls):
        operation()
    samples = []
    started = time.perf_counter()
    for _ in range(batches):
        before = time.perf_counter()
        for _ in range(batch_size):
            operation()
        samples.append((time.perf_counter() - before) / batch_size)
    wall = time.perf_counter() - started
    return Measurement(name, description, samples, batches * batch_size, wall)


def time_threads(
    name: str,
    description: str,
    make_operation: Callable[[], Operation],
    threads: int,
    calls_per_thread: int,
    warmup_calls: int = DEFAULT_WARMUP_CALLS,
) -> Measurement:
    """Run ``threads`` threads, each with its own operation, started together; time every call.

    Each thread gets its own operation from ``make_operation`` (for example its own client,
    hence its own connection), warms it up, then waits at a barrier so the timed part overlaps.
    """
    start_line = threading.Barrier(threads + 1)
    per_thread: list[list[float]] = [[] for _ in range(threads)]
    failures: list[BaseException] = []

    def work(samples: list[float]) -> None:
        try:
            operation = make_operation()
            for _ in range(warmup_calls):
                operation()
        except BaseException as error:  # reported after join, not lost in the thread
            failures.append(error)
            start_line.abort()
            return
        start_line.wait()
        try:
            for _ in range(calls_per_thread):
                before = time.perf_counter()
                operation()
                samples.append(time.perf_counter() - before)
        except BaseException as error:
            failures.append(error)

    workers = [threading.Thread(target=work, args=(samples,)) for samples in per_thread]
    for worker in workers:
        worker.start()
    # A broken barrier means a worker failed while warming up; its error is raised below.
    with contextlib.suppress(threading.BrokenBarrierError):
        start_line.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{name}: a worker thread failed") from failures[0]
    samples = [sample for thread_samples in per_thread for sample in thread_samples]
    return Measurement(name, description, samples, len(samples), wall, threads)
