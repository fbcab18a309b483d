"""`notify trigger` against the local Notify: a status set by hand, and its receipt sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests_mock as rm
from cli_support import notify

from notifications_python_client.callbacks import DeliveryReceipt, wsgi_receiver
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.web.serving import HttpServer

TOKEN = "the-services-callback-token"


class Receipts:
    def __init__(self) -> None:
        self.received: list[DeliveryReceipt] = []
        self.lock = threading.Lock()
        app = wsgi_receiver(TOKEN, on_delivery_receipt=self.received.append)
        self.server = HttpServer(app, "127.0.0.1", 0, threads=2)
        self.url = f"http://127.0.0.1:{self.server.port}/callbacks"


@pytest.fixture
def receipts(sim: NotifySimulator) -> Iterator[Receipts]:
    receiver = Receipts()
    receiver.server.start()
    sim.set_callback("delivery_status", receiver.url, TOKEN)
    yield receiver
    sim.set_callback("delivery_status", None)
    receiver.server.stop()


def sent_sms(sim: NotifySimulator) -> str:
    client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
    response = client.send_sms_notification(
        "07700900123", sim.env()["SMS_TEMPLATE_ID"], {"name": "A"}
    )
    client.request_session.close()
    return str(response["id"])


@pytest.mark.parametrize("status", ["permanent-failure", "temporary-failure", "technical-failure"])
def test_trigger_moves_a_message_on_and_fires_its_receipt(
    sim: NotifySimulator, receipts: Receipts, status: str
) -> None:
    notification_id = sent_sms(sim)
    assert sim.wait_for_callbacks()

    ran = notify("trigger", notification_id, status, environ={"NOTIFY_API_URL": sim.url})
    assert sim.wait_for_callbacks()

    assert ran.code == 0 and ran.json["status"] == status
    assert receipts.received[-1].status == status and receipts.received[-1].failed


def test_trigger_refuses_a_status_the_message_cannot_have(sim: NotifySimulator) -> None:
    notification_id = sent_sms(sim)
    environ = {"NOTIFY_API_URL": sim.url}

    ran = notify("trigger", notification_id, "returned-letter", environ=environ)
    missing = notify(
        "trigger", "00000000-0000-4000-8000-000000000000", "delivered", environ=environ
    )

    assert ran.code == 1 and "'returned-letter' is not a status a text message can have" in ran.err
    assert missing.code == 1 and "404 No result found" in missing.err


def test_trigger_against_the_real_service_says_it_needs_the_simulator(
    requests_mock: rm.Mocker,
) -> None:
    requests_mock.post(
        "https://api.notifications.service.gov.uk/_simulator/api/notifications/abc/status",
        status_code=404,
        json={"message": "The requested URL was not found on the server.", "result": "error"},
    )

    ran = notify("trigger", "abc", "delivered", environ={})

    assert ran.code == 2 and "is not a local Notify (it answered 404)" in ran.err


def test_trigger_when_nothing_listens_exits_3(requests_mock: rm.Mocker) -> None:
    import requests

    requests_mock.post(rm.ANY, exc=requests.ConnectionError)

    ran = notify("trigger", "abc", "delivered", environ={"NOTIFY_API_URL": "http://127.0.0.1:9"})

    assert ran.code == 3 and "cannot reach the local Notify at http://127.0.0.1:9" in ran.err
