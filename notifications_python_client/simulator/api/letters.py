"""``POST /v2/notifications/letter``: templated letters and precompiled PDFs.

Behaviour: Sending a letter; Precompiled letters.

A body with a ``content`` key is a precompiled letter. A templated letter is charged twice
against the rate limit, as Notify's letter route checks it and then hands over to the generic
send route, which checks again.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Response

from notifications_python_client.recipients.address import (
    AddressError,
    PostalAddress,
    validate_postal_address,
)
from notifications_python_client.simulator.api.context import Context
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.api.send_pipeline import prepare_send, store_and_answer
from notifications_python_client.simulator.api.sending import (
    check_letter_allowed,
    check_no_files,
    check_not_empty,
    check_permission,
    new_notification,
    read_json_body,
    validated,
)
from notifications_python_client.simulator.checks.schema import is_precompiled_letter
from notifications_python_client.simulator.domain.errors import (
    NotifyApiError,
    bad_request,
    validation_error,
)
from notifications_python_client.simulator.domain.models import Service
from notifications_python_client.simulator.rendering.messages import (
    render_contact_block,
    render_letter_body,
    render_letter_subject,
)
from notifications_python_client.simulator.rendering.pdf import (
    billable_sheets,
    count_pdf_pages,
    render_letter_pdf,
)
from notifications_python_client.simulator.state.costs import DEFAULT_POSTAGE

QR_CODE_MAX_BYTES = 504
QR_CODE_TOO_LONG_MESSAGE = "Cannot create a usable QR code - the link is too long"
# A paragraph of a letter that starts "QR:" (any case, spaces around the colon) is a QR code.
_QR_PARAGRAPH = re.compile(r"\s*qr\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

PRECOMPILED_SUBJECT = "Pre-compiled PDF"
PRECOMPILED_ADDRESS_LINE = "Provided as PDF"
PRECOMPILED_TEMPLATE_VERSION = 1
# Notify keeps each service's precompiled letters under a hidden template; when the data
# defines none, the simulator names one per service, derived from its id (it is never listed).
PRECOMPILED_TEMPLATE_NAMESPACE = uuid.UUID("3b1c1c47-1b2f-4a7c-9d52-2b8f0e6f6c1a")
BAD_BASE64_MESSAGE = "Cannot decode letter content (invalid base64 encoding)"

# Where GET shows each raw personalisation value of the address.
# (behaviour: The notification object)
ADDRESS_FIELDS = {
    "line_1": "address_line_1",
    "line_2": "address_line_2",
    "line_3": "address_line_3",
    "line_4": "address_line_4",
    "line_5": "address_line_5",
    "line_6": "address_line_6",
    "postcode": "postcode",
}


def on_post_letter(ctx: Context) -> Response:
    """Send a letter from a template, or a precompiled PDF when the body has ``content``."""
    ctx.store.check_send_limits(ctx.service, ctx.key_type, "letter")
    body = read_json_body(ctx)
    if is_precompiled_letter(body):
        return _precompiled_letter(ctx, body)
    ctx.store.check_send_limits(ctx.service, ctx.key_type, "letter")
    return _templated_letter(ctx, body)


def _templated_letter(ctx: Context, raw_body: object) -> Response:
    send = prepare_send(ctx, "letter", raw_body)
    template, version, personalisation = send.template, send.version, send.personalisation
    text = render_letter_body(version.body, personalisation)
    check_not_empty(template, version, text)
    check_no_files(personalisation)
    check_qr_codes(text)
    check_letter_allowed(ctx.service, ctx.key_type)
    address = _postal_address(ctx.service, personalisation)

    now = ctx.now()
    subject = render_letter_subject(version.subject or "", personalisation)
    pdf = render_letter_pdf(
        address_lines=address.lines,
        contact_block=render_contact_block(version.letter_contact_block, personalisation),
        subject=subject,
        body=text,
        date=now.date(),
    )
    return store_and_answer(
        ctx,
        send,
        {"subject": subject, "body": text},
        created_at=now,
        address_lines=raw_address_lines(personalisation),
        body=text,
        subject=subject,
        personalisation=personalisation,
        postage=address.postage_zone or template.postage or DEFAULT_POSTAGE,
        billable_sheets_of_paper=_sheets_of_paper(pdf),
        pdf=pdf,
    )


def _precompiled_letter(ctx: Context, raw_body: object) -> Response:
    service = ctx.service
    body = validated("precompiled_letter", raw_body, ctx)
    check_permission(service, "letter")
    check_letter_allowed(service, ctx.key_type)
    try:
        # Lenient like Notify: characters outside the alphabet are skipped, bad padding fails.
        pdf = base64.b64decode(body["content"])
    except ValueError:
        raise bad_request(BAD_BASE64_MESSAGE) from None

    postage = body.get("postage") or DEFAULT_POSTAGE
    template_id = precompiled_template_id(service)
    notification_id = str(uuid.uuid4())
    ctx.store.add_notification(
        new_notification(
            ctx,
            notification_id,
            "letter",
            template_id,
            PRECOMPILED_TEMPLATE_VERSION,
            body["reference"],
            status="pending-virus-check",
            address_lines={"line_1": PRECOMPILED_ADDRESS_LINE},
            body="",
            subject=PRECOMPILED_SUBJECT,
            postage=postage,
            billable_sheets_of_paper=_sheets_of_paper(pdf),
            is_precompiled_letter=True,
            pdf=pdf,
        )
    )
    return json_response(
        201, {"id": notification_id, "reference": body["reference"], "postage": postage}
    )


def _sheets_of_paper(pdf: bytes) -> int | None:
    """The sheets a letter's PDF is billed for; ``None`` when its pages cannot be counted."""
    pages = count_pdf_pages(pdf)
    return None if pages is None else billable_sheets(pages)


def precompiled_template_id(service: Service) -> str:
    """The id of the service's hidden letter template that precompiled letters belong to."""
    for template in service.templates:
        if template.hidden and template.type == "letter":
            return template.id
    return str(uuid.uuid5(PRECOMPILED_TEMPLATE_NAMESPACE, service.id))


def check_qr_codes(letter_body: str) -> None:
    """Every ``QR:`` paragraph must fit in a usable QR code (behaviour: Error names)."""
    for paragraph in _PARAGRAPH_BREAK.split(letter_body):
        match = _QR_PARAGRAPH.fullmatch(paragraph)
        if match is None:
            continue
        data = match.group(1).strip()
        size = len(data.encode("utf-8"))
        if size > QR_CODE_MAX_BYTES:
            raise NotifyApiError.single(
                400,
                "ValidationError",
                QR_CODE_TOO_LONG_MESSAGE,
                data=data,
                num_bytes=size,
                max_bytes=QR_CODE_MAX_BYTES,
            )


def _postal_address(service: Service, personalisation: Mapping[str, Any]) -> PostalAddress:
    allow_international = "international_letters" in service.permissions
    try:
        return validate_postal_address(personalisation, allow_international=allow_international)
    except AddressError as error:
        raise validation_error([error.message]) from None


def raw_address_lines(personalisation: Mapping[str, Any]) -> dict[str, str | None]:
    """The address as sent, for GET's ``line_1`` ... ``postcode``; non-text values as text."""
    lines: dict[str, str | None] = {}
    for field_name, key in ADDRESS_FIELDS.items():
        value = personalisation.get(key)
        lines[field_name] = None if value is None else str(value)
    return lines
