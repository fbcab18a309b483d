"""The cost fields of GET responses, row by row (behaviour: Cost fields)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from notification_factory import make_notification

from notifications_python_client.simulator.domain.models import Notification
from notifications_python_client.simulator.state.costs import cost_fields, letter_price_pounds

CREATED_AT = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
NOT_READY: dict[str, Any] = {
    "is_cost_data_ready": False,
    "cost_in_pounds": None,
    "cost_details": {},
}


def notification(type_: Any, status: str, **fields: Any) -> Notification:
    return make_notification(type_, status, created_at=CREATED_AT, **fields)


def test_emails_are_free_whatever_their_status() -> None:
    for status in ("created", "delivered"):
        assert cost_fields(notification("email", status)) == {
            "is_cost_data_ready": True,
            "cost_in_pounds": 0.0,
            "cost_details": {},
        }


def test_sms_costs_are_not_ready_until_sent() -> None:
    billed = {"billable_sms_fragments": 2, "sms_rate": 0.0233}

    assert cost_fields(notification("sms", "created", **billed)) == NOT_READY
    assert cost_fields(notification("sms", "sending")) == NOT_READY


def test_sms_cost_is_fragments_times_multiplier_times_rate() -> None:
    sms = notification(
        "sms",
        "delivered",
        billable_sms_fragments=3,
        international_rate_multiplier=2,
        sms_rate=0.0233,
    )

    fields = cost_fields(sms)

    assert fields["is_cost_data_ready"] is True
    assert fields["cost_in_pounds"] == pytest.approx(0.1398)
    assert fields["cost_details"] == {
        "billable_sms_fragments": 3,
        "international_rate_multiplier": 2.0,
        "sms_rate": 0.0233,
    }
    assert isinstance(fields["cost_details"]["international_rate_multiplier"], float)


@pytest.mark.parametrize(
    "letter",
    [
        notification("letter", "pending-virus-check", billable_sheets_of_paper=1),
        notification("letter", "created", postage="first"),
    ],
)
def test_letter_costs_not_ready_before_scanning_or_rendering(letter: Notification) -> None:
    assert cost_fields(letter) == NOT_READY


@pytest.mark.parametrize(
    "status", ["cancelled", "technical-failure", "validation-failed", "virus-scan-failed"]
)
def test_letters_never_sent_cost_nothing(status: str) -> None:
    letter = notification("letter", status, postage="economy", billable_sheets_of_paper=3)

    assert cost_fields(letter) == {
        "is_cost_data_ready": True,
        "cost_in_pounds": 0.0,
        "cost_details": {"billable_sheets_of_paper": 0, "postage": "economy"},
    }


def test_letters_are_priced_by_sheets_and_postage() -> None:
    letter = notification("letter", "delivered", postage="first", billable_sheets_of_paper=1)

    assert cost_fields(letter) == {
        "is_cost_data_ready": True,
        "cost_in_pounds": 1.56,
        "cost_details": {"billable_sheets_of_paper": 1, "postage": "first"},
    }


def test_letter_price_table() -> None:
    assert letter_price_pounds(1, "europe") == letter_price_pounds(1, "rest-of-world") == 1.80
    assert letter_price_pounds(0, "first") == 0.0
    assert letter_price_pounds(1, "economy") < letter_price_pounds(1, "second")
    assert letter_price_pounds(1, "second") < letter_price_pounds(1, "first")
    assert letter_price_pounds(3, "first") > letter_price_pounds(2, "first")
