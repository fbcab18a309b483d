"""Finding notifications by recipient as a person types it, with Notify's own normalisation.

``07700 900123``, ``07700900123``, ``+447700900123`` and ``447700900123`` are one number; email
addresses match without regard to case or surrounding spaces. Shared by ``wait_for``, the admin
API's ``to`` and ``recipient`` filters and the inbox's recipient box.
"""

from __future__ import annotations

from collections.abc import Callable

from notifications_python_client.recipients.email_address import normalise_email_address
from notifications_python_client.recipients.phone import PhoneNumberError, parse_phone_number
from notifications_python_client.simulator.domain.models import Notification
from notifications_python_client.simulator.domain.sent_message import recipient_of

__all__ = ["phone_number", "recipient_test"]

NotificationTest = Callable[[Notification], bool]


def recipient_test(text: str, *, exact: bool) -> NotificationTest | None:
    """The test of a notification's recipient against ``text``; None when ``text`` is blank.

    A phone number matches its normalised form exactly. Otherwise, with ``exact``, an email
    address must be the recipient's (any case) and a letter must have ``text`` as one of its
    address lines; without it, ``text`` may be any part of the recipient, ignoring case and
    spaces.
    """
    text = text.strip()
    if not text:
        return None
    number = phone_number(text)
    if number is not None:
        return lambda n: n.type == "sms" and n.normalised_to == number
    if exact:
        wanted_email = normalise_email_address(text)
        wanted_line = _compact(text)
        return lambda n: (
            n.normalised_to == wanted_email
            if n.type == "email"
            else n.type == "letter"
            and any(_compact(line or "") == wanted_line for line in n.address_lines.values())
        )
    part = _compact(text)
    return lambda n: part in _compact(recipient_of(n))


def phone_number(text: str) -> str | None:
    """``text`` as Notify normalises a phone number, or None when it is not one."""
    if "@" in text or not any(character.isdigit() for character in text):
        return None
    try:
        return parse_phone_number(text).normalised
    except (PhoneNumberError, TypeError):
        return None


def _compact(text: str) -> str:
    return "".join(text.split()).casefold()
