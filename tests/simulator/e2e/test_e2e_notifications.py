"""GET /v2/notifications/{id} through the real client: shapes, outcomes, lifecycle, retention."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pytest
from e2e_support import (
    DAY_SECONDS,
    LETTER_TEMPLATE_ID,
    NO_RESULT,
    OUTSIDER_PHONE,
    SMS_TEMPLATE_ID,
    TIMESTAMP,
    TRIAL_SERVICE_ID,
    TRIAL_SMS_TEMPLATE_ID,
    UNKNOWN_ID,
    ClientFactory,
    derived_id,
    email_id,
    expect_error,
    expect_schema_errors,
    service,
    sms_id,
    with_default_services,
)

from notifications_python_client.errors import NotFoundError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

NOTIFICATION_KEYS = {
    "id", "reference", "email_address", "phone_number", "line_1", "line_2", "line_3", "line_4",
    "line_5", "line_6", "postcode", "type", "status", "template", "body", "subject",
    "created_at", "created_by_name", "sent_at", "completed_at", "scheduled_for", "postage",
    "one_click_unsubscribe_url", "is_cost_data_ready", "cost_in_pounds", "cost_details",
}  # fmt: skip
STUCK = service("Stuck", timings={"delivered_after_seconds": 10 * DAY_SECONDS})
SLOW = service(
    "Slow",
    timings={"sending_after_seconds": 10, "delivered_after_seconds": 20},
    limits={"retention_days": 3},
)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(SLOW, STUCK)


@pytest.fixture
def slow(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    return clients("normal", SLOW["id"])


def test_sms_has_every_documented_key(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    notification_id = sms_id(test_key_client, " 07700 900123 ", reference="ref")

    shown = test_key_client.get_notification_by_id(notification_id)

    assert set(shown) == NOTIFICATION_KEYS
    for key in ("created_at", "sent_at", "completed_at"):
        assert TIMESTAMP.fullmatch(shown[key] or ""), (key, shown[key])
    expected = {
        "id": notification_id,
        "reference": "ref",
        "email_address": None,
        "phone_number": "07700 900123",
        **dict.fromkeys(("line_1", "line_2", "line_3", "line_4", "line_5", "line_6", "postcode")),
        "type": "sms",
        "status": "delivered",
        "template": {
            "id": SMS_TEMPLATE_ID,
            "version": 2,
            "uri": f"{sim.url}/v2/template/{SMS_TEMPLATE_ID}/version/2",
        },
        "body": "Hello A, your pigeon registration is due. "
        "Reply to this message if your loft has moved.",
        "subject": None,
        "created_by_name": None,
        "scheduled_for": None,
        "postage": None,
        "one_click_unsubscribe_url": None,
        "is_cost_data_ready": True,
        "cost_in_pounds": 0.024,
        "cost_details": {
            "billable_sms_fragments": 1,
            "international_rate_multiplier": 1.0,
            "sms_rate": 0.024,
        },
    }
    assert {key: shown[key] for key in expected} == expected


def test_email_costs_nothing_and_keeps_the_unsubscribe_url(
    test_key_client: NotificationsAPIClient,
) -> None:
    url = "https://example.gov.uk/unsubscribe"
    notification_id = email_id(
        test_key_client, " Someone@Example.com ", one_click_unsubscribe_url=url
    )

    shown = test_key_client.get_notification_by_id(notification_id)

    assert set(shown) == NOTIFICATION_KEYS
    assert (shown["email_address"], shown["phone_number"], shown["type"]) == (
        "Someone@Example.com",
        None,
        "email",
    )
    assert (shown["subject"], shown["one_click_unsubscribe_url"]) == (
        "Pigeon registration for A",
        url,
    )
    assert (shown["is_cost_data_ready"], shown["cost_in_pounds"], shown["cost_details"]) == (
        True,
        0.0,
        {},
    )


def test_letter_shows_raw_address_postage_and_delivery_estimate(
    test_key_client: NotificationsAPIClient,
) -> None:
    address = {
        "address_line_1": "A Pigeon",
        "address_line_2": "1 Loft Lane",
        "address_line_7": "SW1A 1AA",
    }
    notification_id = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)["id"]

    shown = test_key_client.get_notification_by_id(notification_id)

    assert set(shown) == NOTIFICATION_KEYS | {"estimated_delivery"}
    assert [shown[f"line_{n}"] for n in range(1, 7)] + [shown["postcode"]] == [
        "A Pigeon",
        "1 Loft Lane",
        None,
        None,
        None,
        None,
        None,
    ]
    assert (shown["type"], shown["status"], shown["postage"]) == ("letter", "received", "second")
    assert shown["subject"] == "Your pigeon keeping licence"
    assert TIMESTAMP.fullmatch(shown["estimated_delivery"] or "")
    assert shown["cost_details"]["postage"] == "second"
    assert shown["cost_details"]["billable_sheets_of_paper"] >= 1


@pytest.mark.parametrize(
    ("phone", "status"),
    [
        ("07700900003", "temporary-failure"),
        ("+447700900003", "temporary-failure"),
        ("07700900002", "permanent-failure"),
        ("07700 900003", "delivered"),
        (OUTSIDER_PHONE, "delivered"),
    ],
)
def test_test_key_sms_outcomes(
    test_key_client: NotificationsAPIClient, phone: str, status: str
) -> None:
    assert (
        test_key_client.get_notification_by_id(sms_id(test_key_client, phone))["status"] == status
    )


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("temp-fail@simulator.notify", "temporary-failure"),
        ("perm-fail@simulator.notify", "permanent-failure"),
        ("Temp-fail@simulator.notify", "delivered"),
    ],
)
def test_test_key_email_outcomes(
    test_key_client: NotificationsAPIClient, address: str, status: str
) -> None:
    assert (
        test_key_client.get_notification_by_id(email_id(test_key_client, address))["status"]
        == status
    )


def test_international_sms_is_billed_with_the_multiplier(
    test_key_client: NotificationsAPIClient,
) -> None:
    shown = test_key_client.get_notification_by_id(sms_id(test_key_client, "+33612345678"))

    assert shown["cost_details"]["international_rate_multiplier"] == 2.0
    assert shown["cost_in_pounds"] == pytest.approx(0.048)


def test_live_notification_moves_along_the_simulated_clock(
    sim: NotifySimulator, slow: NotificationsAPIClient
) -> None:
    sent = slow.send_sms_notification(OUTSIDER_PHONE, derived_id("Slow", "sms"), {"name": "A"})

    created = slow.get_notification_by_id(sent["id"])
    sim.advance_clock(10)
    sending = slow.get_notification_by_id(sent["id"])
    sim.advance_clock(20)
    delivered = slow.get_notification_by_id(sent["id"])

    assert (created["status"], created["sent_at"], created["completed_at"]) == (
        "created",
        None,
        None,
    )
    assert (created["is_cost_data_ready"], created["cost_in_pounds"], created["cost_details"]) == (
        False,
        None,
        {},
    )
    assert (sending["status"], sending["completed_at"]) == ("sending", None)
    assert TIMESTAMP.fullmatch(sending["sent_at"] or "")
    assert delivered["status"] == "delivered"
    assert TIMESTAMP.fullmatch(delivered["completed_at"] or "")


def test_sending_for_three_days_becomes_temporary_failure(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    stuck = clients("normal", STUCK["id"])
    sent = stuck.send_sms_notification(OUTSIDER_PHONE, derived_id("Stuck", "sms"), {"name": "A"})
    assert stuck.get_notification_by_id(sent["id"])["status"] == "sending"

    sim.advance_clock(3 * DAY_SECONDS + 60)

    assert stuck.get_notification_by_id(sent["id"])["status"] == "temporary-failure"


def test_any_key_type_reads_any_notification_of_the_service(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    notification_id = sms_id(clients("test"))

    for key_type in ("normal", "team"):
        assert clients(key_type).get_notification_by_id(notification_id)["id"] == notification_id


@pytest.mark.parametrize(
    "spelling", [str.upper, lambda i: "{" + i + "}", lambda i: i.replace("-", "")]
)
def test_other_uuid_spellings_find_the_notification(
    test_key_client: NotificationsAPIClient, spelling: Any
) -> None:
    notification_id = sms_id(test_key_client)

    assert (
        test_key_client.get_notification_by_id(spelling(notification_id))["id"] == notification_id
    )


@pytest.mark.parametrize("bad_id", ["abc", "sms", " " + UNKNOWN_ID, UNKNOWN_ID + "0"])
def test_invalid_id_is_a_validation_error(
    test_key_client: NotificationsAPIClient, bad_id: str
) -> None:
    expect_schema_errors(
        lambda: test_key_client.get_notification_by_id(bad_id),
        "notification_id is not a valid UUID",
    )


def test_unknown_and_foreign_ids_are_not_found(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    foreign = clients("test", TRIAL_SERVICE_ID).send_sms_notification(
        OUTSIDER_PHONE, TRIAL_SMS_TEMPLATE_ID, {"name": "A"}
    )["id"]

    for notification_id in (UNKNOWN_ID, foreign):
        expect_error(
            partial(clients("test").get_notification_by_id, notification_id),
            NotFoundError,
            404,
            NO_RESULT,
        )


def _still_found_then_expired(
    sim: NotifySimulator, notify: NotificationsAPIClient, notification_id: str, after_days: int
) -> None:
    """Found ``after_days`` days on; one day later gone, and gone from the list too."""
    sim.advance_clock(after_days * DAY_SECONDS)
    assert notify.get_notification_by_id(notification_id)["id"] == notification_id
    sim.advance_clock(DAY_SECONDS)
    expect_error(
        lambda: notify.get_notification_by_id(notification_id), NotFoundError, 404, NO_RESULT
    )
    assert notify.get_all_notifications()["notifications"] == []


def test_notifications_expire_after_the_retention_period(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, slow: NotificationsAPIClient
) -> None:
    kept_a_week = sms_id(test_key_client)
    kept_three_days = slow.send_sms_notification(
        OUTSIDER_PHONE, derived_id("Slow", "sms"), {"name": "A"}
    )["id"]

    _still_found_then_expired(sim, slow, kept_three_days, after_days=3)
    # Four days have passed: the default week's retention ends three days later.
    _still_found_then_expired(sim, test_key_client, kept_a_week, after_days=3)


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("a" * 74, 1),
        ("a" * 75, 2),
        ("€" * 37, 1),
        ("€" * 38, 2),
        ("w", 1),
        ("ŵ", 2),
        ("😀", 1),
    ],
)
def test_billable_fragments(
    test_key_client: NotificationsAPIClient, name: str, fragments: int
) -> None:
    # The template text around the name is 86 GSM-7 characters.
    shown = test_key_client.get_notification_by_id(sms_id(test_key_client, name=name))

    assert shown["cost_details"]["billable_sms_fragments"] == fragments
    assert shown["cost_in_pounds"] == pytest.approx(fragments * 0.024)
