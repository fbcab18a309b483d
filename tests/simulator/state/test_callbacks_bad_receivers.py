"""Receivers that hang, reset, answer slowly or send back a huge body: each attempt is recorded
with what happened, retried when Notify would retry, and never holds up an API request."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from faulty_server import FaultyServer, answer, close_without_answer, raw_bytes, slow_answer

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.domain.models import CallbackConfig, Timings
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.state.callbacks import CallbackSender

TOKEN = "callback-bearer-token-123"
ONE_RETRY_LATER = Timings(callback_retry_seconds=3600, callback_max_retries=5)
WAIT_SECONDS = 5.0


@pytest.fixture
def server() -> Iterator[FaultyServer]:
    with FaultyServer() as faulty:
        yield faulty


def attempt_with(server: FaultyServer, timeout_seconds: float = 1.0) -> object:
    sender = CallbackSender(timeout_seconds=timeout_seconds)
    try:
        sender.send(CallbackConfig(f"{server.url}/cb", TOKEN), {"id": "x"}, ONE_RETRY_LATER)
        assert sender.wait_until_idle(WAIT_SECONDS)
        (made,) = sender.history
        return made
    finally:
        sender.close()


def test_a_receiver_that_never_answers_times_out_and_is_retried_later(
    server: FaultyServer,
) -> None:
    server.script(slow_answer(30, answer(204)))

    made = attempt_with(server, timeout_seconds=0.2)

    assert (made.status_code, made.error) == (None, "ReadTimeout")  # type: ignore[attr-defined]
    assert made.next_retry_at is not None and made.duration_ms >= 200  # type: ignore[attr-defined]


def test_a_receiver_that_resets_the_connection_is_retried(server: FaultyServer) -> None:
    server.script(close_without_answer())

    made = attempt_with(server)

    assert made.status_code is None and made.error == "ConnectionError"  # type: ignore[attr-defined]
    assert made.next_retry_at is not None  # type: ignore[attr-defined]


def test_a_slow_answer_in_time_counts_and_its_time_is_kept(server: FaultyServer) -> None:
    server.script(slow_answer(0.15, answer(204)))

    made = attempt_with(server)

    assert made.status_code == 204 and made.next_retry_at is None  # type: ignore[attr-defined]
    assert made.duration_ms >= 150  # type: ignore[attr-defined]


def test_a_huge_answer_is_never_read(server: FaultyServer) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000000000\r\n\r\n"
    server.script(raw_bytes(head + b"x" * 65536))

    started = time.perf_counter()
    made = attempt_with(server)

    assert made.status_code == 200 and made.next_retry_at is None  # type: ignore[attr-defined]
    assert time.perf_counter() - started < WAIT_SECONDS


def test_an_answer_that_is_not_http_is_retried(server: FaultyServer) -> None:
    server.script(raw_bytes(b"SSH-2.0-OpenSSH\r\n"))

    made = attempt_with(server)

    assert made.status_code is None and made.next_retry_at is not None  # type: ignore[attr-defined]


def test_a_hanging_receiver_never_holds_up_the_api(server: FaultyServer) -> None:
    server.script(slow_answer(30, answer(204)))
    with NotifySimulator() as sim:
        sim.set_callback("delivery_status", f"{server.url}/cb", TOKEN)
        client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
        template = sim.env()["SMS_TEMPLATE_ID"]

        client.send_sms_notification("07700900123", template, {"name": "A"})
        deadline = time.monotonic() + WAIT_SECONDS
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        # The first callback is stuck in the receiver; the API answers all the same.
        sent = [client.send_sms_notification("07700900123", template, {"name": str(n)})
                for n in range(3)]  # fmt: skip

        assert len(sent) == 3 and len(server.requests) == 1 and sim.callbacks == []
        client.request_session.close()
        server.stop()  # lets the stuck POST go, so the simulator stops at once
