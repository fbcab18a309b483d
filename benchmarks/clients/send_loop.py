"""Serial sends against a server, timed; run by compare.py under each client's interpreter.

    python send_loop.py client|raw URL SENDS

``client`` uses whichever ``notifications_python_client`` this interpreter has (this project's
or the published 13.0.0); ``raw`` is the floor: ``http.client`` and PyJWT, nothing else. Prints
one JSON line: sends, seconds and sends per second.
"""

from __future__ import annotations

import http.client
import json
import sys
import time
import urllib.parse

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"bench_key-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
WARM_UP_SENDS = 200


def client_sends(url: str) -> object:
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(API_KEY, base_url=url)
    return lambda: client.send_sms_notification("07700900123", TEMPLATE_ID, {"name": "Amala"})


def raw_sends(url: str) -> object:
    import jwt

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    body = json.dumps(
        {
            "phone_number": "07700900123",
            "template_id": TEMPLATE_ID,
            "personalisation": {"name": "Amala"},
        }
    )

    def send() -> object:
        token = jwt.encode({"iss": SERVICE_ID, "iat": int(time.time())}, SECRET, algorithm="HS256")
        headers = {"Content-type": "application/json", "Authorization": f"Bearer {token}"}
        connection.request("POST", "/v2/notifications/sms", body, headers)
        response = connection.getresponse()
        return json.loads(response.read())

    return send


def main(kind: str, url: str, sends: int) -> None:
    send = client_sends(url) if kind == "client" else raw_sends(url)
    for _ in range(WARM_UP_SENDS):
        send()  # type: ignore[operator]
    started = time.perf_counter()
    for _ in range(sends):
        send()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(json.dumps({"sends": sends, "seconds": seconds, "per_second": sends / seconds}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
