"""POST /v2/notifications/email: what the body and subject become.

Behaviour: Sanitising content; Emails that are too long; Placeholders; Conditional placeholders;
Lists in placeholders; Email body and subject.
"""

from __future__ import annotations

import pytest
from e2e_support import (
    EMAIL_TEMPLATE_BODY,
    EMAIL_TEMPLATE_ID,
    OUTSIDER_EMAIL,
    SHOW_EMAIL_TEMPLATE_ID,
    expect_bad_request,
)

from notifications_python_client.errors import ServerError
from notifications_python_client.notifications import NotificationsAPIClient


def test_lists_conditionals_and_subject_prose(test_key_client: NotificationsAPIClient) -> None:
    personalisation = {
        "Show Name": ["Spring", "Summer", "Autumn"],
        "name": "Amala",
        "birds": ["Blue", None, " Grey "],
        "first-entry": True,
    }

    content = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, SHOW_EMAIL_TEMPLATE_ID, personalisation
    )["content"]

    assert content["subject"] == "Your entry to the Spring, Summer and Autumn"
    assert content["body"] == (
        "Dear Amala,\n\nYou have entered these birds:\n\n* Blue\n* Grey\n\n"
        "As this is your first show, please arrive 30 minutes early.\n\n"
        "^ Keep this email as proof of entry."
    )


def test_sanitise_content_for_strips_links_and_escapes_markdown(
    test_key_client: NotificationsAPIClient,
) -> None:
    evil = "Amala, please [click this evil link](https://evil.link)"

    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL,
        EMAIL_TEMPLATE_ID,
        {"name": evil, "other": "Marie.Curie"},
        sanitise_content_for=["name", "other"],
    )

    sanitised = "Amala, please \\[click this evil link\\]\\(\\)"
    assert response["sanitised_content"] == {
        "name": {"sanitised": sanitised, "unsanitised": evil},
        "other": {"sanitised": "Marie\\. Curie", "unsanitised": "Marie.Curie"},
    }
    assert response["content"]["body"].startswith(f"Dear {sanitised},")


def test_email_over_two_million_bytes_is_too_long(test_key_client: NotificationsAPIClient) -> None:
    # Only the body gets the huge value: subject typography is very slow on long values.
    name = "é" * 1_000_000
    personalisation = {"name": name, "show name": "Show", "birds": [], "first_entry": "no"}
    body = (
        f"Dear {name},\n\nYou have entered these birds:\n\n\n\n^ Keep this email as proof of entry."
    )
    size = len(body.encode("utf-8"))

    expect_bad_request(
        lambda: test_key_client.send_email_notification(
            OUTSIDER_EMAIL, SHOW_EMAIL_TEMPLATE_ID, personalisation
        ),
        "Your message is too long. Emails cannot be longer than 2000000 bytes. "
        f"Your message is {size} bytes.",
    )


def test_subject_gets_typography_and_the_body_does_not(
    test_key_client: NotificationsAPIClient,
) -> None:
    value = "\"Bob\" - it's x@y.com's"

    content = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": value}
    )["content"]

    assert content["subject"] == "Pigeon registration for “Bob” – it’s x@y.com's"
    assert content["body"] == EMAIL_TEMPLATE_BODY.replace("((name))", value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        *[(value, True) for value in ("yes", "Y", "1", "include", "SHOW", "t", 1, True)],
        *[(value, False) for value in ("no", "", 0, False, "2")],
    ],
)
def test_conditional_placeholder(
    test_key_client: NotificationsAPIClient, value: object, shown: bool
) -> None:
    personalisation = {"name": "A", "show name": "S", "birds": [], "first_entry": value}

    body = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, SHOW_EMAIL_TEMPLATE_ID, personalisation
    )["content"]["body"]

    assert ("As this is your first show" in body) is shown


def test_sanitise_keys_are_matched_like_placeholders(
    test_key_client: NotificationsAPIClient,
) -> None:
    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL,
        EMAIL_TEMPLATE_ID,
        {"Name": "x.com"},
        sanitise_content_for=["N A-M_E"],
    )

    assert response["sanitised_content"] == {
        "Name": {"sanitised": "x\\. com", "unsanitised": "x.com"}
    }


def test_sanitising_a_value_that_is_not_text_is_a_server_error(
    test_key_client: NotificationsAPIClient,
) -> None:
    with pytest.raises(ServerError) as caught:
        test_key_client.send_email_notification(
            OUTSIDER_EMAIL,
            EMAIL_TEMPLATE_ID,
            {"name": 5},
            sanitise_content_for=["name"],
        )

    [entry] = caught.value.message
    assert (caught.value.status_code, entry["message"]) == (500, "Internal server error")
    assert entry["error"].isidentifier()
