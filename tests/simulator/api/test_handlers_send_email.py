"""POST /v2/notifications/email: the 201 shape, sanitising, files and errors.

Behaviour: Email responses; Sanitising content; Sending files by email.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from wsgi_helpers import (
    EMAIL_TEMPLATE_ID,
    GUEST_EMAIL,
    ONE_PLACEHOLDER_EMAIL_TEMPLATE_ID,
    REPLY_TO_ID,
    ROOT,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    WsgiClient,
    make_service,
    make_store,
)

PATH = "/v2/notifications/email"
PDF_FILE = base64.b64encode(b"%PDF-1.4 a tiny document").decode("ascii")
# The links point at the simulator's own download pages, where the client reached it.
DOCUMENT_LINK_PREFIX = "http://notify.test:6011/_simulator/d/"


def email(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email_address": "amala@example.com",
        "template_id": EMAIL_TEMPLATE_ID,
        "personalisation": {"first_name": "Amala", "documents": ["passport", "utility bill"]},
    }
    body.update(overrides)
    return body


def file_object(**overrides: Any) -> dict[str, Any]:
    """What the Python client's prepare_upload sends."""
    obj: dict[str, Any] = {
        "file": PDF_FILE,
        "filename": "letter.pdf",
        "confirm_email_before_download": None,
        "retention_period": None,
    }
    obj.update(overrides)
    return obj


def with_file(obj: dict[str, Any]) -> dict[str, Any]:
    return email(template_id=ONE_PLACEHOLDER_EMAIL_TEMPLATE_ID, personalisation={"content": obj})


@pytest.fixture
def client() -> WsgiClient:
    return WsgiClient(make_store())


def test_created_response_has_exactly_notifys_keys(client: WsgiClient) -> None:
    response = client.post(PATH, email())

    assert response.status == 201
    payload = response.json()
    notification_id = payload["id"]
    assert payload == {
        "id": notification_id,
        "reference": None,
        "content": {
            "from_email": "pigeon.affairs.bureau@notifications.service.gov.uk",
            "subject": "Hi Amala",
            "body": "Dear Amala\r\n\r\nPlease bring:\n\n* passport\n* utility bill",
            "one_click_unsubscribe_url": None,
        },
        "uri": f"{ROOT}/v2/notifications/{notification_id}",
        "template": {
            "id": EMAIL_TEMPLATE_ID,
            "version": 1,
            "uri": f"{ROOT}/services/{SERVICE_ID}/templates/{EMAIL_TEMPLATE_ID}",
        },
        "scheduled_for": None,
        "sanitised_content": {},
    }


def test_unsubscribe_url_and_reply_to_are_accepted_and_stored(client: WsgiClient) -> None:
    url = "https://example.com/unsubscribe?u=1"

    response = client.post(
        PATH,
        email(one_click_unsubscribe_url=url, email_reply_to_id=REPLY_TO_ID, reference="r"),
    )

    assert response.status == 201
    assert response.json()["content"]["one_click_unsubscribe_url"] == url
    stored = client.get(f"/v2/notifications/{response.json()['id']}").json()
    assert stored["one_click_unsubscribe_url"] == url
    assert stored["email_address"] == "amala@example.com"
    assert stored["reference"] == "r"


def test_unknown_reply_to_is_refused_with_the_id_as_sent(client: WsgiClient) -> None:
    sent = "{0B2C4D6E-8F0A-4B2C-9D4E-6F8A0B2C4D6E}"

    response = client.post(PATH, email(email_reply_to_id=sent))

    assert response.error == (
        "BadRequestError",
        f"email_reply_to_id {sent} does not exist in database for service id {SERVICE_ID}",
    )


def test_schema_errors(client: WsgiClient) -> None:
    response = client.post(
        PATH, {"email_address": "a@b", "one_click_unsubscribe_url": "http://x.com"}
    )

    assert [e["message"] for e in response.errors] == [
        "email_address Not a valid email address",
        "one_click_unsubscribe_url is not a valid https url",
        "template_id is a required property",
    ]


def test_service_without_email_permission() -> None:
    client = WsgiClient(make_store(make_service(permissions={"sms"})))

    assert client.post(PATH, email()).error == (
        "BadRequestError",
        "Service is not allowed to send emails",
    )


def test_wrong_template_type(client: WsgiClient) -> None:
    response = client.post(PATH, email(template_id=SMS_TEMPLATE_ID))

    assert response.error == (
        "BadRequestError",
        "sms template is not suitable for email notification",
    )


def test_missing_personalisation_lists_subject_then_body_placeholders(client: WsgiClient) -> None:
    response = client.post(PATH, email(personalisation={"documents": None}))

    assert response.error == ("BadRequestError", "Missing personalisation: first_name, documents")


def test_a_body_that_is_one_empty_placeholder_is_empty(client: WsgiClient) -> None:
    response = client.post(
        PATH, email(template_id=ONE_PLACEHOLDER_EMAIL_TEMPLATE_ID, personalisation={"content": ""})
    )

    assert response.error == ("BadRequestError", "Your message is empty.")


