"""The opening and the ending that every templated send shares (text message, email, letter).

``prepare_send`` runs Notify's first checks in order: the schema, the service's permission for
the type, (email) ``sanitise_content_for``, then the template and its personalisation.
``store_and_answer`` stores the notification (unless it went to a smoke-test recipient) and
answers 201 with the response every templated send has. What lies between, the recipient,
sender and length checks, is each type's own (docs/simulator-behaviour.md, "Order of checks
when sending").
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Response

from notifications_python_client.simulator.api.context import Context
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.api.sending import (
    check_permission,
    check_personalisation,
    find_template,
    new_notification,
    personalisation_of,
    post_response,
    validated,
)
from notifications_python_client.simulator.checks.files import UploadedDocument
from notifications_python_client.simulator.domain.models import (
    NotificationType,
    Template,
    TemplateVersion,
)
from notifications_python_client.simulator.rendering.messages import sanitise_personalisation
from notifications_python_client.simulator.state.serialise import template_texts


@dataclass(frozen=True)
class PreparedSend:
    """A send that passed the shared checks: its body, template and personalisation."""

    type: NotificationType
    body: dict[str, Any]
    template: Template
    version: TemplateVersion
    personalisation: dict[str, Any]
    # Emails only: what ``sanitise_content_for`` changed, which their 201 response reports.
    sanitised_content: dict[str, dict[str, str]] | None = None

    @property
    def reference(self) -> str | None:
        reference: str | None = self.body.get("reference")
        return reference


def prepare_send(
    ctx: Context, notification_type: NotificationType, raw_body: object
) -> PreparedSend:
    """The body checked against the schema, the permission, the template and its placeholders.

    :raises NotifyApiError: the first of Notify's errors that the request meets.
    """
    body = validated(notification_type, raw_body, ctx)
    check_permission(ctx.service, notification_type)
    personalisation = personalisation_of(body)
    sanitised_content: dict[str, dict[str, str]] | None = None
    if notification_type == "email":
        sanitised_content = {}
        if body.get("sanitise_content_for"):
            personalisation, sanitised_content = sanitise_personalisation(
                personalisation, body["sanitise_content_for"]
            )
    template, version = find_template(ctx.service, body["template_id"], notification_type)
    check_personalisation(template_texts(template, version), personalisation)
    return PreparedSend(
        notification_type, body, template, version, personalisation, sanitised_content
    )


def store_and_answer(
    ctx: Context,
    send: PreparedSend,
    content: dict[str, Any],
    *,
    store: bool = True,
    documents: Sequence[UploadedDocument] = (),
    **details: Any,
) -> Response:
    """Store the notification with its type's ``details`` (and the files it links to) unless
    ``store`` is false, and answer 201 with ``content`` (smoke-test recipients get an id but
    are never stored)."""
    notification_id = str(uuid.uuid4())
    if store:
        ctx.store.add_notification(
            new_notification(
                ctx,
                notification_id,
                send.type,
                send.template.id,
                send.version.version,
                send.reference,
                **details,
            ),
            documents=documents,
        )
    response = post_response(
        ctx, notification_id, send.reference, send.template, send.version, content
    )
    if send.sanitised_content is not None:
        response["sanitised_content"] = send.sanitised_content
    return json_response(201, response)
