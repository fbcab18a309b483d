"""The GET notification object's derived fields: statuses, timestamps, completed_at.

Behaviour: The notification object; Statuses by type.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from notification_factory import make_notification

from notifications_python_client.simulator.domain.models import Notification
from notifications_python_client.simulator.state.serialise import (
    notification_object,
    shown_status,
    timestamp,
)

ROOT = "http://localhost:6011"
CREATED_AT = dt.datetime(2000, 6, 1, 10, 0, tzinfo=dt.timezone.utc)
UPDATED_AT = dt.datetime(2000, 6, 1, 10, 5, 7, 12, tzinfo=dt.timezone.utc)


def notification(type_: Any, status: str, **fields: Any) -> Notification:
    return make_notification(type_, status, created_at=CREATED_AT, template_version=3, **fields)


def test_timestamps_have_six_fractional_digits_and_a_z() -> None:
    plus_one = dt.timezone(dt.timedelta(hours=1))

    assert timestamp(dt.datetime(2024, 5, 17, 16, 58, 38, tzinfo=plus_one)) == (
        "2024-05-17T15:58:38.000000Z"
    )


def test_timestamps_keep_microseconds() -> None:
    """Callback payloads use the same form (behaviour: Callbacks), so this pins theirs too."""
    moment = dt.datetime(2024, 5, 17, 15, 58, 38, 342838, tzinfo=dt.timezone.utc)
    one_hour_east = dt.timezone(dt.timedelta(hours=1))

    assert timestamp(moment) == "2024-05-17T15:58:38.342838Z"
    assert timestamp(dt.datetime(2024, 5, 17, 17, tzinfo=one_hour_east)) == (
        "2024-05-17T16:00:00.000000Z"
    )


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("created", "accepted"),
        ("sending", "accepted"),
        ("delivered", "received"),
        ("returned-letter", "received"),
        ("pending-virus-check", "pending-virus-check"),
        ("validation-failed", "validation-failed"),
    ],
)
def test_letter_statuses_are_mapped(stored: str, shown: str) -> None:
    assert shown_status(notification("letter", stored)) == shown
    assert shown_status(notification("sms", stored)) == stored


@pytest.mark.parametrize(
    ("status", "completed"),
    [
        ("sending", None),
        ("pending", None),
        ("delivered", "2000-06-01T10:05:07.000012Z"),
        ("temporary-failure", "2000-06-01T10:05:07.000012Z"),
    ],
)
def test_completed_at_only_for_final_statuses(status: str, completed: str | None) -> None:
    sms = notification("sms", status, updated_at=UPDATED_AT, completed_at=UPDATED_AT)

    assert notification_object(sms, ROOT)["completed_at"] == completed


def test_virus_scan_failed_letters_have_no_completed_at() -> None:
    letter = notification("letter", "virus-scan-failed", completed_at=UPDATED_AT)

    assert notification_object(letter, ROOT)["completed_at"] is None


def test_letter_estimated_delivery_follows_postage() -> None:
    letter = notification("letter", "created", postage="second")

    assert notification_object(letter, ROOT)["estimated_delivery"] == "2000-06-09T15:00:00.000000Z"


def test_fields_of_other_types_stay_null() -> None:
    sms = notification(
        "sms",
        "created",
        email_address="x@example.com",
        subject="s",
        postage="first",
        one_click_unsubscribe_url="https://x",
    )

    got = notification_object(sms, ROOT)

    assert (got["email_address"], got["subject"], got["postage"]) == (None, None, None)
    assert got["one_click_unsubscribe_url"] is None
    assert "estimated_delivery" not in got
    assert got["template"]["uri"] == (
        f"{ROOT}/v2/template/f33517ff-2a88-4f6e-b855-c550268ce08a/version/3"
    )
