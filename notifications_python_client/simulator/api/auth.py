"""Who is calling: the Authorization header checked exactly as Notify checks it.

Behaviour: Authentication.

Tokens are checked with this package's own ``authentication.decode_jwt_token``, as the real
service does with the same module, against real time (the client signs with real time), not the
simulator's clock. Revocations are dated on the simulator's clock, like everything it stores.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import (
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
    TokenIssuerError,
)
from notifications_python_client.simulator.checks.uuids import is_valid_uuid
from notifications_python_client.simulator.domain import errors
from notifications_python_client.simulator.domain.models import ApiKey, Service
from notifications_python_client.simulator.state.store import Store

BEARER_PREFIX = "bearer "
# Revoked keys still answer "revoked" for a week, then they are gone (behaviour: Revoked keys).
REVOKED_KEY_VISIBLE_DAYS = 7
UNAUTHORIZED_STATUS = 401
FORBIDDEN_STATUS = 403

MESSAGE_NO_TOKEN = "Unauthorized: authentication token must be provided"
MESSAGE_NOT_BEARER = "Unauthorized: authentication bearer scheme must be used"
MESSAGE_INVALID_TOKEN = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)
MESSAGE_NO_ISS = "Invalid token: iss field not provided"
MESSAGE_BAD_SERVICE_ID = "Invalid token: service id is not the right data type"
MESSAGE_NO_SERVICE = "Invalid token: service not found"
MESSAGE_NO_KEYS = "Invalid token: service has no API keys"
MESSAGE_ARCHIVED = "Invalid token: service is archived"
MESSAGE_ALGORITHM = "Invalid token: algorithm used is not HS256"
MESSAGE_CLOCK = "Error: Your system clock must be accurate to within 30 seconds"
MESSAGE_REVOKED = "Invalid token: API key revoked"
MESSAGE_KEY_NOT_FOUND = "Invalid token: API key not found"


@dataclass(frozen=True)
class Authenticated:
    """The service a request acts for, and the key that signed its token."""

    service: Service
    api_key: ApiKey


def _forbidden(message: str) -> errors.NotifyApiError:
    return errors.auth_error(FORBIDDEN_STATUS, message)


def bearer_token(authorization_header: str | None) -> str:
    """The token after ``Bearer `` (any case, not trimmed); the first two authentication checks."""
    if not authorization_header:
        raise errors.auth_error(UNAUTHORIZED_STATUS, MESSAGE_NO_TOKEN)
    if authorization_header[: len(BEARER_PREFIX)].lower() != BEARER_PREFIX:
        raise errors.auth_error(UNAUTHORIZED_STATUS, MESSAGE_NOT_BEARER)
    return authorization_header[len(BEARER_PREFIX) :]


def issuing_service_id(token: str) -> str:
    """The service id the token claims to come from, canonical form; the JWT and issuer checks."""
    try:
        issuer = get_token_issuer(token)
    except TokenIssuerError:
        raise _forbidden(MESSAGE_NO_ISS) from None
    except TokenDecodeError:
        raise _forbidden(MESSAGE_INVALID_TOKEN) from None
    if not is_valid_uuid(issuer):
        raise _forbidden(MESSAGE_BAD_SERVICE_ID)
    return str(uuid.UUID(issuer))


def current_keys(service: Service, now: dt.datetime) -> list[ApiKey]:
    """The keys Notify still knows: live ones and those revoked in the last week."""
    oldest_revocation = now - dt.timedelta(days=REVOKED_KEY_VISIBLE_DAYS)
    return [
        key
        for key in service.api_keys
        if key.revoked_at is None or key.revoked_at >= oldest_revocation
    ]


def signing_key(token: str, keys: list[ApiKey]) -> ApiKey:
    """The key whose secret signed the token: the checks from "algorithm not HS256" on
    (behaviour: Authentication checks); keys whose signature does not match are skipped."""
    for key in keys:
        try:
            decode_jwt_token(token, key.secret)
        except TokenExpiredError:
            raise _forbidden(MESSAGE_CLOCK) from None
        except TokenAlgorithmError:
            raise _forbidden(MESSAGE_ALGORITHM) from None
        except TokenDecodeError:
            # A wrong signature, or a token without iat (a subclass): try the next key.
            continue
        except TokenError:
            raise _forbidden(MESSAGE_INVALID_TOKEN) from None
        if key.revoked_at is not None:
            raise _forbidden(MESSAGE_REVOKED)
        return key
    raise _forbidden(MESSAGE_KEY_NOT_FOUND)


def authenticate(store: Store, authorization_header: str | None) -> Authenticated:
    """Check a request's Authorization header, in Notify's order (behaviour: Authentication checks).

    :raises errors.NotifyApiError: ``AuthError`` 401 or 403 with Notify's message.
    """
    token = bearer_token(authorization_header)
    service = store.service(issuing_service_id(token))
    if service is None:
        raise _forbidden(MESSAGE_NO_SERVICE)
    keys = current_keys(service, store.clock.now())
    if not keys:
        raise _forbidden(MESSAGE_NO_KEYS)
    if not service.active:
        raise _forbidden(MESSAGE_ARCHIVED)
    return Authenticated(service, signing_key(token, keys))
