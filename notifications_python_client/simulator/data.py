"""The simulator's data file: services, keys, templates and senders, loaded and checked.

The file is JSON (``default_data.json`` beside this module is the built-in one)::

    {"services": [{
      "id": "<uuid>", "name": "Pigeon Affairs Bureau",
      "restricted": false,             # trial mode; optional, default false
      "active": true,                  # false: the service is archived; optional
      "permissions": ["email", "sms", "letter", "international_sms"],   # optional, this default
      "team": {"email_addresses": ["..."], "phone_numbers": ["..."]},
      "guest_list": {"email_addresses": [], "phone_numbers": []},
      "api_keys": [{"name": "integration", "type": "normal|team|test", "secret": "<uuid>",
                    "revoked_days_ago": 1}],          # revoked_days_ago optional: a revoked key
      "templates": [{"id": "<uuid>", "name": "...", "type": "sms|email|letter",
                     "subject": "...",                 # email and letter only (required there)
                     "body": "...",
                     "letter_contact_block": "...",    # letter only, optional
                     "postage": "second",              # letter only: first|second|economy
                     "archived": false, "hidden": false, "created_by": "someone@example.com",
                     "previous_versions": [{"subject": "...", "body": "..."}]}],
      "email_reply_to": [{"id": "<uuid>", "email_address": "...", "default": true}],
      "sms_senders": [{"id": "<uuid>", "sms_sender": "GOVUK", "default": true}],
      "inbound_number": "07700900456",
      "received_texts": [{"user_number": "447700900111", "content": "...", "minutes_ago": 5}],
      "callbacks": {"delivery_status": {"url": "...", "bearer_token": "..."},
                    "received_text": {"url": "...", "bearer_token": "..."}},
      "file_download_contact_details": true,
      "limits": {"rate_limit_per_minute": 3000, "sms_rate": 0.024, "retention_days": 7,
                 "daily": {"email": 250000, "sms": 250000, "letter": 20000,
                           "international_sms": 100}},
      "timings": {"sending_after_seconds": 0, "delivered_after_seconds": 0,
                  "letter_pdf_ready_after_seconds": 0, "callback_retry_seconds": 300,
                  "callback_max_retries": 5}}]}

Everything but a service's ``id`` and ``name``, a key's three fields, a template's ``id``,
``name``, ``type`` and ``body`` (and ``subject`` for email and letter) is optional. A restricted
service's daily limits default to the trial ones (50 each, 100 international). Unknown fields
are errors, so typos do not pass silently. ``previous_versions`` are the older versions, version 1
first; the template's own fields are the latest version. A sender or reply-to list with no
default makes its first entry the default.

Ids and keys are exactly as written, so the same file always gives the same ids and keys. Times
(template versions, revocations, received texts) are set back from the moment of loading by fixed
offsets. Any mistake raises ``DataFileError`` naming the field, e.g.
``services[0].templates[1].type: must be one of sms, email, letter``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections.abc import Mapping
from importlib import resources
from typing import Any, NoReturn

from notifications_python_client.simulator.models import (
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

DEFAULT_DATA_FILE = "default_data.json"
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

_REQUIRED: Any = object()


class DataFileError(ValueError):
    """The simulator's data is malformed; the message starts with the path of the bad field."""


