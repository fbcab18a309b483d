"""Where a service's callbacks go: the rules for a callback URL and its bearer token.

Shared by the data file, ``NotifySimulator.set_callback``, the admin API and the command line,
so each refuses the same things with the same words. Notify itself takes only ``https`` URLs;
the simulator also takes ``http``, since a service under test listens on plain loopback.
"""

from __future__ import annotations

import urllib.parse

from notifications_python_client.simulator.domain.models import CallbackConfig

__all__ = ["CALLBACK_KINDS", "MIN_BEARER_TOKEN_CHARACTERS", "callback_config"]

CALLBACK_KINDS = ("delivery_status", "received_text")
# Notify's own minimum; the token goes in a header, so it must be printable ASCII.
MIN_BEARER_TOKEN_CHARACTERS = 10
MAX_BEARER_TOKEN_CHARACTERS = 1000
MAX_URL_CHARACTERS = 2000
URL_SCHEMES = ("http", "https")


def callback_config(url: object, bearer_token: object) -> CallbackConfig:
    """The callback settings, checked.

    :raises ValueError: naming what is wrong with the URL or the token (never the token).
    """
    return CallbackConfig(_url(url), _bearer_token(bearer_token))


def _url(url: object) -> str:
    if not isinstance(url, str) or not url:
        raise ValueError(
            "url must be an http or https URL, such as http://127.0.0.1:8000/callbacks"
        )
    if len(url) > MAX_URL_CHARACTERS or any(c.isspace() or not c.isprintable() for c in url):
        raise ValueError(
            f"url must be at most {MAX_URL_CHARACTERS} printable characters without spaces"
        )
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        raise ValueError("url is not a valid URL") from None
    if parts.scheme not in URL_SCHEMES or not parts.hostname:
        raise ValueError(
            "url must be an http or https URL with a host, such as http://127.0.0.1:8000/callbacks"
        )
    return url


def _bearer_token(token: object) -> str:
    if not isinstance(token, str):
        raise ValueError("bearer_token must be text")
    if not MIN_BEARER_TOKEN_CHARACTERS <= len(token) <= MAX_BEARER_TOKEN_CHARACTERS:
        raise ValueError(
            f"bearer_token must be {MIN_BEARER_TOKEN_CHARACTERS} to "
            f"{MAX_BEARER_TOKEN_CHARACTERS} characters long, as Notify requires"
        )
    if not all(33 <= ord(character) <= 126 for character in token):
        raise ValueError("bearer_token must be printable ASCII without spaces")
    return token
