"""Shared fixtures for the client's tests: a client with a known key, a frozen clock, payloads;
and for every test that needs a running simulator: one per module, reset before each test.

A module that needs special services overrides ``simulator_data`` (module scope) with its data
dict; ``simulator_timings`` likewise replaces the timings of every service. Only
``no_notify_environment`` is autouse: a shell that exported ``NOTIFY_API_URL`` (as
``eval "$(notify simulator --env)"`` does) must not redirect the tests' clients.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jwt
import pytest
from freezegun import freeze_time

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

DATA_DIR = Path(__file__).parent / "data"

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "ab4a9f4c-5bc5-4c85-a2e8-4e2a6c1d8e5f"
API_KEY = f"my_test_key-{SERVICE_ID}-{SECRET}"
BASE_URL = "https://notify.test"

FROZEN_TIME = "2024-05-17T15:58:38Z"
FROZEN_EPOCH_SECONDS = 1715961518

USER_AGENT_PATTERN = re.compile(r"NOTIFY-API-PYTHON-CLIENT/\d+\.\d+\.\d+")


@pytest.fixture(autouse=True)
def no_notify_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without the variables that configure clients and the CLI."""
    for name in ("NOTIFY_API_URL", "NOTIFY_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def service_id() -> str:
    """The service ID inside ``api_key``."""
    return SERVICE_ID


@pytest.fixture
def secret() -> str:
    """The secret inside ``api_key``: the HMAC key of every token the client signs."""
    return SECRET


@pytest.fixture
def api_key() -> str:
    """A well-formed combined key: ``{key_name}-{service_id}-{secret}``."""
    return API_KEY


@pytest.fixture
def base_url() -> str:
    """Where the test client sends; requests-mock answers for it."""
    return BASE_URL


@pytest.fixture
def client() -> Iterator[NotificationsAPIClient]:
    """A client for ``base_url`` with ``api_key``."""
    notify = NotificationsAPIClient(API_KEY, base_url=BASE_URL)
    yield notify
    notify.request_session.close()


@pytest.fixture
def frozen_now() -> Iterator[int]:
    """Freeze the clock at ``FROZEN_TIME``; the value is that instant in epoch seconds."""
    with freeze_time(FROZEN_TIME):
        yield FROZEN_EPOCH_SECONDS


@pytest.fixture
def payload() -> Callable[[str], Any]:
    """Load a canned JSON payload from ``tests/data`` by file name."""

    def load(name: str) -> Any:
        return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))

    return load


@pytest.fixture
def raw_payload() -> Callable[[str], bytes]:
    """Load a canned non-JSON body (HTML, text) from ``tests/data`` by file name."""

    def load(name: str) -> bytes:
        return (DATA_DIR / name).read_bytes()

    return load


def query_of(url: str) -> dict[str, list[str]]:
    """The query of a URL, case kept (requests-mock's ``qs`` lowercases values)."""
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)


@pytest.fixture
def assert_signed_headers() -> Callable[[Any, int], None]:
    """Check a sent request's three Notify headers, and that its token is fresh and valid.

    Call it with the recorded request and the frozen epoch seconds.
    """

    def check(request: Any, now: int) -> None:
        assert request.headers["Content-type"] == "application/json"
        assert USER_AGENT_PATTERN.fullmatch(request.headers["User-agent"])
        scheme, _, token = request.headers["Authorization"].partition(" ")
        assert scheme == "Bearer"
        assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "HS256"}
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        assert claims == {"iss": SERVICE_ID, "iat": now}

    return check


@pytest.fixture
def query() -> Callable[[str], dict[str, list[str]]]:
    """``query_of`` as a fixture, for test modules."""
    return query_of


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any] | None:
    """The data the module's simulator loads; ``None`` is the built-in data."""
    return None


@pytest.fixture(scope="module")
def simulator_timings() -> Mapping[str, float] | None:
    """Timings for every service of the module's simulator; ``None`` keeps the data's."""
    return None


@pytest.fixture(scope="module")
def running_simulator(
    simulator_data: Mapping[str, Any] | None, simulator_timings: Mapping[str, float] | None
) -> Iterator[NotifySimulator]:
    """A simulator on a free loopback port for the whole module."""
    with NotifySimulator(data=simulator_data, timings=simulator_timings) as simulator:
        yield simulator


@pytest.fixture
def sim(running_simulator: NotifySimulator) -> NotifySimulator:
    """The module's simulator reset to its data: no notifications, real time, full buckets."""
    running_simulator.reset()
    return running_simulator
