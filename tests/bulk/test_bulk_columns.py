"""Which column holds the recipient, each placeholder and the reference."""

from __future__ import annotations

import pytest
from bulk_support import sms_template, template_response

from notifications_python_client.bulk import BatchFileError, BatchTemplate
from notifications_python_client.bulk.columns import map_columns


def test_columns_match_whatever_their_case_spaces_and_underscores() -> None:
    columns = map_columns(["Reference", "NAME", "phone_number"], sms_template())

    assert columns.recipient == {"phone_number": 2}
    assert columns.placeholders == {"name": 1}
    assert columns.reference == 0
    assert columns.width == 3


def test_extra_columns_are_allowed_and_the_reference_is_optional() -> None:
    columns = map_columns(["phone number", "name", "notes", ""], sms_template())

    assert columns.reference is None
    assert columns.placeholders == {"name": 1}


def test_a_column_named_twice_is_refused() -> None:
    with pytest.raises(BatchFileError, match="more than once: Phone_Number"):
        map_columns(["phone number", "name", "Phone_Number"], sms_template())


def test_a_placeholder_without_a_column_is_named() -> None:
    template = sms_template("((name)) and ((date))")

    with pytest.raises(BatchFileError, match=r"no column for these .*: \(\(date\)\)"):
        map_columns(["phone number", "name"], template)


def test_no_recipient_column_says_the_first_row_must_name_the_columns() -> None:
    with pytest.raises(BatchFileError, match=r"no 'phone number' column.*first row must name"):
        map_columns(["07700900123", "Amala"], sms_template())


def test_a_file_for_another_type_of_template_says_so() -> None:
    with pytest.raises(BatchFileError, match="it has 'email address', a column for email"):
        map_columns(["email address", "name"], sms_template())


def test_an_email_template_needs_the_email_address_column() -> None:
    template = BatchTemplate.from_response(template_response("email", body="Hi ((name))"))

    with pytest.raises(BatchFileError, match="it has 'phone number', a column for text message"):
        map_columns(["phone number", "name"], template)


def test_letters_read_the_address_lines_and_postcode_as_the_last_line() -> None:
    template = BatchTemplate.from_response(
        template_response("letter", body="Dear ((address_line_1)), ((name))")
    )

    columns = map_columns(["address line 1", "Address_Line_2", "postcode", "name"], template)

    assert columns.recipient == {"address_line_1": 0, "address_line_2": 1, "postcode": 2}
    assert columns.placeholders == {"name": 3}


def test_a_letter_file_without_address_line_1_is_refused() -> None:
    template = BatchTemplate.from_response(template_response("letter", body="Dear ((name))"))

    with pytest.raises(BatchFileError, match="no 'address line 1' column"):
        map_columns(["address line 2", "postcode", "name"], template)
