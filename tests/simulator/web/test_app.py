"""The WSGI app as a whole: routing, wire conventions (behaviour: Responses) and error bodies.

Behaviour: Routing and edge cases.
"""

from __future__ import annotations

import json

import pytest
from wsgi_helpers import (
    EMAIL_TEMPLATE_ID,
    ROOT,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    WsgiClient,
    bearer,
    make_store,
)

from notifications_python_client.simulator.api.context import ApiRequest
from notifications_python_client.simulator.web.app import (
    ADMIN_ENDPOINTS,
    HANDLERS,
    SIMULATOR_HANDLERS,
    URL_MAP,
)

NOT_FOUND = {
    "message": "The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again.",
    "result": "error",
}
NOT_ALLOWED = {"message": "The method is not allowed for the requested URL.", "result": "error"}
NO_TOKEN = "Unauthorized: authentication token must be provided"
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
# A valid text message to a number outside the team, as any test may send it.
SMS_REQUEST = {
    "phone_number": "07700900001",
    "template_id": SMS_TEMPLATE_ID,
    "personalisation": {"name": "a", "day": "b"},
}
EXTRA_HEADERS = {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "Content-Type,Authorization",
    "access-control-allow-methods": "GET,PUT,POST,DELETE",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "x-permitted-cross-domain-policies": "none",
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
    "cache-control": "no-store, no-cache, private, must-revalidate",
}


@pytest.fixture
def client() -> WsgiClient:
    return WsgiClient(make_store())


def test_every_route_has_a_handler_or_is_an_admin_route() -> None:
    endpoints = [rule.endpoint for rule in URL_MAP.iter_rules()]
    assert len(endpoints) == len(set(endpoints))
    assert set(endpoints) == set(HANDLERS) | ADMIN_ENDPOINTS | set(SIMULATOR_HANDLERS)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/v2/foo",
        "/v2/notifications/",
        "/v2/templates/",
        "/v2/template",
        "/v2/template/abc/version/x",
        "/v2/template/abc/version/-1",
        f"/v2/notifications/{NOTIFICATION_ID}/pdf/",
    ],
)
def test_unknown_paths_get_the_app_level_404_without_authentication(
    client: WsgiClient, path: str
) -> None:
    response = client.get(path, authorization=None)

    assert response.status == 404
    assert response.json() == NOT_FOUND
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/v2/notifications", "GET, HEAD, OPTIONS"),
        ("DELETE", f"/v2/notifications/{NOTIFICATION_ID}", "GET, HEAD, OPTIONS, POST"),
        ("PUT", "/v2/notifications/sms", "GET, HEAD, OPTIONS, POST"),
        ("GET", f"/v2/template/{EMAIL_TEMPLATE_ID}/preview", "OPTIONS, POST"),
        ("POST", "/v2/templates", "GET, HEAD, OPTIONS"),
        ("POST", "/v2/received-text-messages", "GET, HEAD, OPTIONS"),
    ],
)
def test_wrong_method_gets_405_with_allow_and_the_html_content_type_quirk(
    client: WsgiClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path, authorization=None)

    assert response.status == 405
    assert response.json() == NOT_ALLOWED
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_post_to_an_unknown_notification_type_authenticates_first(client: WsgiClient) -> None:
    unauthenticated = client.post("/v2/notifications/push", {}, authorization=None)
    authenticated = client.post("/v2/notifications/push", {})

    assert unauthenticated.status == 401
    assert unauthenticated.error == ("AuthError", NO_TOKEN)
    assert authenticated.status == 404
    assert authenticated.json() == NOT_FOUND


def test_get_of_a_send_route_is_read_as_a_notification_id(client: WsgiClient) -> None:
    response = client.get("/v2/notifications/sms")

    assert response.status == 400
    assert response.error == ("ValidationError", "notification_id is not a valid UUID")


def test_authentication_comes_before_validation_and_rate_limits(client: WsgiClient) -> None:
    response = client.post("/v2/notifications/sms", data=b"not json", authorization="Basic x")

    assert response.status == 401
    assert response.error == (
        "AuthError",
        "Unauthorized: authentication bearer scheme must be used",
    )


def test_head_answers_like_get_without_a_body(client: WsgiClient) -> None:
    get = client.get(f"/v2/template/{SMS_TEMPLATE_ID}")
    head = client.request("HEAD", f"/v2/template/{SMS_TEMPLATE_ID}")

    assert head.status == get.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == str(len(get.body))
    assert head.headers["content-type"] == "application/json"


