"""Keeping the latest status of each notification when receipts come twice or out of order.

Notify retries a callback whose answer it did not get, and statuses can cross on the way, so a
``delivered`` may arrive before the ``sending`` retry it replaced. The rule: a final status is
never replaced by one that is not final; otherwise the later ``completed_at`` wins (a receipt
without one is the oldest). ``is_newer`` is that rule, for a database's own update;
``LatestReceipts`` keeps it in memory.
"""

from __future__ import annotations

import datetime as dt
import threading

from notifications_python_client.callbacks.records import DeliveryReceipt

__all__ = ["LatestReceipts", "is_newer"]

OLDEST = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def is_newer(incoming: DeliveryReceipt, current: DeliveryReceipt | None) -> bool:
    """Whether ``incoming`` should replace ``current`` as the notification's status."""
    if current is None:
        return True
    if current.is_final != incoming.is_final:
        return incoming.is_final
    return (incoming.completed_at or OLDEST) > (current.completed_at or OLDEST)


class LatestReceipts:
    """The latest receipt of each notification, by id; safe to share between threads."""

    def __init__(self) -> None:
        self._latest: dict[str, DeliveryReceipt] = {}
        self._lock = threading.Lock()

    def record(self, receipt: DeliveryReceipt) -> bool:
        """Keep ``receipt`` if it is newer than what is kept; True when it was kept."""
        with self._lock:
            if not is_newer(receipt, self._latest.get(receipt.id)):
                return False
            self._latest[receipt.id] = receipt
            return True

    def get(self, notification_id: str) -> DeliveryReceipt | None:
        """The latest receipt of a notification, or None when none came."""
        with self._lock:
            return self._latest.get(notification_id)

    def __len__(self) -> int:
        with self._lock:
            return len(self._latest)
