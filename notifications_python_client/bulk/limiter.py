"""A client-side token bucket that mirrors Notify's per-minute limit, so a run reaches the limit
without tripping it.

Notify keeps one bucket per service and key type (behaviour: Limits): it holds
``min(ceil(limit / 3) + 1, 1000)`` tokens, refills at ``limit / 60`` a second, and refuses a send
that leaves less than one token: with the default 3,000 a minute, a burst of 999, then 50 a
second. This bucket does the same with a little headroom, because Notify's clock is not ours.
Sends that find it empty wait their turn in order: each takes its tokens at once, going into
debt, and sleeps until the debt would be paid.

Once the bucket is empty, sends are let go in pulses (a fifth of a second's worth together)
rather than evenly spaced. Notify adds whole tokens only, and starts counting again from the
request that earned them, so the fraction of a token due at that moment is lost: requests that
arrive evenly spaced, with a few milliseconds of jitter, lose up to half of Notify's refill and
trip the limit at well under its rate. Requests that arrive in pulses lose less than a token a
pulse.

While the bucket holds tokens and sends go faster than Notify refills it (the burst), the same
loss is counted: a request that earns a token overshoots the moment it was due by up to one
gap between requests, so Notify keeps ``1 - rate / (2 * send rate)`` of its refill.

A 429 anyway (another process using the same key, or jitter the headroom did not cover) calls
``slow_down``: the rate drops by a tenth (once for the several sends in flight that meet the
same empty bucket), down to half, and the bucket is taken as empty. After a quiet spell the rate
climbs back, a hundredth of the limit a second.
"""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable

__all__ = ["DEFAULT_RATE_PER_MINUTE", "SendRateLimiter", "notify_burst"]

DEFAULT_RATE_PER_MINUTE = 3000
RATE_WINDOW_SECONDS = 60
MAX_BUCKET_TOKENS = 1000
# The share of Notify's rate and burst this bucket uses: a run at the limit with jitter in
# the round trip still stays under it (measured in benchmarks/batch.py).
HEADROOM = 0.95
# Sends waiting for tokens leave together at these intervals (see the module's docstring).
PULSE_SECONDS = 0.3
# How many recent sends measure the send rate during a burst.
RATE_SAMPLE_SENDS = 50
# After a 429, the rate is multiplied by this, but never below MIN_RATE_SHARE of the limit.
SLOW_DOWN_FACTOR = 0.9
MIN_RATE_SHARE = 0.5
# 429s within this long of a slow-down are taken as the same one.
SLOW_DOWN_HOLD_SECONDS = 1.0
# How long without a 429 before the rate climbs back, and how fast (a share of the limit a
# second).
RECOVER_AFTER_SECONDS = 5.0
RECOVER_SHARE_PER_SECOND = 0.01


def notify_burst(rate_per_minute: float) -> int:
    """How many sends Notify takes at once from a full bucket at this per-minute limit."""
    capacity = min(math.ceil(rate_per_minute / 3) + 1, MAX_BUCKET_TOKENS)
    return max(capacity - 1, 1)


class SendRateLimiter:
    """Spaces sends so that they stay under a per-minute limit; shared by worker threads.

    :param rate_per_minute: the key's limit (Notify's default 3,000).
    :param headroom: the share of the rate and of the burst to use.
    :param pulse_seconds: how far apart waiting sends are let go together.
    :param clock: a monotonic clock in seconds; :param sleep: waits (both injectable).
    """

    def __init__(
        self,
        rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
        *,
        headroom: float = HEADROOM,
        pulse_seconds: float = PULSE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 < rate_per_minute < math.inf:
            raise ValueError("the rate must be a number of sends a minute, more than 0")
        if not 0 < headroom <= 1:
            raise ValueError("headroom must be more than 0 and at most 1")
        limit_per_second = rate_per_minute / RATE_WINDOW_SECONDS
        self.rate_per_second = self.max_rate_per_second = limit_per_second * headroom
        self.min_rate_per_second = limit_per_second * MIN_RATE_SHARE
        self._recover_per_second = limit_per_second * RECOVER_SHARE_PER_SECOND
        self._slowed_at: float | None = None
        self.capacity = max(math.floor(notify_burst(rate_per_minute) * headroom), 1)
        if not 0 <= pulse_seconds < math.inf:
            raise ValueError("pulse_seconds must be 0 or more")
        self.pulse_seconds = pulse_seconds
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(self.capacity)
        self._updated_at = self._started_at = clock()
        self._limit_per_second = limit_per_second
        self._recent: collections.deque[float] = collections.deque(maxlen=RATE_SAMPLE_SENDS)

    def acquire(self, cost: int = 1) -> float:
        """Take ``cost`` tokens, first waiting until they are there; the seconds waited."""
        with self._lock:
            now = self._clock()
            self._recover(now)
            self._recent.append(now)
            earned = (now - self._updated_at) * self.rate_per_second
            if self._tokens > 0:
                earned *= self._refill_share_in_burst()
            self._tokens = min(self._tokens + earned, float(self.capacity)) - cost
            self._updated_at = now
            wait = self._until_pulse(now, -self._tokens / self.rate_per_second)
        if wait > 0:
            self._sleep(wait)
        return wait

    def slow_down(self) -> None:
        """Notify refused a send for the rate: send more slowly, starting from no tokens."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self._tokens, 0.0)
            if self._slowed_at is not None and now - self._slowed_at < SLOW_DOWN_HOLD_SECONDS:
                return
            self._slowed_at = now
            self.rate_per_second = max(
                self.rate_per_second * SLOW_DOWN_FACTOR, self.min_rate_per_second
            )

    def _recover(self, now: float) -> None:
        """Climb back towards the full rate once no 429 has come for a while."""
        if self._slowed_at is None:
            return
        quiet_seconds = now - self._slowed_at - RECOVER_AFTER_SECONDS
        if quiet_seconds <= 0:
            return
        self.rate_per_second = min(
            self.rate_per_second + quiet_seconds * self._recover_per_second,
            self.max_rate_per_second,
        )
        self._slowed_at = now - RECOVER_AFTER_SECONDS

    def _refill_share_in_burst(self) -> float:
        """The share of its refill Notify keeps while sends arrive at the recent rate."""
        if len(self._recent) < 2:
            return 1.0
        span = self._recent[-1] - self._recent[0]
        if span <= 0:
            return 1.0
        send_rate = (len(self._recent) - 1) / span
        if send_rate <= self._limit_per_second:
            return 1.0
        return 1 - self._limit_per_second / (2 * send_rate)

    def _until_pulse(self, now: float, due_in: float) -> float:
        """The wait until the first pulse at or after ``due_in`` seconds from ``now``."""
        if due_in <= 0:
            return 0.0
        if self.pulse_seconds == 0:
            return due_in
        due_at = now + due_in - self._started_at
        pulse_at = math.ceil(due_at / self.pulse_seconds) * self.pulse_seconds
        return pulse_at - (now - self._started_at)
