"""The inbox at ``/_simulator/``: what was sent, as its recipients would see it, live.

Plain HTML from Jinja2 templates kept beside this module (``templates/``), a small stylesheet and
script of our own (``static/``), no third-party assets. The list refreshes itself by asking the
admin API every second. Forms post back here and redirect (so a reload never repeats them); each
form checks what it is given and answers a 400 page naming the field, never a 500.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import urllib.parse
from collections.abc import Callable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from notifications_python_client.simulator.api.admin import (
    CHOOSING_FILTERS,
    MAX_ADVANCE_SECONDS,
    notification_filter,
    page_number,
    template_names,
)
from notifications_python_client.simulator.api.admin_views import (
    INBOX_ROOT,
    notification_view,
    summary_view,
)
from notifications_python_client.simulator.api.context import root_url
from notifications_python_client.simulator.api.template_changes import (
    CREATE_FIELDS,
    EDIT_FIELDS,
    create_template,
    edit_template,
)
from notifications_python_client.simulator.api.templates import template_preview
from notifications_python_client.simulator.domain.errors import NotifyApiError
from notifications_python_client.simulator.domain.faults import (
    FAULT_DESCRIPTIONS,
    FaultSettings,
    FaultSettingsError,
    setting_from_text,
)
from notifications_python_client.simulator.rendering.letter_images import (
    LetterImageError,
    page_image,
)
from notifications_python_client.simulator.rendering.placeholders import placeholder_names
from notifications_python_client.simulator.state import lifecycle
from notifications_python_client.simulator.state.serialise import timestamp
from notifications_python_client.simulator.web.guard import FORM_TOKEN_ENVIRON, FORM_TOKEN_FIELD

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

__all__ = ["PAGE_HANDLERS", "PageError"]

HTML = "text/html; charset=utf-8"
LIST_LIMIT = 50
STATIC_FILES = frozenset({"inbox.css", "inbox.js"})
# The rendered email is shown in a frame that may run nothing and reach nothing.
EMAIL_FRAME_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

ENVIRONMENT = Environment(
    loader=PackageLoader("notifications_python_client.simulator.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
# How long ago, in words, for people scanning a list (the exact time is in its title).
AGO_STEPS = ((60, "second"), (60, "minute"), (24, "hour"), (365, "day"))


def time_ago(when: str, now: dt.datetime) -> str:
    """``2 minutes ago`` for a timestamp of the API's, seen from ``now``."""
    moment = dt.datetime.fromisoformat(when.removesuffix("Z")).replace(tzinfo=dt.timezone.utc)
    amount = max(int((now - moment).total_seconds()), 0)
    if amount < 10:
        return "just now"
    unit = "year"
    for size, name in AGO_STEPS:
        if amount < size:
            unit = name
            break
        amount //= size
    return f"{amount} {unit}{'' if amount == 1 else 's'} ago"


ENVIRONMENT.filters["ago"] = time_ago


class PageError(Exception):
    """A form or address that cannot be served: shown as a page with its status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def page(request: Request, name: str, status: int = 200, **values: Any) -> Response:
    """A page rendered from ``templates/<name>``, its forms carrying the app's form token."""
    body = ENVIRONMENT.get_template(name).render(
        inbox_root=INBOX_ROOT,
        form_token_field=FORM_TOKEN_FIELD,
        form_token=request.environ.get(FORM_TOKEN_ENVIRON, ""),
        **values,
    )
    return Response(body, status=status, content_type=HTML)


def error_page(request: Request, error: PageError) -> Response:
    return page(request, "error.html", error.status, message=error.message)


def on_inbox(store: Store, request: Request) -> Response:
    """The list, newest first, a page at a time, with the filters and the search in the
    query string."""
    filters = _filters(request.args)
    try:
        matching = notification_filter(filters, template_names(store))
        page_shown = page_number(request.args.get("page"))
    except NotifyApiError as error:
        raise PageError(400, "; ".join(e["message"] for e in error.errors)) from None
    skip = (page_shown - 1) * LIST_LIMIT
    # One more than a page, to know whether there is an older page.
    found = store.recent_notifications(limit=LIST_LIMIT + 1, matching=matching, skip=skip)
    root = root_url(request)
    return page(
        request,
        "inbox.html",
        notifications=[summary_view(n, root) for n in found[:LIST_LIMIT]],
        now=store.clock.now(),
        page_shown=page_shown,
        older=len(found) > LIST_LIMIT,
        query=lambda **changes: urllib.parse.urlencode({**filters, **changes}),
        filters=filters,
        statuses=sorted(set().union(*lifecycle.SETTABLE_STATUSES.values()) | {"created"}),
        root=root,
    )


