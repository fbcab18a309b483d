"""No other web page can reach the local Notify: not by a name of its own pointed at loopback,
not by a form or script sent from another origin, and not by reading it through CORS."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from e2e_support import FILE_EMAIL_TEMPLATE_ID, SMS_TEMPLATE_ID, form_token

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.simulator.web.guard import allowed_host_names
from notifications_python_client.utils import prepare_upload

FOREIGN_ORIGIN = "http://evil.example"


def sent_sms(client: NotificationsAPIClient) -> str:
    return str(client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"})["id"])


def file_link(client: NotificationsAPIClient) -> str:
    upload = prepare_upload(io.BytesIO(b"%PDF-1.4 a file"), filename="a.pdf")
    response = client.send_email_notification(
        "amala@example.com", FILE_EMAIL_TEMPLATE_ID, {"name": "A", "link_to_file": upload}
    )
    body = response["content"]["body"]
    return str(body[body.index("http") :].split()[0])


# Each of the simulator's forms: its path (given a sent text message's id and a file link) and
# what a person would fill in.
FORMS: list[tuple[str, Callable[[str, str], str], dict[str, str]]] = [
    ("status", lambda sms, link: f"notifications/{sms}/status", {"status": "delivered"}),
    ("received text", lambda sms, link: "received-texts",
     {"content": "Hi", "user_number": "07700900111",
      "service_id": "9024e73a-6d91-4afb-9b68-7b3dba010425"}),
    ("clock", lambda sms, link: "settings/clock", {"advance_seconds": "3600"}),
    ("faults", lambda sms, link: "settings/faults", {"error_rate": "1"}),
    ("reset", lambda sms, link: "settings/reset", {}),
    ("template preview", lambda sms, link: f"templates/{SMS_TEMPLATE_ID}", {"name": "A"}),
    ("file download", lambda sms, link: link, {"email_address": "amala@example.com"}),
    ("add template", lambda sms, link: "templates", {"type": "sms", "body": "Hi ((name))"}),
    ("edit template", lambda sms, link: f"templates/{SMS_TEMPLATE_ID}/edit", {"body": "Hi"}),
    ("delete one", lambda sms, link: f"notifications/{sms}/delete", {}),
    ("delete matching", lambda sms, link: "delete", {"type": "sms"}),
]  # fmt: skip


def state(sim: NotifySimulator) -> tuple[Any, ...]:
    """What any form could change."""
    return (
        [(n.id, n.status) for n in sim.notifications],
        [(t.id, len(t.versions)) for s in sim.store.services() for t in s.templates],
        len(sim.store.all_received_texts()),
        sim.clock.offset_seconds,
        sim.faults,
    )


@pytest.fixture
def sim(sim: NotifySimulator) -> NotifySimulator:
    """The shared simulator, reset, and without the faults a form of an earlier test set."""
    sim.set_faults()
    return sim


@pytest.fixture
def sent(sim: NotifySimulator, test_key_client: NotificationsAPIClient) -> tuple[str, str]:
    return sent_sms(test_key_client), file_link(test_key_client)


def form_url(sim: NotifySimulator, path: str) -> str:
    return path if path.startswith("http") else f"{sim.url}/_simulator/{path}"


@pytest.mark.parametrize(("name", "path", "fields"), FORMS, ids=[form[0] for form in FORMS])
@pytest.mark.parametrize(
    "headers",
    [{"Origin": FOREIGN_ORIGIN}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
     {"Sec-Fetch-Site": "same-site"}, {"Origin": "http://127.0.0.1:1"}],
    ids=["foreign origin", "opaque origin", "cross-site", "same-site", "another port"],
)  # fmt: skip
def test_a_form_sent_from_another_page_is_refused_and_changes_nothing(
    sim: NotifySimulator,
    sent: tuple[str, str],
    name: str,
    path: Callable[[str, str], str],
    fields: dict[str, str],
    headers: dict[str, str],
) -> None:
    url = form_url(sim, path(*sent))
    # Even with the right token, as if it had leaked: the origin alone refuses it.
    data = {**fields, "form_token": form_token(f"{sim.url}/_simulator/settings")}
    before = state(sim)

    response = requests.post(url, data=data, headers=headers, allow_redirects=False, timeout=5)

    assert response.status_code == 403
    assert "Refused" in response.text
    assert state(sim) == before


@pytest.mark.parametrize(("name", "path", "fields"), FORMS, ids=[form[0] for form in FORMS])
@pytest.mark.parametrize("token", [None, "", "guessed"], ids=["no token", "empty", "wrong"])
def test_a_form_without_the_pages_token_is_refused(
    sim: NotifySimulator,
    sent: tuple[str, str],
    name: str,
    path: Callable[[str, str], str],
    fields: dict[str, str],
    token: str | None,
) -> None:
    data = fields if token is None else {**fields, "form_token": token}
    before = state(sim)

    response = requests.post(
        form_url(sim, path(*sent)), data=data, allow_redirects=False, timeout=5
    )

    assert response.status_code == 403
    assert "did not come from the pages of this simulator" in response.text
    assert state(sim) == before


@pytest.mark.parametrize(("name", "path", "fields"), FORMS, ids=[form[0] for form in FORMS])
def test_a_form_from_the_simulators_own_page_is_accepted(
    sim: NotifySimulator,
    sent: tuple[str, str],
    name: str,
    path: Callable[[str, str], str],
    fields: dict[str, str],
) -> None:
    url = form_url(sim, path(*sent))
    data = {**fields, "form_token": form_token(f"{sim.url}/_simulator/settings")}
    headers = {"Origin": sim.url, "Sec-Fetch-Site": "same-origin"}

    response = requests.post(url, data=data, headers=headers, allow_redirects=False, timeout=5)

    assert response.status_code in (200, 303)


ADMIN_CHANGES = [
    ("POST", "clock", '{"advance_seconds": 60}'),
    ("POST", "reset", "{}"),
    ("POST", "received-texts", '{"content": "Hi", "user_number": "07700900111"}'),
    ("PUT", "faults", '{"error_rate": 1}'),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CHANGES)
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
)
def test_the_admin_api_takes_only_json_which_no_form_can_send(
    sim: NotifySimulator, method: str, path: str, body: str, content_type: str | None
) -> None:
    sim.advance_clock(1)
    before = state(sim)
    headers = {} if content_type is None else {"Content-Type": content_type}

    response = requests.request(
        method, f"{sim.url}/_simulator/api/{path}", data=body, headers=headers, timeout=5
    )

    assert response.status_code == 415
    assert response.json()["errors"] == [
        {
            "error": "UnsupportedMediaType",
            "message": "Send the admin API a JSON body, with Content-Type: application/json.",
        }
    ]
    assert state(sim) == before


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CHANGES)
def test_the_admin_api_refuses_json_sent_by_another_page(
    sim: NotifySimulator, method: str, path: str, body: str
) -> None:
    sim.advance_clock(1)
    before = state(sim)
    headers = {"Content-Type": "application/json", "Origin": FOREIGN_ORIGIN}

    response = requests.request(
        method, f"{sim.url}/_simulator/api/{path}", data=body, headers=headers, timeout=5
    )

    assert response.status_code == 403
    assert response.json()["errors"][0]["error"] == "Forbidden"
    assert state(sim) == before


def test_a_program_sending_json_changes_state(sim: NotifySimulator) -> None:
    moved = requests.post(
        f"{sim.url}/_simulator/api/clock", json={"advance_seconds": 60}, timeout=5
    )

    assert moved.status_code == 200 and sim.clock.offset_seconds == 60


@pytest.mark.parametrize(
    "path",
    ["/_simulator/", "/_simulator/api/notifications", "/_simulator/settings",
     "/_simulator/api/faults", "/_simulator/static/inbox.js", "/_simulator/nowhere"],
)  # fmt: skip
def test_the_simulators_own_routes_send_no_cors_headers(sim: NotifySimulator, path: str) -> None:
    for response in (
        requests.get(sim.url + path, headers={"Origin": FOREIGN_ORIGIN}, timeout=5),
        requests.options(sim.url + path, headers={"Origin": FOREIGN_ORIGIN}, timeout=5),
    ):
        assert not [name for name in response.headers if name.lower().startswith("access-control")]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_download_sends_no_cors_headers(sent: tuple[str, str]) -> None:
    response = requests.get(sent[1], headers={"Origin": FOREIGN_ORIGIN}, timeout=5)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_v2_api_keeps_notifys_own_cors_headers(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    response = requests.get(f"{sim.url}/v2/notifications", timeout=5)

    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:6011", "127.0.0.1.evil.example", "[::2]:80", "x"]
)
def test_a_host_name_it_does_not_listen_on_is_refused(sim: NotifySimulator, host: str) -> None:
    for path in ("/_simulator/api/notifications", "/_simulator/", "/v2/notifications"):
        response = requests.get(sim.url + path, headers={"Host": host}, timeout=5)

        assert response.status_code == 400
        assert "does not answer to the host name" in response.json()["message"]
        assert "--allowed-host" in response.json()["message"]
        assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST:6011", "[::1]:6011"])
def test_loopback_names_are_answered(sim: NotifySimulator, host: str) -> None:
    response = requests.get(
        f"{sim.url}/_simulator/api/notifications", headers={"Host": host}, timeout=5
    )

    assert response.status_code == 200


@pytest.fixture
def container_sim() -> Iterator[NotifySimulator]:
    with NotifySimulator(allowed_hosts=["notify", "Notify.Internal"]) as simulator:
        yield simulator


@pytest.mark.parametrize("host", ["notify:6011", "notify.internal", "localhost"])
def test_names_given_with_allowed_hosts_are_answered(
    container_sim: NotifySimulator, host: str
) -> None:
    response = requests.get(
        f"{container_sim.url}/_simulator/api/notifications", headers={"Host": host}, timeout=5
    )

    assert response.status_code == 200


def test_only_the_allowed_names(container_sim: NotifySimulator) -> None:
    response = requests.get(
        f"{container_sim.url}/_simulator/", headers={"Host": "evil.example"}, timeout=5
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("listen", "extra", "expected"),
    [
        ("127.0.0.1", [], {"127.0.0.1", "localhost", "::1"}),
        ("0.0.0.0", [], {"127.0.0.1", "localhost", "::1"}),
        ("::", ["notify"], {"127.0.0.1", "localhost", "::1", "notify"}),
        ("192.0.2.7", ["[fd00::1]", " Notify "], {"127.0.0.1", "localhost", "::1",
                                                  "192.0.2.7", "fd00::1", "notify"}),
        ("127.0.0.1", ["notify", "*"], None),
    ],
)  # fmt: skip
def test_the_names_answered(listen: str, extra: list[str], expected: set[str] | None) -> None:
    assert allowed_host_names(listen, extra) == (None if expected is None else frozenset(expected))
