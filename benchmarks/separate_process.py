"""Client round trips against a simulator in a child process, at 1, 2 and 4 threads.

``run.py`` keeps the simulator in its own process, as the pytest fixture does, so client and
server share one interpreter lock. This script starts ``python -m
notifications_python_client.simulator`` instead, to show how much of the flat thread scaling in
``run.py`` is that shared lock. Not part of ``make bench``; run it by hand:

    .venv/bin/python benchmarks/separate_process.py [--calls 600]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_report import format_table, print_progress
from bench_simulator import child_simulator, sms_payload, unlimited_data, unlimited_simulator
from bench_timing import Measurement, Operation, time_threads

from notifications_python_client import NotificationsAPIClient

THREAD_COUNTS = (1, 2, 4)


def main(argv: Sequence[str] | None = None) -> int:
    """Time get_template and send_sms at 1, 2 and 4 threads against a child-process simulator."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=600, help="calls per benchmark, all threads")
    arguments = parser.parse_args(argv)
    # Not started: it only supplies the data's keys and IDs, which the child shares.
    offline = unlimited_simulator()
    api_key, env = offline.api_key("test"), offline.env()
    payload = sms_payload(env)
    clients: list[NotificationsAPIClient] = []

    def factory(url: str, send: bool) -> Callable[[], Operation]:
        def make() -> Operation:
            client = NotificationsAPIClient(api_key, base_url=url)
            clients.append(client)
            if send:
                return lambda: client.send_sms_notification(
                    payload["phone_number"], payload["template_id"], payload["personalisation"]
                )
            return lambda: client.get_template(env["SMS_TEMPLATE_ID"])

        return make

    measurements: list[Measurement] = []
    with tempfile.TemporaryDirectory() as folder:
        data_file = Path(folder) / "unlimited.json"
        data_file.write_text(json.dumps(unlimited_data()), encoding="utf-8")
        with child_simulator(data_file) as url:
            for send, label in ((False, "get_template"), (True, "send_sms")):
                for threads in THREAD_COUNTS:
                    name = f"child_process.{label}.{threads}_threads"
                    print_progress(f"running {name} ...")
                    measurements.append(
                        time_threads(
                            name, label, factory(url, send), threads, arguments.calls // threads
                        )
                    )
    for client in clients:
        client.request_session.close()
    print(format_table(measurements, {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
