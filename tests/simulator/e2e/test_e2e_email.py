"""POST /v2/notifications/email through the real client: the 201 shape, files, every error row."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    EMAIL_TEMPLATE_ID,
    GUEST_EMAIL,
    OTHER_REPLY_TO_ID,
    OUTSIDER_EMAIL,
    SERVICE_ID,
    SHOW_EMAIL_TEMPLATE_ID,
    SMS_TEMPLATE_ID,
    TEAM_EMAIL,
    TEAM_KEY_RECIPIENT,
    TRIAL_EMAIL_TEMPLATE_ID,
    TRIAL_RECIPIENT,
    TRIAL_REPLY_TO_ID,
    TRIAL_SERVICE_ID,
    TRIAL_TEAM_EMAIL,
    UNKNOWN_ID,
    derived_id,
    expect_error,
    service,
    with_default_services,
)

from notifications_python_client.errors import BadRequestError, ServerError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.utils import prepare_upload

EMAIL_BODY = (
    "Dear ((name)),\n\nThank you for registering your pigeons with us.\n\nPigeon Affairs Bureau"
)
SEND = "/v2/notifications/email"
SUPPORTED = (
    "Supported types are: '.csv', '.doc', '.docx', '.jpeg', '.jpg', '.json', '.odt', '.pdf', "
    "'.png', '.rtf', '.txt', '.xlsx'"
)
DOWNLOAD_LINK = re.compile(
    r"https://documents\.service\.gov\.uk/d/[A-Za-z0-9_-]{22}/[A-Za-z0-9_-]{22}"
    r"\?key=[A-Za-z0-9_-]{43}"
)
# The anti-virus test file, split so that scanners leave this test alone.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

CAFE = service(
    "Café & Co. Ltd",
    templates=[
        {
            "id": derived_id("cafe", "email"),
            "name": "E",
            "type": "email",
            "subject": "Hi",
            "body": "Hi ((name))",
        },
        {
            "id": derived_id("cafe", "empty"),
            "name": "X",
            "type": "email",
            "subject": "S",
            "body": "",
        },
        {
            "id": derived_id("cafe", "blank"),
            "name": "Y",
            "type": "email",
            "subject": "S",
            "body": "((x))",
        },
    ],
    email_reply_to=[
        {"id": derived_id("cafe", "reply"), "email_address": "a@example.gov.uk", "default": True},
        {"id": derived_id("cafe", "old"), "email_address": "b@example.gov.uk", "archived": True},
    ],
)
NO_EMAIL = service("No emails", permissions=["sms", "letter"])
NO_FILES = service("No file contacts", file_download_contact_details=False)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(CAFE, NO_EMAIL, NO_FILES)


def _bad(*messages: str) -> tuple[tuple[str, str], ...]:
    return tuple(("ValidationError", message) for message in messages)


def _upload(content: bytes, **options: Any) -> dict[str, Any]:
    return dict(prepare_upload(io.BytesIO(content), **options))


def _send_file(notify: NotificationsAPIClient, file_object: Mapping[str, Any]) -> Any:
    return notify.send_email_notification(OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": file_object})


# Success


def test_send_has_the_contract_shape(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "Amala"}, reference="ref"
    )

    notification_id = response["id"]
    assert response == {
        "id": notification_id,
        "reference": "ref",
        "content": {
            "from_email": "pigeon.affairs.bureau@notifications.service.gov.uk",
            "subject": "Pigeon registration for Amala",
            "body": EMAIL_BODY.replace("((name))", "Amala"),
            "one_click_unsubscribe_url": None,
        },
        "uri": f"{sim.url}/v2/notifications/{notification_id}",
        "template": {
            "id": EMAIL_TEMPLATE_ID,
            "version": 1,
            "uri": f"{sim.url}/services/{SERVICE_ID}/templates/{EMAIL_TEMPLATE_ID}",
        },
        "scheduled_for": None,
        "sanitised_content": {},
    }
    assert [n.id for n in sim.notifications] == [notification_id]


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


def test_unsubscribe_url_and_reply_to_are_accepted(test_key_client: NotificationsAPIClient) -> None:
    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL,
        EMAIL_TEMPLATE_ID,
        {"name": "A"},
        email_reply_to_id=OTHER_REPLY_TO_ID,
        one_click_unsubscribe_url="https://example.gov.uk/unsubscribe?u=1",
    )

    assert (
        response["content"]["one_click_unsubscribe_url"] == "https://example.gov.uk/unsubscribe?u=1"
    )


@pytest.mark.parametrize("url", ["https:foo", "httpsx://a"])
def test_odd_unsubscribe_strings_that_pass_the_check(
    test_key_client: NotificationsAPIClient, url: str
) -> None:
    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "A"}, one_click_unsubscribe_url=url
    )

    assert response["content"]["one_click_unsubscribe_url"] == url


def test_sanitise_content_for_strips_links_and_escapes_markdown(
    test_key_client: NotificationsAPIClient,
) -> None:
    evil = "Amala, please [click this evil link](https://evil.link)"

    response = test_key_client.send_email_notification(
        OUTSIDER_EMAIL,
        EMAIL_TEMPLATE_ID,
        {"name": evil, "other": "Marie.Curie"},
        sanitise_content_for=["name", "other"],  # type: ignore[arg-type]
    )

    sanitised = "Amala, please \\[click this evil link\\]\\(\\)"
    assert response["sanitised_content"] == {
        "name": {"sanitised": sanitised, "unsanitised": evil},
        "other": {"sanitised": "Marie\\. Curie", "unsanitised": "Marie.Curie"},
    }
    assert response["content"]["body"].startswith(f"Dear {sanitised},")


def test_from_email_is_built_from_the_service_name(sim: NotifySimulator, clients: Any) -> None:
    cafe = clients("test", CAFE["id"])

    response = cafe.send_email_notification(
        OUTSIDER_EMAIL, derived_id("cafe", "email"), {"name": "A"}
    )

    assert response["content"]["from_email"] == "cafe.co.ltd@notifications.service.gov.uk"


@pytest.mark.parametrize("recipient", [TEAM_EMAIL, " Pigeon.Keeper@Example.GOV.uk ", GUEST_EMAIL])
def test_team_key_reaches_team_and_guest_list_whatever_the_case(
    team_client: NotificationsAPIClient, recipient: str
) -> None:
    assert team_client.send_email_notification(recipient, EMAIL_TEMPLATE_ID, {"name": "A"})["id"]


def test_file_becomes_a_download_link(test_key_client: NotificationsAPIClient) -> None:
    upload = _upload(b"a,b\n1,2\n", filename="birds.csv", retention_period="4 weeks")

    body = _send_file(test_key_client, upload)["content"]["body"]

    link = body.removeprefix("Dear ").split(",\n")[0]
    assert DOWNLOAD_LINK.fullmatch(link), body


def test_smoke_test_address_validates_files_but_stores_nothing(
    sim: NotifySimulator, live_client: NotificationsAPIClient
) -> None:
    response = live_client.send_email_notification(
        "Simulate-Delivered@notifications.service.gov.uk",
        EMAIL_TEMPLATE_ID,
        {"name": _upload(b"hello", filename="a.txt")},
    )

    assert sim.notifications == []
    assert f"/services/{SERVICE_ID}/documents/test-document," in response["content"]["body"]


# Schema stage (9.1, 9.2)


def test_empty_body_reports_both_required_properties(
    test_key_client: NotificationsAPIClient,
) -> None:
    expect_error(
        lambda: test_key_client.post(SEND, {}),
        BadRequestError,
        400,
        *_bad("email_address is a required property", "template_id is a required property"),
    )


@pytest.mark.parametrize(
    "address",
    [
        "example",
        "a@b",
        "a@b.c",
        "a..b@c.com",
        "a b@c.com",
        '"a"@b.com',
        "with(brackets)@example.com",
        "a@-b.com",
        "",
    ],
)
def test_invalid_addresses_are_refused(
    test_key_client: NotificationsAPIClient, address: str
) -> None:
    expect_error(
        lambda: test_key_client.send_email_notification(address, EMAIL_TEMPLATE_ID, {"name": "A"}),
        BadRequestError,
        400,
        *_bad("email_address Not a valid email address"),
    )


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        ({"email_address": []}, ["email_address [] is not of type string"]),
        ({"template_id": "nope"}, ["template_id is not a valid UUID"]),
        ({"email_reply_to_id": "nope"}, ["email_reply_to_id is not a valid UUID"]),
        (
            {"sanitise_content_for": "name"},
            ["sanitise_content_for name is not of type array, null"],
        ),
        ({"personalisation": "x"}, ["personalisation x is not of type object"]),
        ({"reply_to": 1}, ["Additional properties are not allowed (reply_to was unexpected)"]),
        *[
            (
                {"one_click_unsubscribe_url": url},
                ["one_click_unsubscribe_url is not a valid https url"],
            )
            for url in (
                None,
                5,
                "http://example.com",
                "HTTPS://example.com",
                "https://a b.com",
                "https://é.com",
            )
        ],
    ],
)
def test_schema_failures_have_notify_messages(
    test_key_client: NotificationsAPIClient, fields: dict[str, Any], messages: list[str]
) -> None:
    body = {"email_address": OUTSIDER_EMAIL, "template_id": EMAIL_TEMPLATE_ID} | fields

    expect_error(lambda: test_key_client.post(SEND, body), BadRequestError, 400, *_bad(*messages))


# Permission, template, reply-to, recipient (7, 7.1, 9.3, 5.2)


def test_service_without_the_email_permission_is_refused(
    sim: NotifySimulator, clients: Any
) -> None:
    notify = clients("test", NO_EMAIL["id"])

    expect_error(
        lambda: notify.send_email_notification(OUTSIDER_EMAIL, derived_id("No emails", "email")),
        BadRequestError,
        400,
        ("BadRequestError", "Service is not allowed to send emails"),
    )


@pytest.mark.parametrize(
    ("template_id", "personalisation", "message"),
    [
        (UNKNOWN_ID, {}, "Template not found"),
        (TRIAL_EMAIL_TEMPLATE_ID, {"name": "A"}, "Template not found"),
        (SMS_TEMPLATE_ID, {"name": "A"}, "sms template is not suitable for email notification"),
        (
            SHOW_EMAIL_TEMPLATE_ID,
            {"birds": []},
            "Missing personalisation: show name, name, first_entry",
        ),
    ],
)
def test_template_stage_errors(
    test_key_client: NotificationsAPIClient,
    template_id: str,
    personalisation: dict[str, Any],
    message: str,
) -> None:
    expect_error(
        lambda: test_key_client.send_email_notification(
            OUTSIDER_EMAIL, template_id, personalisation
        ),
        BadRequestError,
        400,
        ("BadRequestError", message),
    )


@pytest.mark.parametrize("template_key", ["empty", "blank"])
def test_empty_message_is_refused(sim: NotifySimulator, clients: Any, template_key: str) -> None:
    cafe = clients("test", CAFE["id"])

    expect_error(
        lambda: cafe.send_email_notification(
            OUTSIDER_EMAIL, derived_id("cafe", template_key), {"x": ""}
        ),
        BadRequestError,
        400,
        ("BadRequestError", "Your message is empty."),
    )


@pytest.mark.parametrize("reply_to_id", [UNKNOWN_ID, TRIAL_REPLY_TO_ID])
def test_unknown_or_foreign_reply_to_is_refused(
    test_key_client: NotificationsAPIClient, reply_to_id: str
) -> None:
    expect_error(
        lambda: test_key_client.send_email_notification(
            OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "A"}, email_reply_to_id=reply_to_id
        ),
        BadRequestError,
        400,
        (
            "BadRequestError",
            f"email_reply_to_id {reply_to_id} does not exist in database "
            f"for service id {SERVICE_ID}",
        ),
    )


def test_archived_reply_to_is_refused(sim: NotifySimulator, clients: Any) -> None:
    cafe = clients("test", CAFE["id"])
    archived = derived_id("cafe", "old")

    expect_error(
        lambda: cafe.send_email_notification(
            OUTSIDER_EMAIL, derived_id("cafe", "email"), {"name": "A"}, email_reply_to_id=archived
        ),
        BadRequestError,
        400,
        (
            "BadRequestError",
            f"email_reply_to_id {archived} does not exist in database for service id {CAFE['id']}",
        ),
    )


def test_team_key_refuses_other_recipients(team_client: NotificationsAPIClient) -> None:
    expect_error(
        lambda: team_client.send_email_notification(
            OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "A"}
        ),
        BadRequestError,
        400,
        ("BadRequestError", TEAM_KEY_RECIPIENT),
    )


def test_trial_mode_refuses_other_recipients_but_not_the_team(
    sim: NotifySimulator, clients: Any
) -> None:
    trial = clients("normal", TRIAL_SERVICE_ID)

    assert trial.send_email_notification(TRIAL_TEAM_EMAIL, TRIAL_EMAIL_TEMPLATE_ID, {"name": "A"})
    expect_error(
        lambda: trial.send_email_notification(
            OUTSIDER_EMAIL, TRIAL_EMAIL_TEMPLATE_ID, {"name": "A"}
        ),
        BadRequestError,
        400,
        ("BadRequestError", TRIAL_RECIPIENT),
    )


# Files (9.5)


@pytest.mark.parametrize(
    ("file_object", "messages"),
    [
        ({"file": 5}, ["file 5 is not of type string"]),
        (
            {"file": "YQ==", "filename": "noextension"},
            ["filename `filename` must end with a file extension. For example, filename.csv"],
        ),
        (
            {"file": "YQ==", "confirm_email_before_download": "yes"},
            [
                "confirm_email_before_download Unsupported value for "
                "confirm_email_before_download: yes. Use a boolean true or false value."
            ],
        ),
        (
            {"file": "YQ==", "retention_period": "79 weeks"},
            [
                "retention_period Unsupported value for retention_period: 79 weeks. "
                "Supported periods are from 1 to 78 weeks."
            ],
        ),
        (
            {"file": "YQ==", "retention_period": "it's long"},
            [
                "retention_period Unsupported value for retention_period: its long. "
                "Supported periods are from 1 to 78 weeks."
            ],
        ),
        (
            {"file": "YQ==", "is_csv": "no"},
            ["is_csv Unsupported value for is_csv: no. Use a boolean true or false value."],
        ),
        (
            {"file": "YQ==", "is_csv": None, "filename": None},
            ["Do not set a value for `is_csv` if `filename` is set."],
        ),
        (
            {"file": "YQ==", "colour": "red"},
            ["Additional properties are not allowed (colour was unexpected)"],
        ),
    ],
)
def test_file_object_errors(
    test_key_client: NotificationsAPIClient, file_object: dict[str, Any], messages: list[str]
) -> None:
    expect_error(
        lambda: _send_file(test_key_client, file_object), BadRequestError, 400, *_bad(*messages)
    )


def test_files_need_the_services_contact_details(sim: NotifySimulator, clients: Any) -> None:
    notify = clients("test", NO_FILES["id"])
    service_id = NO_FILES["id"]

    expect_error(
        lambda: notify.send_email_notification(
            OUTSIDER_EMAIL,
            derived_id("No file contacts", "email"),
            {"name": _upload(b"hi", filename="a.txt")},
        ),
        BadRequestError,
        400,
        (
            "BadRequestError",
            "Send files by email has not been set up - add contact details for your service at "
            f"https://www.notifications.service.gov.uk/services/{service_id}/service-settings/"
            "send-files-by-email",
        ),
    )


def _zip_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("a.txt", "hello")
    return output.getvalue()


@pytest.mark.parametrize(
    ("file_object", "message"),
    [
        ({"file": "a", "filename": "a.txt"}, "Document is not base64 encoded"),
        ({"file": "", "filename": "a.txt"}, "Document must not be empty"),
        (
            {
                "file": base64.b64encode(b"a" * (2 * 1024 * 1024 + 1025)).decode(),
                "filename": "a.txt",
            },
            "Uploaded file exceeds file size limit",
        ),
        (
            {"file": "YQ==", "filename": "a" * 97 + ".txt"},
            "`filename` cannot be longer than 100 characters",
        ),
        ({"file": "YQ==", "filename": "a.exe"}, f"Unsupported file type '.exe'. {SUPPORTED}"),
        (
            {"file": base64.b64encode(_zip_bytes()).decode()},
            f"Unsupported file type 'application/zip'. {SUPPORTED}",
        ),
        (
            {"file": base64.b64encode(EICAR).decode(), "filename": "a.txt"},
            "File did not pass the virus scan",
        ),
    ],
)
def test_upload_refusals(
    test_key_client: NotificationsAPIClient, file_object: dict[str, Any], message: str
) -> None:
    expect_error(
        lambda: _send_file(test_key_client, file_object),
        BadRequestError,
        400,
        ("BadRequestError", message),
    )


def test_recipient_is_checked_before_files(team_client: NotificationsAPIClient) -> None:
    expect_error(
        lambda: _send_file(team_client, {"file": 5}),
        BadRequestError,
        400,
        ("BadRequestError", TEAM_KEY_RECIPIENT),
    )


def test_email_over_two_million_bytes_is_too_long(test_key_client: NotificationsAPIClient) -> None:
    # The value goes in the body only: subjects with huge values are slow (see the report).
    name = "é" * 1_000_000
    personalisation = {"name": name, "show name": "Show", "birds": [], "first_entry": "no"}
    body = (
        f"Dear {name},\n\nYou have entered these birds:\n\n\n\n^ Keep this email as proof of entry."
    )
    size = len(body.encode("utf-8"))

    expect_error(
        lambda: test_key_client.send_email_notification(
            OUTSIDER_EMAIL, SHOW_EMAIL_TEMPLATE_ID, personalisation
        ),
        BadRequestError,
        400,
        (
            "BadRequestError",
            "Your message is too long. Emails cannot be longer than 2000000 bytes. "
            f"Your message is {size} bytes.",
        ),
    )


# Rendering and accepted variants (9.2, 9.5, 12.5)


def test_subject_gets_typography_and_the_body_does_not(
    test_key_client: NotificationsAPIClient,
) -> None:
    value = "\"Bob\" - it's x@y.com's"

    content = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": value}
    )["content"]

    assert content["subject"] == "Pigeon registration for “Bob” – it’s x@y.com's"
    assert content["body"] == EMAIL_BODY.replace("((name))", value)


@pytest.mark.parametrize(
    "address",
    [
        "\u200b someone@example.com \u00a0",
        "a@münchen.de",
        "a@b.xn--p1ai",
        "first.o'last+tag@sub.example-site.co.uk",
        "simulate-delivered@notifications.service.gov.uk".upper(),
    ],
)
def test_valid_addresses_are_accepted(
    test_key_client: NotificationsAPIClient, address: str
) -> None:
    assert test_key_client.send_email_notification(address, EMAIL_TEMPLATE_ID, {"name": "A"})["id"]


@pytest.mark.parametrize(
    "address",
    ["a@" + "b" * 64 + ".com", "a@b.c0m", "a@b_c.com", "a@b.com.", ("a" * 310) + "@example.com"],
)
def test_more_invalid_addresses(test_key_client: NotificationsAPIClient, address: str) -> None:
    expect_error(
        lambda: test_key_client.send_email_notification(address, EMAIL_TEMPLATE_ID, {"name": "A"}),
        BadRequestError,
        400,
        *_bad("email_address Not a valid email address"),
    )


@pytest.mark.parametrize(
    "file_object",
    [
        _upload(b"hello", filename="a.txt", confirm_email_before_download=False),
        _upload(b"hello", filename="a.txt", retention_period="1 week"),
        _upload(b"hello", filename="a.TXT", retention_period=" 78 Weeks "),
        {"file": base64.b64encode(b"a,b\n1,2\n").decode(), "is_csv": True},
        {"file": base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()},
    ],
)
def test_accepted_file_options(
    test_key_client: NotificationsAPIClient, file_object: dict[str, Any]
) -> None:
    body = _send_file(test_key_client, file_object)["content"]["body"]

    assert DOWNLOAD_LINK.search(body), body


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
        sanitise_content_for=["N A-M_E"],  # type: ignore[arg-type]
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
            sanitise_content_for=["name"],  # type: ignore[arg-type]
        )

    [entry] = caught.value.message
    assert (caught.value.status_code, entry["message"]) == (500, "Internal server error")
    assert entry["error"].isidentifier()
