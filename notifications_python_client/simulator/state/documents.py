"""Files sent by email, kept for their download pages until their retention period ends.

Behaviour: Sending files by email. A document is found by its id and the key in its link; it is
gone once ``retention_weeks`` have passed on the simulator's clock. Whoever downloads it must
give the recipient's email address first, unless the sender turned that off.
"""

from __future__ import annotations

import datetime as dt
import hmac
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notifications_python_client.recipients.email_address import normalise_email_address
from notifications_python_client.simulator.checks.files import UploadedDocument

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.records import Records

__all__ = ["Document", "DocumentStore"]


@dataclass(frozen=True)
class Document:
    """One file sent by email, to one recipient."""

    uploaded: UploadedDocument
    service_id: str
    notification_id: str
    recipient: str
    created_at: dt.datetime

    @property
    def id(self) -> str:
        return self.uploaded.document_id

    @property
    def available_until(self) -> dt.datetime:
        return self.created_at + dt.timedelta(weeks=self.uploaded.retention_weeks)

    def is_available(self, now: dt.datetime) -> bool:
        return now < self.available_until

    def is_for(self, email_address: str) -> bool:
        """Whether ``email_address`` is the recipient's (as Notify compares addresses)."""
        return normalise_email_address(email_address.strip()) == normalise_email_address(
            self.recipient
        )


class DocumentStore:
    """The documents of every service, by id, kept by the store's records under its lock (so
    a store file keeps them too)."""

    def __init__(self, records: Records, lock: threading.RLock) -> None:
        self._records = records
        self._lock = lock

    def add(self, document: Document) -> None:
        with self._lock:
            self._records.add_document(document)

    def find(self, document_id: str, key: str) -> Document | None:
        """The document with this id whose link has this key, or None."""
        with self._lock:
            document = self._records.document(document_id)
        if document is None or not hmac.compare_digest(document.uploaded.key, key):
            return None
        return document

    def for_notification(self, notification_id: str) -> list[Document]:
        with self._lock:
            return self._records.documents_for(notification_id)

    def forget_notification(self, notification_id: str) -> None:
        """Forget the files sent with a notification that is deleted."""
        with self._lock:
            self._records.forget_documents(notification_id)
