"""Templates through the real client: one, a version, the list, the legacy versions route."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    ARCHIVED_SMS_TEMPLATE_ID,
    EMAIL_TEMPLATE_ID,
    FILE_EMAIL_TEMPLATE_ID,
    LETTER_TEMPLATE_ID,
    NO_RESULT,
    NOT_FOUND_BODY,
    SERVICE_ID,
    SHOW_EMAIL_TEMPLATE_ID,
    SMS_TEMPLATE_BODY,
    SMS_TEMPLATE_ID,
    TEAM_EMAIL,
    TIMESTAMP,
    TRIAL_SMS_TEMPLATE_ID,
    UNKNOWN_ID,
    ClientFactory,
    bearer,
    derived_id,
    expect_error,
    expect_schema_errors,
    raw,
    service,
    with_default_services,
)

from notifications_python_client.errors import (
    AuthError,
    NotFoundError,
)
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

TEMPLATE_KEYS = {
    "id", "name", "type", "created_at", "updated_at", "created_by", "version", "body", "subject",
    "personalisation", "postage", "letter_contact_block",
}  # fmt: skip
REQUIRED = {"required": True}
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
def library(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    return clients("test", LIBRARY["id"])


def test_latest_version_has_the_documented_shape(test_key_client: NotificationsAPIClient) -> None:
    template = test_key_client.get_template(SMS_TEMPLATE_ID)

    assert set(template) == TEMPLATE_KEYS
    assert TIMESTAMP.fullmatch(template["created_at"] or "")
    assert TIMESTAMP.fullmatch(template["updated_at"] or "")
    assert {key: template[key] for key in TEMPLATE_KEYS - {"created_at", "updated_at"}} == {
        "id": SMS_TEMPLATE_ID,
        "name": "Pigeon registration reminder",
        "type": "sms",
        "created_by": TEAM_EMAIL,
        "version": 2,
        "body": SMS_TEMPLATE_BODY,
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


def test_each_version_keeps_its_own_name(test_key_client: NotificationsAPIClient) -> None:
    first = test_key_client.get_template_version(SMS_TEMPLATE_ID, 1)
    latest = test_key_client.get_template(SMS_TEMPLATE_ID)

    assert (first["name"], latest["name"]) == (
        "Registration reminder",
        "Pigeon registration reminder",
    )


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
    expect_schema_errors(
        lambda: call(test_key_client),
        "id is not a valid UUID",
    )


def test_list_has_latest_live_templates_by_name_then_type(
    test_key_client: NotificationsAPIClient, library: NotificationsAPIClient
) -> None:
    names = [t["name"] for t in test_key_client.get_all_templates()["templates"]]
    listed = [(t["name"], t["type"]) for t in library.get_all_templates()["templates"]]

    assert names == [
        "Pigeon keeping licence",
        "Pigeon licence documents",
        "Pigeon registration confirmation",
        "Pigeon registration reminder",
        "Pigeon show entry",
        "Plain email",
        "Sign-in code",
    ]
    assert listed == [("A", "sms"), ("B", "email"), ("B", "sms"), ("C", "letter"), ("M", "email")]
    reminder, sign_in = test_key_client.get_all_templates("sms")["templates"]
    assert reminder == test_key_client.get_template(SMS_TEMPLATE_ID)
    assert sign_in["name"] == "Sign-in code"


def test_list_filters_by_type_and_reads_the_first_type_only(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    emails = test_key_client.get_all_templates("email")["templates"]
    response = raw(sim, "GET", "/v2/templates?type=letter&type=push", authorization=bearer(sim))

    assert [t["id"] for t in emails] == [
        FILE_EMAIL_TEMPLATE_ID,
        EMAIL_TEMPLATE_ID,
        SHOW_EMAIL_TEMPLATE_ID,
        sim.env()["PLAIN_EMAIL_TEMPLATE_ID"],
    ]
    assert [t["id"] for t in response.json()["templates"]] == [LETTER_TEMPLATE_ID]


def test_service_without_templates_lists_none(sim: NotifySimulator, clients: ClientFactory) -> None:
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
    expect_schema_errors(
        lambda: test_key_client.get("/v2/templates", params=params),
        message,
    )


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
