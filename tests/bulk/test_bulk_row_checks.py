"""One row turned into a message, or the problems that keep it from going."""

from __future__ import annotations

import pytest
from bulk_support import sms_template, template_response

from notifications_python_client.bulk import BatchTemplate, Problem
from notifications_python_client.bulk.columns import map_columns
from notifications_python_client.bulk.row_checks import Message, message_for
from notifications_python_client.bulk.spreadsheet import SheetRow


def check(header: list[str], cells: list[str], template: BatchTemplate) -> Message | list[str]:
    outcome = message_for(SheetRow(7, cells), map_columns(header, template), template)
    return outcome if isinstance(outcome, Message) else [str(p) for p in outcome]


def test_a_good_row_is_a_message_with_its_values_trimmed() -> None:
    outcome = check(["phone number", "name", "reference"], [" 07700 900123 ", " Amala ", "r1"],
                    sms_template())  # fmt: skip

    assert outcome == Message(7, {"phone_number": "07700 900123"}, {"name": "Amala"}, "r1")


def test_every_problem_of_a_row_is_reported_with_its_row_number() -> None:
    outcome = check(["phone number", "name"], ["12", ""], sms_template())

    assert outcome == ["row 7: phone number: Not enough digits", "row 7: no value for ((name))"]


@pytest.mark.parametrize(
    ("number", "problem"),
    [("", "phone number is empty"),
     ("0770090012345", "phone number: Too many digits"),
     ("07700 9OO123", "phone number: Must not contain letters or symbols")],
)  # fmt: skip
def test_phone_numbers_get_notifys_messages(number: str, problem: str) -> None:
    assert check(["phone number", "name"], [number, "A"], sms_template()) == [f"row 7: {problem}"]


def test_email_addresses_get_notifys_message() -> None:
    template = BatchTemplate.from_response(template_response("email", body="Hi"))

    assert check(["email address"], ["a@b"], template) == [
        "row 7: email address: Not a valid email address"
    ]
    assert check(["email address"], ["amala@example.com"], template) == Message(
        7, {"email_address": "amala@example.com"}, {}, None
    )


def test_a_conditional_placeholder_may_be_empty() -> None:
    template = sms_template("Hi ((name)).((urgent??Reply today.))")

    outcome = check(["phone number", "name", "urgent"], ["07700900123", "Bo", ""], template)

    assert isinstance(outcome, Message)
    assert outcome.personalisation == {"name": "Bo", "urgent": ""}


def test_cells_beyond_the_header_are_a_problem_unless_empty() -> None:
    header = ["phone number", "name"]

    assert check(header, ["07700900123", "Bo", "", " "], sms_template()) == Message(
        7, {"phone_number": "07700900123"}, {"name": "Bo"}, None
    )
    assert check(header, ["07700900123", "Bo", "stray"], sms_template()) == [
        "row 7: it has 3 cells, but the header names only 2 columns"
    ]


def test_a_short_row_has_empty_values() -> None:
    assert check(["phone number", "name"], ["07700900123"], sms_template()) == [
        "row 7: no value for ((name))"
    ]


def test_a_letters_address_goes_into_its_personalisation() -> None:
    template = BatchTemplate.from_response(
        template_response("letter", body="Dear ((address_line_1)) ((name))")
    )
    header = ["address line 1", "address line 2", "postcode", "name"]

    outcome = check(header, ["A Person", "1 Street", "SW1A 1AA", "Amala"], template)

    assert outcome == Message(
        7,
        {},
        {"name": "Amala", "address_line_1": "A Person", "address_line_2": "1 Street",
         "postcode": "SW1A 1AA"},
        None,
    )  # fmt: skip


def test_a_bad_address_gets_notifys_message() -> None:
    template = BatchTemplate.from_response(template_response("letter", body="Hello"))

    assert check(["address line 1", "address line 2"], ["A Person", "SW1A 1AA"], template) == [
        "row 7: address: Address must be at least 3 lines"
    ]


def test_problems_print_with_their_row() -> None:
    assert str(Problem(12, "no value for ((name))")) == "row 12: no value for ((name))"
