"""JWT creation and checking, every branch, with the clock frozen."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from freezegun import freeze_time
from wsgi_helpers import raw_token

from notifications_python_client import authentication
from notifications_python_client.authentication import (
    INVALID_FUTURE_TOKEN_ERROR_MESSAGE,
    create_jwt_token,
    decode_jwt_token,
    decode_token,
    epoch_seconds,
    get_token_issuer,
    validate_jwt_token,
)
from notifications_python_client.errors import (
    TOKEN_ERROR_DEFAULT_ERROR_MESSAGE,
    TOKEN_ERROR_GUIDANCE,
    MissingArgumentError,
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
    TokenIssuedAtError,
    TokenIssuerError,
)

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "ab4a9f4c-5bc5-4c85-a2e8-4e2a6c1d8e5f"
OTHER_SECRET = "0c9d8e7f-6a5b-4c3d-9e1f-2a3b4c5d6e7f"
# HS512 wants a 64-byte key; a shorter one would (rightly) make PyJWT warn.
HS512_SECRET = SECRET * 2
GUIDED = f". {TOKEN_ERROR_GUIDANCE}"


def sign(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    """A token with exactly these claims."""
    return jwt.encode(claims, key, algorithm=algorithm)


def test_epoch_seconds_follows_the_frozen_clock(frozen_now: int) -> None:
    assert epoch_seconds() == frozen_now
    assert isinstance(epoch_seconds(), int)


def test_epoch_seconds_drops_the_fraction() -> None:
    with freeze_time("2024-05-17T15:58:38.999Z"):
        assert epoch_seconds() == 1715961518


def test_create_jwt_token_has_exactly_the_notify_header_and_claims(frozen_now: int) -> None:
    token = create_jwt_token(SECRET, SERVICE_ID)

    assert isinstance(token, str)
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "HS256"}
    assert jwt.decode(token, SECRET, algorithms=["HS256"]) == {
        "iss": SERVICE_ID,
        "iat": frozen_now,
    }


@pytest.mark.parametrize(
    ("secret", "client_id", "message"),
    [
        ("", SERVICE_ID, "Missing secret key"),
        (None, SERVICE_ID, "Missing secret key"),
        (SECRET, "", "Missing client id"),
        (SECRET, None, "Missing client id"),
        ("", "", "Missing secret key"),
    ],
)
def test_create_jwt_token_refuses_empty_arguments(
    secret: Any, client_id: Any, message: str
) -> None:
    with pytest.raises(AssertionError) as raised:
        create_jwt_token(secret, client_id)

    assert type(raised.value) is MissingArgumentError
    assert isinstance(raised.value, ValueError)
    assert str(raised.value) == message


def test_get_token_issuer_reads_iss_without_checking_the_signature(frozen_now: int) -> None:
    assert get_token_issuer(sign({"iss": SERVICE_ID, "iat": frozen_now}, OTHER_SECRET)) == (
        SERVICE_ID
    )


def test_get_token_issuer_without_iss(frozen_now: int) -> None:
    with pytest.raises(TokenIssuerError) as raised:
        get_token_issuer(sign({"iat": frozen_now}))

    assert raised.value.message == "Invalid token: iss field not provided" + GUIDED


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c", "Bearer x.y.z"])
def test_get_token_issuer_of_garbage(garbage: str) -> None:
    with pytest.raises(TokenDecodeError) as raised:
        get_token_issuer(garbage)

    assert type(raised.value) is TokenDecodeError
    assert raised.value.message == "Invalid token: signature" + GUIDED
    assert isinstance(raised.value.__cause__, jwt.DecodeError)


def test_decode_token_returns_claims_without_any_check(frozen_now: int) -> None:
    claims = {"iss": SERVICE_ID, "iat": frozen_now - 3600, "exp": frozen_now - 60}

    assert decode_token(sign(claims, OTHER_SECRET)) == claims


def test_decode_token_of_garbage_raises_pyjwt_decode_error() -> None:
    with pytest.raises(jwt.DecodeError):
        decode_token("garbage")


def test_a_fresh_token_is_accepted(frozen_now: int) -> None:
    assert decode_jwt_token(create_jwt_token(SECRET, SERVICE_ID), SECRET) is True


@pytest.mark.parametrize("age_seconds", [30, -30, 0, 29, -29])
def test_up_to_30_seconds_either_way_is_accepted(frozen_now: int, age_seconds: int) -> None:
    token = sign({"iss": SERVICE_ID, "iat": frozen_now - age_seconds})

    assert decode_jwt_token(token, SECRET) is True


def test_31_seconds_old_has_expired(frozen_now: int) -> None:
    claims = {"iss": SERVICE_ID, "iat": frozen_now - 31}

    with pytest.raises(TokenExpiredError) as raised:
        decode_jwt_token(sign(claims), SECRET)

    assert raised.value.message == "Token has expired" + GUIDED
    assert raised.value.token == claims


def test_31_seconds_in_the_future_is_refused(frozen_now: int) -> None:
    claims = {"iss": SERVICE_ID, "iat": frozen_now + 31}

    with pytest.raises(TokenExpiredError) as raised:
        decode_jwt_token(sign(claims), SECRET)

    assert raised.value.message == INVALID_FUTURE_TOKEN_ERROR_MESSAGE + GUIDED
    assert raised.value.token == claims
    assert isinstance(raised.value.__cause__, jwt.ImmatureSignatureError)


def test_a_future_nbf_is_an_immature_signature(frozen_now: int) -> None:
    claims = {"iss": SERVICE_ID, "iat": frozen_now, "nbf": frozen_now + 60}

    with pytest.raises(TokenExpiredError) as raised:
        decode_jwt_token(sign(claims), SECRET)

    assert raised.value.message == "Token can not be in the future" + GUIDED
    assert raised.value.token == claims
    assert isinstance(raised.value.__cause__, jwt.ImmatureSignatureError)


@pytest.mark.parametrize("bad_iat", ["yesterday", [1], {"t": 1}])
def test_a_non_numeric_iat_is_an_invalid_issued_at(frozen_now: int, bad_iat: Any) -> None:
    claims = {"iss": SERVICE_ID, "iat": bad_iat}

    with pytest.raises(TokenExpiredError) as raised:
        decode_jwt_token(sign(claims), SECRET)

    assert raised.value.message == "Token has invalid iat field" + GUIDED
    assert raised.value.token == claims
    assert isinstance(raised.value.__cause__, jwt.InvalidIssuedAtError)


def test_a_numeric_string_iat_is_read_as_a_number(frozen_now: int) -> None:
    assert decode_jwt_token(sign({"iss": SERVICE_ID, "iat": str(frozen_now)}), SECRET) is True


def test_the_wrong_key_fails_the_signature(frozen_now: int) -> None:
    token = create_jwt_token(OTHER_SECRET, SERVICE_ID)

    with pytest.raises(TokenDecodeError) as raised:
        decode_jwt_token(token, SECRET)

    assert type(raised.value) is TokenDecodeError
    assert raised.value.message == "Invalid token: signature" + GUIDED
    assert isinstance(raised.value.__cause__, jwt.InvalidSignatureError)


@pytest.mark.parametrize("garbage", ["", "garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30"])
def test_garbage_is_a_decode_error(garbage: str) -> None:
    with pytest.raises(TokenDecodeError) as raised:
        decode_jwt_token(garbage, SECRET)

    assert type(raised.value) is TokenDecodeError
    assert isinstance(raised.value.__cause__, jwt.DecodeError)


def test_another_algorithm_is_refused(frozen_now: int) -> None:
    token = sign({"iss": SERVICE_ID, "iat": frozen_now}, HS512_SECRET, "HS512")

    with pytest.raises(TokenAlgorithmError) as raised:
        decode_jwt_token(token, SECRET)

    assert raised.value.message == "Invalid token: algorithm used is not HS256" + GUIDED
    assert isinstance(raised.value.__cause__, jwt.InvalidAlgorithmError)


def test_an_unsigned_token_is_refused(frozen_now: int) -> None:
    token = jwt.encode({"iss": SERVICE_ID, "iat": frozen_now}, None, algorithm="none")

    with pytest.raises(TokenAlgorithmError):
        decode_jwt_token(token, SECRET)


@pytest.mark.parametrize(
    "extra_claims",
    [{"aud": "someone"}, {"exp": 1715961518 - 3600}],
    ids=["audience", "expired exp"],
)
def test_other_pyjwt_refusals_are_plain_token_errors(
    frozen_now: int, extra_claims: dict[str, Any]
) -> None:
    token = sign({"iss": SERVICE_ID, "iat": frozen_now, **extra_claims})

    with pytest.raises(TokenError) as raised:
        decode_jwt_token(token, SECRET)

    assert type(raised.value) is TokenError
    assert raised.value.message == TOKEN_ERROR_DEFAULT_ERROR_MESSAGE
    assert isinstance(raised.value.__cause__, jwt.InvalidTokenError)


def test_missing_iss_after_a_good_signature(frozen_now: int) -> None:
    with pytest.raises(TokenIssuerError):
        decode_jwt_token(sign({"iat": frozen_now}), SECRET)


def test_missing_iat_after_a_good_signature(frozen_now: int) -> None:
    with pytest.raises(TokenIssuedAtError) as raised:
        decode_jwt_token(sign({"iss": SERVICE_ID}), SECRET)

    assert raised.value.message == "Invalid token: iat field not provided" + GUIDED


@pytest.mark.parametrize(
    ("claims", "error_class", "message"),
    [
        ({"iat": 0}, TokenIssuerError, "Invalid token: iss field not provided"),
        ({"iss": None, "iat": 0}, TokenIssuerError, "Invalid token: iss field not provided"),
        ({"iss": "s"}, TokenIssuedAtError, "Invalid token: iat field not provided"),
        ({"iss": "s", "iat": None}, TokenIssuedAtError, "Invalid token: iat field not provided"),
        ({}, TokenIssuerError, "Invalid token: iss field not provided"),
        ({"iss": "s", "iat": -31}, TokenExpiredError, "Token has expired"),
        ({"iss": "s", "iat": 31}, TokenExpiredError, "Token can not be in the future"),
        ({"iss": "s", "iat": "soon"}, TokenExpiredError, "Token has invalid iat field"),
    ],
)
def test_validate_jwt_token_refuses(
    frozen_now: int, claims: dict[str, Any], error_class: type[TokenError], message: str
) -> None:
    if isinstance(claims.get("iat"), int):
        claims = {**claims, "iat": frozen_now + claims["iat"]}

    with pytest.raises(error_class) as raised:
        validate_jwt_token(claims)

    assert raised.value.message == message + GUIDED


@pytest.mark.parametrize("offset", [-30, 0, 30])
def test_validate_jwt_token_accepts(frozen_now: int, offset: int) -> None:
    assert validate_jwt_token({"iss": SERVICE_ID, "iat": frozen_now + offset}) is True


def test_validate_jwt_token_keeps_the_claims_on_the_error(frozen_now: int) -> None:
    claims = {"iss": SERVICE_ID, "iat": frozen_now - 100}

    with pytest.raises(TokenExpiredError) as raised:
        validate_jwt_token(claims)

    assert raised.value.token is claims


def test_patching_authentication_jwt_decode_takes_effect(
    frozen_now: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake_decode(token: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append((token, args, kwargs))
        return {"iss": "patched", "iat": frozen_now}

    monkeypatch.setattr("notifications_python_client.authentication.jwt.decode", fake_decode)

    assert decode_jwt_token("not even a token", SECRET) is True
    assert get_token_issuer("not even a token") == "patched"
    assert [call[0] for call in calls] == ["not even a token", "not even a token"]
    assert authentication.jwt.decode is fake_decode


def test_a_patched_decode_raising_immature_still_gives_token_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise jwt.ImmatureSignatureError("not yet")

    monkeypatch.setattr(authentication.jwt, "decode", refuse)

    with pytest.raises(TokenExpiredError) as raised:
        decode_jwt_token("anything", SECRET)

    assert raised.value.message == INVALID_FUTURE_TOKEN_ERROR_MESSAGE + GUIDED
    # The unverified claims could not be read either, so there are none to attach.
    assert raised.value.token is None


def test_module_constants() -> None:
    assert authentication.__algorithm__ == "HS256"
    assert authentication.__type__ == "JWT"
    assert authentication.__bound__ == 30
    assert INVALID_FUTURE_TOKEN_ERROR_MESSAGE == "Token can not be in the future"


@pytest.mark.parametrize("header", [{"kid": 5}, {"crit": ["x"]}, {"crit": "abc"}])
def test_get_token_issuer_of_a_token_with_an_invalid_header(header: dict[str, Any]) -> None:
    token = raw_token({"typ": "JWT", "alg": "HS256", **header}, {"iss": "x", "iat": 0}, SECRET)

    with pytest.raises(TokenDecodeError):
        authentication.get_token_issuer(token)
