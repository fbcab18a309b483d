"""Phone-number validation, test-key outcomes, smoke-test numbers and senders.

Behaviour: Phone numbers: format; Phone numbers: what the service may send to; Text message
senders; Test-key outcomes; Smoke-test recipients.
"""

from __future__ import annotations

import pytest

from notifications_python_client.recipients.phone import (
    SMOKE_TEST_PHONE_NUMBERS,
    PhoneNumber,
    PhoneNumberError,
    is_smoke_test_number,
    normalise_sms_sender,
    parse_phone_number,
    test_key_outcome_for_phone,
)

NOT_VALID = "Number is not valid – double check the phone number you entered"


@pytest.mark.parametrize(
    "raw",
    [
        "07700900123",
        "7700900123",
        "+447700900123",
        "447700900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "07700-900-123",
        "07700\u00a0900\u00a0123",
        "07700\u200b900123",
        " 07700900123\t",
    ],
)
def test_uk_mobile_in_every_format_normalises_to_the_same_number(raw: str) -> None:
    assert parse_phone_number(raw) == PhoneNumber(
        raw=raw,
        normalised="447700900123",
        country_code=44,
        is_uk=True,
        is_uk_landline=False,
        in_price_list=True,
        rate_multiplier=1.0,
    )


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0+447700900100", "447700900100"),
        ("000007700900100", "447700900100"),
        ("+07700900100", "447700900100"),
        ("+2921234567", "442921234567"),
    ],
)
def test_retry_without_plus_and_leading_zeros_rescues_the_number(raw: str, normalised: str) -> None:
    assert parse_phone_number(raw).normalised == normalised


@pytest.mark.parametrize("raw", ["0033612345678", "33612345678", "+33 6 12 34 56 78"])
def test_digits_too_long_for_the_uk_are_tried_as_international(raw: str) -> None:
    number = parse_phone_number(raw)
    assert (number.normalised, number.country_code, number.is_uk) == ("33612345678", 33, False)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("07700 900123", "447700900123"), ("0770090012", "44770090012")],
)
def test_drama_range_skips_the_validity_check(raw: str, normalised: str) -> None:
    assert parse_phone_number(raw).normalised == normalised


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("07700 900abc", "Must not contain letters or symbols"),
        ("07700*900123", "Must not contain letters or symbols"),
        ("07700.900.123", "Must not contain letters or symbols"),
        ("tel:07700900123", "Must not contain letters or symbols"),
        ("", "Not enough digits"),
        ("   ", "Not enough digits"),
        ("12", "Not enough digits"),
        ("999", "Not enough digits"),
        ("+", "Not enough digits"),
        ("0770090012345", "Too many digits"),
        ("+999123456789", "Too many digits"),
        ("(00)9991234567", "Not a valid country prefix"),
        ("08515111111", NOT_VALID),
        ("06123456789", NOT_VALID),
        ("01632 960 001", NOT_VALID),
        ("0800 123 4567", NOT_VALID),
        ("09012345678", NOT_VALID),
        ("+9991234567", NOT_VALID),
        ("077009001", "Not enough digits"),
    ],
)
def test_refused_numbers_carry_notifys_message(raw: str, message: str) -> None:
    with pytest.raises(PhoneNumberError) as caught:
        parse_phone_number(raw)
    assert caught.value.message == message
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_a_non_string_is_left_to_the_schema_check() -> None:
    with pytest.raises(TypeError):
        parse_phone_number(7700900123)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "is_landline"),
    [
        ("02921234567", True),
        ("020 7946 0000", True),
        ("0300 123 4567", True),
        ("0345 678 9012", True),
        ("07700900123", False),
        ("0700 1234567", False),
        ("01534 123456", True),
        ("+12025550123", False),
    ],
)
def test_uk_landlines_and_uan_are_flagged(raw: str, is_landline: bool) -> None:
    assert parse_phone_number(raw).is_uk_landline is is_landline


@pytest.mark.parametrize(
    ("raw", "country_code", "is_uk", "rate_multiplier"),
    [
        ("07700900123", 44, True, 1.0),
        ("07781 123456", 44, True, 2.0),
        ("07797 123456", 44, True, 2.0),
        ("07624 123456", 44, True, 2.0),
        ("01534 123456", 44, True, 2.0),
        ("+12025550123", 1, False, 1.0),
        ("+33 6 12 34 56 78", 33, False, 2.0),
        ("+880 1712 345678", 880, False, 9.0),
        ("+7 912 345 6789", 7, False, 10.0),
        ("+353 86 123 4567", 353, False, 1.0),
    ],
)
def test_country_and_rate_multiplier(
    raw: str, country_code: int, is_uk: bool, rate_multiplier: float
) -> None:
    number = parse_phone_number(raw)
    assert (number.country_code, number.is_uk, number.rate_multiplier) == (
        country_code,
        is_uk,
        rate_multiplier,
    )
    assert number.in_price_list


@pytest.mark.parametrize("raw", ["+870 773 111 632", "+881 6 1234 5678"])
def test_non_geographic_numbers_are_valid_but_not_in_the_price_list(raw: str) -> None:
    number = parse_phone_number(raw)
    assert number.in_price_list is False
    assert number.is_uk is False


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("07700900456", "447700900456"),
        ("+44 7700 900456", "447700900456"),
        ("GOVUK", "GOVUK"),
        ("60060", "60060"),
        ("Pigeon-HQ", "Pigeon-HQ"),
    ],
)
def test_sms_sender_is_normalised_only_when_it_is_a_phone_number(
    sender: str, expected: str
) -> None:
    assert normalise_sms_sender(sender) == expected


@pytest.mark.parametrize(
    ("raw", "is_smoke_test"),
    [
        ("07700900000", True),
        ("+44 7700 900111", True),
        ("0044 7700 900 222", True),
        ("07700900333", False),
        ("07700900123", False),
    ],
)
def test_smoke_test_numbers_match_after_normalisation(raw: str, is_smoke_test: bool) -> None:
    assert is_smoke_test_number(parse_phone_number(raw)) is is_smoke_test


def test_smoke_test_numbers_are_stored_normalised() -> None:
    assert frozenset({"447700900000", "447700900111", "447700900222"}) == SMOKE_TEST_PHONE_NUMBERS


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [
        ("07700900003", "temporary-failure"),
        ("+447700900003", "temporary-failure"),
        (" 07700900003 ", "temporary-failure"),
        ("07700900002", "permanent-failure"),
        ("+44 7700900002", "permanent-failure"),
        ("07700 900003", "delivered"),
        ("07700900123", "delivered"),
        ("+33612345678", "delivered"),
    ],
)
def test_test_key_outcome_matches_the_raw_text(raw: str, outcome: str) -> None:
    assert test_key_outcome_for_phone(raw) == outcome
