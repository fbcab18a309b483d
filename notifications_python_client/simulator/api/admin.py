"""``/_simulator/api/``: the simulator's admin API, for tests in any language (curl will do).

Not part of Notify's API, so no token is needed: the simulator listens on loopback by default,
and these routes are only where it listens. Every answer is JSON; every mistake is a 400 with
Notify's error body naming the field (a 404 for a notification it does not have).

- ``GET notifications``: newest first, filtered by ``type``, ``status``, ``key_type``,
  ``reference``, ``template_id``, ``to`` (the recipient, as Notify normalises it) and
  ``recipient`` (a part of it), at most ``limit`` (default 50, at most 250). With ``wait=N``
  (seconds, at most 60), an answer that would be empty waits until a notification matches, or
  until N seconds have passed (a long poll). Each item carries its rendered ``body``.
- ``GET notifications/<id>``: one, rendered as its recipient sees it, with its status history
  and callbacks.
- ``POST notifications/<id>/status`` ``{"status": ...}``: move it on, as a provider would (its
  callback is sent).
- ``GET received-texts``, ``POST received-texts`` ``{"content": ..., "user_number": ...,
  "service_id": ...}``: what people texted the service; text it.
- ``GET clock``, ``POST clock`` ``{"advance_seconds": N}``: the simulated time; move it on.
- ``POST templates`` ``{"type": ..., "body": ..., "subject": ..., "name": ..., "service_id":
  ..., "template_id": ...}``: a new template (201); ``POST templates/<id>`` with any of
  ``body``, ``subject`` and ``name``: a new version of it. Both answer as ``GET
  /v2/template/<id>`` does, and are checked as the data file's templates are.
- ``POST reset``: back to the loaded data. (``faults`` is in ``simulator_faults``.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from notifications_python_client.simulator.api.admin_views import (
    notification_view,
    summary_view,
)
from notifications_python_client.simulator.api.context import (
    json_object_body,
    query_pairs,
    root_url,
)
from notifications_python_client.simulator.api.notification_search import text_test
from notifications_python_client.simulator.api.recipient_filter import recipient_test
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.api.template_changes import (
    CREATE_FIELDS,
    EDIT_FIELDS,
    create_template,
    edit_template,
)
from notifications_python_client.simulator.data import DataFileError
from notifications_python_client.simulator.domain.errors import (
    bad_request,
    no_result_found,
    validation_error,
)
from notifications_python_client.simulator.domain.models import Notification
from notifications_python_client.simulator.state.serialise import (
    received_text_object,
    shown_status,
    template_object,
    timestamp,
)

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

DEFAULT_LIMIT = 50
MAX_LIMIT = 250
# The filters that choose notifications (the others shape the answer).
CHOOSING_FILTERS = (
    "type",
    "status",
    "key_type",
    "reference",
    "template_id",
    "to",
    "recipient",
    "q",
)
LIST_FILTERS = (*CHOOSING_FILTERS, "limit", "page", "wait")
TYPES = ("sms", "email", "letter")
KEY_TYPES = ("normal", "team", "test")
# A clock moved further than this (ten years) is a mistake, not a test.
MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 60 * 60
# A long poll holds one of the server's threads: a minute is plenty for any test.
MAX_WAIT_SECONDS = 60
MAX_PAGE = 100_000


def on_admin_list_notifications(store: Store, request: Request) -> Response:
    """The newest notifications of every service, as the inbox lists them, a page at a time;
    ``now`` is the simulator's time, for showing how long ago each was sent."""
    filters = _query(request, LIST_FILTERS)
    limit = _limit(filters.get("limit"))
    page = page_number(filters.get("page"))
    wait_seconds = _wait(filters.get("wait"))
    matching = notification_filter(filters, template_names(store))
    skip = (page - 1) * limit
    found = store.recent_notifications(limit=limit, matching=matching, skip=skip)
    if not found and wait_seconds > 0:
        store.wait_for_notification(matching, wait_seconds)
        found = store.recent_notifications(limit=limit, matching=matching, skip=skip)
    root = root_url(request)
    return json_response(
        200,
        {
            "notifications": [summary_view(n, root) for n in found],
            "page": page,
            "now": timestamp(store.clock.now()),
        },
    )