def test_sanitise_content_for_reports_what_changed(client: WsgiClient) -> None:
    evil = "Amala, please [click this evil link](https://evil.link)"

    response = client.post(
        PATH,
        email(
            personalisation={"First Name": evil, "documents": "passport"},
            sanitise_content_for=["first_name"],
        ),
    )

    assert response.status == 201
    sanitised = "Amala, please \\[click this evil link\\]\\(\\)"
    assert response.json()["sanitised_content"] == {
        "First Name": {"sanitised": sanitised, "unsanitised": evil}
    }
    assert response.json()["content"]["body"].startswith(f"Dear {sanitised}\r\n")


def test_sanitising_a_value_that_is_not_text_is_a_500(client: WsgiClient) -> None:
    response = client.post(
        PATH,
        email(
            personalisation={"first_name": 5, "documents": "x"},
            sanitise_content_for=["first_name"],
        ),
    )

    assert response.status == 500
    assert response.error == ("TypeError", "Internal server error")


@pytest.mark.parametrize("address", ["  Member@example.gov.uk ", GUEST_EMAIL.upper()])
def test_team_key_sends_to_team_and_guest_list(client: WsgiClient, address: str) -> None:
    assert client.as_key("team").post(PATH, email(email_address=address)).status == 201


def test_team_key_refuses_anyone_else(client: WsgiClient) -> None:
    response = client.as_key("team").post(PATH, email())

    assert response.error == (
        "BadRequestError",
        "Can’t send to this recipient using a team-only API key",
    )


def test_smoke_test_addresses_are_answered_but_not_stored(client: WsgiClient) -> None:
    response = client.post(
        PATH, email(email_address="Simulate-Delivered-2@notifications.service.gov.uk")
    )

    assert response.status == 201
    assert client.get(f"/v2/notifications/{response.json()['id']}").status == 404
    assert client.store.sent_today(SERVICE_ID, "email") == 0


def test_a_file_becomes_a_download_link(client: WsgiClient) -> None:
    response = client.post(PATH, with_file(file_object()))

    assert response.status == 201
    body = response.json()["content"]["body"]
    assert body.startswith(DOCUMENT_LINK_PREFIX)
    stored = client.get(f"/v2/notifications/{response.json()['id']}").json()
    assert stored["body"] == body


def test_smoke_test_recipients_get_the_test_document_link(client: WsgiClient) -> None:
    response = client.post(
        PATH,
        {
            **with_file(file_object()),
            "email_address": "simulate-delivered@notifications.service.gov.uk",
        },
    )

    assert response.json()["content"]["body"] == (
        f"https://documents.service.gov.uk/services/{SERVICE_ID}/documents/test-document"
    )


def test_file_objects_are_validated_before_contact_details(client: WsgiClient) -> None:
    no_contact = WsgiClient(make_store(make_service(file_download_contact_details=False)))

    invalid = no_contact.post(PATH, with_file(file_object(filename="noextension", extra=1)))
    valid = no_contact.post(PATH, with_file(file_object()))

    assert [e["message"] for e in invalid.errors] == [
        "filename `filename` must end with a file extension. For example, filename.csv",
        "Additional properties are not allowed (extra was unexpected)",
    ]
    assert valid.error == (
        "BadRequestError",
        "Send files by email has not been set up - add contact details for your service at "
        f"https://www.notifications.service.gov.uk/services/{SERVICE_ID}/service-settings/"
        "send-files-by-email",
    )


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        (file_object(file="not base64!"), "Document is not base64 encoded"),
        (file_object(file=""), "Document must not be empty"),
        (
            file_object(filename="archive.zip"),
            "Unsupported file type '.zip'. Supported types are: '.csv', '.doc', '.docx', "
            "'.jpeg', '.jpg', '.json', '.odt', '.pdf', '.png', '.rtf', '.txt', '.xlsx'",
        ),
    ],
)
def test_upload_refusals_are_bad_requests(
    client: WsgiClient, obj: dict[str, Any], message: str
) -> None:
    response = client.post(PATH, with_file(obj))

    assert response.status == 400
    assert response.error == ("BadRequestError", message)


def test_recipient_checks_come_before_file_checks(client: WsgiClient) -> None:
    response = client.as_key("team").post(PATH, with_file(file_object(file=5)))

    assert response.error[1] == "Can’t send to this recipient using a team-only API key"


def test_emails_over_two_million_bytes_are_too_long(client: WsgiClient) -> None:
    content = "é" * 1_000_001

    response = client.post(
        PATH,
        email(template_id=ONE_PLACEHOLDER_EMAIL_TEMPLATE_ID, personalisation={"content": content}),
    )

    assert response.error == (
        "BadRequestError",
        "Your message is too long. Emails cannot be longer than 2000000 bytes. "
        "Your message is 2000002 bytes.",
    )
