"""The lighter request path loses nothing: interception, patch points, session settings, the
environment read afresh when it changes, and tokens of the current second."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

import jwt
import pytest
import requests
import requests_mock as requests_mock_module
import responses
from freezegun import freeze_time
from requests.adapters import HTTPAdapter

from notifications_python_client import base
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.transport import SessionSender

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"my_key-{SERVICE_ID}-{SECRET}"
BASE_URL = "https://notify.test"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
TEMPLATE_URL = f"{BASE_URL}/v2/template/{TEMPLATE_ID}"


class RecordingAdapter(HTTPAdapter):
    """An adapter that answers 200 ``{}`` and keeps what each send was given."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[requests.PreparedRequest, dict[str, Any]]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append((request, kwargs))
        response = requests.Response()
        response.status_code = 200
        response._content = b"{}"
        response.request = request
        response.url = request.url or ""
        return response


def client_with(session: requests.Session | None = None) -> NotificationsAPIClient:
    return NotificationsAPIClient(API_KEY, base_url=BASE_URL, request_session=session)


def recording_session() -> tuple[requests.Session, RecordingAdapter]:
    session, adapter = requests.Session(), RecordingAdapter()
    session.mount("https://", adapter)
    return session, adapter


def test_responses_intercepts_every_call() -> None:
    with responses.RequestsMock() as mocked:
        mocked.get(TEMPLATE_URL, json={"id": TEMPLATE_ID})
        client = client_with()
        assert client.get_template(TEMPLATE_ID) == {"id": TEMPLATE_ID}
        assert client.get_template(TEMPLATE_ID) == {"id": TEMPLATE_ID}
        assert len(mocked.calls) == 2


def test_requests_mock_sees_what_was_sent(requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE_URL}/v2/notifications", json={"notifications": []})

    client_with().get_all_notifications(status="delivered", reference="r 1")

    sent = requests_mock.last_request
    assert sent.qs == {"status": ["delivered"], "reference": ["r 1"]}
    assert sent.headers["User-agent"].startswith("NOTIFY-API-PYTHON-CLIENT/")
    assert sent.headers["Authorization"].startswith("Bearer ")
    assert sent.timeout == 30


def test_a_patched_requests_module_gets_the_published_call() -> None:
    with mock.patch.object(base, "requests") as patched:
        patched.Session.return_value.request.return_value.status_code = 200
        patched.Session.return_value.request.return_value.json.return_value = {"id": "t"}
        client = client_with()

        assert client.get_template(TEMPLATE_ID) == {"id": "t"}

    call = patched.Session.return_value.request.call_args
    assert call.args == ("GET", TEMPLATE_URL)
    assert set(call.kwargs) == {"headers", "timeout"}


def test_a_patched_token_function_is_called_for_every_request(
    requests_mock: requests_mock_module.Mocker,
) -> None:
    requests_mock.get(TEMPLATE_URL, json={})
    with mock.patch.object(base, "create_jwt_token", return_value="patched-token") as patched:
        client = client_with()
        client.get_template(TEMPLATE_ID)
        client.get_template(TEMPLATE_ID)

    assert patched.call_count == 2
    assert requests_mock.last_request.headers["Authorization"] == "Bearer patched-token"