def on_admin_delete_notifications(store: Store, request: Request) -> Response:
    """Forget every notification the filters choose (all of them without any)."""
    filters = _query(request, CHOOSING_FILTERS)
    json_object_with(request, ())
    deleted = store.delete_notifications(notification_filter(filters, template_names(store)))
    return json_response(200, {"deleted": deleted})


def on_admin_delete_notification(store: Store, request: Request, notification_id: str) -> Response:
    """Forget one notification."""
    json_object_with(request, ())
    wanted = notification_id.lower()
    if not store.delete_notifications(lambda n: n.id == wanted):
        raise no_result_found()
    return json_response(200, {"deleted": 1})


def template_names(store: Store) -> dict[str, str]:
    """Every template's name by its id, for finding notifications by their template's name."""
    return {t.id: t.name for service in store.services() for t in service.templates}


def page_number(text: str | None) -> int:
    """A page of a list, from 1.

    :raises NotifyApiError: 400 for anything but a whole number from 1.
    """
    if text is None:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise validation_error([f"page must be a whole number from 1 to {MAX_PAGE}"])
    return int(text)


def notification_filter(
    filters: Mapping[str, str], template_names: Mapping[str, str] | None = None
) -> Callable[[Notification], bool]:
    """The test for the list's filters (shared with the inbox page); ``template_names`` lets
    ``q`` find a notification by its template's name.

    :raises NotifyApiError: 400 naming a filter whose value is not one of its choices.
    """
    wanted_type = _choice(filters, "type", TYPES)
    wanted_key = _choice(filters, "key_type", KEY_TYPES)
    status = filters.get("status") or None
    reference = filters.get("reference") or None
    template_id = (filters.get("template_id") or "").strip().lower() or None
    tests = [
        test
        for test in (
            recipient_test(filters.get("to") or "", exact=True),
            recipient_test(filters.get("recipient") or "", exact=False),
            text_test(filters.get("q") or "", template_names or {}),
        )
        if test is not None
    ]

    def matches(n: Notification) -> bool:
        return (
            (wanted_type is None or n.type == wanted_type)
            and (wanted_key is None or n.key_type == wanted_key)
            and (status is None or shown_status(n) == status or n.status == status)
            and (reference is None or n.reference == reference)
            and (template_id is None or n.template_id == template_id)
            and all(test(n) for test in tests)
        )

    return matches


def on_admin_get_notification(store: Store, request: Request, notification_id: str) -> Response:
    """One notification, rendered, with its history and callbacks."""
    notification = store.find_notification(notification_id)
    if notification is None:
        raise no_result_found()
    return json_response(200, notification_view(store, notification, root_url(request)))


def on_admin_set_status(store: Store, request: Request, notification_id: str) -> Response:
    """Move a notification to the status given, as a provider's update would."""
    body = json_object_with(request, ("status",))
    status = body.get("status")
    if not isinstance(status, str) or not status:
        raise validation_error(["status is a required property (a status such as delivered)"])
    try:
        notification = store.set_status(notification_id, status)
    except LookupError:
        raise no_result_found() from None
    except ValueError as error:
        raise validation_error([f"status {error}"]) from None
    return json_response(200, notification_view(store, notification, root_url(request)))


def on_admin_list_received_texts(store: Store, request: Request) -> Response:
    """Every received text of every service, newest first."""
    _query(request, ())
    texts = store.all_received_texts()
    return json_response(200, {"received_text_messages": [received_text_object(t) for t in texts]})


