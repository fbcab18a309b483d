"""Templates: ``GET /v2/template/{id}``, a given version, the list, and preview.

Behaviour: Templates.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from notifications_python_client.simulator.api.context import Context
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.api.sending import (
    canonical_uuid,
    check_personalisation,
    personalisation_of,
    read_json_body,
)
from notifications_python_client.simulator.checks.schema import (
    request_errors,
    templates_query_errors,
)
from notifications_python_client.simulator.checks.uuids import is_valid_uuid
from notifications_python_client.simulator.domain.errors import (
    NotifyApiError,
    no_result_found,
    validation_error,
)
from notifications_python_client.simulator.domain.models import Template, TemplateVersion
from notifications_python_client.simulator.rendering.messages import (
    render_email_body,
    render_email_html,
    render_email_subject,
    render_letter_body,
    render_letter_subject,
    render_sms_body,
)
from notifications_python_client.simulator.rendering.placeholders import normalise_key
from notifications_python_client.simulator.state.costs import DEFAULT_POSTAGE
from notifications_python_client.simulator.state.serialise import template_object, template_texts

# Letter address placeholders, as normalised keys: a letter preview does not need them.
ADDRESS_KEYS = frozenset(
    normalise_key(name) for name in (*(f"address_line_{n}" for n in range(1, 8)), "postcode")
)

# Versions are a Postgres integer; a larger number fails in the database, not as "not found".
MAX_VERSION_NUMBER = 2**31 - 1
INVALID_ID_MESSAGE = "id is not a valid UUID"


def on_get_template(ctx: Context, template_id: str) -> Response:
    """The latest version of a template, archived or not."""
    template, version = _find(ctx, template_id, None)
    return json_response(200, template_object(template, version))


def on_get_template_version(ctx: Context, template_id: str, version: str) -> Response:
    """One version of a template; version 0 means the latest, as Notify ignores a falsy one."""
    template, found = _find(ctx, template_id, _version_number(version))
    return json_response(200, template_object(template, found))


def on_get_templates(ctx: Context) -> Response:
    """Latest versions of the service's live templates, by name then type, maybe of one type."""
    query = ctx.query
    errors = templates_query_errors(query)
    if errors:
        raise validation_error(errors)
    wanted = next((value for name, value in query if name == "type"), None)
    templates = sorted(
        (
            t
            for t in ctx.service.templates
            if not t.archived and not t.hidden and (wanted is None or t.type == wanted)
        ),
        key=lambda t: (t.name, t.type),
    )
    return json_response(200, {"templates": [template_object(t, t.latest) for t in templates]})


def on_post_template_preview(ctx: Context, template_id: str) -> Response:
    """The template rendered with the given personalisation; nothing is sent or stored."""
    body = read_json_body(ctx, empty_is_object=True)
    # Raises TypeError (a 500, as on Notify) for a non-empty array or a string body.
    errors = request_errors("template_preview", body, now=ctx.now())
    if not is_valid_uuid(template_id):
        errors = [INVALID_ID_MESSAGE, *errors]
    if errors:
        raise validation_error(errors)
    template, version = _find(ctx, template_id, None)
    personalisation = personalisation_of(body if isinstance(body, dict) else {})
    # A preview needs no address: Notify leaves the address lines out of this check.
    # (behaviour: Previewing a template)
    not_required = ADDRESS_KEYS if template.type == "letter" else frozenset()
    check_personalisation(
        template_texts(template, version), personalisation, not_required=not_required
    )
    return json_response(200, template_preview(template, version, personalisation))


def _version_number(digits: str) -> int:
    """The version a path's digits name; one too long for the database's integers is
    answered as the database does (behaviour: Error names)."""
    if len(digits.lstrip("0")) > len(str(MAX_VERSION_NUMBER)):
        raise NotifyApiError.single(404, "DataError", "No result found")
    return int(digits.lstrip("0") or "0")


def _find(
    ctx: Context, template_id: str, version_number: int | None
) -> tuple[Template, TemplateVersion]:
    """A template of this service and the version asked for (latest for ``None`` or 0)."""
    if not is_valid_uuid(template_id):
        raise validation_error([INVALID_ID_MESSAGE])
    if version_number is not None and version_number > MAX_VERSION_NUMBER:
        raise NotifyApiError.single(404, "DataError", "No result found")
    template = ctx.service.template(canonical_uuid(template_id))
    if template is None or template.hidden:
        raise no_result_found()
    version = template.version(version_number) if version_number else template.latest
    if version is None:
        raise no_result_found()
    return template, version


def template_preview(
    template: Template, version: TemplateVersion, personalisation: dict[str, Any]
) -> dict[str, Any]:
    """Body, subject, HTML and postage as preview reports them for each template type."""
    preview: dict[str, Any] = {
        "id": template.id,
        "type": template.type,
        "version": version.version,
        "html": None,
        "subject": None,
        "postage": None,
    }
    if template.type == "sms":
        preview["body"] = render_sms_body(version.body, personalisation)
    elif template.type == "email":
        preview["body"] = render_email_body(version.body, personalisation)
        preview["subject"] = render_email_subject(version.subject or "", personalisation)
        preview["html"] = render_email_html(version.body, personalisation)
    else:
        preview["body"] = render_letter_body(version.body, personalisation)
        preview["subject"] = render_letter_subject(version.subject or "", personalisation)
        preview["postage"] = template.postage or DEFAULT_POSTAGE
    return preview
