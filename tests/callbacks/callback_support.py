"""Callback bodies as Notify sends them, and the tokens the callback tests use."""

from __future__ import annotations

import json
from typing import Any

TOKEN = "a-callback-token-of-the-service"
OLD_TOKEN = "the-token-before-the-change"
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
RECEIVED_ID = "3d4e6b5d-8d1c-4b8b-9f0a-2a6f1d2c3b4a"


def receipt(**changes: Any) -> dict[str, Any]:
    """A delivery receipt's fields, as in Notify's documentation."""
    fields: dict[str, Any] = {
        "id": NOTIFICATION_ID,
        "reference": "12345678",
        "to": "07700912345",
        "status": "delivered",
        "created_at": "2017-05-14T12:15:30.000000Z",
        "completed_at": "2017-05-14T12:15:31.000000Z",
        "sent_at": "2017-05-14T12:15:30.500000Z",
        "notification_type": "sms",
        "template_id": TEMPLATE_ID,
        "template_version": 1,
    }
    fields.update(changes)
    return fields


def received_text(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": RECEIVED_ID,
        "source_number": "447700912345",
        "destination_number": "07700987654",
        "message": "Hello Notify!",
        "date_received": "2017-05-14T12:15:30.000000Z",
    }
    fields.update(changes)
    return fields


def encoded(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields).encode("utf-8")
