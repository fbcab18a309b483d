"""BaseAPIClient: key handling, what request() hands to the Session, and the patch points."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import traceback
import types
from collections.abc import Callable
from typing import Any

import pytest
import requests
import requests_mock
import urllib3

from notifications_python_client import base
from notifications_python_client.base import BaseAPIClient
from notifications_python_client.errors import (
    ApiKeyFormatWarning,
    HTTPError,
    InvalidApiKeyError,
    MissingArgumentError,
)
from notifications_python_client.notifications import NotificationsAPIClient

EXPECTED_USER_AGENT = "NOTIFY-API-PYTHON-CLIENT/13.1.0"
SERVICE = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET_PART = "ab4a9f4c-5bc5-4c85-a2e8-4e2a6c1d8e5f"


class FakeResponse:
    """A 200 JSON response as a Session would return it."""

    status_code = 200
    content = b'{"ok": true}'

    def raise_for_status(self) -> None:
        return None

    def json(self) -> Any:
        return {"ok": True}


class RecordingSession(requests.Session):
    """A Session that records what it was asked to send, and answers 200 ``{"ok": true}``."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> Any:  # type: ignore[override]
        self.sent.append((method, url, kwargs))
        return FakeResponse()


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def recorded_client(api_key: str, base_url: str, session: RecordingSession) -> BaseAPIClient:
    return BaseAPIClient(api_key, base_url=base_url, request_session=session)


def test_the_key_is_split_from_the_end(service_id: str, secret: str) -> None:
    # The key name may itself contain hyphens.
    client = BaseAPIClient(f"my-key-with-hyphens-{service_id}-{secret}")

    assert client.service_id == service_id
    assert client.api_key == secret
    assert client.base_url == "https://api.notifications.service.gov.uk"
    assert client.timeout == 30
    assert isinstance(client.request_session, requests.Session)


def test_constructor_arguments_are_kept(api_key: str) -> None:
    client = NotificationsAPIClient(api_key, base_url="http://localhost:6011", timeout=(3, 9))

    assert client.base_url == "http://localhost:6011"
    assert client.timeout == (3, 9)


@pytest.mark.parametrize(
    ("key", "base_url", "message"),
    [
        (f"name-{'1' * 36}-{'2' * 36}", "", "Missing base url"),
        (f"name-{'1' * 36}-{'2' * 36}", None, "Missing base url"),
        ("", "https://x.test", "Missing service ID"),
        ("a" * 36, "https://x.test", "Missing service ID"),
        (None, "https://x.test", "Missing API key"),
    ],
)
def test_missing_parts_raise_an_assertion_that_is_also_a_value_error(
    key: Any, base_url: Any, message: str
) -> None:
    with pytest.raises(AssertionError) as raised:
        NotificationsAPIClient(key, base_url=base_url)

    assert type(raised.value) is MissingArgumentError
    assert isinstance(raised.value, ValueError)
    assert str(raised.value) == message


