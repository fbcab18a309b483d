"""POST /v2/notifications/sms: who can receive, as the real client sees it (5, 8.2, 8.3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    GUEST_PHONE,
    NO_RESULT,
    OUTSIDER_PHONE,
    SMS_TEMPLATE_ID,
    TEAM_KEY_RECIPIENT,
    TEAM_PHONE,
    TRIAL_RECIPIENT,
    TRIAL_SERVICE_ID,
    TRIAL_SMS_TEMPLATE_ID,
    TRIAL_TEAM_PHONE,
    ClientFactory,
    derived_id,
    expect_bad_request,
    expect_error,
    expect_schema_errors,
    service,
    with_default_services,
)

from notifications_python_client.errors import BadRequestError, NotFoundError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

UK_ONLY = service("UK only", permissions=["sms", "email", "letter"])
LANDLINES = service(
    "Landlines", permissions=["sms", "email", "letter", "international_sms", "sms_to_uk_landlines"]
)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(UK_ONLY, LANDLINES)


@pytest.mark.parametrize(
    "phone_number",
    [
        "7700900123",
        "+447700900123",
        "447700900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "0+447700900100",
        "000007700900100",
        "0770090012",
        "07700\u00a0900\u200b123",
        "+33612345678",
        "0033612345678",
    ],
)
def test_every_spelling_of_a_valid_number_is_accepted(
    test_key_client: NotificationsAPIClient, phone_number: str
) -> None:
    response = test_key_client.send_sms_notification(
        phone_number, SMS_TEMPLATE_ID, personalisation={"name": "A"}
    )

    assert response["content"]["from_number"] == "GOVUK"


@pytest.mark.parametrize("recipient", [TEAM_PHONE, "+44 7700 900321", GUEST_PHONE])
def test_team_key_reaches_team_members_and_the_guest_list(
    team_client: NotificationsAPIClient, recipient: str
) -> None:
    response = team_client.send_sms_notification(recipient, SMS_TEMPLATE_ID, {"name": "A"})

    assert response["template"]["id"] == SMS_TEMPLATE_ID


def test_live_key_of_a_live_service_reaches_anyone(live_client: NotificationsAPIClient) -> None:
    assert live_client.send_sms_notification(OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": "A"})["id"]


def test_trial_service_reaches_its_team_with_a_live_key_and_anyone_with_a_test_key(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    live = clients("normal", TRIAL_SERVICE_ID)
    test = clients("test", TRIAL_SERVICE_ID)

    assert live.send_sms_notification(TRIAL_TEAM_PHONE, TRIAL_SMS_TEMPLATE_ID, {"name": "A"})
    assert test.send_sms_notification(OUTSIDER_PHONE, TRIAL_SMS_TEMPLATE_ID, {"name": "A"})


def test_uk_landline_is_accepted_with_the_landline_permission(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    landlines = clients("test", LANDLINES["id"])

    response = landlines.send_sms_notification(
        "020 7946 0000", derived_id("Landlines", "sms"), {"name": "A"}
    )

    assert response["content"]["body"] == "Hi A"


def test_smoke_test_number_answers_201_but_stores_nothing(
    sim: NotifySimulator, live_client: NotificationsAPIClient
) -> None:
    response = live_client.send_sms_notification("07700900111", SMS_TEMPLATE_ID, {"name": "A"})

    assert sim.notifications == []
    expect_error(
        lambda: live_client.get_notification_by_id(response["id"]), NotFoundError, 404, NO_RESULT
    )


@pytest.mark.parametrize(
    ("phone_number", "message"),
    [
        ("0770090012a", "Must not contain letters or symbols"),
        ("07700*900123", "Must not contain letters or symbols"),
        ("", "Not enough digits"),
        ("12", "Not enough digits"),
        ("+", "Not enough digits"),
        ("0770090012345", "Too many digits"),
        ("08515111111", "Number is not valid – double check the phone number you entered"),
        ("0800 123 4567", "Number is not valid – double check the phone number you entered"),
        ("09012345678", "Number is not valid – double check the phone number you entered"),
    ],
)
def test_phone_number_stage_one_errors(
    test_key_client: NotificationsAPIClient, phone_number: str, message: str
) -> None:
    expect_schema_errors(
        lambda: test_key_client.send_sms_notification(phone_number, SMS_TEMPLATE_ID, {"name": "A"}),
        f"phone_number {message}",
    )


def test_international_number_without_the_permission_is_refused(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    uk_only = clients("test", UK_ONLY["id"])

    expect_bad_request(
        lambda: uk_only.send_sms_notification(
            "+33612345678", derived_id("UK only", "sms"), {"name": "A"}
        ),
        "Cannot send to international mobile numbers",
    )


@pytest.mark.parametrize("landline", ["020 7946 0000", "0300 123 4567"])
def test_uk_landline_without_the_permission_is_not_a_mobile(
    test_key_client: NotificationsAPIClient, landline: str
) -> None:
    expect_error(
        lambda: test_key_client.send_sms_notification(landline, SMS_TEMPLATE_ID, {"name": "A"}),
        BadRequestError,
        400,
        ("InvalidPhoneError", "Not a UK mobile number"),
    )


def test_country_outside_the_price_list_is_refused(test_key_client: NotificationsAPIClient) -> None:
    expect_error(
        lambda: test_key_client.send_sms_notification(
            "+870773111632", SMS_TEMPLATE_ID, {"name": "A"}
        ),
        BadRequestError,
        400,
        ("InvalidPhoneError", "Not a valid country prefix"),
    )


@pytest.mark.parametrize("recipient", [OUTSIDER_PHONE, "07700900111"])
def test_team_key_refuses_other_recipients_even_smoke_test_ones(
    team_client: NotificationsAPIClient, recipient: str
) -> None:
    expect_bad_request(
        lambda: team_client.send_sms_notification(recipient, SMS_TEMPLATE_ID, {"name": "A"}),
        TEAM_KEY_RECIPIENT,
    )


def test_live_key_in_trial_mode_refuses_other_recipients(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    trial = clients("normal", TRIAL_SERVICE_ID)

    expect_bad_request(
        lambda: trial.send_sms_notification(OUTSIDER_PHONE, TRIAL_SMS_TEMPLATE_ID, {"name": "A"}),
        TRIAL_RECIPIENT,
    )


def test_crown_dependency_number_counts_as_uk_but_is_billed_as_international(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    uk_only = clients("test", UK_ONLY["id"])

    sent = uk_only.send_sms_notification(
        "+447797123456", derived_id("UK only", "sms"), {"name": "A"}
    )

    shown = uk_only.get_notification_by_id(sent["id"])
    assert shown["cost_details"]["international_rate_multiplier"] == 2.0


def test_trial_mode_applies_before_smoke_test_numbers_are_recognised(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    trial = clients("normal", TRIAL_SERVICE_ID)

    expect_bad_request(
        lambda: trial.send_sms_notification("07700900000", TRIAL_SMS_TEMPLATE_ID, {"name": "A"}),
        TRIAL_RECIPIENT,
    )
