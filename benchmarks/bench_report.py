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


def environment(scale: float) -> dict[str, Any]:
    """Where and how the numbers were taken, so a later comparison can tell like from unlike."""
    return {
        "taken_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        # Other work on the machine moves every number; a busy run is not a fair baseline.
        "load_average_1min": round(os.getloadavg()[0], 2),
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