class _Node:
    """A JSON value and its path in the file, with typed readers that name the path on error."""

    def __init__(self, value: Any, path: str) -> None:
        self.value = value
        self.path = path

    def fail(self, message: str) -> NoReturn:
        raise DataFileError(f"{self.path or 'data'}: {message}")

    def child(self, key: str) -> _Node:
        return _Node(self.value.get(key, _REQUIRED), f"{self.path}.{key}" if self.path else key)

    def object(self, allowed: tuple[str, ...]) -> _Node:
        """Check this is an object with only ``allowed`` keys; absent counts as empty."""
        if self.value is _REQUIRED:
            self.value = {}
        if not isinstance(self.value, dict):
            self.fail("must be an object")
        for key in self.value:
            if key not in allowed:
                self.child(key).fail("unknown field")
        return self

    def items(self, *, required: bool = False) -> list[_Node]:
        if self.value is _REQUIRED:
            return [] if not required else self.fail("is required")
        if not isinstance(self.value, list):
            self.fail("must be a list")
        return [_Node(item, f"{self.path}[{index}]") for index, item in enumerate(self.value)]

    def _present(self, default: Any) -> bool:
        if self.value is _REQUIRED and default is _REQUIRED:
            self.fail("is required")
        return self.value is not _REQUIRED

    def text(self, default: Any = _REQUIRED, *, nullable: bool = False, empty: bool = False) -> Any:
        if not self._present(default):
            return default
        if self.value is None and nullable:
            return None
        if not isinstance(self.value, str) or not (self.value or empty):
            self.fail("must be a non-empty string")
        return self.value

    def flag(self, default: bool) -> bool:
        if not self._present(default):
            return default
        if not isinstance(self.value, bool):
            self.fail("must be true or false")
        return self.value

    def number(self, default: Any = _REQUIRED, *, integer: bool = False) -> Any:
        if not self._present(default):
            return default
        wanted = (int,) if integer else (int, float)
        if isinstance(self.value, bool) or not isinstance(self.value, wanted) or self.value < 0:
            self.fail(
                "must be a whole number, 0 or more" if integer else "must be a number, 0 or more"
            )
        return self.value

    def choice(self, choices: tuple[str, ...], default: Any = _REQUIRED) -> Any:
        if not self._present(default):
            return default
        if self.value not in choices:
            self.fail("must be one of " + ", ".join(choices))
        return self.value

    def uuid(self) -> str:
        text = self.text()
        try:
            return str(uuid.UUID(text))
        except ValueError:
            self.fail("must be a UUID")

    def texts(self) -> list[str]:
        return [item.text() for item in self.items()]


def load_data(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    now: dt.datetime | None = None,
) -> list[Service]:
    """The services described by a data file, a mapping, or (``None``) the built-in data.

    :param now: the moment seeded times count back from; defaults to the current UTC time.
    :raises DataFileError: when the file cannot be read or a field is wrong.
    """
    loaded_at = now or dt.datetime.now(dt.timezone.utc)
    root = _Node(_read(source), "").object(("services",))
    services = [_service(node, loaded_at) for node in root.child("services").items(required=True)]
    if not services:
        root.child("services").fail("must list at least one service")
    _check_unique(root.child("services").items(), services)
    return services


