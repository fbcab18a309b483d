"""Authentication of v2 requests: every check, in order, with real tokens.

Behaviour: Authentication checks.
"""

from __future__ import annotations

import calendar
import warnings
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from freezegun import freeze_time
from wsgi_helpers import raw_token

from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.simulator.api.auth import (
    MESSAGE_INVALID_TOKEN,
    Authenticated,
    authenticate,
)
from notifications_python_client.simulator.domain.errors import NotifyApiError
from notifications_python_client.simulator.state.store import Store, create_store

FROZEN_AT = "2024-05-17 12:00:00"
NOW = calendar.timegm((2024, 5, 17, 12, 0, 0))
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
LIVE_SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
TEAM_SECRET = "6a2b1c3d-0e4f-4a5b-8c6d-7e8f9a0b1c2d"
REVOKED_SECRET = "9f8e7d6c-5b4a-4321-8fed-cba987654321"
LONG_REVOKED_SECRET = "11111111-2222-4333-8444-555555555555"
UNKNOWN_SECRET = "00000000-1111-4222-8333-444444444444"
ARCHIVED_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
KEYLESS_ID = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
ONLY_OLD_KEYS_ID = "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f"
UNKNOWN_SERVICE_ID = "d4e5f6a7-b8c9-4d0e-8f2a-3b4c5d6e7f80"

DATA = {
    "services": [
        {
            "id": SERVICE_ID,
            "name": "Pigeons",
            "api_keys": [
                {"name": "live", "type": "normal", "secret": LIVE_SECRET},
                {"name": "team", "type": "team", "secret": TEAM_SECRET},
                {"name": "old", "type": "normal", "secret": REVOKED_SECRET, "revoked_days_ago": 6},
                {
                    "name": "older",
                    "type": "normal",
                    "secret": LONG_REVOKED_SECRET,
                    "revoked_days_ago": 8,
                },
            ],
        },
        {
            "id": ARCHIVED_ID,
            "name": "Archived",
            "active": False,
            "api_keys": [{"name": "live", "type": "normal", "secret": UNKNOWN_SECRET}],
        },
        {"id": KEYLESS_ID, "name": "No keys"},
        {
            "id": ONLY_OLD_KEYS_ID,
            "name": "Only old keys",
            "api_keys": [
                {"name": "x", "type": "test", "secret": LIVE_SECRET, "revoked_days_ago": 30}
            ],
        },
    ]
}

INVALID_TOKEN = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)
CLOCK = "Error: Your system clock must be accurate to within 30 seconds"
NOT_FOUND = "Invalid token: API key not found"


@pytest.fixture
def store() -> Iterator[Store]:
    with freeze_time(FROZEN_AT):
        yield create_store(DATA)


def token(
    claims: dict[str, Any] | None = None,
    secret: str = LIVE_SECRET,
    algorithm: str = "HS256",
    omit: tuple[str, ...] = (),
) -> str:
    """A JWT like the client's (``iss`` and ``iat`` now), changed as the test needs."""
    payload: dict[str, Any] = {"iss": SERVICE_ID, "iat": NOW, **(claims or {})}
    for name in omit:
        payload.pop(name)
    with warnings.catch_warnings():
        # PyJWT warns that a 36-byte secret is short for HS512; the tests want that token anyway.
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
        return jwt.encode(payload, secret, algorithm=algorithm)


def hand_signed_token(claims: dict[str, Any], secret: str = LIVE_SECRET) -> str:
    """An HS256 token signed by hand, for claims PyJWT refuses to encode (a non-string iss)."""
    return raw_token({"typ": "JWT", "alg": "HS256"}, {"iat": NOW, **claims}, secret)


def refusal(store: Store, header: str | None) -> tuple[int, str, str]:
    with pytest.raises(NotifyApiError) as error:
        authenticate(store, header)
    (entry,) = error.value.errors
    return error.value.status_code, entry["error"], entry["message"]


def test_the_client_s_own_token_is_accepted(store: Store) -> None:
    header = "Bearer " + create_jwt_token(TEAM_SECRET, SERVICE_ID)

    result = authenticate(store, header)

    assert isinstance(result, Authenticated)
    assert result.service.id == SERVICE_ID
    assert (result.api_key.name, result.api_key.type) == ("team", "team")


