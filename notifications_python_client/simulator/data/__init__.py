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
                  "callback_max_retries": 5}}],
     "faults": {"error_rate": 0.1, "seed": 7}}       # optional: faults on demand (domain.faults)

Everything but a service's ``id`` and ``name``, a key's three fields, a template's ``id``,
``name``, ``type`` and ``body`` (and ``subject`` for email and letter) is optional. A restricted
service's daily limits default to the trial ones (50 each, 100 international). Unknown fields
are errors, so typos do not pass silently. ``previous_versions`` are the older versions, version 1
first; the template's own fields are the latest version. A sender or reply-to list with no
default makes its first entry the default.

This package reads the file into ``domain`` records (``fields`` reads one typed value with its
path for error messages, ``sections`` one part of a service); it may import ``domain`` only.

Ids and keys are exactly as written, so the same file always gives the same ids and keys. Times
(template versions, revocations, received texts) are set back from the moment of loading by fixed
offsets. Any mistake raises ``DataFileError`` naming the field, e.g.
``services[0].templates[1].type: must be one of sms, email, letter``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from importlib import resources
from typing import Any

from notifications_python_client.simulator.data.fields import DataFileError, Field
from notifications_python_client.simulator.data.sections import (
    DEFAULT_TEMPLATE_AUTHOR,
    key_name,
    read_service,
    read_template,
)
from notifications_python_client.simulator.domain.faults import FaultSettings, FaultSettingsError
from notifications_python_client.simulator.domain.models import Service

__all__ = [
    "DEFAULT_DATA_FILE",
    "DEFAULT_TEMPLATE_AUTHOR",
    "DataFileError",
    "key_name",
    "load_data",
    "load_simulation",
    "read_template",
]

DEFAULT_DATA_FILE = "default_data.json"


def load_data(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    now: dt.datetime | None = None,
) -> list[Service]:
    """The services described by a data file, a mapping, or (``None``) the built-in data.

    :param now: the moment seeded times count back from; defaults to the current UTC time.
    :raises DataFileError: when the file cannot be read or a field is wrong.
    """
    return load_simulation(source, now=now)[0]


def load_simulation(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    now: dt.datetime | None = None,
) -> tuple[list[Service], FaultSettings]:
    """The services and the faults to inject (a ``faults`` object, optional) of a data file.

    :raises DataFileError: when the file cannot be read or a field is wrong.
    """
    loaded_at = now or dt.datetime.now(dt.timezone.utc)
    root = Field(_read(source), "").object(("services", "faults"))
    services = [
        read_service(node, loaded_at) for node in root.child("services").items(required=True)
    ]
    if not services:
        root.child("services").fail("must list at least one service")
    _check_unique(root.child("services").items(), services)
    return services, _faults(root.child("faults"))


def _faults(node: Field) -> FaultSettings:
    if node.absent:
        return FaultSettings()
    try:
        return FaultSettings.from_mapping(node.object(tuple(FaultSettings().to_mapping())).value)
    except FaultSettingsError as error:
        node.child(error.field).fail(error.problem)


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


def _check_unique(nodes: list[Field], services: list[Service]) -> None:
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
