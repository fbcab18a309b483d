"""Email-address validation, test-key outcomes and smoke-test addresses.

Behaviour: Email addresses; Test-key outcomes; Smoke-test recipients.
"""

from __future__ import annotations

import pytest

from notifications_python_client.recipients import email_address
from notifications_python_client.recipients.email_address import (
    SMOKE_TEST_EMAIL_ADDRESSES,
    EmailAddressError,
    is_smoke_test_email,
    normalise_email_address,
    validate_email_address,
)

# 63 + 1 + 63 + 1 + 63 + 1 + 61 characters: the longest domain allowed.
DOMAIN_253_CHARACTERS = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])


@pytest.mark.parametrize(
    "raw",
    [
        "test@example.com",
        "firstname.lastname+tag@gov.uk",
        "Mixed.Case@Example.COM",
        "a!#$%&'*+/=?^_`{|}~-z@example.com",
        "someone@sub.domain.example.co.uk",
        "someone@double--hyphen.com",
        "someone@123.example.com",
        "someone@müller.de",
        "someone@例え.テスト",
        "someone@example.xn--p1ai",
        "someone@example.cömm",
        "someone@xn--mller-kva.de",
        "a@" + DOMAIN_253_CHARACTERS,
        "a" * (320 - 1 - 253) + "@" + DOMAIN_253_CHARACTERS,
    ],
)
def test_valid_addresses_are_returned_unchanged(raw: str) -> None:
    assert validate_email_address(raw) == raw


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  test@example.com\t\n", "test@example.com"),
        ("\u200btest@example.com\ufeff", "test@example.com"),
        ("test@exam\u200bple.com", "test@example.com"),
        ("\u00a0test@example.com\u00a0", "test@example.com"),
    ],
)
def test_whitespace_and_invisible_characters_are_removed(raw: str, cleaned: str) -> None:
    assert validate_email_address(raw) == cleaned


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "example",
        "a@b",
        "a@b.c",
        "a..b@c.com",
        "a@b..com",
        "a b@c.com",
        '"a"@b.com',
        "with(brackets)@example.com",
        "a@-b.com",
        "a@b-.com",
        "a@b---c.com",
        "a@.b.com",
        "a@@b.com",
        "a@b@c.com",
        "@example.com",
        "a@b.com.",
        "a@exa mple.com",
        "a@b.c0m",
        "a@b.c-m",
        "a@1.23",
        "a@b.xn--",
        "a@under_score.com",
        "ä@example.com",
        "a@" + "x" * 64 + ".com",
        "a@e" + DOMAIN_253_CHARACTERS,
        "a" * (321 - 1 - 253) + "@" + DOMAIN_253_CHARACTERS,
    ],
)
def test_invalid_addresses_are_refused(raw: str) -> None:
    with pytest.raises(EmailAddressError) as caught:
        validate_email_address(raw)
    assert caught.value.message == "Not a valid email address"
    assert isinstance(caught.value, ValueError)


def test_a_non_string_is_left_to_the_schema_check() -> None:
    with pytest.raises(TypeError):
        validate_email_address(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        (" Someone@Example.COM ", "someone@example.com"),
        ("someone@example.com", "someone@example.com"),
        ("\u200bSOMEONE@example.com", "someone@example.com"),
    ],
)
def test_normalised_form_is_trimmed_and_lowercased(raw: str, normalised: str) -> None:
    assert normalise_email_address(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "is_smoke_test"),
    [
        ("simulate-delivered@notifications.service.gov.uk", True),
        ("simulate-delivered-2@notifications.service.gov.uk", True),
        ("Simulate-Delivered-3@Notifications.Service.Gov.UK", True),
        ("simulate-delivered-4@notifications.service.gov.uk", False),
        ("someone@example.com", False),
    ],
)
def test_smoke_test_addresses_match_after_lowercasing(raw: str, is_smoke_test: bool) -> None:
    assert is_smoke_test_email(raw) is is_smoke_test


def test_smoke_test_addresses_are_the_three_documented_ones() -> None:
    assert len(SMOKE_TEST_EMAIL_ADDRESSES) == 3
    assert all(a.endswith("@notifications.service.gov.uk") for a in SMOKE_TEST_EMAIL_ADDRESSES)


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [
        ("temp-fail@simulator.notify", "temporary-failure"),
        (" temp-fail@simulator.notify ", "temporary-failure"),
        ("perm-fail@simulator.notify", "permanent-failure"),
        ("Temp-Fail@simulator.notify", "delivered"),
        ("PERM-FAIL@simulator.notify", "delivered"),
        ("someone@example.com", "delivered"),
    ],
)
def test_test_key_outcome_is_an_exact_match(raw: str, outcome: str) -> None:
    assert email_address.test_key_outcome_for_email(raw) == outcome
