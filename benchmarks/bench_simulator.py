"""The simulator as the benchmarks use it: started without rate limits, and driven in-process.

Notify's per-minute rate limit (a bucket of 1,000 requests, then 50 a second with the default
3,000 a minute) would turn the send benchmarks into a measure of the limiter, so the benchmarks
load the built-in data with the limit raised out of reach. ``WsgiSender`` posts to the
simulator's WSGI app directly, without sockets, to separate the simulator's own cost from HTTP's.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.simulator import NotifySimulator
from notifications_python_client.simulator.web.app import create_app

BANNER_PREFIX = "Notify simulator running at "
# Refills 166,666 tokens a second: no benchmark gets near it.
UNLIMITED_RATE_PER_MINUTE = 10_000_000
# Tokens are accepted for 30 s; renewing well before keeps a long run valid.
TOKEN_RENEW_SECONDS = 10.0


def unlimited_data() -> dict[str, Any]:
    """The built-in simulator data with every service's rate limit raised out of reach."""
    package = resources.files("notifications_python_client.simulator")
    data: dict[str, Any] = json.loads((package / "data" / "default_data.json").read_text("utf-8"))
    for service in data["services"]:
        service.setdefault("limits", {})["rate_limit_per_minute"] = UNLIMITED_RATE_PER_MINUTE
    return data


@contextmanager
def child_simulator(data_file: Path | None, *options: str) -> Iterator[str]:
    """Run the simulator module in a child process on a free port until the block ends; yields
    its URL. ``options`` are more of its command-line options (faults, threads)."""
    # --quiet: its line per request would fill the pipe, which is read only for the banner.
    command = [
        sys.executable,
        "-m",
        "notifications_python_client.simulator",
        "--port",
        "0",
        "--quiet",
    ]
    if data_file is not None:
        command += ["--data", str(data_file)]
    # Its stderr (waitress notes a busy moment as "Task queue depth") would only be noise.
    child = subprocess.Popen(
        [*command, *options], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        first_line = child.stdout.readline() if child.stdout is not None else ""
        if not first_line.startswith(BANNER_PREFIX):
            raise RuntimeError(f"the simulator did not start: {first_line!r}")
        yield first_line.removeprefix(BANNER_PREFIX).strip()
    finally:
        child.terminate()
        child.communicate(timeout=10)


def unlimited_simulator() -> NotifySimulator:
    """A simulator of the built-in data without rate limits; start it with ``with``."""
    return NotifySimulator(unlimited_data())


def split_key(combined_key: str) -> tuple[str, str]:
    """``(service_id, secret)`` from a combined API key, as the client splits it."""
    return combined_key[-73:-37], combined_key[-36:]


class WsgiSender:
    """Posts JSON to the simulator's WSGI app in this thread, as an HTTP server would."""

    def __init__(self, simulator: NotifySimulator, combined_key: str) -> None:
        self._app = create_app(simulator.store)
        self._service_id, self._secret = split_key(combined_key)
        self._token = ""
        self._token_made_at = -TOKEN_RENEW_SECONDS

    def post(self, path: str, payload: object) -> tuple[int, bytes]:
        """POST ``payload`` to ``path``; returns the status and body."""
        return self.request("POST", path, json.dumps(payload).encode())

    def get(self, path: str, query: str = "") -> tuple[int, bytes]:
        """GET ``path`` with ``query``; returns the status and body."""
        return self.request("GET", path, b"", query)

    def request(self, method: str, path: str, body: bytes, query: str = "") -> tuple[int, bytes]:
        """One signed request through the app, as an HTTP server would hand it over."""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Bearer {self._current_token()}",
            "wsgi.input": io.BytesIO(body),
        }
        setup_testing_defaults(environ)
        statuses: list[str] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            statuses.append(status)
            return None

        result: Iterable[bytes] = self._app(environ, start_response)
        content = b"".join(result)
        return int(statuses[0].split(" ", 1)[0]), content

    def _current_token(self) -> str:
        now = time.monotonic()
        if now - self._token_made_at >= TOKEN_RENEW_SECONDS:
            self._token = create_jwt_token(self._secret, self._service_id)
            self._token_made_at = now
        return self._token


def fill_notifications(simulator: NotifySimulator, count: int) -> None:
    """Reset the simulator, then store ``count`` test-key text messages through its app."""
    simulator.reset()
    env = simulator.env()
    sender = WsgiSender(simulator, simulator.api_key("test"))
    payload = sms_payload(env)
    for _ in range(count):
        status, body = sender.post("/v2/notifications/sms", payload)
        if status != 201:
            raise RuntimeError(f"the simulator refused a send: {status} {body[:200]!r}")


def sms_payload(env: dict[str, str]) -> dict[str, Any]:
    """A valid text message request for the simulator's default SMS template."""
    return {
        "phone_number": env["FUNCTIONAL_TEST_NUMBER"],
        "template_id": env["SMS_TEMPLATE_ID"],
        "personalisation": {"name": "Amala"},
    }
