"""Serial sends per second, side by side in one run: this client, the published 13.0.0, and the
raw ``http.client`` + PyJWT floor, each in its own process against one canned loopback server.

    python benchmarks/clients/compare.py            # 3 rounds of 2,000 sends each
    python benchmarks/clients/compare.py --quick    # 1 round of 300: a smoke run

The published client is installed by this script in a virtual environment of its own
(``.venv/published-13.0.0``), since it has this project's import name. Rounds alternate the
three, so a busy moment of the machine hurts them alike; the median of each is reported, with
the ratios. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Inside the project's own virtual environment folder: ignored by git and linters, removed by
# `make clean`.
PUBLISHED_VENV = HERE.parent.parent / ".venv" / "published-13.0.0"
PUBLISHED_REQUIREMENT = "notifications-python-client==13.0.0"
RESULTS = HERE.parent / "results" / "clients.json"


def published_python() -> Path:
    """The interpreter of a virtual environment holding the published client (made once)."""
    python = PUBLISHED_VENV / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    if not python.exists():
        venv.create(PUBLISHED_VENV, with_pip=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", PUBLISHED_REQUIREMENT], check=True
        )
    return python


def run_loop(python: Path | str, kind: str, url: str, sends: int) -> float:
    """Sends per second of one timed loop in a fresh process."""
    finished = subprocess.run(
        [str(python), str(HERE / "send_loop.py"), kind, url, str(sends)],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE,
    )
    return float(json.loads(finished.stdout.strip().splitlines()[-1])["per_second"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="one short round (a smoke run)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the results")
    arguments = parser.parse_args(argv)
    rounds, sends = (1, 300) if arguments.quick else (3, 2000)

    contenders = {
        "this client": (sys.executable, "client"),
        "published 13.0.0": (published_python(), "client"),
        "raw http.client + PyJWT": (sys.executable, "raw"),
    }
    server = subprocess.Popen(
        [sys.executable, str(HERE / "canned_server.py")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        rates: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(rounds):
            for name, (python, kind) in contenders.items():
                rates[name].append(run_loop(python, kind, url, sends))
    finally:
        server.kill()
        server.wait()

    medians = {name: statistics.median(values) for name, values in rates.items()}
    published = medians["published 13.0.0"]
    print(f"serial sends per second, {rounds} round(s) of {sends}, median of each:")
    print(f"{'client':28} {'sends/s':>9} {'vs published':>13} {'vs raw':>7}")
    for name, rate in medians.items():
        print(
            f"{name:28} {rate:9,.0f} {rate / published:12.2f}x "
            f"{rate / medians['raw http.client + PyJWT']:6.2f}x"
        )
    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "system": platform.platform(),
    }
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(
        json.dumps({"machine": machine, "rounds": rates, "medians": medians}, indent=2) + "\n"
    )
    print(f"ratio this client / published: {medians['this client'] / published:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
