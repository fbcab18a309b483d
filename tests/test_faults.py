"""The client against a misbehaving server on a real loopback socket.

Each fault must end in the published exception with the right status, message and ``str()``,
with the requests exception chained as its cause, without the API key's secret or the token in
any text a user might log, and with the client still able to make the next request.
"""

from __future__ import annotations

import json
import logging
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from faulty_server import (
    DEFAULT_BODY,
    Action,
    FaultyServer,
    answer,
    chunked_answer,
    close_without_answer,
    gzip_answer,
    gzipped_json,
    json_answer,
    raw_bytes,
    redirect,
    reset_mid_body,
    slow_answer,
    truncated_answer,
)

from notifications_python_client.errors import (
    REQUEST_ERROR_MESSAGE,
    APIError,
    BadRequestError,
    HTTP503Error,
    HTTPError,
    InvalidResponse,
    MaybeSentError,
    RateLimitError,
    ServerError,
)
from notifications_python_client.notifications import NotificationsAPIClient

DATA_DIR = Path(__file__).parent / "data"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
TEMPLATE_PATH = f"/v2/template/{TEMPLATE_ID}"
NOT_JSON_MESSAGE = "No JSON response object could be decoded"

# Generous for loopback, so only the scripted stall ever reaches it.
CLIENT_TIMEOUT_SECONDS = 2.0
SHORT_TIMEOUT_SECONDS = 0.2
STALL_SECONDS = 30.0  # cut short when the server stops at the end of the test
# requests follows 30 redirects and refuses the 31st.
REQUESTS_MAX_REDIRECTS = 30


def data(name: str) -> bytes:
    """A canned body from ``tests/data``."""
    return (DATA_DIR / name).read_bytes()


@pytest.fixture
def server() -> Iterator[FaultyServer]:
    """A scripted misbehaving server, stopped after the test."""
    with FaultyServer() as faulty:
        yield faulty


@pytest.fixture
def make_client(api_key: str) -> Iterator[Callable[[str, float], NotificationsAPIClient]]:
    """Build clients for a server URL and timeout; their sessions are closed after the test."""
    clients: list[NotificationsAPIClient] = []

    def make(url: str, timeout: float = CLIENT_TIMEOUT_SECONDS) -> NotificationsAPIClient:
        client = NotificationsAPIClient(api_key, base_url=url, timeout=timeout)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.request_session.close()


@pytest.fixture
def client(
    server: FaultyServer, make_client: Callable[[str, float], NotificationsAPIClient]
) -> NotificationsAPIClient:
    """A client of ``server`` with a timeout no healthy answer comes near."""
    return make_client(server.url, CLIENT_TIMEOUT_SECONDS)


@pytest.fixture(autouse=True)
def capture_all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Record every logger down to DEBUG (urllib3 included), to search it for secrets."""
    caplog.set_level(logging.DEBUG)
    return caplog


def tokens_sent(*servers: FaultyServer) -> list[str]:
    """Every bearer token that reached the servers."""
    return [
        request.headers["authorization"].removeprefix("Bearer ")
        for server in servers
        for request in server.requests
        if "authorization" in request.headers
    ]


def assert_no_secret_leaks(
    error: BaseException, caplog: pytest.LogCaptureFixture, secret: str, tokens: list[str]
) -> None:
    """Neither the secret nor a token appears in the error, its chain, or any log line."""
    assert tokens, "the request never reached the server, so there is no token to look for"
    texts = [str(error), repr(error), *traceback.format_exception(error)]
    texts += [record.getMessage() for record in caplog.records]
    texts += [caplog.text]
    for text in texts:
        assert secret not in text
        for token in tokens:
            assert token not in text


def assert_still_usable(client: NotificationsAPIClient) -> None:
    """The next request on the same client (same Session, same pool) succeeds."""
    assert client.get_template(TEMPLATE_ID) == DEFAULT_BODY


def assert_failure_logged(
    caplog: pytest.LogCaptureFixture, server: FaultyServer, status: int
) -> None:
    """The client's one warning names the method, the URL and the status."""
    warnings = [
        record
        for record in caplog.records
        if record.name == "notifications_python_client.base" and record.levelno == logging.WARNING
    ]
    assert len(warnings) == 1
    line = warnings[0].getMessage()
    assert "GET" in line
    assert f"{server.url}{TEMPLATE_PATH}" in line
    assert str(status) in line


@dataclass(frozen=True)
class Fault:
    """A scripted misbehaviour and what the client must raise for it."""

    actions: Callable[[], list[Action]]
    error_class: type[APIError]
    status_code: int
    message: Any
    cause_class: type[BaseException]


RATE_LIMIT_ERRORS = json.loads(data("error_429_rate_limit.json"))["errors"]

