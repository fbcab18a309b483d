"""Checking that a callback comes from Notify: the bearer token set up with the callback URL.

Every token is compared in constant time, and all of them every time, so neither a token nor
which of several tokens matched can be learnt from how long a refusal takes. No error message
holds a token or what was sent in its place.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from notifications_python_client.callbacks.errors import CallbackAuthError

__all__ = ["MAX_AUTHORIZATION_CHARACTERS", "MIN_TOKEN_CHARACTERS", "check_tokens",
           "verify_bearer_token"]  # fmt: skip

BEARER_PREFIX = "Bearer "
# Notify's own minimum length of a callback bearer token.
MIN_TOKEN_CHARACTERS = 10
# Far more than any token Notify takes; a longer header is refused unread.
MAX_AUTHORIZATION_CHARACTERS = 4096


def check_tokens(tokens: str | Iterable[str]) -> tuple[bytes, ...]:
    """The tokens a receiver accepts, as bytes to compare: one, or several while rotating.

    :raises TypeError: ``tokens`` is not text or a collection of text.
    :raises ValueError: no token, or one shorter than Notify's minimum of 10 characters, or
        not ASCII (the token itself is never shown).
    """
    listed = [tokens] if isinstance(tokens, str) else list(tokens)
    if not listed:
        raise ValueError("give at least one bearer token")
    checked = []
    for position, token in enumerate(listed, start=1):
        if not isinstance(token, str):
            raise TypeError(f"bearer token {position} must be text, not {type(token).__name__}")
        if len(token) < MIN_TOKEN_CHARACTERS or not token.isascii() or token != token.strip():
            raise ValueError(
                f"bearer token {position} must be at least {MIN_TOKEN_CHARACTERS} ASCII "
                "characters without surrounding spaces, as Notify requires"
            )
        checked.append(token.encode("ascii"))
    return tuple(checked)


def verify_bearer_token(
    authorization_header: str | bytes | None, tokens: str | Iterable[str]
) -> None:
    """Accept exactly ``Bearer <token>`` for one of ``tokens``.

    :param authorization_header: the request's ``Authorization`` header, or None when absent.
    :param tokens: the service's bearer token, or several (while changing it, say).
    :raises CallbackAuthError: the header is missing, empty, of another scheme, too long, not
        ASCII, or its token is not one of ``tokens``. Its message never holds a token.
    :raises ValueError: ``tokens`` is empty or holds a token Notify would not accept.
    """
    accepted = check_tokens(tokens)
    given = _token_given(authorization_header)
    matched = False
    for token in accepted:
        matched |= hmac.compare_digest(given, token)
    if not matched:
        raise CallbackAuthError("the bearer token is not one of this service's callback tokens")


def _token_given(header: str | bytes | None) -> bytes:
    if header is None or not header:
        raise CallbackAuthError("the request has no Authorization header")
    if len(header) > MAX_AUTHORIZATION_CHARACTERS:
        raise CallbackAuthError("the Authorization header is too long to hold a bearer token")
    if isinstance(header, bytes):
        try:
            header = header.decode("ascii")
        except UnicodeDecodeError:
            raise CallbackAuthError("the Authorization header is not ASCII text") from None
    if not isinstance(header, str) or not header.isascii():
        raise CallbackAuthError("the Authorization header is not ASCII text")
    if not header.startswith(BEARER_PREFIX):
        raise CallbackAuthError("the Authorization header does not use the Bearer scheme")
    return header[len(BEARER_PREFIX) :].encode("ascii")
