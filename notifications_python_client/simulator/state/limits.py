"""Notify's send limits (behaviour: Limits): a rate-limit token bucket per service and key type, and
per-service daily counters for each notification type.

Neither class locks: the store calls them while holding its own lock.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from notifications_python_client.simulator.domain import errors
from notifications_python_client.simulator.domain.models import KeyType, Service

RATE_LIMIT_WINDOW_SECONDS = 60
MAX_BUCKET_TOKENS = 1000
# The rate-limit message names key types as Notify's documentation does, not as its database.
KEY_TYPE_LABELS: dict[KeyType, str] = {"normal": "LIVE", "team": "TEAM", "test": "TEST"}
DAILY_LIMIT_NAMES = ("email", "sms", "letter", "international_sms")


def bucket_capacity(rate_limit_per_minute: int) -> int:
    """Tokens in a full bucket: a third of the per-minute limit plus one, at most 1000."""
    return min(math.ceil(rate_limit_per_minute / 3) + 1, MAX_BUCKET_TOKENS)


@dataclass
class TokenBucket:
    """Tokens for one service and key type; refilled in whole tokens only."""

    capacity: int
    refill_per_second: float
    tokens: int
    refilled_at_seconds: float

    @classmethod
    def full(cls, rate_limit_per_minute: int, now_seconds: float) -> TokenBucket:
        capacity = bucket_capacity(rate_limit_per_minute)
        refill = rate_limit_per_minute / RATE_LIMIT_WINDOW_SECONDS
        return cls(capacity, refill, capacity, now_seconds)

    def take(self, now_seconds: float) -> bool:
        """Remove one token (never below 0); ``False`` when fewer than one is left after that.

        The refill time only moves when at least one whole token was added, so slow trickles of
        requests still earn their tokens.
        """
        earned = math.floor((now_seconds - self.refilled_at_seconds) * self.refill_per_second)
        if earned > 0:
            self.tokens = min(self.tokens + earned, self.capacity)
            self.refilled_at_seconds = now_seconds
        self.tokens = max(self.tokens - 1, 0)
        return self.tokens >= 1


def rate_limit_exceeded(service: Service, key_type: KeyType) -> errors.NotifyApiError:
    """Notify's per-minute rate-limit error for this service and key type."""
    message = (
        f"Exceeded rate limit for key type {KEY_TYPE_LABELS[key_type]} of "
        f"{service.limits.rate_limit_per_minute} requests per {RATE_LIMIT_WINDOW_SECONDS} seconds"
    )
    return errors.too_many_requests("RateLimitError", message)


class RateLimiter:
    """One token bucket per service and key type, shared by SMS, email and letter requests."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, KeyType], TokenBucket] = {}

    def check(self, service: Service, key_type: KeyType, now_seconds: float) -> None:
        """Charge one request; the token is spent even when the request is refused.

        :raises errors.NotifyApiError: 429 ``RateLimitError`` when the bucket is empty.
        """
        rate = service.limits.rate_limit_per_minute
        key = (service.id, key_type)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket.full(rate, now_seconds)
        if not bucket.take(now_seconds):
            raise rate_limit_exceeded(service, key_type)

    def reset(self) -> None:
        """Every bucket full again."""
        self._buckets.clear()


class DailyCounters:
    """Notifications sent today (UTC) per service and limit name; counts vanish at midnight."""

    def __init__(self) -> None:
        self._day: dt.date | None = None
        self._counts: dict[tuple[str, str], int] = {}

    def _roll_over(self, today: dt.date) -> None:
        if today != self._day:
            self._day = today
            self._counts.clear()

    def count(self, service_id: str, name: str, today: dt.date) -> int:
        """How many ``name`` notifications the service has sent on ``today``."""
        self._roll_over(today)
        return self._counts.get((service_id, name), 0)

    def check(self, service: Service, name: str, today: dt.date) -> None:
        """Refuse when one more would pass the service's limit; unknown names are not limited.

        :raises errors.NotifyApiError: 429 ``TooManyRequestsError``.
        """
        limit = service.limits.daily.get(name)
        if limit is None:
            return
        if self.count(service.id, name, today) + 1 > limit:
            message = f"Exceeded send limits ({name}: {limit}) for today"
            raise errors.too_many_requests("TooManyRequestsError", message)

    def increment(self, service_id: str, name: str, today: dt.date) -> None:
        """Count one more ``name`` notification for the service today."""
        self._roll_over(today)
        key = (service_id, name)
        self._counts[key] = self._counts.get(key, 0) + 1

    def reset(self) -> None:
        """Nothing sent by anyone."""
        self._day = None
        self._counts.clear()
