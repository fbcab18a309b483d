"""The schema documents are valid draft 7 and declare properties in Notify's order."""

from __future__ import annotations

import pytest
from jsonschema import Draft7Validator

from notifications_python_client.simulator.checks import schemas

ALL_SCHEMAS = [
    schemas.SMS_REQUEST,
    schemas.EMAIL_REQUEST,
    schemas.LETTER_REQUEST,
    schemas.PRECOMPILED_LETTER_REQUEST,
    schemas.TEMPLATE_PREVIEW_REQUEST,
    schemas.NOTIFICATIONS_QUERY,
    schemas.TEMPLATES_QUERY,
    schemas.RECEIVED_TEXTS_QUERY,
]


@pytest.mark.parametrize("schema", ALL_SCHEMAS)
def test_schemas_are_valid_draft_7(schema: schemas.Schema) -> None:
    Draft7Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("schema", "properties", "required"),
    [
        (
            schemas.SMS_REQUEST,
            [
                "reference",
                "phone_number",
                "template_id",
                "personalisation",
                "scheduled_for",
                "sms_sender_id",
            ],
            ["phone_number", "template_id"],
        ),
        (
            schemas.EMAIL_REQUEST,
            [
                "reference",
                "email_address",
                "template_id",
                "personalisation",
                "scheduled_for",
                "email_reply_to_id",
                "one_click_unsubscribe_url",
                "sanitise_content_for",
            ],
            ["email_address", "template_id"],
        ),
        (
            schemas.LETTER_REQUEST,
            ["reference", "template_id", "personalisation"],
            ["template_id", "personalisation"],
        ),
        (
            schemas.PRECOMPILED_LETTER_REQUEST,
            ["reference", "content", "postage"],
            ["reference", "content"],
        ),
    ],
)
def test_body_schemas_declare_notifys_order(
    schema: schemas.Schema, properties: list[str], required: list[str]
) -> None:
    assert list(schema["properties"]) == properties
    assert schema["required"] == required
    assert schema["additionalProperties"] is False
    # Notify's order: properties, then required, then additional properties.
    assert list(schema)[1:] == ["properties", "required", "additionalProperties"]


def test_preview_accepts_unknown_keys() -> None:
    assert "additionalProperties" not in schemas.TEMPLATE_PREVIEW_REQUEST
    assert "required" not in schemas.TEMPLATE_PREVIEW_REQUEST
