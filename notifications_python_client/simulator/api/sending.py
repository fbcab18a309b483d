"""Steps shared by the ``POST /v2/notifications/...`` handlers, each raising Notify's error.

The handlers call these in Notify's order, which decides the error a request with several
problems gets (behaviour: Order of checks when sending).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from typing import Any

from notifications_python_client.simulator.api.context import Context
from notifications_python_client.simulator.checks.files import file_keys
from notifications_python_client.simulator.checks.schema import RequestKind, request_errors
from notifications_python_client.simulator.domain.errors import (
    NotifyApiError,
    bad_request,
    validation_error,
)
from notifications_python_client.simulator.domain.models import (
    KeyType,
    Notification,
    NotificationType,
    Service,
    Template,
    TemplateVersion,
)
from notifications_python_client.simulator.rendering.messages import (
    is_empty_message,
    missing_personalisation,
)
from notifications_python_client.simulator.rendering.placeholders import normalise_key

INVALID_JSON_MESSAGE = "Invalid JSON supplied in POST data"
MAX_JSON_NESTING = 100
TEAM_KEY_RECIPIENT_MESSAGE = "Can’t send to this recipient using a team-only API key"
TRIAL_MODE_RECIPIENT_MESSAGE = (
    "Can’t send to this recipient when service is in trial mode – see "
    "https://www.notifications.service.gov.uk/trial-mode"
)
TEAM_KEY_LETTER_MESSAGE = "Cannot send letters with a team api key"
TRIAL_MODE_LETTER_MESSAGE = "Cannot send letters when service is in trial mode"
LETTER_REFUSED_STATUS = 403

# How permission errors name each type: "Service is not allowed to send <words>".
PERMISSION_WORDS: dict[NotificationType, str] = {
    "sms": "text messages",
    "email": "emails",
    "letter": "letters",
}


def canonical_uuid(value: str) -> str:
    """A UUID that passed Notify's check, in the lowercase hyphenated form ids are stored in."""
    return str(uuid.UUID(value))


def read_json_body(context: Context, *, empty_is_object: bool = False) -> object:
    """The parsed body, whatever the Content-Type; empty JSON values (``null``, ``[]``, ...)
    count as ``{}``. Only template preview takes an empty body as ``{}``.

    A body nested deeper than ``MAX_JSON_NESTING`` is refused as invalid JSON: nothing Notify
    takes is nested that deep, and the schema's messages could not print it.
    """
    raw = context.body()
    if not raw and empty_is_object:
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise bad_request(INVALID_JSON_MESSAGE) from None
    if nesting_depth(value) > MAX_JSON_NESTING:
        raise bad_request(INVALID_JSON_MESSAGE)
    return value or {}


def nesting_depth(value: object) -> int:
    """How deeply arrays and objects nest in a decoded JSON value (0 for a scalar)."""
    deepest = 0
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, dict):
            current = list(current.values())
        if isinstance(current, list):
            deepest = max(deepest, depth + 1)
            pending.extend((item, depth + 1) for item in current)
    return deepest


def validated(kind: RequestKind, body: object, context: Context) -> dict[str, Any]:
    """The body once Notify's schema accepts it; every schema error at once otherwise."""
    errors = request_errors(kind, body, now=context.now())
    if errors:
        raise validation_error(errors)
    return body if isinstance(body, dict) else {}


def personalisation_of(body: Mapping[str, Any]) -> dict[str, Any]:
    """The request's personalisation (the schema has made sure it is an object, if given)."""
    return dict(body.get("personalisation") or {})


def check_permission(service: Service, notification_type: NotificationType) -> None:
    if notification_type not in service.permissions:
        words = PERMISSION_WORDS[notification_type]
        raise bad_request(f"Service is not allowed to send {words}")


