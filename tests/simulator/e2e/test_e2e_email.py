"""POST /v2/notifications/email through the real client: the 201 shape and every error row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    EMAIL_TEMPLATE_BODY,
    EMAIL_TEMPLATE_ID,
    GUEST_EMAIL,
    OTHER_REPLY_TO_ID,
    OUTSIDER_EMAIL,
    SERVICE_ID,
    SHOW_EMAIL_TEMPLATE_ID,
    SMS_TEMPLATE_ID,
    TEAM_EMAIL,
    TEAM_KEY_RECIPIENT,
    TRIAL_EMAIL_TEMPLATE_ID,
    TRIAL_RECIPIENT,
    TRIAL_REPLY_TO_ID,
    TRIAL_SERVICE_ID,
    TRIAL_TEAM_EMAIL,
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

SEND = "/v2/notifications/email"
CAFE = service(
    "Café & Co. Ltd",
    templates=[
        {
            "id": derived_id("cafe", "email"),
            "name": "E",
            "type": "email",
            "subject": "Hi",
            "body": "Hi ((name))",
        },
        {
            "id": derived_id("cafe", "empty"),
            "name": "X",
            "type": "email",
            "subject": "S",
            "body": "",
        },
        {
            "id": derived_id("cafe", "blank"),
            "name": "Y",
            "type": "email",
            "subject": "S",
            "body": "((x))",
        },
    ],
    email_reply_to=[
        {"id": derived_id("cafe", "reply"), "email_address": "a@example.gov.uk", "default": True},
        {"id": derived_id("cafe", "old"), "email_address": "b@example.gov.uk", "archived": True},
    ],
)
NO_EMAIL = service("No emails", permissions=["sms", "letter"])


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(CAFE, NO_EMAIL)


def test_send_has_the_documented_shape(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "Amala"}, reference="ref"
    )

    notification_id = response["id"]
    assert response == {
        "id": notification_id,
        "reference": "ref",
        "content": {
            "from_email": "pigeon.affairs.bureau@notifications.service.gov.uk",
            "subject": "Pigeon registration for Amala",
            "body": EMAIL_TEMPLATE_BODY.replace("((name))", "Amala"),
            "one_click_unsubscribe_url": None,
        },
        "uri": f"{sim.url}/v2/notifications/{notification_id}",
        "template": {
            "id": EMAIL_TEMPLATE_ID,
            "version": 1,
            "uri": f"{sim.url}/services/{SERVICE_ID}/templates/{EMAIL_TEMPLATE_ID}",
        },
        "scheduled_for": None,
        "sanitised_content": {},
    }
    assert [n.id for n in sim.notifications] == [notification_id]


def test_unsubscribe_url_and_reply_to_are_accepted(test_key_client: NotificationsAPIClient) -> None:
    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL,
        EMAIL_TEMPLATE_ID,
        {"name": "A"},
        email_reply_to_id=OTHER_REPLY_TO_ID,
        one_click_unsubscribe_url="https://example.gov.uk/unsubscribe?u=1",
    )

    assert (
        response["content"]["one_click_unsubscribe_url"] == "https://example.gov.uk/unsubscribe?u=1"
    )


@pytest.mark.parametrize("url", ["https:foo", "httpsx://a"])
def test_odd_unsubscribe_strings_that_pass_the_check(
    test_key_client: NotificationsAPIClient, url: str
) -> None:
    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "A"}, one_click_unsubscribe_url=url
    )

    assert response["content"]["one_click_unsubscribe_url"] == url


def test_from_email_is_built_from_the_service_name(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    cafe = clients("test", CAFE["id"])

    response = cafe.send_email_notification(
        OUTSIDER_EMAIL, derived_id("cafe", "email"), {"name": "A"}
    )

    assert response["content"]["from_email"] == "cafe.co.ltd@notifications.service.gov.uk"


@pytest.mark.parametrize("recipient", [TEAM_EMAIL, " Pigeon.Keeper@Example.GOV.uk ", GUEST_EMAIL])
def test_team_key_reaches_team_and_guest_list_whatever_the_case(
    team_client: NotificationsAPIClient, recipient: str
) -> None:
    assert team_client.send_email_notification(recipient, EMAIL_TEMPLATE_ID, {"name": "A"})["id"]


def test_empty_body_reports_both_required_properties(
    test_key_client: NotificationsAPIClient,
) -> None:
    expect_schema_errors(
        lambda: test_key_client.post(SEND, {}),
        "email_address is a required property",
        "template_id is a required property",
    )


@pytest.mark.parametrize(
    "address",
    [
        "example",
        "a@b",
        "a@b.c",
        "a..b@c.com",
        "a b@c.com",
        '"a"@b.com',
        "with(brackets)@example.com",
        "a@-b.com",
        "",
    ],
)
def test_invalid_addresses_are_refused(
    test_key_client: NotificationsAPIClient, address: str
) -> None:
    expect_schema_errors(
        lambda: test_key_client.send_email_notification(address, EMAIL_TEMPLATE_ID, {"name": "A"}),
        "email_address Not a valid email address",
    )


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        ({"email_address": []}, ["email_address [] is not of type string"]),
        ({"template_id": "nope"}, ["template_id is not a valid UUID"]),
        ({"email_reply_to_id": "nope"}, ["email_reply_to_id is not a valid UUID"]),
        (
            {"sanitise_content_for": "name"},
            ["sanitise_content_for name is not of type array, null"],
        ),
        ({"personalisation": "x"}, ["personalisation x is not of type object"]),
        ({"reply_to": 1}, ["Additional properties are not allowed (reply_to was unexpected)"]),
        *[
            (
                {"one_click_unsubscribe_url": url},
                ["one_click_unsubscribe_url is not a valid https url"],
            )
            for url in (
                None,
                5,
                "http://example.com",
                "HTTPS://example.com",
                "https://a b.com",
                "https://é.com",
            )
        ],
    ],
)
def test_schema_failures_have_notify_messages(
    test_key_client: NotificationsAPIClient, fields: dict[str, Any], messages: list[str]
) -> None:
    body = {"email_address": OUTSIDER_EMAIL, "template_id": EMAIL_TEMPLATE_ID} | fields

    expect_schema_errors(
        lambda: test_key_client.post(SEND, body),
        *messages,
    )


def test_service_without_the_email_permission_is_refused(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    notify = clients("test", NO_EMAIL["id"])

    expect_bad_request(
        lambda: notify.send_email_notification(OUTSIDER_EMAIL, derived_id("No emails", "email")),
        "Service is not allowed to send emails",
    )


@pytest.mark.parametrize(
    ("template_id", "personalisation", "message"),
    [
        (UNKNOWN_ID, {}, "Template not found"),
        (TRIAL_EMAIL_TEMPLATE_ID, {"name": "A"}, "Template not found"),
        (SMS_TEMPLATE_ID, {"name": "A"}, "sms template is not suitable for email notification"),
        (
            SHOW_EMAIL_TEMPLATE_ID,
            {"birds": []},
            "Missing personalisation: show name, name, first_entry",
        ),
    ],
)
def test_template_stage_errors(
    test_key_client: NotificationsAPIClient,
    template_id: str,
    personalisation: dict[str, Any],
    message: str,
) -> None:
    expect_bad_request(
        lambda: test_key_client.send_email_notification(
            OUTSIDER_EMAIL, template_id, personalisation
        ),
        message,
    )


@pytest.mark.parametrize("template_key", ["empty", "blank"])
def test_empty_message_is_refused(
    sim: NotifySimulator, clients: ClientFactory, template_key: str
) -> None:
    cafe = clients("test", CAFE["id"])

    expect_bad_request(
        lambda: cafe.send_email_notification(
            OUTSIDER_EMAIL, derived_id("cafe", template_key), {"x": ""}
        ),
        "Your message is empty.",
    )


@pytest.mark.parametrize("reply_to_id", [UNKNOWN_ID, TRIAL_REPLY_TO_ID])
def test_unknown_or_foreign_reply_to_is_refused(
    test_key_client: NotificationsAPIClient, reply_to_id: str
) -> None:
    expect_bad_request(
        lambda: test_key_client.send_email_notification(
            OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "A"}, email_reply_to_id=reply_to_id
        ),
        f"email_reply_to_id {reply_to_id} does not exist in database for service id {SERVICE_ID}",
    )


def test_archived_reply_to_is_refused(sim: NotifySimulator, clients: ClientFactory) -> None:
    cafe = clients("test", CAFE["id"])
    archived = derived_id("cafe", "old")

    expect_bad_request(
        lambda: cafe.send_email_notification(
            OUTSIDER_EMAIL, derived_id("cafe", "email"), {"name": "A"}, email_reply_to_id=archived
        ),
        f"email_reply_to_id {archived} does not exist in database for service id {CAFE['id']}",
    )


def test_team_key_refuses_other_recipients(team_client: NotificationsAPIClient) -> None:
    expect_bad_request(
        lambda: team_client.send_email_notification(
            OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "A"}
        ),
        TEAM_KEY_RECIPIENT,
    )


def test_trial_mode_refuses_other_recipients_but_not_the_team(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    trial = clients("normal", TRIAL_SERVICE_ID)

    assert trial.send_email_notification(TRIAL_TEAM_EMAIL, TRIAL_EMAIL_TEMPLATE_ID, {"name": "A"})
    expect_bad_request(
        lambda: trial.send_email_notification(
            OUTSIDER_EMAIL, TRIAL_EMAIL_TEMPLATE_ID, {"name": "A"}
        ),
        TRIAL_RECIPIENT,
    )


@pytest.mark.parametrize(
    "address",
    [
        "\u200b someone@example.com \u00a0",
        "a@münchen.de",
        "a@b.xn--p1ai",
        "first.o'last+tag@sub.example-site.co.uk",
        "simulate-delivered@notifications.service.gov.uk".upper(),
    ],
)
def test_valid_addresses_are_accepted(
    test_key_client: NotificationsAPIClient, address: str
) -> None:
    assert test_key_client.send_email_notification(address, EMAIL_TEMPLATE_ID, {"name": "A"})["id"]


@pytest.mark.parametrize(
    "address",
    ["a@" + "b" * 64 + ".com", "a@b.c0m", "a@b_c.com", "a@b.com.", ("a" * 310) + "@example.com"],
)
def test_more_invalid_addresses(test_key_client: NotificationsAPIClient, address: str) -> None:
    expect_schema_errors(
        lambda: test_key_client.send_email_notification(address, EMAIL_TEMPLATE_ID, {"name": "A"}),
        "email_address Not a valid email address",
    )
