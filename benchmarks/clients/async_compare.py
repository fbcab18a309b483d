"""The async client beside its floor and the sync clients, side by side in one run.

    python benchmarks/clients/async_compare.py           # 3 rounds of each scenario
    python benchmarks/clients/async_compare.py --quick   # 1 short round: a smoke run

Scenarios, each contender in a process of its own, rounds alternating:

1. **20 in flight** against one nginx on loopback (a fixed 201 answer; the canned Python server
   when nginx is not installed, which the report says): the async client beside a bare aiohttp
   loop posting the same JSON (the floor); goal: at least 70 % of the floor's sends per second,
   and at most 200 microseconds of CPU a send.
2. **1 in flight**, the same server: the async client beside the published 13.0.0 sync client;
   goal: at least 1.5 times its sends per second.
3. **2,000 sends to the local Notify with 100 ms added to each request, 50 in flight**: the
   async client beside the sync client on 50 threads; goal: at least as fast, for less CPU.

Nothing here is asserted: the figures and their ratios are printed and written to
``benchmarks/results/async.json`` (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench_simulator import child_simulator, unlimited_data  # noqa: E402
from clients.canned_server import BODY  # noqa: E402
from clients.compare import published_python  # noqa: E402

RESULTS = HERE.parent / "results" / "async.json"
LATENCY_MS = "100"
SIMULATOR_THREADS = "96"
NGINX_CONFIG = """
daemon off;
master_process off;
worker_processes 1;
error_log {folder}/error.log crit;
pid {folder}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder};
    keepalive_requests 10000000;
    keepalive_timeout 60s;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            default_type application/json;
            return 201 '{body}';
        }}
    }}
}}
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def fixed_answer_server() -> Iterator[tuple[str, str]]:
    """nginx answering every request with a send's 201, or the canned server without nginx;
    yields its URL and its name."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    with tempfile.TemporaryDirectory() as folder:
        if nginx is not None:
            port = free_port()
            config = Path(folder) / "nginx.conf"
            config.write_text(NGINX_CONFIG.format(folder=folder, port=port, body=BODY.decode()))
            server = subprocess.Popen([nginx, "-c", str(config), "-p", folder],
                                      stderr=subprocess.DEVNULL)  # fmt: skip
            name, url = "nginx", f"http://127.0.0.1:{port}"
            _wait_for(port)
        else:
            server = subprocess.Popen([sys.executable, str(HERE / "canned_server.py")],
                                      stdout=subprocess.PIPE, text=True)  # fmt: skip
            assert server.stdout is not None
            name, url = (
                "canned Python server",
                f"http://127.0.0.1:{server.stdout.readline().strip()}",
            )
        try:
            yield url, name
        finally:
            server.terminate()
            server.wait(10)


def _wait_for(port: int) -> None:
    import socket
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("nginx did not start")


def run(python: Path | str, kind: str, url: str, sends: int, width: int,
        environ: dict[str, str] | None = None) -> dict[str, float]:  # fmt: skip
    finished = subprocess.run(
        [str(python), str(HERE / "async_loop.py"), kind, url, str(sends), str(width)],
        check=True, capture_output=True, text=True, cwd=HERE, env={**os.environ, **(environ or {})},
    )  # fmt: skip
    result: dict[str, float] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def medians(results: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short round: a smoke run")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the results")
    arguments = parser.parse_args(argv)
    rounds = 1 if arguments.quick else 3
    sends = 300 if arguments.quick else 3000
    latency_sends = 200 if arguments.quick else 2000
    published = published_python()
    report: dict[str, Any] = {"machine": platform.machine(), "python": platform.python_version()}

    with fixed_answer_server() as (url, server_name):
        report["server"] = server_name
        wide: dict[str, list[dict[str, float]]] = {"aiohttp floor": [], "async client": []}
        serial: dict[str, list[dict[str, float]]] = {"async client": [], "published 13.0.0": []}
        for _ in range(rounds):
            wide["aiohttp floor"].append(run(sys.executable, "aiohttp", url, sends, 20))
            wide["async client"].append(run(sys.executable, "async", url, sends, 20))
            serial["async client"].append(run(sys.executable, "async", url, sends, 1))
            serial["published 13.0.0"].append(run(published, "serial", url, sends, 1))
    report["20_in_flight"] = {name: medians(r) for name, r in wide.items()}
    report["1_in_flight"] = {name: medians(r) for name, r in serial.items()}

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "unlimited.json"
        data.write_text(json.dumps(unlimited_data()))
        with child_simulator(data, "--fault-latency-ms", LATENCY_MS,
                             "--threads", SIMULATOR_THREADS) as notify:  # fmt: skip
            from notifications_python_client.simulator import NotifySimulator

            env = NotifySimulator(unlimited_data()).env()
            keys = {"BENCH_API_KEY": env["API_KEY"], "BENCH_TEMPLATE_ID": env["SMS_TEMPLATE_ID"]}
            local: dict[str, list[dict[str, float]]] = {"async client": [], "sync, 50 threads": []}
            for _ in range(rounds):
                local["async client"].append(run(sys.executable, "async", notify,
                                                 latency_sends, 50, keys))  # fmt: skip
                local["sync, 50 threads"].append(run(sys.executable, "threads", notify,
                                                     latency_sends, 50, keys))  # fmt: skip
    report["local_notify_100ms_50_in_flight"] = {name: medians(r) for name, r in local.items()}

    ratios = {
        "20 in flight: async / aiohttp floor (goal >= 0.70)": report["20_in_flight"][
            "async client"]["per_second"] / report["20_in_flight"]["aiohttp floor"]["per_second"],
        "20 in flight: async CPU us a send (goal <= 200)": report["20_in_flight"][
            "async client"]["cpu_us_per_send"],
        "1 in flight: async / published (goal >= 1.5)": report["1_in_flight"]["async client"][
            "per_second"] / report["1_in_flight"]["published 13.0.0"]["per_second"],
        "local Notify: async / sync 50 threads, speed (goal >= 1.0)":
            report["local_notify_100ms_50_in_flight"]["async client"]["per_second"]
            / report["local_notify_100ms_50_in_flight"]["sync, 50 threads"]["per_second"],
        "local Notify: async / sync 50 threads, CPU a send (goal < 1.0)":
            report["local_notify_100ms_50_in_flight"]["async client"]["cpu_us_per_send"]
            / report["local_notify_100ms_50_in_flight"]["sync, 50 threads"]["cpu_us_per_send"],
    }  # fmt: skip
    report["ratios"] = ratios
    print(f"server: {server_name}; {rounds} round(s); medians")
    for scenario in ("20_in_flight", "1_in_flight", "local_notify_100ms_50_in_flight"):
        for name, figures in report[scenario].items():
            print(f"{scenario:34} {name:20} {figures['per_second']:9,.0f}/s "
                  f"{figures['cpu_us_per_send']:7,.0f} us CPU a send")  # fmt: skip
    for name, value in ratios.items():
        print(f"{name}: {value:.2f}")
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
