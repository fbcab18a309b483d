"""A service's receiver, written with ``notifications_python_client.callbacks``, driven by the
local Notify: callbacks set at run time, typed receipts and texts, a wrong token refused, and
retries on the simulator's clock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from e2e_support import SMS_TEMPLATE_ID

from notifications_python_client.callbacks import DeliveryReceipt, ReceivedText, wsgi_receiver
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.web.serving import HttpServer

TOKEN = "the-services-callback-token"
RETRY_SECONDS = 300


class Service:
    """A service's callback endpoint: what it received, and whether its database is down."""

    def __init__(self) -> None:
        self.receipts: list[DeliveryReceipt] = []
        self.texts: list[ReceivedText] = []
        self.down = False
        self.arrived = threading.Event()
        app = wsgi_receiver(TOKEN, on_delivery_receipt=self.on_receipt,
                            on_received_text=self.on_text)  # fmt: skip
        self.server = HttpServer(app, "127.0.0.1", 0, threads=2)
        self.url = f"http://127.0.0.1:{self.server.port}/notify/callbacks"

    def on_receipt(self, receipt: DeliveryReceipt) -> None:
        if self.down:
            raise RuntimeError("database down")
        self.receipts.append(receipt)
        self.arrived.set()

    def on_text(self, text: ReceivedText) -> None:
        self.texts.append(text)
        self.arrived.set()


@pytest.fixture
def service() -> Iterator[Service]:
    receiver = Service()
    receiver.server.start()
    yield receiver
    receiver.server.stop()


@pytest.fixture
def sim(sim: NotifySimulator) -> Iterator[NotifySimulator]:
    yield sim
    for kind in ("delivery_status", "received_text"):
        sim.set_callback(kind, None)


def send_sms(client: NotificationsAPIClient, to: str = "07700900123") -> str:
    return str(client.send_sms_notification(to, SMS_TEMPLATE_ID, {"name": "A"}, "ref-1")["id"])


def test_the_receiver_gets_typed_receipts_and_received_texts(
    sim: NotifySimulator, service: Service, test_key_client: NotificationsAPIClient
) -> None:
    sim.set_callback("delivery_status", service.url, TOKEN)
    sim.set_callback("received_text", service.url, TOKEN)

    notification_id = send_sms(test_key_client)
    sim.add_received_text("Is my loft registered?", "07700 900111")
    assert sim.wait_for_callbacks()

    (receipt,) = service.receipts
    assert (receipt.id, receipt.status, receipt.reference) == (
        notification_id,
        "delivered",
        "ref-1",
    )
    assert receipt.notification_type == "sms" and receipt.template_id == SMS_TEMPLATE_ID
    assert receipt.created_at.tzinfo is not None and isinstance(receipt.template_version, int)
    (text,) = service.texts
    assert text.message == "Is my loft registered?" and text.source_number == "447700900111"
    assert [a.status_code for a in sim.callbacks] == [204, 204]


def test_the_smoke_test_numbers_get_no_receipt(
    sim: NotifySimulator, service: Service, test_key_client: NotificationsAPIClient
) -> None:
    sim.set_callback("delivery_status", service.url, TOKEN)

    for number in ("07700900000", "07700900111", "07700900222"):
        send_sms(test_key_client, number)
    sim.advance_clock(3600)
    assert sim.wait_for_callbacks()

    assert sim.callbacks == [] and service.receipts == []


def test_a_wrong_token_is_refused_and_not_tried_again(
    sim: NotifySimulator, service: Service, test_key_client: NotificationsAPIClient
) -> None:
    sim.set_callback("delivery_status", service.url, "not-the-services-token")

    send_sms(test_key_client)
    assert sim.wait_for_callbacks()
    sim.advance_clock(RETRY_SECONDS * 2)
    assert sim.wait_for_callbacks()

    assert service.receipts == []
    assert [(a.status_code, a.next_retry_at) for a in sim.callbacks] == [(401, None)]


def test_a_failing_receiver_is_retried_on_the_simulators_clock(
    sim: NotifySimulator, service: Service, test_key_client: NotificationsAPIClient
) -> None:
    sim.set_callback("delivery_status", service.url, TOKEN)
    service.down = True

    send_sms(test_key_client)
    assert sim.wait_for_callbacks()
    first = sim.callbacks
    assert [a.status_code for a in first] == [500]
    assert first[0].at is not None and first[0].next_retry_at is not None
    waited = (first[0].next_retry_at - first[0].at).total_seconds()
    assert waited == pytest.approx(RETRY_SECONDS, abs=1)

    sim.advance_clock(RETRY_SECONDS - 60)  # not yet due
    assert sim.wait_for_callbacks() and len(sim.callbacks) == 1

    service.down = False
    sim.advance_clock(61)
    assert sim.wait_for_callbacks()

    assert [a.status_code for a in sim.callbacks] == [500, 204]
    assert [a.attempt for a in sim.callbacks] == [1, 2] and len(service.receipts) == 1
    assert sim.callbacks[-1].next_retry_at is None


def test_retries_stop_after_five(
    sim: NotifySimulator, service: Service, test_key_client: NotificationsAPIClient
) -> None:
    sim.set_callback("delivery_status", service.url, TOKEN)
    service.down = True

    send_sms(test_key_client)
    for _ in range(8):
        assert sim.wait_for_callbacks()
        sim.advance_clock(RETRY_SECONDS)
    assert sim.wait_for_callbacks()

    assert [a.attempt for a in sim.callbacks] == [1, 2, 3, 4, 5, 6]
    assert [a.next_retry_at is None for a in sim.callbacks] == [False] * 5 + [True]


