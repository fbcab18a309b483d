"""Properties over generated input: whatever a server answers, the client gives a value or one of
this package's errors; whatever JSON a client posts, the simulator answers with Notify's error
shape, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests_mock as requests_mock_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wsgi_helpers import SMS_TEMPLATE_ID, WsgiClient, make_store

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy

# The same examples on every run (tests are deterministic), and no example database on disk.
SETTINGS: dict[str, Any] = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}
API_KEY = "my_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
BASE_URL = "https://notify.test"
TEMPLATE_URL = f"{BASE_URL}/v2/template/{SMS_TEMPLATE_ID}"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.sampled_from(
        [b"", b"<html><body>Bad gateway</body></html>", b"\xff\xfe", b'{"errors": "x"}']
    ),
)
content_types = st.sampled_from(
    ["application/json", "text/html", "text/plain", "application/pdf", ""]
)


@pytest.mark.parametrize("retries", [0, 2])
@settings(**SETTINGS, max_examples=150)
@given(status=st.integers(100, 599), body=bodies, content_type=content_types)
def test_any_answer_gives_a_value_or_an_error_of_this_package(
    retries: int, status: int, body: bytes, content_type: str
) -> None:
    retry = RetryPolicy(max_retries=retries, sleep=lambda seconds: None) if retries else None
    client = NotificationsAPIClient(API_KEY, base_url=BASE_URL, retry=retry)
    with requests_mock_module.Mocker() as mock:
        mock.get(
            TEMPLATE_URL, status_code=status, content=body, headers={"Content-Type": content_type}
        )
        try:
            client.get_template(SMS_TEMPLATE_ID)
        except APIError as error:
            assert error.status_code in (status, 503)
            assert isinstance(error.errors, list)
            assert str(error) and repr(error) and error.message is not False


sends = st.fixed_dictionaries(
    {},
    optional={
        "phone_number": json_values,
        "email_address": json_values,
        "template_id": json_values | st.just(SMS_TEMPLATE_ID),
        "personalisation": json_values,
        "reference": json_values,
        "scheduled_for": json_values,
        "sms_sender_id": json_values,
        "email_reply_to_id": json_values,
        "one_click_unsubscribe_url": json_values,
        "sanitise_content_for": json_values,
        "content": json_values,
        "postage": json_values,
    },
)
paths = st.sampled_from(
    [
        "/v2/notifications/sms",
        "/v2/notifications/email",
        "/v2/notifications/letter",
        f"/v2/template/{SMS_TEMPLATE_ID}/preview",
    ]
)


@settings(**SETTINGS, max_examples=300)
@given(path=paths, body=st.one_of(sends, json_values))
def test_the_simulator_answers_any_json_with_notifys_error_shape(path: str, body: Any) -> None:
    client = WsgiClient(make_store()).as_key("test")

    response = client.post(path, data=json.dumps(body).encode())

    if path.endswith("/preview") and body and not isinstance(body, dict):
        # Notify's own answer to a preview body that is not an object (behaviour: Previewing a
        # template); still its error shape.
        assert response.status == 500
    else:
        assert response.status != 500, response.body
    if response.status >= 400:
        payload = response.json()
        assert payload["status_code"] == response.status
        assert all(set(entry) >= {"error", "message"} for entry in payload["errors"])


queries = st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), max_size=5)


@settings(**SETTINGS, max_examples=100)
@given(
    path=st.sampled_from(["/v2/notifications", "/v2/templates", "/v2/received-text-messages"]),
    query=queries,
)
def test_the_simulator_answers_any_query_without_a_500(
    path: str, query: list[tuple[str, str]]
) -> None:
    from urllib.parse import urlencode

    response = WsgiClient(make_store()).get(path, query=urlencode(query))

    assert response.status in (200, 400)
