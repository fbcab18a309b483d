"""Phone-number validation for SMS recipients and senders, as Notify's schema stage does it.

Numbers are parsed with the ``phonenumbers`` library (the one the real server uses) with the UK
as the default region.

Behaviour: Phone numbers: format; Phone numbers: what the service may send to; Text message
senders.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType, ValidationResult

UK_COUNTRY_CODE = 44
DEFAULT_REGION = "GB"

MESSAGE_LETTERS_OR_SYMBOLS = "Must not contain letters or symbols"
MESSAGE_NOT_ENOUGH_DIGITS = "Not enough digits"
MESSAGE_TOO_MANY_DIGITS = "Too many digits"
MESSAGE_BAD_COUNTRY_PREFIX = "Not a valid country prefix"
MESSAGE_NOT_VALID = "Number is not valid – double check the phone number you entered"

# Zero-width characters count as whitespace here although str.isspace() says otherwise.
ZERO_WIDTH_CHARACTERS = frozenset("\u180e\u200b\u200c\u200d\u2060\ufeff")
PUNCTUATION_ALLOWED = frozenset("()-+")

# The UK range reserved for drama: numbers of a possible length skip the validity check.
DRAMA_RANGE_PREFIX = "7700"

ALLOWED_NUMBER_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.UAN,
        PhoneNumberType.PERSONAL_NUMBER,
    }
)
UK_LANDLINE_TYPES = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.UAN})

# Regions that share +44 with the UK but are billed as international (rate multiplier below).
CROWN_DEPENDENCY_REGIONS = frozenset({"JE", "GG", "IM"})
CROWN_DEPENDENCY_RATE_MULTIPLIER = 2.0

# Notify's price list keys rates by country calling code. Only the multipliers the behaviour
# reference states are known here; every other priced country uses the default below.
RATE_MULTIPLIERS_BY_COUNTRY_CODE: dict[int, float] = {
    UK_COUNTRY_CODE: 1.0,
    1: 1.0,
    7: 10.0,
    33: 2.0,
    880: 9.0,
}
DEFAULT_INTERNATIONAL_RATE_MULTIPLIER = 1.0

# The price list covers geographic countries only; phonenumbers files the non-geographic
# codes (+800 freephone, +870 Inmarsat, +881 satellite, +882/+883 networks...) under "001".
NON_GEOGRAPHIC_REGION = "001"

SMOKE_TEST_PHONE_NUMBERS: frozenset[str] = frozenset(
    {"447700900000", "447700900111", "447700900222"}
)

TEST_KEY_TEMPORARY_FAILURE_SUFFIX = "7700900003"
TEST_KEY_PERMANENT_FAILURE_SUFFIX = "7700900002"

_PARSE_ERROR_MESSAGES = {
    NumberParseException.INVALID_COUNTRY_CODE: MESSAGE_BAD_COUNTRY_PREFIX,
    NumberParseException.NOT_A_NUMBER: MESSAGE_NOT_ENOUGH_DIGITS,
    NumberParseException.TOO_SHORT_AFTER_IDD: MESSAGE_NOT_ENOUGH_DIGITS,
    NumberParseException.TOO_SHORT_NSN: MESSAGE_NOT_ENOUGH_DIGITS,
    NumberParseException.TOO_LONG: MESSAGE_TOO_MANY_DIGITS,
}
_LENGTH_ERROR_MESSAGES = {
    ValidationResult.INVALID_COUNTRY_CODE: MESSAGE_BAD_COUNTRY_PREFIX,
    ValidationResult.TOO_SHORT: MESSAGE_NOT_ENOUGH_DIGITS,
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: MESSAGE_NOT_ENOUGH_DIGITS,
    ValidationResult.TOO_LONG: MESSAGE_TOO_MANY_DIGITS,
    ValidationResult.INVALID_LENGTH: MESSAGE_NOT_VALID,
}


class PhoneNumberError(ValueError):
    """A phone number failed validation; ``message`` is Notify's text without the field name."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PhoneNumber:
    """A valid phone number with the facts Notify's permission and billing checks need."""

    raw: str
    normalised: str
    country_code: int
    is_uk: bool
    is_uk_landline: bool
    in_price_list: bool
    rate_multiplier: float


# Each send parses its recipient several times (schema, restriction, permissions) and the team's
# numbers too; parsing is most of a send's cost, and the answer depends only on the text.
PARSED_NUMBERS_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=PARSED_NUMBERS_CACHE_SIZE)
def parse_phone_number(raw: str) -> PhoneNumber:
    """Validate ``raw`` as Notify's schema does and describe the number (cached).

    Behaviour: Phone numbers: format.

    :raises TypeError: if ``raw`` is not a string (the schema reports that itself).
    :raises PhoneNumberError: with the message of the attempt after the clean-up retry.
    """
    if not isinstance(raw, str):
        raise TypeError(f"phone number must be a string, not {type(raw).__name__}")
    try:
        number = _validate(raw)
    except PhoneNumberError:
        number = _validate(_strip_plus_and_leading_zeros(raw))
    return _describe(raw, number)


