"""GET /v2/notifications/{id} (14), the list (15) and a letter's PDF (19)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from wsgi_helpers import (
    EMAIL_TEMPLATE_ID,
    LETTER_TEMPLATE_ID,
    OTHER_SERVICE_ID,
    PLAIN_SMS_TEMPLATE_ID,
    ROOT,
    SERVICE_ID,
    WsgiClient,
    make_service,
    make_store,
)

from notifications_python_client.simulator.domain.models import KeyType, Notification, Timings
from notifications_python_client.simulator.state.store import Store

SLOW = Timings(
    sending_after_seconds=3600, delivered_after_seconds=3600, letter_pdf_ready_after_seconds=60
)
NOTIFICATION_KEYS = {
    "id",
    "reference",
    "email_address",
    "phone_number",
    "line_1",
    "line_2",
    "line_3",
    "line_4",
    "line_5",
    "line_6",
    "postcode",
    "type",
    "status",
    "template",
    "body",
    "subject",
    "created_at",
    "created_by_name",
    "sent_at",
    "completed_at",
    "scheduled_for",
    "postage",
    "one_click_unsubscribe_url",
    "is_cost_data_ready",
    "cost_in_pounds",
    "cost_details",
}
STATUSES = (
    "cancelled, created, sending, sent, delivered, pending, failed, technical-failure, "
    "temporary-failure, permanent-failure, pending-virus-check, validation-failed, "
    "virus-scan-failed, returned-letter, accepted, received"
)
LETTER = {
    "template_id": LETTER_TEMPLATE_ID,
    "personalisation": {
        "name": "Amala",
        "thing": "pigeons",
        "office": "Room 1",
        "address_line_1": "A Person",
        "address_line_2": "1 Street",
        "postcode": "SW1A 1AA",
    },
}
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def send_sms(client: WsgiClient, **overrides: Any) -> dict[str, Any]:
    body = {"phone_number": "07700900001", "template_id": PLAIN_SMS_TEMPLATE_ID, **overrides}
    response = client.post("/v2/notifications/sms", body)
    assert response.status == 201
    return dict(response.json())


def stored(
    store: Store, number: int, *, status: str = "delivered", key_type: KeyType = "normal", **kw: Any
) -> Notification:
    """A notification added straight to the store, ``number`` seconds after a recent start.

    Recent enough that, with ``SLOW`` timings, the store moves none of them on during a test.
    """
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=30)
    created_at = start + dt.timedelta(seconds=number)
    values: dict[str, Any] = {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "service_id": SERVICE_ID,
        "key_type": key_type,
        "type": "sms",
        "template_id": PLAIN_SMS_TEMPLATE_ID,
        "template_version": 1,
        "created_at": created_at,
        "status": status,
        "phone_number": "07700900001",
        "body": "Hello",
        **kw,
    }
    notification = Notification(**values)
    store.add_notification(notification)
    return notification


@pytest.fixture
def client() -> WsgiClient:
    return WsgiClient(make_store(make_service(timings=SLOW), make_service(OTHER_SERVICE_ID)))


def test_sms_object_has_exactly_the_documented_keys(client: WsgiClient) -> None:
    created = send_sms(client, reference="ref")

    got = client.get(f"/v2/notifications/{created['id']}").json()

    assert set(got) == NOTIFICATION_KEYS
    assert got["template"] == {
        "id": PLAIN_SMS_TEMPLATE_ID,
        "version": 1,
        "uri": f"{ROOT}/v2/template/{PLAIN_SMS_TEMPLATE_ID}/version/1",
    }
    assert got["status"] == "created"
    assert got["reference"] == "ref"
    assert got["subject"] is None
    assert got["sent_at"] is None
    assert got["completed_at"] is None
    assert got["created_at"].endswith("Z")
    assert got["is_cost_data_ready"] is False
    assert got["cost_in_pounds"] is None
    assert got["cost_details"] == {}


def test_email_object_is_free_and_has_a_subject(client: WsgiClient) -> None:
    response = client.post(
        "/v2/notifications/email",
        {
            "email_address": "a@example.com",
            "template_id": EMAIL_TEMPLATE_ID,
            "personalisation": {"first_name": "Amala", "documents": "passport"},
        },
    )

    got = client.get(f"/v2/notifications/{response.json()['id']}").json()

    assert set(got) == NOTIFICATION_KEYS
    assert got["email_address"] == "a@example.com"
    assert got["subject"] == "Hi Amala"
    assert (got["is_cost_data_ready"], got["cost_in_pounds"], got["cost_details"]) == (
        True,
        0.0,
        {},
    )


def test_letter_object_adds_estimated_delivery(client: WsgiClient) -> None:
    created = client.post("/v2/notifications/letter", LETTER).json()

    got = client.get(f"/v2/notifications/{created['id']}").json()

    assert set(got) == NOTIFICATION_KEYS | {"estimated_delivery"}
    assert got["estimated_delivery"].endswith(":00:00.000000Z")
    assert got["cost_details"] == {"billable_sheets_of_paper": 1, "postage": "first"}
    assert got["is_cost_data_ready"] is True


def test_any_key_type_reads_any_notification_of_the_service(client: WsgiClient) -> None:
    created = send_sms(client)

    for key_type in ("test", "team"):
        assert client.as_key(key_type).get(f"/v2/notifications/{created['id']}").status == 200


def test_ids_in_any_accepted_spelling_are_found(client: WsgiClient) -> None:
    created = send_sms(client)

    response = client.get(f"/v2/notifications/{{{created['id'].upper()}}}")

    assert response.json()["id"] == created["id"]


@pytest.mark.parametrize("path", ["/v2/notifications/1234", "/v2/notifications/1234/pdf"])
def test_invalid_ids(client: WsgiClient, path: str) -> None:
    response = client.get(path)

    assert response.status == 400
    assert response.error == ("ValidationError", "notification_id is not a valid UUID")


def test_unknown_and_other_services_notifications_are_not_found(client: WsgiClient) -> None:
    theirs = send_sms(client.as_key("normal", OTHER_SERVICE_ID))

    for notification_id in (theirs["id"], "0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e"):
        response = client.get(f"/v2/notifications/{notification_id}")
        assert response.status == 404
        assert response.error == ("NoResultFound", "No result found")


def test_lists_show_only_the_requesting_key_types_notifications(client: WsgiClient) -> None:
    sent = {key_type: send_sms(client.as_key(key_type))["id"] for key_type in ("normal", "test")}
    send_sms(client.as_key("team"), phone_number="07700900123")

    for key_type in ("normal", "test"):
        listed = client.as_key(key_type).get("/v2/notifications").json()["notifications"]
        assert [n["id"] for n in listed] == [sent[key_type]]


def test_list_is_newest_first_with_links(client: WsgiClient) -> None:
    first, second = stored(client.store, 1), stored(client.store, 2)

    response = client.get("/v2/notifications")

    assert [n["id"] for n in response.json()["notifications"]] == [second.id, first.id]
    assert response.json()["links"] == {
        "current": f"{ROOT}/v2/notifications",
        "next": f"{ROOT}/v2/notifications?older_than={first.id}",
    }


def test_empty_pages_have_no_next_link(client: WsgiClient) -> None:
    response = client.get("/v2/notifications", "template_type=email")

    assert response.json() == {
        "notifications": [],
        "links": {"current": f"{ROOT}/v2/notifications?template_type=email"},
    }


@pytest.mark.parametrize(
    ("status_filter", "expected"),
    [
        ("failed", {"technical-failure", "temporary-failure", "permanent-failure"}),
        ("accepted", {"created", "sending"}),
        ("received", {"delivered"}),
        ("pending", {"pending"}),
    ],
)
def test_status_filters_expand(client: WsgiClient, status_filter: str, expected: set[str]) -> None:
    statuses = ("created", "sending", "pending", "delivered", "technical-failure")
    for number, status in enumerate((*statuses, "temporary-failure", "permanent-failure")):
        stored(client.store, number, status=status)

    listed = client.get("/v2/notifications", f"status={status_filter}").json()["notifications"]

    assert {n["status"] for n in listed} == expected


def test_filters_combine_and_links_keep_the_parameters(client: WsgiClient) -> None:
    stored(client.store, 1, reference="a b&c=d/e?", status="created")
    match = stored(client.store, 2, reference="a b&c=d/e?", status="sending")
    stored(client.store, 3, reference="other", status="sending")
    query = "status=sending&reference=a+b%26c%3Dd/e?&template_type=sms&status=delivered&reference=x"

    response = client.get("/v2/notifications", query)

    assert [n["id"] for n in response.json()["notifications"]] == [match.id]
    current = (
        f"{ROOT}/v2/notifications?status=sending&status=delivered"
        "&reference=a+b%26c%3Dd/e?&template_type=sms"
    )
    assert response.json()["links"] == {
        "current": current,
        "next": f"{current}&older_than={match.id}",
    }


def test_older_than_is_replaced_in_place(client: WsgiClient) -> None:
    oldest, middle, newest = (stored(client.store, n) for n in (1, 2, 3))

    response = client.get("/v2/notifications", f"older_than={newest.id}&template_type=sms")

    assert [n["id"] for n in response.json()["notifications"]] == [middle.id, oldest.id]
    assert response.json()["links"]["next"] == (
        f"{ROOT}/v2/notifications?older_than={oldest.id}&template_type=sms"
    )


def test_unknown_older_than_gives_an_empty_page(client: WsgiClient) -> None:
    stored(client.store, 1)

    response = client.get("/v2/notifications", "older_than=0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e")

    assert response.json()["notifications"] == []
    assert "next" not in response.json()["links"]


def test_pages_hold_250_notifications(client: WsgiClient) -> None:
    everything = [stored(client.store, n) for n in range(251)]

    page = client.get("/v2/notifications").json()
    rest = client.get("/v2/notifications", f"older_than={page['notifications'][-1]['id']}").json()

    assert len(page["notifications"]) == 250
    assert [n["id"] for n in rest["notifications"]] == [everything[0].id]


def test_query_errors(client: WsgiClient) -> None:
    response = client.get("/v2/notifications", "status=bogus&status=bogus&older_than=1&page=2")

    assert [e["message"] for e in response.errors] == [
        f"status bogus is not one of [{STATUSES}]",
        "older_than is not a valid UUID",
        "Additional properties are not allowed (page was unexpected)",
    ]


def test_pdf_of_a_templated_letter_once_ready(client: WsgiClient) -> None:
    created = client.post("/v2/notifications/letter", LETTER).json()
    path = f"/v2/notifications/{created['id']}/pdf"

    early = client.get(path)
    client.store.clock.advance(60)
    ready = client.as_key("test").get(path)

    assert early.status == 400
    assert early.error == ("PDFNotReadyError", "PDF not available yet, try again later")
    assert ready.status == 200
    assert ready.headers["content-type"] == "application/pdf"
    assert ready.body.startswith(b"%PDF-")


def test_pdf_of_a_precompiled_letter_is_the_uploaded_file() -> None:
    client = WsgiClient(make_store())
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF"
    body = {"reference": "r", "content": base64.b64encode(pdf).decode("ascii")}
    created = client.post("/v2/notifications/letter", body).json()

    response = client.get(f"/v2/notifications/{created['id']}/pdf")

    assert response.status == 200
    assert response.body == pdf


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("sms", ("BadRequestError", "Notification is not a letter")),
        ("pending", ("PDFNotReadyError", "PDF not available yet, try again later")),
        ("virus", ("BadRequestError", "File did not pass the virus scan")),
        (
            "technical",
            ("BadRequestError", "PDF not available for letters in status technical-failure"),
        ),
    ],
)
def test_pdf_refusals(kind: str, error: tuple[str, str]) -> None:
    client = WsgiClient(make_store())
    if kind == "sms":
        notification_id = send_sms(client)["id"]
    elif kind == "technical":
        slow = WsgiClient(make_store(make_service(timings=SLOW)))
        notification_id = stored(slow.store, 1, status="technical-failure", type="letter").id
        client = slow
    else:
        timings = SLOW if kind == "pending" else Timings()
        client = WsgiClient(make_store(make_service(timings=timings)))
        content = base64.b64encode(b"%PDF-1.4 " + EICAR).decode("ascii")
        body = {"reference": "r", "content": content}
        notification_id = client.post("/v2/notifications/letter", body).json()["id"]

    response = client.get(f"/v2/notifications/{notification_id}/pdf")

    assert response.status == 400
    assert response.error == error
