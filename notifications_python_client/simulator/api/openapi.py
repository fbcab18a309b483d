"""``GET /_simulator/api/openapi.json``: the admin API described in OpenAPI 3.1, so that an
end-to-end suite in any language can generate a client for it.

A test compares the document's paths and methods with the routes that exist, and checks it
against the OpenAPI specification, so it cannot drift from the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from notifications_python_client import __version__
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.domain.callback_settings import CALLBACK_KINDS
from notifications_python_client.simulator.domain.faults import FAULT_DESCRIPTIONS

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

__all__ = ["OPENAPI_DOCUMENT", "on_openapi"]

JSON = "application/json"
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
TIME = {"type": "string", "format": "date-time"}
REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description}
    if schema is not None:
        answer["content"] = {JSON: {"schema": schema}}
    return answer


def _body(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A JSON request body (the admin API takes only ``application/json``)."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return {"required": True, "content": {JSON: {"schema": schema}}}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or TEXT,
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": TEXT,
    }


REFUSED = _answer("A mistake, with Notify's error body naming the field", _ref("Error"))
NOT_FOUND = _answer("No such notification or template", _ref("Error"))
EMPTY_BODY = _body({})
CHOOSING = [
    _query("type", "sms, email or letter", {"enum": ["sms", "email", "letter"]}),
    _query("status", "a status as the v2 API shows it, such as delivered"),
    _query("key_type", "normal, team or test", {"enum": ["normal", "team", "test"]}),
    _query("reference", "the sender's reference, exactly"),
    _query("template_id", "the template's id"),
    _query("to", "the recipient, as Notify normalises it (07700 900123 = +447700900123)"),
    _query("recipient", "a part of the recipient"),
    _query("q", "any word of the message, its recipient, reference or template name"),
]
ID = _path("notification_id", "the notification's id")

PATHS: dict[str, Any] = {
    "/_simulator/api/notifications": {
        "get": {
            "summary": "The newest notifications of every service, a page at a time",
            "parameters": [
                *CHOOSING,
                _query(
                    "limit",
                    "1 to 250, default 50",
                    {"type": "integer", "minimum": 1, "maximum": 250},
                ),
                _query("page", "from 1", {"type": "integer", "minimum": 1}),
                _query(
                    "wait",
                    "seconds (up to 60) to wait for a match when there is none",
                    {"type": "number", "minimum": 0, "maximum": 60},
                ),
            ],
            "responses": {"200": _answer("A page", _ref("NotificationList")), "400": REFUSED},
        },
        "delete": {
            "summary": "Forget every notification the filters choose (every one without)",
            "parameters": CHOOSING,
            "requestBody": EMPTY_BODY,
            "responses": {"200": _answer("How many", _ref("Deleted")), "400": REFUSED},
        },
    },
    "/_simulator/api/notifications/{notification_id}": {
        "get": {
            "summary": "One notification as its recipient sees it, with its history and callbacks",
            "parameters": [ID],
            "responses": {
                "200": _answer("The notification", _ref("Notification")),
                "404": NOT_FOUND,
            },
        },
        "delete": {
            "summary": "Forget one notification",
            "parameters": [ID],
            "requestBody": EMPTY_BODY,
            "responses": {"200": _answer("Deleted", _ref("Deleted")), "404": NOT_FOUND},
        },
    },
    "/_simulator/api/notifications/{notification_id}/status": {
        "post": {
            "summary": "Move a notification to a status, as a provider would; its receipt is sent",
            "parameters": [ID],
            "requestBody": _body({"status": TEXT}, ("status",)),
            "responses": {
                "200": _answer("The notification", _ref("Notification")),
                "400": REFUSED,
                "404": NOT_FOUND,
            },
        },
    },
    "/_simulator/api/received-texts": {
        "get": {
            "summary": "Every received text message, newest first",
            "responses": {
                "200": _answer(
                    "The texts",
                    {
                        "type": "object",
                        "properties": {
                            "received_text_messages": {
                                "type": "array",
                                "items": _ref("ReceivedText"),
                            }
                        },
                    },
                )
            },
        },
        "post": {
            "summary": "Someone texts a service (the first unless service_id says)",
            "requestBody": _body(
                {"content": TEXT, "user_number": TEXT, "service_id": TEXT}, ("content",)
            ),
            "responses": {"201": _answer("The text", _ref("ReceivedText")), "400": REFUSED},
        },
    },
    "/_simulator/api/clock": {
        "get": {
            "summary": "The simulated time",
            "responses": {"200": _answer("The clock", _ref("Clock"))},
        },
        "post": {
            "summary": "Move the simulated time on: statuses, retention, callback retries follow",
            "requestBody": _body(
                {"advance_seconds": {"type": "number", "minimum": 0}}, ("advance_seconds",)
            ),
            "responses": {"200": _answer("The clock", _ref("Clock")), "400": REFUSED},
        },
    },
    "/_simulator/api/faults": {
        "get": {
            "summary": "The faults being injected and how many so far",
            "responses": {"200": _answer("The faults", _ref("Faults"))},
        },
        "put": {
            "summary": "Set the faults ({} turns them all off)",
            "requestBody": _body(
                {name: {"description": text} for name, text in FAULT_DESCRIPTIONS.items()}
            ),
            "responses": {"200": _answer("The faults", _ref("Faults")), "400": REFUSED},
        },
    },
    "/_simulator/api/templates": {
        "post": {
            "summary": "Add a template, checked as the data file's are",
            "requestBody": _body(
                {
                    "type": {"enum": ["sms", "email", "letter"]},
                    "body": TEXT,
                    "subject": TEXT,
                    "name": TEXT,
                    "service_id": TEXT,
                    "template_id": TEXT,
                },
                ("type", "body"),
            ),
            "responses": {
                "201": _answer("The template, as GET /v2/template/{id}", _ref("Template")),
                "400": REFUSED,
            },
        },
    },
    "/_simulator/api/templates/{template_id}": {
        "post": {
            "summary": "A new version of a template from the fields given",
            "parameters": [_path("template_id", "the template's id")],
            "requestBody": _body({"body": TEXT, "subject": TEXT, "name": TEXT}),
            "responses": {
                "200": _answer("The template", _ref("Template")),
                "400": REFUSED,
                "404": NOT_FOUND,
            },
        },
    },
    "/_simulator/api/callbacks": {
        "get": {
            "summary": "Where each service's callbacks go (never their tokens) and every attempt",
            "responses": {"200": _answer("Settings and attempts", _ref("Callbacks"))},
        },
    },
    "/_simulator/api/callbacks/{kind}": {
        "put": {
            "summary": "Send this kind of callback to a URL with a bearer token from now on",
            "parameters": [
                {**_path("kind", "the kind of callback"), "schema": {"enum": list(CALLBACK_KINDS)}}
            ],
            "requestBody": _body(
                {
                    "url": TEXT,
                    "bearer_token": {"type": "string", "minLength": 10},
                    "service_id": TEXT,
                },
                ("url", "bearer_token"),
            ),
            "responses": {
                "200": _answer("The setting", _ref("CallbackSetting")),
                "400": REFUSED,
                "404": NOT_FOUND,
            },
        },
        "delete": {
            "summary": "Send this kind of callback nowhere",
            "parameters": [
                {**_path("kind", "the kind of callback"), "schema": {"enum": list(CALLBACK_KINDS)}}
            ],
            "requestBody": _body({"service_id": TEXT}),
            "responses": {
                "200": _answer("The setting", _ref("CallbackSetting")),
                "400": REFUSED,
                "404": NOT_FOUND,
            },
        },
    },
    "/_simulator/api/reset": {
        "post": {
            "summary": "Back to the loaded data: no messages, real time",
            "requestBody": EMPTY_BODY,
            "responses": {
                "200": _answer("Reset", {"type": "object", "properties": {"result": TEXT}})
            },
        },
    },
    "/_simulator/api/openapi.json": {
        "get": {
            "summary": "This document",
            "responses": {"200": _answer("OpenAPI 3.1", {"type": "object"})},
        },
    },
}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


SUMMARY = {
    "id": TEXT,
    "service_id": TEXT,
    "type": TEXT,
    "key_type": TEXT,
    "status": TEXT,
    "status_group": {"enum": ["delivered", "failed", "in-progress"]},
    "reference": NULLABLE_TEXT,
    "recipient": TEXT,
    "subject": NULLABLE_TEXT,
    "summary": TEXT,
    "body": TEXT,
    "template_id": TEXT,
    "created_at": TIME,
    "links": _object({"self": TEXT, "page": TEXT}),
}
COMPONENTS: dict[str, Any] = {
    "Error": _object(
        {
            "status_code": {"type": "integer"},
            "errors": {"type": "array", "items": _object({"error": TEXT, "message": TEXT})},
        }
    ),
    "NotificationSummary": _object(SUMMARY),
    "NotificationList": _object(
        {
            "notifications": {"type": "array", "items": _ref("NotificationSummary")},
            "page": {"type": "integer"},
            "now": TIME,
        }
    ),
    "Notification": _object(
        {
            **SUMMARY,
            "template": {"type": "object"},
            "sent_at": NULLABLE_TEXT,
            "completed_at": NULLABLE_TEXT,
            "status_history": {"type": "array"},
            "callbacks": {"type": "array", "items": _ref("CallbackAttempt")},
            "email": {"type": "object"},
            "sms": {"type": "object"},
            "letter": {"type": "object"},
        }
    ),
    "Deleted": _object({"deleted": {"type": "integer"}}),
    "ReceivedText": _object(
        {
            "id": TEXT,
            "user_number": TEXT,
            "notify_number": TEXT,
            "content": TEXT,
            "created_at": TIME,
            "service_id": TEXT,
        }
    ),
    "Clock": _object({"now": TIME, "offset_seconds": {"type": "number"}}),
    "Faults": _object({"settings": {"type": "object"}, "counts": {"type": "object"}}),
    "Template": _object(
        {
            "id": TEXT,
            "name": TEXT,
            "type": TEXT,
            "version": {"type": "integer"},
            "body": TEXT,
            "subject": NULLABLE_TEXT,
        }
    ),
    "CallbackSetting": _object({"service_id": TEXT, "kind": TEXT, "url": NULLABLE_TEXT}),
    "CallbackAttempt": _object(
        {
            "kind": TEXT,
            "url": TEXT,
            "attempt": {"type": "integer"},
            "id": NULLABLE_TEXT,
            "status": NULLABLE_TEXT,
            "status_code": {"type": ["integer", "null"]},
            "error": NULLABLE_TEXT,
            "at": NULLABLE_TEXT,
            "duration_ms": {"type": "number"},
            "next_retry_at": NULLABLE_TEXT,
        }
    ),
    "Callbacks": _object(
        {
            "settings": {"type": "array", "items": _ref("CallbackSetting")},
            "attempts": {"type": "array", "items": _ref("CallbackAttempt")},
        }
    ),
}

OPENAPI_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Local Notify admin API",
        "version": __version__,
        "description": (
            "The local Notify's own API, beside Notify's v2 API: what was sent, statuses, "
            "received texts, the clock, faults, templates and callbacks. No token is needed; "
            "changes take Content-Type: application/json."
        ),
    },
    "paths": PATHS,
    "components": {"schemas": COMPONENTS},
}


def on_openapi(store: Store, request: Request) -> Response:
    """The OpenAPI document of the admin API."""
    return json_response(200, OPENAPI_DOCUMENT)
