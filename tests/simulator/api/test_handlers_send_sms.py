"""POST /v2/notifications/sms: the 201 shape and every error, in Notify's order.

Behaviour: Send responses; Order of checks when sending.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from wsgi_helpers import (
    ARCHIVED_SMS_SENDER_ID,
    ARCHIVED_TEMPLATE_ID,
    AUTHOR,
    CREATED_AT,
    EMAIL_TEMPLATE_ID,
    GUEST_PHONE,
    HIDDEN_TEMPLATE_ID,
    OTHER_SERVICE_TEMPLATE_ID,
    PLAIN_SMS_TEMPLATE_ID,
    ROOT,
    SERVICE_ID,
    SMS_SENDER_ID,
    SMS_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    WsgiClient,
    make_service,
    make_store,
)

from notifications_python_client.simulator.api.sending import MAX_JSON_NESTING, nesting_depth
from notifications_python_client.simulator.domain.models import Limits, Template, TemplateVersion
from notifications_python_client.simulator.state.records.sqlite import SqliteRecords
from notifications_python_client.simulator.state.store import Store

PATH = "/v2/notifications/sms"
TEAM_ONLY = "Can’t send to this recipient using a team-only API key"
TRIAL_MODE = (
    "Can’t send to this recipient when service is in trial mode – see "
    "https://www.notifications.service.gov.uk/trial-mode"
)


def sms(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "phone_number": "07700900001",
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {"name": "Amala", "day": "Monday"},
    }
    body.update(overrides)
    return body


@pytest.fixture
def client() -> WsgiClient:
    return WsgiClient(make_store())


def test_created_response_has_exactly_notifys_keys(client: WsgiClient) -> None:
    response = client.post(PATH, sms(reference="ref 1"))

    assert response.status == 201
    payload = response.json()
    notification_id = payload["id"]
    assert payload == {
        "id": notification_id,
        "reference": "ref 1",
        "content": {"body": "Hi Amala, see you Monday", "from_number": "Pigeons"},
        "uri": f"{ROOT}/v2/notifications/{notification_id}",
        "template": {
            "id": SMS_TEMPLATE_ID,
            "version": 1,
            "uri": f"{ROOT}/services/{SERVICE_ID}/templates/{SMS_TEMPLATE_ID}",
        },
        "scheduled_for": None,
    }


def test_the_notification_is_stored_with_the_number_as_sent(client: WsgiClient) -> None:
    created = client.post(PATH, sms(phone_number="  07700 900 001 ")).json()

    stored = client.get(f"/v2/notifications/{created['id']}").json()

    assert stored["phone_number"] == "07700 900 001"
    assert stored["body"] == "Hi Amala, see you Monday"
    assert stored["type"] == "sms"


def test_scheduled_for_is_accepted_and_ignored(client: WsgiClient) -> None:
    response = client.post(PATH, sms(scheduled_for=None))

    assert response.status == 201
    assert response.json()["scheduled_for"] is None


def test_a_chosen_phone_number_sender_is_shown_in_digits_form(client: WsgiClient) -> None:
    response = client.post(PATH, sms(sms_sender_id=SMS_SENDER_ID.upper()))

    assert response.status == 201
    assert response.json()["content"]["from_number"] == "447700900456"


def test_service_without_senders_sends_as_govuk() -> None:
    client = WsgiClient(make_store(make_service(sms_senders=[])))

    assert client.post(PATH, sms()).json()["content"]["from_number"] == "GOVUK"


@pytest.mark.parametrize(
    "sender_id", [ARCHIVED_SMS_SENDER_ID, "0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e"]
)
def test_unknown_or_archived_sender_is_refused_with_the_id_as_sent(
    client: WsgiClient, sender_id: str
) -> None:
    sent = sender_id.upper()
    response = client.post(PATH, sms(sms_sender_id=sent))

    assert response.status == 400
    assert response.error == (
        "BadRequestError",
        f"sms_sender_id {sent} does not exist in database for service id {SERVICE_ID}",
    )


@pytest.mark.parametrize("data", [b"", b"{not json", b"\xff\xfe\x00"])
def test_unparseable_bodies_are_invalid_json(client: WsgiClient, data: bytes) -> None:
    response = client.post(PATH, data=data)

    assert response.status == 400
    assert response.error == ("BadRequestError", "Invalid JSON supplied in POST data")


@pytest.mark.parametrize("data", [b"null", b"false", b"0", b'""', b"[]"])
def test_empty_json_values_count_as_an_empty_object(client: WsgiClient, data: bytes) -> None:
    response = client.post(PATH, data=data)

    assert response.status == 400
    assert [e["message"] for e in response.errors] == [
        "phone_number is a required property",
        "template_id is a required property",
    ]


def test_schema_errors_are_reported_together_in_schema_order(client: WsgiClient) -> None:
    body = {"phone_number": "abc", "template_id": "x", "personalisation": [1], "foo": 1}

    response = client.post(PATH, body)

    assert response.status == 400
    assert response.errors == [
        {"error": "ValidationError", "message": message}
        for message in (
            "phone_number Must not contain letters or symbols",
            "template_id is not a valid UUID",
            "personalisation [1] is not of type object",
            "Additional properties are not allowed (foo was unexpected)",
        )
    ]


def test_schema_errors_come_before_the_permission_check() -> None:
    client = WsgiClient(make_store(make_service(permissions={"email"})))

    assert client.post(PATH, {}).errors[0]["message"] == "phone_number is a required property"
    assert client.post(PATH, sms()).error == (
        "BadRequestError",
        "Service is not allowed to send text messages",
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"template_id": "0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e"}, "Template not found"),
        ({"template_id": OTHER_SERVICE_TEMPLATE_ID}, "Template not found"),
        ({"template_id": HIDDEN_TEMPLATE_ID}, "Template not found"),
        ({"template_id": EMAIL_TEMPLATE_ID}, "email template is not suitable for sms notification"),
        ({"template_id": ARCHIVED_TEMPLATE_ID}, "Template has been deleted"),
        ({"personalisation": {}}, "Missing personalisation: name, day"),
        ({"personalisation": {"NAME": "x", "day": None}}, "Missing personalisation: day"),
        (
            {"personalisation": {"name": "x", "day": "y", "f": {"file": "eA=="}}},
            "Can only send a file by email",
        ),
    ],
)
def test_template_stage_errors(client: WsgiClient, overrides: dict[str, Any], message: str) -> None:
    response = client.post(PATH, sms(**overrides))

    assert response.status == 400
    assert response.error == ("BadRequestError", message)


def test_a_message_that_renders_to_nothing_is_empty() -> None:
    template_id = "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a"
    empty = Template(
        template_id, "Empty", "sms", [TemplateVersion(1, None, "((x))", CREATED_AT, AUTHOR)]
    )
    client = WsgiClient(make_store(make_service(templates=[empty])))

    response = client.post(PATH, sms(template_id=template_id, personalisation={"x": " "}))

    assert response.error == ("BadRequestError", "Your message is empty.")


def test_template_errors_come_before_sender_errors(client: WsgiClient) -> None:
    response = client.post(PATH, sms(personalisation={}, sms_sender_id=ARCHIVED_SMS_SENDER_ID))

    assert response.error == ("BadRequestError", "Missing personalisation: name, day")


def test_sender_errors_come_before_recipient_errors(client: WsgiClient) -> None:
    team = client.as_key("team")

    response = team.post(PATH, sms(sms_sender_id=ARCHIVED_SMS_SENDER_ID))

    assert response.error[1].startswith("sms_sender_id ")


@pytest.mark.parametrize("number", ["+447700900123", "07700900123", GUEST_PHONE, "447700900124"])
def test_team_key_sends_to_team_and_guest_list_numbers(client: WsgiClient, number: str) -> None:
    assert client.as_key("team").post(PATH, sms(phone_number=number)).status == 201


def test_team_key_refuses_anyone_else(client: WsgiClient) -> None:
    response = client.as_key("team").post(PATH, sms())

    assert response.status == 400
    assert response.error == ("BadRequestError", TEAM_ONLY)


def test_trial_service_live_key_refuses_anyone_else() -> None:
    client = WsgiClient(make_store(), service_id=TRIAL_SERVICE_ID)

    assert client.post(PATH, sms()).error == ("BadRequestError", TRIAL_MODE)
    assert client.post(PATH, sms(phone_number="07700900123")).status == 201
    assert client.as_key("test").post(PATH, sms()).status == 201


def test_smoke_test_numbers_get_an_id_but_nothing_is_stored(client: WsgiClient) -> None:
    response = client.post(PATH, sms(phone_number="+44 7700 900 111"))

    assert response.status == 201
    notification_id = response.json()["id"]
    assert client.get(f"/v2/notifications/{notification_id}").status == 404
    assert client.get("/v2/notifications").json()["notifications"] == []
    assert client.store.sent_today(SERVICE_ID, "sms") == 0


def test_smoke_test_numbers_are_still_restricted_for_team_keys(client: WsgiClient) -> None:
    response = client.as_key("team").post(PATH, sms(phone_number="07700900000"))

    assert response.error == ("BadRequestError", TEAM_ONLY)


def test_international_numbers_need_the_permission() -> None:
    client = WsgiClient(make_store(make_service(permissions={"sms"})))

    response = client.post(PATH, sms(phone_number="+33612345678"))

    assert response.error == ("BadRequestError", "Cannot send to international mobile numbers")


def test_uk_landlines_need_the_permission() -> None:
    refused = WsgiClient(make_store(make_service(permissions={"sms"})))
    allowed = WsgiClient(make_store(make_service(permissions={"sms", "sms_to_uk_landlines"})))

    assert refused.post(PATH, sms(phone_number="02079460000")).error == (
        "InvalidPhoneError",
        "Not a UK mobile number",
    )
    assert allowed.post(PATH, sms(phone_number="02079460000")).status == 201


def test_countries_outside_the_price_list_are_refused(client: WsgiClient) -> None:
    response = client.post(PATH, sms(phone_number="+870772000000"))

    assert response.error == ("InvalidPhoneError", "Not a valid country prefix")


def test_international_daily_limit() -> None:
    limits = Limits(daily={"email": 9, "sms": 9, "letter": 9, "international_sms": 1})
    client = WsgiClient(make_store(make_service(limits=limits)))

    assert client.post(PATH, sms(phone_number="+33612345678")).status == 201
    response = client.post(PATH, sms(phone_number="+33612345679"))

    assert response.status == 429
    assert response.error == (
        "TooManyRequestsError",
        "Exceeded send limits (international_sms: 1) for today",
    )
    assert client.post(PATH, sms()).status == 201


def test_rate_limit_is_checked_before_the_body_is_parsed() -> None:
    client = WsgiClient(make_store(make_service(limits=Limits(rate_limit_per_minute=3))))

    assert client.post(PATH, data=b"junk").status == 400
    response = client.post(PATH, data=b"junk")

    assert response.status == 429
    assert response.error == (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3 requests per 60 seconds",
    )


def test_daily_limit_is_checked_before_the_body_is_parsed() -> None:
    limits = Limits(daily={"email": 1, "sms": 1, "letter": 1, "international_sms": 1})
    client = WsgiClient(make_store(make_service(limits=limits)))

    assert client.post(PATH, sms()).status == 201
    response = client.post(PATH, data=b"junk")

    assert response.status == 429
    assert response.error == ("TooManyRequestsError", "Exceeded send limits (sms: 1) for today")
    assert client.as_key("test").post(PATH, sms()).status == 201


def test_a_restart_from_a_store_file_does_not_start_a_fresh_day(tmp_path: Path) -> None:
    limits = Limits(daily={"email": 2, "sms": 2, "letter": 2, "international_sms": 2})
    path = tmp_path / "notify.sqlite"
    first = Store([make_service(limits=limits)], records=SqliteRecords(path))
    assert WsgiClient(first).post(PATH, sms()).status == 201
    first.close()

    again = WsgiClient(Store([make_service(limits=limits)], records=SqliteRecords(path)))

    assert again.post(PATH, sms()).status == 201
    assert again.post(PATH, sms()).error == (
        "TooManyRequestsError",
        "Exceeded send limits (sms: 2) for today",
    )
    again.store.close()


def test_messages_over_918_characters_are_too_long(client: WsgiClient) -> None:
    name = "a" * (919 - len("Hi , see you Monday"))

    response = client.post(PATH, sms(personalisation={"name": name, "day": "Monday"}))

    assert response.error == (
        "BadRequestError",
        "Your message is too long. Text messages cannot be longer than 918 characters. "
        "Your message is 919 characters long.",
    )
    assert client.post(PATH, sms(personalisation={"name": name[1:], "day": "Monday"})).status == 201


def test_fragments_multiplier_and_rate_are_recorded_for_billing(client: WsgiClient) -> None:
    created = client.post(
        PATH, sms(template_id=PLAIN_SMS_TEMPLATE_ID, phone_number="+33612345678")
    ).json()

    stored = client.get(f"/v2/notifications/{created['id']}").json()

    assert stored["cost_details"] == {
        "billable_sms_fragments": 1,
        "international_rate_multiplier": 2.0,
        "sms_rate": 0.024,
    }
    assert stored["cost_in_pounds"] == pytest.approx(0.048)


def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize("field", ["phone_number", "template_id", "reference", "personalisation"])
def test_a_field_nested_too_deep_is_refused_as_invalid_json(client: WsgiClient, field: str) -> None:
    body = {"phone_number": "07700900001", "template_id": SMS_TEMPLATE_ID}
    text = json.dumps(body)[:-1] + f', "{field}": {nested(976)}}}'

    response = client.post(PATH, data=text.encode())

    assert response.status == 400
    assert response.error == ("BadRequestError", "Invalid JSON supplied in POST data")


def test_nesting_up_to_the_limit_reaches_the_schema(client: WsgiClient) -> None:
    body = json.dumps({"phone_number": "07700900001", "template_id": SMS_TEMPLATE_ID})
    text = body[:-1] + f', "reference": {nested(MAX_JSON_NESTING - 1)}}}'

    response = client.post(PATH, data=text.encode())

    assert response.status == 400
    assert response.errors[0]["error"] == "ValidationError"


@pytest.mark.parametrize(
    ("value", "depth"),
    [(1, 0), ([], 1), ({"a": [1, {"b": []}]}, 4), ([[[[]]]], 4), ({"a": 1, "b": [[2]]}, 3)],
)
def test_nesting_depth(value: object, depth: int) -> None:
    assert nesting_depth(value) == depth
