"""Templates through the WSGI app: by id, by version, the list and preview.

Behaviour: Templates.
"""

from __future__ import annotations

from typing import Any

import pytest
from wsgi_helpers import (
    ARCHIVED_TEMPLATE_ID,
    AUTHOR,
    EMAIL_TEMPLATE_ID,
    HIDDEN_TEMPLATE_ID,
    LETTER_TEMPLATE_ID,
    OTHER_SERVICE_TEMPLATE_ID,
    PLAIN_SMS_TEMPLATE_ID,
    SMS_TEMPLATE_ID,
    VERSIONED_TEMPLATE_ID,
    WsgiClient,
    make_service,
    make_store,
)

from notifications_python_client.simulator.domain.models import Limits

NOT_FOUND = ("NoResultFound", "No result found")
PARAGRAPH = '<p style="Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;">'


@pytest.fixture
def client() -> WsgiClient:
    return WsgiClient(make_store())


def test_sms_template(client: WsgiClient) -> None:
    response = client.get(f"/v2/template/{SMS_TEMPLATE_ID}")

    assert response.status == 200
    assert response.json() == {
        "id": SMS_TEMPLATE_ID,
        "name": "Appointment",
        "type": "sms",
        "created_at": "2024-05-01T09:30:00.000000Z",
        "updated_at": None,
        "created_by": AUTHOR,
        "version": 1,
        "body": "Hi ((name)), see you ((day))",
        "subject": None,
        "personalisation": {"name": {"required": True}, "day": {"required": True}},
        "postage": None,
        "letter_contact_block": None,
    }


def test_letter_template_includes_contact_block_placeholders(client: WsgiClient) -> None:
    got = client.get(f"/v2/template/{LETTER_TEMPLATE_ID.upper()}").json()

    # The JSON encoder sorts keys, so only membership is observable.
    assert got["personalisation"] == {
        "office": {"required": True},
        "thing": {"required": True},
        "name": {"required": True},
    }
    assert got["postage"] == "first"
    assert got["letter_contact_block"] == "Pigeon Affairs\n((office))"
    assert got["subject"] == "About ((thing)) & more"


def test_latest_version_and_earlier_versions(client: WsgiClient) -> None:
    latest = client.get(f"/v2/template/{VERSIONED_TEMPLATE_ID}").json()
    first = client.get(f"/v2/template/{VERSIONED_TEMPLATE_ID}/version/1").json()
    zero = client.get(f"/v2/template/{VERSIONED_TEMPLATE_ID}/version/0").json()

    assert (latest["version"], latest["body"], latest["created_by"]) == (
        2,
        "Version ((two))",
        "bob@example.gov.uk",
    )
    assert latest["created_at"] == "2024-05-01T09:30:00.000000Z"
    assert latest["updated_at"] == "2024-05-02T10:00:00.000000Z"
    assert (first["version"], first["body"], first["updated_at"]) == (1, "Version one", None)
    assert zero == latest


def test_archived_templates_are_still_returned(client: WsgiClient) -> None:
    assert client.get(f"/v2/template/{ARCHIVED_TEMPLATE_ID}").status == 200


@pytest.mark.parametrize(
    "path",
    [
        f"/v2/template/{HIDDEN_TEMPLATE_ID}",
        f"/v2/template/{OTHER_SERVICE_TEMPLATE_ID}",
        "/v2/template/0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e",
        f"/v2/template/{SMS_TEMPLATE_ID}/version/2",
    ],
)
def test_templates_not_found(client: WsgiClient, path: str) -> None:
    response = client.get(path)

    assert response.status == 404
    assert response.error == NOT_FOUND


def test_absurd_versions_are_a_data_error(client: WsgiClient) -> None:
    response = client.get(f"/v2/template/{SMS_TEMPLATE_ID}/version/99999999999")

    assert response.status == 404
    assert response.error == ("DataError", "No result found")


@pytest.mark.parametrize("path", ["/v2/template/abc", "/v2/template/abc/version/2"])
def test_invalid_template_ids(client: WsgiClient, path: str) -> None:
    response = client.get(path)

    assert response.status == 400
    assert response.error == ("ValidationError", "id is not a valid UUID")


def test_list_has_live_templates_sorted_by_name_then_type(client: WsgiClient) -> None:
    templates = client.get("/v2/templates").json()["templates"]

    assert [(t["name"], t["type"], t["version"]) for t in templates] == [
        ("Anything", "email", 1),
        ("Appointment", "email", 2),
        ("Appointment", "sms", 1),
        ("Letter", "letter", 1),
        ("Pigeon registration", "email", 1),
        ("Plain", "sms", 1),
    ]


def test_list_filters_by_the_first_type_given(client: WsgiClient) -> None:
    templates = client.get("/v2/templates", "type=sms&type=email").json()["templates"]

    assert {t["id"] for t in templates} == {SMS_TEMPLATE_ID, PLAIN_SMS_TEMPLATE_ID}


def test_list_of_a_service_without_templates_is_empty() -> None:
    client = WsgiClient(make_store(make_service(templates=[])))

    assert client.get("/v2/templates").json() == {"templates": []}


