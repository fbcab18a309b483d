"""Reading notifications: ``GET /v2/notifications/{id}``, the list (15) and a letter's PDF (19)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence

from werkzeug.wrappers import Response

from notifications_python_client.simulator.api.context import Context
from notifications_python_client.simulator.api.responses import bytes_response, json_response
from notifications_python_client.simulator.api.sending import canonical_uuid
from notifications_python_client.simulator.checks.schema import notifications_query_errors
from notifications_python_client.simulator.checks.uuids import is_valid_uuid
from notifications_python_client.simulator.domain.errors import (
    NotifyApiError,
    bad_request,
    no_result_found,
    validation_error,
)
from notifications_python_client.simulator.domain.models import PAGE_SIZE_ITEMS, Notification
from notifications_python_client.simulator.state.serialise import notification_object

PDF_CONTENT_TYPE = "application/pdf"
# Characters Werkzeug's url_for leaves unencoded in query values (space still becomes "+").
QUERY_SAFE_CHARACTERS = "!$'()*,/:;?@"

# Status filters that stand for several stored statuses (behaviour: List selection and paging).
STATUS_EXPANSIONS: dict[str, tuple[str, ...]] = {
    "failed": (
        "technical-failure",
        "temporary-failure",
        "permanent-failure",
        "validation-failed",
        "virus-scan-failed",
        "returned-letter",
    ),
    "accepted": ("created", "sending"),
    "received": ("delivered",),
}
# For these parameters only the first occurrence counts; the others may repeat.
SINGLE_VALUE_PARAMS = frozenset({"older_than", "reference", "include_jobs"})


def on_get_notification(ctx: Context, notification_id: str) -> Response:
    """One notification of this service, whichever key type sent it.

    Behaviour: Reading one notification.
    """
    notification = _find(ctx, notification_id)
    return json_response(200, notification_object(notification, ctx.root_url))


def on_get_notifications(ctx: Context) -> Response:
    """A page of this key type's notifications, newest first, with links.

    Behaviour: Listing notifications.
    """
    errors = notifications_query_errors(ctx.query)
    if errors:
        raise validation_error(errors)
    params = accepted_params(ctx.query)
    statuses = _expand_statuses(params.get("status", []))
    types = set(params.get("template_type", []))
    reference = params["reference"][0] if "reference" in params else None

    anchor = None
    if "older_than" in params:
        anchor = ctx.store.notification(ctx.service.id, canonical_uuid(params["older_than"][0]))

    def wanted(n: Notification) -> bool:
        return (
            (not statuses or n.status in statuses)
            and (not types or n.type in types)
            and (reference is None or n.reference == reference)
        )

    # An unknown (or expired, or other service's) older_than gives an empty page.
    # (behaviour: List selection and paging)
    unknown_anchor = "older_than" in params and anchor is None
    page = (
        []
        if unknown_anchor
        else ctx.store.notifications(
            ctx.service.id,
            ctx.key_type,
            matching=wanted,
            limit=PAGE_SIZE_ITEMS,
            created_before=anchor.created_at if anchor is not None else None,
        )
    )

    current = _list_url(ctx.root_url, params)
    links = {"current": current}
    if page:
        links["next"] = _list_url(ctx.root_url, {**params, "older_than": [page[-1].id]})
    root = ctx.root_url
    return json_response(
        200, {"notifications": [notification_object(n, root) for n in page], "links": links}
    )


def on_get_pdf(ctx: Context, notification_id: str) -> Response:
    """A letter's PDF: the uploaded file, or the one rendered when it was sent.

    Behaviour: Letter PDFs.
    """
    notification = _find(ctx, notification_id)
    if notification.type != "letter":
        raise bad_request("Notification is not a letter")
    if notification.status == "virus-scan-failed":
        raise bad_request("File did not pass the virus scan")
    if notification.status == "technical-failure":
        raise bad_request("PDF not available for letters in status technical-failure")
    ready_at = notification.pdf_ready_at
    not_ready = ready_at is not None and ctx.now() < ready_at
    if notification.status == "pending-virus-check" or not_ready or notification.pdf is None:
        raise NotifyApiError.single(
            400, "PDFNotReadyError", "PDF not available yet, try again later"
        )
    return bytes_response(200, notification.pdf, PDF_CONTENT_TYPE)


def accepted_params(query: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Query parameters grouped by name in order of first appearance, as Notify reads them."""
    params: dict[str, list[str]] = {}
    for name, value in query:
        values = params.setdefault(name, [])
        if name not in SINGLE_VALUE_PARAMS or not values:
            values.append(value)
    return params


def _find(ctx: Context, notification_id: str) -> Notification:
    if not is_valid_uuid(notification_id):
        raise validation_error(["notification_id is not a valid UUID"])
    notification = ctx.store.notification(ctx.service.id, canonical_uuid(notification_id))
    if notification is None:
        raise no_result_found()
    return notification


def _expand_statuses(values: list[str]) -> set[str]:
    statuses: set[str] = set()
    for value in values:
        statuses.update(STATUS_EXPANSIONS.get(value, (value,)))
    return statuses


def _list_url(root_url: str, params: dict[str, list[str]]) -> str:
    """The list endpoint's URL with these parameters, encoded as Notify's ``url_for`` does."""
    pairs = [(name, value) for name, values in params.items() for value in values]
    url = f"{root_url}/v2/notifications"
    if not pairs:
        return url
    return f"{url}?{urllib.parse.urlencode(pairs, safe=QUERY_SAFE_CHARACTERS)}"
