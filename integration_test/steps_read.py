"""Steps that read back: notifications, lists, templates, previews, letter PDFs, received texts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from integration_test.personalisation import unrendered, values_for
from integration_test.runner import Step, check
from integration_test.schema_check import validate_response
from integration_test.steps_send import RunState
from notifications_python_client.errors import HTTPError

TEMPLATE_TYPES = ("sms", "email", "letter")
PDF_WAIT_SECONDS = 120.0
PDF_POLL_SECONDS = 2.0
SETTLED_STATUSES = {
    "sms": {"created", "sending", "pending", "sent", "delivered"},
    "email": {"created", "sending", "delivered"},
    "letter": {"accepted", "received", "pending-virus-check", "validation-failed"},
}


def get_each_notification(state: RunState) -> None:
    for label, sent in state.sent.items():
        notification = state.clients.test.get_notification_by_id(sent["id"])
        validate_response("get_notification_response", notification)
        check(notification["id"] == sent["id"], f"{label}: wrong id returned")
        check(notification["reference"] == sent["reference"], f"{label}: reference differs")
        kind = "letter" if label.startswith("precompiled") else label.split("-")[0]
        check(notification["type"] == kind, f"{label}: type is {notification['type']!r}")
        check(
            notification["status"] in SETTLED_STATUSES[kind],
            f"{label}: unexpected status {notification['status']!r}",
        )
        if "content" in sent:
            check(notification["body"] == sent["content"]["body"], f"{label}: body differs")


def list_notifications(state: RunState) -> None:
    page = state.clients.test.get_all_notifications(reference=state.reference("sms"))
    validate_response("get_notifications_response", page)
    ids = [n["id"] for n in page["notifications"]]
    check(ids == [state.sent["sms"]["id"]], f"reference filter returned {ids}")
    by_type = state.clients.test.get_all_notifications(template_type="email")
    validate_response("get_notifications_response", by_type)
    check(all(n["type"] == "email" for n in by_type["notifications"]), "type filter leaked")
    check(
        state.sent["email"]["id"] in [n["id"] for n in by_type["notifications"]],
        "the email is not in the email list",
    )
    delivered = state.clients.test.get_all_notifications(status="delivered", template_type="sms")
    validate_response("get_notifications_response", delivered)
    check(
        all(n["status"] == "delivered" for n in delivered["notifications"]),
        "status filter leaked",
    )


def iterate_notifications(state: RunState) -> None:
    seen = 0
    ours = set()
    for notification in state.clients.test.get_all_notifications_iterator(template_type="letter"):
        validate_response("get_notification_response", notification)
        seen += 1
        ours.add(notification["id"])
    wanted = {sent["id"] for label, sent in state.sent.items() if "letter" in label}
    check(wanted <= ours, f"iterator missed letters: {sorted(wanted - ours)}")
    check(seen == len(ours), "iterator yielded a notification twice")


def get_templates(state: RunState) -> None:
    for template_type in TEMPLATE_TYPES:
        template = state.template(template_type)
        check(template["type"] == template_type, f"configured {template_type} template is not one")
        latest = state.clients.test.get_template_version(template["id"], template["version"])
        validate_response("get_template_response", latest)
        check(latest["body"] == template["body"], "latest version differs from the template")
        first = state.clients.test.get_template_version(template["id"], 1)
        validate_response("get_template_response", first)
        check(first["version"] == 1, "version 1 not returned")


def list_templates(state: RunState) -> None:
    everything = validate_response("get_templates_response", state.clients.test.get_all_templates())
    every_id = {t["id"] for t in everything["templates"]}
    for template_type in TEMPLATE_TYPES:
        wanted = state.template(template_type)["id"]
        check(wanted in every_id, f"{template_type} template missing from all templates")
        of_type = state.clients.test.get_all_templates(template_type=template_type)
        validate_response("get_templates_response", of_type)
        check(all(t["type"] == template_type for t in of_type["templates"]), "type filter leaked")
        check(wanted in {t["id"] for t in of_type["templates"]}, "template missing by type")


def preview_templates(state: RunState) -> None:
    for template_type in TEMPLATE_TYPES:
        template = state.template(template_type)
        personalisation = values_for(template, state.run_reference)
        preview = state.clients.test.post_template_preview(template["id"], personalisation)
        validate_response("post_template_preview_response", preview)
        check(preview["type"] == template_type, "preview of the wrong type")
        check(not unrendered(preview["body"]), f"{template_type} preview left a placeholder")
        check((preview["html"] is not None) == (template_type == "email"), "html only for email")


def get_letter_pdfs(state: RunState, sleep: Callable[[float], None] = time.sleep) -> None:
    for label in ("letter", "precompiled-default"):
        pdf = wait_for_pdf(state, state.sent[label]["id"], sleep)
        check(pdf.startswith(b"%PDF-"), f"{label}: the PDF does not start with %PDF-")


def wait_for_pdf(state: RunState, notification_id: str, sleep: Callable[[float], None]) -> bytes:
    """The letter's PDF, waiting while Notify answers ``PDFNotReadyError``."""
    deadline = time.monotonic() + PDF_WAIT_SECONDS
    while True:
        try:
            return state.clients.test.get_pdf_for_letter(notification_id).read()
        except HTTPError as error:
            if not is_pdf_not_ready(error) or time.monotonic() > deadline:
                raise
            sleep(PDF_POLL_SECONDS)


def is_pdf_not_ready(error: HTTPError) -> bool:
    errors = error.message if isinstance(error.message, list) else []
    return any(isinstance(e, dict) and e.get("error") == "PDFNotReadyError" for e in errors)


def received_texts(state: RunState) -> None:
    page = state.clients.inbound.get_received_texts()
    validate_response("get_received_texts_response", page)
    messages: list[dict[str, Any]] = page["received_text_messages"]
    created = [m["created_at"] for m in messages]
    check(created == sorted(created, reverse=True), "received texts not newest first")
    if messages:
        check("next" in page["links"], "a non-empty page has no next link")
        older = state.clients.inbound.get_received_texts(older_than=messages[0]["id"])
        validate_response("get_received_texts_response", older)
        check(
            [m["id"] for m in older["received_text_messages"]] == [m["id"] for m in messages[1:]],
            "older_than did not page on from the given message",
        )


def iterate_received_texts(state: RunState) -> None:
    first_page = state.clients.inbound.get_received_texts()["received_text_messages"]
    everything = list(state.clients.inbound.get_received_texts_iterator())
    for message in everything:
        validate_response("received_text", message)
    check(
        [m["id"] for m in everything[: len(first_page)]] == [m["id"] for m in first_page],
        "iterator does not start with the first page",
    )


def reading_steps(state: RunState) -> list[Step]:
    """Every read, after the sends."""
    return [
        ("get each notification by id", lambda: get_each_notification(state)),
        ("get a page of notifications, with filters", lambda: list_notifications(state)),
        ("iterate over all letters", lambda: iterate_notifications(state)),
        ("get each template, by id and by version", lambda: get_templates(state)),
        ("get all templates, and by type", lambda: list_templates(state)),
        ("preview each template", lambda: preview_templates(state)),
        ("get letter PDFs (waiting while not ready)", lambda: get_letter_pdfs(state)),
        ("get received text messages, and the next page", lambda: received_texts(state)),
        ("iterate over all received text messages", lambda: iterate_received_texts(state)),
    ]