def test_the_admin_api_sets_lists_and_removes_callbacks_without_showing_tokens(
    sim: NotifySimulator, service: Service, test_key_client: NotificationsAPIClient
) -> None:
    api = f"{sim.url}/_simulator/api/callbacks"

    put = requests.put(f"{api}/delivery_status", json={"url": service.url, "bearer_token": TOKEN})
    send_sms(test_key_client)
    assert sim.wait_for_callbacks()
    listed = requests.get(api).json()
    deleted = requests.delete(f"{api}/delivery_status", json={})
    send_sms(test_key_client, "07700900456")
    assert sim.wait_for_callbacks()

    assert put.status_code == 200 and put.json()["url"] == service.url
    assert listed["settings"] == [
        {"service_id": sim.store.services()[0].id, "kind": "delivery_status", "url": service.url}
    ]
    (attempt,) = listed["attempts"]
    assert attempt["status_code"] == 204 and attempt["kind"] == "delivery_status"
    assert attempt["duration_ms"] >= 0 and attempt["at"] and attempt["next_retry_at"] is None
    assert TOKEN not in requests.get(api).text
    assert deleted.status_code == 200 and len(service.receipts) == 1


@pytest.mark.parametrize(
    ("kind", "body", "status", "message"),
    [
        ("delivery_status", {"url": "ftp://x.example/cb", "bearer_token": TOKEN}, 400,
         "url must be an http or https URL with a host"),
        ("delivery_status", {"url": "not a url", "bearer_token": TOKEN}, 400, "url must be at"),
        ("delivery_status", {"url": "http://127.0.0.1:99999/x", "bearer_token": TOKEN}, 400,
         "url is not a valid URL"),
        ("delivery_status", {"url": "http://127.0.0.1/x", "bearer_token": "short"}, 400,
         "bearer_token must be 10 to 1000 characters long"),
        ("delivery_status", {"url": "http://127.0.0.1/x", "bearer_token": "has spaces in it"},
         400, "printable ASCII without spaces"),
        ("delivery_status", {"url": "http://127.0.0.1/x"}, 400, "bearer_token must be text"),
        ("delivery_status", {"url": "http://127.0.0.1/x", "bearer_token": TOKEN, "x": 1}, 400,
         "x is not allowed here"),
        ("complaints", {"url": "http://127.0.0.1/x", "bearer_token": TOKEN}, 404,
         "No result found"),
    ],
)  # fmt: skip
def test_bad_callback_settings_are_refused_clearly(
    sim: NotifySimulator, kind: str, body: dict[str, Any], status: int, message: str
) -> None:
    answer = requests.put(f"{sim.url}/_simulator/api/callbacks/{kind}", json=body)

    assert answer.status_code == status
    assert message in answer.json()["errors"][0]["message"]
    assert "short" not in answer.text or "bearer_token" not in str(body.get("bearer_token"))


def test_set_callback_checks_the_same_rules(sim: NotifySimulator) -> None:
    with pytest.raises(ValueError, match="bearer_token must be 10 to 1000 characters"):
        sim.set_callback("delivery_status", "http://127.0.0.1/x", "short")
    with pytest.raises(ValueError, match="kind must be one of delivery_status, received_text"):
        sim.set_callback("complaints", "http://127.0.0.1/x", TOKEN)
    with pytest.raises(LookupError):
        sim.set_callback("delivery_status", None, service_id="00000000-0000-4000-8000-000000000000")


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--delivery-status-callback", "http://127.0.0.1:9/cb"],
         "--delivery-status-callback needs --callback-bearer-token"),
        (["--callback-bearer-token", TOKEN], "--callback-bearer-token needs a callback URL"),
        (["--delivery-status-callback", "ftp://x", "--callback-bearer-token", TOKEN],
         "--delivery-status-callback: must be an http or https URL with a host"),
        (["--received-text-callback", "http://127.0.0.1:9/cb", "--callback-bearer-token",
          "short"], "--callback-bearer-token: must be 10 to 1000 characters long"),
    ],
)  # fmt: skip
def test_notify_simulator_checks_the_callbacks_on_its_command_line(
    argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from notifications_python_client.simulator.__main__ import main

    assert main([*argv, "--env"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {problem}") and err.count("\n") == 1
    assert TOKEN not in err and "short" not in err


def test_notify_simulator_sends_callbacks_given_on_its_command_line(service: Service) -> None:
    from notifications_python_client.simulator import __main__ as command

    made: list[NotifySimulator] = []
    real = command.set_callbacks

    def keep(simulator: NotifySimulator, arguments: Any) -> None:
        made.append(simulator)
        real(simulator, arguments)

    argv = ["--received-text-callback", service.url, "--callback-bearer-token", TOKEN, "--env"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(command, "set_callbacks", keep)
        assert command.main(argv) == 0

    (simulator,) = made
    simulator.start()
    try:
        simulator.add_received_text("Hello from the command line")
        assert simulator.wait_for_callbacks()
    finally:
        simulator.stop()
    assert [t.message for t in service.texts] == ["Hello from the command line"]
