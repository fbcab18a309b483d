"""One builder per Notify endpoint: the request a client method makes, and nothing else.

Both clients' methods are one line over these, so an endpoint's path, query and body (which
optional values go in, and how) are written once. The published client put some queries into
the path and passed others as ``params``; each builder keeps its endpoint's way, so requests
look exactly as they always did to requests-mock and responses.
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from notifications_python_client.utils import BinaryReadable, read_binary

__all__ = [
    "NOTIFICATIONS_KEY",
    "RECEIVED_TEXTS_KEY",
    "Call",
    "get_all_notifications",
    "get_all_template_versions",
    "get_all_templates",
    "get_notification_by_id",
    "get_pdf_for_letter",
    "get_received_texts",
    "get_template",
    "get_template_version",
    "post_template_preview",
    "send_email",
    "send_letter",
    "send_precompiled_letter",
    "send_sms",
]

# Where each paged answer keeps its list.
NOTIFICATIONS_KEY = "notifications"
RECEIVED_TEXTS_KEY = "received_text_messages"

Personalisation = Mapping[str, Any]


@dataclass(frozen=True)
class Call:
    """One request to Notify.

    :param method: ``GET`` or ``POST``.
    :param path: joined onto the base URL; it holds the query for the endpoints whose published
        method built it in.
    :param data: the JSON body of a POST.
    :param params: the query for the endpoints whose published method passed it separately.
    :param raw: the answer is bytes (a letter's PDF), not JSON.
    """

    method: str
    path: str
    data: Any = None
    params: Mapping[str, Any] | None = None
    raw: bool = False


def _with_optional(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """``required`` plus those ``optional`` values that are truthy (Notify rejects empty ones)."""
    return {**required, **{name: value for name, value in optional.items() if value}}


def _with_query(path: str, **optional: Any) -> str:
    """``path`` with a query string of the truthy ``optional`` values, if there are any."""
    query = urllib.parse.urlencode({name: value for name, value in optional.items() if value})
    return f"{path}?{query}" if query else path


def send_sms(
    phone_number: str,
    template_id: str,
    personalisation: Personalisation | None,
    reference: str | None,
    sms_sender_id: str | None,
) -> Call:
    data = _with_optional(
        {"phone_number": phone_number, "template_id": template_id},
        personalisation=personalisation,
        reference=reference,
        sms_sender_id=sms_sender_id,
    )
    return Call("POST", "/v2/notifications/sms", data=data)


def send_email(
    email_address: str,
    template_id: str,
    personalisation: Personalisation | None,
    reference: str | None,
    email_reply_to_id: str | None,
    one_click_unsubscribe_url: str | None,
    sanitise_content_for: Sequence[str] | None,
) -> Call:
    data = _with_optional(
        {"email_address": email_address, "template_id": template_id},
        personalisation=personalisation,
        reference=reference,
        email_reply_to_id=email_reply_to_id,
        one_click_unsubscribe_url=one_click_unsubscribe_url,
        sanitise_content_for=sanitise_content_for,
    )
    return Call("POST", "/v2/notifications/email", data=data)


def send_letter(template_id: str, personalisation: Personalisation, reference: str | None) -> Call:
    data = _with_optional(
        {"template_id": template_id, "personalisation": personalisation}, reference=reference
    )
    return Call("POST", "/v2/notifications/letter", data=data)


def send_precompiled_letter(reference: str, pdf_file: BinaryReadable, postage: str | None) -> Call:
    """:raises TypeError: ``pdf_file`` is not a binary file-like object."""
    content = read_binary(pdf_file, "pdf_file")
    data = _with_optional(
        {"reference": reference, "content": base64.b64encode(content).decode("ascii")},
        postage=postage,
    )
    return Call("POST", "/v2/notifications/letter", data=data)


def get_notification_by_id(notification_id: str) -> Call:
    return Call("GET", f"/v2/notifications/{notification_id}")


def get_pdf_for_letter(notification_id: str) -> Call:
    return Call("GET", f"/v2/notifications/{notification_id}/pdf", raw=True)


def get_all_notifications(
    status: str | None,
    template_type: str | None,
    reference: str | None,
    older_than: str | None,
    include_jobs: bool | None,
) -> Call:
    params = _with_optional(
        {},
        status=status,
        template_type=template_type,
        reference=reference,
        older_than=older_than,
        include_jobs=include_jobs,
    )
    return Call("GET", "/v2/notifications", params=params)


def get_received_texts(older_than: str | None) -> Call:
    return Call("GET", _with_query("/v2/received-text-messages", older_than=older_than))


def get_template(template_id: str) -> Call:
    return Call("GET", f"/v2/template/{template_id}")


def get_template_version(template_id: str, version: int) -> Call:
    return Call("GET", f"/v2/template/{template_id}/version/{version}")


def get_all_templates(template_type: str | None) -> Call:
    return Call("GET", _with_query("/v2/templates", type=template_type))


def post_template_preview(template_id: str, personalisation: Personalisation) -> Call:
    return Call(
        "POST", f"/v2/template/{template_id}/preview", data={"personalisation": personalisation}
    )


def get_all_template_versions(service_id: str, template_id: str) -> Call:
    # Relative (no leading slash), as the published client: joined onto base_url's path.
    return Call("GET", f"service/{service_id}/template/{template_id}/versions")
