"""Records in this process's memory: dictionaries, and indexes that keep each question's cost
to its answer (a page costs a page, expiry stops at the first notification still in date)."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import heapq
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from notifications_python_client.simulator.domain.models import (
    KeyType,
    Notification,
    ReceivedText,
)
from notifications_python_client.simulator.state.callbacks import KEPT_ATTEMPTS, CallbackAttempt
from notifications_python_client.simulator.state.documents import Document
from notifications_python_client.simulator.state.indexes import CreationIndex, DueQueue
from notifications_python_client.simulator.state.lifecycle import Transition

__all__ = ["MemoryRecords"]


def _created_at(item: Notification | ReceivedText) -> dt.datetime:
    return item.created_at


class MemoryRecords:
    """The ``Records`` of a simulator that keeps nothing after it stops."""

    def __init__(self, *, kept_attempts: int = KEPT_ATTEMPTS) -> None:
        """:param kept_attempts: how many of the latest callback attempts are kept."""
        self._notifications: dict[str, Notification] = {}
        self._pending: dict[str, list[Transition]] = {}
        self._due = DueQueue()
        self._by_key: dict[tuple[str, KeyType], CreationIndex] = {}
        self._received_texts: dict[str, list[ReceivedText]] = {}
        self._settings: dict[str, str] = {}
        self._service_states: dict[str, dict[str, Any]] = {}
        self._documents: dict[str, Document] = {}
        self._callback_attempts: deque[CallbackAttempt] = deque(maxlen=kept_attempts)

    def add_notification(self, notification: Notification, pending: Sequence[Transition]) -> None:
        self._notifications[notification.id] = notification
        key = (notification.service_id, notification.key_type)
        self._by_key.setdefault(key, CreationIndex()).add(notification.created_at, notification.id)
        self._plan(notification.id, pending)

    def notification(self, notification_id: str) -> Notification | None:
        return self._notifications.get(notification_id)

    def save_notification(self, notification: Notification, pending: Sequence[Transition]) -> None:
        # The notification is the very object kept: only the plan needs keeping.
        self._pending.pop(notification.id, None)
        self._plan(notification.id, pending)

    def pending(self, notification_id: str) -> list[Transition]:
        return list(self._pending.get(notification_id, ()))

    def due(self, now: dt.datetime) -> list[str]:
        # A notification is in the queue once per planned change still to come; one deleted
        # or re-planned since is skipped.
        due: dict[str, None] = {}  # in order, each once
        for notification_id in self._due.pop_due(now):
            pending = self._pending.get(notification_id)
            if pending and pending[0].due_at <= now:
                due[notification_id] = None
        return list(due)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Nothing to group: every change is made at once."""
        yield

    def _plan(self, notification_id: str, pending: Sequence[Transition]) -> None:
        if pending:
            self._pending[notification_id] = list(pending)
            self._due.push(pending[0].due_at, notification_id)

    def newest_first(
        self,
        service_id: str | None = None,
        key_type: KeyType | None = None,
        created_before: dt.datetime | None = None,
    ) -> Iterator[Notification]:
        if service_id is not None and key_type is not None:
            index = self._by_key.get((service_id, key_type))
            ids: Iterator[str] = index.newest_first(created_before) if index else iter(())
        else:
            walks = [
                ((self._notifications[i].created_at, i) for i in index.newest_first(created_before))
                for index in self._by_key.values()
            ]
            ids = (entry[1] for entry in heapq.merge(*walks, reverse=True))
        for notification_id in ids:
            yield self._notifications[notification_id]

    def oldest_first(self) -> Iterator[Notification]:
        return iter(sorted(self._notifications.values(), key=_created_at))

    def oldest_notification(self) -> Notification | None:
        oldest = min(
            (entry for index in self._by_key.values() if (entry := index.oldest()) is not None),
            default=None,
        )
        return None if oldest is None else self._notifications[oldest[1]]

    def notification_count(self) -> int:
        return len(self._notifications)

    def delete_notification(self, notification: Notification) -> None:
        del self._notifications[notification.id]
        self._pending.pop(notification.id, None)
        index = self._by_key.get((notification.service_id, notification.key_type))
        if index is not None:
            index.discard(notification.created_at, notification.id)

    def delete_created_before(self, cutoffs: Mapping[str, dt.datetime]) -> None:
        for (service_id, _), index in self._by_key.items():
            cutoff = cutoffs.get(service_id)
            if cutoff is None:
                continue
            for notification_id in index.remove_created_before(cutoff):
                del self._notifications[notification_id]
                self._pending.pop(notification_id, None)
        for service_id, texts in self._received_texts.items():
            cutoff = cutoffs.get(service_id)
            expired = bisect.bisect_left(texts, cutoff, key=_created_at) if cutoff else 0
            if expired:
                del texts[:expired]

    def add_received_text(self, text: ReceivedText) -> None:
        bisect.insort(self._received_texts.setdefault(text.service_id, []), text,
                      key=_created_at)  # fmt: skip

    def received_texts(self, service_id: str | None = None) -> list[ReceivedText]:
        if service_id is not None:
            return list(reversed(self._received_texts.get(service_id, [])))
        texts = [text for texts in self._received_texts.values() for text in texts]
        return sorted(texts, key=_created_at, reverse=True)

    def add_document(self, document: Document) -> None:
        self._documents[document.id] = document

    def document(self, document_id: str) -> Document | None:
        return self._documents.get(document_id)

    def documents_for(self, notification_id: str) -> list[Document]:
        return [d for d in self._documents.values() if d.notification_id == notification_id]

    def forget_documents(self, notification_id: str) -> None:
        for document in self.documents_for(notification_id):
            del self._documents[document.id]

    def add_callback_attempt(self, attempt: CallbackAttempt) -> None:
        self._callback_attempts.append(attempt)

    def callback_attempts(self, subject_id: str | None = None) -> list[CallbackAttempt]:
        if subject_id is None:
            return list(self._callback_attempts)
        return [a for a in self._callback_attempts if a.payload.get("id") == subject_id]

    def save_service_state(self, service_id: str, state: Mapping[str, Any]) -> None:
        self._service_states[service_id] = dict(state)

    def service_states(self) -> dict[str, dict[str, Any]]:
        return {service_id: dict(state) for service_id, state in self._service_states.items()}

    def save_setting(self, name: str, value: str) -> None:
        self._settings[name] = value

    def setting(self, name: str) -> str | None:
        return self._settings.get(name)

    def clear(self) -> None:
        self._notifications.clear()
        self._pending.clear()
        self._due.clear()
        self._by_key.clear()
        self._received_texts.clear()
        self._settings.clear()
        self._service_states.clear()
        self._documents.clear()
        self._callback_attempts.clear()

    def close(self) -> None:
        """Nothing to let go of."""