def test_options_authenticates_then_lists_the_methods(client: WsgiClient) -> None:
    refused = client.request("OPTIONS", "/v2/notifications", authorization=None)
    allowed = client.request("OPTIONS", "/v2/notifications")

    assert refused.status == 401
    assert refused.error == ("AuthError", NO_TOKEN)
    assert allowed.status == 200
    assert allowed.body == b""
    assert allowed.headers["allow"] == "GET, HEAD, OPTIONS"


LEGACY_PATH = f"/service/{SERVICE_ID}/template/{SMS_TEMPLATE_ID}/versions"


@pytest.mark.parametrize(
    ("authorization", "status", "message"),
    [
        (True, 401, "Unauthorized: not allowed to perform this action"),
        (None, 401, NO_TOKEN),
        ("Token abc", 401, "Unauthorized: authentication bearer scheme must be used"),
        (
            "Bearer not-a-jwt",
            403,
            "Invalid token: make sure your API token matches the example at "
            "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header",
        ),
    ],
)
def test_legacy_admin_route_refuses_service_keys(
    client: WsgiClient, authorization: str | bool | None, status: int, message: str
) -> None:
    response = client.get(LEGACY_PATH, authorization=authorization)

    assert response.status == status
    assert response.json() == {"message": {"token": [message]}, "result": "error"}


def test_legacy_admin_route_needs_uuids_in_the_path(client: WsgiClient) -> None:
    response = client.get(f"/service/{SERVICE_ID}/template/not-a-uuid/versions")

    assert response.status == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    "path",
    ["/v2/foo", "/v2/notifications", f"/v2/notifications/{NOTIFICATION_ID}", LEGACY_PATH],
)
def test_every_response_carries_notifys_extra_headers(client: WsgiClient, path: str) -> None:
    response = client.get(path)

    assert {name: response.headers.get(name) for name in EXTRA_HEADERS} == EXTRA_HEADERS


def test_json_is_sorted_compact_ascii_and_newline_terminated(client: WsgiClient) -> None:
    response = client.post(
        f"/v2/template/{EMAIL_TEMPLATE_ID}/preview",
        {"personalisation": {"first_name": "Zoë", "documents": "a passport"}},
    )

    assert response.status == 200
    assert response.body.startswith(b'{"body":"Dear Zo\\u00eb\\r\\n\\r\\nPlease bring:a passport",')
    canonical = json.dumps(response.json(), sort_keys=True, separators=(",", ":")) + "\n"
    assert response.body == canonical.encode("ascii")


def test_non_ascii_characters_travel_as_unicode_escapes() -> None:
    trial = WsgiClient(make_store(), service_id=TRIAL_SERVICE_ID)

    response = trial.post("/v2/notifications/sms", SMS_REQUEST)

    assert response.status == 400
    assert b"Can\\u2019t send to this recipient when service is in trial mode \\u2013 see" in (
        response.body
    )


def test_unexpected_failures_are_500_with_the_exception_name(client: WsgiClient) -> None:
    response = client.post(f"/v2/template/{SMS_TEMPLATE_ID}/preview", ["a", "b"])

    assert response.status == 500
    assert response.json() == {
        "status_code": 500,
        "errors": [{"error": "TypeError", "message": "Internal server error"}],
    }


def test_oversized_bodies_are_refused_with_413(
    client: WsgiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ApiRequest, "max_content_length", 100)

    response = client.post("/v2/notifications/sms", data=b"x" * 101)

    assert response.status == 413
    assert response.error == ("RequestEntityTooLarge", "Request body is larger than 100 bytes")


def test_urls_use_the_requests_own_scheme_and_host() -> None:
    client = WsgiClient(
        make_store(), extra_environ={"wsgi.url_scheme": "https", "HTTP_HOST": "example.test"}
    )

    response = client.get("/v2/notifications")

    assert response.json()["links"]["current"] == "https://example.test/v2/notifications"


def test_urls_default_to_the_test_host(client: WsgiClient) -> None:
    response = client.get("/v2/received-text-messages")

    assert response.json()["links"]["current"] == f"{ROOT}/v2/received-text-messages"


def test_lowercase_bearer_is_accepted(client: WsgiClient) -> None:
    token = bearer(SERVICE_ID, "3d844edf-8d35-48ac-975b-e847b4f122b0").replace("Bearer", "bearer")

    assert client.get("/v2/templates", authorization=token).status == 200


@pytest.mark.parametrize("content_type", ["application/text", ""])
def test_post_bodies_are_json_whatever_the_content_type(content_type: str) -> None:
    client = WsgiClient(make_store(), extra_environ={"CONTENT_TYPE": content_type})

    response = client.post("/v2/notifications/sms", SMS_REQUEST)

    assert response.status == 201
