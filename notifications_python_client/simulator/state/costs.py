"""The cost fields of a notification as GET reports them.

Behaviour: Costs; Cost fields.

Emails are free. SMS cost fragments x international rate multiplier x the service's SMS rate.
Letters are priced from ``LETTER_PRICES_POUNDS``, a small illustrative rate card: Notify's
published figures give only first class 1 sheet (1.56) and europe/rest-of-world 1 sheet (1.80);
the other prices follow Royal Mail's usual ordering (economy < second < first < international)
and each extra sheet adds ``LETTER_EXTRA_SHEET_PRICE_POUNDS``. Tests should not depend on the
exact figures.
"""

from __future__ import annotations

from typing import Any

from notifications_python_client.simulator.domain.models import Notification

LETTER_PRICES_POUNDS: dict[str, float] = {
    "economy": 0.79,
    "second": 0.93,
    "first": 1.56,
    "europe": 1.80,
    "rest-of-world": 1.80,
}
LETTER_EXTRA_SHEET_PRICE_POUNDS = 0.05
DEFAULT_POSTAGE = "second"

# Letters in these statuses were never printed, so they cost nothing once known.
LETTER_NEVER_SENT_STATUSES = frozenset(
    {"cancelled", "technical-failure", "validation-failed", "virus-scan-failed"}
)


def _not_ready() -> dict[str, Any]:
    return {"is_cost_data_ready": False, "cost_in_pounds": None, "cost_details": {}}


def letter_price_pounds(sheets: int, postage: str) -> float:
    """The price of a letter of ``sheets`` sheets; 0.0 for none."""
    if sheets <= 0:
        return 0.0
    base = LETTER_PRICES_POUNDS.get(postage, LETTER_PRICES_POUNDS[DEFAULT_POSTAGE])
    return round(base + (sheets - 1) * LETTER_EXTRA_SHEET_PRICE_POUNDS, 2)


def cost_fields(notification: Notification) -> dict[str, Any]:
    """``is_cost_data_ready``, ``cost_in_pounds`` and ``cost_details`` for GET responses."""
    if notification.type == "email":
        return {"is_cost_data_ready": True, "cost_in_pounds": 0.0, "cost_details": {}}
    if notification.type == "sms":
        return _sms_cost(notification)
    return _letter_cost(notification)


def _sms_cost(notification: Notification) -> dict[str, Any]:
    fragments = notification.billable_sms_fragments
    # Fragments are known from the start here, but Notify only bills once the SMS is sent.
    if notification.status == "created" or fragments is None:
        return _not_ready()
    multiplier = float(notification.international_rate_multiplier)
    rate = float(notification.sms_rate or 0.0)
    return {
        "is_cost_data_ready": True,
        "cost_in_pounds": fragments * multiplier * rate,
        "cost_details": {
            "billable_sms_fragments": fragments,
            "international_rate_multiplier": multiplier,
            "sms_rate": rate,
        },
    }


def _letter_cost(notification: Notification) -> dict[str, Any]:
    postage = notification.postage or DEFAULT_POSTAGE
    if notification.status in LETTER_NEVER_SENT_STATUSES:
        return {
            "is_cost_data_ready": True,
            "cost_in_pounds": 0.0,
            "cost_details": {"billable_sheets_of_paper": 0, "postage": postage},
        }
    sheets = notification.billable_sheets_of_paper
    if notification.status == "pending-virus-check" or sheets is None:
        return _not_ready()
    return {
        "is_cost_data_ready": True,
        "cost_in_pounds": letter_price_pounds(sheets, postage),
        "cost_details": {"billable_sheets_of_paper": sheets, "postage": postage},
    }