def test_list_query_errors(client: WsgiClient) -> None:
    response = client.get("/v2/templates", "type=push&foo=1")

    assert [e["message"] for e in response.errors] == [
        "type push is not one of [sms, email, letter]",
        "Additional properties are not allowed (foo was unexpected)",
    ]


def test_email_preview(client: WsgiClient) -> None:
    response = client.post(
        f"/v2/template/{EMAIL_TEMPLATE_ID}/preview",
        {"personalisation": {"first_name": "Amala", "documents": "a passport"}, "extra": 1},
    )

    assert response.status == 200
    assert response.json() == {
        "id": EMAIL_TEMPLATE_ID,
        "type": "email",
        "version": 1,
        "body": "Dear Amala\r\n\r\nPlease bring:a passport",
        "html": f"{PARAGRAPH}Dear Amala</p>{PARAGRAPH}Please bring:a passport</p>",
        "subject": "Hi Amala",
        "postage": None,
    }


def test_sms_preview_has_no_html_or_subject(client: WsgiClient) -> None:
    response = client.post(
        f"/v2/template/{SMS_TEMPLATE_ID}/preview",
        {"personalisation": {"name": "François ", "day": "Monday"}},
    )

    assert response.json() == {
        "id": SMS_TEMPLATE_ID,
        "type": "sms",
        "version": 1,
        "body": "Hi Francois, see you Monday",
        "html": None,
        "subject": None,
        "postage": None,
    }


def test_letter_preview_does_not_need_an_address(client: WsgiClient) -> None:
    response = client.post(
        f"/v2/template/{LETTER_TEMPLATE_ID}/preview",
        {"personalisation": {"name": "A", "thing": "<b>", "office": "1"}},
    )

    got = response.json()
    assert (got["subject"], got["body"], got["postage"], got["html"]) == (
        "About &lt;b&gt; &amp; more",
        "Dear A",
        "first",
        None,
    )


def test_preview_takes_an_empty_body_as_no_personalisation(client: WsgiClient) -> None:
    plain = client.post(f"/v2/template/{PLAIN_SMS_TEMPLATE_ID}/preview", data=b"")
    needs_values = client.post(f"/v2/template/{SMS_TEMPLATE_ID}/preview", data=b"")

    assert plain.json()["body"] == "Hello"
    assert needs_values.status == 400
    assert needs_values.error == ("BadRequestError", "Missing personalisation: name, day")


def test_preview_errors(client: WsgiClient) -> None:
    null = client.post(f"/v2/template/{SMS_TEMPLATE_ID}/preview", {"personalisation": None})
    both = client.post("/v2/template/abc/preview", {"personalisation": None})
    unknown = client.post("/v2/template/0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e/preview", {})
    invalid = client.post(f"/v2/template/{SMS_TEMPLATE_ID}/preview", data=b"{")
    string = client.post(f"/v2/template/{SMS_TEMPLATE_ID}/preview", "abc")

    assert null.error == ("ValidationError", "personalisation None is not of type object")
    assert [e["message"] for e in both.errors] == [
        "id is not a valid UUID",
        "personalisation None is not of type object",
    ]
    assert (unknown.status, unknown.error) == (404, NOT_FOUND)
    assert invalid.error == ("BadRequestError", "Invalid JSON supplied in POST data")
    assert (string.status, string.error) == (500, ("TypeError", "Internal server error"))


@pytest.mark.parametrize("body", ["abc", [1, 2]])
def test_a_preview_body_that_is_not_an_object_is_notifys_500_logged_in_one_line(
    client: WsgiClient, body: Any, caplog: pytest.LogCaptureFixture
) -> None:
    answer = client.post(f"/v2/template/{SMS_TEMPLATE_ID}/preview", body)

    assert (answer.status, answer.error) == (500, ("TypeError", "Internal server error"))
    (record,) = [r for r in caplog.records if r.name.startswith("notifications_python_client")]
    assert record.levelname == "WARNING" and record.exc_info is None
    assert "answered 500, as Notify does: a template preview body is a " in record.getMessage()


def test_preview_is_not_rate_limited() -> None:
    client = WsgiClient(make_store(make_service(limits=Limits(rate_limit_per_minute=3))))

    for _ in range(5):
        assert client.post(f"/v2/template/{PLAIN_SMS_TEMPLATE_ID}/preview", {}).status == 200


@pytest.mark.parametrize("digits", ["9" * 5000, "1" + "0" * 10])
def test_versions_too_long_for_the_database_are_a_data_error(
    client: WsgiClient, digits: str
) -> None:
    response = client.get(f"/v2/template/{SMS_TEMPLATE_ID}/version/{digits}")

    assert response.status == 404
    assert response.error == ("DataError", "No result found")


def test_leading_zeros_do_not_count_towards_the_length(client: WsgiClient) -> None:
    response = client.get(f"/v2/template/{SMS_TEMPLATE_ID}/version/{'0' * 5000}1")

    assert response.status == 200
    assert response.json()["version"] == 1
