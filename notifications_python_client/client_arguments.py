"""Checks of what a client is built with, so a mistake fails at construction with a clear line
rather than deep inside requests, urllib3 or PyJWT at the first call.

No message ever holds the API key, nor any part of it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

from urllib3.util import Timeout as Urllib3Timeout

from notifications_python_client.errors import InvalidApiKeyError

__all__ = [
    "BASE_URL_VARIABLE",
    "DEFAULT_BASE_URL",
    "check_api_key_text",
    "check_api_key_type",
    "check_timeout",
    "chosen_base_url",
]

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
# Where a client not given a base URL looks for one: the variable the `notify` command line
# reads and `notify simulator --env` exports, so code that builds its own client can be pointed
# at a local Notify by configuration alone.
BASE_URL_VARIABLE = "NOTIFY_API_URL"

TIMEOUT_SHAPE = "a number of seconds, a (connect, read) pair of them, or None"


def check_api_key_type(api_key: object) -> None:
    """:raises TypeError: ``api_key`` is not text (the type is named, never the value)."""
    if not isinstance(api_key, str):
        raise TypeError(
            f"the API key must be text (str), not {type(api_key).__name__}: "
            "pass it as Notify shows it, {key_name}-{service_id}-{secret}"
        )


def check_api_key_text(*parts: str) -> None:
    """:raises InvalidApiKeyError: a part of the key cannot be sent, because it is not text that
    UTF-8 can encode (lone surrogates: bytes that were not UTF-8, read with surrogateescape)."""
    for part in parts:
        try:
            part.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidApiKeyError(
                "the API key holds bytes that are not UTF-8 text (was it read from a file or an "
                "environment variable in another encoding?): paste it again as Notify shows it"
            ) from None


def chosen_base_url(base_url: str, environ: Mapping[str, str] | None = None) -> str:
    """``base_url``, unless it is the published default (the argument's default, so "not
    given") and ``NOTIFY_API_URL`` is set: then that variable's value."""
    if base_url != DEFAULT_BASE_URL:
        return base_url
    from_environment = (os.environ if environ is None else environ).get(BASE_URL_VARIABLE, "")
    return from_environment.strip() or base_url


def check_timeout(timeout: Any) -> None:
    """Accept what requests accepts: seconds above 0, a ``(connect, read)`` pair of them (either
    may be None), None, or a ``urllib3`` ``Timeout``.

    :raises TypeError: not one of those shapes.
    :raises ValueError: a number of seconds that is 0 or less, or not a number (NaN).
    """
    if timeout is None or isinstance(timeout, Urllib3Timeout):
        return
    if isinstance(timeout, tuple):
        if len(timeout) != 2:
            raise TypeError(f"timeout must be {TIMEOUT_SHAPE}, not a tuple of {len(timeout)}")
        for name, part in zip(("connect", "read"), timeout, strict=True):
            if part is not None:
                _check_seconds(part, f"the {name} timeout")
        return
    _check_seconds(timeout, "timeout")


def _check_seconds(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be {TIMEOUT_SHAPE}, not {type(value).__name__}")
    if math.isnan(value) or value <= 0:
        raise ValueError(f"{name} must be more than 0 seconds, not {value}")
