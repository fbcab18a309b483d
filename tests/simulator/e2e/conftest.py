"""Fixtures of the end-to-end tests: one running simulator per module, reset before each test.

A module that needs special services overrides ``simulator_data`` (module scope) with its data
dict; ``simulator_timings`` likewise replaces the timings of every service.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from e2e_support import ClientFactory

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator


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
