"""Checks of what a client is built with, so a mistake fails at construction with a clear line
rather than deep inside requests, urllib3 or PyJWT at the first call.

No message ever holds the API key, nor any part of it.
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from urllib3.util import Timeout as Urllib3Timeout

from notifications_python_client.errors import (
    ApiKeyFormatWarning,
    InvalidApiKeyError,
    MissingArgumentError,
)
from notifications_python_client.retry import RetryPolicy
from notifications_python_client.utils import looks_like_uuid

__all__ = [
    "BASE_URL_VARIABLE",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT_SECONDS",
    "ClientSettings",
    "check_api_key_text",
    "check_api_key_type",
    "check_timeout",
    "chosen_base_url",
    "client_settings",
]

logger = logging.getLogger("notifications_python_client.base")

DEFAULT_TIMEOUT_SECONDS = 30
# Where the parts sit in "{key_name}-{service_id}-{secret}": counted from the end, because the
# key name may itself contain hyphens.
SERVICE_ID_SLICE = slice(-73, -37)
SECRET_SLICE = slice(-36, None)
# From the warning's own function up to the code that built the client: client_settings, the
# client's __init__, the caller.
WARNING_STACK_LEVEL = 4
Timeout = Any

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
# Where a client not given a base URL looks for one: the variable the `notify` command line
# reads and `notify simulator --env` exports, so code that builds its own client can be pointed
# at a local Notify by configuration alone.
BASE_URL_VARIABLE = "NOTIFY_API_URL"

TIMEOUT_SHAPE = "a number of seconds, a (connect, read) pair of them, or None"


@dataclass(frozen=True)
class ClientSettings:
    """What a client is built with, checked: both clients read their arguments here."""

    service_id: str
    secret: str
    base_url: str
    timeout: Timeout
    retry_policy: RetryPolicy | None


def client_settings(
    api_key: str, base_url: str, timeout: Timeout, retry: int | RetryPolicy | None
) -> ClientSettings:
    """The settings of a client built with these arguments.

    :raises MissingArgumentError: (an AssertionError, raised even under ``python -O``) the base
        URL, the service ID or the secret is empty.
    :raises InvalidApiKeyError: (a ValueError) the key holds bytes that are not UTF-8 text.
    :raises TypeError: the key is not text; ``retry`` is not a count or a policy; ``timeout``
        is not seconds, a pair of them or None.
    :raises ValueError: ``retry`` is negative; ``timeout`` is 0 seconds or less.
    """
    if api_key is None:
        raise MissingArgumentError("Missing API key")
    check_api_key_type(api_key)
    service_id = api_key[SERVICE_ID_SLICE]
    secret = api_key[SECRET_SLICE]
    if not base_url:
        raise MissingArgumentError("Missing base url")
    if not service_id:
        raise MissingArgumentError("Missing service ID")
    if not secret:
        raise MissingArgumentError("Missing API key")
    check_api_key_text(service_id, secret)
    check_timeout(timeout)
    _warn_unless_uuid(service_id, "service ID (the 36 characters in the middle)")
    _warn_unless_uuid(secret, "secret (the last 36 characters)")
    chosen = chosen_base_url(base_url)
    if chosen != base_url:
        logger.debug("Notify API base URL %s (from %s)", chosen, BASE_URL_VARIABLE)
    return ClientSettings(service_id, secret, chosen, timeout, RetryPolicy.from_argument(retry))


def _warn_unless_uuid(part: str, description: str) -> None:
    """Warn, without showing the value, that a part of the API key is not a UUID."""
    if not looks_like_uuid(part):
        warnings.warn(
            f"The API key's {description} is not a UUID. Check that you pasted the whole key, "
            "in the form {key_name}-{service_id}-{secret}, as shown by GOV.UK Notify.",
            ApiKeyFormatWarning,
            stacklevel=WARNING_STACK_LEVEL,
        )


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