def on_notification_page(store: Store, request: Request, notification_id: str) -> Response:
    notification = store.find_notification(notification_id)
    if notification is None:
        raise PageError(404, f"This simulator has no notification {notification_id}.")
    view = notification_view(store, notification, root_url(request))
    statuses = sorted(lifecycle.settable_statuses(notification))
    return page(request, "notification.html", n=view, statuses=statuses)


def _filters(values: Mapping[str, str]) -> dict[str, str]:
    """The filters of the list given in a query string or a form, blanks left out."""
    return {name: values[name] for name in CHOOSING_FILTERS if values.get(name)}


def on_delete_form(store: Store, request: Request, notification_id: str) -> Response:
    """Delete one message, then back to the list."""
    wanted = notification_id.lower()
    if not store.delete_notifications(lambda n: n.id == wanted):
        raise PageError(404, f"This simulator has no notification {notification_id}.")
    return redirect(f"{INBOX_ROOT}/", code=303)


def on_delete_matching_form(store: Store, request: Request) -> Response:
    """Delete every message the list's filters choose (all of them without any)."""
    filters = _filters(request.form)
    try:
        matching = notification_filter(filters, template_names(store))
    except NotifyApiError as error:
        raise PageError(400, "; ".join(e["message"] for e in error.errors)) from None
    store.delete_notifications(matching)
    return redirect(f"{INBOX_ROOT}/?{urllib.parse.urlencode(filters)}", code=303)


def on_set_status_form(store: Store, request: Request, notification_id: str) -> Response:
    status = request.form.get("status", "")
    try:
        store.set_status(notification_id, status)
    except LookupError:
        raise PageError(404, f"This simulator has no notification {notification_id}.") from None
    except ValueError as error:
        raise PageError(400, f"status: {error}") from None
    return redirect(f"{INBOX_ROOT}/notifications/{notification_id}", code=303)


def on_email_frame(store: Store, request: Request, notification_id: str) -> Response:
    """The email's HTML, for the sandboxed frame of its page."""
    notification = store.find_notification(notification_id)
    if notification is None or notification.type != "email":
        raise PageError(404, f"This simulator has no email {notification_id}.")
    view = notification_view(store, notification, root_url(request))
    response = page(request, "email.html", email=view["email"])
    response.headers["Content-Security-Policy"] = EMAIL_FRAME_POLICY
    return response


def on_letter_pdf(store: Store, request: Request, notification_id: str) -> Response:
    notification = store.find_notification(notification_id)
    if notification is None or notification.type != "letter" or notification.pdf is None:
        raise PageError(404, f"This simulator has no letter PDF for {notification_id}.")
    return Response(notification.pdf, content_type="application/pdf")


def on_letter_page_image(
    store: Store, request: Request, notification_id: str, page_number: str
) -> Response:
    """One page of a letter as a PNG image, rendered from its PDF."""
    notification = store.find_notification(notification_id)
    if notification is None or notification.type != "letter" or notification.pdf is None:
        raise PageError(404, f"This simulator has no letter PDF for {notification_id}.")
    try:
        image = page_image(notification.pdf, int(page_number))
    except LetterImageError as error:
        raise PageError(404, f"{error}.") from None
    return Response(image, content_type="image/png")


def on_received_texts_page(store: Store, request: Request) -> Response:
    services = store.services()
    by_id = {service.id: service for service in services}
    texts = [(by_id[text.service_id], text) for text in store.all_received_texts()]
    receiving = [service for service in services if service.inbound_number]
    return page(
        request, "received_texts.html", texts=texts, services=receiving, timestamp=timestamp
    )


def on_add_received_text_form(store: Store, request: Request) -> Response:
    content = request.form.get("content", "").strip()
    user_number = request.form.get("user_number", "").strip()
    service_id = request.form.get("service_id", "")
    if not content:
        raise PageError(400, "content: write the text of the message.")
    if not user_number:
        raise PageError(400, "user_number: give the number it comes from, such as 07700900111.")
    if store.service(service_id) is None:
        raise PageError(400, f"service_id: {service_id!r} is not a service of this simulator.")
    try:
        store.add_received_text(service_id, user_number, content)
    except ValueError as error:
        raise PageError(400, f"service_id: {error}.") from None
    return redirect(f"{INBOX_ROOT}/received-texts", code=303)


