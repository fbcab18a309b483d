"""Finding a send whose answer was lost, by its reference, and answering as the send would have.

After a send that may have gone (no answer once it was written, or a 5xx answer), the retry
loop asks Notify, with the same key, for notifications with the send's reference. One that is
of the same type, from the same template and to the same recipient is the send: it is returned
in the shape of the send's own response. Values that Notify gives only when sending
(``from_number``, ``from_email``, ``sanitised_content``) are None in that case.

References are not unique in Notify, so this is only safe when every send has its own.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Send", "describe_send", "lookup_query", "match_sent"]

SEND_TYPES = {
    "/v2/notifications/sms": "sms",
    "/v2/notifications/email": "email",
    "/v2/notifications/letter": "letter",
}
RECIPIENT_FIELDS = {"sms": "phone_number", "email": "email_address"}


@dataclass(frozen=True)
class Send:
    """What a send request asked for, as far as finding it again needs."""

    type: str
    body: Mapping[str, Any]

    @property
    def reference(self) -> str | None:
        reference = self.body.get("reference")
        return reference if isinstance(reference, str) and reference else None

    @property
    def is_precompiled_letter(self) -> bool:
        return self.type == "letter" and "content" in self.body


def describe_send(method: str, path: str, data: object) -> Send | None:
    """The send a request makes, or None when it sends nothing (reads, previews)."""
    notification_type = SEND_TYPES.get(urllib.parse.urlsplit(path).path)
    if method.upper() != "POST" or notification_type is None or not isinstance(data, Mapping):
        return None
    return Send(notification_type, data)


def lookup_query(send: Send) -> dict[str, str] | None:
    """The query of ``GET /v2/notifications`` that finds the send, or None when it has no
    reference to be found by."""
    if send.reference is None:
        return None
    return {"reference": send.reference, "template_type": send.type}


def match_sent(send: Send, page: object, base_url: str, service_id: str) -> dict[str, Any] | None:
    """The send's response rebuilt from Notify's record of it in ``page`` (the look-up's
    answer), or None when the page has none."""
    notifications = page.get("notifications") if isinstance(page, Mapping) else None
    if not isinstance(notifications, list):
        return None
    for notification in notifications:
        if isinstance(notification, Mapping) and _is_the_send(send, notification):
            return _as_send_response(send, notification, base_url, service_id)
    return None


def _is_the_send(send: Send, notification: Mapping[str, Any]) -> bool:
    if notification.get("reference") != send.reference or notification.get("type") != send.type:
        return False
    if send.is_precompiled_letter:
        return True
    template = notification.get("template")
    if not isinstance(template, Mapping) or template.get("id") != send.body.get("template_id"):
        return False
    field = RECIPIENT_FIELDS.get(send.type)
    if field is None:
        return True
    sent_to = send.body.get(field)
    return isinstance(sent_to, str) and notification.get(field) == sent_to.strip()


def _as_send_response(
    send: Send, notification: Mapping[str, Any], base_url: str, service_id: str
) -> dict[str, Any]:
    notification_id = notification.get("id")
    if send.is_precompiled_letter:
        return {
            "id": notification_id,
            "reference": send.reference,
            "postage": notification.get("postage"),
        }
    template = notification.get("template") or {}
    template_id = template.get("id")
    content: dict[str, Any] = {"body": notification.get("body")}
    if send.type == "sms":
        content["from_number"] = None
    elif send.type == "email":
        content = {
            "from_email": None,
            "subject": notification.get("subject"),
            "body": notification.get("body"),
            "one_click_unsubscribe_url": notification.get("one_click_unsubscribe_url"),
        }
    else:
        content = {"subject": notification.get("subject"), "body": notification.get("body")}
    response: dict[str, Any] = {
        "id": notification_id,
        "reference": send.reference,
        "content": content,
        "uri": urllib.parse.urljoin(base_url, f"/v2/notifications/{notification_id}"),
        "template": {
            "id": template_id,
            "version": template.get("version"),
            "uri": urllib.parse.urljoin(
                base_url, f"/services/{service_id}/templates/{template_id}"
            ),
        },
        "scheduled_for": None,
    }
    if send.type == "email":
        response["sanitised_content"] = None
    return response
