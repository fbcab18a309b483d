"""Routing and wire behaviour over real sockets: unknown routes, wrong

Behaviour: Wire conventions; Error bodies; Routing and edge cases.
methods, HEAD, bodies the client would never send, headers, and many threads at once."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from e2e_support import (
    METHOD_NOT_ALLOWED_BODY,
    NOT_FOUND_BODY,
    OUTSIDER_PHONE,
    SMS_TEMPLATE_ID,
    UNKNOWN_ID,
    bearer,
    derived_id,
    expect_schema_errors,
    raw,
    service,
    v2_entries,
    with_default_services,
)

from notifications_python_client.errors import (
    HTTPError,
    NotFoundError,
    RateLimitError,
)
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.types import Notification

EXTRA_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Content-Type,Authorization",
    "Access-Control-Allow-Methods": "GET,PUT,POST,DELETE",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Permitted-Cross-Domain-Policies": "none",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "Cache-Control": "no-store, no-cache, private, must-revalidate",
}
SMS_BODY = json.dumps(
    {
        "phone_number": OUTSIDER_PHONE,
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {"name": "A"},
    }
)
SEND_PATHS = ["/v2/notifications/sms", "/v2/notifications/email", "/v2/notifications/letter"]
THREADS = 8
REQUESTS_PER_THREAD = 12
RATE_SIX = service("Rate six", limits={"rate_limit_per_minute": 6})


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(RATE_SIX)


def _extra_headers(response: requests.Response) -> dict[str, str]:
    return {name: response.headers.get(name, "") for name in EXTRA_HEADERS}


# Unknown routes and wrong methods


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/v2/foo",
        "/v2/notifications/",
        "/v2/template",
        "/v2/templates/",
        "/v2/received-text-messages/",
        f"/v2/notifications/{UNKNOWN_ID}/pdf/",
        f"/v2/template/{UNKNOWN_ID}/version/abc",
        f"/v2/template/{UNKNOWN_ID}/version/-1",
    ],
)
def test_unknown_route_gets_the_app_level_404_without_authentication(
    sim: NotifySimulator, path: str
) -> None:
    response = raw(sim, "GET", path)

    assert (response.status_code, response.json()) == (404, NOT_FOUND_BODY)
    assert _extra_headers(response) == EXTRA_HEADERS


def test_client_sees_an_unknown_route_as_not_found(test_key_client: NotificationsAPIClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        test_key_client.get("/v2/foo")

    assert (caught.value.status_code, caught.value.message) == (404, NOT_FOUND_BODY["message"])


def test_post_to_an_unknown_notification_type_authenticates_then_404s(sim: NotifySimulator) -> None:
    response = raw(sim, "POST", "/v2/notifications/push", authorization=bearer(sim), data=SMS_BODY)

    assert (response.status_code, response.json()) == (404, NOT_FOUND_BODY)


def test_get_of_a_send_route_is_read_as_an_id(test_key_client: NotificationsAPIClient) -> None:
    expect_schema_errors(
        lambda: test_key_client.get("/v2/notifications/sms"),
        "notification_id is not a valid UUID",
    )


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/v2/notifications", "GET, HEAD, OPTIONS"),
        # Also matches POST /v2/notifications/<notification_type> (the unknown-type route).
        ("DELETE", f"/v2/notifications/{UNKNOWN_ID}", "GET, HEAD, OPTIONS, POST"),
        ("PUT", "/v2/templates", "GET, HEAD, OPTIONS"),
        ("GET", f"/v2/template/{UNKNOWN_ID}/preview", "OPTIONS, POST"),
        ("DELETE", "/v2/notifications/sms", "GET, HEAD, OPTIONS, POST"),
    ],
)
def test_wrong_method_gets_405_with_allow_and_no_authentication(
    sim: NotifySimulator, method: str, path: str, allow: str
) -> None:
    response = raw(sim, method, path)

    assert (response.status_code, response.json()) == (405, METHOD_NOT_ALLOWED_BODY)
    assert response.headers["Allow"] == allow
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert _extra_headers(response) == EXTRA_HEADERS


def test_client_sees_a_wrong_method_as_a_plain_http_error(
    test_key_client: NotificationsAPIClient,
) -> None:
    with pytest.raises(HTTPError) as caught:
        test_key_client.delete(f"/v2/notifications/{UNKNOWN_ID}")

    assert type(caught.value) is HTTPError
    assert (caught.value.status_code, caught.value.message) == (
        405,
        METHOD_NOT_ALLOWED_BODY["message"],
    )


# HEAD and the response wire format


@pytest.mark.parametrize(
    "path", ["/v2/notifications", "/v2/templates", "/v2/received-text-messages"]
)
def test_head_is_get_without_a_body(sim: NotifySimulator, path: str) -> None:
    get = raw(sim, "GET", path, authorization=bearer(sim))
    head = raw(sim, "HEAD", path, authorization=bearer(sim))

    assert (head.status_code, head.content, head.headers["Content-Type"]) == (
        200,
        b"",
        "application/json",
    )
    assert head.headers["Content-Length"] == str(len(get.content))
    assert _extra_headers(head) == EXTRA_HEADERS


def test_json_is_written_as_notify_writes_it(sim: NotifySimulator) -> None:
    body = json.dumps(
        {
            "phone_number": OUTSIDER_PHONE,
            "template_id": SMS_TEMPLATE_ID,
            "personalisation": {"name": "A"},
            "reference": "Can’t",
        }
    )

    response = raw(sim, "POST", "/v2/notifications/sms", authorization=bearer(sim), data=body)

    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json"
    assert "Can\\u2019t" in response.text
    compact = json.dumps(response.json(), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    assert response.text == compact + "\n"
    assert _extra_headers(response) == EXTRA_HEADERS


def test_error_bodies_carry_the_extra_headers_too(sim: NotifySimulator) -> None:
    response = raw(sim, "GET", "/v2/notifications")

    assert response.status_code == 401
    assert _extra_headers(response) == EXTRA_HEADERS


# Request bodies (behaviour: Request bodies)


@pytest.mark.parametrize(
    "content_type", ["application/text", "text/plain", None, "application/x-www-form-urlencoded"]
)
def test_body_is_json_whatever_the_content_type(
    sim: NotifySimulator, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}

    response = raw(
        sim,
        "POST",
        "/v2/notifications/sms",
        authorization=bearer(sim),
        data=SMS_BODY,
        headers=headers,
    )

    assert response.status_code == 201


@pytest.mark.parametrize("path", SEND_PATHS)
@pytest.mark.parametrize("data", [b"", b"{nope", b"{'a': 1}", b"\xff\xfe"])
def test_malformed_json_is_refused(sim: NotifySimulator, path: str, data: bytes) -> None:
    response = raw(sim, "POST", path, authorization=bearer(sim), data=data)

    assert (response.status_code, v2_entries(response)) == (
        400,
        [("BadRequestError", "Invalid JSON supplied in POST data")],
    )


@pytest.mark.parametrize("data", [b"null", b"false", b"0", b'""', b"[]", b"{}"])
def test_empty_json_values_count_as_an_empty_object(sim: NotifySimulator, data: bytes) -> None:
    response = raw(sim, "POST", "/v2/notifications/sms", authorization=bearer(sim), data=data)

    assert (response.status_code, v2_entries(response)) == (
        400,
        [
            ("ValidationError", "phone_number is a required property"),
            ("ValidationError", "template_id is a required property"),
        ],
    )


@pytest.mark.parametrize("path", SEND_PATHS)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[1, 2]", "[1, 2] is not of type object"),
        (b'"abc"', "abc is not of type object"),
        (b"5", "5 is not of type object"),
        (b"1.5", "1.5 is not of type object"),
        (b"true", "True is not of type object"),
    ],
)
def test_other_json_values_are_not_objects(
    sim: NotifySimulator, path: str, data: bytes, message: str
) -> None:
    response = raw(sim, "POST", path, authorization=bearer(sim), data=data)

    assert (response.status_code, v2_entries(response)) == (400, [("ValidationError", message)])


def test_oversized_body_is_refused_and_the_connection_stays_usable(
    test_key_client: NotificationsAPIClient,
) -> None:
    huge = {
        "phone_number": OUTSIDER_PHONE,
        "template_id": SMS_TEMPLATE_ID,
        "reference": "x" * (21 * 1024 * 1024),
    }

    with pytest.raises(HTTPError) as caught:
        test_key_client.post("/v2/notifications/sms", huge)

    assert caught.value.status_code == 413
    assert test_key_client.send_sms_notification(OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": "A"})[
        "id"
    ]


# Many threads at once


def test_concurrent_clients_all_get_their_own_answers(sim: NotifySimulator) -> None:
    def work(worker: int) -> list[tuple[str, str]]:
        with requests.Session() as session:
            notify = NotificationsAPIClient(
                sim.api_key("test"), base_url=sim.url, request_session=session
            )
            sent = []
            for number in range(REQUESTS_PER_THREAD):
                reference = f"w{worker}-{number}"
                response = notify.send_sms_notification(
                    OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": reference}, reference=reference
                )
                shown = notify.get_notification_by_id(response["id"])
                assert (shown["reference"], shown["body"][: 6 + len(reference)]) == (
                    reference,
                    f"Hello {reference}",
                )
                sent.append((response["id"], reference))
            return sent

    with ThreadPoolExecutor(THREADS) as pool:
        results = [pair for batch in pool.map(work, range(THREADS)) for pair in batch]

    listed = {n["id"]: n["reference"] for n in _all_notifications(sim)}
    assert len(results) == THREADS * REQUESTS_PER_THREAD
    assert listed == dict(results)


def _all_notifications(sim: NotifySimulator) -> list[Notification]:
    with requests.Session() as session:
        notify = NotificationsAPIClient(
            sim.api_key("test"), base_url=sim.url, request_session=session
        )
        return list(notify.get_all_notifications_iterator())


def test_concurrent_sends_share_one_rate_limit_bucket(sim: NotifySimulator) -> None:
    barrier = threading.Barrier(THREADS)
    key = sim.api_key("test", RATE_SIX["id"])

    def send(_: int) -> str:
        with requests.Session() as session:
            notify = NotificationsAPIClient(key, base_url=sim.url, request_session=session)
            barrier.wait()
            try:
                notify.send_sms_notification(
                    OUTSIDER_PHONE, derived_id("Rate six", "sms"), {"name": "A"}
                )
            except RateLimitError:
                return "limited"
            return "sent"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes: list[str] = list(pool.map(send, range(THREADS)))

    assert sorted(outcomes) == ["limited"] * (THREADS - 2) + ["sent"] * 2
