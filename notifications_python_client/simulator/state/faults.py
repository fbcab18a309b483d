"""The faults being injected: which request gets which, from seeded random numbers, counted.

Behaviour of the settings: ``domain.faults``. The web layer asks ``plan()`` once per v2 request
and carries the plan out; the limiter asks ``take_rate_limit_burst()`` once per send. Counts let
a test check what was injected.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass

from notifications_python_client.simulator.domain.faults import FaultSettings

__all__ = ["FaultInjector", "FaultPlan"]

PASS, ERROR, DROP_BEFORE, DROP_AFTER, STALL = "pass", "error", "drop_before", "drop_after", "stall"
COUNT_NAMES = {
    ERROR: "errors",
    DROP_BEFORE: "dropped_before_processing",
    DROP_AFTER: "dropped_after_processing",
    STALL: "stalled",
}


@dataclass(frozen=True)
class FaultPlan:
    """What to do to one request: wait ``delay_seconds``, then ``action`` (with ``status``)."""

    delay_seconds: float = 0.0
    action: str = PASS
    status: int | None = None


class FaultInjector:
    """The current settings, their random numbers and what has been injected; thread-safe."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(settings or FaultSettings())

    def configure(self, settings: FaultSettings) -> None:
        """New settings; the random numbers start again from the seed and the counts from 0."""
        with self._lock:
            self._settings = settings
            self._random = random.Random(settings.seed)
            self._burst_left = settings.rate_limit_burst
            self._counts: Counter[str] = Counter()

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def counts(self) -> dict[str, int]:
        """How many requests were seen and how many of them got each fault."""
        with self._lock:
            return dict(self._counts)

    def plan(self) -> FaultPlan:
        """The faults for the next v2 request."""
        with self._lock:
            settings = self._settings
            self._counts["requests"] += 1
            if not settings.active:
                return FaultPlan()
            delay = settings.latency_ms / 1000
            if settings.latency_jitter_ms:
                delay += self._random.uniform(0, settings.latency_jitter_ms) / 1000
            if delay:
                self._counts["delayed"] += 1
            action, status = self._draw_action(settings)
            if action is not PASS:
                self._counts[COUNT_NAMES[action]] += 1
            if action is ERROR:
                self._counts[f"errors_{status}"] += 1
            if action is STALL:
                delay += settings.stall_seconds
            return FaultPlan(delay, action, status)

    def take_rate_limit_burst(self) -> bool:
        """Whether this send is one of the burst answered with the rate-limit error."""
        with self._lock:
            if self._burst_left <= 0:
                return False
            self._burst_left -= 1
            self._counts["rate_limited"] += 1
            return True

    def _draw_action(self, settings: FaultSettings) -> tuple[str, int | None]:
        draw = self._random.random()
        for action, rate in (
            (ERROR, settings.error_rate),
            (DROP_BEFORE, settings.drop_before_rate),
            (DROP_AFTER, settings.drop_after_rate),
            (STALL, settings.stall_rate),
        ):
            if draw < rate:
                status = self._random.choice(settings.error_statuses) if action is ERROR else None
                return action, status
            draw -= rate
        return PASS, None
