"""``POST /v2/notifications/sms`` and ``/email``: validate in Notify's order, store, answer 201.

Smoke-test recipients go through every check and get a fresh id, but nothing is stored, so
they never count towards limits or appear in GET responses (behaviour: Smoke-test recipients).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Response

from notifications_python_client.recipients.email_address import (
    EmailAddressError,
    is_smoke_test_email,
    normalise_email_address,
    validate_email_address,
)
from notifications_python_client.recipients.phone import (
    PhoneNumber,
    PhoneNumberError,
    is_smoke_test_number,
    normalise_sms_sender,
    parse_phone_number,
)
from notifications_python_client.simulator.api.context import Context
from notifications_python_client.simulator.api.send_pipeline import prepare_send, store_and_answer
from notifications_python_client.simulator.api.sending import (
    canonical_uuid,
    check_no_files,
    check_not_empty,
    check_recipient_allowed,
    missing_sender,
    read_json_body,
)
from notifications_python_client.simulator.checks.files import (
    UploadedDocument,
    UploadRefused,
    accept_document,
    file_keys,
    file_object_errors,
    send_files_not_set_up_message,
    smoke_test_document_link,
)
from notifications_python_client.simulator.domain.errors import (
    NotifyApiError,
    bad_request,
    validation_error,
)
from notifications_python_client.simulator.domain.models import Service
from notifications_python_client.simulator.rendering.messages import (
    email_from_local_part,
    render_email_body,
    render_email_subject,
    render_sms_body,
    render_sms_unsanitised,
    sms_character_count,
    sms_fragment_count,
)

SMS_MAX_CHARACTERS = 918
# The simulator's pages for files sent by email (web.documents serves them).
DOWNLOAD_PAGES_PATH = "/_simulator"
EMAIL_MAX_BYTES = 2_000_000
DEFAULT_SMS_SENDER = "GOVUK"
EMAIL_FROM_DOMAIN = "notifications.service.gov.uk"


def on_post_sms(ctx: Context) -> Response:
    """Send a text message (docs/simulator-behaviour.md, "Sending a text message")."""
    service, key_type = ctx.service, ctx.key_type
    ctx.store.check_send_limits(service, key_type, "sms")
    send = prepare_send(ctx, "sms", read_json_body(ctx))
    version, personalisation = send.version, send.personalisation
    text = render_sms_body(version.body, personalisation)
    check_not_empty(send.template, version, text)
    check_no_files(personalisation)
    from_number = _sms_sender(service, send.body.get("sms_sender_id"))

    raw_number: str = send.body["phone_number"]
    number = parse_phone_number(raw_number)
    check_recipient_allowed(service, key_type, number.normalised in _team_numbers(service))
    _check_phone_permissions(ctx, number)
    length = sms_character_count(text)
    if length > SMS_MAX_CHARACTERS:
        raise bad_request(
            f"Your message is too long. Text messages cannot be longer than {SMS_MAX_CHARACTERS} "
            f"characters. Your message is {length} characters long."
        )

    unsanitised = render_sms_unsanitised(version.body, personalisation)
    return store_and_answer(
        ctx,
        send,
        {"body": text, "from_number": from_number},
        store=not is_smoke_test_number(number),
        sender=from_number,
        phone_number=raw_number.strip(),
        normalised_to=number.normalised,
        body=text,
        personalisation=personalisation,
        billable_sms_fragments=sms_fragment_count(unsanitised, text),
        international_rate_multiplier=number.rate_multiplier,
        is_international=not number.is_uk,
        sms_rate=service.limits.sms_rate,
    )


def on_post_email(ctx: Context) -> Response:
    """Send an email, with any files as download links (docs/simulator-behaviour.md,
    "Sending an email")."""
    service, key_type = ctx.service, ctx.key_type
    ctx.store.check_send_limits(service, key_type, "email")
    send = prepare_send(ctx, "email", read_json_body(ctx))
    version = send.version
    check_not_empty(send.template, version, render_email_body(version.body, send.personalisation))
    _check_reply_to(service, send.body.get("email_reply_to_id"))

    raw_address: str = send.body["email_address"]
    on_list = normalise_email_address(raw_address) in _team_email_addresses(service)
    check_recipient_allowed(service, key_type, on_list)
    try:
        address = validate_email_address(raw_address)
    except EmailAddressError as error:
        raise NotifyApiError.single(400, "InvalidEmailError", error.message) from None
    smoke_test = is_smoke_test_email(address)
    personalisation, documents = _attach_files(
        service, send.personalisation, smoke_test=smoke_test, download_root=_downloads(ctx)
    )

    text = render_email_body(version.body, personalisation)
    subject = render_email_subject(version.subject or "", personalisation)
    size = len(text.encode("utf-8"))
    if size > EMAIL_MAX_BYTES:
        raise bad_request(
            f"Your message is too long. Emails cannot be longer than {EMAIL_MAX_BYTES} bytes. "
            f"Your message is {size} bytes."
        )

    unsubscribe_url = send.body.get("one_click_unsubscribe_url")
    from_email = f"{email_from_local_part(service.name)}@{EMAIL_FROM_DOMAIN}"
    content = {
        "from_email": from_email,
        "subject": subject,
        "body": text,
        "one_click_unsubscribe_url": unsubscribe_url,
    }
    return store_and_answer(
        ctx,
        send,
        content,
        store=not smoke_test,
        email_address=raw_address.strip(),
        normalised_to=normalise_email_address(address),
        body=text,
        subject=subject,
        personalisation=personalisation,
        one_click_unsubscribe_url=unsubscribe_url,
        documents=documents,
        sender=from_email,
        reply_to=_reply_to_address(service, send.body.get("email_reply_to_id")),
    )


def _downloads(ctx: Context) -> str:
    """Where this simulator's download pages are, as the client reached it."""
    return f"{ctx.root_url}{DOWNLOAD_PAGES_PATH}"


