"""A message the local Notify was asked to send, as a test reads it: who it went to, what it
said, and the codes and links in what it said.

``NotifySimulator.wait_for`` returns one, so a test of a sign-in flow is a few lines::

    code = notify_simulator.wait_for(to="07700 900123").code
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from notifications_python_client.simulator.domain.models import Notification

__all__ = ["SentMessage", "recipient_of"]

# A code is a run of at least this many digits: shorter runs are counts ("in 10 minutes").
MIN_CODE_DIGITS = 4
CODE = re.compile(rf"(?<!\d)\d{{{MIN_CODE_DIGITS},}}(?!\d)")
LINK = re.compile(r"https?://[^\s<>()\[\]\"']+")
# What ends a sentence after a link, rather than the link itself.
LINK_TRAILERS = ".,;:!?"


def recipient_of(notification: Notification) -> str:
    """Who it went to: an email address, a phone number, or the address lines joined."""
    if notification.type == "letter":
        lines = [line for line in notification.address_lines.values() if line]
        return ", ".join(lines)
    return notification.email_address or notification.phone_number or ""


@dataclass(frozen=True)
class SentMessage:
    """One notification the simulator stored, with its text rendered as the recipient got it.

    :param id: Notify's id of the notification.
    :param type: ``sms``, ``email`` or ``letter``.
    :param to: the recipient as it was sent: a phone number, an email address, or a letter's
        address lines joined with ", ".
    :param normalised_to: the phone number or email address as Notify normalises it
        (``447700900123``, ``amala@example.com``); None for letters.
    :param template_id: the template it was made from, and ``template_version`` its version.
    :param reference: the sender's own reference, if one was given.
    :param subject: an email's or letter's subject, personalised; None for text messages.
    :param body: the text as the recipient sees it, placeholders filled in.
    :param personalisation: the values the sender gave for the placeholders.
    :param status: its status as Notify's API shows it now (``created``, ``delivered``, ...).
    :param key_type: the kind of API key that sent it: ``normal``, ``team`` or ``test``.
    :param service_id: the service that sent it.
    :param created_at: when it was sent, on the simulator's clock (timezone-aware, UTC).
    """

    id: str
    type: str
    to: str
    normalised_to: str | None
    template_id: str
    template_version: int
    reference: str | None
    subject: str | None
    body: str
    personalisation: Mapping[str, Any] = field(repr=False)
    status: str
    key_type: str
    service_id: str
    created_at: dt.datetime

    @classmethod
    def of(cls, notification: Notification, status: str) -> SentMessage:
        """The message of a stored notification, whose status Notify's API shows as
        ``status``."""
        n = notification
        return cls(
            id=n.id,
            type=n.type,
            to=recipient_of(n),
            normalised_to=n.normalised_to,
            template_id=n.template_id,
            template_version=n.template_version,
            reference=n.reference,
            subject=n.subject if n.type != "sms" else None,
            body=n.body,
            personalisation=dict(n.personalisation),
            status=status,
            key_type=n.key_type,
            service_id=n.service_id,
            created_at=n.created_at,
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """Every run of 4 or more digits in the subject and body, in order: sign-in codes,
        reference numbers (and phone numbers, if the text has any)."""
        return tuple(CODE.findall(f"{self.subject or ''}\n{self.body}"))

    @property
    def code(self) -> str:
        """The first of ``codes``: the code of a sign-in message.

        :raises LookupError: the text has no run of 4 or more digits (the text is shown).
        """
        if not self.codes:
            raise LookupError(f"no code (4 or more digits) in this {self.type}: {self.body!r}")
        return self.codes[0]

    @property
    def links(self) -> tuple[str, ...]:
        """Every http(s) link in the body, in order, without the punctuation that ends a
        sentence after one."""
        return tuple(link.rstrip(LINK_TRAILERS) for link in LINK.findall(self.body))