def test_a_patched_session_method_is_respected(requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(TEMPLATE_URL, json={})
    original = requests.Session.request

    with mock.patch.object(requests.Session, "request", autospec=True, side_effect=original) as spy:
        client_with().get_template(TEMPLATE_ID)

    assert spy.call_count == 1


def test_a_users_session_settings_all_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    # requests lets these variables override session.verify; see the equivalence test below.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    session, adapter = recording_session()
    session.headers["X-Team"] = "pigeons"
    session.proxies = {"https": "http://proxy.test:3128"}
    session.verify = "/etc/ssl/corporate.pem"
    session.cert = ("/client.pem", "/client.key")

    client_with(session).get_template(TEMPLATE_ID)

    request, kwargs = adapter.sent[0]
    assert request.headers["X-Team"] == "pigeons"
    assert request.headers["Content-type"] == "application/json"
    assert kwargs["proxies"]["https"] == "http://proxy.test:3128"
    assert kwargs["verify"] == "/etc/ssl/corporate.pem"
    assert kwargs["cert"] == ("/client.pem", "/client.key")


def test_a_session_header_set_to_none_is_left_out() -> None:
    session, adapter = recording_session()
    session.headers["Accept-Encoding"] = None  # type: ignore[assignment]

    client_with(session).get_template(TEMPLATE_ID)

    assert "Accept-Encoding" not in adapter.sent[0][0].headers


def test_a_proxy_set_after_the_first_request_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    session, adapter = recording_session()
    client = client_with(session)

    client.get_template(TEMPLATE_ID)
    monkeypatch.setenv("HTTPS_PROXY", "http://late-proxy.test:8080")
    client.get_template(TEMPLATE_ID)
    monkeypatch.setenv("NO_PROXY", "notify.test")
    client.get_template(TEMPLATE_ID)

    proxies = [kwargs["proxies"].get("https") for _, kwargs in adapter.sent]
    assert proxies == [None, "http://late-proxy.test:8080", None]


def test_a_token_is_never_more_than_a_second_old() -> None:
    session, adapter = recording_session()
    client = client_with(session)

    with freeze_time("2026-03-01 12:00:00.100") as frozen:
        client.get_template(TEMPLATE_ID)
        client.get_template(TEMPLATE_ID)
        frozen.tick(dt.timedelta(seconds=0.95))
        client.get_template(TEMPLATE_ID)

    tokens = [
        request.headers["Authorization"].removeprefix("Bearer ") for request, _ in adapter.sent
    ]
    issued = [
        jwt.decode(t, SECRET, algorithms=["HS256"], options={"verify_iat": False})["iat"]
        for t in tokens
    ]
    assert tokens[0] == tokens[1] != tokens[2]
    assert issued == [1772366400, 1772366400, 1772366401]


@pytest.mark.parametrize(
    "change",
    [
        lambda s: setattr(s, "auth", ("user", "pass")),
        lambda s: s.params.update({"always": "1"}),
        lambda s: s.cookies.set("session", "abc", domain="notify.test"),
        lambda s: s.hooks["response"].append(lambda r, **kwargs: r),
    ],
    ids=["auth", "params", "cookies", "hooks"],
)
def test_a_session_with_its_own_auth_params_cookies_or_hooks_takes_the_published_path(
    change: Any,
) -> None:
    session, adapter = recording_session()
    change(session)

    with mock.patch.object(session, "request", wraps=session.request) as spy:
        client_with(session).get_template(TEMPLATE_ID)

    assert spy.call_count == 1 and len(adapter.sent) == 1


def test_a_session_subclass_takes_the_published_path() -> None:
    class Audited(requests.Session):
        calls = 0

        def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
            Audited.calls += 1
            return super().request(*args, **kwargs)

    session = Audited()
    session.mount("https://", RecordingAdapter())

    client_with(session).get_template(TEMPLATE_ID)

    assert Audited.calls == 1


def test_a_netrc_entry_for_the_host_applies_as_in_the_published_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine notify.test login someone password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    session, adapter = recording_session()

    client_with(session).get_template(TEMPLATE_ID)

    assert adapter.sent[0][0].headers["Authorization"].startswith("Basic ")


def test_a_replaced_request_session_is_used() -> None:
    first, first_adapter = recording_session()
    second, second_adapter = recording_session()
    client = client_with(first)
    client.get_template(TEMPLATE_ID)

    client.request_session = second
    client.get_template(TEMPLATE_ID)

    assert (len(first_adapter.sent), len(second_adapter.sent)) == (1, 1)


def test_a_query_that_cannot_be_a_cache_key_still_goes() -> None:
    session, adapter = recording_session()

    SessionSender(session).send(
        "GET", TEMPLATE_URL, headers={}, data=None, params={"x": {"a": 1}}, timeout=1
    )

    assert adapter.sent[0][0].url == f"{TEMPLATE_URL}?x=a"


@pytest.mark.parametrize("ca_bundle", [None, "/env/bundle.pem"])
@pytest.mark.parametrize("trust_env", [True, False])
def test_the_lighter_path_sends_what_session_request_would(
    monkeypatch: pytest.MonkeyPatch, ca_bundle: str | None, trust_env: bool
) -> None:
    if ca_bundle is None:
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    else:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_bundle)
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy.test:1")
    arguments: dict[str, Any] = {
        "headers": {"A": "b"},
        "data": '{"x": 1}',
        "params": {"q": "1"},
        "timeout": 5,
    }
    sent = []
    for path in ("lighter", "published"):
        session, adapter = recording_session()
        session.trust_env = trust_env
        session.verify = "/session/bundle.pem"
        session.headers["X-Team"] = "pigeons"
        if path == "lighter":
            SessionSender(session).send("POST", TEMPLATE_URL, **arguments)
        else:
            session.request("POST", TEMPLATE_URL, **arguments)
        request, kwargs = adapter.sent[0]
        sent.append((request.method, request.url, dict(request.headers), request.body, kwargs))

    assert sent[0] == sent[1]


def test_a_netrc_file_written_after_the_first_request_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    monkeypatch.setenv("NETRC", str(netrc))
    session, adapter = recording_session()
    client = client_with(session)

    client.get_template(TEMPLATE_ID)
    netrc.write_text("machine notify.test login someone password secret\n")
    netrc.chmod(0o600)
    client.get_template(TEMPLATE_ID)

    schemes = [request.headers["Authorization"].split()[0] for request, _ in adapter.sent]
    assert schemes == ["Bearer", "Basic"]
