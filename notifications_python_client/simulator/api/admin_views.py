"""A notification as the simulator's admin API and inbox show it: as its recipient would see it,
with its status history and every callback made for it.

Not Notify's shape (that is ``state.serialise``): this one is for people and tests looking at
what was sent, so it adds the key type, the rendered email HTML, the sender and reply-to, the
files' download links, a text message's fragments and cost, and a letter's PDF address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from notifications_python_client.simulator.domain.models import (
    Notification,
    Service,
    Template,
    TemplateVersion,
)
from notifications_python_client.simulator.domain.sent_message import recipient_of
from notifications_python_client.simulator.rendering.email_html import render_email_html
from notifications_python_client.simulator.rendering.letter_images import (
    LetterImageError,
    page_count,
)
from notifications_python_client.simulator.state.callbacks import CallbackAttempt
from notifications_python_client.simulator.state.costs import DEFAULT_POSTAGE, cost_fields
from notifications_python_client.simulator.state.delivery_estimate import estimated_delivery
from notifications_python_client.simulator.state.serialise import (
    optional_timestamp,
    shown_status,
    shown_status_of,
    timestamp,
)

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

__all__ = ["ADMIN_ROOT", "INBOX_ROOT", "attempt_view", "notification_view", "summary_view"]

INBOX_ROOT = "/_simulator"
ADMIN_ROOT = "/_simulator/api"
SUMMARY_CHARACTERS = 80
SUCCESS_STATUSES = frozenset({"delivered", "received", "sent"})
FAILURE_STATUSES = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "validation-failed",
        "virus-scan-failed",
        "returned-letter",
        "cancelled",
        "failed",
    }
)


def summary_view(notification: Notification, root_url: str) -> dict[str, Any]:
    """The fields of one row of the inbox's list."""
    n = notification
    return {
        "id": n.id,
        "service_id": n.service_id,
        "type": n.type,
        "key_type": n.key_type,
        "status": shown_status(n),
        "reference": n.reference,
        "recipient": recipient_of(n),
        "subject": n.subject if n.type != "sms" else None,
        "summary": summary_line(n),
        "status_group": status_group(shown_status(n)),
        "body": n.body,
        "template_id": n.template_id,
        "created_at": timestamp(n.created_at),
        "links": {
            "self": f"{root_url}{ADMIN_ROOT}/notifications/{n.id}",
            "page": f"{root_url}{INBOX_ROOT}/notifications/{n.id}",
        },
    }


def summary_line(notification: Notification) -> str:
    """What a row of the list shows of the message: an email's or letter's subject, else the
    first line of the text, cut at ``SUMMARY_CHARACTERS``."""
    n = notification
    text = (n.subject if n.type != "sms" else None) or next(
        (line.strip() for line in n.body.splitlines() if line.strip()), ""
    )
    return text if len(text) <= SUMMARY_CHARACTERS else text[: SUMMARY_CHARACTERS - 1] + "…"


def status_group(status: str) -> str:
    """Whether a status is a success, a failure or still in progress: what its tag's colour
    says."""
    if status in SUCCESS_STATUSES:
        return "delivered"
    if status in FAILURE_STATUSES:
        return "failed"
    return "in-progress"


def notification_view(store: Store, notification: Notification, root_url: str) -> dict[str, Any]:
    """Everything the admin API and the notification's page show."""
    n = notification
    service = store.service(n.service_id)
    view = summary_view(n, root_url)
    view.update(
        {
            "template": _template(service, n),
            "body": n.body,
            "sent_at": optional_timestamp(n.sent_at),
            "completed_at": optional_timestamp(n.completed_at),
            "status_history": _shown_history(n),
            "callbacks": _callbacks(store, n.id),
        }
    )
    if n.type == "email":
        view["email"] = _email(store, service, n, root_url)
    elif n.type == "sms":
        costs = cost_fields(n)
        view["sms"] = {
            "sender": n.sender,
            "fragments": n.billable_sms_fragments,
            "international_rate_multiplier": n.international_rate_multiplier,
            "cost_in_pounds": costs.get("cost_in_pounds"),
        }
    else:
        postage = n.postage or DEFAULT_POSTAGE
        view["letter"] = {
            "address_lines": [line for line in n.address_lines.values() if line],
            "postage": postage,
            "estimated_delivery": timestamp(estimated_delivery(n.created_at, postage)),
            "precompiled": n.is_precompiled_letter,
            "pdf_url": f"{root_url}{INBOX_ROOT}/notifications/{n.id}/letter.pdf",
            "page_images": _page_images(n, root_url),
        }
    return view


def _shown_history(notification: Notification) -> list[dict[str, str]]:
    """The statuses as Notify's API shows them, each change once: a letter's ``created`` and
    ``sending`` are both ``accepted`` there, so that step shows once, at its first time."""
    shown: list[dict[str, str]] = []
    for status, at in notification.status_history:
        name = shown_status_of(notification.type, status)
        if not shown or shown[-1]["status"] != name:
            shown.append({"status": name, "at": timestamp(at)})
    return shown


def _page_images(notification: Notification, root_url: str) -> list[str]:
    """The addresses of the letter's pages as images; none until its PDF is ready, or when
    the PDF cannot be read."""
    if notification.pdf is None:
        return []
    try:
        pages = page_count(notification.pdf)
    except LetterImageError:
        return []
    base = f"{root_url}{INBOX_ROOT}/notifications/{notification.id}/letter"
    return [f"{base}/{page}.png" for page in range(1, pages + 1)]


def _template_of(
    service: Service | None, notification: Notification
) -> tuple[Template | None, TemplateVersion | None]:
    """The template and the version the notification was made from, if the service has them."""
    if service is None:
        return None, None
    template = service.template(notification.template_id)
    version = template.version(notification.template_version) if template else None
    return template, version


def _template(service: Service | None, notification: Notification) -> dict[str, Any]:
    template, version = _template_of(service, notification)
    name = (version.name if version else None) or (template.name if template else None)
    return {"id": notification.template_id, "version": notification.template_version, "name": name}


def _email(
    store: Store, service: Service | None, notification: Notification, root_url: str
) -> dict[str, Any]:
    _, version = _template_of(service, notification)
    html = render_email_html(version.body, notification.personalisation) if version else ""
    files = [
        {
            "url": document.uploaded.link,
            "filename": document.uploaded.filename,
            "confirm_email_before_download": document.uploaded.confirm_email_before_download,
            "available_until": timestamp(document.available_until),
        }
        for document in store.documents.for_notification(notification.id)
    ]
    return {
        "from": notification.sender,
        "reply_to": notification.reply_to,
        "subject": notification.subject,
        "html": html,
        "html_url": f"{root_url}{INBOX_ROOT}/notifications/{notification.id}/email.html",
        "one_click_unsubscribe_url": notification.one_click_unsubscribe_url,
        "files": files,
    }


def _callbacks(store: Store, notification_id: str) -> list[dict[str, Any]]:
    return [attempt_view(attempt) for attempt in store.callback_attempts(notification_id)]


def attempt_view(attempt: CallbackAttempt) -> dict[str, Any]:
    """One callback POST as the admin API and the pages show it: never its bearer token."""
    return {
        "kind": attempt.kind,
        "url": attempt.url,
        "attempt": attempt.attempt,
        "id": attempt.payload.get("id"),
        "status": attempt.payload.get("status"),
        "status_code": attempt.status_code,
        "error": attempt.error,
        "at": optional_timestamp(attempt.at),
        "duration_ms": round(attempt.duration_ms, 1),
        "next_retry_at": optional_timestamp(attempt.next_retry_at),
    }