def on_admin_add_received_text(store: Store, request: Request) -> Response:
    """Pretend someone texted a service (the first one unless ``service_id`` says)."""
    body = json_object_with(request, ("content", "user_number", "service_id"))
    content = body.get("content")
    if not isinstance(content, str) or not content.strip():
        raise validation_error(["content is a required property (the text of the message)"])
    user_number = body.get("user_number", "07700900111")
    if not isinstance(user_number, str) or not user_number.strip():
        raise validation_error(["user_number must be a phone number, such as 07700900111"])
    services = store.services()
    service_id = body.get("service_id", services[0].id if services else "")
    if not isinstance(service_id, str) or store.service(service_id) is None:
        raise validation_error([f"service_id {service_id} is not a service of this simulator"])
    try:
        text = store.add_received_text(service_id, user_number, content)
    except ValueError as error:
        raise bad_request(str(error)) from None
    return json_response(201, received_text_object(text))


def on_admin_get_clock(store: Store, request: Request) -> Response:
    """The simulated time, and how far it is ahead of the real one."""
    return json_response(
        200, {"now": timestamp(store.clock.now()), "offset_seconds": store.clock.offset_seconds}
    )


def on_admin_move_clock(store: Store, request: Request) -> Response:
    """Move the simulated time on by ``advance_seconds``; due statuses and callbacks follow."""
    body = json_object_with(request, ("advance_seconds",))
    seconds = body.get("advance_seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not 0 <= seconds <= MAX_ADVANCE_SECONDS
        or math.isnan(seconds)
    ):
        raise validation_error(
            [f"advance_seconds must be a number of seconds from 0 to {MAX_ADVANCE_SECONDS}"]
        )
    store.advance_clock(float(seconds))
    return on_admin_get_clock(store, request)


def on_admin_add_template(store: Store, request: Request) -> Response:
    """A template added to a service, checked as the data file's are."""
    body = json_object_with(request, CREATE_FIELDS)
    try:
        template = create_template(store, body)
    except DataFileError as error:
        raise validation_error([str(error)]) from None
    except LookupError as error:
        raise validation_error([f"service_id: {error}"]) from None
    except ValueError as error:
        raise bad_request(str(error)) from None
    return json_response(201, template_object(template, template.latest))


def on_admin_edit_template(store: Store, request: Request, template_id: str) -> Response:
    """A new version of a template from the fields given."""
    body = json_object_with(request, EDIT_FIELDS)
    try:
        template = edit_template(store, template_id, body)
    except DataFileError as error:
        raise validation_error([str(error)]) from None
    except LookupError:
        raise no_result_found() from None
    return json_response(200, template_object(template, template.latest))


def on_admin_reset(store: Store, request: Request) -> Response:
    """Back to the loaded data: no notifications, real time, full buckets."""
    store.reset()
    return json_response(200, {"result": "reset"})


def _query(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    pairs = query_pairs(request)
    unknown = sorted({name for name, _ in pairs} - set(allowed))
    if unknown:
        choices = ", ".join(allowed) if allowed else "none"
        raise validation_error(
            [f"{name} is not a filter here (filters: {choices})" for name in unknown]
        )
    return dict(pairs)


def _choice(filters: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    value = filters.get(name) or None
    if value is not None and value not in choices:
        raise validation_error([f"{name} {value} is not one of [{', '.join(choices)}]"])
    return value


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise validation_error([f"limit must be a whole number from 1 to {MAX_LIMIT}"])
    return int(text)


def _wait(text: str | None) -> float:
    if text is None:
        return 0.0
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_WAIT_SECONDS:
        raise validation_error([f"wait must be a number of seconds from 0 to {MAX_WAIT_SECONDS}"])
    return seconds


def json_object_with(request: Request, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The body as a JSON object with only ``allowed`` keys, or a 400 saying what is wrong
    (shared by every admin route that takes a body)."""
    value = json_object_body(
        request,
        not_json=f"The body must be a JSON object, with any of: {', '.join(allowed)}",
        not_an_object="The body must be a JSON object",
    )
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise validation_error(
            [f"{name} is not allowed here (allowed: {', '.join(allowed)})" for name in unknown]
        )
    return value
