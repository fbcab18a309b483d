"""Callbacks to services: payloads, bearer tokens, retries, sent in the background.

Behaviour: Callbacks.

Every POST goes to a recording HTTP server on loopback started by the test.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import notification_factory
import pytest

from notifications_python_client.simulator.domain.models import (
    CallbackConfig,
    Notification,
    ReceivedText,
    Service,
    Timings,
)
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.state.callbacks import (
    CallbackAttempt,
    CallbackSender,
    delivery_status_payload,
    received_text_payload,
)
from notifications_python_client.simulator.state.store import Store

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
TOKEN = "callback-bearer-token-123"
CREATED_AT = dt.datetime(2024, 5, 17, 15, 58, 38, 342838, tzinfo=dt.timezone.utc)
FAST = Timings(callback_retry_seconds=0.01, callback_max_retries=5)
WAIT_SECONDS = 5.0


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: Any
    at: float


@dataclass
class Receiver:
    """A loopback server recording POSTs; answers with ``statuses`` in turn, then 200."""

    statuses: list[int] = field(default_factory=list)
    delay_seconds: float = 0.0
    # When set, each answer waits for it: a POST held in flight for as long as a test needs.
    hold: threading.Event | None = None
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                receiver.requests.append(
                    Recorded(self.path, dict(self.headers.items()), body, time.monotonic())
                )
                time.sleep(receiver.delay_seconds)
                if receiver.hold is not None:
                    receiver.hold.wait(WAIT_SECONDS)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def config(self, path: str = "/callback") -> CallbackConfig:
        return CallbackConfig(f"http://127.0.0.1:{self.server.server_port}{path}", TOKEN)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def sender() -> Iterator[CallbackSender]:
    sender = CallbackSender()
    yield sender
    sender.close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on, so connecting fails at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/callback"


def make_notification(**fields: Any) -> Notification:
    """An SMS from a test key, of version 3 of its template; ``fields`` override any of it."""
    defaults: dict[str, Any] = {
        "key_type": "test",
        "template_version": 3,
        "created_at": CREATED_AT,
        "phone_number": "07700 900003",
    }
    return notification_factory.make_notification(**{**defaults, **fields})


def test_delivery_status_payload_has_exactly_the_documented_keys() -> None:
    notification = make_notification(
        status="temporary-failure",
        reference="ref-1",
        sent_at=CREATED_AT + dt.timedelta(seconds=1),
        completed_at=CREATED_AT + dt.timedelta(seconds=2),
    )

    assert delivery_status_payload(notification) == {
        "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
        "reference": "ref-1",
        "to": "07700 900003",
        "status": "temporary-failure",
        "created_at": "2024-05-17T15:58:38.342838Z",
        "completed_at": "2024-05-17T15:58:40.342838Z",
        "sent_at": "2024-05-17T15:58:39.342838Z",
        "notification_type": "sms",
        "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
        "template_version": 3,
    }


def test_delivery_status_payload_for_an_email_not_yet_sent() -> None:
    notification = make_notification(type="email", phone_number=None, email_address="a@b.com")

    payload = delivery_status_payload(notification)

    assert (payload["to"], payload["notification_type"]) == ("a@b.com", "email")
    assert (payload["reference"], payload["sent_at"], payload["completed_at"]) == (None, None, None)


def test_received_text_payload() -> None:
    text = ReceivedText(
        id="b51f638b-4295-46e0-a06e-cd41eee7c33b",
        service_id=SERVICE_ID,
        user_number="447700912345",
        notify_number="07700900456",
        content="Hello",
        created_at=CREATED_AT,
    )

    assert received_text_payload(text) == {
        "id": "b51f638b-4295-46e0-a06e-cd41eee7c33b",
        "source_number": "447700912345",
        "destination_number": "07700900456",
        "message": "Hello",
        "date_received": "2024-05-17T15:58:38.342838Z",
    }


def test_a_callback_is_a_json_post_with_the_bearer_token(
    receiver: Receiver, sender: CallbackSender
) -> None:
    sender.send(receiver.config("/status"), {"id": "x", "template_version": 3}, FAST)

    assert sender.wait_until_idle(WAIT_SECONDS)
    (request,) = receiver.requests
    assert request.path == "/status"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.body == {"id": "x", "template_version": 3}
    assert [(a.attempt, a.status_code, a.error) for a in sender.history] == [(1, 200, None)]


def test_attempts_go_to_on_attempt_and_one_that_cannot_be_kept_stops_nothing(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    kept: list[CallbackAttempt] = []

    def keep_all_but_the_first(attempt: CallbackAttempt, generation: int) -> None:
        if attempt.payload["id"] == "first":
            raise OSError("disk full")
        kept.append(attempt)

    sender = CallbackSender(on_attempt=keep_all_but_the_first)
    try:
        sender.send(receiver.config(), {"id": "first"}, FAST)
        assert sender.wait_until_idle(WAIT_SECONDS)
        sender.send(receiver.config(), {"id": "second"}, FAST)
        assert sender.wait_until_idle(WAIT_SECONDS)
    finally:
        sender.close()

    assert [request.body["id"] for request in receiver.requests] == ["first", "second"]
    assert [attempt.payload["id"] for attempt in kept] == ["second"]
    assert sender.history == []
    assert "could not be kept" in caplog.text


@pytest.mark.parametrize("statuses", [[500, 503], [429], [502, 429, 500]])
def test_server_errors_and_429_are_retried(
    receiver: Receiver, sender: CallbackSender, statuses: list[int]
) -> None:
    receiver.statuses = list(statuses)

    sender.send(receiver.config(), {"id": "x"}, FAST)

    assert sender.wait_until_idle(WAIT_SECONDS)
    assert [a.status_code for a in sender.history] == [*statuses, 200]
    assert [a.attempt for a in sender.history] == list(range(1, len(statuses) + 2))
    assert all(r.body == {"id": "x"} for r in receiver.requests)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_other_client_errors_are_not_retried(
    receiver: Receiver, sender: CallbackSender, status: int
) -> None:
    receiver.statuses = [status]

    sender.send(receiver.config(), {"id": "x"}, FAST)

    assert sender.wait_until_idle(WAIT_SECONDS)
    assert [a.status_code for a in sender.history] == [status]


def test_retries_stop_after_the_maximum(receiver: Receiver, sender: CallbackSender) -> None:
    receiver.statuses = [500] * 10

    sender.send(
        receiver.config(), {"id": "x"}, Timings(callback_retry_seconds=0.01, callback_max_retries=2)
    )

    assert sender.wait_until_idle(WAIT_SECONDS)
    assert len(receiver.requests) == 3
    assert [a.attempt for a in sender.history] == [1, 2, 3]


def test_retries_are_spaced_by_the_retry_interval(
    receiver: Receiver, sender: CallbackSender
) -> None:
    receiver.statuses = [500]

    sender.send(receiver.config(), {"id": "x"}, Timings(callback_retry_seconds=0.2))

    assert sender.wait_until_idle(WAIT_SECONDS)
    first, second = receiver.requests
    assert second.at - first.at >= 0.2


def test_connection_errors_are_retried(sender: CallbackSender) -> None:
    config = CallbackConfig(closed_port_url(), TOKEN)

    sender.send(config, {"id": "x"}, Timings(callback_retry_seconds=0.01, callback_max_retries=3))

    assert sender.wait_until_idle(WAIT_SECONDS)
    assert [(a.attempt, a.status_code, a.error) for a in sender.history] == [
        (attempt, None, "ConnectionError") for attempt in (1, 2, 3, 4)
    ]


def test_timeouts_are_retried(receiver: Receiver) -> None:
    receiver.delay_seconds = 0.3
    sender = CallbackSender(timeout_seconds=0.05)
    try:
        sender.send(
            receiver.config(),
            {"id": "x"},
            Timings(callback_retry_seconds=0.01, callback_max_retries=1),
        )
        assert sender.wait_until_idle(WAIT_SECONDS)
    finally:
        sender.close()

    assert [(a.status_code, a.error) for a in sender.history] == [(None, "ReadTimeout")] * 2


def test_clear_drops_queued_retries(receiver: Receiver, sender: CallbackSender) -> None:
    receiver.statuses = [500] * 5
    sender.send(receiver.config(), {"id": "x"}, Timings(callback_retry_seconds=60))
    deadline = time.monotonic() + WAIT_SECONDS
    while not sender.history and time.monotonic() < deadline:
        time.sleep(0.01)

    sender.clear()

    assert sender.wait_until_idle(0.5)
    assert sender.history == []
    assert len(receiver.requests) == 1


def test_a_closed_sender_starts_again_when_used(receiver: Receiver, sender: CallbackSender) -> None:
    sender.send(receiver.config(), {"n": 1}, FAST)
    assert sender.wait_until_idle(WAIT_SECONDS)
    sender.close()

    sender.send(receiver.config(), {"n": 2}, FAST)

    assert sender.wait_until_idle(WAIT_SECONDS)
    assert [r.body for r in receiver.requests] == [{"n": 1}, {"n": 2}]


def store_with_callbacks(receiver: Receiver, **timings: Any) -> Store:
    service = Service(
        id=SERVICE_ID,
        name="Pigeons",
        inbound_number="07700900456",
        delivery_status_callback=receiver.config("/status"),
        received_text_callback=receiver.config("/inbound"),
        timings=Timings(**{"callback_retry_seconds": 0.01, **timings}),
    )
    return Store([service])


def add(store: Store, notification_type: str, **fields: Any) -> Notification:
    notification = make_notification(
        id=str(uuid.uuid4()),
        type=notification_type,
        created_at=store.clock.now(),
        **fields,
    )
    store.add_notification(notification)
    return notification


def statuses_called_back(store: Store, receiver: Receiver) -> list[tuple[str, str]]:
    store.apply_due_transitions()
    assert store.callbacks.wait_until_idle(WAIT_SECONDS)
    return [(r.path, r.body["status"]) for r in receiver.requests]


def test_a_final_status_is_called_back(receiver: Receiver) -> None:
    store = store_with_callbacks(receiver)
    try:
        notification = add(store, "sms", phone_number="07700900003", reference="r")

        assert statuses_called_back(store, receiver) == [("/status", "temporary-failure")]
        body = receiver.requests[0].body
        assert (body["id"], body["to"], body["reference"]) == (notification.id, "07700900003", "r")
        assert body["completed_at"] is not None
    finally:
        store.close()


def test_international_sms_call_back_sent_then_delivered(receiver: Receiver) -> None:
    store = store_with_callbacks(receiver)
    try:
        add(store, "sms", phone_number="+33612345678", is_international=True)
        assert statuses_called_back(store, receiver) == [
            ("/status", "sent"),
            ("/status", "delivered"),
        ]
    finally:
        store.close()


def test_emails_call_back_and_letters_do_not(receiver: Receiver) -> None:
    store = store_with_callbacks(receiver)
    try:
        add(store, "letter", phone_number=None)
        add(store, "email", phone_number=None, email_address="perm-fail@simulator.notify")
        assert statuses_called_back(store, receiver) == [("/status", "permanent-failure")]
    finally:
        store.close()


def test_nothing_is_called_back_before_the_final_status(receiver: Receiver) -> None:
    store = store_with_callbacks(receiver, delivered_after_seconds=60)
    try:
        add(store, "sms")
        assert statuses_called_back(store, receiver) == []
        store.clock.advance(60)
        assert statuses_called_back(store, receiver) == [("/status", "delivered")]
    finally:
        store.close()


def test_a_received_text_is_called_back(receiver: Receiver) -> None:
    store = store_with_callbacks(receiver)
    try:
        text = store.add_received_text(SERVICE_ID, "07700900111", "Coo")

        assert store.callbacks.wait_until_idle(WAIT_SECONDS)
        (request,) = receiver.requests
        assert request.path == "/inbound"
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.body == received_text_payload(text)
        assert request.body["source_number"] == "447700900111"
    finally:
        store.close()


def test_a_callback_answered_during_a_reset_is_not_kept_after_it(receiver: Receiver) -> None:
    receiver.hold = threading.Event()
    store = store_with_callbacks(receiver)
    try:
        store.add_received_text(SERVICE_ID, "07700900111", "Coo")
        deadline = time.monotonic() + WAIT_SECONDS
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        assert receiver.requests, "the callback was never made"

        store.reset()
        receiver.hold.set()

        assert store.callbacks.wait_until_idle(WAIT_SECONDS)
        assert store.callback_attempts() == []
        store.add_received_text(SERVICE_ID, "07700900111", "Coo again")
        assert store.callbacks.wait_until_idle(WAIT_SECONDS)
        assert [a.payload["message"] for a in store.callback_attempts()] == ["Coo again"]
    finally:
        store.close()


def test_services_without_callbacks_make_none(receiver: Receiver) -> None:
    store = Store([Service(id=SERVICE_ID, name="Quiet", inbound_number="07700900456")])
    try:
        add(store, "sms")
        store.add_received_text(SERVICE_ID, "447700900111", "Hi")
        store.apply_due_transitions()
        assert store.callback_attempts() == []
    finally:
        store.close()


def _no_op_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("204 No Content", [])
    return [b""]


def test_the_running_simulator_calls_back_without_anyone_reading(receiver: Receiver) -> None:
    data = {
        "services": [
            {
                "id": SERVICE_ID,
                "name": "Pigeons",
                "callbacks": {
                    "delivery_status": {"url": receiver.config().url, "bearer_token": TOKEN}
                },
                "timings": {"delivered_after_seconds": 0.1},
            }
        ]
    }
    with NotifySimulator(
        data, app_factory=lambda store: _no_op_app, tick_interval_seconds=0.01
    ) as simulator:
        add(simulator.store, "sms")
        deadline = time.monotonic() + WAIT_SECONDS
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.01)

        assert [r.body["status"] for r in receiver.requests] == ["delivered"]
        assert simulator.wait_for_callbacks()
        assert [a.status_code for a in simulator.callbacks] == [200]
