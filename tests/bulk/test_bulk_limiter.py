"""The client-side bucket: Notify's burst, then its rate in pulses, slower after a 429."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from notifications_python_client.bulk import SendRateLimiter
from notifications_python_client.bulk.limiter import notify_burst


@dataclass
class Clock:
    """A monotonic clock that moves only when told or when slept on."""

    now: float = 100.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def limiter(clock: Clock, **options: float) -> SendRateLimiter:
    return SendRateLimiter(clock=clock, sleep=clock.sleep, **options)


@pytest.mark.parametrize(("rate", "burst"), [(3000, 999), (60, 20), (1, 1), (100_000, 999)])
def test_notifys_burst_is_a_third_of_the_minute_plus_one_at_most_a_thousand_less_one(
    rate: int, burst: int
) -> None:
    assert notify_burst(rate) == burst


def test_a_full_bucket_sends_its_burst_without_waiting() -> None:
    clock = Clock()
    bucket = limiter(clock, headroom=1.0, pulse_seconds=0)

    waits = [bucket.acquire() for _ in range(999)]

    assert waits == [0.0] * 999
    assert clock.sleeps == []


def test_after_the_burst_sends_wait_for_the_refill() -> None:
    clock = Clock()
    bucket = limiter(clock, headroom=1.0, pulse_seconds=0)
    for _ in range(999):
        bucket.acquire()

    waits = [bucket.acquire() for _ in range(3)]

    # Each send takes its token at once and sleeps until it is paid: 1/50 s apart.
    assert waits == pytest.approx([0.02, 0.02, 0.02])


def test_the_headroom_keeps_under_the_burst_and_the_rate() -> None:
    bucket = limiter(Clock(), headroom=0.9)

    assert bucket.capacity == 899
    assert bucket.rate_per_second == pytest.approx(45.0)


def test_waiting_sends_leave_together_at_the_next_pulse() -> None:
    clock = Clock()
    bucket = limiter(clock, rate_per_minute=600, headroom=1.0, pulse_seconds=0.5)
    for _ in range(bucket.capacity):
        bucket.acquire()
    started = clock.now

    # Ten a second: the five due within the first half-second all go at its end.
    due = []
    for _ in range(6):
        clock.now = started  # six workers asking at the same moment
        due.append(round(bucket.acquire(), 3))

    assert due[:5] == [0.5] * 5
    assert due[5] == 1.0


def test_a_429_slows_the_rate_once_per_moment_and_empties_the_bucket() -> None:
    clock = Clock()
    bucket = limiter(clock, headroom=1.0, pulse_seconds=0)

    bucket.slow_down()
    bucket.slow_down()  # another send in flight met the same empty bucket

    assert bucket.rate_per_second == pytest.approx(45.0)
    assert bucket.acquire() == pytest.approx(1 / 45)


def test_the_rate_never_drops_below_half_the_limit() -> None:
    clock = Clock()
    bucket = limiter(clock, headroom=1.0)
    for _ in range(20):
        bucket.slow_down()
        clock.now += 2

    assert bucket.rate_per_second == pytest.approx(25.0)


def test_after_a_quiet_spell_the_rate_climbs_back_to_the_full_rate() -> None:
    clock = Clock()
    bucket = limiter(clock, headroom=1.0, pulse_seconds=0)
    bucket.slow_down()

    clock.now += 5 + 2  # two quiet seconds past the hold: two hundredths of the limit back
    bucket.acquire()
    assert bucket.rate_per_second == pytest.approx(46.0)

    clock.now += 600
    bucket.acquire()
    assert bucket.rate_per_second == pytest.approx(50.0)


def test_a_fast_burst_counts_the_refill_notify_loses() -> None:
    clock = Clock()
    bucket = limiter(clock, headroom=1.0, pulse_seconds=0)
    for _ in range(100):  # 100 sends a second: Notify keeps 1 - 50 / 200 of its refill
        clock.now += 0.01
        bucket.acquire()

    assert bucket._tokens == pytest.approx(999 - 100 + 0.99 * 50 * 0.75, abs=1.5)


@pytest.mark.parametrize(
    "options", [{"rate_per_minute": 0}, {"rate_per_minute": float("inf")},
                {"headroom": 0}, {"headroom": 1.5}, {"pulse_seconds": -1}],
)  # fmt: skip
def test_settings_out_of_range_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        SendRateLimiter(**options)
