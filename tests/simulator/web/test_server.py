"""NotifySimulator over real loopback sockets: the HTTP/1.1 server, lifetime and test handles."""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.domain.models import Timings
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.web.serving import MAX_HEADER_BYTES

LIVE_SERVICE_ID = "9024e73a-6d91-4afb-9b68-7b3dba010425"
TRIAL_SERVICE_ID = "1d4624bc-5678-42a8-9c8a-04b97118b12c"
SMS_TEMPLATE_ID = "8193b560-c917-4676-ba08-36354dbe5832"
BARRIER_TIMEOUT_SECONDS = 2.0


def echo_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Describes the request it got; a few paths behave badly on purpose."""
    path = environ["PATH_INFO"]
    if path == "/fail":
        raise RuntimeError("the app broke")
    if path == "/together":
        echo_app.barrier.wait()  # type: ignore[attr-defined]
    body = environ["wsgi.input"].read()
    described = {
        "method": environ["REQUEST_METHOD"],
        "path": path,
        "query": environ["QUERY_STRING"],
        "body": body.decode("latin-1"),
        "content_length": environ.get("CONTENT_LENGTH", ""),
        "authorization": environ.get("HTTP_AUTHORIZATION"),
        "custom": environ.get("HTTP_X_CUSTOM"),
    }
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(described).encode()]


@pytest.fixture
def echo() -> Iterator[NotifySimulator]:
    echo_app.barrier = threading.Barrier(2, timeout=BARRIER_TIMEOUT_SECONDS)  # type: ignore[attr-defined]
    with NotifySimulator(app_factory=lambda store: echo_app) as simulator:
        yield simulator


@pytest.fixture
def connection(echo: NotifySimulator) -> Iterator[http.client.HTTPConnection]:
    connection = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=5)
    yield connection
    connection.close()


def ask(connection: http.client.HTTPConnection, method: str, path: str, **kwargs: Any) -> Any:
    connection.request(method, path, **kwargs)
    response = connection.getresponse()
    body = response.read()
    return response, json.loads(body) if body and response.status == 200 else body


def read_until_closed(raw: socket.socket) -> bytes:
    """Everything the server sends before it closes; a reset after its answer ends it too."""
    received = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := raw.recv(4096):
            received += chunk
    return received


def test_the_url_names_the_bound_loopback_port(echo: NotifySimulator) -> None:
    assert echo.port > 0
    assert echo.url == f"http://127.0.0.1:{echo.port}"


def test_requests_reach_the_app_with_their_details(connection: http.client.HTTPConnection) -> None:
    response, seen = ask(
        connection,
        "POST",
        "/v2/notifications/sms%20x?status=a&status=b",
        body=b'{"a": 1}',
        headers={"Authorization": "Bearer t", "X-Custom": "yes"},
    )

    assert (response.status, response.version) == (200, 11)
    assert response.getheader("Content-Length") == str(len(json.dumps(seen)))
    assert seen == {
        "method": "POST",
        "path": "/v2/notifications/sms x",
        "query": "status=a&status=b",
        "body": '{"a": 1}',
        "content_length": "8",
        "authorization": "Bearer t",
        "custom": "yes",
    }


def test_one_connection_serves_many_requests(connection: http.client.HTTPConnection) -> None:
    ask(connection, "GET", "/one")
    first_socket = connection.sock

    for path in ("/two", "/three"):
        response, seen = ask(connection, "POST", path, body=b"x" * 10)
        assert seen["path"] == path and seen["body"] == "x" * 10

    assert connection.sock is first_socket
    assert response.getheader("Connection") is None


def test_a_chunked_request_body_is_put_together(connection: http.client.HTTPConnection) -> None:
    _, seen = ask(connection, "POST", "/chunked", body=iter([b"ab", b"cde"]), encode_chunked=True)
    assert seen["body"] == "abcde"
    assert ask(connection, "GET", "/after")[1]["path"] == "/after"


def test_head_answers_headers_only_and_keeps_the_connection(
    connection: http.client.HTTPConnection,
) -> None:
    connection.request("HEAD", "/head")
    response = connection.getresponse()

    assert response.read() == b""
    assert int(response.getheader("Content-Length")) > 0
    assert ask(connection, "GET", "/after")[1]["path"] == "/after"


def test_an_app_failure_is_a_plain_500(connection: http.client.HTTPConnection) -> None:
    response, body = ask(connection, "GET", "/fail")

    assert response.status == 500
    assert body.startswith(b"Internal Server Error")
    assert ask(connection, "GET", "/after")[1]["path"] == "/after"


def test_a_bad_content_length_is_refused_and_closes(echo: NotifySimulator) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=5) as raw:
        raw.sendall(b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: lots\r\n\r\n")
        answer = b"".join(iter(lambda: raw.recv(4096), b""))

    assert answer.startswith(b"HTTP/1.1 400 ")


@pytest.mark.parametrize(
    ("request_head", "status"),
    [
        (b"NOT A REQUEST LINE\r\n\r\n", b"400"),
        (b"GET /x HTTP/9.9 extra\r\nHost: 127.0.0.1\r\n\r\n", b"400"),
        (b"\x00\xff\xfe binary\r\n\r\n", b"400"),
        (b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n", b"400"),
        # Just over the limit: the server reads the whole head, so its answer is not lost to
        # a reset (it stops reading at the limit and closes).
        (
            b"GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
            + b"a" * MAX_HEADER_BYTES
            + b"\r\n\r\n",
            b"431",
        ),
        (
            b"GET /x HTTP/1.1\r\n" + b"X-Many: 1\r\n" * (MAX_HEADER_BYTES // 11 + 1) + b"\r\n",
            b"431",
        ),
    ],
    ids=["request-line", "bad-version", "binary", "negative-length", "long-header", "many-headers"],
)
def test_malformed_requests_are_answered_and_the_server_keeps_serving(
    echo: NotifySimulator, request_head: bytes, status: bytes
) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=5) as raw:
        raw.sendall(request_head)
        answer = read_until_closed(raw)

    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] == status
    connection = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=5)
    assert ask(connection, "GET", "/still-up")[0].status == 200
    connection.close()


@pytest.mark.parametrize(
    "request_head",
    [
        b"GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        b"GET /x HTTP/1.0\r\n\r\n",
    ],
    ids=["connection-close", "http-1.0"],
)
def test_clients_that_do_not_keep_alive_are_answered_then_closed(
    echo: NotifySimulator, request_head: bytes
) -> None:
    with socket.create_connection(("127.0.0.1", echo.port), timeout=5) as raw:
        raw.sendall(request_head)
        answer = b"".join(iter(lambda: raw.recv(4096), b""))

    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line in (b"HTTP/1.0 200 OK", b"HTTP/1.1 200 OK")
    assert answer.endswith(b'"custom": null}')


def test_requests_are_served_at_the_same_time(echo: NotifySimulator) -> None:
    # Each request waits in the app until the other arrives: one at a time would deadlock.
    statuses: list[int] = []

    def together() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=5)
        statuses.append(ask(connection, "GET", "/together")[0].status)
        connection.close()

    threads = [threading.Thread(target=together) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200]


def test_stop_closes_idle_connections_quickly() -> None:
    simulator = NotifySimulator(app_factory=lambda store: echo_app).start()
    connection = http.client.HTTPConnection("127.0.0.1", simulator.port, timeout=5)
    ask(connection, "GET", "/idle")

    started = time.monotonic()
    simulator.stop()

    assert time.monotonic() - started < 1.0
    assert connection.sock is not None and connection.sock.recv(1) == b""
    connection.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", simulator.port), timeout=1)


def test_it_cannot_be_started_twice_but_can_be_restarted(echo: NotifySimulator) -> None:
    with pytest.raises(RuntimeError, match="already running"):
        echo.start()

    echo.stop()
    echo.start()

    connection = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=5)
    assert ask(connection, "GET", "/again")[0].status == 200
    connection.close()


def test_stop_without_start_is_harmless() -> None:
    NotifySimulator(app_factory=lambda store: echo_app).stop()


def test_logs_never_show_the_authorization_header(
    connection: http.client.HTTPConnection, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Bearer very-secret-token"
    with caplog.at_level(logging.DEBUG, logger="notifications_python_client.simulator"):
        ask(connection, "GET", "/logged", headers={"Authorization": secret})

    assert any("/logged" in record.getMessage() for record in caplog.records)
    assert not any("very-secret-token" in record.getMessage() for record in caplog.records)


# The simulator with its real app and the built-in data.


@pytest.fixture(scope="module")
def simulator() -> Iterator[NotifySimulator]:
    with NotifySimulator() as simulator:
        yield simulator


@pytest.fixture
def fresh(simulator: NotifySimulator) -> NotifySimulator:
    simulator.reset()
    return simulator


def test_api_keys_are_fixed_and_work(fresh: NotifySimulator) -> None:
    key = fresh.api_key("test")

    assert key == (
        "integration_test-9024e73a-6d91-4afb-9b68-7b3dba010425-85bda415-19e3-4ad4-a4b3-3d13745d8151"
    )
    assert key == NotifySimulator().api_key()
    assert fresh.api_key("team", TRIAL_SERVICE_ID).startswith(f"trial_team-{TRIAL_SERVICE_ID}-")
    client = NotificationsAPIClient(fresh.api_key("normal"), base_url=fresh.url)
    assert client.get_template(SMS_TEMPLATE_ID)["id"] == SMS_TEMPLATE_ID


def test_api_key_lookups_that_find_nothing_say_so(fresh: NotifySimulator) -> None:
    with pytest.raises(LookupError, match="no service"):
        fresh.api_key("test", "00000000-0000-4000-8000-000000000000")
    test_key = {"name": "t", "type": "test", "secret": "3d844edf-8d35-48ac-975b-e847b4f122b0"}
    only_test = NotifySimulator(
        {"services": [{"id": LIVE_SERVICE_ID, "name": "P", "api_keys": [test_key]}]}
    )
    with pytest.raises(LookupError, match="has no team key"):
        only_test.api_key("team")


def test_env_holds_the_integration_test_settings(fresh: NotifySimulator) -> None:
    assert fresh.env() == {
        "NOTIFY_API_URL": fresh.url,
        "API_KEY": fresh.api_key("test"),
        "NOTIFY_API_KEY": fresh.api_key("test"),
        "API_SENDING_KEY": fresh.api_key("team"),
        "INBOUND_SMS_QUERY_KEY": fresh.api_key("normal"),
        "FUNCTIONAL_TEST_NUMBER": "07700900321",
        "FUNCTIONAL_TEST_EMAIL": "pigeon.keeper@example.gov.uk",
        "SMS_TEMPLATE_ID": SMS_TEMPLATE_ID,
        "EMAIL_TEMPLATE_ID": "fcf0e1f4-edd4-44d1-a4ac-36f119b8fb5a",
        "LETTER_TEMPLATE_ID": "e6dbe9b4-039f-4e32-bb1c-13b1bd657596",
        "FILE_EMAIL_TEMPLATE_ID": "3a1f6c0e-8b5d-4c2e-9f47-5d0b6e2a9c81",
        "SIGN_IN_CODE_TEMPLATE_ID": "90c4364f-8e69-41c1-99b4-23dbaff8ef73",
        "PLAIN_EMAIL_TEMPLATE_ID": "31bc74fe-796e-4fb6-bcd2-8188d4099727",
        "EMAIL_REPLY_TO_ID": "6b6d0851-2b8e-4059-a182-c00cbfe11890",
        "SMS_SENDER_ID": "49ecff72-1d61-4e1a-865a-23a872ee5b8b",
    }


def test_env_leaves_out_what_the_data_lacks() -> None:
    bare = NotifySimulator({"services": [{"id": LIVE_SERVICE_ID, "name": "P"}]}, port=6011)
    assert bare.env() == {"NOTIFY_API_URL": "http://127.0.0.1:6011"}


def test_sending_and_reading_back_with_the_real_client(fresh: NotifySimulator) -> None:
    client = NotificationsAPIClient(fresh.api_key("test"), base_url=fresh.url)

    sent = client.send_sms_notification("07700900003", SMS_TEMPLATE_ID, {"name": "Amala"})

    assert client.get_notification_by_id(sent["id"])["status"] == "temporary-failure"
    assert [n.id for n in fresh.notifications] == [sent["id"]]


def test_timings_and_the_clock_control_statuses(fresh: NotifySimulator) -> None:
    slow = NotifySimulator(timings={"sending_after_seconds": 60, "delivered_after_seconds": 60})
    with slow:
        client = NotificationsAPIClient(slow.api_key("test"), base_url=slow.url)
        sent = client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"})

        seen = [client.get_notification_by_id(sent["id"])["status"]]
        for _ in range(2):
            slow.advance_clock(60)
            seen.append(client.get_notification_by_id(sent["id"])["status"])

    assert seen == ["created", "sending", "delivered"]


def test_timings_can_be_replaced_whole_or_unknown_ones_refused() -> None:
    replaced = NotifySimulator(timings=Timings(delivered_after_seconds=9))
    assert {s.timings.delivered_after_seconds for s in replaced.store.services()} == {9}
    with pytest.raises(ValueError, match="unknown timing"):
        NotifySimulator(timings={"eventually": 1})


def test_received_texts_can_be_added_and_read(fresh: NotifySimulator) -> None:
    text = fresh.add_received_text("Coo coo")
    client = NotificationsAPIClient(fresh.api_key("normal"), base_url=fresh.url)

    newest = client.get_received_texts()["received_text_messages"][0]

    assert (newest["id"], newest["content"], newest["user_number"]) == (
        text.id,
        "Coo coo",
        "447700900111",
    )


def test_reset_forgets_what_tests_did(fresh: NotifySimulator) -> None:
    client = NotificationsAPIClient(fresh.api_key("test"), base_url=fresh.url)
    client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"})
    fresh.add_received_text("extra")
    fresh.advance_clock(3600)

    fresh.reset()

    assert fresh.notifications == []
    assert len(client.get_received_texts()["received_text_messages"]) == 3
    assert abs(fresh.clock.now().timestamp() - time.time()) < 5