FAULTS = {
    "connection closed without an answer": Fault(
        lambda: [close_without_answer()],
        MaybeSentError,
        503,
        REQUEST_ERROR_MESSAGE,
        requests.ConnectionError,
    ),
    "answer that is not HTTP": Fault(
        lambda: [raw_bytes(b"SSH-2.0-OpenSSH_9.6\r\n")],
        MaybeSentError,
        503,
        REQUEST_ERROR_MESSAGE,
        requests.ConnectionError,
    ),
    "body shorter than its Content-Length": Fault(
        lambda: [truncated_answer(200, b'{"id": "f335', declared_length=400)],
        MaybeSentError,
        503,
        REQUEST_ERROR_MESSAGE,
        requests.exceptions.ChunkedEncodingError,
    ),
    "connection reset mid-body": Fault(
        lambda: [reset_mid_body(200, b'{"id": "f335', declared_length=400)],
        MaybeSentError,
        503,
        REQUEST_ERROR_MESSAGE,
        # The reset may land while the head or while the body is read: both are request failures.
        requests.RequestException,
    ),
    "chunked body without its last chunk": Fault(
        lambda: [chunked_answer(200, [b'{"id": ', b'"f335'], finish=False)],
        MaybeSentError,
        503,
        REQUEST_ERROR_MESSAGE,
        requests.exceptions.ChunkedEncodingError,
    ),
    "gzip header on a body that is not gzip": Fault(
        lambda: [gzip_answer(200, b"this is not gzip data")],
        MaybeSentError,
        503,
        REQUEST_ERROR_MESSAGE,
        requests.exceptions.ContentDecodingError,
    ),
    "502 HTML page from a proxy": Fault(
        lambda: [answer(502, data("proxy_502.html"), content_type="text/html")],
        ServerError,
        502,
        REQUEST_ERROR_MESSAGE,
        requests.HTTPError,
    ),
    "500 with a plain-text body": Fault(
        lambda: [answer(500, data("server_500.txt"), content_type="text/plain")],
        ServerError,
        500,
        REQUEST_ERROR_MESSAGE,
        requests.HTTPError,
    ),
    "429 with Notify's error list": Fault(
        lambda: [answer(429, data("error_429_rate_limit.json"))],
        RateLimitError,
        429,
        RATE_LIMIT_ERRORS,
        requests.HTTPError,
    ),
    "400 whose JSON is a list, not an object": Fault(
        lambda: [json_answer(400, ["not", "an", "object"])],
        BadRequestError,
        400,
        REQUEST_ERROR_MESSAGE,
        requests.HTTPError,
    ),
    "redirect loop": Fault(
        lambda: [redirect(TEMPLATE_PATH)] * (REQUESTS_MAX_REDIRECTS + 1),
        HTTPError,
        302,
        REQUEST_ERROR_MESSAGE,
        requests.TooManyRedirects,
    ),
    "empty 200": Fault(
        lambda: [answer(200, b"")],
        InvalidResponse,
        200,
        NOT_JSON_MESSAGE,
        ValueError,
    ),
    "200 with invalid JSON": Fault(
        lambda: [answer(200, b'{"id": "f33517ff"')],
        InvalidResponse,
        200,
        NOT_JSON_MESSAGE,
        ValueError,
    ),
    "200 with an HTML login page": Fault(
        lambda: [answer(200, b"<html><body>Sign in</body></html>", content_type="text/html")],
        InvalidResponse,
        200,
        NOT_JSON_MESSAGE,
        ValueError,
    ),
    "302 without a Location": Fault(
        lambda: [answer(302, b"")],
        InvalidResponse,
        302,
        NOT_JSON_MESSAGE,
        ValueError,
    ),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_fault_raises_published_error_without_leaking(
    fault: Fault,
    server: FaultyServer,
    client: NotificationsAPIClient,
    caplog: pytest.LogCaptureFixture,
    secret: str,
) -> None:
    server.script(*fault.actions())

    with pytest.raises(APIError) as info:
        client.get_template(TEMPLATE_ID)

    error = info.value
    assert type(error) is fault.error_class
    assert error.status_code == fault.status_code
    assert error.message == fault.message
    assert str(error) == f"{fault.status_code} - {fault.message}"
    assert isinstance(error.__cause__, fault.cause_class)
    assert_no_secret_leaks(error, caplog, secret, tokens_sent(server))
    assert_still_usable(client)


@pytest.mark.parametrize(
    "fault",
    [FAULTS["connection closed without an answer"], FAULTS["502 HTML page from a proxy"]],
    ids=["no response", "HTML response"],
)
def test_http_failure_is_logged_once_with_method_url_and_status(
    fault: Fault,
    server: FaultyServer,
    client: NotificationsAPIClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.script(*fault.actions())

    with pytest.raises(HTTPError):
        client.get_template(TEMPLATE_ID)

    assert_failure_logged(caplog, server, fault.status_code)


def test_stalled_answer_times_out_as_503(
    server: FaultyServer,
    make_client: Callable[[str, float], NotificationsAPIClient],
    caplog: pytest.LogCaptureFixture,
    secret: str,
) -> None:
    client = make_client(server.url, SHORT_TIMEOUT_SECONDS)
    server.script(slow_answer(STALL_SECONDS, json_answer(200, DEFAULT_BODY)))

    with pytest.raises(HTTP503Error) as info:
        client.get_template(TEMPLATE_ID)

    error = info.value
    assert error.status_code == 503
    assert error.message == REQUEST_ERROR_MESSAGE
    assert str(error) == "503 - Request failed"
    assert error.response is None
    assert isinstance(error.__cause__, requests.Timeout)
    assert_no_secret_leaks(error, caplog, secret, tokens_sent(server))
    assert_still_usable(client)


def test_status_error_keeps_the_response(
    server: FaultyServer, client: NotificationsAPIClient
) -> None:
    server.script(answer(503, data("error_503_unavailable.json")))

    with pytest.raises(HTTP503Error) as info:
        client.get_template(TEMPLATE_ID)

    assert info.value.response is not None
    assert info.value.response.status_code == 503
    assert info.value.message == [
        {"error": "Exception", "message": "Service temporarily unavailable"}
    ]


def test_204_returns_none(server: FaultyServer, client: NotificationsAPIClient) -> None:
    server.script(answer(204))

    assert client.get_template(TEMPLATE_ID) is None
    assert_still_usable(client)


@pytest.mark.parametrize("value", [["a", "list"], "a string", 42, None], ids=repr)
def test_json_that_is_not_an_object_is_returned_as_decoded(
    value: object, server: FaultyServer, client: NotificationsAPIClient
) -> None:
    server.script(json_answer(200, value))

    assert client.get_template(TEMPLATE_ID) == value


def test_gzip_json_is_decoded(server: FaultyServer, client: NotificationsAPIClient) -> None:
    server.script(gzip_answer(200, gzipped_json({"id": TEMPLATE_ID, "version": 3})))

    assert client.get_template(TEMPLATE_ID) == {"id": TEMPLATE_ID, "version": 3}
    assert "gzip" in server.requests[0].headers["accept-encoding"]


def test_chunked_json_is_joined(server: FaultyServer, client: NotificationsAPIClient) -> None:
    server.script(
        chunked_answer(200, [b'{"id": ', b'"' + TEMPLATE_ID.encode(), b'", "version": 3}'])
    )

    assert client.get_template(TEMPLATE_ID) == {"id": TEMPLATE_ID, "version": 3}
    assert_still_usable(client)


def test_same_origin_redirect_is_followed_with_the_token(
    server: FaultyServer, client: NotificationsAPIClient
) -> None:
    moved_path = f"/v2/template/{TEMPLATE_ID}/moved"
    server.script(redirect(moved_path), json_answer(200, {"id": TEMPLATE_ID, "moved": True}))

    assert client.get_template(TEMPLATE_ID) == {"id": TEMPLATE_ID, "moved": True}
    first, second = server.requests
    assert (first.target, second.target) == (TEMPLATE_PATH, moved_path)
    assert second.headers["authorization"] == first.headers["authorization"]


def test_redirect_elsewhere_does_not_carry_the_token(
    server: FaultyServer,
    client: NotificationsAPIClient,
    caplog: pytest.LogCaptureFixture,
    secret: str,
) -> None:
    with FaultyServer() as elsewhere:
        server.script(redirect(f"{elsewhere.url}/collect"))

        assert client.get_template(TEMPLATE_ID) == DEFAULT_BODY

        (collected,) = elsewhere.requests
        assert collected.target == "/collect"
        assert "authorization" not in collected.headers
        assert secret.encode() not in collected.body
        assert not any(token in str(collected) for token in tokens_sent(server))


def test_post_after_a_dropped_keep_alive_connection_is_sent_again_intact(
    server: FaultyServer, client: NotificationsAPIClient
) -> None:
    assert_still_usable(client)  # opens the keep-alive connection the fault will drop
    server.script(close_without_answer(), json_answer(201, {"id": "sent"}))

    with pytest.raises(HTTP503Error):
        client.send_sms_notification("+447700900123", TEMPLATE_ID)
    resent_answer: object = client.send_sms_notification("+447700900123", TEMPLATE_ID)
    assert resent_answer == {"id": "sent"}

    dropped, resent = server.requests[1:]
    assert dropped.body == resent.body
    assert json.loads(resent.body) == {"phone_number": "+447700900123", "template_id": TEMPLATE_ID}


# Paging: the iterators when a later page fails or a page gives no way on.


def notification_id(number: int) -> str:
    """A distinct, valid notification UUID per number."""
    return f"00000000-0000-4000-8000-{number:012d}"


def page(
    items_key: str, numbers: range, next_url: str | None, links: bool = True
) -> dict[str, Any]:
    """A list page as Notify shapes it, with ``links.next`` when given."""
    body: dict[str, Any] = {items_key: [{"id": notification_id(n)} for n in numbers]}
    if links:
        body["links"] = {"current": "/current"}
        if next_url is not None:
            body["links"]["next"] = next_url
    return body


def query_of(request_target: str) -> dict[str, list[str]]:
    """The decoded query of a request target."""
    return urllib.parse.parse_qs(urllib.parse.urlsplit(request_target).query)


ITERATORS = {
    "notifications": ("get_all_notifications_iterator", "notifications", "/v2/notifications"),
    "received texts": (
        "get_received_texts_iterator",
        "received_text_messages",
        "/v2/received-text-messages",
    ),
}


@pytest.mark.parametrize(("method", "items_key", "path"), ITERATORS.values(), ids=ITERATORS.keys())
@pytest.mark.parametrize(
    ("second_page", "error_class"),
    [
        (lambda: answer(500, data("server_500.txt"), content_type="text/plain"), ServerError),
        (close_without_answer, HTTP503Error),
        (lambda: answer(200, b"<html>"), InvalidResponse),
    ],
    ids=["500", "closed", "not JSON"],
)
def test_iterator_raises_after_yielding_the_first_page(
    method: str,
    items_key: str,
    path: str,
    second_page: Callable[[], Action],
    error_class: type[APIError],
    server: FaultyServer,
    client: NotificationsAPIClient,
) -> None:
    last_id = notification_id(2)
    first_page = page(items_key, range(1, 3), f"{server.url}{path}?older_than={last_id}")
    server.script(json_answer(200, first_page), second_page())

    iterator = getattr(client, method)()
    yielded = [next(iterator), next(iterator)]

    assert yielded == first_page[items_key]
    with pytest.raises(error_class):
        next(iterator)
    with pytest.raises(StopIteration):
        next(iterator)
    assert query_of(server.requests[1].target)["older_than"] == [last_id]
    assert_still_usable(client)


def test_notifications_iterator_keeps_its_filters_on_every_page(
    server: FaultyServer, client: NotificationsAPIClient
) -> None:
    last_id = notification_id(2)
    next_url = f"{server.url}/v2/notifications?older_than={last_id}&status=failed"
    server.script(
        json_answer(200, page("notifications", range(1, 3), next_url)),
        json_answer(200, page("notifications", range(3, 4), None)),
    )

    items = list(client.get_all_notifications_iterator(status="failed", template_type="sms"))

    assert [item["id"] for item in items] == [notification_id(n) for n in range(1, 4)]
    second_query = query_of(server.requests[1].target)
    assert second_query == {
        "status": ["failed"],
        "template_type": ["sms"],
        "older_than": [last_id],
    }


DEAD_ENDS = {
    "no links": {"links": False, "next_url": None},
    "links without next": {"links": True, "next_url": None},
    "next without a UUID": {"links": True, "next_url": "/v2/notifications?older_than=latest"},
    "next with an empty older_than": {"links": True, "next_url": "/v2/notifications?older_than="},
    "next that is not a string": {"links": True, "next_url": 7},
}


@pytest.mark.parametrize("dead_end", DEAD_ENDS.values(), ids=DEAD_ENDS.keys())
def test_iterator_stops_where_a_page_gives_no_way_on(
    dead_end: dict[str, Any], server: FaultyServer, client: NotificationsAPIClient
) -> None:
    only_page = page("notifications", range(1, 4), dead_end["next_url"], links=dead_end["links"])
    server.script(json_answer(200, only_page))

    items = list(client.get_all_notifications_iterator())

    assert items == only_page["notifications"]
    assert len(server.requests) == 1


def test_iterator_stops_when_next_points_back_to_a_page_already_read(
    server: FaultyServer, client: NotificationsAPIClient
) -> None:
    looping_url = f"{server.url}/v2/received-text-messages?older_than={notification_id(2)}"
    server.script(
        json_answer(200, page("received_text_messages", range(1, 3), looping_url)),
        json_answer(200, page("received_text_messages", range(3, 5), looping_url)),
    )

    items = list(client.get_received_texts_iterator())

    assert [item["id"] for item in items] == [notification_id(n) for n in range(1, 5)]
    assert len(server.requests) == 2


@pytest.mark.parametrize("body", [[], "a string", {"links": {}}, {"notifications": None}], ids=repr)
def test_iterator_yields_nothing_from_a_page_without_a_list(
    body: object, server: FaultyServer, client: NotificationsAPIClient
) -> None:
    server.script(json_answer(200, body))

    assert list(client.get_all_notifications_iterator()) == []
    assert len(server.requests) == 1
