"""Injected faults carried out by the web layer, and /_simulator/api/faults, in-process."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from wsgi_helpers import SMS_TEMPLATE_ID, WsgiClient, make_store

from notifications_python_client.simulator.domain.faults import FaultSettings
from notifications_python_client.simulator.state.faults import FaultInjector
from notifications_python_client.simulator.web.faults import PROXY_PAGE, with_faults
from notifications_python_client.simulator.web.serving import ConnectionDropped

FAULTS_PATH = "/_simulator/api/faults"
SMS_PATH = "/v2/notifications/sms"
SMS_REQUEST = {
    "phone_number": "07700900001",
    "template_id": SMS_TEMPLATE_ID,
    "personalisation": {"name": "a", "day": "b"},
}


class InnerApp:
    """A WSGI app that records being called and answers 200."""

    def __init__(self) -> None:
        self.calls = 0
        self.finished = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.calls += 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"ok"
        self.finished += 1


def call(app: Any, path: str = "/v2/notifications") -> tuple[str, dict[str, str], bytes]:
    started: list[Any] = []
    body = b"".join(
        app({"PATH_INFO": path}, lambda status, headers: started.append((status, headers)))
    )
    status, headers = started[0]
    return status, dict(headers), body


@pytest.fixture
def client() -> WsgiClient:
    return WsgiClient(make_store())


def faulty(**settings: Any) -> tuple[Any, InnerApp, list[float]]:
    inner, sleeps = InnerApp(), []
    app = with_faults(inner, FaultInjector(FaultSettings(**settings)), sleep=sleeps.append)
    return app, inner, sleeps


@pytest.mark.parametrize(
    ("status", "message"),
    [(500, "Internal server error"), (503, "Service temporarily unavailable")],
)
def test_json_errors_are_notifys_body_with_its_headers(status: int, message: str) -> None:
    app, inner, _ = faulty(error_rate=1, error_statuses=(status,))

    line, headers, body = call(app)

    assert line.startswith(f"{status} ") and inner.calls == 0
    assert (
        body
        == (
            f'{{"errors":[{{"error":"SimulatedFault","message":"{message}"}}],"status_code":{status}}}\n'
        ).encode()
    )
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Length"] == str(len(body))


def test_a_502_is_a_proxys_html_page() -> None:
    app, _, _ = faulty(error_rate=1, error_statuses=(502,))

    line, headers, body = call(app)

    assert line == "502 Bad Gateway"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == PROXY_PAGE and b"<html>" in body


def test_a_drop_before_processing_never_reaches_the_app() -> None:
    app, inner, _ = faulty(drop_before_rate=1)

    with pytest.raises(ConnectionDropped):
        call(app)

    assert inner.calls == 0


def test_a_drop_after_processing_lets_the_app_finish_first() -> None:
    app, inner, _ = faulty(drop_after_rate=1)

    with pytest.raises(ConnectionDropped):
        call(app)

    assert (inner.calls, inner.finished) == (1, 1)


def test_latency_and_stalls_wait_then_answer() -> None:
    app, inner, sleeps = faulty(latency_ms=100, stall_rate=1, stall_seconds=2)

    assert call(app)[0] == "200 OK"
    assert sleeps == [2.1] and inner.calls == 1


def test_requests_outside_v2_are_never_touched() -> None:
    app, inner, sleeps = faulty(latency_ms=100, error_rate=1)

    assert call(app, "/_simulator/api/faults")[0] == "200 OK"
    assert sleeps == [] and inner.calls == 1


def test_a_rate_limit_burst_answers_notifys_429_after_authentication(client: WsgiClient) -> None:
    client.store.faults.configure(FaultSettings(rate_limit_burst=1))

    refused = client.post(SMS_PATH, SMS_REQUEST)
    sent = client.post(SMS_PATH, SMS_REQUEST)

    assert refused.status == 429
    assert refused.error == (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    )
    assert sent.status == 201
    assert client.store.faults.counts()["rate_limited"] == 1


def test_the_admin_endpoint_reads_and_sets_faults_without_a_token(client: WsgiClient) -> None:
    put = client.request(
        "PUT", FAULTS_PATH, json_body={"error_rate": 1, "error_statuses": [503]}, authorization=None
    )
    failed = client.post(SMS_PATH, SMS_REQUEST)
    got = client.get(FAULTS_PATH, authorization=None)

    assert put.status == 200
    assert put.json()["settings"] == {
        **FaultSettings().to_mapping(),
        "error_rate": 1,
        "error_statuses": [503],
    }
    assert failed.status == 503
    assert got.json()["counts"] == {"requests": 1, "errors": 1, "errors_503": 1}


def test_putting_nothing_turns_every_fault_off(client: WsgiClient) -> None:
    client.store.faults.configure(FaultSettings(error_rate=1))

    client.request(
        "PUT",
        FAULTS_PATH,
        data=b"",
        authorization=None,
        headers={"Content-Type": "application/json"},
    )

    assert not client.store.faults.settings.active
    assert client.post(SMS_PATH, SMS_REQUEST).status == 201


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b'{"error_rate": 2}', ("ValidationError", "error_rate must be from 0 to 1")),
        (b'{"colour": 1}', ("ValidationError", "colour is not a fault setting")),
        (
            b'{"error_statuses": [404]}',
            ("ValidationError", "error_statuses must be among [500, 502, 503]"),
        ),
        (b"[1, 2]", ("BadRequestError", "The faults must be a JSON object")),
        (b"{not json", ("BadRequestError", "Invalid JSON supplied in PUT data")),
        (b"[" * 5000, ("BadRequestError", "Invalid JSON supplied in PUT data")),
    ],
)
def test_bad_settings_get_a_400_naming_the_field(
    client: WsgiClient, data: bytes, error: tuple[str, str]
) -> None:
    response = client.request("PUT", FAULTS_PATH, data=data, authorization=None)

    assert response.status == 400
    assert response.error == error
    assert not client.store.faults.settings.active


def test_the_admin_endpoint_has_no_other_methods(client: WsgiClient) -> None:
    response = client.request("POST", FAULTS_PATH, authorization=None)

    assert response.status == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, PUT"


def test_reset_keeps_the_faults_and_starts_the_counts_again(client: WsgiClient) -> None:
    client.store.faults.configure(FaultSettings(error_rate=1, seed=1))
    client.post(SMS_PATH, SMS_REQUEST)

    client.store.reset()

    assert client.store.faults.settings.error_rate == 1
    assert client.store.faults.counts() == {}
