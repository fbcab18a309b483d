"""Running `notify` in-process for tests: captured streams, a fake clock, the test API key."""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt

from notifications_python_client.cli.entry import run

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
KEY = f"cli_key-{SERVICE_ID}-{SECRET}"
API = "https://api.notify.test"
ENVIRON = {"NOTIFY_API_KEY": KEY, "NOTIFY_API_URL": API}
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
CLEAR = "\r\033[K"
NO_FIT = "these arguments do not fit any of the usage lines below"
NOT_JSON = "No JSON response object could be decoded"
CHECK_URL = "check --base-url / NOTIFY_API_URL and your network"


class Terminal(io.StringIO):
    """A stderr that a person is watching."""

    def isatty(self) -> bool:
        return True


@dataclass
class Ran:
    """One run of the command line: exit status and what it wrote."""

    code: int
    raw_out: bytes
    err: str

    @property
    def out(self) -> str:
        return self.raw_out.decode("utf-8")

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class FakeClock:
    """A monotonic clock that only moves when the command sleeps."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def notify(
    *argv: str,
    environ: dict[str, str] | None = None,
    terminal: bool = False,
    clock: FakeClock | None = None,
    stdin: bytes | None = None,
) -> Ran:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    stderr = Terminal() if terminal else io.StringIO()
    clock = clock or FakeClock()
    code = run(
        list(argv),
        environ=ENVIRON if environ is None else environ,
        stdout=stdout,
        stderr=stderr,
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        stdin=None if stdin is None else io.BytesIO(stdin),
    )
    stdout.flush()
    return Ran(code, raw.getvalue(), stderr.getvalue())


def assert_signed(request: Any) -> None:
    """The request carries a fresh token for this service, signed with the secret."""
    scheme, token = request.headers["Authorization"].split(" ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert scheme == "Bearer"
    assert claims["iss"] == SERVICE_ID
    assert abs(claims["iat"] - time.time()) < 5


def assert_key_hidden(result: Ran) -> None:
    assert SECRET not in result.out + result.err
    assert KEY not in result.out + result.err
