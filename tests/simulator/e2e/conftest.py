"""Fixtures of the end-to-end tests: real clients of the module's simulator, one per key.

The simulator itself (``running_simulator``, and ``sim`` reset before each test) comes from
``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_support import ClientFactory

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator


@pytest.fixture(scope="module")
def clients(running_simulator: NotifySimulator) -> Iterator[ClientFactory]:
    """``clients(key_type, service_id=None)``: a real client per key, kept for the module."""
    made: dict[tuple[str, str | None], NotificationsAPIClient] = {}

    def make(key_type: str = "test", service_id: str | None = None) -> NotificationsAPIClient:
        if (key_type, service_id) not in made:
            key = running_simulator.api_key(key_type, service_id)  # type: ignore[arg-type]
            made[key_type, service_id] = NotificationsAPIClient(key, base_url=running_simulator.url)
        return made[key_type, service_id]

    yield make
    for notify in made.values():
        notify.request_session.close()


@pytest.fixture
def live_client(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    """The built-in live service's ``normal`` (live) key."""
    return clients("normal")


@pytest.fixture
def team_client(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    """The built-in live service's ``team`` key."""
    return clients("team")


@pytest.fixture
def test_key_client(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    """The built-in live service's ``test`` key."""
    return clients("test")
