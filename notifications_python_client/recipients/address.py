"""Postal-address validation for templated letters, in the order Notify checks it.

Behaviour: Postal addresses; Postage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from notifications_python_client.recipients.countries import (
    COUNTRIES_BY_KEY,
    EUROPEAN_COUNTRIES,
    UNITED_KINGDOM,
    country_key,
)

__all__ = [
    "EUROPEAN_COUNTRIES",
    "AddressError",
    "PostalAddress",
    "format_postcode",
    "is_uk_postcode",
    "normalise_country",
    "validate_postal_address",
]

MESSAGE_TOO_FEW_LINES = "Address must be at least 3 lines"
MESSAGE_TOO_MANY_LINES = "Address must be no more than 7 lines"
MESSAGE_FIRST_LINES_NOT_ALPHANUMERIC = (
    "The first 2 lines of the address must both include at least one alphanumeric character"
)
MESSAGE_BFPO_WITH_COUNTRY = "The last line of a BFPO address must not be a country."
MESSAGE_NOT_POSTCODE_OR_COUNTRY = (
    "Last line of address must be a real UK postcode or another country"
)
MESSAGE_NOT_POSTCODE = "Must be a real UK postcode"
MESSAGE_BAD_FIRST_CHARACTER = (
    "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
)
MESSAGE_NOT_REAL_ADDRESS = "Must be a real address"

ADDRESS_MIN_LINES = 3
ADDRESS_MAX_LINES = 7
# The keys read in order; ``postcode`` stands in for line 7 when that is absent.
ADDRESS_LINE_KEYS = tuple(f"address_line_{number}" for number in range(1, 7))
LAST_LINE_KEY = "address_line_7"
POSTCODE_KEY = "postcode"

# The message lists fewer characters than the check refuses; both are as Notify has them.
FORBIDDEN_FIRST_CHARACTERS = frozenset('@()=[]"\\/,<>~')
NO_FIXED_ABODE_PHRASES = ("no fixed abode", "no fixed address")

POSTAGE_ZONE_EUROPE = "europe"
POSTAGE_ZONE_REST_OF_WORLD = "rest-of-world"

_POSTCODE_AREAS_SPACED = (
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN "
    "DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L GIR "
    "LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE "
    "SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
)
# Area, a digit, an optional digit or letter, then the inward code: a digit and two letters
# that are not C, I, K, M, O or V.
_UK_POSTCODE = re.compile(
    rf"^(?:{_POSTCODE_AREAS_SPACED.replace(' ', '|')})[0-9][0-9A-Z]?[0-9][ABD-HJLNP-UW-Z]{{2}}$"
)
_BFPO_LINE = re.compile(r"^BFPO\s*(?:C/O\s*)?[0-9]+$", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
INWARD_CODE_LENGTH_CHARACTERS = 3


class AddressError(ValueError):
    """A letter address failed validation; ``message`` is Notify's text for the failed rule."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PostalAddress:
    """A valid address: its lines as printed, and where in the world it goes."""

    lines: tuple[str, ...]
    international: bool
    country: str | None
    postage_zone: str | None
    is_bfpo: bool


