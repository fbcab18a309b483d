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

import enum
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from notifications_python_client.errors import APIError, MaybeSentError

__all__ = ["DEFAULT_RETRIES", "RetryPolicy", "call_with_retries"]

logger = logging.getLogger(__name__)

DEFAULT_RETRIES = 5
# 2 ** 62 seconds is more than any cap; larger exponents would only overflow.
MAX_BACKOFF_EXPONENT = 62

T = TypeVar("T")
Timeout = float | tuple[float, float] | None


class Action(enum.Enum):
    """What to do after a failed attempt."""

    RETRY = "retry"
    RESOLVE = "look up before sending again"
    RAISE = "raise"


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


def action_for(error: APIError, *, is_send: bool) -> Action:
    """Whether a failed attempt is retried, resolved by a look-up first, or raised.

    The error classes say it: ``retryable`` (a request that never left, the per-minute limit,
    a 5xx or lost answer) and ``may_have_been_sent`` (which makes a send unsafe to repeat
    blind).
    """
    if not error.retryable:
        return Action.RAISE
    if error.may_have_been_sent and is_send:
        return Action.RESOLVE
    return Action.RETRY


@dataclass
class _Call:
    """One call's progress: when it started and how many retries it has had."""

    policy: RetryPolicy
    started: float
    retries: int = 0

    def time_left(self) -> float | None:
        if self.policy.deadline_seconds is None:
            return None
        return self.policy.deadline_seconds - (self.policy.clock() - self.started)

    def timeout(self, configured: Timeout) -> Timeout:
        """The configured timeouts, cut to the time left before the deadline."""
        left = self.time_left()
        if left is None:
            return configured
        left = max(left, 0.001)
        if configured is None:
            return left
        if isinstance(configured, tuple):
            return (min(configured[0], left), min(configured[1], left))
        return min(configured, left)

    def wait_before_retrying(self, error: APIError, describe: str) -> bool:
        """Sleep before the next attempt; False when out of retries or of time."""
        if self.retries >= self.policy.max_retries:
            return False
        delay = self.policy.delay_seconds(self.retries, error.retry_after_seconds)
        left = self.time_left()
        if left is not None and delay >= left:
            return False
        self.retries += 1
        logger.warning(
            "Retrying %s after %s %s (retry %d of %d) in %.2f s",
            describe,
            error.status_code,
            type(error).__name__,
            self.retries,
            self.policy.max_retries,
            delay,
        )
        if self.policy.on_retry is not None:
            self.policy.on_retry(error, delay)
        self.policy.sleep(delay)
        return True


def call_with_retries(
    policy: RetryPolicy,
    attempt: Callable[[Callable[[Timeout], Timeout]], T],
    *,
    describe: str,
    is_send: bool = False,
    look_up: Callable[[], T | None] | None = None,
) -> T:
    """Run ``attempt`` until it succeeds or the policy says stop, and return its result.

    :param attempt: makes one request; it is given a function that cuts its timeouts to the
        time left, and raises an ``APIError`` when it fails.
    :param describe: ``"<METHOD> <path>"`` for log lines (never a query string or a header).
    :param is_send: whether the request sends a message (its outcome must be resolved).
    :param look_up: for a send with a reference, finds it (None when Notify has no record of
        it); without one, a send whose outcome is unknown is raised, not sent again.
    :raises APIError: the last failure once retrying cannot help or the policy is spent.
    """
    call = _Call(policy, policy.clock())
    unresolved: APIError | None = None
    while True:
        try:
            if unresolved is not None and look_up is not None:
                found = look_up()
                if found is not None:
                    return found
                unresolved = None
            return attempt(call.timeout)
        except APIError as error:
            if unresolved is not None:
                # The look-up failed: the send's outcome is still unknown.
                action, error = Action.RESOLVE, _with_look_up_failure(unresolved, error)
            else:
                action = action_for(error, is_send=is_send)
            if action is Action.RAISE:
                raise
            if action is Action.RESOLVE and look_up is None:
                raise _unresolved(error)  # noqa: B904 - the error itself, re-raised
            if not call.wait_before_retrying(error, describe):
                raise _unresolved(error) if action is Action.RESOLVE else error  # noqa: B904
            if action is Action.RESOLVE:
                unresolved = error


def _unresolved(error: APIError) -> APIError:
    """The error for a send whose outcome stays unknown: says so, in a note tracebacks show."""
    if not isinstance(error, MaybeSentError) and hasattr(error, "add_note"):
        error.add_note("Notify: the message may have been sent; look it up before sending again.")
    return error


def _with_look_up_failure(unresolved: APIError, look_up_error: APIError) -> APIError:
    """The unresolved send's error, noting why the look-up could not settle it."""
    if hasattr(unresolved, "add_note"):
        unresolved.add_note(
            f"Notify: looking the send up by its reference failed with {look_up_error}."
        )
    return unresolved