@pytest.mark.parametrize("scheme", ["Bearer ", "bearer ", "BEARER ", "bEaReR "])
def test_the_scheme_is_compared_ignoring_case(store: Store, scheme: str) -> None:
    assert authenticate(store, scheme + token()).api_key.type == "normal"


@pytest.mark.parametrize("header", [None, ""])
def test_no_header_or_an_empty_one(store: Store, header: str | None) -> None:
    assert refusal(store, header) == (
        401,
        "AuthError",
        "Unauthorized: authentication token must be provided",
    )


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Token abc", "Bearer", "Bearer-x", "x"])
def test_not_a_bearer_header(store: Store, header: str) -> None:
    assert refusal(store, header) == (
        401,
        "AuthError",
        "Unauthorized: authentication bearer scheme must be used",
    )


@pytest.mark.parametrize("bad", ["not-a-jwt", "a.b.c", "", " " + "x" * 10])
def test_not_a_jwt_at_all(store: Store, bad: str) -> None:
    assert refusal(store, "Bearer " + bad) == (403, "AuthError", INVALID_TOKEN)


def test_the_token_is_not_trimmed(store: Store) -> None:
    assert refusal(store, "Bearer  " + token()) == (403, "AuthError", INVALID_TOKEN)


def test_no_issuer(store: Store) -> None:
    expected = (403, "AuthError", "Invalid token: iss field not provided")
    assert refusal(store, "Bearer " + token(omit=("iss",))) == expected


@pytest.mark.parametrize("issuer", ["not-a-uuid", 12345, " " + SERVICE_ID, ["a"]])
def test_issuer_not_a_uuid(store: Store, issuer: Any) -> None:
    expected = (403, "AuthError", "Invalid token: service id is not the right data type")
    assert refusal(store, "Bearer " + hand_signed_token({"iss": issuer})) == expected


def test_a_hand_signed_token_is_accepted_like_a_pyjwt_one(store: Store) -> None:
    with freeze_time(FROZEN_AT):
        header = "Bearer " + hand_signed_token({"iss": SERVICE_ID})
        assert authenticate(store, header).api_key.secret == LIVE_SECRET


@pytest.mark.parametrize(
    "spelling",
    [
        SERVICE_ID.upper(),
        SERVICE_ID.replace("-", ""),
        "{" + SERVICE_ID + "}",
        "urn:uuid:" + SERVICE_ID,
    ],
)
def test_iss_in_any_uuid_spelling_finds_the_service(store: Store, spelling: str) -> None:
    assert authenticate(store, "Bearer " + token({"iss": spelling})).service.id == SERVICE_ID


def test_unknown_service(store: Store) -> None:
    header = "Bearer " + token({"iss": UNKNOWN_SERVICE_ID}, algorithm="HS512")
    assert refusal(store, header) == (403, "AuthError", "Invalid token: service not found")


@pytest.mark.parametrize("service_id", [KEYLESS_ID, ONLY_OLD_KEYS_ID])
def test_service_without_keys(store: Store, service_id: str) -> None:
    expected = (403, "AuthError", "Invalid token: service has no API keys")
    assert refusal(store, "Bearer " + token({"iss": service_id})) == expected


def test_archived_service(store: Store) -> None:
    header = "Bearer " + token({"iss": ARCHIVED_ID}, secret=UNKNOWN_SECRET)
    assert refusal(store, header) == (403, "AuthError", "Invalid token: service is archived")


@pytest.mark.parametrize("secret", [LIVE_SECRET, UNKNOWN_SECRET])
@pytest.mark.parametrize("algorithm", ["HS512", "HS384"])
def test_algorithm_not_hs256(store: Store, secret: str, algorithm: str) -> None:
    header = "Bearer " + token(secret=secret, algorithm=algorithm)
    expected = (403, "AuthError", "Invalid token: algorithm used is not HS256")
    assert refusal(store, header) == expected


