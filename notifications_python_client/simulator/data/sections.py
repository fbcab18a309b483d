"""One reader per part of a service in the simulator's data file, each building its model.

``data.load_data`` reads the file and hands every service to ``read_service``; the readers here
check each field through ``data_fields.Field`` and fill in Notify's defaults (permissions, trial
limits, the default sender) so the store gets complete services.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from notifications_python_client.simulator.data.fields import Field
from notifications_python_client.simulator.domain.callback_settings import callback_config
from notifications_python_client.simulator.domain.models import (
    KEY_TYPES,
    TEMPLATE_TYPES,
    ApiKey,
    CallbackConfig,
    EmailReplyTo,
    Limits,
    ReceivedText,
    Service,
    SmsSender,
    Template,
    TemplateVersion,
    Timings,
)
from notifications_python_client.simulator.rendering.placeholders import unclosed_placeholder

PERMISSIONS = (
    "email", "sms", "letter", "international_sms", "international_letters",
    "sms_to_uk_landlines", "inbound_sms",
)  # fmt: skip
DEFAULT_PERMISSIONS = frozenset({"email", "sms", "letter", "international_sms"})
POSTAGE_CLASSES = ("first", "second", "economy")
TRIAL_DAILY_LIMITS = {"email": 50, "sms": 50, "letter": 50, "international_sms": 100}
DEFAULT_TEMPLATE_AUTHOR = "notify-simulator@notifications.service.gov.uk"
# Seeded template versions are an hour apart, the latest an hour before loading.
VERSION_INTERVAL = dt.timedelta(hours=1)
RECEIVED_TEXT_INTERVAL = dt.timedelta(minutes=1)
# Seeded received texts without an id get one derived from the service id and their position.
RECEIVED_TEXT_ID_NAMESPACE = uuid.UUID("5f0c4a34-4c8e-4d47-9f68-8f3c2f6f1b1e")

SERVICE_FIELDS = (
    "id", "name", "restricted", "active", "permissions", "team", "guest_list", "api_keys",
    "templates", "email_reply_to", "sms_senders", "inbound_number", "received_texts",
    "callbacks", "file_download_contact_details", "limits", "timings",
)  # fmt: skip


def read_service(node: Field, now: dt.datetime) -> Service:
    """One entry of ``services``, with everything it owns."""
    node.object(SERVICE_FIELDS)
    service_id = node.child("id").uuid()
    restricted = node.child("restricted").flag(False)
    team = _people(node.child("team"))
    guests = _people(node.child("guest_list"))
    permissions = node.child("permissions")
    texts_node = node.child("received_texts")
    inbound_number = node.child("inbound_number").text(None, nullable=True)
    if texts_node.items() and inbound_number is None:
        texts_node.fail("needs the service's inbound_number")
    callbacks = node.child("callbacks").object(("delivery_status", "received_text"))
    default_author = team[0][0] if team[0] else DEFAULT_TEMPLATE_AUTHOR
    return Service(
        id=service_id,
        name=node.child("name").text(),
        restricted=restricted,
        active=node.child("active").flag(True),
        permissions=set(DEFAULT_PERMISSIONS)
        if permissions.absent
        else {item.choice(PERMISSIONS) for item in permissions.items()},
        team_email_addresses=team[0],
        team_phone_numbers=team[1],
        guest_list_email_addresses=guests[0],
        guest_list_phone_numbers=guests[1],
        api_keys=[_api_key(item, now) for item in node.child("api_keys").items()],
        templates=[
            _template(item, now, default_author) for item in node.child("templates").items()
        ],
        email_reply_to=_with_default(
            [_reply_to(item) for item in node.child("email_reply_to").items()]
        ),
        sms_senders=_with_default(
            [_sms_sender(item) for item in node.child("sms_senders").items()]
        ),
        inbound_number=inbound_number,
        delivery_status_callback=_callback(callbacks.child("delivery_status")),
        received_text_callback=_callback(callbacks.child("received_text")),
        file_download_contact_details=node.child("file_download_contact_details").flag(True),
        limits=_limits(node.child("limits"), restricted),
        timings=_timings(node.child("timings")),
        received_texts=_received_texts(texts_node, service_id, inbound_number or "", now),
    )


def _people(node: Field) -> tuple[list[str], list[str]]:
    """A team or guest list: its email addresses and phone numbers."""
    node.object(("email_addresses", "phone_numbers"))
    return node.child("email_addresses").texts(), node.child("phone_numbers").texts()


def key_name(name: str) -> str:
    """A key name as it appears in the key string: lowercased, spaces to ``_``.

    Behaviour: API keys.
    """
    return re.sub(r"[^\w]", "", re.sub(r"\s+", "_", name.lower()))


def _api_key(node: Field, now: dt.datetime) -> ApiKey:
    node.object(("name", "type", "secret", "revoked_days_ago"))
    revoked_days_ago = node.child("revoked_days_ago").number(None)
    return ApiKey(
        name=key_name(node.child("name").text()),
        type=node.child("type").choice(KEY_TYPES),
        secret=node.child("secret").uuid(),
        revoked_at=None if revoked_days_ago is None else now - dt.timedelta(days=revoked_days_ago),
    )


TEMPLATE_FIELDS = (
    "id", "name", "type", "subject", "body", "letter_contact_block", "postage", "archived",
    "hidden", "created_by", "previous_versions",
)  # fmt: skip


def _template(node: Field, now: dt.datetime, default_author: str) -> Template:
    node.object(TEMPLATE_FIELDS)
    template_type = node.child("type").choice(TEMPLATE_TYPES)
    author = node.child("created_by").text(default_author)
    contents = [*node.child("previous_versions").items(), node]
    versions = []
    for number, content in enumerate(contents, start=1):
        name = None
        if content is not node:
            content.object(("name", "subject", "body", "letter_contact_block"))
            name = content.child("name").text(None)
        created_at = now - VERSION_INTERVAL * (len(contents) - number + 1)
        subject, contact_block = _type_specific_content(content, template_type)
        body = content.child("body").text(empty=True)
        _refuse_unclosed(content.child("body"), body)
        _refuse_unclosed(content.child("subject"), subject)
        versions.append(
            TemplateVersion(number, subject, body, created_at, author, contact_block, name)
        )
    postage_node = node.child("postage")
    if template_type != "letter" and not postage_node.absent:
        postage_node.fail("only letter templates have a postage")
    return Template(
        id=node.child("id").uuid(),
        name=node.child("name").text(),
        type=template_type,
        versions=versions,
        postage=postage_node.choice(POSTAGE_CLASSES, "second")
        if template_type == "letter"
        else None,
        archived=node.child("archived").flag(False),
        hidden=node.child("hidden").flag(False),
    )


def _refuse_unclosed(node: Field, text: str | None) -> None:
    unclosed = unclosed_placeholder(text)
    if unclosed is not None:
        node.fail(f"has a (( that is never closed with )): {unclosed!r}")


def read_template(values: Any, path: str, now: dt.datetime, author: str) -> Template:
    """One template given as the data file gives it (``id``, ``name``, ``type``, ``subject``,
    ``body``, ...), checked as the data file's are.

    :raises DataFileError: naming the field that is wrong, under ``path``.
    """
    return _template(Field(values, path), now, author)


def _type_specific_content(content: Field, template_type: str) -> tuple[str | None, str | None]:
    """The subject (email and letter) and contact block (letter) of one template version."""
    subject_node, block_node = content.child("subject"), content.child("letter_contact_block")
    if template_type == "sms" and not subject_node.absent:
        subject_node.fail("sms templates have no subject")
    if template_type != "letter" and not block_node.absent:
        block_node.fail("only letter templates have a letter_contact_block")
    subject = subject_node.text() if template_type != "sms" else None
    return subject, block_node.text(None, nullable=True)


def _with_default(entries: list[Any]) -> list[Any]:
    """The first entry becomes the default when none is marked, as Notify always has one."""
    defaults = [entry for entry in entries if entry.default]
    if entries and not defaults:
        entries[0].default = True
    return entries


def _reply_to(node: Field) -> EmailReplyTo:
    node.object(("id", "email_address", "default", "archived"))
    return EmailReplyTo(
        id=node.child("id").uuid(),
        email_address=node.child("email_address").text(),
        default=node.child("default").flag(False),
        archived=node.child("archived").flag(False),
    )


def _sms_sender(node: Field) -> SmsSender:
    node.object(("id", "sms_sender", "default", "archived"))
    return SmsSender(
        id=node.child("id").uuid(),
        sms_sender=node.child("sms_sender").text(),
        default=node.child("default").flag(False),
        archived=node.child("archived").flag(False),
    )


def _callback(node: Field) -> CallbackConfig | None:
    if node.absent or node.value is None:
        return None
    node.object(("url", "bearer_token"))
    url, token = node.child("url").text(), node.child("bearer_token").text()
    try:
        return callback_config(url, token)
    except ValueError as error:
        field = "bearer_token" if str(error).startswith("bearer_token") else "url"
        node.child(field).fail(str(error).removeprefix(f"{field} "))


def _limits(node: Field, restricted: bool) -> Limits:
    node.object(("rate_limit_per_minute", "daily", "sms_rate", "retention_days"))
    limits = Limits()
    if restricted:
        limits.daily = dict(TRIAL_DAILY_LIMITS)
    rate = node.child("rate_limit_per_minute").number(limits.rate_limit_per_minute, integer=True)
    if rate < 1:
        node.child("rate_limit_per_minute").fail("must be at least 1")
    limits.rate_limit_per_minute = rate
    daily = node.child("daily").object(tuple(limits.daily))
    for name in limits.daily:
        limits.daily[name] = daily.child(name).number(limits.daily[name], integer=True)
    limits.sms_rate = float(node.child("sms_rate").number(limits.sms_rate))
    retention = node.child("retention_days").number(limits.retention_days, integer=True)
    if retention < 1:
        node.child("retention_days").fail("must be at least 1")
    limits.retention_days = retention
    return limits


def _timings(node: Field) -> Timings:
    timings = Timings()
    node.object(tuple(vars(timings)))
    for name, default in list(vars(timings).items()):
        integer = isinstance(default, int)
        value = node.child(name).number(default, integer=integer)
        setattr(timings, name, value if integer else float(value))
    return timings


def _received_texts(
    node: Field, service_id: str, notify_number: str, now: dt.datetime
) -> list[ReceivedText]:
    """Seeded texts: listed oldest first, a minute apart, the last a minute before loading."""
    items = node.items()
    texts = []
    for index, item in enumerate(items):
        item.object(("id", "user_number", "content", "minutes_ago"))
        default_minutes = (len(items) - index) * RECEIVED_TEXT_INTERVAL.total_seconds() / 60
        minutes_ago = item.child("minutes_ago").number(default_minutes)
        if item.child("id").absent:
            text_id = str(uuid.uuid5(RECEIVED_TEXT_ID_NAMESPACE, f"{service_id}/{index}"))
        else:
            text_id = item.child("id").uuid()
        texts.append(
            ReceivedText(
                id=text_id,
                service_id=service_id,
                user_number=item.child("user_number").text(),
                notify_number=notify_number,
                content=item.child("content").text(),
                created_at=now - dt.timedelta(minutes=minutes_ago),
            )
        )
    return texts
