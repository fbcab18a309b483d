"""The async driver of the retry loop: ``sansio.retry_loop`` decides, this awaits.

It waits with ``asyncio.sleep``, unless the policy was given a ``sleep`` of its own (a test's
stand-in), which is then called, and awaited if it returns an awaitable.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from notifications_python_client.errors import APIError
from notifications_python_client.retry import RetryPolicy
from notifications_python_client.sansio.retry_loop import RetryLoop, Timeout

__all__ = ["call_with_retries"]

T = TypeVar("T")


async def call_with_retries(
    policy: RetryPolicy,
    attempt: Callable[[Callable[[Timeout], Timeout]], Awaitable[T]],
    *,
    describe: str,
    is_send: bool = False,
    look_up: Callable[[], Awaitable[T | None]] | None = None,
) -> T:
    """As ``retry.call_with_retries``, with coroutines for the attempt and the look-up."""
    loop = RetryLoop(policy, describe=describe, is_send=is_send, can_look_up=look_up is not None)
    while True:
        try:
            if loop.must_look_up and look_up is not None:
                found = await look_up()
                if found is not None:
                    return found
                loop.found_nothing()
            return await attempt(loop.timeout)
        except APIError as error:
            delay = loop.delay_after(error)
        await _sleep(policy, delay)


async def _sleep(policy: RetryPolicy, seconds: float) -> None:
    if policy.sleep is time.sleep:
        await asyncio.sleep(seconds)
        return
    sleep: Callable[[float], object] = policy.sleep
    waited = sleep(seconds)
    if inspect.isawaitable(waited):
        await waited