def normalise_sms_sender(sender: str) -> str:
    """A sender that is a valid phone number in digits form; anything else as given.

    Behaviour: Text message senders.
    """
    try:
        return parse_phone_number(sender).normalised
    except PhoneNumberError:
        return sender


def is_smoke_test_number(number: PhoneNumber) -> bool:
    """Whether Notify accepts but never stores or sends to this number.

    Behaviour: Smoke-test recipients.
    """
    return number.normalised in SMOKE_TEST_PHONE_NUMBERS


def test_key_outcome_for_phone(raw: str) -> str:
    """The final status a test-key SMS reaches, decided on the raw trimmed text.

    Behaviour: Test-key outcomes.
    """
    text = raw.strip()
    if text.endswith(TEST_KEY_TEMPORARY_FAILURE_SUFFIX):
        return "temporary-failure"
    if text.endswith(TEST_KEY_PERMANENT_FAILURE_SUFFIX):
        return "permanent-failure"
    return "delivered"


# The name starts with "test_", so pytest would collect it from any test module importing it.
test_key_outcome_for_phone.__test__ = False  # type: ignore[attr-defined]


def _is_blank(character: str) -> bool:
    return character.isspace() or character in ZERO_WIDTH_CHARACTERS


def _compact(text: str) -> str:
    """The text without any whitespace, which phonenumbers would skip anyway."""
    return "".join(character for character in text if not _is_blank(character))


def _strip_plus_and_leading_zeros(text: str) -> str:
    """The second attempt's input: every ``+`` deleted, then the leading zeros."""
    return _compact(text).replace("+", "").lstrip("0")


def _check_characters(text: str) -> None:
    for character in text:
        if not (
            character in "0123456789" or character in PUNCTUATION_ALLOWED or _is_blank(character)
        ):
            raise PhoneNumberError(MESSAGE_LETTERS_OR_SYMBOLS)


def _parse(text: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(text, DEFAULT_REGION)
    except NumberParseException as error:
        raise PhoneNumberError(_PARSE_ERROR_MESSAGES[error.error_type]) from error


def _as_forced_international(text: str) -> phonenumbers.PhoneNumber | None:
    """The digits read as if ``+`` had been typed, if that gives a number of possible length."""
    digits = "".join(character for character in text if character.isdigit())
    try:
        number = phonenumbers.parse("+" + digits, None)
    except NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        return None
    return number


def _is_drama_number(number: phonenumbers.PhoneNumber) -> bool:
    national = phonenumbers.national_significant_number(number)
    return (
        number.country_code == UK_COUNTRY_CODE
        and national.startswith(DRAMA_RANGE_PREFIX)
        and len(national) > len(DRAMA_RANGE_PREFIX)
    )


def _validate(text: str) -> phonenumbers.PhoneNumber:
    """One attempt at 8.2: allowed characters, a possible length, then a valid allowed type."""
    _check_characters(text)
    compact = _compact(text)
    number = _parse(compact)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != ValidationResult.IS_POSSIBLE:
        forced = _as_forced_international(compact)
        if forced is None:
            raise PhoneNumberError(_LENGTH_ERROR_MESSAGES.get(reason, MESSAGE_NOT_VALID))
        number = forced
    if _is_drama_number(number):
        return number
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError(MESSAGE_NOT_VALID)
    if phonenumbers.number_type(number) not in ALLOWED_NUMBER_TYPES:
        raise PhoneNumberError(MESSAGE_NOT_VALID)
    return number


def _describe(raw: str, number: phonenumbers.PhoneNumber) -> PhoneNumber:
    country_code = number.country_code or 0
    is_uk = country_code == UK_COUNTRY_CODE
    region = phonenumbers.region_code_for_number(number)
    is_crown_dependency = is_uk and region in CROWN_DEPENDENCY_REGIONS
    if is_crown_dependency:
        rate_multiplier = CROWN_DEPENDENCY_RATE_MULTIPLIER
    else:
        rate_multiplier = RATE_MULTIPLIERS_BY_COUNTRY_CODE.get(
            country_code, DEFAULT_INTERNATIONAL_RATE_MULTIPLIER
        )
    is_uk_landline = (
        is_uk
        and not _is_drama_number(number)
        and phonenumbers.number_type(number) in UK_LANDLINE_TYPES
    )
    return PhoneNumber(
        raw=raw,
        normalised=phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+"),
        country_code=country_code,
        is_uk=is_uk,
        is_uk_landline=is_uk_landline,
        in_price_list=phonenumbers.region_code_for_country_code(country_code)
        != NON_GEOGRAPHIC_REGION,
        rate_multiplier=rate_multiplier,
    )
