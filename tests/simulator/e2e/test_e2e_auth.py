"""Authentication over real sockets: every check a client can trip.

Behaviour: Authentication checks.

Header-level rows use ``requests`` directly with tokens crafted by PyJWT; rows the real client
can reach (wrong secret, unknown service, revoked key) go through it as well.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from e2e_support import (
    DAY_SECONDS,
    LIVE_SECRET,
    REVOKED_SECRET,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    UNKNOWN_ID,
    bearer,
    derived_id,
    expect_error,
    fresh_claims,
    hand_made_token,
    key_string,
    raw,
    service,
    token,
    v2_entries,
    with_default_services,
)
from jwt.warnings import InsecureKeyLengthWarning

from notifications_python_client.errors import AuthError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

PATH = "/v2/notifications"
NO_TOKEN = "Unauthorized: authentication token must be provided"
NOT_BEARER = "Unauthorized: authentication bearer scheme must be used"
INVALID_TOKEN = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)
NO_ISS = "Invalid token: iss field not provided"
BAD_SERVICE_ID = "Invalid token: service id is not the right data type"
NO_SERVICE = "Invalid token: service not found"
NO_KEYS = "Invalid token: service has no API keys"
ARCHIVED = "Invalid token: service is archived"
ALGORITHM = "Invalid token: algorithm used is not HS256"
CLOCK = "Error: Your system clock must be accurate to within 30 seconds"
REVOKED = "Invalid token: API key revoked"
KEY_NOT_FOUND = "Invalid token: API key not found"
NO_KEYS_SERVICE = service("No keys", api_keys=[])
LONG_REVOKED_SERVICE = service(
    "Long revoked",
    api_keys=[
        {"name": "old", "type": "normal", "secret": derived_id("old"), "revoked_days_ago": 8}
    ],
)
ARCHIVED_SERVICE = service("Archived", active=False)
ARCHIVED_WITHOUT_KEYS = service("Archived without keys", active=False, api_keys=[])
MIXED_SERVICE = service(
    "Mixed",
    api_keys=[
        {"name": "live", "type": "normal", "secret": derived_id("mixed", "live")},
        {
            "name": "old",
            "type": "normal",
            "secret": derived_id("mixed", "old"),
            "revoked_days_ago": 8,
        },
    ],
)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(
        NO_KEYS_SERVICE,
        LONG_REVOKED_SERVICE,
        ARCHIVED_SERVICE,
        ARCHIVED_WITHOUT_KEYS,
        MIXED_SERVICE,
    )


def _refused(sim: NotifySimulator, authorization: str | None, status: int, message: str) -> None:
    response = raw(sim, "GET", PATH, authorization=authorization)

    assert (response.status_code, v2_entries(response)) == (status, [("AuthError", message)])


def _signed(claims: Mapping[str, Any], secret: str = LIVE_SECRET, **options: Any) -> str:
    return "Bearer " + token(secret, claims, **options)


# Rows 1 and 2: the header


@pytest.mark.parametrize("authorization", [None, ""])
def test_no_header_or_an_empty_one(sim: NotifySimulator, authorization: str | None) -> None:
    _refused(sim, authorization, 401, NO_TOKEN)


@pytest.mark.parametrize(
    "authorization", ["Basic dXNlcjpwYXNz", "Token abc", "Bearer", "Bearerabc.def.ghi"]
)
def test_not_a_bearer_header(sim: NotifySimulator, authorization: str) -> None:
    _refused(sim, authorization, 401, NOT_BEARER)


@pytest.mark.parametrize("scheme", ["Bearer ", "bearer ", "BEARER ", "bEaReR "])
def test_bearer_scheme_is_case_insensitive(sim: NotifySimulator, scheme: str) -> None:
    response = raw(
        sim, "GET", PATH, authorization=scheme + token(LIVE_SECRET, fresh_claims(SERVICE_ID))
    )

    assert response.status_code == 200


# Rows 3 to 8: the token and the service it names


@pytest.mark.parametrize("garbage", ["abc", "a.b.c", "eyJhbGciOiJIUzI1NiJ9"])
def test_not_a_jwt_at_all(sim: NotifySimulator, garbage: str) -> None:
    _refused(sim, f"Bearer {garbage}", 403, INVALID_TOKEN)


def test_no_issuer(sim: NotifySimulator) -> None:
    _refused(sim, _signed({"iat": int(time.time())}), 403, NO_ISS)


@pytest.mark.parametrize("issuer", ["not-a-uuid", SERVICE_ID + " ", 12345, ["x"]])
def test_issuer_not_a_uuid(sim: NotifySimulator, issuer: object) -> None:
    claims = {"iss": issuer, "iat": int(time.time())}

    _refused(sim, "Bearer " + hand_made_token(LIVE_SECRET, claims), 403, BAD_SERVICE_ID)


@pytest.mark.parametrize(
    "issuer",
    [
        SERVICE_ID.upper(),
        "urn:uuid:" + SERVICE_ID,
        "{" + SERVICE_ID + "}",
        SERVICE_ID.replace("-", ""),
    ],
)
def test_other_spellings_of_the_service_id_are_accepted(sim: NotifySimulator, issuer: str) -> None:
    assert raw(sim, "GET", PATH, authorization=_signed(fresh_claims(issuer))).status_code == 200


def test_unknown_service(sim: NotifySimulator) -> None:
    _refused(sim, _signed(fresh_claims(UNKNOWN_ID)), 403, NO_SERVICE)


@pytest.mark.parametrize("data", [NO_KEYS_SERVICE, LONG_REVOKED_SERVICE, ARCHIVED_WITHOUT_KEYS])
def test_service_without_keys(sim: NotifySimulator, data: dict[str, Any]) -> None:
    _refused(sim, _signed(fresh_claims(data["id"])), 403, NO_KEYS)


def test_archived_service(sim: NotifySimulator) -> None:
    secret = derived_id("Archived", "normal")

    _refused(sim, _signed(fresh_claims(ARCHIVED_SERVICE["id"]), secret), 403, ARCHIVED)


# Rows 9 to 13: the signature and the claims


@pytest.mark.parametrize("algorithm", ["HS384", "HS512", "none"])
def test_algorithm_not_hs256(sim: NotifySimulator, algorithm: str) -> None:
    secret = "" if algorithm == "none" else LIVE_SECRET
    with warnings.catch_warnings():
        # The secret is shorter than RFC 7518 wants for these algorithms; that is the point.
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        authorization = _signed(fresh_claims(SERVICE_ID), secret, algorithm=algorithm)

    _refused(sim, authorization, 403, ALGORITHM)


# Claims are built when the test runs, from the current time: times taken when pytest collects
# the parameters would be seconds or minutes old by then.
ClaimsAt = Callable[[int], dict[str, Any]]


@pytest.mark.parametrize(
    "claims_at",
    [
        lambda now: {"iat": now - 60},
        lambda now: {"iat": now - 35},
        lambda now: {"iat": now + 35},
        lambda now: {"iat": now + 60},
        lambda now: {"iat": "abc"},
        lambda now: {"iat": now, "nbf": now + 120},
    ],
    ids=["old", "just-too-old", "just-too-new", "future", "not-numeric", "nbf-in-future"],
)
def test_clock_out_by_more_than_30_s_when_signed_by_a_key(
    sim: NotifySimulator, claims_at: ClaimsAt
) -> None:
    claims = claims_at(int(time.time()))
    _refused(sim, _signed({"iss": SERVICE_ID, **claims}), 403, CLOCK)


@pytest.mark.parametrize(
    "claims_at",
    [
        lambda now: {"iat": now - 25},
        lambda now: {"iat": str(now)},
        lambda now: {"iat": now, "jti": "x", "foo": 1},
    ],
    ids=["within-leeway", "numeric-string", "extra-claims"],
)
def test_tokens_within_the_rules_are_accepted(sim: NotifySimulator, claims_at: ClaimsAt) -> None:
    claims = claims_at(int(time.time()))
    assert (
        raw(sim, "GET", PATH, authorization=_signed({"iss": SERVICE_ID, **claims})).status_code
        == 200
    )


@pytest.mark.parametrize(
    "extra", [{"aud": "notify"}, {"exp": int(time.time()) - 600}], ids=["aud", "expired-exp"]
)
def test_signed_by_a_key_otherwise_invalid(sim: NotifySimulator, extra: dict[str, Any]) -> None:
    _refused(sim, _signed(fresh_claims(SERVICE_ID, **extra)), 403, INVALID_TOKEN)


def test_signed_by_a_revoked_key(sim: NotifySimulator) -> None:
    _refused(sim, _signed(fresh_claims(SERVICE_ID), REVOKED_SECRET), 403, REVOKED)


@pytest.mark.parametrize(
    ("claims", "secret"),
    [
        (fresh_claims(SERVICE_ID), UNKNOWN_ID),
        ({"iss": SERVICE_ID}, LIVE_SECRET),
        ({"iss": SERVICE_ID, "iat": int(time.time()) - 600}, UNKNOWN_ID),
        (fresh_claims(MIXED_SERVICE["id"]), derived_id("mixed", "old")),
    ],
    ids=["unknown-secret", "no-iat", "bad-iat-unknown-secret", "revoked-over-a-week-ago"],
)
def test_signed_by_no_key(sim: NotifySimulator, claims: dict[str, Any], secret: str) -> None:
    _refused(sim, _signed(claims, secret), 403, KEY_NOT_FOUND)


@pytest.mark.parametrize(
    ("claims_at", "secret", "options", "message"),
    [
        (lambda now: {"iat": now - 600}, REVOKED_SECRET, {}, CLOCK),
        (lambda now: {"iat": now, "aud": "x"}, REVOKED_SECRET, {}, INVALID_TOKEN),
        (lambda now: {"iat": now, "aud": "x"}, UNKNOWN_ID, {}, KEY_NOT_FOUND),
        (lambda now: {"iat": now}, UNKNOWN_ID, {"algorithm": "HS512"}, ALGORITHM),
    ],
    ids=["clock-before-revoked", "invalid-before-revoked", "unsigned-aud-not-found", "alg-first"],
)
def test_rows_apply_in_order(
    sim: NotifySimulator, claims_at: ClaimsAt, secret: str, options: dict[str, str], message: str
) -> None:
    claims = claims_at(int(time.time()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        authorization = _signed({"iss": SERVICE_ID, **claims}, secret, **options)

    _refused(sim, authorization, 403, message)


def test_no_keys_comes_before_the_algorithm(sim: NotifySimulator) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        authorization = _signed(fresh_claims(NO_KEYS_SERVICE["id"]), UNKNOWN_ID, algorithm="HS512")

    _refused(sim, authorization, 403, NO_KEYS)


# Through the real client


@pytest.mark.parametrize(
    ("service_id", "secret", "message"),
    [
        (SERVICE_ID, UNKNOWN_ID, KEY_NOT_FOUND),
        (SERVICE_ID, REVOKED_SECRET, REVOKED),
        (UNKNOWN_ID, LIVE_SECRET, NO_SERVICE),
        (ARCHIVED_SERVICE["id"], derived_id("Archived", "normal"), ARCHIVED),
        (NO_KEYS_SERVICE["id"], UNKNOWN_ID, NO_KEYS),
    ],
)
def test_client_sees_auth_errors_as_auth_error(
    sim: NotifySimulator, service_id: str, secret: str, message: str
) -> None:
    notify = NotificationsAPIClient(key_string(service_id, secret), base_url=sim.url)

    expect_error(
        lambda: notify.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {}),
        AuthError,
        403,
        ("AuthError", message),
    )
    expect_error(lambda: notify.get_all_templates(), AuthError, 403, ("AuthError", message))


def test_key_name_does_not_matter(sim: NotifySimulator) -> None:
    notify = NotificationsAPIClient(
        key_string(SERVICE_ID, LIVE_SECRET, "any-name-at-all"), base_url=sim.url
    )

    assert notify.get_all_notifications()["notifications"] == []


# Authentication comes first


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v2/notifications/not-a-uuid"),
        ("GET", "/v2/notifications?status=nonsense"),
        ("GET", "/v2/template/not-a-uuid/version/1"),
        ("POST", "/v2/notifications/sms"),
        ("POST", "/v2/notifications/push"),
        ("POST", "/v2/template/not-a-uuid/preview"),
        ("OPTIONS", "/v2/notifications"),
    ],
)
def test_authentication_comes_before_everything_else(
    sim: NotifySimulator, method: str, path: str
) -> None:
    response = raw(sim, method, path, data=b"{nope")

    assert (response.status_code, v2_entries(response)) == (401, [("AuthError", NO_TOKEN)])


def test_options_with_a_valid_token_lists_the_methods(sim: NotifySimulator) -> None:
    response = raw(sim, "OPTIONS", PATH, authorization=bearer(sim))

    assert response.status_code == 200
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_revoked_key_is_forgotten_a_week_after_revocation(sim: NotifySimulator) -> None:
    # The built-in "retired live" key was revoked two days before loading.
    authorization = _signed(fresh_claims(SERVICE_ID), REVOKED_SECRET)
    _refused(sim, authorization, 403, REVOKED)

    sim.advance_clock(6 * DAY_SECONDS)

    _refused(sim, authorization, 403, KEY_NOT_FOUND)