def _read(source: str | os.PathLike[str] | Mapping[str, Any] | None) -> Any:
    if isinstance(source, Mapping):
        return dict(source)
    if source is None:
        name = DEFAULT_DATA_FILE
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    else:
        name = os.fspath(source)
        try:
            with open(name, encoding="utf-8") as file:
                text = file.read()
        except OSError as error:
            raise DataFileError(f"{name}: cannot be read: {error.strerror}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFileError(f"{name}: not valid JSON: {error}") from error


def _check_unique(nodes: list[_Node], services: list[Service]) -> None:
    """Service and template ids are global in Notify, and a secret must name one key."""
    seen_ids: set[str] = set()
    for node, service in zip(nodes, services, strict=True):
        if service.id in seen_ids:
            node.child("id").fail("duplicate id")
        seen_ids.add(service.id)
        template_nodes = node.child("templates").items()
        for template_node, template in zip(template_nodes, service.templates, strict=True):
            if template.id in seen_ids:
                template_node.child("id").fail("duplicate id")
            seen_ids.add(template.id)
        seen_secrets: set[str] = set()
        for key_node, key in zip(node.child("api_keys").items(), service.api_keys, strict=True):
            if key.secret in seen_secrets:
                key_node.child("secret").fail("duplicate secret")
            seen_secrets.add(key.secret)


SERVICE_FIELDS = (
    "id", "name", "restricted", "active", "permissions", "team", "guest_list", "api_keys",
    "templates", "email_reply_to", "sms_senders", "inbound_number", "received_texts",
    "callbacks", "file_download_contact_details", "limits", "timings",
)  # fmt: skip


def _service(node: _Node, now: dt.datetime) -> Service:
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
        if permissions.value is _REQUIRED
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


def _people(node: _Node) -> tuple[list[str], list[str]]:
    """A team or guest list: its email addresses and phone numbers."""
    node.object(("email_addresses", "phone_numbers"))
    return node.child("email_addresses").texts(), node.child("phone_numbers").texts()


def key_name(name: str) -> str:
    """A key name as it appears in the key string (4.1): lowercased, spaces to ``_``."""
    return re.sub(r"[^\w]", "", re.sub(r"\s+", "_", name.lower()))


def _api_key(node: _Node, now: dt.datetime) -> ApiKey:
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


def _template(node: _Node, now: dt.datetime, default_author: str) -> Template:
    node.object(TEMPLATE_FIELDS)
    template_type = node.child("type").choice(TEMPLATE_TYPES)
    author = node.child("created_by").text(default_author)
    contents = [*node.child("previous_versions").items(), node]
    versions = []
    for number, content in enumerate(contents, start=1):
        if content is not node:
            content.object(("subject", "body", "letter_contact_block"))
        created_at = now - VERSION_INTERVAL * (len(contents) - number + 1)
        subject, contact_block = _type_specific_content(content, template_type)
        body = content.child("body").text(empty=True)
        versions.append(TemplateVersion(number, subject, body, created_at, author, contact_block))
    postage_node = node.child("postage")
    if template_type != "letter" and postage_node.value is not _REQUIRED:
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


def _type_specific_content(content: _Node, template_type: str) -> tuple[str | None, str | None]:
    """The subject (email and letter) and contact block (letter) of one template version."""
    subject_node, block_node = content.child("subject"), content.child("letter_contact_block")
    if template_type == "sms" and subject_node.value is not _REQUIRED:
        subject_node.fail("sms templates have no subject")
    if template_type != "letter" and block_node.value is not _REQUIRED:
        block_node.fail("only letter templates have a letter_contact_block")
    subject = subject_node.text() if template_type != "sms" else None
    return subject, block_node.text(None, nullable=True)


def _with_default(entries: list[Any]) -> list[Any]:
    """The first entry becomes the default when none is marked, as Notify always has one."""
    defaults = [entry for entry in entries if entry.default]
    if entries and not defaults:
        entries[0].default = True
    return entries


def _reply_to(node: _Node) -> EmailReplyTo:
    node.object(("id", "email_address", "default", "archived"))
    return EmailReplyTo(
        id=node.child("id").uuid(),
        email_address=node.child("email_address").text(),
        default=node.child("default").flag(False),
        archived=node.child("archived").flag(False),
    )


def _sms_sender(node: _Node) -> SmsSender:
    node.object(("id", "sms_sender", "default", "archived"))
    return SmsSender(
        id=node.child("id").uuid(),
        sms_sender=node.child("sms_sender").text(),
        default=node.child("default").flag(False),
        archived=node.child("archived").flag(False),
    )


def _callback(node: _Node) -> CallbackConfig | None:
    if node.value is _REQUIRED or node.value is None:
        return None
    node.object(("url", "bearer_token"))
    return CallbackConfig(node.child("url").text(), node.child("bearer_token").text())


def _limits(node: _Node, restricted: bool) -> Limits:
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


def _timings(node: _Node) -> Timings:
    timings = Timings()
    node.object(tuple(vars(timings)))
    for name, default in list(vars(timings).items()):
        integer = isinstance(default, int)
        value = node.child(name).number(default, integer=integer)
        setattr(timings, name, value if integer else float(value))
    return timings


def _received_texts(
    node: _Node, service_id: str, notify_number: str, now: dt.datetime
) -> list[ReceivedText]:
    """Seeded texts: listed oldest first, a minute apart, the last a minute before loading."""
    items = node.items()
    texts = []
    for index, item in enumerate(items):
        item.object(("id", "user_number", "content", "minutes_ago"))
        default_minutes = (len(items) - index) * RECEIVED_TEXT_INTERVAL.total_seconds() / 60
        minutes_ago = item.child("minutes_ago").number(default_minutes)
        if item.child("id").value is _REQUIRED:
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
