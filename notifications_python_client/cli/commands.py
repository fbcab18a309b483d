"""The `notify` commands: one ``on_<command>`` handler each, mapping parsed arguments to a call.

Handlers read and check their input first and build the client last, so a typing mistake is
reported before the API key is even looked for. Each returns the process exit status.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import requests.adapters

from notifications_python_client.cli.batch import on_send_batch
from notifications_python_client.cli.input import (
    InputError,
    open_input_file,
    personalisation,
    positive_number,
    read_api_key,
    whole_number,
)
from notifications_python_client.cli.output import (
    NOTIFICATION_COLUMNS,
    RECEIVED_TEXT_COLUMNS,
    Output,
)
from notifications_python_client.cli.trigger import on_trigger
from notifications_python_client.errors import ApiKeyFormatWarning, InvalidApiKeyError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.paging import iterate_pages
from notifications_python_client.retry import RetryPolicy

EXIT_OK = 0
DEFAULT_POOL_CONNECTIONS = requests.adapters.DEFAULT_POOLSIZE
EXIT_WAIT_LIMIT = 4
# Statuses after which Notify will not change a notification (letters as GET responses show
# them: `received` is a delivered letter). `sent` is final for international text messages whose
# country sends no receipts, and Notify stamps `completed_at` on it.
FINAL_STATUSES = frozenset(
    {
        "delivered",
        "sent",
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "failed",
        "received",
        "returned-letter",
        "cancelled",
        "validation-failed",
        "virus-scan-failed",
    }
)


@dataclass
class Context:
    """What a handler needs: parsed arguments, where to print, and how to reach Notify."""

    args: Mapping[str, Any]
    output: Output
    environ: Mapping[str, str]
    base_url: str
    sleep: Callable[[float], None]
    monotonic: Callable[[], float]

    def client(self, *, retries: bool = False, connections: int = 0) -> NotificationsAPIClient:
        """A client for the configured key and URL; the key is registered for scrubbing first.

        :param retries: retry with the default ``RetryPolicy`` (never sending twice).
        :param connections: keep this many connections open, for threads sharing the client.
        """
        key = read_api_key(self.args["--api-key-file"], self.environ)
        self.output.add_secret(key)
        timeout_seconds = positive_number("--timeout", self.args["--timeout"])
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ApiKeyFormatWarning)
                client = NotificationsAPIClient(
                    key,
                    base_url=self.base_url,
                    timeout=timeout_seconds,
                    request_session=_session_for(connections),
                    retry=RetryPolicy() if retries else None,
                )
        except InvalidApiKeyError as error:
            raise InputError(str(error)) from None
        except (AssertionError, ValueError):
            raise InputError(
                "the API key is malformed: expected key_name-service_id-secret as Notify shows it"
            ) from None
        # The client warns about a key that does not look right; Notify will say if it is wrong.
        for warning in caught:
            self.output.error(f"warning: {warning.message}")
        return client

    def values(self, *, attachments: bool = False) -> dict[str, Any]:
        """Personalisation from ``--personalisation``, ``--set`` and (for email) ``--attach``."""
        return personalisation(
            self.args["--personalisation"],
            self.args["--set"],
            self.args["--attach"] if attachments else (),
        )


def _session_for(connections: int) -> requests.Session | None:
    """A session whose pool keeps ``connections`` open, when that is more than requests' 10."""
    if connections <= DEFAULT_POOL_CONNECTIONS:
        return None
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=connections)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def on_send_sms(ctx: Context) -> int:
    """Send a text message."""
    values = ctx.values()
    response = ctx.client().send_sms_notification(
        ctx.args["<phone_number>"],
        ctx.args["<template_id>"],
        personalisation=values or None,
        reference=ctx.args["--reference"],
        sms_sender_id=ctx.args["--sms-sender-id"],
    )
    ctx.output.result(response)
    return EXIT_OK


def on_send_email(ctx: Context) -> int:
    """Send an email, with any files attached to placeholders."""
    values = ctx.values(attachments=True)
    response = ctx.client().send_email_notification(
        ctx.args["<email_address>"],
        ctx.args["<template_id>"],
        personalisation=values or None,
        reference=ctx.args["--reference"],
        email_reply_to_id=ctx.args["--email-reply-to-id"],
        one_click_unsubscribe_url=ctx.args["--unsubscribe-url"],
        sanitise_content_for=ctx.args["--sanitise"] or None,
    )
    ctx.output.result(response)
    return EXIT_OK


def on_send_letter(ctx: Context) -> int:
    """Send a letter from a template; the address lines are personalisation."""
    values = ctx.values()
    response = ctx.client().send_letter_notification(
        ctx.args["<template_id>"], values, reference=ctx.args["--reference"]
    )
    ctx.output.result(response)
    return EXIT_OK


def on_send_precompiled_letter(ctx: Context) -> int:
    """Send a letter from a PDF file."""
    with open_input_file("<pdf_file>", ctx.args["<pdf_file>"]) as pdf_file:
        response = ctx.client().send_precompiled_letter_notification(
            ctx.args["<reference>"], pdf_file, postage=ctx.args["--postage"]
        )
    ctx.output.result(response)
    return EXIT_OK


