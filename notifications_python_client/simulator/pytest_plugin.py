"""A pytest plugin giving tests a running Notify simulator as the ``notify_simulator`` fixture.

Installed with the package (entry point ``pytest11``), so any project that installs it can write::

    def test_sends(notify_simulator):
        client = NotificationsAPIClient(notify_simulator.api_key("test"),
                                        base_url=notify_simulator.url)

For the test's duration ``NOTIFY_API_URL`` and ``NOTIFY_API_KEY`` (a test key) are set, so code
that builds its own ``NotificationsAPIClient(api_key)`` reaches the simulator unchanged.

One server is started per test session (starting sockets is the slow part) and reset before each
test, so every test sees the loaded data, no notifications and real time. The data file can be
chosen with the ``notify_simulator_data`` ini option or ``--notify-simulator-data``.

The simulator is imported inside the fixtures: pytest loads this module in every run, and a run
that never asks for the fixture should not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from notifications_python_client.simulator.server import NotifySimulator

DATA_OPTION = "notify_simulator_data"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Let a project point the fixture at its own data file."""
    help_text = "data file (JSON) for the notify_simulator fixture; default: the built-in data"
    parser.addini(DATA_OPTION, help=help_text, default=None)
    group = parser.getgroup("notify_simulator")
    group.addoption("--notify-simulator-data", dest=DATA_OPTION, default=None, help=help_text)


def _data_path(config: pytest.Config) -> str | None:
    """The command line wins over the ini file; relative ini paths are relative to it."""
    from_command_line: str | None = config.getoption(DATA_OPTION)
    if from_command_line:
        return from_command_line
    from_ini = config.getini(DATA_OPTION)
    if not from_ini:
        return None
    return str(config.rootpath / str(from_ini))


@pytest.fixture(scope="session")
def notify_simulator_session(request: pytest.FixtureRequest) -> Iterator[NotifySimulator]:
    """One running simulator for the whole session; use ``notify_simulator`` in tests.

    :raises SimulatorNotInstalledError: the ``simulator`` extra is missing (with its install
        line, which pytest shows as the test's error).
    """
    from notifications_python_client.simulator import require_simulator_extra

    require_simulator_extra()
    from notifications_python_client.simulator.server import NotifySimulator

    simulator = NotifySimulator(_data_path(request.config))
    with simulator:
        yield simulator


@pytest.fixture
def notify_simulator(notify_simulator_session: NotifySimulator) -> Iterator[NotifySimulator]:
    """A running simulator, reset to its loaded data, no notifications and real time; the
    default of every client built without a ``base_url`` for the test's duration."""
    notify_simulator_session.reset()
    with notify_simulator_session.as_default():
        yield notify_simulator_session
