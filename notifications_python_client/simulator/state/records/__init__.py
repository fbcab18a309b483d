"""Where the local Notify keeps what it was sent: one interface, two implementations.

- ``memory``: dictionaries and indexes in this process (the default: fast, gone at exit).
- ``sqlite``: a SQLite file (``--store FILE``), written before the API answers, so whatever
  was acknowledged survives a restart or a ``kill -9``, and memory stays flat however much is
  kept.

The ``Store`` above holds the rules (lifecycle, limits, retention) and the lock; a records
object only keeps and finds. Both implementations pass one contract suite
(``tests/simulator/state/test_records_contract.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from notifications_python_client.simulator.domain.models import (
    KeyType,
    Notification,
    ReceivedText,
)
from notifications_python_client.simulator.state.callbacks import CallbackAttempt
from notifications_python_client.simulator.state.documents import Document
from notifications_python_client.simulator.state.lifecycle import Transition

__all__ = ["Records"]


class Records(Protocol):
    """What the store keeps: notifications with their planned status changes, received texts,
    files sent by email, callbacks made, the services' changes made at run time, and a few
    settings. Called with the store's lock held; never shared between stores."""

    def add_notification(self, notification: Notification, pending: Sequence[Transition]) -> None:
        """Keep a new notification and the status changes planned for it."""

    def notification(self, notification_id: str) -> Notification | None:
        """The notification with this id (lower case), or None; change it, then save it."""

    def save_notification(self, notification: Notification, pending: Sequence[Transition]) -> None:
        """Keep a notification as it now is, and the status changes still planned for it."""

    def pending(self, notification_id: str) -> list[Transition]:
        """The status changes still planned for a notification."""

    def due(self, now: dt.datetime) -> list[str]:
        """The ids of the notifications whose next planned change is due at ``now``."""

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """Several changes made as one (one transaction, in a file)."""

    def newest_first(
        self,
        service_id: str | None = None,
        key_type: KeyType | None = None,
        created_before: dt.datetime | None = None,
    ) -> Iterator[Notification]:
        """Notifications from the newest (of one service and key type, when given; created
        strictly before ``created_before``, when given); of two made at the same moment, the
        later kept first. Consumed while the store's lock is held."""

    def oldest_first(self) -> Iterator[Notification]:
        """Every notification, from the oldest."""

    def oldest_notification(self) -> Notification | None:
        """The oldest notification of all, or None."""

    def notification_count(self) -> int:
        """How many notifications are kept."""

    def delete_notification(self, notification: Notification) -> None:
        """Forget a notification and what was planned for it."""

    def delete_created_before(self, cutoffs: Mapping[str, dt.datetime]) -> None:
        """Forget each service's notifications and received texts created before its cutoff."""

    def add_received_text(self, text: ReceivedText) -> None:
        """Keep a received text message."""

    def received_texts(self, service_id: str | None = None) -> list[ReceivedText]:
        """A service's received texts (every service's, when None), newest first."""

    def add_document(self, document: Document) -> None:
        """Keep a file sent by email, for its download page."""

    def document(self, document_id: str) -> Document | None:
        """The file with this id, or None."""

    def documents_for(self, notification_id: str) -> list[Document]:
        """The files sent with a notification."""

    def forget_documents(self, notification_id: str) -> None:
        """Forget the files sent with a notification."""

    def add_callback_attempt(self, attempt: CallbackAttempt) -> None:
        """Keep a callback POST made (or tried); past ``KEPT_ATTEMPTS``, the oldest goes."""

    def callback_attempts(self, subject_id: str | None = None) -> list[CallbackAttempt]:
        """The callbacks made about a notification or received text (all, when None), oldest
        first."""

    def save_service_state(self, service_id: str, state: Mapping[str, Any]) -> None:
        """Keep what changed in a service at run time (its templates, its callbacks)."""

    def service_states(self) -> dict[str, dict[str, Any]]:
        """What was kept by ``save_service_state``, by service id."""

    def save_setting(self, name: str, value: str) -> None:
        """Keep one of the simulator's settings (how far its clock was moved on)."""

    def setting(self, name: str) -> str | None:
        """A setting kept by ``save_setting``, or None."""

    def clear(self) -> None:
        """Forget everything (a reset)."""

    def close(self) -> None:
        """Let go of any file."""