def find_template(
    service: Service, template_id: str, notification_type: NotificationType
) -> tuple[Template, TemplateVersion]:
    """The template to send and its latest version: found, of the right type, not deleted."""
    template = service.template(canonical_uuid(template_id))
    if template is None or template.hidden:
        raise bad_request("Template not found")
    if template.type != notification_type:
        raise bad_request(
            f"{template.type} template is not suitable for {notification_type} notification"
        )
    if template.archived:
        raise bad_request("Template has been deleted")
    return template, template.latest


def check_personalisation(
    texts: tuple[str, ...],
    personalisation: Mapping[str, Any],
    *,
    not_required: frozenset[str] = frozenset(),
) -> None:
    """Every placeholder has a value (``null`` is no value), except those in ``not_required``.

    ``not_required`` holds normalised keys (see ``placeholders.normalise_key``).
    """
    missing = [
        name
        for name in missing_personalisation(texts, personalisation)
        if normalise_key(name) not in not_required
    ]
    if missing:
        raise bad_request(f"Missing personalisation: {', '.join(missing)}")


def check_not_empty(template: Template, version: TemplateVersion, rendered_body: str) -> None:
    if is_empty_message(template.type, version.body, rendered_body):
        raise bad_request("Your message is empty.")


def check_no_files(personalisation: Mapping[str, Any]) -> None:
    """Files can only go by email."""
    if file_keys(personalisation):
        raise bad_request("Can only send a file by email")


def is_restricted(service: Service, key_type: KeyType) -> bool:
    """Whether recipients must be team members or on the guest list.

    Behaviour: Trial mode and team keys.
    """
    return key_type == "team" or (key_type == "normal" and service.restricted)


def check_recipient_allowed(
    service: Service, key_type: KeyType, on_team_or_guest_list: bool
) -> None:
    """Team keys, and live keys of a trial service, may only send to the team and guest list."""
    if not is_restricted(service, key_type) or on_team_or_guest_list:
        return
    if key_type == "team":
        raise bad_request(TEAM_KEY_RECIPIENT_MESSAGE)
    raise bad_request(TRIAL_MODE_RECIPIENT_MESSAGE)


def check_letter_allowed(service: Service, key_type: KeyType) -> None:
    """Letters need a live key on a live service, or a test key.

    Behaviour: Who may send letters.
    """
    if key_type == "team":
        raise bad_request(TEAM_KEY_LETTER_MESSAGE, LETTER_REFUSED_STATUS)
    if service.restricted and key_type != "test":
        raise bad_request(TRIAL_MODE_LETTER_MESSAGE, LETTER_REFUSED_STATUS)


def missing_sender(field_name: str, sent_id: str, service: Service) -> NotifyApiError:
    """The error for an unknown, archived or other service's sender id.

    Behaviour: Text message senders; Reply-to addresses.
    """
    return bad_request(
        f"{field_name} {sent_id} does not exist in database for service id {service.id}"
    )


def new_notification(
    context: Context,
    notification_id: str,
    notification_type: NotificationType,
    template_id: str,
    template_version: int,
    reference: str | None,
    *,
    status: str = "created",
    created_at: dt.datetime | None = None,
    **details: Any,
) -> Notification:
    """A notification of the request's service and key, created now unless ``created_at`` says.

    ``details`` are the type's own fields (recipient, body, postage...).
    """
    return Notification(
        id=notification_id,
        service_id=context.service.id,
        key_type=context.key_type,
        type=notification_type,
        template_id=template_id,
        template_version=template_version,
        created_at=context.now() if created_at is None else created_at,
        status=status,
        reference=reference,
        **details,
    )


def post_response(
    context: Context,
    notification_id: str,
    reference: str | None,
    template: Template,
    version: TemplateVersion,
    content: dict[str, Any],
) -> dict[str, Any]:
    """The keys every SMS, email and templated letter 201 response has.

    Behaviour: Send responses.
    """
    root = context.root_url
    template_uri = f"{root}/services/{context.service.id}/templates/{template.id}"
    return {
        "id": notification_id,
        "reference": reference,
        "content": content,
        "uri": f"{root}/v2/notifications/{notification_id}",
        "template": {"id": template.id, "version": version.version, "uri": template_uri},
        "scheduled_for": None,
    }
