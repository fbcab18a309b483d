"""Every NotificationsAPIClient method: exactly what goes on the wire and what comes back."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests_mock

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.utils import prepare_upload

TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
SENDER_ID = "8e222534-7f05-4972-86e3-17c5d9f894e2"
REPLY_TO_ID = "ca4fdde7-2a67-4a6c-8393-62aa7245751f"
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PERSONALISATION = {"first_name": "Amala", "appointment_date": "2018-01-01 at 01:00PM"}


@dataclass
class Case:
    """One call and the request it must produce."""

    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    http_method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    response: str | None = None


CASES = {
    "sms, required only": Case(
        "send_sms_notification",
        ("+447700900123", TEMPLATE_ID),
        {},
        "POST",
        "/v2/notifications/sms",
        body={"phone_number": "+447700900123", "template_id": TEMPLATE_ID},
        response="sms_response.json",
    ),
    "sms, every option": Case(
        "send_sms_notification",
        ("+447700900123", TEMPLATE_ID),
        {"personalisation": PERSONALISATION, "reference": "ref", "sms_sender_id": SENDER_ID},
        "POST",
        "/v2/notifications/sms",
        body={
            "phone_number": "+447700900123",
            "template_id": TEMPLATE_ID,
            "personalisation": PERSONALISATION,
            "reference": "ref",
            "sms_sender_id": SENDER_ID,
        },
        response="sms_response.json",
    ),
    "sms, falsy options left out": Case(
        "send_sms_notification",
        ("+447700900123", TEMPLATE_ID),
        {"personalisation": {}, "reference": "", "sms_sender_id": None},
        "POST",
        "/v2/notifications/sms",
        body={"phone_number": "+447700900123", "template_id": TEMPLATE_ID},
        response="sms_response.json",
    ),
    "email, required only": Case(
        "send_email_notification",
        ("amala@example.com", TEMPLATE_ID),
        {},
        "POST",
        "/v2/notifications/email",
        body={"email_address": "amala@example.com", "template_id": TEMPLATE_ID},
        response="email_response.json",
    ),
    "email, every option": Case(
        "send_email_notification",
        ("amala@example.com", TEMPLATE_ID),
        {
            "personalisation": PERSONALISATION,
            "reference": "ref",
            "email_reply_to_id": REPLY_TO_ID,
            "one_click_unsubscribe_url": "https://example.com/unsubscribe?opaque=1",
            "sanitise_content_for": "email",
        },
        "POST",
        "/v2/notifications/email",
        body={
            "email_address": "amala@example.com",
            "template_id": TEMPLATE_ID,
            "personalisation": PERSONALISATION,
            "reference": "ref",
            "email_reply_to_id": REPLY_TO_ID,
            "one_click_unsubscribe_url": "https://example.com/unsubscribe?opaque=1",
            "sanitise_content_for": "email",
        },
        response="email_response.json",
    ),
    "email, falsy options left out": Case(
        "send_email_notification",
        ("amala@example.com", TEMPLATE_ID),
        {
            "personalisation": None,
            "reference": None,
            "email_reply_to_id": "",
            "one_click_unsubscribe_url": "",
            "sanitise_content_for": None,
        },
        "POST",
        "/v2/notifications/email",
        body={"email_address": "amala@example.com", "template_id": TEMPLATE_ID},
        response="email_response.json",
    ),
    "letter": Case(
        "send_letter_notification",
        (TEMPLATE_ID, {"address_line_1": "A", "address_line_2": "B", "address_line_3": "SW1A 1AA"}),
        {"reference": "ref"},
        "POST",
        "/v2/notifications/letter",
        body={
            "template_id": TEMPLATE_ID,
            "personalisation": {
                "address_line_1": "A",
                "address_line_2": "B",
                "address_line_3": "SW1A 1AA",
            },
            "reference": "ref",
        },
        response="letter_response.json",
    ),
    "letter, no reference": Case(
        "send_letter_notification",
        (TEMPLATE_ID, {"address_line_1": "A"}),
        {},
        "POST",
        "/v2/notifications/letter",
        body={"template_id": TEMPLATE_ID, "personalisation": {"address_line_1": "A"}},
        response="letter_response.json",
    ),
    "notification by id": Case(
        "get_notification_by_id",
        (NOTIFICATION_ID,),
        {},
        "GET",
        f"/v2/notifications/{NOTIFICATION_ID}",
        response="notification.json",
    ),
    "all notifications, no filter": Case(
        "get_all_notifications", (), {}, "GET", "/v2/notifications"
    ),
    "all notifications, every filter (status first)": Case(
        "get_all_notifications",
        ("delivered", "sms", "ref", NOTIFICATION_ID, True),
        {},
        "GET",
        "/v2/notifications",
        query={
            "status": ["delivered"],
            "template_type": ["sms"],
            "reference": ["ref"],
            "older_than": [NOTIFICATION_ID],
            "include_jobs": ["True"],
        },
    ),
    "all notifications, falsy filters left out": Case(
        "get_all_notifications",
        (),
        {"status": "", "template_type": None, "include_jobs": False},
        "GET",
        "/v2/notifications",
    ),
    "received texts": Case("get_received_texts", (), {}, "GET", "/v2/received-text-messages"),
    "received texts older than": Case(
        "get_received_texts",
        (NOTIFICATION_ID,),
        {},
        "GET",
        "/v2/received-text-messages",
        query={"older_than": [NOTIFICATION_ID]},
    ),
    "template": Case(
        "get_template",
        (TEMPLATE_ID,),
        {},
        "GET",
        f"/v2/template/{TEMPLATE_ID}",
        response="template.json",
    ),
    "template version": Case(
        "get_template_version",
        (TEMPLATE_ID, 2),
        {},
        "GET",
        f"/v2/template/{TEMPLATE_ID}/version/2",
        response="template.json",
    ),
    "all templates": Case("get_all_templates", (), {}, "GET", "/v2/templates"),
    "all templates of a type": Case(
        "get_all_templates", ("letter",), {}, "GET", "/v2/templates", query={"type": ["letter"]}
    ),
    "template preview": Case(
        "post_template_preview",
        (TEMPLATE_ID, PERSONALISATION),
        {},
        "POST",
        f"/v2/template/{TEMPLATE_ID}/preview",
        body={"personalisation": PERSONALISATION},
        response="template_preview.json",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_method_sends_exactly_this_request(
    case: Case,
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    frozen_now: int,
    base_url: str,
    payload: Callable[[str], Any],
    query: Callable[[str], dict[str, list[str]]],
    assert_signed_headers: Callable[[Any, int], None],
) -> None:
    answer = payload(case.response) if case.response else {"answer": case.method}
    requests_mock.register_uri(case.http_method, base_url + case.path, json=answer)

    result = getattr(client, case.method)(*case.args, **case.kwargs)

    assert result == answer
    assert requests_mock.call_count == 1
    sent = requests_mock.last_request
    assert sent.method == case.http_method
    assert sent.url.split("?")[0] == base_url + case.path
    assert query(sent.url) == case.query
    if case.body is None:
        assert sent.body is None
    else:
        assert sent.json() == case.body
    assert_signed_headers(sent, frozen_now)


def test_email_personalisation_carries_a_prepared_upload(
    client: NotificationsAPIClient, requests_mock: requests_mock.Mocker, base_url: str
) -> None:
    requests_mock.post(base_url + "/v2/notifications/email", json={})
    upload = prepare_upload(io.BytesIO(b"a,b\n1,2\n"), filename="report.csv")

    client.send_email_notification("amala@example.com", TEMPLATE_ID, {"link_to_file": upload})

    sent_file = requests_mock.last_request.json()["personalisation"]["link_to_file"]
    assert sent_file == {
        "file": base64.b64encode(b"a,b\n1,2\n").decode("ascii"),
        "filename": "report.csv",
        "confirm_email_before_download": None,
        "retention_period": None,
    }


@pytest.mark.parametrize(
    ("postage", "expected_body_postage"), [("first", {"postage": "first"}), (None, {})]
)
def test_precompiled_letter_sends_base64_pdf_and_optional_postage(
    postage: str | None,
    expected_body_postage: dict[str, str],
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    frozen_now: int,
    base_url: str,
    payload: Callable[[str], Any],
    assert_signed_headers: Callable[[Any, int], None],
) -> None:
    answer = payload("precompiled_letter_response.json")
    requests_mock.post(base_url + "/v2/notifications/letter", json=answer)

    result = client.send_precompiled_letter_notification("ref", io.BytesIO(PDF_BYTES), postage)

    assert result == answer
    sent = requests_mock.last_request
    assert sent.json() == {
        "reference": "ref",
        "content": base64.b64encode(PDF_BYTES).decode("ascii"),
        **expected_body_postage,
    }
    assert_signed_headers(sent, frozen_now)


def test_precompiled_letter_refuses_a_text_mode_file(
    client: NotificationsAPIClient, requests_mock: requests_mock.Mocker, tmp_path: Path
) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"%PDF-1.4")

    with path.open(encoding="latin-1") as text_file, pytest.raises(TypeError, match=r'"rb"'):
        client.send_precompiled_letter_notification("ref", text_file)  # type: ignore[arg-type]

    assert requests_mock.call_count == 0


def test_get_pdf_for_letter_returns_the_raw_bytes(
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    frozen_now: int,
    base_url: str,
    assert_signed_headers: Callable[[Any, int], None],
) -> None:
    url = f"{base_url}/v2/notifications/{NOTIFICATION_ID}/pdf"
    requests_mock.get(url, content=PDF_BYTES, headers={"Content-Type": "application/pdf"})

    pdf = client.get_pdf_for_letter(NOTIFICATION_ID)

    assert isinstance(pdf, io.BytesIO)
    assert pdf.read() == PDF_BYTES
    sent = requests_mock.last_request
    assert sent.method == "GET"
    assert sent.url == url
    assert sent.body is None
    assert_signed_headers(sent, frozen_now)


def test_all_template_versions_uses_the_legacy_relative_path(
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    frozen_now: int,
    base_url: str,
    service_id: str,
    assert_signed_headers: Callable[[Any, int], None],
) -> None:
    url = f"{base_url}/service/{service_id}/template/{TEMPLATE_ID}/versions"
    requests_mock.get(url, json={"data": [{"version": 1}]})

    assert client.get_all_template_versions(TEMPLATE_ID) == {"data": [{"version": 1}]}

    sent = requests_mock.last_request
    assert sent.url == url
    assert sent.body is None
    assert_signed_headers(sent, frozen_now)


@pytest.mark.parametrize(
    ("configured_base_url", "template_versions_url", "v2_url"),
    [
        # The relative path is joined onto the base URL's directory...
        (
            "https://proxy.test/notify/",
            "https://proxy.test/notify/service/{sid}/template/{tid}/versions",
            "https://proxy.test/v2/template/{tid}",
        ),
        # ...which, without a trailing slash, is the parent; /v2 paths always start at the root.
        (
            "https://proxy.test/notify",
            "https://proxy.test/service/{sid}/template/{tid}/versions",
            "https://proxy.test/v2/template/{tid}",
        ),
    ],
)
def test_paths_are_joined_onto_the_base_url_with_urljoin(
    configured_base_url: str,
    template_versions_url: str,
    v2_url: str,
    api_key: str,
    service_id: str,
    requests_mock: requests_mock.Mocker,
) -> None:
    notify = NotificationsAPIClient(api_key, base_url=configured_base_url)
    versions_url = template_versions_url.format(sid=service_id, tid=TEMPLATE_ID)
    requests_mock.get(versions_url, json={})
    requests_mock.get(v2_url.format(tid=TEMPLATE_ID), json={})

    notify.get_all_template_versions(TEMPLATE_ID)
    notify.get_template(TEMPLATE_ID)

    assert [r.url for r in requests_mock.request_history] == [
        versions_url,
        v2_url.format(tid=TEMPLATE_ID),
    ]


def test_query_values_are_escaped(
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    base_url: str,
    query: Callable[[str], dict[str, list[str]]],
) -> None:
    requests_mock.get(base_url + "/v2/templates", json={"templates": []})
    requests_mock.get(base_url + "/v2/notifications", json={"notifications": []})

    client.get_all_templates("a&b=c")
    client.get_all_notifications(reference="x y&z")

    assert [query(r.url) for r in requests_mock.request_history] == [
        {"type": ["a&b=c"]},
        {"reference": ["x y&z"]},
    ]


def test_iterators_are_generators_named_after_their_method(
    client: NotificationsAPIClient,
) -> None:
    # The documentation shows this repr; nothing is requested until iteration starts.
    notifications = client.get_all_notifications_iterator()
    texts = client.get_received_texts_iterator()

    assert "NotificationsAPIClient.get_all_notifications_iterator" in repr(notifications)
    assert "NotificationsAPIClient.get_received_texts_iterator" in repr(texts)