@pytest.mark.parametrize(
    "claims",
    [
        {"iat": NOW - 31},
        {"iat": NOW + 31},
        {"iat": "soon"},
        {"iat": str(NOW - 31)},
        {"nbf": NOW + 3600},
    ],
    ids=["too-old", "future", "non-numeric", "old-numeric-string", "not-before-future"],
)
def test_clock_out_by_more_than_30_s_when_signed_by_a_key(
    store: Store, claims: dict[str, Any]
) -> None:
    with freeze_time(FROZEN_AT):
        assert refusal(store, "Bearer " + token(claims)) == (403, "AuthError", CLOCK)


@pytest.mark.parametrize("claims", [{"iat": NOW - 30}, {"iat": NOW + 30}, {"iat": str(NOW)}])
def test_iat_within_30_seconds_or_as_a_numeric_string_is_accepted(
    store: Store, claims: dict[str, Any]
) -> None:
    with freeze_time(FROZEN_AT):
        assert authenticate(store, "Bearer " + token(claims)).service.id == SERVICE_ID


@pytest.mark.parametrize(
    "claims", [{"aud": "notify"}, {"exp": NOW - 3600}], ids=["audience", "expired"]
)
def test_signed_by_a_key_otherwise_invalid(store: Store, claims: dict[str, Any]) -> None:
    with freeze_time(FROZEN_AT):
        assert refusal(store, "Bearer " + token(claims)) == (403, "AuthError", INVALID_TOKEN)


def test_signed_by_a_key_revoked_this_week(store: Store) -> None:
    with freeze_time(FROZEN_AT):
        header = "Bearer " + token(secret=REVOKED_SECRET)
        assert refusal(store, header) == (403, "AuthError", "Invalid token: API key revoked")


@pytest.mark.parametrize(
    ("secret", "claims", "omit"),
    [
        (UNKNOWN_SECRET, {}, ()),
        (LONG_REVOKED_SECRET, {}, ()),
        (UNKNOWN_SECRET, {"iat": NOW - 3600}, ()),
        (LIVE_SECRET, {}, ("iat",)),
    ],
    ids=["unknown-secret", "revoked-over-a-week-ago", "bad-iat-unknown-secret", "no-iat"],
)
def test_signed_by_no_key(
    store: Store, secret: str, claims: dict[str, Any], omit: tuple[str, ...]
) -> None:
    with freeze_time(FROZEN_AT):
        header = "Bearer " + token(claims, secret=secret, omit=omit)
        assert refusal(store, header) == (403, "AuthError", NOT_FOUND)


def test_earlier_checks_win(store: Store) -> None:
    # Unknown service and a bad algorithm: the service lookup comes first.
    header = "Bearer " + token({"iss": UNKNOWN_SERVICE_ID, "iat": 0}, algorithm="HS512")
    assert refusal(store, header)[2] == "Invalid token: service not found"
    # No keys and archived: "no API keys" comes first.
    store.services()[2].active = False
    assert refusal(store, "Bearer " + token({"iss": KEYLESS_ID}))[2] == (
        "Invalid token: service has no API keys"
    )


def test_real_time_is_used_for_iat_not_the_simulated_clock(store: Store) -> None:
    store.clock.advance(3600)
    with freeze_time(FROZEN_AT):
        assert authenticate(store, "Bearer " + token()).api_key.type == "normal"


def test_revocations_age_on_the_simulated_clock(store: Store) -> None:
    with freeze_time(FROZEN_AT):
        store.clock.advance(2 * 24 * 3600)
        assert refusal(store, "Bearer " + token(secret=REVOKED_SECRET))[2] == NOT_FOUND


@pytest.mark.parametrize(
    "header",
    [{"kid": 5}, {"kid": ["a"]}, {"crit": ["x"]}, {"crit": "abc"}, {"crit": []}],
    ids=["kid number", "kid list", "crit unknown", "crit text", "crit empty"],
)
def test_a_token_with_an_invalid_header_is_not_a_jwt(store: Store, header: dict[str, Any]) -> None:
    token = raw_token({"typ": "JWT", "alg": "HS256", **header}, {"iss": SERVICE_ID, "iat": 0}, "s")

    with pytest.raises(NotifyApiError) as caught:
        authenticate(store, f"Bearer {token}")

    assert caught.value.status_code == 403
    assert caught.value.body()["errors"] == [
        {"error": "AuthError", "message": MESSAGE_INVALID_TOKEN}
    ]
