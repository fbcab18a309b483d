"""The admin API at /_simulator/api/ over real sockets: list, read, set status, texts, clock,
reset, and a 400 naming the field for every mistake."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

import pytest
import requests
from e2e_support import EMAIL_TEMPLATE_ID, LETTER_TEMPLATE_ID, SMS_TEMPLATE_ID

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

ADDRESS = {"address_line_1": "A Person", "address_line_2": "1 Street", "address_line_3": "SW1A 1AA"}


@pytest.fixture
def http(sim: NotifySimulator) -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def api(sim: NotifySimulator, path: str) -> str:
    return f"{sim.url}/_simulator/api/{path}"


def sent_three(client: NotificationsAPIClient) -> dict[str, str]:
    sms = client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "Amala"}, "r-sms")
    email = client.send_email_notification("amala@example.com", EMAIL_TEMPLATE_ID, {"name": "Bo"})
    letter = client.send_letter_notification(LETTER_TEMPLATE_ID, ADDRESS, reference="r-letter")
    return {"sms": sms["id"], "email": email["id"], "letter": letter["id"]}


def messages(response: requests.Response) -> list[str]:
    assert response.status_code == 400, response.text
    return [error["message"] for error in response.json()["errors"]]


def test_the_list_is_newest_first_and_filters(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, http: requests.Session
) -> None:
    ids = sent_three(test_key_client)

    everything = http.get(api(sim, "notifications")).json()["notifications"]
    texts = http.get(api(sim, "notifications"), params={"type": "sms"}).json()["notifications"]
    by_recipient = http.get(api(sim, "notifications"), params={"recipient": "AMALA@"}).json()
    by_reference = http.get(api(sim, "notifications"), params={"reference": "r-letter"}).json()
    one = http.get(api(sim, "notifications"), params={"limit": "1"}).json()["notifications"]

    assert [n["id"] for n in everything] == [ids["letter"], ids["email"], ids["sms"]]
    assert [n["id"] for n in texts] == [ids["sms"]]
    assert [n["id"] for n in by_recipient["notifications"]] == [ids["email"]]
    assert [n["type"] for n in by_reference["notifications"]] == ["letter"]
    assert [n["id"] for n in one] == [ids["letter"]]
    assert everything[2]["key_type"] == "test" and everything[2]["recipient"] == "07700900123"
    assert everything[0]["links"]["page"] == f"{sim.url}/_simulator/notifications/{ids['letter']}"


def test_one_notification_is_rendered_with_its_history(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, http: requests.Session
) -> None:
    ids = sent_three(test_key_client)

    sms = http.get(api(sim, f"notifications/{ids['sms']}")).json()
    email = http.get(api(sim, f"notifications/{ids['email']}")).json()
    letter = http.get(api(sim, f"notifications/{ids['letter']}")).json()

    assert "Amala" in sms["body"] and sms["sms"]["sender"] == "GOVUK"
    assert sms["sms"]["fragments"] == 1
    assert [step["status"] for step in sms["status_history"]] == ["created", "sending", "delivered"]
    assert email["email"]["from"].endswith("@notifications.service.gov.uk")
    assert email["email"]["reply_to"] == "pigeon.replies@example.gov.uk"
    assert "<p" in email["email"]["html"] and "Bo" in email["email"]["html"]
    assert letter["letter"]["address_lines"] == ["A Person", "1 Street", "SW1A 1AA"]
    assert letter["letter"]["postage"] == "second"
    estimate = test_key_client.get_notification_by_id(ids["letter"])["estimated_delivery"]
    assert letter["letter"]["estimated_delivery"] == estimate
    assert http.get(letter["letter"]["pdf_url"]).content.startswith(b"%PDF-")
    assert letter["sent_at"] is None  # a test-key letter never goes to the printer


def test_setting_a_status_moves_it_on_and_is_seen_by_the_client(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, http: requests.Session
) -> None:
    ids = sent_three(test_key_client)

    answer = http.post(
        api(sim, f"notifications/{ids['sms']}/status"), json={"status": "temporary-failure"}
    )
    letter = http.post(
        api(sim, f"notifications/{ids['letter']}/status"), json={"status": "received"}
    )

    assert answer.status_code == 200 and answer.json()["status"] == "temporary-failure"
    assert test_key_client.get_notification_by_id(ids["sms"])["status"] == "temporary-failure"
    assert letter.json()["status"] == "received"


@pytest.mark.parametrize(
    ("body", "problem"),
    [({"status": "exploded"}, "'exploded' is not a status a text message can have"),
     ({}, "status is a required property"),
     ({"status": "delivered", "colour": "red"}, "colour is not allowed here")],
)  # fmt: skip
def test_a_bad_status_is_a_400_naming_the_field(
    sim: NotifySimulator,
    test_key_client: NotificationsAPIClient,
    http: requests.Session,
    body: dict[str, Any],
    problem: str,
) -> None:
    ids = sent_three(test_key_client)

    response = http.post(api(sim, f"notifications/{ids['sms']}/status"), json=body)

    assert any(problem in message for message in messages(response))


def test_an_unknown_notification_is_a_404(sim: NotifySimulator, http: requests.Session) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    assert http.get(api(sim, f"notifications/{missing}")).status_code == 404
    answer = http.post(api(sim, f"notifications/{missing}/status"), json={"status": "delivered"})
    assert answer.status_code == 404


def test_a_received_text_added_comes_back_from_the_client(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, http: requests.Session
) -> None:
    added = http.post(
        api(sim, "received-texts"),
        json={"content": "Is my loft registered?", "user_number": "07700900222"},
    )

    assert added.status_code == 201
    texts = test_key_client.get_received_texts()["received_text_messages"]
    assert texts[0]["content"] == "Is my loft registered?"
    assert texts[0]["user_number"] == "447700900222"
    listed = http.get(api(sim, "received-texts")).json()["received_text_messages"]
    assert listed[0]["id"] == added.json()["id"]


def test_the_clock_moves_on_and_reset_forgets(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, http: requests.Session
) -> None:
    sent_three(test_key_client)

    moved = http.post(api(sim, "clock"), json={"advance_seconds": 3600}).json()
    assert moved["offset_seconds"] == 3600.0
    assert http.get(api(sim, "clock")).json()["offset_seconds"] == 3600.0

    assert http.post(api(sim, "reset"), json={}).json() == {"result": "reset"}
    assert http.get(api(sim, "notifications")).json()["notifications"] == []
    assert http.get(api(sim, "clock")).json()["offset_seconds"] == 0.0


@pytest.mark.parametrize(
    ("method", "path", "body", "problem"),
    [
        ("GET", "notifications?type=fax", None, "type fax is not one of [sms, email, letter]"),
        ("GET", "notifications?key_type=root", None, "key_type root is not one of"),
        ("GET", "notifications?limit=0", None, "limit must be a whole number from 1 to 250"),
        ("GET", "notifications?colour=red", None, "colour is not a filter here"),
        ("POST", "clock", {"advance_seconds": -5}, "advance_seconds must be a number"),
        ("POST", "clock", {"advance_seconds": True}, "advance_seconds must be a number"),
        ("POST", "clock", {"advance_seconds": "1e9"}, "advance_seconds must be a number"),
        ("POST", "received-texts", {"user_number": "07700900111"}, "content is a required"),
        ("POST", "received-texts", {"content": "x", "service_id": "nope"}, "service_id nope"),
        ("POST", "received-texts", {"content": "x", "user_number": 7}, "user_number must be"),
    ],
)
def test_every_mistake_is_a_400_naming_the_field(
    sim: NotifySimulator, http: requests.Session, method: str, path: str, body: Any, problem: str
) -> None:
    response = http.request(method, api(sim, path), json=body)

    assert any(problem in message for message in messages(response)), response.text


@pytest.mark.parametrize(
    "raw", [b"", b"not json", b"[1, 2]", b'{"advance_seconds": ' + b"[" * 2000]
)
def test_bodies_that_are_not_a_json_object_are_a_400(
    sim: NotifySimulator, http: requests.Session, raw: bytes
) -> None:
    response = http.post(api(sim, "clock"), data=raw, headers={"Content-Type": "application/json"})

    if raw == b"":
        assert response.status_code == 400
        assert "advance_seconds must be a number" in response.text
    else:
        assert response.status_code == 400
        assert json.loads(response.text)["errors"][0]["error"] in (
            "BadRequestError",
            "ValidationError",
        )


def test_the_same_in_python(sim: NotifySimulator, test_key_client: NotificationsAPIClient) -> None:
    ids = sent_three(test_key_client)

    listed = sim.inbox(type="email")
    rendered = sim.rendered_notification(ids["email"])
    moved = sim.set_status(ids["email"], "permanent-failure")

    assert [n["id"] for n in listed] == [ids["email"]]
    assert rendered["email"]["subject"].startswith("Pigeon registration")
    assert moved.status == "permanent-failure"
    assert sim.inbox_url == f"{sim.url}/_simulator/"
    with pytest.raises(ValueError, match="not a filter: colour"):
        sim.inbox(colour="red")
    with pytest.raises(ValueError, match="type fax is not one of"):
        sim.inbox(type="fax")
    with pytest.raises(LookupError):
        sim.rendered_notification("00000000-0000-4000-8000-000000000000")


class _Receiver(BaseHTTPRequestHandler):
    """Answers every callback 204."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_a_status_set_by_hand_sends_its_callback_and_the_view_shows_the_answer() -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_port}/receipts"
    data = json.loads(
        (
            resources.files("notifications_python_client.simulator") / "data" / "default_data.json"
        ).read_text("utf-8")
    )
    data["services"][0]["callbacks"] = {"delivery_status": {"url": url, "bearer_token": "t" * 12}}
    try:
        with NotifySimulator(data) as sim:
            client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
            sent = client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"})
            sim.wait_for_callbacks()
            requests.post(
                api(sim, f"notifications/{sent['id']}/status"), json={"status": "technical-failure"}
            )
            sim.wait_for_callbacks()
            view = requests.get(api(sim, f"notifications/{sent['id']}")).json()
            client.request_session.close()
    finally:
        receiver.shutdown()
        receiver.server_close()

    assert [(c["status"], c["status_code"]) for c in view["callbacks"]] == [
        ("delivered", 204),
        ("technical-failure", 204),
    ]
    assert view["callbacks"][0]["url"] == url
