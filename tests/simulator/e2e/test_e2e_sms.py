"""POST /v2/notifications/sms through the real client: the 201 shape, schema, template, sender."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    ARCHIVED_SMS_TEMPLATE_ID,
    EMAIL_TEMPLATE_ID,
    NUMBER_SMS_SENDER_ID,
    OUTSIDER_PHONE,
    SERVICE_ID,
    SMS_TEMPLATE_BODY,
    SMS_TEMPLATE_ID,
    TRIAL_SMS_SENDER_ID,
    TRIAL_SMS_TEMPLATE_ID,
    UNKNOWN_ID,
    ClientFactory,
    derived_id,
    expect_bad_request,
    expect_schema_errors,
    service,
    with_default_services,
)

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

NO_SMS = service("No texts", permissions=["email", "letter"])
ODD_TEMPLATES = service(
    "Odd templates",
    templates=[
        {"id": derived_id("odd", "empty"), "name": "Empty", "type": "sms", "body": "((x))"},
        {"id": derived_id("odd", "hi"), "name": "Hi", "type": "sms", "body": "Hi ((name))"},
    ],
    sms_senders=[
        {"id": derived_id("odd", "live"), "sms_sender": "Pigeons", "default": True},
        {"id": derived_id("odd", "old"), "sms_sender": "Old", "archived": True},
    ],
)
SEND = "/v2/notifications/sms"


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(NO_SMS, ODD_TEMPLATES)


def _body(**fields: Any) -> dict[str, Any]:
    return {"phone_number": OUTSIDER_PHONE, "template_id": SMS_TEMPLATE_ID, **fields}


def test_test_key_send_has_the_documented_shape(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    response = test_key_client.send_sms_notification(
        OUTSIDER_PHONE, SMS_TEMPLATE_ID, personalisation={"name": "Amala"}
    )

    notification_id = response["id"]
    assert notification_id == str(uuid.UUID(notification_id))
    assert response == {
        "id": notification_id,
        "reference": None,
        "content": {"body": SMS_TEMPLATE_BODY.replace("((name))", "Amala"), "from_number": "GOVUK"},
        "uri": f"{sim.url}/v2/notifications/{notification_id}",
        "template": {
            "id": SMS_TEMPLATE_ID,
            "version": 2,
            "uri": f"{sim.url}/services/{SERVICE_ID}/templates/{SMS_TEMPLATE_ID}",
        },
        "scheduled_for": None,
    }
    [stored] = sim.notifications
    assert (stored.id, stored.key_type, stored.type) == (notification_id, "test", "sms")


def test_reference_is_echoed_and_a_number_sender_is_normalised(
    test_key_client: NotificationsAPIClient,
) -> None:
    response = test_key_client.send_sms_notification(
        OUTSIDER_PHONE,
        SMS_TEMPLATE_ID,
        personalisation={"name": "Amala"},
        reference="ref-1",
        sms_sender_id=NUMBER_SMS_SENDER_ID,
    )

    assert response["reference"] == "ref-1"
    assert response["content"]["from_number"] == "447700900789"


def test_scheduled_for_is_accepted_and_ignored(test_key_client: NotificationsAPIClient) -> None:
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)
    body = _body(personalisation={"name": "A"}, scheduled_for=later.strftime("%Y-%m-%d %H:%M"))

    assert test_key_client.post(SEND, body)["scheduled_for"] is None


def test_empty_body_reports_both_required_properties(
    test_key_client: NotificationsAPIClient,
) -> None:
    expect_schema_errors(
        lambda: test_key_client.post(SEND, {}),
        "phone_number is a required property",
        "template_id is a required property",
    )


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        ({"template_id": "abc"}, ["template_id is not a valid UUID"]),
        ({"template_id": 5}, ["template_id is not a valid UUID"]),
        ({"phone_number": 7700900001}, ["phone_number 7700900001 is not of type string"]),
        ({"personalisation": "not_a_dict"}, ["personalisation not_a_dict is not of type object"]),
        ({"personalisation": None}, ["personalisation None is not of type object"]),
        ({"personalisation": ["a", "b"]}, ["personalisation [a, b] is not of type object"]),
        ({"reference": None}, ["reference None is not of type string"]),
        ({"reference": "x" * 1001}, [f"reference {'x' * 1001} is too long"]),
        ({"sms_sender_id": "sender"}, ["sms_sender_id is not a valid UUID"]),
        ({"foo": 1}, ["Additional properties are not allowed (foo was unexpected)"]),
        (
            {"foo": 1, "bar": 2},
            ["Additional properties are not allowed (bar, foo were unexpected)"],
        ),
        (
            {"scheduled_for": "tomorrow"},
            [
                "scheduled_for datetime format is invalid. It must be a valid ISO8601 date time "
                "format, https://en.wikipedia.org/wiki/ISO_8601"
            ],
        ),
        ({"scheduled_for": "2020-01-01 10:00"}, ["scheduled_for datetime can not be in the past"]),
    ],
)
def test_schema_failures_have_notify_messages(
    test_key_client: NotificationsAPIClient, fields: dict[str, Any], messages: list[str]
) -> None:
    expect_schema_errors(
        lambda: test_key_client.post(SEND, _body(personalisation={"name": "A"}) | fields),
        *messages,
    )


def test_scheduled_for_more_than_a_day_ahead_is_refused(
    test_key_client: NotificationsAPIClient,
) -> None:
    too_late = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=25)

    expect_schema_errors(
        lambda: test_key_client.post(SEND, _body(scheduled_for=too_late.isoformat())),
        "scheduled_for datetime can only be 24 hours in the future",
    )


def test_schema_errors_come_together_in_declaration_order(
    test_key_client: NotificationsAPIClient,
) -> None:
    body = {"zzz": 1, "sms_sender_id": 1, "template_id": "x", "phone_number": "abc", "reference": 5}

    expect_schema_errors(
        lambda: test_key_client.post(SEND, body),
        "reference 5 is not of type string",
        "phone_number Must not contain letters or symbols",
        "template_id is not a valid UUID",
        "sms_sender_id is not a valid UUID",
        "Additional properties are not allowed (zzz was unexpected)",
    )


def test_service_without_the_sms_permission_is_refused(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    no_sms = clients("test", NO_SMS["id"])

    expect_bad_request(
        lambda: no_sms.send_sms_notification(OUTSIDER_PHONE, derived_id("No texts", "sms"), {}),
        "Service is not allowed to send text messages",
    )


@pytest.mark.parametrize(
    ("template_id", "personalisation", "message"),
    [
        (UNKNOWN_ID, {"name": "A"}, "Template not found"),
        (TRIAL_SMS_TEMPLATE_ID, {"name": "A"}, "Template not found"),
        (EMAIL_TEMPLATE_ID, {"name": "A"}, "email template is not suitable for sms notification"),
        (ARCHIVED_SMS_TEMPLATE_ID, {"date": "1 May"}, "Template has been deleted"),
        (SMS_TEMPLATE_ID, None, "Missing personalisation: name"),
        (SMS_TEMPLATE_ID, {"other": "A"}, "Missing personalisation: name"),
        (
            SMS_TEMPLATE_ID,
            {"name": {"file": "YQ==", "filename": None}},
            "Can only send a file by email",
        ),
    ],
)
def test_template_stage_errors(
    test_key_client: NotificationsAPIClient,
    template_id: str,
    personalisation: dict[str, Any] | None,
    message: str,
) -> None:
    expect_bad_request(
        lambda: test_key_client.send_sms_notification(OUTSIDER_PHONE, template_id, personalisation),
        message,
    )


def test_null_personalisation_value_counts_as_missing(
    test_key_client: NotificationsAPIClient,
) -> None:
    expect_bad_request(
        lambda: test_key_client.post(SEND, _body(personalisation={"name": None})),
        "Missing personalisation: name",
    )


def test_message_that_renders_empty_is_refused(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    odd = clients("test", ODD_TEMPLATES["id"])

    expect_bad_request(
        lambda: odd.send_sms_notification(OUTSIDER_PHONE, derived_id("odd", "empty"), {"x": " "}),
        "Your message is empty.",
    )


@pytest.mark.parametrize("sender_id", [UNKNOWN_ID, TRIAL_SMS_SENDER_ID, UNKNOWN_ID.upper()])
def test_unknown_or_foreign_sender_is_refused_naming_the_id_as_sent(
    test_key_client: NotificationsAPIClient, sender_id: str
) -> None:
    expect_bad_request(
        lambda: test_key_client.send_sms_notification(
            OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": "A"}, sms_sender_id=sender_id
        ),
        f"sms_sender_id {sender_id} does not exist in database for service id {SERVICE_ID}",
    )


def test_archived_sender_is_refused(sim: NotifySimulator, clients: ClientFactory) -> None:
    odd = clients("test", ODD_TEMPLATES["id"])
    archived = derived_id("odd", "old")

    expect_bad_request(
        lambda: odd.send_sms_notification(
            OUTSIDER_PHONE, derived_id("odd", "hi"), {"name": "A"}, sms_sender_id=archived
        ),
        f"sms_sender_id {archived} does not exist in database for service id {ODD_TEMPLATES['id']}",
    )


def test_message_over_918_characters_is_too_long(test_key_client: NotificationsAPIClient) -> None:
    name = "a" * 900
    length = len(SMS_TEMPLATE_BODY.replace("((name))", name))

    expect_bad_request(
        lambda: test_key_client.send_sms_notification(
            OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": name}
        ),
        "Your message is too long. Text messages cannot be longer than 918 characters. "
        f"Your message is {length} characters long.",
    )


def test_schema_comes_before_permission_and_permission_before_template(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    no_sms = clients("test", NO_SMS["id"])

    expect_schema_errors(
        lambda: no_sms.send_sms_notification("abc", UNKNOWN_ID),
        "phone_number Must not contain letters or symbols",
    )
    expect_bad_request(
        lambda: no_sms.send_sms_notification(OUTSIDER_PHONE, UNKNOWN_ID),
        "Service is not allowed to send text messages",
    )


def test_template_comes_before_sender_and_sender_before_recipient(
    team_client: NotificationsAPIClient,
) -> None:
    expect_bad_request(
        lambda: team_client.send_sms_notification(
            OUTSIDER_PHONE, SMS_TEMPLATE_ID, {}, sms_sender_id=UNKNOWN_ID
        ),
        "Missing personalisation: name",
    )
    expect_bad_request(
        lambda: team_client.send_sms_notification(
            OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": "A"}, sms_sender_id=UNKNOWN_ID
        ),
        f"sms_sender_id {UNKNOWN_ID} does not exist in database for service id {SERVICE_ID}",
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "True"),
        (5, "5"),
        (1.0, "1.0"),
        ({"k": 1}, "{'k': 1}"),
        (["a", "b", "c"], "a, b and c"),
        (["a", None, " "], "a"),
        ("Zoë 😀 ç – “hi”  ", 'Zoë ? c - "hi"'),
        ("a\tb\u00a0c\u200bd…Łł\n\n\n\nx", "a b cd...Ll\n\nx"),
        ("((name))", "((name))"),
    ],
)
def test_values_are_printed_and_cleaned_up_for_sms(
    test_key_client: NotificationsAPIClient, value: object, shown: str
) -> None:
    response = test_key_client.send_sms_notification(
        OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": value}
    )

    assert response["content"]["body"] == SMS_TEMPLATE_BODY.replace("((name))", shown)


@pytest.mark.parametrize(
    "spelling",
    [str.upper, lambda i: "{" + i + "}", lambda i: "urn:uuid:" + i, lambda i: i.replace("-", "")],
)
def test_other_uuid_spellings_of_the_template_id_are_accepted(
    test_key_client: NotificationsAPIClient, spelling: Any
) -> None:
    response = test_key_client.send_sms_notification(
        OUTSIDER_PHONE, spelling(SMS_TEMPLATE_ID), {"name": "A"}
    )

    assert response["template"]["id"] == SMS_TEMPLATE_ID


def test_uuid_with_surrounding_space_is_invalid(test_key_client: NotificationsAPIClient) -> None:
    expect_schema_errors(
        lambda: test_key_client.send_sms_notification(OUTSIDER_PHONE, f" {SMS_TEMPLATE_ID}", {}),
        "template_id is not a valid UUID",
    )