def test_missing_parts_still_raise_under_python_dash_o() -> None:
    script = textwrap.dedent(
        """
        import sys
        from notifications_python_client import NotificationsAPIClient
        from notifications_python_client.authentication import create_jwt_token

        assert False, "asserts must be off"  # reached only without -O
        """
    )
    checks = textwrap.dedent(
        """
        def check(call):
            try:
                call()
            except AssertionError as e:
                print(type(e).__name__, e)

        check(lambda: NotificationsAPIClient("k" * 80, base_url=""))
        check(lambda: NotificationsAPIClient("", base_url="https://x.test"))
        check(lambda: NotificationsAPIClient(None, base_url="https://x.test"))
        check(lambda: create_jwt_token("", "client"))
        check(lambda: create_jwt_token("s" * 40, ""))
        print("optimize", sys.flags.optimize)
        """
    )
    result = subprocess.run(
        [sys.executable, "-O", "-c", script + checks],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.splitlines() == [
        "MissingArgumentError Missing base url",
        "MissingArgumentError Missing service ID",
        "MissingArgumentError Missing API key",
        "MissingArgumentError Missing secret key",
        "MissingArgumentError Missing client id",
        "optimize 1",
    ]


def test_a_service_id_that_is_not_a_uuid_warns(secret: str) -> None:
    key = f"name-{'x' * 36}-{secret}"

    with pytest.warns(ApiKeyFormatWarning) as caught:
        client = BaseAPIClient(key)

    assert len(caught) == 1
    message = str(caught[0].message)
    assert "service ID" in message
    assert "not a UUID" in message
    assert secret not in message
    assert caught[0].filename == __file__
    assert client.service_id == "x" * 36


def test_a_secret_that_is_not_a_uuid_warns_without_showing_it(service_id: str) -> None:
    secret = "S3cr3t-but-not-a-uuid-at-all-0123456"
    assert len(secret) == 36

    with pytest.warns(ApiKeyFormatWarning) as caught:
        client = BaseAPIClient(f"name-{service_id}-{secret}")

    assert len(caught) == 1
    message = str(caught[0].message)
    assert "secret" in message
    assert "service ID" not in message
    assert secret not in message
    assert "S3cr3t" not in message
    assert client.api_key == secret


def test_a_key_that_is_too_short_warns_for_both_parts() -> None:
    with pytest.warns(ApiKeyFormatWarning) as caught:
        BaseAPIClient("short-but-present" * 3)

    assert [str(w.message).split(" (")[0] for w in caught] == [
        "The API key's service ID",
        "The API key's secret",
    ]


def test_a_well_formed_key_does_not_warn(api_key: str) -> None:
    # filterwarnings=error turns any warning into a failure here.
    BaseAPIClient(api_key)
    BaseAPIClient(api_key.upper())


def test_repr_shows_class_url_and_service_but_never_the_secret(
    api_key: str, service_id: str, secret: str
) -> None:
    client = NotificationsAPIClient(api_key, base_url="https://notify.test")

    text = repr(client)

    assert text == (
        f"NotificationsAPIClient(base_url='https://notify.test', service_id='{service_id[:8]}…')"
    )
    assert secret not in text
    assert secret not in str(client)


def test_repr_never_shows_a_whole_key_part_even_when_the_parts_are_swapped(
    service_id: str, secret: str
) -> None:
    swapped = f"my_key-{secret}-{service_id}"
    client = NotificationsAPIClient(swapped, base_url="https://notify.test")

    text = repr(client)

    assert secret not in text and service_id not in text
    assert secret[:8] in text


def test_repr_of_a_client_whose_init_failed_does_not_raise() -> None:
    with pytest.raises(MissingArgumentError) as caught:
        NotificationsAPIClient("", base_url="https://notify.test")
    frames = [entry.frame.f_locals for entry in caught.traceback]
    half_built = next(local["self"] for local in reversed(frames) if "self" in local)

    assert repr(half_built) == "NotificationsAPIClient(base_url=None, service_id=None)"
    traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()


def test_generate_headers_is_exact(recorded_client: BaseAPIClient) -> None:
    assert recorded_client.generate_headers("tok") == {
        "Content-type": "application/json",
        "Authorization": "Bearer tok",
        "User-agent": EXPECTED_USER_AGENT,
    }


def test_a_given_session_is_used_for_every_request(
    recorded_client: BaseAPIClient, session: RecordingSession, base_url: str
) -> None:
    assert recorded_client.request_session is session

    recorded_client.get("/one")
    recorded_client.get("/two")

    assert [url for _, url, _ in session.sent] == [base_url + "/one", base_url + "/two"]


def test_a_get_sends_no_body_and_exactly_these_arguments(
    recorded_client: BaseAPIClient,
    session: RecordingSession,
    base_url: str,
    frozen_now: int,
    assert_signed_headers: Callable[[Any, int], None],
) -> None:
    assert recorded_client.get("/v2/thing") == {"ok": True}

    [(method, url, kwargs)] = session.sent
    assert (method, url) == ("GET", base_url + "/v2/thing")
    assert set(kwargs) == {"headers", "timeout"}
    assert kwargs["timeout"] == 30
    assert set(kwargs["headers"]) == {"Content-type", "Authorization", "User-agent"}
    assert kwargs["headers"]["User-agent"] == EXPECTED_USER_AGENT
    assert_signed_headers(types.SimpleNamespace(headers=kwargs["headers"]), frozen_now)


def test_params_are_passed_only_when_given(
    recorded_client: BaseAPIClient, session: RecordingSession
) -> None:
    recorded_client.get("/v2/thing", params={"a": "b"})
    recorded_client.get("/v2/thing", params={})

    assert [kwargs.get("params", "absent") for _, _, kwargs in session.sent] == [{"a": "b"}, {}]


@pytest.mark.parametrize(
    ("data", "sent_json"),
    [
        ({"a": 1}, '{"a": 1}'),
        ({"tags": {"only"}}, '{"tags": ["only"]}'),
        ({"tags": frozenset({"only"})}, '{"tags": ["only"]}'),
        ({"nested": types.MappingProxyType({"x": 1})}, '{"nested": {"x": 1}}'),
        ([], "[]"),
        ({}, "{}"),
    ],
)
def test_data_is_sent_as_json(
    data: Any, sent_json: str, recorded_client: BaseAPIClient, session: RecordingSession
) -> None:
    recorded_client.post("/v2/thing", data)

    [(method, _, kwargs)] = session.sent
    assert method == "POST"
    assert kwargs["data"] == sent_json


def test_data_that_json_cannot_encode_fails_before_sending(
    recorded_client: BaseAPIClient, session: RecordingSession
) -> None:
    with pytest.raises(TypeError, match="object is not JSON serializable"):
        recorded_client.post("/v2/thing", {"when": object()})

    assert session.sent == []


@pytest.mark.parametrize(
    ("call", "method", "has_body"),
    [
        (lambda c: c.get("/p"), "GET", False),
        (lambda c: c.post("/p", {"k": "v"}), "POST", True),
        (lambda c: c.put("/p", {"k": "v"}), "PUT", True),
        (lambda c: c.delete("/p"), "DELETE", False),
        (lambda c: c.delete("/p", {"k": "v"}), "DELETE", True),
    ],
)
def test_convenience_methods(
    call: Callable[[BaseAPIClient], Any],
    method: str,
    has_body: bool,
    recorded_client: BaseAPIClient,
    session: RecordingSession,
) -> None:
    assert call(recorded_client) == {"ok": True}

    [(sent_method, _, kwargs)] = session.sent
    assert sent_method == method
    assert ("data" in kwargs) is has_body
    if has_body:
        assert kwargs["data"] == '{"k": "v"}'


def test_a_fresh_token_per_request_through_the_module_level_name(
    recorded_client: BaseAPIClient,
    session: RecordingSession,
    service_id: str,
    secret: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def fake_create_jwt_token(*args: Any, **kwargs: Any) -> str:
        calls.append((args, kwargs))
        return f"token-{len(calls)}"

    monkeypatch.setattr("notifications_python_client.base.create_jwt_token", fake_create_jwt_token)

    recorded_client.get("/a")
    recorded_client.post("/b", {})

    assert calls == [((secret, service_id), {}), ((secret, service_id), {})]
    assert [kw["headers"]["Authorization"] for _, _, kw in session.sent] == [
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_patching_base_requests_takes_effect(api_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[RecordingSession] = []

    def make_session() -> RecordingSession:
        made.append(RecordingSession())
        return made[-1]

    fake_requests = types.SimpleNamespace(Session=make_session)
    monkeypatch.setattr("notifications_python_client.base.requests", fake_requests)

    client = BaseAPIClient(api_key, base_url="https://notify.test")
    client.get("/v2/x")

    assert client.request_session is made[0]
    assert made[0].sent[0][:2] == ("GET", "https://notify.test/v2/x")


def test_errors_are_still_caught_when_base_requests_is_a_mock(
    api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class RefusingSession(requests.Session):
        def request(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            raise requests.exceptions.ConnectionError("refused")

    monkeypatch.setattr(base, "requests", types.SimpleNamespace(Session=RefusingSession))

    with pytest.raises(HTTPError) as raised:
        BaseAPIClient(api_key).get("/v2/x")

    assert raised.value.status_code == 503


def test_the_default_session_keeps_connections_alive(
    client: NotificationsAPIClient, requests_mock: requests_mock.Mocker, base_url: str
) -> None:
    requests_mock.get(base_url + "/v2/template/t", json={})
    session = client.request_session

    client.get_template("t")
    client.get_template("t")

    assert client.request_session is session
    assert requests_mock.call_count == 2


@pytest.mark.parametrize(
    "key",
    [
        f"my_key-{SERVICE}-{SECRET_PART[:-2]}\udcff\udcfe",
        f"my_key-\udc80{SERVICE[1:]}-{SECRET_PART}",
    ],
)
def test_a_key_holding_bytes_that_are_not_utf8_is_refused_at_construction(key: str) -> None:
    with pytest.raises(InvalidApiKeyError, match="the API key holds bytes that are not UTF-8") as e:
        NotificationsAPIClient(key)

    assert isinstance(e.value, ValueError)
    assert SECRET_PART[:8] not in str(e.value) and SERVICE[:8] not in str(e.value)


@pytest.mark.parametrize("key", [12345, b"my_key-bytes", ["a", "list"]])
def test_a_key_that_is_not_text_is_a_type_error_naming_the_key(key: Any) -> None:
    with pytest.raises(TypeError, match=r"the API key must be text \(str\), not "):
        NotificationsAPIClient(key)


@pytest.mark.parametrize(
    ("timeout", "error", "message"),
    [
        ("abc", TypeError, "timeout must be a number of seconds, .* not str"),
        (True, TypeError, "not bool"),
        ((1, 2, 3), TypeError, "not a tuple of 3"),
        ((1, "x"), TypeError, "the read timeout must be"),
        ([1, 2], TypeError, "not list"),
        (-1, ValueError, "timeout must be more than 0 seconds, not -1"),
        (0, ValueError, "more than 0 seconds, not 0"),
        (float("nan"), ValueError, "not nan"),
        ((0, 5), ValueError, "the connect timeout must be more than 0 seconds"),
    ],
)
def test_a_timeout_requests_cannot_use_is_refused_at_construction(
    api_key: str, timeout: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        NotificationsAPIClient(api_key, timeout=timeout)


@pytest.mark.parametrize(
    "timeout", [None, 5, 0.5, (3, 10), (None, 10), (3, None), urllib3.util.Timeout(connect=2)]
)
def test_every_timeout_requests_takes_is_accepted(api_key: str, timeout: Any) -> None:
    assert NotificationsAPIClient(api_key, timeout=timeout).timeout is timeout


LOCAL_NOTIFY = "http://127.0.0.1:6011"


def test_without_a_base_url_the_client_takes_notify_api_url(
    api_key: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NOTIFY_API_URL", LOCAL_NOTIFY)

    with caplog.at_level("DEBUG", logger="notifications_python_client.base"):
        client = NotificationsAPIClient(api_key)

    assert client.base_url == LOCAL_NOTIFY
    assert caplog.messages == [f"Notify API base URL {LOCAL_NOTIFY} (from NOTIFY_API_URL)"]


def test_the_published_default_given_explicitly_counts_as_not_given(
    api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_API_URL", LOCAL_NOTIFY)

    client = NotificationsAPIClient(api_key, base_url="https://api.notifications.service.gov.uk")

    assert client.base_url == LOCAL_NOTIFY


def test_any_other_base_url_wins_over_the_environment(
    api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_API_URL", LOCAL_NOTIFY)

    assert NotificationsAPIClient(api_key, "https://notify.test").base_url == "https://notify.test"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_the_variable_the_default_is_the_real_service(
    api_key: str, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv("NOTIFY_API_URL", value)

    client = NotificationsAPIClient(api_key)

    assert client.base_url == "https://api.notifications.service.gov.uk"


def test_requests_go_where_the_environment_points(
    api_key: str, monkeypatch: pytest.MonkeyPatch, requests_mock: requests_mock.Mocker
) -> None:
    monkeypatch.setenv("NOTIFY_API_URL", LOCAL_NOTIFY)
    requests_mock.get(f"{LOCAL_NOTIFY}/v2/notifications/abc", json={"id": "abc"})

    assert NotificationsAPIClient(api_key).get_notification_by_id("abc") == {"id": "abc"}
