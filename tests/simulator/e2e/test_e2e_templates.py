"""Templates through the real client: one, a version, the list, preview, the legacy route."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    ARCHIVED_SMS_TEMPLATE_ID,
    EMAIL_TEMPLATE_ID,
    LETTER_TEMPLATE_ID,
    NO_RESULT,
    NOT_FOUND_BODY,
    SERVICE_ID,
    SHOW_EMAIL_TEMPLATE_ID,
    SMS_TEMPLATE_ID,
    TEAM_EMAIL,
    TRIAL_SMS_TEMPLATE_ID,
    UNKNOWN_ID,
    bearer,
    derived_id,
    expect_error,
    raw,
    service,
    v2_entries,
    with_default_services,
)

from notifications_python_client.errors import (
    AuthError,
    BadRequestError,
    NotFoundError,
    ServerError,
)
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
PARAGRAPH = '<p style="Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;">'
TEMPLATE_KEYS = {
    "id", "name", "type", "created_at", "updated_at", "created_by", "version", "body", "subject",
    "personalisation", "postage", "letter_contact_block",
}  # fmt: skip
REQUIRED = {"required": True}
SMS_BODY = (
    "Hello ((name)), your pigeon registration is due. Reply to this message if your loft has moved."
)
LIBRARY = service(
    "Library",
    templates=[
        {"id": derived_id("lib", "b-sms"), "name": "B", "type": "sms", "body": "Plain"},
        {
            "id": derived_id("lib", "b-email"),
            "name": "B",
            "type": "email",
            "subject": "S",
            "body": "Some content",
        },
        {"id": derived_id("lib", "a"), "name": "A", "type": "sms", "body": "((x))"},
        {
            "id": derived_id("lib", "markdown"),
            "name": "M",
            "type": "email",
            "subject": "S",
            "body": "((body))",
        },
        {
            "id": derived_id("lib", "c"),
            "name": "C",
            "type": "letter",
            "subject": "About ((Topic))",
            "body": "((Detail)) ((detail)) ((urgent??Reply now))",
            "letter_contact_block": "((office))\nLondon",
        },
        {
            "id": derived_id("lib", "hidden"),
            "name": "H",
            "type": "letter",
            "subject": "S",
            "body": "B",
            "hidden": True,
        },
    ],
)
EMPTY = service("Empty", templates=[])


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(LIBRARY, EMPTY)


@pytest.fixture
def library(sim: NotifySimulator, clients: Any) -> NotificationsAPIClient:
    return clients("test", LIBRARY["id"])


# GET /v2/template/{id} and /version/{version}


def test_latest_version_has_the_contract_shape(test_key_client: NotificationsAPIClient) -> None:
    template = test_key_client.get_template(SMS_TEMPLATE_ID)

    assert set(template) == TEMPLATE_KEYS
    assert TIMESTAMP.fullmatch(template["created_at"])
    assert TIMESTAMP.fullmatch(template["updated_at"])
    assert {key: template[key] for key in TEMPLATE_KEYS - {"created_at", "updated_at"}} == {
        "id": SMS_TEMPLATE_ID,
        "name": "Pigeon registration reminder",
        "type": "sms",
        "created_by": TEAM_EMAIL,
        "version": 2,
        "body": SMS_BODY,
        "subject": None,
        "personalisation": {"name": REQUIRED},
        "postage": None,
        "letter_contact_block": None,
    }


def test_older_version_and_version_zero(test_key_client: NotificationsAPIClient) -> None:
    first = test_key_client.get_template_version(SMS_TEMPLATE_ID, 1)
    zero = test_key_client.get_template_version(SMS_TEMPLATE_ID, 0)

    assert (first["version"], first["body"], first["updated_at"]) == (
        1,
        "Hello ((name)), your pigeon registration is due.",
        None,
    )
    assert zero == test_key_client.get_template(SMS_TEMPLATE_ID)


def test_email_and_letter_templates(test_key_client: NotificationsAPIClient) -> None:
    email = test_key_client.get_template(SHOW_EMAIL_TEMPLATE_ID)
    letter = test_key_client.get_template(LETTER_TEMPLATE_ID)

    assert email["subject"] == "Your entry to the ((show name))"
    assert email["personalisation"] == dict.fromkeys(
        ("show name", "name", "birds", "first_entry"), REQUIRED
    )
    assert (email["postage"], email["letter_contact_block"], email["updated_at"]) == (
        None,
        None,
        None,
    )
    assert (letter["type"], letter["subject"], letter["postage"]) == (
        "letter",
        "Your pigeon keeping licence",
        "second",
    )
    assert (
        letter["letter_contact_block"]
        == "Pigeon Affairs Bureau\n1 Loft Lane\nLondon\nSW1A 2AA\n\n020 7946 0000"
    )
    assert letter["personalisation"] == {"address_line_1": REQUIRED}


def test_archived_template_is_still_returned(test_key_client: NotificationsAPIClient) -> None:
    assert (
        test_key_client.get_template(ARCHIVED_SMS_TEMPLATE_ID)["body"]
        == "Your loft inspection is on ((date))."
    )


@pytest.mark.parametrize("template_id", [UNKNOWN_ID, TRIAL_SMS_TEMPLATE_ID])
def test_unknown_or_foreign_template_is_not_found(
    test_key_client: NotificationsAPIClient, template_id: str
) -> None:
    expect_error(lambda: test_key_client.get_template(template_id), NotFoundError, 404, NO_RESULT)


def test_hidden_template_is_not_found(library: NotificationsAPIClient) -> None:
    expect_error(
        lambda: library.get_template(derived_id("lib", "hidden")), NotFoundError, 404, NO_RESULT
    )


def test_unknown_version_and_huge_version(test_key_client: NotificationsAPIClient) -> None:
    expect_error(
        lambda: test_key_client.get_template_version(SMS_TEMPLATE_ID, 3),
        NotFoundError,
        404,
        NO_RESULT,
    )
    expect_error(
        lambda: test_key_client.get_template_version(SMS_TEMPLATE_ID, 10**12),
        NotFoundError,
        404,
        ("DataError", "No result found"),
    )


@pytest.mark.parametrize("version", ["abc", "-1", "1.0"])
def test_non_numeric_version_matches_no_route(
    test_key_client: NotificationsAPIClient, version: str
) -> None:
    with pytest.raises(NotFoundError) as caught:
        test_key_client.get_template_version(SMS_TEMPLATE_ID, version)  # type: ignore[arg-type]

    assert caught.value.status_code == 404
    assert caught.value.response is not None
    assert caught.value.response.json() == NOT_FOUND_BODY


@pytest.mark.parametrize(
    "call",
    [
        lambda notify: notify.get_template("abc"),
        lambda notify: notify.get_template_version("abc", 1),
        lambda notify: notify.post_template_preview("abc", {}),
    ],
)
def test_invalid_template_id_is_a_validation_error(
    test_key_client: NotificationsAPIClient, call: Any
) -> None:
    expect_error(
        lambda: call(test_key_client),
        BadRequestError,
        400,
        ("ValidationError", "id is not a valid UUID"),
    )


# GET /v2/templates


def test_list_has_latest_live_templates_by_name_then_type(
    test_key_client: NotificationsAPIClient, library: NotificationsAPIClient
) -> None:
    names = [t["name"] for t in test_key_client.get_all_templates()["templates"]]
    listed = [(t["name"], t["type"]) for t in library.get_all_templates()["templates"]]

    assert names == [
        "Pigeon keeping licence",
        "Pigeon registration confirmation",
        "Pigeon registration reminder",
        "Pigeon show entry",
    ]
    assert listed == [("A", "sms"), ("B", "email"), ("B", "sms"), ("C", "letter"), ("M", "email")]
    reminder = test_key_client.get_all_templates("sms")["templates"]
    assert reminder == [test_key_client.get_template(SMS_TEMPLATE_ID)]


def test_list_filters_by_type_and_reads_the_first_type_only(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    emails = test_key_client.get_all_templates("email")["templates"]
    response = raw(sim, "GET", "/v2/templates?type=letter&type=push", authorization=bearer(sim))

    assert [t["id"] for t in emails] == [EMAIL_TEMPLATE_ID, SHOW_EMAIL_TEMPLATE_ID]
    assert [t["id"] for t in response.json()["templates"]] == [LETTER_TEMPLATE_ID]


def test_service_without_templates_lists_none(sim: NotifySimulator, clients: Any) -> None:
    assert clients("test", EMPTY["id"]).get_all_templates() == {"templates": []}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "push"}, "type push is not one of [sms, email, letter]"),
        ({"type": "sms", "foo": "1"}, "Additional properties are not allowed (foo was unexpected)"),
    ],
)
def test_bad_list_parameters(
    test_key_client: NotificationsAPIClient, params: dict[str, str], message: str
) -> None:
    expect_error(
        lambda: test_key_client.get("/v2/templates", params=params),
        BadRequestError,
        400,
        ("ValidationError", message),
    )


# POST /v2/template/{id}/preview


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
    assert f"{PARAGRAPH}Dear Amala,</p>" in preview["html"]
    assert f"{PARAGRAPH}Pigeon Affairs Bureau</p>" in preview["html"]


def test_one_paragraph_email_renders_to_one_paragraph(library: NotificationsAPIClient) -> None:
    preview = library.post_template_preview(derived_id("lib", "b-email"), {})

    assert preview["html"] == f"{PARAGRAPH}Some content</p>"


def test_sms_and_letter_previews(test_key_client: NotificationsAPIClient) -> None:
    sms = test_key_client.post_template_preview(SMS_TEMPLATE_ID, {"name": "Amala", "extra": 1})
    letter = test_key_client.post_template_preview(LETTER_TEMPLATE_ID, {"address_line_1": "Amala"})

    assert sms == {
        "id": SMS_TEMPLATE_ID,
        "type": "sms",
        "version": 2,
        "body": SMS_BODY.replace("((name))", "Amala"),
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
        f"/v2/template/{derived_id('lib', 'b-sms')}/preview",
        authorization=bearer(sim, "test", LIBRARY["id"]),
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


# The legacy admin route (21)


def test_legacy_template_versions_route_refuses_service_keys(
    test_key_client: NotificationsAPIClient,
) -> None:
    with pytest.raises(AuthError) as caught:
        test_key_client.get_all_template_versions(SMS_TEMPLATE_ID)

    assert caught.value.status_code == 401
    assert caught.value.message == {"token": ["Unauthorized: not allowed to perform this action"]}


def test_legacy_template_versions_route_without_a_token(sim: NotifySimulator) -> None:
    response = raw(sim, "GET", f"/service/{SERVICE_ID}/template/{SMS_TEMPLATE_ID}/versions")

    assert response.status_code == 401
    assert response.json() == {
        "message": {"token": ["Unauthorized: authentication token must be provided"]},
        "result": "error",
    }


def test_letter_personalisation_lists_contact_block_subject_and_body_names(
    library: NotificationsAPIClient,
) -> None:
    template = library.get_template(derived_id("lib", "c"))

    assert template["personalisation"] == dict.fromkeys(
        ("office", "Topic", "Detail", "urgent"), REQUIRED
    )
    assert (template["postage"], template["letter_contact_block"]) == (
        "second",
        "((office))\nLondon",
    )


@pytest.mark.xfail(
    strict=True,
    reason="simulator: letter preview requires address_line_1 (Missing personalisation) though "
    "contract 17.3 says letter address lines are not required in preview",
)
def test_letter_preview_needs_no_address_lines(test_key_client: NotificationsAPIClient) -> None:
    preview = test_key_client.post_template_preview(LETTER_TEMPLATE_ID, {})

    assert (preview["type"], preview["subject"], preview["postage"]) == (
        "letter",
        "Your pigeon keeping licence",
        "second",
    )


def test_letter_preview_lists_missing_names_in_letter_order(
    library: NotificationsAPIClient,
) -> None:
    expect_error(
        lambda: library.post_template_preview(derived_id("lib", "c"), {"detail": "D"}),
        BadRequestError,
        400,
        ("BadRequestError", "Missing personalisation: office, Topic, urgent"),
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
    library: NotificationsAPIClient, markdown: str, fragments: list[str]
) -> None:
    html = library.post_template_preview(derived_id("lib", "markdown"), {"body": markdown})["html"]

    for fragment in fragments:
        assert fragment in html, html
    assert "GOV.UK</a>" not in html


def test_personalisation_is_html_escaped_in_the_preview_html(
    library: NotificationsAPIClient,
) -> None:
    preview = library.post_template_preview(derived_id("lib", "markdown"), {"body": "<b>&</b>"})

    assert preview["html"] == f"{PARAGRAPH}&lt;b&gt;&amp;&lt;/b&gt;</p>"
    assert preview["body"] == "<b>&</b>"
