"""The ``format`` checks of Notify's request schemas, and the wording each failure carries.

A check either passes, fails silently (the property's own message is used, as for UUIDs and the
unsubscribe URL) or raises :class:`FormatWording` whose text follows the field name, as in
``phone_number Not enough digits``. Like Notify, every check passes values that are not strings:
the ``type`` keyword reports those.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re

from jsonschema import FormatChecker

from notifications_python_client.recipients.email_address import (
    EmailAddressError,
    validate_email_address,
)
from notifications_python_client.recipients.phone import PhoneNumberError, parse_phone_number
from notifications_python_client.simulator.checks.uuids import is_valid_uuid

SCHEDULED_FOR_MAX_AHEAD_HOURS = 24
POSTAGE_VALUES = ("first", "second", "economy")

SCHEDULED_FOR_INVALID = (
    "datetime format is invalid. It must be a valid ISO8601 date time format, "
    "https://en.wikipedia.org/wiki/ISO_8601"
)
SCHEDULED_FOR_IN_PAST = "datetime can not be in the past"
SCHEDULED_FOR_TOO_LATE = "datetime can only be 24 hours in the future"
POSTAGE_INVALID = "invalid. It must be either first, second or economy."


class FormatWording(ValueError):
    """A format check failed with a message of its own, to be put after the field name."""


# RFC 3986 section 3 and appendix A, ASCII only; an IP-literal host is checked separately.
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT = rf"{_PCHAR}*"
_SEGMENT_NZ = rf"{_PCHAR}+"
_USERINFO = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*"
_REG_NAME = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
_AUTHORITY = rf"(?:{_USERINFO}@)?(?:\[(?P<ip_literal>[^\]]*)\]|{_REG_NAME})(?::[0-9]*)?"
_HIER_PART = (
    rf"(?://{_AUTHORITY}(?:/{_SEGMENT})*"
    rf"|/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?"
    rf"|{_SEGMENT_NZ}(?:/{_SEGMENT})*"
    r"|)"
)
_QUERY_OR_FRAGMENT = rf"(?:{_PCHAR}|[/?])*"
_URI = re.compile(
    rf"[A-Za-z][A-Za-z0-9+\-.]*:{_HIER_PART}(?:\?{_QUERY_OR_FRAGMENT})?(?:#{_QUERY_OR_FRAGMENT})?"
)
_IP_FUTURE = re.compile(rf"v[0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+")


def _is_ip_literal(text: str) -> bool:
    """Whether the inside of ``[...]`` in a URI host is an IPv6 address or an IPvFuture."""
    if _IP_FUTURE.fullmatch(text):
        return True
    if "%" in text:  # zone ids are not part of RFC 3986's IPv6address
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def is_https_url(value: str) -> bool:
    """Whether ``value`` is an absolute URI starting ``https`` (so ``https:foo`` passes)."""
    if not value.startswith("https"):
        return False
    match = _URI.fullmatch(value)
    if match is None:
        return False
    ip_literal = match.group("ip_literal")
    return ip_literal is None or _is_ip_literal(ip_literal)


_ISO_8601 = re.compile(
    r"(?P<year>\d{4})(?P<dash>-?)(?P<month>\d{2})(?P=dash)(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2})"
    r"(?::?(?P<minute>\d{2})(?::?(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?"
    r"(?P<zone>Z|(?P<sign>[+-])(?P<zone_hours>\d{2})(?::?(?P<zone_minutes>\d{2}))?)?)?",
    re.ASCII,
)


def parse_iso_8601(text: str) -> dt.datetime:
    """An aware datetime from an ISO 8601 date or date-time; no zone means UTC.

    Raises ValueError when the text is not one.
    """
    match = _ISO_8601.fullmatch(text)
    if match is None:
        raise ValueError(f"not an ISO 8601 date-time: {text!r}")
    part = match.groupdict()
    zone = dt.timezone.utc
    if part["sign"]:
        offset = dt.timedelta(hours=int(part["zone_hours"]), minutes=int(part["zone_minutes"] or 0))
        zone = dt.timezone(-offset if part["sign"] == "-" else offset)
    return dt.datetime(
        int(part["year"]),
        int(part["month"]),
        int(part["day"]),
        int(part["hour"] or 0),
        int(part["minute"] or 0),
        int(part["second"] or 0),
        int((part["fraction"] or "0")[:6].ljust(6, "0")),
        tzinfo=zone,
    )


def check_scheduled_for(value: str, now: dt.datetime) -> None:
    """Refuse a ``scheduled_for`` that is not ISO 8601 or not within the next 24 hours.

    Raises FormatWording with Notify's text.
    """
    try:
        when = parse_iso_8601(value)
    except ValueError:
        raise FormatWording(SCHEDULED_FOR_INVALID) from None
    if when < now:
        raise FormatWording(SCHEDULED_FOR_IN_PAST)
    if when > now + dt.timedelta(hours=SCHEDULED_FOR_MAX_AHEAD_HOURS):
        raise FormatWording(SCHEDULED_FOR_TOO_LATE)


def _check_phone_number(value: str) -> None:
    """Refuse a phone number the way Notify's first (schema) stage does."""
    try:
        parse_phone_number(value)
    except PhoneNumberError as error:
        raise FormatWording(error.message) from None


def _check_email_address(value: str) -> None:
    """Refuse an email address the way Notify's schema stage does."""
    try:
        validate_email_address(value)
    except EmailAddressError as error:
        raise FormatWording(error.message) from None


def _check_postage(value: str) -> None:
    """Refuse precompiled-letter postage other than first, second or economy."""
    if value not in POSTAGE_VALUES:
        raise FormatWording(POSTAGE_INVALID)


def format_checker(now: dt.datetime | None = None) -> FormatChecker:
    """Notify's format checks; ``scheduled_for`` is judged against ``now`` when it is given."""
    checker = FormatChecker(formats=())

    @checker.checks("uuid")
    def _uuid(value: object) -> bool:
        return not isinstance(value, str) or is_valid_uuid(value)

    @checker.checks("https_url")
    def _https_url(value: object) -> bool:
        return not isinstance(value, str) or is_https_url(value)

    @checker.checks("phone_number", raises=FormatWording)
    def _phone_number(value: object) -> bool:
        if isinstance(value, str):
            _check_phone_number(value)
        return True

    @checker.checks("email_address", raises=FormatWording)
    def _email_address(value: object) -> bool:
        if isinstance(value, str):
            _check_email_address(value)
        return True

    @checker.checks("postage", raises=FormatWording)
    def _postage(value: object) -> bool:
        if isinstance(value, str):
            _check_postage(value)
        return True

    if now is not None:
        at = now

        @checker.checks("datetime_within_next_day", raises=FormatWording)
        def _scheduled_for(value: object) -> bool:
            if isinstance(value, str):
                check_scheduled_for(value, at)
            return True

    return checker
