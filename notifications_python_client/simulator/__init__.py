"""A local GOV.UK Notify: a simulator of the Notify v2 API for offline tests.

Start one in a test with ``NotifySimulator`` (or the pytest fixture ``notify_simulator``), or from
a shell with ``python -m notifications_python_client.simulator``::

    with NotifySimulator() as simulator:
        client = NotificationsAPIClient(simulator.api_key("test"), base_url=simulator.url)

What Notify does on the wire, and so what the simulator does, is written down rule by rule in
docs/simulator-behaviour.md; the code cites a rule by its heading, as in
``(behaviour: Test-key outcomes)``.

The names below are imported on first use: pytest loads this package's plugin in every run of
every project that installs it, and such runs should not pay for (or need the optional
dependencies of) a simulator they do not use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from notifications_python_client.extras import install_command

if TYPE_CHECKING:
    from notifications_python_client.simulator.data import DataFileError, load_data
    from notifications_python_client.simulator.domain.models import Timings
    from notifications_python_client.simulator.domain.sent_message import SentMessage
    from notifications_python_client.simulator.server import NotifySimulator, WaitTimeoutError
    from notifications_python_client.simulator.state.callbacks import CallbackAttempt
    from notifications_python_client.simulator.state.clock import Clock
    from notifications_python_client.simulator.state.store import Store, create_store

EXTRA_DEPENDENCIES = (
    "phonenumbers",
    "jsonschema",
    "werkzeug",
    "waitress",
    "holidays",
    "jinja2",
    "pypdfium2",
    "PIL",
)
DEFAULT_HOST = "127.0.0.1"


class SimulatorNotInstalledError(ImportError):
    """The simulator's optional dependencies (the ``simulator`` extra) are not installed."""


def require_simulator_extra() -> None:
    """Fail with an install hint, not a deep import error, when the extra is missing.

    :raises SimulatorNotInstalledError: naming the missing packages.
    """
    missing = []
    for name in EXTRA_DEPENDENCIES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise SimulatorNotInstalledError(
            f"The Notify simulator needs {', '.join(missing)}: {install_command('simulator')}"
        )


_HOMES = {
    "CallbackAttempt": "state.callbacks",
    "Clock": "state.clock",
    "DataFileError": "data",
    "NotifySimulator": "server",
    "SentMessage": "domain.sent_message",
    "Store": "state.store",
    "Timings": "domain.models",
    "WaitTimeoutError": "server",
    "create_store": "state.store",
    "load_data": "data",
}

__all__ = [
    "DEFAULT_HOST",
    "EXTRA_DEPENDENCIES",
    "CallbackAttempt",
    "Clock",
    "DataFileError",
    "NotifySimulator",
    "SentMessage",
    "SimulatorNotInstalledError",
    "Store",
    "Timings",
    "WaitTimeoutError",
    "create_store",
    "load_data",
    "require_simulator_extra",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    require_simulator_extra()
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