def on_templates_page(store: Store, request: Request) -> Response:
    return page(request, "templates.html", services=store.services())


def on_add_template_form(store: Store, request: Request) -> Response:
    """A template added from the templates page, checked as the data file's are."""
    fields = _form_fields(request, CREATE_FIELDS)
    try:
        template = create_template(store, fields)
    except (ValueError, LookupError) as error:
        raise PageError(400, f"{error}.") from None
    return redirect(f"{INBOX_ROOT}/templates/{template.id}", code=303)


def on_edit_template_form(store: Store, request: Request, template_id: str) -> Response:
    """A new version of a template from its page's form."""
    fields = _form_fields(request, EDIT_FIELDS)
    try:
        template = edit_template(store, template_id, fields)
    except LookupError:
        raise PageError(404, f"This simulator has no template {template_id}.") from None
    except ValueError as error:
        raise PageError(400, f"{error}.") from None
    return redirect(f"{INBOX_ROOT}/templates/{template.id}", code=303)


def _form_fields(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    """The form's fields among ``allowed`` (line endings as typed are made Notify's \\n);
    a blank one is left out, as if not given."""
    return {
        name: request.form[name].replace("\r\n", "\n")
        for name in allowed
        if request.form.get(name, "").strip()
    }


def on_template_page(store: Store, request: Request, template_id: str) -> Response:
    """A template, with a form of its placeholders; posting the form shows the preview."""
    for service in store.services():
        template = service.template(template_id)
        if template is not None:
            break
    else:
        raise PageError(404, f"This simulator has no template {template_id}.")
    version = template.latest
    names = placeholder_names(version.subject, version.body)
    preview = None
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in names}
        preview = template_preview(template, version, values)
    return page(request, "template.html", service=service, template=template, version=version,
                names=names, preview=preview, values=request.form)  # fmt: skip


def on_settings_page(store: Store, request: Request) -> Response:
    """The clock, the faults and reset."""
    return page(
        request,
        "settings.html",
        now=timestamp(store.clock.now()),
        offset=dt.timedelta(seconds=round(store.clock.offset_seconds)),
        faults=store.faults.settings.to_mapping(),
        faults_active=store.faults.settings.active,
        descriptions=FAULT_DESCRIPTIONS,
        counts=store.faults.counts(),
    )


def on_move_clock_form(store: Store, request: Request) -> Response:
    text = request.form.get("advance_seconds", "").strip()
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_ADVANCE_SECONDS:
        raise PageError(400, f"advance_seconds: a number of seconds from 0, not {text!r}.")
    store.advance_clock(seconds)
    return redirect(f"{INBOX_ROOT}/settings", code=303)


def on_faults_form(store: Store, request: Request) -> Response:
    values: dict[str, Any] = {}
    try:
        for name in FaultSettings().to_mapping():
            text = request.form.get(name, "").strip()
            if text:
                values[name] = setting_from_text(name, text)
        store.faults.configure(FaultSettings.from_mapping(values))
    except (FaultSettingsError, TypeError) as error:
        raise PageError(400, f"{error}.") from None
    return redirect(f"{INBOX_ROOT}/settings", code=303)


def on_reset_form(store: Store, request: Request) -> Response:
    store.reset()
    return redirect(f"{INBOX_ROOT}/", code=303)


def on_static(store: Store, request: Request, filename: str) -> Response:
    if filename not in STATIC_FILES:
        raise PageError(404, f"No such file: {filename}.")
    content = resources.files("notifications_python_client.simulator.web") / "static" / filename
    kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return Response(content.read_bytes(), content_type=f"{kind}; charset=utf-8")


PAGE_HANDLERS: dict[str, Callable[..., Response]] = {
    "page_inbox": on_inbox,
    "page_notification": on_notification_page,
    "page_set_status": on_set_status_form,
    "page_delete": on_delete_form,
    "page_delete_matching": on_delete_matching_form,
    "page_email_frame": on_email_frame,
    "page_letter_pdf": on_letter_pdf,
    "page_letter_image": on_letter_page_image,
    "page_received_texts": on_received_texts_page,
    "page_add_received_text": on_add_received_text_form,
    "page_templates": on_templates_page,
    "page_template": on_template_page,
    "page_add_template": on_add_template_form,
    "page_edit_template": on_edit_template_form,
    "page_settings": on_settings_page,
    "page_move_clock": on_move_clock_form,
    "page_faults": on_faults_form,
    "page_reset": on_reset_form,
    "page_static": on_static,
}
