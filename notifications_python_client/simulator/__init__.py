"""A local GOV.UK Notify: a simulator of the Notify v2 API for offline tests.

Start one in a test with ``NotifySimulator`` (or the pytest fixture ``notify_simulator``), or from
a shell with ``python -m notifications_python_client.simulator``::

    with NotifySimulator() as simulator:
        client = NotificationsAPIClient(simulator.api_key("test"), base_url=simulator.url)
"""

from notifications_python_client.simulator.callbacks import CallbackAttempt
from notifications_python_client.simulator.clock import Clock
from notifications_python_client.simulator.data import DataFileError, load_data
from notifications_python_client.simulator.models import Timings
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.store import Store, create_store

__all__ = [
    "CallbackAttempt",
    "Clock",
    "DataFileError",
    "NotifySimulator",
    "Store",
    "Timings",
    "create_store",
    "load_data",
]
