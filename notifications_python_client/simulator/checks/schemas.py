"""Notify's JSON Schema (draft 7) documents for request bodies and query strings.

Property order matters: Notify reports failures property by property in declaration order, then
missing required properties in the order listed, then unexpected properties. A property whose
schema has a ``message`` reports that text after its name whatever went wrong with it.
"""

from __future__ import annotations

from typing import Any

from notifications_python_client.simulator.domain.models import TEMPLATE_TYPES

Schema = dict[str, Any]

CUSTOM_MESSAGE_KEY = "message"
REFERENCE_MAX_LENGTH_CHARS = 1000

NOTIFICATION_STATUSES = (
    "cancelled",
    "created",
    "sending",
    "sent",
    "delivered",
    "pending",
    "failed",
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "pending-virus-check",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
    "accepted",
    "received",
)

UUID: Schema = {"type": "string", "format": "uuid", CUSTOM_MESSAGE_KEY: "is not a valid UUID"}
HTTPS_URL: Schema = {
    "type": "string",
    "format": "https_url",
    CUSTOM_MESSAGE_KEY: "is not a valid https url",
}
REFERENCE: Schema = {"type": "string", "maxLength": REFERENCE_MAX_LENGTH_CHARS}
PERSONALISATION: Schema = {"type": "object"}
SCHEDULED_FOR: Schema = {"type": ["string", "null"], "format": "datetime_within_next_day"}

SMS_REQUEST: Schema = {
    "type": "object",
    "properties": {
        "reference": REFERENCE,
        "phone_number": {"type": "string", "format": "phone_number"},
        "template_id": UUID,
        "personalisation": PERSONALISATION,
        "scheduled_for": SCHEDULED_FOR,
        "sms_sender_id": UUID,
    },
    "required": ["phone_number", "template_id"],
    "additionalProperties": False,
}

EMAIL_REQUEST: Schema = {
    "type": "object",
    "properties": {
        "reference": REFERENCE,
        "email_address": {"type": "string", "format": "email_address"},
        "template_id": UUID,
        "personalisation": PERSONALISATION,
        "scheduled_for": SCHEDULED_FOR,
        "email_reply_to_id": UUID,
        "one_click_unsubscribe_url": HTTPS_URL,
        "sanitise_content_for": {"type": ["array", "null"]},
    },
    "required": ["email_address", "template_id"],
    "additionalProperties": False,
}

LETTER_REQUEST: Schema = {
    "type": "object",
    "properties": {
        "reference": REFERENCE,
        "template_id": UUID,
        "personalisation": PERSONALISATION,
    },
    "required": ["template_id", "personalisation"],
    "additionalProperties": False,
}

PRECOMPILED_LETTER_REQUEST: Schema = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "content": {"type": "string"},
        "postage": {"type": "string", "format": "postage"},
    },
    "required": ["reference", "content"],
    "additionalProperties": False,
}

# Preview ignores keys it does not know about, so there is no additionalProperties rule.
TEMPLATE_PREVIEW_REQUEST: Schema = {
    "type": "object",
    "properties": {"personalisation": PERSONALISATION},
}

NOTIFICATIONS_QUERY: Schema = {
    "type": "object",
    "properties": {
        "status": {"type": "array", "items": {"enum": list(NOTIFICATION_STATUSES)}},
        "template_type": {"type": "array", "items": {"enum": list(TEMPLATE_TYPES)}},
        "reference": {"type": "string"},
        "older_than": UUID,
        "include_jobs": {"enum": ["true", "True"]},
    },
    "additionalProperties": False,
}

TEMPLATES_QUERY: Schema = {
    "type": "object",
    "properties": {"type": {"enum": list(TEMPLATE_TYPES)}},
    "additionalProperties": False,
}

RECEIVED_TEXTS_QUERY: Schema = {
    "type": "object",
    "properties": {"older_than": UUID},
    "additionalProperties": False,
}
