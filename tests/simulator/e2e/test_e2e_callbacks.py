"""Callbacks from the simulator to a loopback receiver: bodies, token, retries.

Behaviour: Callbacks.

Retries are 10 ms apart (the service's ``callback_retry_seconds``), so a whole retry series
takes a fraction of a second of real time.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from e2e_support import (
    DAY_SECONDS,
    OUTSIDER_EMAIL,
    OUTSIDER_PHONE,
    TEAM_PHONE,
    TIMESTAMP,
    UK_ADDRESS,
    ClientFactory,
    derived_id,
    service,
    with_default_services,
)

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

STATUS_TOKEN = "status-callback-token-1234567890"
INBOUND_TOKEN = "inbound-callback-token-0987654321"
CALLBACK_NAME = "Callbacks"
DEAD_NAME = "Dead callbacks"
STUCK_NAME = "Stuck callbacks"
FAST_RETRIES = {"callback_retry_seconds": 0.01, "callback_max_retries": 5}
WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Received:
    """One POST the receiver got."""

    path: str
    authorization: str | None
    content_type: str | None
    body: dict[str, Any]


class Receiver:
    """A loopback HTTP server that records callbacks and answers with scripted statuses."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                with receiver.lock:
                    receiver.requests.append(
                        Received(
                            self.path,
                            self.headers.get("Authorization"),
                            self.headers.get("Content-Type"),
                            body,
                        )
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the tests read ``requests`` instead."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, *statuses: int) -> None:
        """Answer the next POSTs with these statuses, then 200 again."""
        with self.lock:
            self.statuses = list(statuses)

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.statuses.clear()

    def received(self, path: str) -> list[Received]:
        with self.lock:
            return [request for request in self.requests if request.path == path]


def _closed_port() -> int:
    """A loopback port nobody listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    started = Receiver()
    started.thread.start()
    yield started
    started.server.shutdown()
    started.server.server_close()


@pytest.fixture(scope="module")
def simulator_data(receiver: Receiver) -> Mapping[str, Any]:
    callbacks = {
        "delivery_status": {"url": f"{receiver.url}/status", "bearer_token": STATUS_TOKEN},
        "received_text": {"url": f"{receiver.url}/inbound", "bearer_token": INBOUND_TOKEN},
    }
    dead_url = f"http://127.0.0.1:{_closed_port()}/status"
    return with_default_services(
        service(
            CALLBACK_NAME, callbacks=callbacks, inbound_number="07700900999", timings=FAST_RETRIES
        ),
        service(
            STUCK_NAME,
            callbacks=callbacks,
            timings={**FAST_RETRIES, "delivered_after_seconds": 10 * DAY_SECONDS},
        ),
        service(
            DEAD_NAME,
            callbacks={"delivery_status": {"url": dead_url, "bearer_token": STATUS_TOKEN}},
            timings=FAST_RETRIES,
        ),
    )


@pytest.fixture
def notify(
    sim: NotifySimulator, receiver: Receiver, clients: ClientFactory
) -> Iterator[NotificationsAPIClient]:
    receiver.clear()
    yield clients("test", derived_id(CALLBACK_NAME))
    assert sim.wait_for_callbacks(WAIT_SECONDS)


def _sms(notify: NotificationsAPIClient, phone: str = OUTSIDER_PHONE) -> str:
    return notify.send_sms_notification(
        phone, derived_id(CALLBACK_NAME, "sms"), {"name": "A"}, reference="r"
    )["id"]


def _settle(sim: NotifySimulator) -> None:
    assert sim.wait_for_callbacks(WAIT_SECONDS)


def test_delivery_status_callback_body_and_headers(
    sim: NotifySimulator, receiver: Receiver, notify: NotificationsAPIClient
) -> None:
    notification_id = _sms(notify, "07700 900123")
    _settle(sim)

    [callback] = receiver.received("/status")

    assert (callback.authorization, callback.content_type) == (
        f"Bearer {STATUS_TOKEN}",
        "application/json",
    )
    body = callback.body
    for key in ("created_at", "completed_at", "sent_at"):
        assert TIMESTAMP.fullmatch(body[key]), key
    assert {key: value for key, value in body.items() if not key.endswith("_at")} == {
        "id": notification_id,
        "reference": "r",
        "to": "07700 900123",
        "status": "delivered",
        "notification_type": "sms",
        "template_id": derived_id(CALLBACK_NAME, "sms"),
        "template_version": 1,
    }


def test_email_failure_is_reported(
    sim: NotifySimulator, receiver: Receiver, notify: NotificationsAPIClient
) -> None:
    notification_id = notify.send_email_notification(
        "perm-fail@simulator.notify", derived_id(CALLBACK_NAME, "email"), {"name": "A"}
    )["id"]
    _settle(sim)

    [callback] = receiver.received("/status")

    assert (callback.body["id"], callback.body["status"], callback.body["notification_type"]) == (
        notification_id,
        "permanent-failure",
        "email",
    )
    assert callback.body["reference"] is None


def test_letters_and_smoke_tests_make_no_callbacks(
    sim: NotifySimulator, receiver: Receiver, notify: NotificationsAPIClient
) -> None:
    notify.send_letter_notification(derived_id(CALLBACK_NAME, "letter"), UK_ADDRESS)
    _sms(notify, "07700900222")
    notify.send_email_notification(
        "simulate-delivered-2@notifications.service.gov.uk",
        derived_id(CALLBACK_NAME, "email"),
        {"name": "A"},
    )
    _settle(sim)

    assert receiver.received("/status") == []


def test_received_text_callback(
    sim: NotifySimulator, receiver: Receiver, notify: NotificationsAPIClient
) -> None:
    text = sim.add_received_text("Coo coo", "07700 900 111", service_id=derived_id(CALLBACK_NAME))
    _settle(sim)

    [callback] = receiver.received("/inbound")

    assert callback.authorization == f"Bearer {INBOUND_TOKEN}"
    assert TIMESTAMP.fullmatch(callback.body.pop("date_received"))
    assert callback.body == {
        "id": text.id,
        "source_number": "447700900111",
        "destination_number": "07700900999",
        "message": "Coo coo",
    }


@pytest.mark.parametrize(
    ("statuses", "attempts"),
    [
        ((500, 502, 200), 3),
        ((429, 200), 2),
        ((503,) * 10, 6),
        ((400,), 1),
        ((404,), 1),
        ((301,), 1),
    ],
    ids=[
        "5xx-then-ok",
        "429-then-ok",
        "5xx-five-retries-at-most",
        "400-final",
        "404-final",
        "3xx-final",
    ],
)
def test_retries_follow_the_answer(
    sim: NotifySimulator,
    receiver: Receiver,
    notify: NotificationsAPIClient,
    statuses: tuple[int, ...],
    attempts: int,
) -> None:
    receiver.answer(*statuses)
    notification_id = _sms(notify, TEAM_PHONE)
    _settle(sim)

    posts = receiver.received("/status")
    assert len(posts) == attempts
    assert {post.body["id"] for post in posts} == {notification_id}
    assert [attempt.status_code for attempt in sim.callbacks] == list(statuses[:attempts])
    assert [attempt.attempt for attempt in sim.callbacks] == list(range(1, attempts + 1))


def test_unreachable_callback_url_is_retried_five_times(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    dead = clients("test", derived_id(DEAD_NAME))

    dead.send_email_notification(OUTSIDER_EMAIL, derived_id(DEAD_NAME, "email"), {"name": "A"})
    _settle(sim)

    attempts = sim.callbacks
    assert [attempt.status_code for attempt in attempts] == [None] * 6
    assert [attempt.attempt for attempt in attempts] == [1, 2, 3, 4, 5, 6]


def test_timed_out_notification_is_reported(
    sim: NotifySimulator, receiver: Receiver, clients: ClientFactory
) -> None:
    receiver.clear()
    stuck = clients("normal", derived_id(STUCK_NAME))
    sent = stuck.send_sms_notification(TEAM_PHONE, derived_id(STUCK_NAME, "sms"), {"name": "A"})

    sim.advance_clock(3 * DAY_SECONDS + 60)
    _settle(sim)

    assert [(c.body["id"], c.body["status"]) for c in receiver.received("/status")] == [
        (sent["id"], "temporary-failure")
    ]
