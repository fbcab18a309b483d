"""A clock that tests can move: real UTC time plus an offset.

Only the simulated world (statuses, PDFs, retention, callbacks) reads this clock; token checks use
real time, as the client signs tokens with real time.
"""

from __future__ import annotations

import datetime as dt
import threading


class Clock:
    """Current UTC time, shifted by however far tests have advanced it."""

    def __init__(self) -> None:
        self._offset = dt.timedelta()
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The simulated time, timezone-aware UTC (follows freezegun, as it reads real time)."""
        with self._lock:
            offset = self._offset
        return dt.datetime.now(dt.timezone.utc) + offset

    def advance(self, seconds: float) -> None:
        """Move the simulated time forward (or back, with a negative number)."""
        with self._lock:
            self._offset += dt.timedelta(seconds=seconds)

    @property
    def offset_seconds(self) -> float:
        """How far the simulated time is ahead of the real one."""
        with self._lock:
            return self._offset.total_seconds()

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset = dt.timedelta()
