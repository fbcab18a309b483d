"""POST /v2/notifications/letter: templated letters and precompiled PDFs.

Behaviour: Sending a letter; Precompiled letters.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from wsgi_helpers import (
    HIDDEN_TEMPLATE_ID,
    LETTER_TEMPLATE_ID,
    ROOT,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    WsgiClient,
    make_service,
    make_store,
)

from notifications_python_client.simulator.domain.models import Limits, Timings

PATH = "/v2/notifications/letter"
ADDRESS = {"address_line_1": "A Person", "address_line_2": "1 Street", "postcode": "sw1a1aa"}
PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF").decode("ascii")
SLOW = Timings(sending_after_seconds=3600, delivered_after_seconds=3600)


def letter(**overrides: Any) -> dict[str, Any]:
    personalisation = {"name": "Amala", "thing": "pigeons", "office": "Room 1", **ADDRESS}
    body: dict[str, Any] = {"template_id": LETTER_TEMPLATE_ID, "personalisation": personalisation}
    body.update(overrides)
    return body


def precompiled(**overrides: Any) -> dict[str, Any]:
    return {"reference": "my letter", "content": PDF, **overrides}


@pytest.fixture
def client() -> WsgiClient:
    return WsgiClient(make_store(make_service(timings=SLOW)))


def test_templated_letter_response(client: WsgiClient) -> None:
    response = client.post(PATH, letter(reference="ref"))

    assert response.status == 201
    payload = response.json()
    notification_id = payload["id"]
    assert payload == {
        "id": notification_id,
        "reference": "ref",
        "content": {"subject": "About pigeons &amp; more", "body": "Dear Amala"},
        "uri": f"{ROOT}/v2/notifications/{notification_id}",
        "template": {
            "id": LETTER_TEMPLATE_ID,
            "version": 1,
            "uri": f"{ROOT}/services/{SERVICE_ID}/templates/{LETTER_TEMPLATE_ID}",
        },
        "scheduled_for": None,
    }


def test_templated_letter_is_stored_with_the_raw_address(client: WsgiClient) -> None:
    created = client.post(PATH, letter()).json()

    stored = client.get(f"/v2/notifications/{created['id']}").json()

    assert [stored[f"line_{n}"] for n in range(1, 7)] == ["A Person", "1 Street"] + [None] * 4
    assert stored["postcode"] == "sw1a1aa"
    assert stored["postage"] == "first"
    assert stored["status"] == "accepted"
    assert stored["subject"] == "About pigeons &amp; more"
    assert "estimated_delivery" in stored


def test_international_letters_get_european_or_world_postage() -> None:
    service = make_service(permissions={"letter", "international_letters"})
    client = WsgiClient(make_store(service))
    address = {"address_line_2": "1 Rue", "address_line_3": "Paris", "postcode": "France"}

    created = client.post(PATH, letter(personalisation={**letter()["personalisation"], **address}))

    assert created.status == 201
    stored = client.get(f"/v2/notifications/{created.json()['id']}").json()
    assert stored["postage"] == "europe"
    assert stored["postcode"] == "France"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ({"postcode": None}, "Address must be at least 3 lines"),
        ({"postcode": "France"}, "Must be a real UK postcode"),
        ({"address_line_2": "NFA"}, "Must be a real address"),
    ],
)
def test_address_errors_are_validation_errors(
    client: WsgiClient, address: dict[str, Any], message: str
) -> None:
    response = client.post(PATH, letter(personalisation={**letter()["personalisation"], **address}))

    assert response.status == 400
    assert response.error == ("ValidationError", message)


def test_missing_personalisation_lists_contact_block_subject_then_body(client: WsgiClient) -> None:
    response = client.post(PATH, letter(personalisation=dict(ADDRESS)))

    assert response.error == ("BadRequestError", "Missing personalisation: office, thing, name")


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        ({"template_id": LETTER_TEMPLATE_ID}, ["personalisation is a required property"]),
        (
            letter(postage="first", letter_contact_id="x"),
            ["Additional properties are not allowed (letter_contact_id, postage were unexpected)"],
        ),
    ],
)
def test_schema_errors(client: WsgiClient, body: dict[str, Any], messages: list[str]) -> None:
    assert [e["message"] for e in client.post(PATH, body).errors] == messages


def test_template_of_another_type(client: WsgiClient) -> None:
    response = client.post(PATH, letter(template_id=SMS_TEMPLATE_ID))

    assert response.error == (
        "BadRequestError",
        "sms template is not suitable for letter notification",
    )


def test_files_are_refused(client: WsgiClient) -> None:
    personalisation = {**letter()["personalisation"], "name": {"file": "eA=="}}

    assert client.post(PATH, letter(personalisation=personalisation)).error == (
        "BadRequestError",
        "Can only send a file by email",
    )


def test_qr_codes_that_are_too_long_are_refused(client: WsgiClient) -> None:
    link = "https://example.com/" + "a" * 490
    personalisation = {**letter()["personalisation"], "name": f"Amala\n\nqr : {link}"}

    response = client.post(PATH, letter(personalisation=personalisation))

    assert response.status == 400
    assert response.json()["errors"] == [
        {
            "error": "ValidationError",
            "message": "Cannot create a usable QR code - the link is too long",
            "data": link,
            "num_bytes": 510,
            "max_bytes": 504,
        }
    ]


def test_team_keys_cannot_send_letters_but_template_errors_come_first(client: WsgiClient) -> None:
    team = client.as_key("team")

    assert team.post(PATH, letter(personalisation={})).error[1].startswith("Missing")
    response = team.post(PATH, letter())
    assert response.status == 403
    assert response.error == ("BadRequestError", "Cannot send letters with a team api key")


def test_trial_services_send_letters_only_with_test_keys() -> None:
    client = WsgiClient(make_store(), service_id=TRIAL_SERVICE_ID)

    refused = client.post(PATH, letter())

    assert refused.status == 403
    assert refused.error == ("BadRequestError", "Cannot send letters when service is in trial mode")
    assert client.as_key("test").post(PATH, letter()).status == 201


def test_service_without_letter_permission() -> None:
    client = WsgiClient(make_store(make_service(permissions={"sms"})))

    for body in (letter(), precompiled()):
        assert client.post(PATH, body).error == (
            "BadRequestError",
            "Service is not allowed to send letters",
        )


def test_templated_letters_are_charged_twice_against_the_rate_limit() -> None:
    limits = Limits(rate_limit_per_minute=6)  # a bucket of 3 tokens
    templated = WsgiClient(make_store(make_service(limits=limits)))
    precompiled_only = WsgiClient(make_store(make_service(limits=limits)))

    assert templated.post(PATH, letter()).status == 201
    assert templated.post(PATH, precompiled()).status == 429
    assert precompiled_only.post(PATH, precompiled()).status == 201
    assert precompiled_only.post(PATH, precompiled()).status == 201


def test_precompiled_letter_response_has_three_keys(client: WsgiClient) -> None:
    response = client.post(PATH, precompiled(postage="economy"))

    assert response.status == 201
    assert response.json() == {
        "id": response.json()["id"],
        "reference": "my letter",
        "postage": "economy",
    }


def test_precompiled_letter_as_seen_through_get(client: WsgiClient) -> None:
    created = client.post(PATH, precompiled()).json()

    stored = client.get(f"/v2/notifications/{created['id']}").json()

    assert created["postage"] == "second"
    assert stored["line_1"] == "Provided as PDF"
    assert stored["postcode"] is None
    assert stored["body"] == ""
    assert stored["subject"] == "Pre-compiled PDF"
    assert stored["status"] == "pending-virus-check"
    assert stored["template"]["id"] == HIDDEN_TEMPLATE_ID
    assert stored["is_cost_data_ready"] is False


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        (
            precompiled(postage="europe"),
            ["postage invalid. It must be either first, second or economy."],
        ),
        (
            precompiled(template_id=LETTER_TEMPLATE_ID),
            ["Additional properties are not allowed (template_id was unexpected)"],
        ),
        ({"content": PDF}, ["reference is a required property"]),
    ],
)
def test_precompiled_schema_errors(
    client: WsgiClient, body: dict[str, Any], messages: list[str]
) -> None:
    assert [e["message"] for e in client.post(PATH, body).errors] == messages


def test_precompiled_base64_is_lenient_but_needs_padding(client: WsgiClient) -> None:
    assert client.post(PATH, precompiled(content="JVBE!Ri0x")).status == 201
    response = client.post(PATH, precompiled(content="JVBERi0"))
    assert response.error == (
        "BadRequestError",
        "Cannot decode letter content (invalid base64 encoding)",
    )


def test_precompiled_letters_follow_the_key_rules(client: WsgiClient) -> None:
    assert client.as_key("team").post(PATH, precompiled()).status == 403
    trial = WsgiClient(make_store(), service_id=TRIAL_SERVICE_ID)
    assert trial.post(PATH, precompiled()).error[1] == (
        "Cannot send letters when service is in trial mode"
    )
    assert trial.as_key("test").post(PATH, precompiled()).status == 201
