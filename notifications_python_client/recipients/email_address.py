"""Email-address validation for email recipients, as Notify's schema stage does it.

Behaviour: Email addresses.
"""

from __future__ import annotations

import re

MESSAGE_NOT_VALID = "Not a valid email address"

EMAIL_MAX_LENGTH_CHARACTERS = 320
DOMAIN_MAX_LENGTH_CHARACTERS = 253

# Removed wherever they appear: they are invisible, so nobody means them to be in an address.
INVISIBLE_CHARACTERS = "\u00a0\u180e\u200b\u200c\u200d\u2060\ufeff"

_ADDRESS = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@([^.@][^@\s]+)$")
_DOMAIN_LABEL = re.compile(r"^[a-z0-9]+(?:--?[a-z0-9]+)*$", re.IGNORECASE)
_TOP_LEVEL_LABEL = re.compile(r"^(?:[a-z]{2,63}|xn--(?:[a-z0-9]+-)*[a-z0-9]+)$", re.IGNORECASE)
_LABEL_MAX_LENGTH_CHARACTERS = 63

SMOKE_TEST_EMAIL_ADDRESSES: frozenset[str] = frozenset(
    {
        "simulate-delivered@notifications.service.gov.uk",
        "simulate-delivered-2@notifications.service.gov.uk",
        "simulate-delivered-3@notifications.service.gov.uk",
    }
)

TEST_KEY_TEMPORARY_FAILURE_ADDRESS = "temp-fail@simulator.notify"
TEST_KEY_PERMANENT_FAILURE_ADDRESS = "perm-fail@simulator.notify"


class EmailAddressError(ValueError):
    """An email address failed validation; ``message`` is Notify's text without the field."""

    def __init__(self, message: str = MESSAGE_NOT_VALID) -> None:
        super().__init__(message)
        self.message = message


def validate_email_address(raw: str) -> str:
    """The address with invisible characters and surrounding whitespace removed, if valid.

    :raises TypeError: if ``raw`` is not a string (the schema reports that itself).
    :raises EmailAddressError: if any rule of 9.2 fails.
    """
    if not isinstance(raw, str):
        raise TypeError(f"email address must be a string, not {type(raw).__name__}")
    address = _clean(raw)
    match = _ADDRESS.match(address)
    if match is None or len(address) > EMAIL_MAX_LENGTH_CHARACTERS or ".." in address:
        raise EmailAddressError()
    if not _is_valid_domain(match.group(1)):
        raise EmailAddressError()
    return address


def normalise_email_address(address: str) -> str:
    """The form Notify compares with team members and the guest list: trimmed, lowercased."""
    return _clean(address).lower()


def is_smoke_test_email(address: str) -> bool:
    """Whether Notify accepts but never stores or sends to this address.

    Behaviour: Smoke-test recipients.
    """
    return normalise_email_address(address) in SMOKE_TEST_EMAIL_ADDRESSES


def test_key_outcome_for_email(raw: str) -> str:
    """The final status a test-key email reaches: an exact, case-sensitive match.

    Behaviour: Test-key outcomes.
    """
    address = raw.strip()
    if address == TEST_KEY_TEMPORARY_FAILURE_ADDRESS:
        return "temporary-failure"
    if address == TEST_KEY_PERMANENT_FAILURE_ADDRESS:
        return "permanent-failure"
    return "delivered"


# The name starts with "test_", so pytest would collect it from any test module importing it.
test_key_outcome_for_email.__test__ = False  # type: ignore[attr-defined]


def _clean(text: str) -> str:
    for character in INVISIBLE_CHARACTERS:
        text = text.replace(character, "")
    return text.strip()


def _is_valid_domain(domain: str) -> bool:
    """Whether the domain, once IDNA-encoded, is a dotted name with a plausible last label."""
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    if len(ascii_domain) > DOMAIN_MAX_LENGTH_CHARACTERS:
        return False
    labels = ascii_domain.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if len(label) > _LABEL_MAX_LENGTH_CHARACTERS or not _DOMAIN_LABEL.match(label):
            return False
    return _TOP_LEVEL_LABEL.match(labels[-1]) is not None
