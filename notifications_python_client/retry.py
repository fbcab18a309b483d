"""Retries that never send a message twice: an immutable policy, and the loop that applies it.

Opt in with ``NotificationsAPIClient(..., retry=5)`` (five retries with the defaults below) or
``retry=RetryPolicy(...)``. What is retried:

- a request that never left (``NotSentError``): any request;
- the per-minute rate limit (``RateLimitError``, and a 429 that names no limit): Notify refuses
  those before reading the request;
- a 5xx answer, or no answer (``MaybeSentError``), to a request that only reads (a GET, a
  template preview).

Never retried: the daily limit (``TooManyRequestsError``) and every other 4xx.

A send whose outcome is unknown (no answer after it was written, or a 5xx answer) is resolved,
never sent again blind: if it has a ``reference``, the notification is looked up by reference
with the same key; found, it is returned; not found, the send goes again. Without a reference
the "may have been sent" error is raised. So give every send its own reference.

Waits use exponential backoff with full jitter (a random time up to ``base_delay_seconds * 2**n``,
at most ``max_delay_seconds``), and at least what a ``Retry-After`` header asks. No attempt starts
after ``deadline_seconds`` from the first, and each attempt's timeouts are cut to the time left.
Every attempt signs a fresh token. Sleep, clock and randomness are injectable for tests.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from notifications_python_client.errors import APIError
from notifications_python_client.sansio.retry_loop import RetryLoop, Timeout

__all__ = ["DEFAULT_RETRIES", "RetryPolicy", "call_with_retries"]

DEFAULT_RETRIES = 5
# 2 ** 62 seconds is more than any cap; larger exponents would only overflow.
MAX_BACKOFF_EXPONENT = 62

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How many times, how long between and for how long a call is retried.

    :param max_retries: retries after the first attempt (0 means none).
    :param base_delay_seconds: the first backoff ceiling; it doubles with every retry.
    :param max_delay_seconds: the largest backoff ceiling.
    :param deadline_seconds: no attempt starts later than this after the first; None for no
        limit. Each attempt's timeouts are cut to the time left.
    :param sleep: waits between attempts (``time.sleep``).
    :param clock: a monotonic clock in seconds (``time.monotonic``).
    :param random: a number in [0, 1) for the jitter (``random.random``).
    :param on_retry: called with the error and the wait before each retry, before the wait
        (to count retries, or, as bulk sending does, to slow down after a 429).
    """

    max_retries: int = DEFAULT_RETRIES
    base_delay_seconds: float = 0.5
    max_delay_seconds: float = 30.0
    deadline_seconds: float | None = 120.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)
    on_retry: Callable[[APIError, float], None] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError("max_retries must be a whole number")
        if self.max_retries < 0:
            raise ValueError("max_retries must not be negative")
        for name in ("base_delay_seconds", "max_delay_seconds"):
            if not 0 <= getattr(self, name) < float("inf"):
                raise ValueError(f"{name} must be a number of seconds, 0 or more")
        if self.deadline_seconds is not None and not self.deadline_seconds > 0:
            raise ValueError("deadline_seconds must be more than 0, or None")

    @classmethod
    def from_argument(cls, retry: int | RetryPolicy | None) -> RetryPolicy | None:
        """The policy for a client's ``retry`` argument: None or 0 for none, a count, a policy.

        :raises TypeError: for anything else.
        :raises ValueError: for a negative count.
        """
        if retry is None or isinstance(retry, RetryPolicy):
            return retry
        if isinstance(retry, bool) or not isinstance(retry, int):
            raise TypeError(
                f"retry must be a number of retries or a RetryPolicy, not {type(retry).__name__}"
            )
        if retry < 0:
            raise ValueError("retry must not be negative")
        return cls(max_retries=retry) if retry else None

    def delay_seconds(self, retry_number: int, retry_after_seconds: float | None = None) -> float:
        """The wait before retry ``retry_number`` (0 for the first): full jitter under the
        doubling ceiling, and at least ``retry_after_seconds`` when the answer asked for it."""
        exponent = min(retry_number, MAX_BACKOFF_EXPONENT)
        ceiling = min(self.max_delay_seconds, self.base_delay_seconds * 2.0**exponent)
        delay = self.random() * ceiling
        if retry_after_seconds is not None:
            delay = max(delay, retry_after_seconds)
        return delay


def call_with_retries(
    policy: RetryPolicy,
    attempt: Callable[[Callable[[Timeout], Timeout]], T],
    *,
    describe: str,
    is_send: bool = False,
    look_up: Callable[[], T | None] | None = None,
) -> T:
    """Run ``attempt`` until it succeeds or the policy says stop, and return its result.

    The decisions are ``sansio.retry_loop.RetryLoop``'s; this driver makes the calls and sleeps.

    :param attempt: makes one request; it is given a function that cuts its timeouts to the
        time left, and raises an ``APIError`` when it fails.
    :param describe: ``"<METHOD> <path>"`` for log lines (never a query string or a header).
    :param is_send: whether the request sends a message (its outcome must be resolved).
    :param look_up: for a send with a reference, finds it (None when Notify has no record of
        it); without one, a send whose outcome is unknown is raised, not sent again.
    :raises APIError: the last failure once retrying cannot help or the policy is spent.
    """
    loop = RetryLoop(policy, describe=describe, is_send=is_send, can_look_up=look_up is not None)
    while True:
        try:
            if loop.must_look_up and look_up is not None:
                found = look_up()
                if found is not None:
                    return found
                loop.found_nothing()
            return attempt(loop.timeout)
        except APIError as error:
            policy.sleep(loop.delay_after(error))