def on_status(ctx: Context) -> int:
    """Show one notification, or with ``--wait`` poll until its status is final."""
    notification_id = ctx.args["<notification_id>"]
    if not ctx.args["--wait"]:
        ctx.output.result(ctx.client().get_notification_by_id(notification_id))
        return EXIT_OK
    limit_seconds = positive_number("--wait-limit", ctx.args["--wait-limit"])
    interval_seconds = positive_number("--poll-every", ctx.args["--poll-every"])
    client = ctx.client()
    start = ctx.monotonic()
    while True:
        notification = client.get_notification_by_id(notification_id)
        elapsed_seconds = ctx.monotonic() - start
        status = notification.get("status")
        if status in FINAL_STATUSES:
            ctx.output.end_progress(f"status {status} after {elapsed_seconds:.0f}s")
            ctx.output.result(notification)
            return EXIT_OK
        remaining_seconds = limit_seconds - elapsed_seconds
        if remaining_seconds <= 0:
            ctx.output.result(notification)
            ctx.output.error(f"gave up waiting after {limit_seconds:g}s: status is still {status}")
            return EXIT_WAIT_LIMIT
        pause_seconds = min(interval_seconds, remaining_seconds)
        ctx.output.progress(
            f"status {status} after {elapsed_seconds:.0f}s; checking again in {pause_seconds:g}s"
        )
        ctx.sleep(pause_seconds)


def on_list(ctx: Context) -> int:
    """One page of notifications, or with ``--all`` every page, streamed."""
    filters: dict[str, Any] = {
        "status": ctx.args["--status"],
        "template_type": ctx.args["--type"],
        "reference": ctx.args["--reference"],
        "older_than": ctx.args["--older-than"],
    }
    client = ctx.client()
    if not ctx.args["--all"]:
        include_jobs = True if ctx.args["--include-jobs"] else None
        ctx.output.result(client.get_all_notifications(**filters, include_jobs=include_jobs))
        return EXIT_OK
    if ctx.args["--include-jobs"]:
        items = _pages_with_jobs(client, filters)
    else:
        items = client.get_all_notifications_iterator(**filters)
    ctx.output.stream(items, NOTIFICATION_COLUMNS, "notifications")
    return EXIT_OK


def _pages_with_jobs(client: NotificationsAPIClient, filters: dict[str, Any]) -> Iterator[Any]:
    """Every notification including batch jobs, which the client's iterator does not offer."""

    def fetch_page(older_than: str | None) -> Any:
        return client.get_all_notifications(
            **{**filters, "older_than": older_than}, include_jobs=True
        )

    return iterate_pages(fetch_page, "notifications", filters["older_than"])


def on_pdf(ctx: Context) -> int:
    """Save a letter's PDF to a file (``-o -`` writes it to stdout)."""
    notification_id = ctx.args["<notification_id>"]
    destination = ctx.args["-o"]
    data = ctx.client().get_pdf_for_letter(notification_id).read()
    if destination == "-":
        ctx.output.write_bytes(data)
        return EXIT_OK
    try:
        Path(destination).write_bytes(data)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"-o: cannot write {destination}: {reason}") from None
    ctx.output.result({"id": notification_id, "file": destination, "size_bytes": len(data)})
    return EXIT_OK


def on_template(ctx: Context) -> int:
    """One template, at its latest version or at ``--version``."""
    template_id = ctx.args["<template_id>"]
    version_text = ctx.args["--version"]
    if version_text is None:
        ctx.output.result(ctx.client().get_template(template_id))
        return EXIT_OK
    version = whole_number("--version", version_text)
    ctx.output.result(ctx.client().get_template_version(template_id, version))
    return EXIT_OK


def on_templates(ctx: Context) -> int:
    """Every template of the service, optionally of one type."""
    ctx.output.result(ctx.client().get_all_templates(template_type=ctx.args["--type"]))
    return EXIT_OK


def on_preview(ctx: Context) -> int:
    """Render a template with personalisation, without sending anything."""
    values = ctx.values()
    ctx.output.result(ctx.client().post_template_preview(ctx.args["<template_id>"], values))
    return EXIT_OK


def on_received_texts(ctx: Context) -> int:
    """One page of received text messages, or with ``--all`` every page, streamed."""
    client = ctx.client()
    older_than = ctx.args["--older-than"]
    if ctx.args["--all"]:
        items = client.get_received_texts_iterator(older_than=older_than)
        ctx.output.stream(items, RECEIVED_TEXT_COLUMNS, "received texts")
    else:
        ctx.output.result(client.get_received_texts(older_than=older_than))
    return EXIT_OK


# The docopt command words that select each handler, most specific first.
COMMANDS: tuple[tuple[tuple[str, ...], Callable[[Context], int]], ...] = (
    (("send", "sms"), on_send_sms),
    (("send", "email"), on_send_email),
    (("send", "letter"), on_send_letter),
    (("send", "precompiled-letter"), on_send_precompiled_letter),
    (("send-batch",), on_send_batch),
    (("status",), on_status),
    (("list",), on_list),
    (("pdf",), on_pdf),
    (("templates",), on_templates),
    (("template",), on_template),
    (("preview",), on_preview),
    (("received-texts",), on_received_texts),
    (("trigger",), on_trigger),
)


def handler_for(args: Mapping[str, Any]) -> Callable[[Context], int]:
    """The handler whose command words were all given."""
    for words, handler in COMMANDS:
        if all(args.get(word) for word in words):
            return handler
    raise LookupError("docopt matched a command with no handler")
