"""Sending one request through an aiohttp ``ClientSession`` and handing back the answer whole.

aiohttp reads a body with a coroutine, so the body is read here, before anything judges it; the
answer is returned as a ``requests.Response`` (``sansio.wire.response_from``), the type the
published errors hold, so both clients raise the very same errors with the same messages.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Mapping
from typing import Any

import aiohttp
import requests
from urllib3.util import Timeout as Urllib3Timeout

from notifications_python_client.aio.failures import failure_kind
from notifications_python_client.errors import HTTP503Error, failure_error
from notifications_python_client.sansio import wire

__all__ = ["AiohttpSender", "client_timeout"]


@functools.lru_cache(maxsize=64)
def client_timeout(timeout: Any) -> aiohttp.ClientTimeout:
    """requests' timeout as aiohttp's: seconds for connecting and for each read, a
    ``(connect, read)`` pair, a urllib3 ``Timeout``, or None for none (made once a value)."""
    if timeout is None:
        return aiohttp.ClientTimeout(total=None)
    if isinstance(timeout, Urllib3Timeout):
        connect, read = timeout.connect_timeout, timeout.read_timeout
        return aiohttp.ClientTimeout(
            total=None,
            sock_connect=connect if isinstance(connect, int | float) else None,
            sock_read=read if isinstance(read, int | float) else None,
        )
    if isinstance(timeout, tuple):
        connect, read = timeout
        return aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
    return aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout)


class AiohttpSender:
    """Sends requests through a session; the session is the caller's to close."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        data: str | None,
        params: Mapping[str, Any] | None,
        timeout: Any,
        reference: str | None = None,
        explain: bool = False,
    ) -> requests.Response:
        """The answer, whatever its status.

        :raises HTTP503Error: (``NotSentError`` or ``MaybeSentError``) no answer came.
        """
        try:
            async with self.session.request(
                method,
                url,
                headers=dict(headers),
                data=data.encode("utf-8") if data is not None else None,
                params=_query(params),
                timeout=client_timeout(timeout),
                allow_redirects=True,
            ) as answer:
                body = await answer.read()
                return wire.response_from(
                    answer.status, answer.headers, body, str(answer.url), answer.reason or ""
                )
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise _no_answer(error, reference, explain) from error


def _no_answer(error: BaseException, reference: str | None, explain: bool) -> HTTP503Error:
    return failure_error(failure_kind(error), reference=reference, explain=explain)


def _query(params: Mapping[str, Any] | None) -> list[tuple[str, str]] | None:
    """The query as requests would send it: booleans as ``True``/``False``, lists repeated."""
    if not params:
        return None
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None:
                pairs.append((name, str(item)))
    return pairs
