"""The published client's way to send a file: a plain loop, one send after another.

    python bulk_published_loop.py URL API_KEY TEMPLATE_ID FILE

Run by bulk_compare.py under the published 13.0.0's interpreter. Prints one JSON line: sends,
seconds and failures. This is the loop a service writes today without send-batch.
"""

from __future__ import annotations

import csv
import json
import sys
import time


def main(url: str, api_key: str, template_id: str, path: str) -> int:
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(api_key, base_url=url)
    sends = failures = 0
    started = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as file:
        for number, row in enumerate(csv.DictReader(file), start=2):
            try:
                client.send_sms_notification(
                    row["phone number"], template_id, {"name": row["name"]}, f"loop-row-{number}"
                )
                sends += 1
            except HTTPError:
                failures += 1
    seconds = time.perf_counter() - started
    print(json.dumps({"sends": sends, "failures": failures, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
