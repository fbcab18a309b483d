"""How a stored notification moves from status to status, on the

Behaviour: Test-key outcomes; Statuses.
simulator's clock.

When a notification is stored, ``plan`` fixes its future: a list of transitions, each due at a
moment of simulated time measured from ``created_at``. The store applies those that are due
whenever it is read or ticked, so moving the clock moves every notification along.

* Hand-over ("sending", or "sent" for international SMS) comes ``sending_after_seconds`` after
  creation; the final status ``delivered_after_seconds`` after that.
* Test keys end as 5.4 says (magic numbers and addresses); live and team keys go to a simulated
  provider that always delivers.
* A text message or email still "sending" 3 days after hand-over times out as
  "temporary-failure" (16.2), so a delivery slower than that never arrives.
* Templated letters with a test key are "sending" at once.
* Precompiled letters wait in "pending-virus-check": a file that is not a PDF becomes
  "validation-failed", one holding the EICAR anti-virus test text "virus-scan-failed"; with a
  test key a good one goes straight to "delivered".
* ``sent_at`` is when a message was handed to a provider. Letters sent with a test key never go
  to the printer, so they never get one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from notifications_python_client.recipients.email_address import test_key_outcome_for_email
from notifications_python_client.recipients.phone import test_key_outcome_for_phone
from notifications_python_client.simulator.domain.models import (
    FINAL_STATUSES,
    Notification,
    Service,
)

# Provider updates that trigger a delivery-status callback (behaviour: Delivery-status callbacks).
CALLBACK_STATUSES = frozenset(
    {"sent", "delivered", "permanent-failure", "temporary-failure", "technical-failure"}
)
HANDED_OVER_STATUSES = frozenset({"sending", "sent"})
SENDING_TIMEOUT = dt.timedelta(days=3)
PDF_SIGNATURE = b"%PDF-"
EICAR_SIGNATURE = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"


@dataclass(frozen=True)
class Transition:
    """The notification takes ``status`` once the simulated time reaches ``due_at``."""

    due_at: dt.datetime
    status: str


def planned_outcome(notification: Notification) -> str:
    """The final status this notification will reach."""
    if notification.is_precompiled_letter:
        return _scan(notification.pdf)
    if notification.key_type != "test" or notification.type == "letter":
        return "delivered"
    if notification.type == "sms":
        return test_key_outcome_for_phone(notification.phone_number or "")
    return test_key_outcome_for_email(notification.email_address or "")


def _scan(pdf: bytes | None) -> str:
    if not pdf or not pdf.startswith(PDF_SIGNATURE):
        return "validation-failed"
    if EICAR_SIGNATURE in pdf:
        return "virus-scan-failed"
    return "delivered"


def plan(notification: Notification, service: Service) -> list[Transition]:
    """Everything that will happen to a notification just stored, in order.

    Also records the planned outcome in ``final_status`` and, for letters, when the PDF is ready.
    """
    timings = service.timings
    created_at = notification.created_at
    outcome = notification.final_status = planned_outcome(notification)
    handed_over_at = created_at + dt.timedelta(seconds=timings.sending_after_seconds)
    if notification.type == "letter":
        if notification.pdf_ready_at is None:
            ready_after = dt.timedelta(seconds=timings.letter_pdf_ready_after_seconds)
            notification.pdf_ready_at = created_at + ready_after
        if notification.key_type == "test" and not notification.is_precompiled_letter:
            handed_over_at = created_at
    finished_at = handed_over_at + dt.timedelta(seconds=timings.delivered_after_seconds)
    if notification.is_precompiled_letter and (outcome != "delivered" or _is_test(notification)):
        return [Transition(handed_over_at, outcome)]
    handed_over = (
        "sent" if notification.type == "sms" and notification.is_international else "sending"
    )
    if notification.type != "letter" and finished_at - handed_over_at > SENDING_TIMEOUT:
        outcome = notification.final_status = "temporary-failure"
        finished_at = handed_over_at + SENDING_TIMEOUT
    return [Transition(handed_over_at, handed_over), Transition(finished_at, outcome)]


def apply(notification: Notification, transition: Transition, sms_rate: float) -> bool:
    """Move the notification on; ``True`` when the change deserves a delivery-status callback.

    Times come from the transition, not from whenever the store got round to applying it, so
    they do not depend on how often anyone reads.
    """
    moment = transition.due_at
    notification.status = transition.status
    notification.updated_at = moment
    notification.status_history.append((transition.status, moment))
    handed_to_a_provider = not (notification.type == "letter" and _is_test(notification))
    if (
        transition.status in HANDED_OVER_STATUSES
        and notification.sent_at is None
        and handed_to_a_provider
    ):
        notification.sent_at = moment
        if notification.type == "sms" and notification.sms_rate is None:
            notification.sms_rate = sms_rate
    if transition.status in FINAL_STATUSES:
        notification.completed_at = moment
    return notification.type != "letter" and transition.status in CALLBACK_STATUSES


def _is_test(notification: Notification) -> bool:
    return notification.key_type == "test"


# What a provider can report, and so what the simulator's admin API may set, by type.
SETTABLE_STATUSES = {
    "sms": frozenset({"sending", "pending", "sent", "delivered", "permanent-failure",
                      "temporary-failure", "technical-failure"}),
    "email": frozenset({"sending", "delivered", "permanent-failure", "temporary-failure",
                        "technical-failure"}),
    "letter": frozenset({"sending", "delivered", "permanent-failure", "technical-failure",
                         "cancelled", "returned-letter"}),
}  # fmt: skip
PRECOMPILED_LETTER_STATUSES = frozenset(
    {"pending-virus-check", "validation-failed", "virus-scan-failed"}
)
# Letters are stored as "sending" and "delivered" and shown as "accepted" and "received".
LETTER_STATUS_NAMES = {"accepted": "sending", "received": "delivered"}


def settable_statuses(notification: Notification) -> frozenset[str]:
    """The statuses the notification may be moved to by hand."""
    allowed = SETTABLE_STATUSES[notification.type]
    if notification.is_precompiled_letter:
        allowed = allowed | PRECOMPILED_LETTER_STATUSES
    return allowed


def stored_status(notification: Notification, status: str) -> str:
    """A status as stored: a letter's ``accepted`` and ``received`` are its ``sending`` and
    ``delivered``."""
    return LETTER_STATUS_NAMES.get(status, status) if notification.type == "letter" else status
