"""POST /v2/notifications/letter through the real client: templated (10) and precompiled (11)."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    LETTER_TEMPLATE_ID,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    TRIAL_LETTER_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    UK_ADDRESS,
    UNKNOWN_ID,
    blank_pdf,
    derived_id,
    expect_error,
    service,
    with_default_services,
)

from notifications_python_client.errors import AuthError, BadRequestError, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

SEND = "/v2/notifications/letter"
LETTER_BODY = (
    "Dear ((address_line_1)),\n\nYour pigeon keeping licence is enclosed. Please keep it "
    "somewhere safe.\n\nYours faithfully,\n\nThe Pigeon Affairs Bureau"
)
BAD_START_MESSAGE = (
    "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
)
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

WORLDWIDE = service(
    "Worldwide",
    permissions=["email", "sms", "letter", "international_letters"],
    templates=[
        {
            "id": derived_id("world", "letter"),
            "name": "L",
            "type": "letter",
            "subject": "((topic))",
            "body": "Dear ((address_line_1)), ((detail))",
            "letter_contact_block": "((office))\nLondon",
            "postage": "first",
        },
        {
            "id": derived_id("world", "qr"),
            "name": "Q",
            "type": "letter",
            "subject": "S",
            "body": "QR: ((link))",
        },
        {
            "id": derived_id("world", "economy"),
            "name": "Economy",
            "type": "letter",
            "subject": "S",
            "body": "B",
            "postage": "economy",
        },
        {
            "id": derived_id("world", "empty"),
            "name": "E",
            "type": "letter",
            "subject": "S",
            "body": "((x))",
        },
    ],
)
NO_LETTERS = service("No letters", permissions=["email", "sms"])


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(WORLDWIDE, NO_LETTERS)


@pytest.fixture
def worldwide(sim: NotifySimulator, clients: Any) -> NotificationsAPIClient:
    return clients("test", WORLDWIDE["id"])


def _bad(*messages: str) -> tuple[tuple[str, str], ...]:
    return tuple(("ValidationError", message) for message in messages)


def _pdf_file(content: bytes | None = None) -> io.BytesIO:
    return io.BytesIO(blank_pdf() if content is None else content)


# Templated letters: success


def test_templated_letter_has_the_contract_shape(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    response = test_key_client.send_letter_notification(
        LETTER_TEMPLATE_ID, UK_ADDRESS, reference="r1"
    )

    notification_id = response["id"]
    assert response == {
        "id": notification_id,
        "reference": "r1",
        "content": {
            "subject": "Your pigeon keeping licence",
            "body": LETTER_BODY.replace("((address_line_1))", "A Pigeon"),
        },
        "uri": f"{sim.url}/v2/notifications/{notification_id}",
        "template": {
            "id": LETTER_TEMPLATE_ID,
            "version": 1,
            "uri": f"{sim.url}/services/{SERVICE_ID}/templates/{LETTER_TEMPLATE_ID}",
        },
        "scheduled_for": None,
    }


def test_live_key_sends_letters_on_a_live_service(live_client: NotificationsAPIClient) -> None:
    response = live_client.send_letter_notification(LETTER_TEMPLATE_ID, UK_ADDRESS)

    assert live_client.get_notification_by_id(response["id"])["status"] in ("accepted", "received")


def test_test_key_sends_letters_in_trial_mode(sim: NotifySimulator, clients: Any) -> None:
    trial = clients("test", TRIAL_SERVICE_ID)

    assert trial.send_letter_notification(TRIAL_LETTER_TEMPLATE_ID, UK_ADDRESS)["id"]


@pytest.mark.parametrize(
    "address",
    [
        {
            "address_line_1": "A",
            "address_line_2": "1 Street",
            "address_line_3": "SW1A 1AA,",
            "postcode": "United Kingdom",
        },
        {"address_line_1": "A", "address_line_2": "1 Street", "address_line_7": "sw1a1aa"},
        {"address_line_1": "A\n1 Street", "postcode": "BA5 5AB"},
        {"address_line_1": "A", "address_line_2": "BFPO 1234", "address_line_3": "BF1 4AA"},
    ],
)
def test_accepted_uk_addresses(
    test_key_client: NotificationsAPIClient, address: dict[str, str]
) -> None:
    assert test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)["id"]


@pytest.mark.parametrize(
    ("country", "postage"),
    [("Deutschland", "europe"), ("USA", "rest-of-world"), ("France", "europe")],
)
def test_international_letters_get_zone_postage(
    worldwide: NotificationsAPIClient, country: str, postage: str
) -> None:
    address = {"address_line_1": "A", "address_line_2": "1 Rue", "address_line_3": country}
    personalisation = {**address, "topic": "T", "detail": "D", "office": "O"}

    sent = worldwide.send_letter_notification(derived_id("world", "letter"), personalisation)

    assert worldwide.get_notification_by_id(sent["id"])["postage"] == postage


def test_qr_code_of_504_bytes_fits(worldwide: NotificationsAPIClient) -> None:
    assert worldwide.send_letter_notification(
        derived_id("world", "qr"), {**UK_ADDRESS, "link": "x" * 504}
    )["id"]


# Templated letters: errors


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        ({}, ["template_id is a required property", "personalisation is a required property"]),
        ({"template_id": LETTER_TEMPLATE_ID}, ["personalisation is a required property"]),
        ({"template_id": "x", "personalisation": UK_ADDRESS}, ["template_id is not a valid UUID"]),
        (
            {"template_id": LETTER_TEMPLATE_ID, "personalisation": "x"},
            ["personalisation x is not of type object"],
        ),
        (
            {"template_id": LETTER_TEMPLATE_ID, "personalisation": UK_ADDRESS, "postage": "first"},
            ["Additional properties are not allowed (postage was unexpected)"],
        ),
        (
            {"template_id": LETTER_TEMPLATE_ID, "personalisation": UK_ADDRESS, "reference": 1},
            ["reference 1 is not of type string"],
        ),
    ],
)
def test_templated_schema_failures(
    test_key_client: NotificationsAPIClient, body: dict[str, Any], messages: list[str]
) -> None:
    expect_error(lambda: test_key_client.post(SEND, body), BadRequestError, 400, *_bad(*messages))


def test_service_without_the_letter_permission_is_refused(
    sim: NotifySimulator, clients: Any
) -> None:
    notify = clients("test", NO_LETTERS["id"])

    expect_error(
        lambda: notify.send_letter_notification(derived_id("No letters", "letter"), UK_ADDRESS),
        BadRequestError,
        400,
        ("BadRequestError", "Service is not allowed to send letters"),
    )


@pytest.mark.parametrize(
    ("template_id", "message"),
    [
        (UNKNOWN_ID, "Template not found"),
        (TRIAL_LETTER_TEMPLATE_ID, "Template not found"),
        (SMS_TEMPLATE_ID, "sms template is not suitable for letter notification"),
    ],
)
def test_template_lookup_errors(
    test_key_client: NotificationsAPIClient, template_id: str, message: str
) -> None:
    expect_error(
        lambda: test_key_client.send_letter_notification(template_id, UK_ADDRESS),
        BadRequestError,
        400,
        ("BadRequestError", message),
    )


def test_missing_personalisation_lists_contact_block_then_subject_then_body(
    worldwide: NotificationsAPIClient,
) -> None:
    expect_error(
        lambda: worldwide.send_letter_notification(derived_id("world", "letter"), UK_ADDRESS),
        BadRequestError,
        400,
        ("BadRequestError", "Missing personalisation: office, topic, detail"),
    )


def test_file_in_a_letter_and_empty_letter_are_refused(worldwide: NotificationsAPIClient) -> None:
    expect_error(
        lambda: worldwide.send_letter_notification(
            derived_id("world", "qr"), {**UK_ADDRESS, "link": {"file": "YQ=="}}
        ),
        BadRequestError,
        400,
        ("BadRequestError", "Can only send a file by email"),
    )
    expect_error(
        lambda: worldwide.send_letter_notification(
            derived_id("world", "empty"), {**UK_ADDRESS, "x": ""}
        ),
        BadRequestError,
        400,
        ("BadRequestError", "Your message is empty."),
    )


def test_qr_code_over_504_bytes_names_data_and_sizes(worldwide: NotificationsAPIClient) -> None:
    link = "https://example.gov.uk/" + "é" * 241

    with pytest.raises(BadRequestError) as caught:
        worldwide.send_letter_notification(derived_id("world", "qr"), {**UK_ADDRESS, "link": link})

    assert caught.value.message == [
        {
            "error": "ValidationError",
            "message": "Cannot create a usable QR code - the link is too long",
            "data": link,
            "num_bytes": 505,
            "max_bytes": 504,
        }
    ]


def test_team_key_is_refused_before_the_address_is_read(
    team_client: NotificationsAPIClient,
) -> None:
    expect_error(
        lambda: team_client.send_letter_notification(LETTER_TEMPLATE_ID, {"address_line_1": "A"}),
        AuthError,
        403,
        ("BadRequestError", "Cannot send letters with a team api key"),
    )


@pytest.mark.parametrize(
    ("key_type", "message"),
    [
        ("normal", "Cannot send letters when service is in trial mode"),
        ("team", "Cannot send letters with a team api key"),
    ],
)
def test_trial_mode_refuses_live_and_team_keys(
    sim: NotifySimulator, clients: Any, key_type: str, message: str
) -> None:
    trial = clients(key_type, TRIAL_SERVICE_ID)

    expect_error(
        lambda: trial.send_letter_notification(TRIAL_LETTER_TEMPLATE_ID, UK_ADDRESS),
        AuthError,
        403,
        ("BadRequestError", message),
    )


def test_template_stage_comes_before_the_team_key_check(
    team_client: NotificationsAPIClient,
) -> None:
    expect_error(
        lambda: team_client.send_letter_notification(UNKNOWN_ID, UK_ADDRESS),
        BadRequestError,
        400,
        ("BadRequestError", "Template not found"),
    )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ({"address_line_1": ""}, "Address must be at least 3 lines"),
        ({"address_line_1": "A", "postcode": "SW1A 1AA"}, "Address must be at least 3 lines"),
        (
            {
                "address_line_1": "A Person",
                "address_line_2": "1 Street",
                "address_line_3": "Jersey",
            },
            "Address must be at least 3 lines",
        ),
        (
            {"address line 1": "A", "address line 2": "B", "postcode": "SW1A 1AA"},
            "Address must be at least 3 lines",
        ),
        (
            {
                **{f"address_line_{n}": f"Line {n}" for n in range(1, 7)},
                "postcode": "SW1A 1AA\nExtra",
            },
            "Address must be no more than 7 lines",
        ),
        (
            {"address_line_1": "...", "address_line_2": "1 Street", "postcode": "SW1A 1AA"},
            "The first 2 lines of the address must both include at least one alphanumeric "
            "character",
        ),
        (
            {"address_line_1": "A", "address_line_2": "1 Street", "postcode": "N1"},
            "Must be a real UK postcode",
        ),
        (
            {"address_line_1": "A", "address_line_2": "1 Rue", "postcode": "France"},
            "Must be a real UK postcode",
        ),
        (
            {
                "address_line_1": "A",
                "address_line_2": "1 Street",
                "address_line_3": "@home",
                "postcode": "SW1A 1AA",
            },
            BAD_START_MESSAGE,
        ),
        (
            {"address_line_1": "A", "address_line_2": "NFA", "postcode": "SW1A 1AA"},
            "Must be a real address",
        ),
        (
            {
                "address_line_1": "A",
                "address_line_2": "No Fixed Abode here",
                "postcode": "SW1A 1AA",
            },
            "Must be a real address",
        ),
    ],
)
def test_address_rules(
    test_key_client: NotificationsAPIClient, address: dict[str, str], message: str
) -> None:
    expect_error(
        lambda: test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address),
        BadRequestError,
        400,
        ("ValidationError", message),
    )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (
            {"address_line_1": "A", "address_line_2": "1 Street", "postcode": "Atlantis"},
            "Last line of address must be a real UK postcode or another country",
        ),
        (
            {"address_line_1": "A", "address_line_2": "BFPO 1234", "address_line_3": "France"},
            "The last line of a BFPO address must not be a country.",
        ),
    ],
)
def test_address_rules_with_international_letters(
    worldwide: NotificationsAPIClient, address: dict[str, str], message: str
) -> None:
    personalisation = {**address, "topic": "T", "detail": "D", "office": "O"}

    expect_error(
        lambda: worldwide.send_letter_notification(derived_id("world", "letter"), personalisation),
        BadRequestError,
        400,
        ("ValidationError", message),
    )


# Precompiled letters (11)


@pytest.mark.parametrize(
    ("postage", "expected"), [(None, "second"), ("first", "first"), ("economy", "economy")]
)
def test_precompiled_letter_answers_three_keys(
    test_key_client: NotificationsAPIClient, postage: str | None, expected: str
) -> None:
    response = test_key_client.send_precompiled_letter_notification("my ref", _pdf_file(), postage)

    assert response == {"id": response["id"], "reference": "my ref", "postage": expected}


def test_precompiled_letter_as_get_shows_it(test_key_client: NotificationsAPIClient) -> None:
    sent = test_key_client.send_precompiled_letter_notification("ref", _pdf_file())

    shown = test_key_client.get_notification_by_id(sent["id"])

    assert (shown["line_1"], shown["line_2"], shown["postcode"]) == ("Provided as PDF", None, None)
    assert (shown["body"], shown["subject"], shown["type"]) == ("", "Pre-compiled PDF", "letter")


@pytest.mark.parametrize(
    ("content", "status"),
    [(b"not a pdf at all", "validation-failed"), (blank_pdf() + EICAR, "virus-scan-failed")],
)
def test_bad_files_are_accepted_then_fail(
    test_key_client: NotificationsAPIClient, content: bytes, status: str
) -> None:
    sent = test_key_client.send_precompiled_letter_notification("ref", _pdf_file(content))

    assert test_key_client.get_notification_by_id(sent["id"])["status"] == status


def test_base64_decoding_is_lenient_about_stray_characters(
    test_key_client: NotificationsAPIClient,
) -> None:
    content = base64.b64encode(blank_pdf()).decode()
    spaced = " ".join(content[i : i + 60] for i in range(0, len(content), 60))

    assert test_key_client.post(SEND, {"reference": "r", "content": spaced})["postage"] == "second"


@pytest.mark.parametrize(
    ("body", "entries"),
    [
        ({"content": "YQ=="}, _bad("reference is a required property")),
        ({"content": None, "reference": "r"}, _bad("content None is not of type string")),
        (
            {"content": "YQ==", "reference": "r", "template_id": LETTER_TEMPLATE_ID},
            _bad("Additional properties are not allowed (template_id was unexpected)"),
        ),
        *[
            (
                {"content": "YQ==", "reference": "r", "postage": postage},
                _bad("postage invalid. It must be either first, second or economy."),
            )
            for postage in ("europe", "rest-of-world", "third", "")
        ],
        (
            {"content": "YWJ", "reference": "r"},
            (("BadRequestError", "Cannot decode letter content (invalid base64 encoding)"),),
        ),
    ],
)
def test_precompiled_errors(
    test_key_client: NotificationsAPIClient,
    body: dict[str, Any],
    entries: tuple[tuple[str, str], ...],
) -> None:
    expect_error(lambda: test_key_client.post(SEND, body), BadRequestError, 400, *entries)


def test_precompiled_letter_refusals_by_key_and_service(sim: NotifySimulator, clients: Any) -> None:
    refusals: list[tuple[NotificationsAPIClient, type[HTTPError], int, str]] = [
        (
            clients("test", NO_LETTERS["id"]),
            BadRequestError,
            400,
            "Service is not allowed to send letters",
        ),
        (clients("team"), AuthError, 403, "Cannot send letters with a team api key"),
        (
            clients("team", TRIAL_SERVICE_ID),
            AuthError,
            403,
            "Cannot send letters with a team api key",
        ),
        (
            clients("normal", TRIAL_SERVICE_ID),
            AuthError,
            403,
            "Cannot send letters when service is in trial mode",
        ),
    ]
    for notify, error_class, status, message in refusals:
        expect_error(
            lambda notify=notify: notify.send_precompiled_letter_notification("r", _pdf_file()),
            error_class,
            status,
            ("BadRequestError", message),
        )


# What GET shows for letters (12.6, 14.2, 14.3)


def test_letter_subject_is_html_escaped_then_typeset(worldwide: NotificationsAPIClient) -> None:
    personalisation = {**UK_ADDRESS, "topic": 'A & B <C> "q" &amp;', "detail": "D", "office": "O"}

    sent = worldwide.send_letter_notification(derived_id("world", "letter"), personalisation)

    assert sent["content"]["subject"] == "A &amp; B &lt;C&gt; “q” &amp;"


@pytest.mark.parametrize(
    ("created", "template", "expected"),
    [
        ("2000-06-01T10:00:00", LETTER_TEMPLATE_ID, "2000-06-09T15:00:00.000000Z"),
        ("2000-12-01T10:00:00", derived_id("world", "letter"), "2000-12-05T16:00:00.000000Z"),
        ("2000-06-01T10:00:00", derived_id("world", "economy"), "2000-06-13T15:00:00.000000Z"),
        ("2000-12-01T10:00:00", derived_id("world", "economy"), "2000-12-13T16:00:00.000000Z"),
    ],
)
def test_estimated_delivery_follows_the_printing_calendar(
    sim: NotifySimulator, clients: Any, created: str, template: str, expected: str
) -> None:
    moment = dt.datetime.fromisoformat(created).replace(tzinfo=dt.timezone.utc)
    sim.advance_clock((moment - dt.datetime.now(dt.timezone.utc)).total_seconds())
    service_id = SERVICE_ID if template == LETTER_TEMPLATE_ID else WORLDWIDE["id"]
    notify = clients("test", service_id)
    personalisation = {**UK_ADDRESS, "topic": "T", "detail": "D", "office": "O"}

    sent = notify.send_letter_notification(template, personalisation)

    assert notify.get_notification_by_id(sent["id"])["estimated_delivery"] == expected


@pytest.mark.parametrize(
    ("address", "cost"),
    [(UK_ADDRESS, 1.56), ({**UK_ADDRESS, "postcode": "France"}, 1.80)],
    ids=["first-class", "europe"],
)
def test_one_sheet_letter_costs(
    worldwide: NotificationsAPIClient, address: dict[str, str], cost: float
) -> None:
    personalisation = {**address, "topic": "T", "detail": "D", "office": "O"}
    sent = worldwide.send_letter_notification(derived_id("world", "letter"), personalisation)

    shown = worldwide.get_notification_by_id(sent["id"])

    assert shown["cost_details"]["billable_sheets_of_paper"] == 1
    assert (shown["is_cost_data_ready"], shown["cost_in_pounds"]) == (True, cost)


@pytest.mark.parametrize(
    ("content", "status", "completed"),
    [(b"not a pdf", "validation-failed", True), (blank_pdf() + EICAR, "virus-scan-failed", False)],
)
def test_letters_never_sent_cost_nothing(
    test_key_client: NotificationsAPIClient, content: bytes, status: str, completed: bool
) -> None:
    sent = test_key_client.send_precompiled_letter_notification("r", _pdf_file(content), "first")

    shown = test_key_client.get_notification_by_id(sent["id"])

    assert (shown["status"], shown["completed_at"] is not None) == (status, completed)
    assert (shown["is_cost_data_ready"], shown["cost_in_pounds"], shown["cost_details"]) == (
        True,
        0.0,
        {"billable_sheets_of_paper": 0, "postage": "first"},
    )


def test_null_personalisation_is_not_an_object(test_key_client: NotificationsAPIClient) -> None:
    expect_error(
        lambda: test_key_client.post(
            SEND, {"template_id": LETTER_TEMPLATE_ID, "personalisation": None}
        ),
        BadRequestError,
        400,
        ("ValidationError", "personalisation None is not of type object"),
    )


# Address details (10.3, 10.4)


def _lines(*lines: object) -> dict[str, object]:
    return {f"address_line_{number}": line for number, line in enumerate(lines, start=1)}


@pytest.mark.parametrize(
    "uk",
    ["UK", "U.K.", "GB", "Great Britain", "England", "Wales", "Cymru", "Scotland",
     "Northern Ireland", "Isle of Man", "Channel Islands", "Alderney", "Sark", "Jersey",
     "united kingdom"],
)  # fmt: skip
def test_trailing_uk_names_are_dropped(test_key_client: NotificationsAPIClient, uk: str) -> None:
    address = _lines("A", "1 Street", "SW1A 1AA", uk)

    sent = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)

    assert test_key_client.get_notification_by_id(sent["id"])["postage"] == "second"


@pytest.mark.parametrize(
    ("country", "postage"),
    [
        ("the netherlands", "europe"),
        ("NETHER-LANDS", "europe"),
        ("Holland", "europe"),
        ("Bosnia + Herzegovina", "europe"),
        ("bosnia & herzegovina", "europe"),
        ("Canary Islands", "europe"),
        ("Republic of Ireland", "europe"),
        ("Côte d’Ivoire", "rest-of-world"),
        ("cote divoire", "rest-of-world"),
        ("Gambia", "rest-of-world"),
        ("U.S.A.", "rest-of-world"),
        ("Australia", "rest-of-world"),
    ],
)
def test_country_names_are_matched_loosely(
    worldwide: NotificationsAPIClient, country: str, postage: str
) -> None:
    personalisation = {
        **_lines("A", "1 Street", country),
        "topic": "T",
        "detail": "D",
        "office": "O",
    }

    sent = worldwide.send_letter_notification(derived_id("world", "letter"), personalisation)

    assert worldwide.get_notification_by_id(sent["id"])["postage"] == postage


def test_a_line_with_a_digit_is_never_a_country(worldwide: NotificationsAPIClient) -> None:
    personalisation = {
        **_lines("A", "1 Rue", "France 1"),
        "topic": "T",
        "detail": "D",
        "office": "O",
    }

    expect_error(
        lambda: worldwide.send_letter_notification(derived_id("world", "letter"), personalisation),
        BadRequestError,
        400,
        ("ValidationError", "Last line of address must be a real UK postcode or another country"),
    )


@pytest.mark.parametrize("start", list('@()=[]"\\/,<>~'))
def test_lines_must_not_start_with_these_characters(
    test_key_client: NotificationsAPIClient, start: str
) -> None:
    address = _lines("A", "1 Street", f"{start}Town", "SW1A 1AA")

    expect_error(
        lambda: test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address),
        BadRequestError,
        400,
        (
            "ValidationError",
            BAD_START_MESSAGE,
        ),
    )


@pytest.mark.parametrize("start", ["'", "-", "#", "."])
def test_other_first_characters_are_fine(
    test_key_client: NotificationsAPIClient, start: str
) -> None:
    address = _lines("A", "1 Street", f"{start}Town", "SW1A 1AA")

    assert test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)["id"]


def test_seven_lines_and_a_uk_line_fit_and_values_are_shown_as_text(
    test_key_client: NotificationsAPIClient,
) -> None:
    address = {
        **_lines("A", 5, "L3", "L4", "L5", "L6"),
        "address_line_7": "SW1A 1AA",
        "postcode": "UK",
    }

    sent = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)

    shown = test_key_client.get_notification_by_id(sent["id"])
    assert (shown["line_2"], shown["line_6"], shown["postcode"]) == ("5", "L6", "UK")
