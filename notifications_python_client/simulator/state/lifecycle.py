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
  "validation-failed", one holding the EICAR anti-virus test text "virus-scan-failed".
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
    if outcome != "delivered" and notification.is_precompiled_letter:
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
    if transition.status in HANDED_OVER_STATUSES and notification.sent_at is None:
        notification.sent_at = moment
        if notification.type == "sms" and notification.sms_rate is None:
            notification.sms_rate = sms_rate
    if transition.status in FINAL_STATUSES:
        notification.completed_at = moment
    return notification.type != "letter" and transition.status in CALLBACK_STATUSES
