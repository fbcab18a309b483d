"""The log lines of a request, the same from both clients, on the ``base`` module's logger.

The URL and Notify's message only, or the path, status and time: never a header (the token
lives there) and never a query string (it may hold a reference or a recipient).
"""

from __future__ import annotations

import logging
import time
import urllib.parse

from notifications_python_client.errors import APIError

__all__ = ["log_answer", "log_failure"]

logger = logging.getLogger("notifications_python_client.base")


def log_failure(method: str, url: str, error: APIError) -> None:
    """A warning that a request failed, with its status and Notify's message."""
    logger.warning(
        "API %s request on %s failed with %s '%s'", method, url, error.status_code, error.message
    )


def log_answer(method: str, url: str, status: int, started: float) -> None:
    """At DEBUG, a request that was answered: method, path, status, milliseconds since
    ``started`` (a ``time.perf_counter()`` reading)."""
    if logger.isEnabledFor(logging.DEBUG):
        milliseconds = (time.perf_counter() - started) * 1000
        path = urllib.parse.urlsplit(url).path
        logger.debug("%s %s %s in %.0f ms", method, path, status, milliseconds)
