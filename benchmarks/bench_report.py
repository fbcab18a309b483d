"""Benchmark results out: a table on stdout, a JSON file, and a comparison with a baseline."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from bench_timing import Measurement

COLUMNS = ("benchmark", "threads", "ops", "median ms", "p95 ms", "ops/s", "vs baseline")


def load_average() -> float:
    """The machine's one-minute load average: other work on the 2 cores shifts every number."""
    return round(os.getloadavg()[0], 2)


class OtherCpuWatch:
    """CPU seconds that other processes used while the benchmarks ran (Linux; else None).

    Two cores shared with anything else make every number slower; this says how much sharing
    there was, so a run with a lot of it is not taken as a baseline.
    """

    def __init__(self) -> None:
        self._busy_before = _machine_busy_seconds()
        self._own_before = _own_cpu_seconds()

    def other_cpu_seconds(self) -> float | None:
        """Machine-wide busy CPU time since construction, minus this process's own."""
        busy_after = _machine_busy_seconds()
        if self._busy_before is None or busy_after is None:
            return None
        machine = busy_after - self._busy_before
        own = _own_cpu_seconds() - self._own_before
        return round(max(machine - own, 0.0), 2)


def _machine_busy_seconds() -> float | None:
    """Non-idle CPU time of all cores since boot, from ``/proc/stat``."""
    try:
        first_line = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0]
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal: idle and iowait are not busy.
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, first_line.split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    """CPU time of this process, all threads, user and system."""
    times = os.times()
    return times.user + times.system


def environment(
    scale: float, load_before: float, other_cpu_seconds: float | None
) -> dict[str, Any]:
    """Where and how the numbers were taken, so a later comparison can tell like from unlike."""
    return {
        "taken_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        # A run with load well above 1 on 2 cores shared them: not a fair baseline.
        "load_average_1min_before": load_before,
        "load_average_1min_after": load_average(),
        "other_processes_cpu_seconds": other_cpu_seconds,
        "requests": metadata.version("requests"),
        "urllib3": metadata.version("urllib3"),
        "pyjwt": metadata.version("PyJWT"),
        "scale": scale,
    }


def write_results(path: Path, measurements: Sequence[Measurement], env: dict[str, Any]) -> None:
    """Write the summaries and the environment as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"environment": env, "results": [m.as_dict() for m in measurements]}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def load_medians(path: Path) -> dict[str, float]:
    """Median milliseconds by benchmark name from a results file; empty if there is none."""
    if not path.is_file():
        return {}
    document = json.loads(path.read_text(encoding="utf-8"))
    return {result["name"]: float(result["median_ms"]) for result in document["results"]}


def _ratio(measurement: Measurement, baseline: dict[str, float]) -> str:
    """How the median compares with the baseline's: ``1.20x`` is 20 % slower."""
    before = baseline.get(measurement.name)
    if not before:
        return "-"
    return f"{measurement.median_seconds * 1000 / before:.2f}x"


def format_table(measurements: Sequence[Measurement], baseline: dict[str, float]) -> str:
    """A fixed-width table, one row per benchmark."""
    rows = [
        (
            m.name,
            str(m.threads),
            str(m.operations),
            f"{m.median_seconds * 1000:.4f}",
            f"{m.p95_seconds * 1000:.4f}",
            f"{m.ops_per_second:,.0f}",
            _ratio(m, baseline),
        )
        for m in measurements
    ]
    widths = [max(len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    lines = []
    for row in [COLUMNS, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def print_progress(text: str) -> None:
    """A progress line on stderr, so stdout holds only the table."""
    print(text, file=sys.stderr, flush=True)
