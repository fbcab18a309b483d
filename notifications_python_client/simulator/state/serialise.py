"""The JSON objects the v2 API returns: notifications, templates and received texts.

Behaviour: The notification object; Reading a template; Received text messages.

Every function takes the request's root URL (``http://host:port``, no trailing slash) so that
absolute URLs point back at whichever address the client used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from notifications_python_client.simulator.domain.models import (
    FINAL_STATUSES,
    Notification,
    ReceivedText,
    Template,
    TemplateVersion,
)
from notifications_python_client.simulator.rendering.messages import template_personalisation_schema
from notifications_python_client.simulator.state.costs import DEFAULT_POSTAGE, cost_fields
from notifications_python_client.simulator.state.delivery_estimate import estimated_delivery

ADDRESS_KEYS = ("line_1", "line_2", "line_3", "line_4", "line_5", "line_6", "postcode")

# Letters show fewer statuses than they go through (behaviour: Statuses by type).
LETTER_STATUS_SHOWN = {
    "created": "accepted",
    "sending": "accepted",
    "delivered": "received",
    "returned-letter": "received",
}


def timestamp(value: dt.datetime) -> str:
    """Notify's timestamp form: UTC, a literal ``T``, six fractional digits, a literal ``Z``."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def optional_timestamp(value: dt.datetime | None) -> str | None:
    return None if value is None else timestamp(value)


def shown_status(notification: Notification) -> str:
    """The status a client sees: letters' stored statuses are mapped.

    Behaviour: Statuses by type.
    """
    return shown_status_of(notification.type, notification.status)


def shown_status_of(notification_type: str, status: str) -> str:
    """A stored status as a client sees it for a notification of this type."""
    if notification_type == "letter":
        return LETTER_STATUS_SHOWN.get(status, status)
    return status


def notification_object(notification: Notification, root_url: str) -> dict[str, Any]:
    """The object of ``GET /v2/notifications/{id}`` and of each list item.

    Behaviour: The notification object.
    """
    n = notification
    is_letter = n.type == "letter"
    completed_at = (n.completed_at or n.updated_at) if n.status in FINAL_STATUSES else None
    template_uri = f"{root_url}/v2/template/{n.template_id}/version/{n.template_version}"
    result: dict[str, Any] = {
        "id": n.id,
        "reference": n.reference,
        "email_address": n.email_address if n.type == "email" else None,
        "phone_number": n.phone_number if n.type == "sms" else None,
        **{key: n.address_lines.get(key) if is_letter else None for key in ADDRESS_KEYS},
        "type": n.type,
        "status": shown_status(n),
        "template": {"id": n.template_id, "version": n.template_version, "uri": template_uri},
        "body": n.body,
        "subject": None if n.type == "sms" else n.subject,
        "created_at": timestamp(n.created_at),
        "created_by_name": None,
        "sent_at": optional_timestamp(n.sent_at),
        "completed_at": optional_timestamp(completed_at),
        "scheduled_for": None,
        "postage": (n.postage or DEFAULT_POSTAGE) if is_letter else None,
        "one_click_unsubscribe_url": n.one_click_unsubscribe_url if n.type == "email" else None,
        **cost_fields(n),
    }
    if is_letter:
        delivery = estimated_delivery(n.created_at, n.postage or DEFAULT_POSTAGE)
        result["estimated_delivery"] = timestamp(delivery)
    return result


def template_texts(template: Template, version: TemplateVersion) -> tuple[str, ...]:
    """The texts whose placeholders a template needs, in Notify's order.

    Behaviour: Template errors.
    """
    if template.type == "sms":
        return (version.body,)
    if template.type == "email":
        return (version.subject or "", version.body)
    return (version.letter_contact_block or "", version.subject or "", version.body)


def template_object(template: Template, version: TemplateVersion) -> dict[str, Any]:
    """The object of ``GET /v2/template/{id}`` and of each ``/v2/templates`` item.

    Behaviour: Reading a template.

    ``created_at`` is the template's (its first version's); ``updated_at`` is null for the first
    version and the time a later version was made otherwise, as Notify's history rows have it.
    """
    first = template.versions[0]
    is_letter = template.type == "letter"
    return {
        "id": template.id,
        "name": version.name or template.name,
        "type": template.type,
        "created_at": timestamp(first.created_at),
        "updated_at": None if version is first else timestamp(version.created_at),
        "created_by": version.created_by,
        "version": version.version,
        "body": version.body,
        "subject": None if template.type == "sms" else version.subject,
        "personalisation": template_personalisation_schema(*template_texts(template, version)),
        "postage": (template.postage or DEFAULT_POSTAGE) if is_letter else None,
        "letter_contact_block": version.letter_contact_block if is_letter else None,
    }


def received_text_object(text: ReceivedText) -> dict[str, Any]:
    """One item of ``GET /v2/received-text-messages`` (behaviour: Received text messages)."""
    return {
        "id": text.id,
        "user_number": text.user_number,
        "notify_number": text.notify_number,
        "created_at": timestamp(text.created_at),
        "service_id": text.service_id,
        "content": text.content,
    }
