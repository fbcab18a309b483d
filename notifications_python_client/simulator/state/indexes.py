"""Indexes that keep the store's cost per request independent of how much it holds.

``CreationIndex``: one service and key type's notification ids in order of creation time, so a
page of the list walks only that page and expiry stops at the first notification still in date.
``DueQueue``: when each notification's next status change is due, so catching up looks only at
what is due.

Creation times are kept in order on insertion (the simulated clock can be moved back), with the
insertion order breaking ties so that, of two notifications created at the same moment, the
later one is listed first.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
from collections.abc import Iterator

__all__ = ["CreationIndex", "DueQueue"]


class CreationIndex:
    """Notification ids ordered by creation time (then by when they were added)."""

    def __init__(self) -> None:
        self._entries: list[tuple[dt.datetime, int, str]] = []
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, created_at: dt.datetime, notification_id: str) -> None:
        bisect.insort(self._entries, (created_at, next(self._order), notification_id))

    def newest_first(self, created_before: dt.datetime | None = None) -> Iterator[str]:
        """Ids from the newest, of notifications created strictly before ``created_before``."""
        end = len(self._entries)
        if created_before is not None:
            end = bisect.bisect_left(self._entries, (created_before,))
        for position in range(end - 1, -1, -1):
            yield self._entries[position][2]

    def oldest(self) -> tuple[dt.datetime, str] | None:
        """The creation time and id of the oldest notification, or None when empty."""
        return (self._entries[0][0], self._entries[0][2]) if self._entries else None

    def discard(self, created_at: dt.datetime, notification_id: str) -> None:
        """Forget one notification (found among those created at ``created_at``)."""
        position = bisect.bisect_left(self._entries, (created_at,))
        while position < len(self._entries) and self._entries[position][0] == created_at:
            if self._entries[position][2] == notification_id:
                del self._entries[position]
                return
            position += 1

    def remove_created_before(self, cutoff: dt.datetime) -> list[str]:
        """Drop and return the ids created before ``cutoff``; stops at the first that is not."""
        count = bisect.bisect_left(self._entries, (cutoff,))
        if not count:
            return []
        expired = [entry[2] for entry in self._entries[:count]]
        del self._entries[:count]
        return expired


class DueQueue:
    """Notification ids by when their next status change is due, earliest first."""

    def __init__(self) -> None:
        self._heap: list[tuple[dt.datetime, int, str]] = []
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, due_at: dt.datetime, notification_id: str) -> None:
        heapq.heappush(self._heap, (due_at, next(self._order), notification_id))

    def pop_due(self, now: dt.datetime) -> Iterator[str]:
        """Take the ids whose change is due at ``now``, earliest first."""
        while self._heap and self._heap[0][0] <= now:
            yield heapq.heappop(self._heap)[2]

    def clear(self) -> None:
        self._heap.clear()