def validate_postal_address(
    personalisation: Mapping[str, object], *, allow_international: bool
) -> PostalAddress:
    """Check the letter address in ``personalisation`` against 10.3, first failing rule first.

    ``allow_international`` is the service's ``international_letters`` permission. The returned
    lines end with the postcode in its usual form, or with the country's canonical name.

    :raises AddressError: with the message of the first rule that fails.
    """
    lines = _strip_uk_names(_address_lines(personalisation))
    is_bfpo = any(_BFPO_LINE.match(line) for line in lines)
    country = normalise_country(lines[-1]) if lines else None
    postcode_last = bool(lines) and is_uk_postcode(lines[-1])

    if len(lines) < ADDRESS_MIN_LINES:
        raise AddressError(MESSAGE_TOO_FEW_LINES)
    if len(lines) > ADDRESS_MAX_LINES:
        raise AddressError(MESSAGE_TOO_MANY_LINES)
    if not all(_has_alphanumeric(line) for line in lines[:2]):
        raise AddressError(MESSAGE_FIRST_LINES_NOT_ALPHANUMERIC)
    if is_bfpo and country is not None:
        raise AddressError(MESSAGE_BFPO_WITH_COUNTRY)
    # A forces address may end at its BFPO line: the BF1 postcode after it is optional.
    bfpo_last = is_bfpo and _BFPO_LINE.match(lines[-1]) is not None
    if not (postcode_last or bfpo_last or (allow_international and country is not None)):
        raise AddressError(
            MESSAGE_NOT_POSTCODE_OR_COUNTRY if allow_international else MESSAGE_NOT_POSTCODE
        )
    if any(line[0] in FORBIDDEN_FIRST_CHARACTERS for line in lines):
        raise AddressError(MESSAGE_BAD_FIRST_CHARACTER)
    if _says_no_fixed_abode(lines):
        raise AddressError(MESSAGE_NOT_REAL_ADDRESS)

    if postcode_last:
        return PostalAddress(
            lines=(*lines[:-1], format_postcode(lines[-1])),
            international=False,
            country=None,
            postage_zone=None,
            is_bfpo=is_bfpo,
        )
    if country is not None:
        zone = POSTAGE_ZONE_EUROPE if country in EUROPEAN_COUNTRIES else POSTAGE_ZONE_REST_OF_WORLD
        return PostalAddress(
            lines=(*lines[:-1], country),
            international=True,
            country=country,
            postage_zone=zone,
            is_bfpo=False,
        )
    return PostalAddress(
        lines=tuple(lines), international=False, country=None, postage_zone=None, is_bfpo=is_bfpo
    )


def is_uk_postcode(text: str) -> bool:
    """Whether ``text`` has the format of a UK postcode (whitespace and case ignored)."""
    return _UK_POSTCODE.match(_compact_postcode(text)) is not None


def format_postcode(text: str) -> str:
    """A postcode in its printed form: uppercase, one space before the inward code."""
    compact = _compact_postcode(text)
    outward = compact[:-INWARD_CODE_LENGTH_CHARACTERS]
    return f"{outward} {compact[-INWARD_CODE_LENGTH_CHARACTERS:]}"


def normalise_country(text: str) -> str | None:
    """The canonical name of the country ``text`` names, loosely matched; UK names included.

    Every name of the UK or a Crown dependency gives ``"United Kingdom"``; text with a digit
    in it is never a country.
    """
    if any(character.isdigit() for character in text):
        return None
    return COUNTRIES_BY_KEY.get(country_key(text))


def _compact_postcode(text: str) -> str:
    return _WHITESPACE.sub("", text).upper()


def _address_lines(personalisation: Mapping[str, object]) -> list[str]:
    """The non-empty, tidied lines of the address, in key order."""
    values = [personalisation.get(key) for key in ADDRESS_LINE_KEYS]
    values.append(personalisation.get(LAST_LINE_KEY) or personalisation.get(POSTCODE_KEY))
    lines: list[str] = []
    for value in values:
        text = "" if value is None else str(value)
        for line in text.splitlines():
            tidied = _WHITESPACE.sub(" ", line).strip().rstrip(" ,")
            if tidied:
                lines.append(tidied)
    return lines


def _strip_uk_names(lines: list[str]) -> list[str]:
    """The lines without the trailing ones that only say the address is in the UK."""
    while lines and normalise_country(lines[-1]) == UNITED_KINGDOM:
        lines = lines[:-1]
    return lines


def _has_alphanumeric(line: str) -> bool:
    return any(character.isalnum() for character in line)


def _says_no_fixed_abode(lines: list[str]) -> bool:
    text = " ".join(lines).casefold()
    return any(line.casefold() == "nfa" for line in lines) or any(
        phrase in text for phrase in NO_FIXED_ABODE_PHRASES
    )
