"""Whatever a client sends the admin API, the inbox's forms and the download pages, the answer is
a page or a 4xx naming the problem, never a 500 (property tests, derandomized)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from notifications_python_client.simulator.state.store import create_store
from notifications_python_client.simulator.web.app import create_app

SETTINGS: dict[str, Any] = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
ADMIN_POSTS = (
    "/_simulator/api/notifications/00000000-0000-4000-8000-000000000000/status",
    "/_simulator/api/received-texts",
    "/_simulator/api/clock",
    "/_simulator/api/reset",
    "/_simulator/api/templates",
    "/_simulator/api/templates/8193b560-c917-4676-ba08-36354dbe5832",
)
TEMPLATE_POSTS = ADMIN_POSTS[-2:]
FORMS = (
    "/_simulator/received-texts",
    "/_simulator/settings/clock",
    "/_simulator/settings/faults",
    "/_simulator/notifications/nope/status",
    "/_simulator/templates/8193b560-c917-4676-ba08-36354dbe5832",
    "/_simulator/templates",
    "/_simulator/templates/8193b560-c917-4676-ba08-36354dbe5832/edit",
    "/_simulator/delete",
    "/_simulator/notifications/nope/delete",
    "/_simulator/d/a/b",
)
FORM_FIELDS = st.dictionaries(
    st.sampled_from(["content", "user_number", "service_id", "advance_seconds", "status",
                     "error_rate", "seed", "error_statuses", "latency_ms", "email_address",
                     "name", "type", "body", "subject", "q"]),
    st.text(max_size=30),
    max_size=5,
)  # fmt: skip

FORM_TOKEN = "the-token-of-these-tests"
client = Client(create_app(create_store(), form_token=FORM_TOKEN))
settings_client = Client(create_app(create_store()))


@settings(**SETTINGS, max_examples=200)
@given(path=st.sampled_from(ADMIN_POSTS), body=JSON_VALUES)
def test_any_json_to_the_admin_api_is_answered_without_a_500(path: str, body: object) -> None:
    response = client.post(path, data=json.dumps(body), content_type="application/json")

    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.content_type == "application/json"


@settings(**SETTINGS, max_examples=100)
@given(path=st.sampled_from(ADMIN_POSTS), raw=st.binary(max_size=60))
def test_any_bytes_to_the_admin_api_are_answered_without_a_500(path: str, raw: bytes) -> None:
    response = client.post(path, data=raw, content_type="application/json")

    assert response.status_code < 500, response.get_data(as_text=True)


@settings(**SETTINGS, max_examples=200)
@given(path=st.sampled_from(FORMS), fields=FORM_FIELDS)
def test_any_form_is_answered_without_a_500(path: str, fields: dict[str, str]) -> None:
    response = client.post(path, data={**fields, "form_token": FORM_TOKEN})

    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.status_code != 403, "the form was refused before it was read"


@settings(**SETTINGS, max_examples=200)
@given(
    path=st.sampled_from(TEMPLATE_POSTS),
    body=st.dictionaries(
        st.sampled_from(["type", "body", "subject", "name", "service_id", "template_id"]),
        JSON_VALUES,
        max_size=5,
    ),
)
def test_any_template_fields_are_answered_without_a_500(path: str, body: object) -> None:
    response = client.post(path, data=json.dumps(body), content_type="application/json")

    assert response.status_code < 500, response.get_data(as_text=True)


@settings(**SETTINGS, max_examples=200)
@given(
    kind=st.sampled_from(["delivery_status", "received_text", "complaints"]),
    method=st.sampled_from(["PUT", "DELETE"]),
    body=st.dictionaries(
        st.sampled_from(["url", "bearer_token", "service_id", "x"]),
        JSON_VALUES | st.sampled_from(["http://127.0.0.1:1/cb", "https://127.0.0.1:1", "t" * 12]),
        max_size=4,
    ),
)
def test_any_callback_settings_are_answered_without_a_500(
    kind: str, method: str, body: object
) -> None:
    # A store of its own, in which nothing is ever sent, so no callback is ever made.
    response = settings_client.open(
        f"/_simulator/api/callbacks/{kind}",
        method=method,
        data=json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code < 500, response.get_data(as_text=True)
    assert "t" * 12 not in response.get_data(as_text=True)


@settings(**SETTINGS, max_examples=150)
@given(query=st.dictionaries(st.sampled_from(["type", "status", "key_type", "reference",
                                              "recipient", "to", "template_id", "limit", "x"]),
                             st.text(max_size=12), max_size=4))  # fmt: skip
def test_any_filter_of_the_list_is_answered_without_a_500(query: dict[str, str]) -> None:
    api = client.get("/_simulator/api/notifications", query_string=query)
    inbox = client.get("/_simulator/", query_string=query)

    assert api.status_code in (200, 400) and inbox.status_code in (200, 400)
