"""Request validation: the exact ``ValidationError`` messages Notify gives, in Notify's order.

Order of messages, for bodies and query strings alike: failures of individual properties in the
order the schema declares them (``schemas.py``), then missing required properties in the order
listed, then one message naming every unexpected property. Identical messages appear once, where
they first occurred. Generic messages are jsonschema's with every ASCII apostrophe deleted, which
prints values the Python way without quotes (``personalisation [a, b] is not of type object``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from jsonschema import Draft7Validator, ValidationError

from notifications_python_client.simulator.checks import schemas
from notifications_python_client.simulator.checks.schema_formats import (
    FormatWording,
    format_checker,
)
from notifications_python_client.simulator.domain.errors import NotifyFailsHereToo

RequestKind = Literal["sms", "email", "letter", "precompiled_letter", "template_preview"]
QueryParams = list[tuple[str, str]]

_BODY_SCHEMAS: dict[RequestKind, schemas.Schema] = {
    "sms": schemas.SMS_REQUEST,
    "email": schemas.EMAIL_REQUEST,
    "letter": schemas.LETTER_REQUEST,
    "precompiled_letter": schemas.PRECOMPILED_LETTER_REQUEST,
    "template_preview": schemas.TEMPLATE_PREVIEW_REQUEST,
}

# Only these query parameters may be repeated (each value is checked); for every other
# parameter only its first occurrence counts.
_REPEATABLE_NOTIFICATIONS_PARAMS = frozenset({"status", "template_type"})


def _message(error: ValidationError) -> str:
    """One failure as Notify words it: ``<field> <text>``, or just ``<text>`` at the top level."""
    field = str(error.path[0]) if error.path else None
    custom = (
        error.schema.get(schemas.CUSTOM_MESSAGE_KEY) if isinstance(error.schema, dict) else None
    )
    if field is not None and isinstance(custom, str):
        return f"{field} {custom}"
    text = str(error.cause) if isinstance(error.cause, FormatWording) else error.message
    text = text.replace("'", "")
    return text if field is None else f"{field} {text}"


def _unique_messages(validator: Draft7Validator, instance: object) -> list[str]:
    """Every message for ``instance``, duplicates removed, order kept."""
    return list(dict.fromkeys(_message(error) for error in validator.iter_errors(instance)))


def request_errors(kind: RequestKind, body: object, *, now: dt.datetime) -> list[str]:
    """The validation messages Notify gives for a parsed JSON body; empty when it is acceptable.

    ``body`` is the parsed JSON value. Empty values (``null``, ``false``, ``0``, ``""``, ``[]``)
    count as ``{}``; any other non-object gives one message such as ``[1, 2] is not of type
    object``. ``now`` (aware UTC) is the time ``scheduled_for`` is judged against.

    Raises ``NotifyFailsHereToo`` for a non-empty, non-object ``template_preview`` body: Notify
    fails there with a 500 (error ``TypeError``) rather than a validation message.
    """
    if not body:
        body = {}
    if kind == "template_preview" and not isinstance(body, dict):
        raise NotifyFailsHereToo(
            f"a template preview body is a {type(body).__name__}, not an object"
        )
    validator = Draft7Validator(_BODY_SCHEMAS[kind], format_checker=format_checker(now))
    return _unique_messages(validator, body)


def is_precompiled_letter(body: object) -> bool:
    """Whether a letter request is a precompiled PDF: Notify decides by a ``content`` key alone."""
    return isinstance(body, dict) and "content" in body


def _query_object(
    params: QueryParams, repeatable: frozenset[str] = frozenset()
) -> dict[str, object]:
    """Query parameters as a JSON-like object: a list for repeatable names, else the first value."""
    instance: dict[str, object] = {}
    repeated: dict[str, list[str]] = {}
    for name, value in params:
        if name in repeatable:
            instance[name] = repeated.setdefault(name, [])
            repeated[name].append(value)
        else:
            instance.setdefault(name, value)
    return instance


# No query parameter depends on the time, so these validators are built once.
_QUERY_FORMATS = format_checker()
_NOTIFICATIONS_QUERY = Draft7Validator(schemas.NOTIFICATIONS_QUERY, format_checker=_QUERY_FORMATS)
_TEMPLATES_QUERY = Draft7Validator(schemas.TEMPLATES_QUERY, format_checker=_QUERY_FORMATS)
_RECEIVED_TEXTS_QUERY = Draft7Validator(schemas.RECEIVED_TEXTS_QUERY, format_checker=_QUERY_FORMATS)


def notifications_query_errors(params: QueryParams) -> list[str]:
    """Messages for ``GET /v2/notifications``: ``status``, ``template_type`` (each value),
    ``older_than``, ``include_jobs`` in that order, then unexpected parameters.

    A bad ``status`` or ``template_type`` value gives one message however often it is repeated.
    """
    instance = _query_object(params, _REPEATABLE_NOTIFICATIONS_PARAMS)
    return _unique_messages(_NOTIFICATIONS_QUERY, instance)


def templates_query_errors(params: QueryParams) -> list[str]:
    """Messages for ``GET /v2/templates``: a bad first ``type``, then unexpected parameters."""
    return _unique_messages(_TEMPLATES_QUERY, _query_object(params))


def received_texts_query_errors(params: QueryParams) -> list[str]:
    """Messages for ``GET /v2/received-text-messages``: a bad first ``older_than``, then
    unexpected parameters."""
    return _unique_messages(_RECEIVED_TEXTS_QUERY, _query_object(params))
