"""Stored notifications for unit tests of what reads them (costs, serialising, callbacks)."""

from __future__ import annotations

from typing import Any

from notifications_python_client.simulator.domain.models import Notification

NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def make_notification(type_: Any = "sms", status: str = "created", **fields: Any) -> Notification:
    """A notification with fixed ids, from a live key, of version 1 of its template.

    ``fields`` set or override the rest; ``created_at`` is required.
    """
    values: dict[str, Any] = {
        "id": NOTIFICATION_ID,
        "service_id": SERVICE_ID,
        "key_type": "normal",
        "type": type_,
        "template_id": TEMPLATE_ID,
        "template_version": 1,
        "status": status,
    }
    return Notification(**{**values, **fields})
