"""The bearer token check: exactly ``Bearer <token>``, in constant time, never shown."""

from __future__ import annotations

from typing import Any

import pytest
from callback_support import OLD_TOKEN, TOKEN
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications_python_client.callbacks import CallbackAuthError, verify_bearer_token


def test_the_token_is_accepted() -> None:
    verify_bearer_token(f"Bearer {TOKEN}", TOKEN)
    verify_bearer_token(f"Bearer {TOKEN}".encode(), [TOKEN])


def test_either_of_two_tokens_is_accepted_while_changing_it() -> None:
    verify_bearer_token(f"Bearer {OLD_TOKEN}", [TOKEN, OLD_TOKEN])
    verify_bearer_token(f"Bearer {TOKEN}", (OLD_TOKEN, TOKEN))


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "has no Authorization header"),
        ("", "has no Authorization header"),
        (b"", "has no Authorization header"),
        (f"bearer {TOKEN}", "does not use the Bearer scheme"),
        (f"Basic {TOKEN}", "does not use the Bearer scheme"),
        (TOKEN, "does not use the Bearer scheme"),
        ("Bearer", "does not use the Bearer scheme"),
        ("Bearer ", "is not one of this service's callback tokens"),
        (f"Bearer {TOKEN[:-1]}", "is not one of this service's callback tokens"),
        (f"Bearer {TOKEN}x", "is not one of this service's callback tokens"),
        (f"Bearer  {TOKEN}", "is not one of this service's callback tokens"),
        (f"Bearer {TOKEN} ", "is not one of this service's callback tokens"),
        (f"Bearer {OLD_TOKEN}", "is not one of this service's callback tokens"),
        (f"Bearer {TOKEN}é", "is not ASCII text"),
        (f"Bearer {TOKEN}".encode() + b"\xff", "is not ASCII text"),
        ("Bearer " + "x" * 10_000, "is too long"),
    ],
)
def test_anything_else_is_refused_without_showing_a_token(
    header: str | bytes | None, reason: str
) -> None:
    with pytest.raises(CallbackAuthError, match=reason) as refused:
        verify_bearer_token(header, TOKEN)

    assert TOKEN not in str(refused.value) and TOKEN[:10] not in str(refused.value)
    assert refused.value.status == 401


@pytest.mark.parametrize(
    ("tokens", "error", "problem"),
    [
        ([], ValueError, "give at least one bearer token"),
        ("short", ValueError, "at least 10 ASCII characters"),
        (["ünïcödé-token"], ValueError, "at least 10 ASCII characters"),
        ([" padded-token "], ValueError, "without surrounding spaces"),
        ([12345678901], TypeError, "bearer token 1 must be text, not int"),
    ],
)
def test_tokens_notify_would_not_take_are_a_mistake_of_the_service(
    tokens: Any, error: type[Exception], problem: str
) -> None:
    with pytest.raises(error, match=problem) as refused:
        verify_bearer_token(f"Bearer {TOKEN}", tokens)

    assert not isinstance(refused.value, CallbackAuthError)
    assert "short" not in str(refused.value) and "padded" not in str(refused.value)


@settings(derandomize=True, database=None, max_examples=300)
@given(header=st.one_of(st.none(), st.text(max_size=80), st.binary(max_size=80)))
def test_any_header_is_accepted_or_refused_with_a_callback_auth_error(
    header: str | bytes | None,
) -> None:
    try:
        verify_bearer_token(header, TOKEN)
    except CallbackAuthError as error:
        assert TOKEN not in str(error)
    else:
        assert header in (f"Bearer {TOKEN}", f"Bearer {TOKEN}".encode())
