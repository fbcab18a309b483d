"""The retry policy applied to one call, with no I/O: what to do after each attempt.

A driver (``retry.call_with_retries`` for the sync client, ``aio.retry`` for the async one)
runs the loop: it asks ``must_look_up`` before an attempt, makes the attempt or the look-up
itself, and on a failure asks ``delay_after`` how long to wait, which raises the error to give
to the caller when retrying cannot help or the policy is spent. The driver alone sleeps.
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING

from notifications_python_client.errors import APIError, MaybeSentError

if TYPE_CHECKING:
    from notifications_python_client.retry import RetryPolicy

__all__ = ["Action", "RetryLoop", "Timeout", "action_for"]

logger = logging.getLogger("notifications_python_client.retry")

Timeout = float | tuple[float, float] | None


class Action(enum.Enum):
    """What to do after a failed attempt."""

    RETRY = "retry"
    RESOLVE = "look up before sending again"
    RAISE = "raise"


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


class RetryLoop:
    """One call's progress under a policy: when it started, its retries, and whether a send's
    outcome must be looked up before the next attempt."""

    def __init__(
        self, policy: RetryPolicy, *, describe: str, is_send: bool, can_look_up: bool
    ) -> None:
        self.policy = policy
        self.describe = describe
        self.is_send = is_send
        self.can_look_up = can_look_up
        self.started = policy.clock()
        self.retries = 0
        self._unresolved: APIError | None = None

    @property
    def must_look_up(self) -> bool:
        """Whether the next step is looking the send up, rather than sending it."""
        return self._unresolved is not None and self.can_look_up

    def found_nothing(self) -> None:
        """The look-up found no such send: it did not go, so the next attempt sends it."""
        self._unresolved = None

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

    def delay_after(self, error: APIError) -> float:
        """How long to wait before the next step, after ``error`` (from an attempt, or from a
        look-up when one was due).

        :raises APIError: the error to give to the caller: retrying cannot help, or the policy
            is spent (a send whose outcome stays unknown says so in a note).
        """
        if self._unresolved is not None:
            # The look-up failed: the send's outcome is still unknown.
            action, error = Action.RESOLVE, _with_look_up_failure(self._unresolved, error)
        else:
            action = action_for(error, is_send=self.is_send)
        if action is Action.RAISE:
            raise error
        if action is Action.RESOLVE and not self.can_look_up:
            raise _unresolved(error)
        delay = self._next_delay(error)
        if delay is None:
            raise _unresolved(error) if action is Action.RESOLVE else error
        if action is Action.RESOLVE:
            self._unresolved = error
        return delay

    def _next_delay(self, error: APIError) -> float | None:
        """The wait before the next retry, counted and logged; None when out of retries or time."""
        if self.retries >= self.policy.max_retries:
            return None
        delay = self.policy.delay_seconds(self.retries, error.retry_after_seconds)
        left = self.time_left()
        if left is not None and delay >= left:
            return None
        self.retries += 1
        logger.warning(
            "Retrying %s after %s %s (retry %d of %d) in %.2f s",
            self.describe,
            error.status_code,
            type(error).__name__,
            self.retries,
            self.policy.max_retries,
            delay,
        )
        if self.policy.on_retry is not None:
            self.policy.on_retry(error, delay)
        return delay


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
