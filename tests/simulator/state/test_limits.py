"""Rate-limit buckets and daily counters (behaviour: Limits), with time given explicitly."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications_python_client.simulator.domain.errors import NotifyApiError
from notifications_python_client.simulator.domain.models import Limits, Service
from notifications_python_client.simulator.state.limits import (
    DailyCounters,
    RateLimiter,
    TokenBucket,
    bucket_capacity,
)

START_SECONDS = 1_700_000_000.0
TODAY = dt.date(2024, 5, 17)


def make_service(rate_limit_per_minute: int = 3000, **daily: int) -> Service:
    limits = Limits(rate_limit_per_minute=rate_limit_per_minute)
    limits.daily.update(daily)
    return Service(id="26785a09-ab16-4eb0-8407-a37497a57506", name="Pigeons", limits=limits)


def accepted_requests(limiter: RateLimiter, service: Service, now: float, tries: int) -> int:
    """How many of ``tries`` requests at ``now`` pass before the first refusal."""
    for passed in range(tries):
        try:
            limiter.check(service, "normal", now)
        except NotifyApiError:
            return passed
    return tries


@pytest.mark.parametrize(
    ("rate_limit", "capacity"), [(3000, 1000), (6000, 1000), (60, 21), (10, 5), (3, 2)]
)
def test_bucket_capacity_is_a_third_of_the_rate_plus_one_at_most_1000(
    rate_limit: int, capacity: int
) -> None:
    assert bucket_capacity(rate_limit) == capacity


def test_default_rate_allows_a_burst_of_999_then_refuses() -> None:
    limiter, service = RateLimiter(), make_service()

    assert accepted_requests(limiter, service, START_SECONDS, 2000) == 999

    with pytest.raises(NotifyApiError) as refused:
        limiter.check(service, "normal", START_SECONDS)
    assert refused.value.status_code == 429
    assert refused.value.errors == [
        {
            "error": "RateLimitError",
            "message": "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
        }
    ]


def test_default_rate_refills_50_tokens_a_second() -> None:
    limiter, service = RateLimiter(), make_service()
    assert accepted_requests(limiter, service, START_SECONDS, 999) == 999

    # One token is left in the bucket, so a second later 50 more requests fit.
    assert accepted_requests(limiter, service, START_SECONDS + 1, 100) == 50
    # The refused request emptied the bucket: the next second lets only 49 through.
    assert accepted_requests(limiter, service, START_SECONDS + 2, 100) == 49


def test_tokens_come_whole_and_one_must_be_left_after_taking_one() -> None:
    bucket = TokenBucket(capacity=21, refill_per_second=1.0, tokens=0, refilled_at_seconds=0.0)

    assert bucket.take(0.6) is False
    # 1.2 s since the last whole-token refill: one token earned, spent at once, none left.
    assert bucket.take(1.2) is False
    assert (bucket.tokens, bucket.refilled_at_seconds) == (0, 1.2)
    assert bucket.take(3.2) is True
    assert bucket.tokens == 1


def test_each_key_type_and_service_has_its_own_bucket() -> None:
    limiter = RateLimiter()
    service = make_service(rate_limit_per_minute=3)
    other = make_service(rate_limit_per_minute=3)
    other.id = "0d2e9b84-4f0b-4be5-9a7f-d3e6e3f5b2a1"

    limiter.check(service, "normal", START_SECONDS)
    messages = []
    for key_type in ("normal", "team", "test"):
        with pytest.raises(NotifyApiError) as refused:
            for _ in range(3):
                limiter.check(service, key_type, START_SECONDS)
        messages.append(refused.value.errors[0]["message"])
    limiter.check(other, "normal", START_SECONDS)

    assert messages == [
        f"Exceeded rate limit for key type {label} of 3 requests per 60 seconds"
        for label in ("LIVE", "TEAM", "TEST")
    ]


def test_reset_fills_every_bucket() -> None:
    limiter, service = RateLimiter(), make_service(rate_limit_per_minute=3)
    with pytest.raises(NotifyApiError):
        for _ in range(3):
            limiter.check(service, "normal", START_SECONDS)

    limiter.reset()

    limiter.check(service, "normal", START_SECONDS)


def test_daily_limit_allows_exactly_the_limit() -> None:
    counters, service = DailyCounters(), make_service(sms=2)

    for _ in range(2):
        counters.check(service, "sms", TODAY)
        counters.increment(service.id, "sms", TODAY)

    with pytest.raises(NotifyApiError) as refused:
        counters.check(service, "sms", TODAY)
    assert refused.value.status_code == 429
    assert refused.value.errors == [
        {"error": "TooManyRequestsError", "message": "Exceeded send limits (sms: 2) for today"}
    ]


def test_daily_counts_are_per_type_and_per_service() -> None:
    counters, service = DailyCounters(), make_service(email=1, letter=1)
    counters.increment(service.id, "email", TODAY)
    counters.increment("another-service", "letter", TODAY)

    counters.check(service, "letter", TODAY)
    with pytest.raises(NotifyApiError, match=r"Exceeded send limits \(email: 1\) for today"):
        counters.check(service, "email", TODAY)
    assert counters.count(service.id, "email", TODAY) == 1
    assert counters.count(service.id, "letter", TODAY) == 0


def test_daily_counts_start_again_the_next_day() -> None:
    counters, service = DailyCounters(), make_service(international_sms=1)
    counters.increment(service.id, "international_sms", TODAY)

    tomorrow = TODAY + dt.timedelta(days=1)
    counters.check(service, "international_sms", tomorrow)

    assert counters.count(service.id, "international_sms", tomorrow) == 0


def test_a_zero_limit_refuses_the_first_one() -> None:
    counters = DailyCounters()
    with pytest.raises(NotifyApiError, match=r"Exceeded send limits \(sms: 0\) for today"):
        counters.check(make_service(sms=0), "sms", TODAY)


def test_types_without_a_limit_are_not_limited() -> None:
    counters = DailyCounters()
    counters.check(make_service(), "push", TODAY)
    assert counters.count("26785a09-ab16-4eb0-8407-a37497a57506", "push", TODAY) == 0
