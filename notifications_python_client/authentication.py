"""The JSON Web Tokens Notify uses: the client signs one per request, the server checks them.

A token is HS256-signed with the API key's secret and carries exactly two claims: ``iss`` (the
service ID) and ``iat`` (when it was made, in epoch seconds). Notify accepts it while ``iat`` is
within 30 seconds of its own clock, either way.

PyJWT is reached through the module name ``jwt`` (``jwt.encode``, ``jwt.decode``) because users'
tests patch ``notifications_python_client.authentication.jwt.decode``.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Mapping
from typing import Any

import jwt

from notifications_python_client.errors import (
    MissingArgumentError,
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
    TokenIssuedAtError,
    TokenIssuerError,
)

__all__ = [
    "INVALID_FUTURE_TOKEN_ERROR_MESSAGE",
    "TOKEN_LEEWAY_SECONDS",
    "TokenAlgorithmError",
    "TokenDecodeError",
    "TokenError",
    "TokenExpiredError",
    "TokenIssuedAtError",
    "TokenIssuerError",
    "create_jwt_token",
    "decode_jwt_token",
    "decode_token",
    "epoch_seconds",
    "get_token_issuer",
    "validate_jwt_token",
]

__algorithm__ = "HS256"
__type__ = "JWT"
__bound__ = 30
TOKEN_LEEWAY_SECONDS = __bound__

INVALID_FUTURE_TOKEN_ERROR_MESSAGE = "Token can not be in the future"
EXPIRED_TOKEN_ERROR_MESSAGE = "Token has expired"
INVALID_IAT_ERROR_MESSAGE = "Token has invalid iat field"


def epoch_seconds() -> int:
    """The current UTC time in whole epoch seconds (follows ``time.gmtime``, so freezegun)."""
    return calendar.timegm(time.gmtime())


def create_jwt_token(secret: str, client_id: str) -> str:
    """Sign a fresh token for one request.

    :param secret: the secret part of the API key (its last 36 characters).
    :param client_id: the service ID, which becomes the ``iss`` claim.
    :returns: the encoded JWT.
    :raises MissingArgumentError: (an AssertionError) ``secret`` or ``client_id`` is empty.
    """
    if not secret:
        raise MissingArgumentError("Missing secret key")
    if not client_id:
        raise MissingArgumentError("Missing client id")
    return encode_token(secret, client_id, epoch_seconds())


def encode_token(secret: str, client_id: str, issued_at: int) -> str:
    """The token ``create_jwt_token`` signs at ``issued_at``: the same bytes for the same second,
    so a client may reuse it within that second."""
    claims = {"iss": client_id, "iat": issued_at}
    headers = {"typ": __type__, "alg": __algorithm__}
    return jwt.encode(claims, secret, algorithm=__algorithm__, headers=headers)


def decode_token(token: str) -> dict[str, Any]:
    """The token's claims, without checking its signature or its times.

    :raises jwt.DecodeError: the token is not a JWT.
    """
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def get_token_issuer(token: str) -> Any:
    """The token's ``iss`` claim (the service ID), read without checking the signature.

    Typed Any because it is whatever the unverified token carries; normally a str.

    :raises TokenDecodeError: the token is not a JWT, or its header is not valid (a ``kid``
        that is not text, a ``crit`` naming extensions).
    :raises TokenIssuerError: the token has no ``iss``.
    """
    try:
        claims = decode_token(token)
    except jwt.InvalidTokenError as e:
        raise TokenDecodeError() from e
    issuer = claims.get("iss")
    if issuer is None:
        raise TokenIssuerError()
    return issuer


def decode_jwt_token(token: str, secret: str) -> bool:
    """Check a token's signature and claims, as Notify does for every request.

    :param token: the encoded JWT (without ``Bearer``).
    :param secret: the API key secret it should be signed with.
    :returns: True.
    :raises TokenExpiredError: ``iat`` is not a number, or is more than 30 s old or ahead, or
        ``nbf`` is in the future.
    :raises TokenDecodeError: not a JWT, or the signature does not match ``secret``.
    :raises TokenAlgorithmError: the token is not HS256.
    :raises TokenIssuerError: no ``iss``.
    :raises TokenIssuedAtError: no ``iat``.
    :raises TokenError: PyJWT refused the token for another reason (``aud``, expired ``exp``).
    """
    try:
        decoded = jwt.decode(
            token, key=secret, algorithms=[__algorithm__], leeway=TOKEN_LEEWAY_SECONDS
        )
    except jwt.InvalidIssuedAtError as e:
        raise TokenExpiredError(INVALID_IAT_ERROR_MESSAGE, _claims_or_none(token)) from e
    except jwt.ImmatureSignatureError as e:
        raise TokenExpiredError(INVALID_FUTURE_TOKEN_ERROR_MESSAGE, _claims_or_none(token)) from e
    except jwt.DecodeError as e:
        raise TokenDecodeError() from e
    except jwt.InvalidAlgorithmError as e:
        raise TokenAlgorithmError() from e
    except jwt.InvalidTokenError as e:
        raise TokenError() from e
    return validate_jwt_token(decoded)


def validate_jwt_token(decoded_token: Mapping[str, Any]) -> bool:
    """Check the claims of an already decoded token: ``iss`` and ``iat`` present, ``iat`` fresh.

    :returns: True.
    :raises TokenIssuerError: no ``iss``.
    :raises TokenIssuedAtError: no ``iat``.
    :raises TokenExpiredError: ``iat`` is not a number, or more than 30 s in the past or future.
    """
    _check_issuer_present(decoded_token)
    _check_issued_at(decoded_token, epoch_seconds())
    return True


def _check_issuer_present(claims: Mapping[str, Any]) -> None:
    """Every token names its service in ``iss``."""
    if claims.get("iss") is None:
        raise TokenIssuerError()


def _check_issued_at(claims: Mapping[str, Any], now: int) -> None:
    """``iat`` must be a number within the leeway of ``now``, in the past or the future."""
    if claims.get("iat") is None:
        raise TokenIssuedAtError()
    try:
        # int() as PyJWT does, so a numeric string is accepted like a number.
        issued_at = int(claims["iat"])
    except (TypeError, ValueError, OverflowError):
        raise TokenExpiredError(INVALID_IAT_ERROR_MESSAGE, claims) from None
    if now > issued_at + TOKEN_LEEWAY_SECONDS:
        raise TokenExpiredError(EXPIRED_TOKEN_ERROR_MESSAGE, claims)
    if issued_at > now + TOKEN_LEEWAY_SECONDS:
        raise TokenExpiredError(INVALID_FUTURE_TOKEN_ERROR_MESSAGE, claims)


def _claims_or_none(token: str) -> dict[str, Any] | None:
    """The unverified claims to attach to an error, or None if even those cannot be read."""
    try:
        return decode_token(token)
    except jwt.PyJWTError:
        return None