def _sms_sender(service: Service, sms_sender_id: str | None) -> str:
    """The sender text shown as ``from_number``: the one asked for, or the service default."""
    if sms_sender_id is not None:
        wanted = canonical_uuid(sms_sender_id)
        for sender in service.sms_senders:
            if sender.id.lower() == wanted and not sender.archived:
                return normalise_sms_sender(sender.sms_sender)
        raise missing_sender("sms_sender_id", sms_sender_id, service)
    for sender in service.sms_senders:
        if sender.default and not sender.archived:
            return normalise_sms_sender(sender.sms_sender)
    return DEFAULT_SMS_SENDER


def _check_reply_to(service: Service, email_reply_to_id: str | None) -> None:
    if email_reply_to_id is None:
        return
    wanted = canonical_uuid(email_reply_to_id)
    if not any(r.id.lower() == wanted and not r.archived for r in service.email_reply_to):
        raise missing_sender("email_reply_to_id", email_reply_to_id, service)


def _reply_to_address(service: Service, email_reply_to_id: str | None) -> str | None:
    """The address replies go to: the one asked for, else the service's default."""
    wanted = canonical_uuid(email_reply_to_id) if email_reply_to_id else None
    for reply_to in service.email_reply_to:
        if reply_to.archived:
            continue
        if reply_to.id.lower() == wanted or (wanted is None and reply_to.default):
            return reply_to.email_address
    return None


def _team_numbers(service: Service) -> set[str]:
    """Team members' and guest-list numbers in normalised form; unreadable entries match none."""
    numbers = set()
    for raw in (*service.team_phone_numbers, *service.guest_list_phone_numbers):
        try:
            numbers.add(parse_phone_number(raw).normalised)
        except PhoneNumberError:
            continue
    return numbers


def _team_email_addresses(service: Service) -> set[str]:
    addresses = (*service.team_email_addresses, *service.guest_list_email_addresses)
    return {normalise_email_address(address) for address in addresses}


def _check_phone_permissions(ctx: Context, number: PhoneNumber) -> None:
    """Stage 2 of phone validation: what this service may send to.

    Behaviour: Phone numbers: what the service may send to.
    """
    permissions = ctx.service.permissions
    if not number.is_uk and "international_sms" not in permissions:
        raise bad_request("Cannot send to international mobile numbers")
    if number.is_uk_landline and "sms_to_uk_landlines" not in permissions:
        raise NotifyApiError.single(400, "InvalidPhoneError", "Not a UK mobile number")
    if not number.in_price_list:
        raise NotifyApiError.single(400, "InvalidPhoneError", "Not a valid country prefix")
    if not number.is_uk:
        ctx.store.check_international_sms_limit(ctx.service, ctx.key_type)


def _attach_files(
    service: Service,
    personalisation: Mapping[str, Any],
    *,
    smoke_test: bool,
    download_root: str,
) -> tuple[dict[str, Any], list[UploadedDocument]]:
    """Personalisation with every file object replaced by a link to the simulator's download
    page for it, and the documents to keep for those pages.

    Behaviour: Sending files by email.
    """
    keys = file_keys(personalisation)
    result = dict(personalisation)
    documents: list[UploadedDocument] = []
    if not keys:
        return result, documents
    for key in keys:
        errors = file_object_errors(personalisation[key])
        if errors:
            raise validation_error(errors)
    if not service.file_download_contact_details:
        raise bad_request(send_files_not_set_up_message(service.id))
    for key in keys:
        if smoke_test:
            result[key] = smoke_test_document_link(service.id)
            continue
        try:
            document = accept_document(
                personalisation[key], service_id=service.id, download_root=download_root
            )
        except UploadRefused as error:
            raise bad_request(error.message) from None
        result[key] = document.link
        documents.append(document)
    return result, documents
