"""POST /v2/notifications/letter from a template through the real client (10, 12.6, 14)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    LETTER_TEMPLATE_ID,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    TRIAL_LETTER_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    UK_ADDRESS,
    UNKNOWN_ID,
    ClientFactory,
    derived_id,
    expect_bad_request,
    expect_error,
    expect_schema_errors,
    service,
    with_default_services,
)

from notifications_python_client.errors import AuthError, BadRequestError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

SEND = "/v2/notifications/letter"
LETTER_BODY = (
    "Dear ((address_line_1)),\n\nYour pigeon keeping licence is enclosed. Please keep it "
    "somewhere safe.\n\nYours faithfully,\n\nThe Pigeon Affairs Bureau"
)
WORLDWIDE = service(
    "Worldwide",
    permissions=["email", "sms", "letter", "international_letters"],
    templates=[
        {
            "id": derived_id("world", "letter"),
            "name": "L",
            "type": "letter",
            "subject": "((topic))",
            "body": "Dear ((address_line_1)), ((detail))",
            "letter_contact_block": "((office))\nLondon",
            "postage": "first",
        },
        {
            "id": derived_id("world", "qr"),
            "name": "Q",
            "type": "letter",
            "subject": "S",
            "body": "QR: ((link))",
        },
        {
            "id": derived_id("world", "economy"),
            "name": "Economy",
            "type": "letter",
            "subject": "S",
            "body": "B",
            "postage": "economy",
        },
        {
            "id": derived_id("world", "empty"),
            "name": "E",
            "type": "letter",
            "subject": "S",
            "body": "((x))",
        },
    ],
)
NO_LETTERS = service("No letters", permissions=["email", "sms"])


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(WORLDWIDE, NO_LETTERS)


@pytest.fixture
def worldwide(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    return clients("test", WORLDWIDE["id"])


def test_templated_letter_has_the_documented_shape(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    response = test_key_client.send_letter_notification(
        LETTER_TEMPLATE_ID, UK_ADDRESS, reference="r1"
    )

    notification_id = response["id"]
    assert response == {
        "id": notification_id,
        "reference": "r1",
        "content": {
            "subject": "Your pigeon keeping licence",
            "body": LETTER_BODY.replace("((address_line_1))", "A Pigeon"),
        },
        "uri": f"{sim.url}/v2/notifications/{notification_id}",
        "template": {
            "id": LETTER_TEMPLATE_ID,
            "version": 1,
            "uri": f"{sim.url}/services/{SERVICE_ID}/templates/{LETTER_TEMPLATE_ID}",
        },
        "scheduled_for": None,
    }


def test_live_key_sends_letters_on_a_live_service(live_client: NotificationsAPIClient) -> None:
    response = live_client.send_letter_notification(LETTER_TEMPLATE_ID, UK_ADDRESS)

    assert live_client.get_notification_by_id(response["id"])["status"] in ("accepted", "received")


def test_test_key_sends_letters_in_trial_mode(sim: NotifySimulator, clients: ClientFactory) -> None:
    trial = clients("test", TRIAL_SERVICE_ID)

    assert trial.send_letter_notification(TRIAL_LETTER_TEMPLATE_ID, UK_ADDRESS)["id"]


def test_qr_code_of_504_bytes_fits(worldwide: NotificationsAPIClient) -> None:
    assert worldwide.send_letter_notification(
        derived_id("world", "qr"), {**UK_ADDRESS, "link": "x" * 504}
    )["id"]


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        ({}, ["template_id is a required property", "personalisation is a required property"]),
        ({"template_id": LETTER_TEMPLATE_ID}, ["personalisation is a required property"]),
        ({"template_id": "x", "personalisation": UK_ADDRESS}, ["template_id is not a valid UUID"]),
        (
            {"template_id": LETTER_TEMPLATE_ID, "personalisation": "x"},
            ["personalisation x is not of type object"],
        ),
        (
            {"template_id": LETTER_TEMPLATE_ID, "personalisation": UK_ADDRESS, "postage": "first"},
            ["Additional properties are not allowed (postage was unexpected)"],
        ),
        (
            {"template_id": LETTER_TEMPLATE_ID, "personalisation": UK_ADDRESS, "reference": 1},
            ["reference 1 is not of type string"],
        ),
    ],
)
def test_templated_schema_failures(
    test_key_client: NotificationsAPIClient, body: dict[str, Any], messages: list[str]
) -> None:
    expect_schema_errors(
        lambda: test_key_client.post(SEND, body),
        *messages,
    )


def test_service_without_the_letter_permission_is_refused(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    notify = clients("test", NO_LETTERS["id"])

    expect_bad_request(
        lambda: notify.send_letter_notification(derived_id("No letters", "letter"), UK_ADDRESS),
        "Service is not allowed to send letters",
    )


@pytest.mark.parametrize(
    ("template_id", "message"),
    [
        (UNKNOWN_ID, "Template not found"),
        (TRIAL_LETTER_TEMPLATE_ID, "Template not found"),
        (SMS_TEMPLATE_ID, "sms template is not suitable for letter notification"),
    ],
)
def test_template_lookup_errors(
    test_key_client: NotificationsAPIClient, template_id: str, message: str
) -> None:
    expect_bad_request(
        lambda: test_key_client.send_letter_notification(template_id, UK_ADDRESS),
        message,
    )


def test_missing_personalisation_lists_contact_block_then_subject_then_body(
    worldwide: NotificationsAPIClient,
) -> None:
    expect_bad_request(
        lambda: worldwide.send_letter_notification(derived_id("world", "letter"), UK_ADDRESS),
        "Missing personalisation: office, topic, detail",
    )


def test_file_in_a_letter_and_empty_letter_are_refused(worldwide: NotificationsAPIClient) -> None:
    expect_bad_request(
        lambda: worldwide.send_letter_notification(
            derived_id("world", "qr"), {**UK_ADDRESS, "link": {"file": "YQ=="}}
        ),
        "Can only send a file by email",
    )
    expect_bad_request(
        lambda: worldwide.send_letter_notification(
            derived_id("world", "empty"), {**UK_ADDRESS, "x": ""}
        ),
        "Your message is empty.",
    )


def test_qr_code_over_504_bytes_names_data_and_sizes(worldwide: NotificationsAPIClient) -> None:
    link = "https://example.gov.uk/" + "é" * 241

    with pytest.raises(BadRequestError) as caught:
        worldwide.send_letter_notification(derived_id("world", "qr"), {**UK_ADDRESS, "link": link})

    assert caught.value.message == [
        {
            "error": "ValidationError",
            "message": "Cannot create a usable QR code - the link is too long",
            "data": link,
            "num_bytes": 505,
            "max_bytes": 504,
        }
    ]


def test_team_key_is_refused_before_the_address_is_read(
    team_client: NotificationsAPIClient,
) -> None:
    expect_error(
        lambda: team_client.send_letter_notification(LETTER_TEMPLATE_ID, {"address_line_1": "A"}),
        AuthError,
        403,
        ("BadRequestError", "Cannot send letters with a team api key"),
    )


@pytest.mark.parametrize(
    ("key_type", "message"),
    [
        ("normal", "Cannot send letters when service is in trial mode"),
        ("team", "Cannot send letters with a team api key"),
    ],
)
def test_trial_mode_refuses_live_and_team_keys(
    sim: NotifySimulator, clients: ClientFactory, key_type: str, message: str
) -> None:
    trial = clients(key_type, TRIAL_SERVICE_ID)

    expect_error(
        lambda: trial.send_letter_notification(TRIAL_LETTER_TEMPLATE_ID, UK_ADDRESS),
        AuthError,
        403,
        ("BadRequestError", message),
    )


def test_template_stage_comes_before_the_team_key_check(
    team_client: NotificationsAPIClient,
) -> None:
    expect_bad_request(
        lambda: team_client.send_letter_notification(UNKNOWN_ID, UK_ADDRESS),
        "Template not found",
    )


def test_letter_subject_is_html_escaped_then_typeset(worldwide: NotificationsAPIClient) -> None:
    personalisation = {**UK_ADDRESS, "topic": 'A & B <C> "q" &amp;', "detail": "D", "office": "O"}

    sent = worldwide.send_letter_notification(derived_id("world", "letter"), personalisation)

    assert sent["content"]["subject"] == "A &amp; B &lt;C&gt; “q” &amp;"


@pytest.mark.parametrize(
    ("created", "template", "expected"),
    [
        ("2000-06-01T10:00:00", LETTER_TEMPLATE_ID, "2000-06-09T15:00:00.000000Z"),
        ("2000-12-01T10:00:00", derived_id("world", "letter"), "2000-12-05T16:00:00.000000Z"),
        ("2000-06-01T10:00:00", derived_id("world", "economy"), "2000-06-13T15:00:00.000000Z"),
        ("2000-12-01T10:00:00", derived_id("world", "economy"), "2000-12-13T16:00:00.000000Z"),
    ],
)
def test_estimated_delivery_follows_the_printing_calendar(
    sim: NotifySimulator, clients: ClientFactory, created: str, template: str, expected: str
) -> None:
    moment = dt.datetime.fromisoformat(created).replace(tzinfo=dt.timezone.utc)
    sim.advance_clock((moment - dt.datetime.now(dt.timezone.utc)).total_seconds())
    service_id = SERVICE_ID if template == LETTER_TEMPLATE_ID else WORLDWIDE["id"]
    notify = clients("test", service_id)
    personalisation = {**UK_ADDRESS, "topic": "T", "detail": "D", "office": "O"}

    sent = notify.send_letter_notification(template, personalisation)

    assert notify.get_notification_by_id(sent["id"])["estimated_delivery"] == expected


@pytest.mark.parametrize(
    ("address", "cost"),
    [(UK_ADDRESS, 1.56), ({**UK_ADDRESS, "postcode": "France"}, 1.80)],
    ids=["first-class", "europe"],
)
def test_one_sheet_letter_costs(
    worldwide: NotificationsAPIClient, address: dict[str, str], cost: float
) -> None:
    personalisation = {**address, "topic": "T", "detail": "D", "office": "O"}
    sent = worldwide.send_letter_notification(derived_id("world", "letter"), personalisation)

    shown = worldwide.get_notification_by_id(sent["id"])

    assert shown["cost_details"]["billable_sheets_of_paper"] == 1
    assert (shown["is_cost_data_ready"], shown["cost_in_pounds"]) == (True, cost)


def test_null_personalisation_is_not_an_object(test_key_client: NotificationsAPIClient) -> None:
    expect_schema_errors(
        lambda: test_key_client.post(
            SEND, {"template_id": LETTER_TEMPLATE_ID, "personalisation": None}
        ),
        "personalisation None is not of type object",
    )
