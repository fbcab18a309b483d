"""POST /v2/template/{id}/preview through the real client.

Behaviour: Previewing a template; Email preview HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    EMAIL_TEMPLATE_ID,
    LETTER_TEMPLATE_ID,
    NO_RESULT,
    SHOW_EMAIL_TEMPLATE_ID,
    SMS_TEMPLATE_BODY,
    SMS_TEMPLATE_ID,
    UNKNOWN_ID,
    ClientFactory,
    bearer,
    derived_id,
    expect_bad_request,
    expect_error,
    raw,
    service,
    v2_entries,
    with_default_services,
)

from notifications_python_client.errors import (
    BadRequestError,
    NotFoundError,
    ServerError,
)
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

PARAGRAPH = '<p style="Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;">'
PREVIEWS = service(
    "Previews",
    templates=[
        {"id": derived_id("preview", "plain"), "name": "P", "type": "sms", "body": "Plain"},
        {
            "id": derived_id("preview", "one-paragraph"),
            "name": "O",
            "type": "email",
            "subject": "S",
            "body": "Some content",
        },
        {
            "id": derived_id("preview", "markdown"),
            "name": "M",
            "type": "email",
            "subject": "S",
            "body": "((body))",
        },
        {
            "id": derived_id("preview", "letter"),
            "name": "L",
            "type": "letter",
            "subject": "About ((Topic))",
            "body": "((Detail)) ((detail)) ((urgent??Reply now))",
            "letter_contact_block": "((office))\nLondon",
        },
    ],
)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(PREVIEWS)


@pytest.fixture
def previews(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    return clients("test", PREVIEWS["id"])


def test_email_preview_has_body_subject_and_html(test_key_client: NotificationsAPIClient) -> None:
    preview = test_key_client.post_template_preview(EMAIL_TEMPLATE_ID, {"name": "Amala"})

    assert set(preview) == {"id", "type", "version", "body", "html", "subject", "postage"}
    assert {key: preview[key] for key in ("id", "type", "version", "subject", "postage")} == {
        "id": EMAIL_TEMPLATE_ID,
        "type": "email",
        "version": 1,
        "subject": "Pigeon registration for Amala",
        "postage": None,
    }
    assert preview["body"] == (
        "Dear Amala,\n\nThank you for registering your pigeons with us.\n\nPigeon Affairs Bureau"
    )
    assert f"{PARAGRAPH}Dear Amala,</p>" in (preview["html"] or "")
    assert f"{PARAGRAPH}Pigeon Affairs Bureau</p>" in (preview["html"] or "")


def test_one_paragraph_email_renders_to_one_paragraph(previews: NotificationsAPIClient) -> None:
    preview = previews.post_template_preview(derived_id("preview", "one-paragraph"), {})

    assert preview["html"] == f"{PARAGRAPH}Some content</p>"


def test_sms_and_letter_previews(test_key_client: NotificationsAPIClient) -> None:
    sms = test_key_client.post_template_preview(SMS_TEMPLATE_ID, {"name": "Amala", "extra": 1})
    letter = test_key_client.post_template_preview(LETTER_TEMPLATE_ID, {"address_line_1": "Amala"})

    assert sms == {
        "id": SMS_TEMPLATE_ID,
        "type": "sms",
        "version": 2,
        "body": SMS_TEMPLATE_BODY.replace("((name))", "Amala"),
        "html": None,
        "subject": None,
        "postage": None,
    }
    assert (letter["type"], letter["subject"], letter["postage"], letter["html"]) == (
        "letter",
        "Your pigeon keeping licence",
        "second",
        None,
    )
    assert letter["body"].startswith("Dear Amala,")


def test_preview_ignores_unknown_keys(test_key_client: NotificationsAPIClient) -> None:
    preview = test_key_client.post(
        f"/v2/template/{SMS_TEMPLATE_ID}/preview", {"personalisation": {"name": "A"}, "foo": 1}
    )

    assert preview["body"].startswith("Hello A,")


def test_preview_with_an_empty_body_has_no_personalisation(sim: NotifySimulator) -> None:
    plain = raw(
        sim,
        "POST",
        f"/v2/template/{derived_id('preview', 'plain')}/preview",
        authorization=bearer(sim, "test", PREVIEWS["id"]),
    )
    needs_name = raw(
        sim, "POST", f"/v2/template/{SMS_TEMPLATE_ID}/preview", authorization=bearer(sim)
    )

    assert (plain.status_code, plain.json()["body"]) == (200, "Plain")
    assert (needs_name.status_code, v2_entries(needs_name)) == (
        400,
        [("BadRequestError", "Missing personalisation: name")],
    )


@pytest.mark.parametrize(
    ("template_id", "personalisation", "entry"),
    [
        (SMS_TEMPLATE_ID, {}, ("BadRequestError", "Missing personalisation: name")),
        (
            SHOW_EMAIL_TEMPLATE_ID,
            {"name": "A"},
            ("BadRequestError", "Missing personalisation: show name, birds, first_entry"),
        ),
        (SMS_TEMPLATE_ID, None, ("ValidationError", "personalisation None is not of type object")),
    ],
)
def test_preview_errors(
    test_key_client: NotificationsAPIClient,
    template_id: str,
    personalisation: dict[str, Any] | None,
    entry: tuple[str, str],
) -> None:
    expect_error(
        lambda: test_key_client.post_template_preview(template_id, personalisation),  # type: ignore[arg-type]
        BadRequestError,
        400,
        entry,
    )


def test_preview_of_unknown_template_is_not_found(test_key_client: NotificationsAPIClient) -> None:
    expect_error(
        lambda: test_key_client.post_template_preview(UNKNOWN_ID, {}), NotFoundError, 404, NO_RESULT
    )


def test_preview_with_invalid_json_is_refused(sim: NotifySimulator) -> None:
    response = raw(
        sim,
        "POST",
        f"/v2/template/{SMS_TEMPLATE_ID}/preview",
        authorization=bearer(sim),
        data=b"{nope",
    )

    assert (response.status_code, v2_entries(response)) == (
        400,
        [("BadRequestError", "Invalid JSON supplied in POST data")],
    )


@pytest.mark.parametrize("body", [[1, 2], "abc"])
def test_preview_with_an_array_or_string_body_fails_with_500(
    test_key_client: NotificationsAPIClient, body: object
) -> None:
    with pytest.raises(ServerError) as caught:
        test_key_client.post(f"/v2/template/{SMS_TEMPLATE_ID}/preview", body)

    assert caught.value.status_code == 500
    [entry] = caught.value.message
    assert set(entry) == {"error", "message"}
    assert entry["message"] == "Internal server error"
    assert entry["error"].isidentifier()


def test_letter_preview_needs_no_address_lines(test_key_client: NotificationsAPIClient) -> None:
    preview = test_key_client.post_template_preview(LETTER_TEMPLATE_ID, {})

    assert (preview["type"], preview["subject"], preview["postage"]) == (
        "letter",
        "Your pigeon keeping licence",
        "second",
    )


def test_letter_preview_lists_missing_names_in_letter_order(
    previews: NotificationsAPIClient,
) -> None:
    expect_bad_request(
        lambda: previews.post_template_preview(derived_id("preview", "letter"), {"detail": "D"}),
        "Missing personalisation: office, Topic, urgent",
    )


@pytest.mark.parametrize(
    ("markdown", "fragments"),
    [
        (
            "# Title",
            [
                '<h2 style="Margin: 0 0 15px 0; padding: 10px 0 0 0; font-size: 27px; '
                'line-height: 35px; font-weight: bold; color: #0B0C0C;">Title</h2>'
            ],
        ),
        (
            "---",
            ['<hr style="border: 0; height: 1px; background: #B1B4B6; Margin: 30px 0 30px 0;">'],
        ),
        (
            "* one\n* two",
            [
                '<table role="presentation" style="padding: 0 0 20px 0;">',
                '<ul style="Margin: 0 0 0 20px; padding: 0; list-style-type: disc;">',
                '<li style="Margin: 5px 0 5px; padding: 0 0 0 5px; font-size: 19px;'
                'line-height: 25px; color: #0B0C0C;">one</li>',
            ],
        ),
        (
            "see https://example.com/x",
            ['<a style="word-wrap: break-word; color: #1D70B8;" href="https://example.com/x">'],
        ),
        ("Visit GOV.UK", [f"{PARAGRAPH}Visit GOV.\u200bUK</p>"]),
        ("line one\nline two", [f"{PARAGRAPH}line one<br>line two</p>"]),
        ("a - b 'q' \"d\"", [f"{PARAGRAPH}a – b ‘q’ “d”</p>"]),
        ("^ inset", ["<blockquote", "inset</p></blockquote>"]),
    ],
)
def test_email_preview_html_elements(
    previews: NotificationsAPIClient, markdown: str, fragments: list[str]
) -> None:
    html = previews.post_template_preview(derived_id("preview", "markdown"), {"body": markdown})[
        "html"
    ]

    for fragment in fragments:
        assert fragment in (html or ""), html
    assert "GOV.UK</a>" not in (html or "")


def test_personalisation_is_html_escaped_in_the_preview_html(
    previews: NotificationsAPIClient,
) -> None:
    preview = previews.post_template_preview(
        derived_id("preview", "markdown"), {"body": "<b>&</b>"}
    )

    assert preview["html"] == f"{PARAGRAPH}&lt;b&gt;&amp;&lt;/b&gt;</p>"
    assert preview["body"] == "<b>&</b>"
