"""Validation messages for POST bodies, word for word and in Notify's order.

Behaviour: Schema messages; Text message request; Email request; Letter request; Precompiled
letters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from notifications_python_client.recipients.phone import PhoneNumberError
from notifications_python_client.simulator.checks import schema_formats
from notifications_python_client.simulator.checks.schema import (
    RequestKind,
    is_precompiled_letter,
    request_errors,
)
from notifications_python_client.simulator.domain.errors import NotifyFailsHereToo

NOW = dt.datetime(2024, 5, 17, 12, 0, tzinfo=dt.timezone.utc)
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
OTHER_ID = "3d1ce039-5476-414c-99b2-fac1e6add62c"
ADDRESS = {"address_line_1": "A Person", "address_line_2": "1 Street", "postcode": "SW1A 1AA"}

MINIMAL: dict[RequestKind, dict[str, Any]] = {
    "sms": {"phone_number": "07700 900123", "template_id": TEMPLATE_ID},
    "email": {"email_address": "amala@example.com", "template_id": TEMPLATE_ID},
    "letter": {"template_id": TEMPLATE_ID, "personalisation": ADDRESS},
    "precompiled_letter": {"reference": "ref", "content": "JVBERi0xLjQK"},
    "template_preview": {},
}
REQUIRED: dict[RequestKind, list[str]] = {
    "sms": ["phone_number is a required property", "template_id is a required property"],
    "email": ["email_address is a required property", "template_id is a required property"],
    "letter": ["template_id is a required property", "personalisation is a required property"],
    "precompiled_letter": ["reference is a required property", "content is a required property"],
    "template_preview": [],
}
BODY_KINDS: list[RequestKind] = ["sms", "email", "letter", "precompiled_letter"]
SCHEDULED_FOR_TOO_LATE = "scheduled_for datetime can only be 24 hours in the future"
SCHEDULED_FOR_IN_PAST = "scheduled_for datetime can not be in the past"
SCHEDULED_FOR_INVALID = (
    "scheduled_for datetime format is invalid. It must be a valid ISO8601 date time format, "
    "https://en.wikipedia.org/wiki/ISO_8601"
)
POSTAGE_INVALID = "postage invalid. It must be either first, second or economy."


def errors(kind: RequestKind, **fields: Any) -> list[str]:
    """Messages for the minimal valid body of ``kind`` with ``fields`` added or replaced."""
    return request_errors(kind, {**MINIMAL[kind], **fields}, now=NOW)


@pytest.mark.parametrize("kind", list(MINIMAL))
def test_minimal_bodies_pass(kind: RequestKind) -> None:
    assert request_errors(kind, MINIMAL[kind], now=NOW) == []


def test_every_optional_field_passes() -> None:
    common = {"reference": "r" * 1000, "personalisation": {"name": "Amala", "n": [1, None]}}
    sms = {**common, "scheduled_for": "2024-05-18T11:00:00Z", "sms_sender_id": OTHER_ID}
    email = {
        **common,
        "scheduled_for": None,
        "email_reply_to_id": OTHER_ID,
        "one_click_unsubscribe_url": "https://example.com/unsubscribe?id=1",
        "sanitise_content_for": ["name"],
    }
    assert errors("sms", **sms) == []
    assert errors("email", **email) == []
    assert errors("letter", reference="r" * 1000) == []
    assert errors("precompiled_letter", reference="r" * 5000, postage="economy") == []


@pytest.mark.parametrize("kind", list(MINIMAL))
@pytest.mark.parametrize("empty", [None, False, 0, 0.0, "", [], {}])
def test_empty_json_values_count_as_an_empty_object(kind: RequestKind, empty: object) -> None:
    assert request_errors(kind, empty, now=NOW) == REQUIRED[kind]


@pytest.mark.parametrize("kind", BODY_KINDS)
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([1, 2], "[1, 2] is not of type object"),
        ("abc", "abc is not of type object"),
        (5, "5 is not of type object"),
        (1.5, "1.5 is not of type object"),
        (True, "True is not of type object"),
        (["it's"], '["its"] is not of type object'),
        ([{"phone_number": "07700900123"}], "[{phone_number: 07700900123}] is not of type object"),
    ],
)
def test_non_object_bodies_give_one_unprefixed_message(
    kind: RequestKind, body: object, message: str
) -> None:
    assert request_errors(kind, body, now=NOW) == [message]


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("sms", "personalisation", "not_a_dict",
         "personalisation not_a_dict is not of type object"),
        ("sms", "personalisation", None, "personalisation None is not of type object"),
        ("email", "personalisation", ["a", "b"], "personalisation [a, b] is not of type object"),
        ("letter", "personalisation", 5, "personalisation 5 is not of type object"),
        ("sms", "phone_number", 7700900001, "phone_number 7700900001 is not of type string"),
        ("sms", "phone_number", None, "phone_number None is not of type string"),
        ("email", "email_address", [], "email_address [] is not of type string"),
        ("email", "email_address", True, "email_address True is not of type string"),
        ("sms", "reference", None, "reference None is not of type string"),
        ("letter", "reference", 1.5, "reference 1.5 is not of type string"),
        ("precompiled_letter", "reference", None, "reference None is not of type string"),
        ("precompiled_letter", "content", {"k": 1}, "content {k: 1} is not of type string"),
        ("precompiled_letter", "postage", 1, "postage 1 is not of type string"),
        ("precompiled_letter", "postage", None, "postage None is not of type string"),
        ("email", "sanitise_content_for", "name",
         "sanitise_content_for name is not of type array, null"),
        ("email", "sanitise_content_for", {}, "sanitise_content_for {} is not of type array, null"),
        ("sms", "scheduled_for", 5, "scheduled_for 5 is not of type string, null"),
        ("email", "scheduled_for", [], "scheduled_for [] is not of type string, null"),
    ],
)  # fmt: skip
def test_generic_messages(kind: RequestKind, field: str, value: object, message: str) -> None:
    assert errors(kind, **{field: value}) == [message]


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("it's", '"its"'),
        ('say "hi"', 'say "hi"'),
        ("both ' and \"", 'both \\ and "'),
        ("Can’t", "Can’t"),
        ("back\\slash", "back\\\\slash"),
        ("line\nbreak", "line\\nbreak"),
        ({"k": 1, "l": [True, None]}, "{k: 1, l: [True, None]}"),
        ({"it's": "x"}, '{"its": x}'),
        (False, "False"),
        (10**20, "100000000000000000000"),
        (1e100, "1e+100"),
    ],
)
def test_values_print_the_python_way_without_apostrophes(value: object, printed: str) -> None:
    assert errors("email", sanitise_content_for=value) == [
        f"sanitise_content_for {printed} is not of type array, null"
    ]


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("sms", "template_id"),
        ("sms", "sms_sender_id"),
        ("email", "template_id"),
        ("email", "email_reply_to_id"),
        ("letter", "template_id"),
    ],
)
@pytest.mark.parametrize(
    "value", [None, 5, "", "nope", [], {}, f" {OTHER_ID}", OTHER_ID[:-1], OTHER_ID.upper() + "0"]
)
def test_uuid_fields_have_one_message_whatever_is_wrong(
    kind: RequestKind, field: str, value: object
) -> None:
    assert errors(kind, **{field: value}) == [f"{field} is not a valid UUID"]


@pytest.mark.parametrize(
    "value",
    [OTHER_ID.upper(), OTHER_ID.replace("-", ""), f"{{{OTHER_ID}}}", f"urn:uuid:{OTHER_ID}"],
)
def test_uuid_fields_accept_notifys_spellings(value: str) -> None:
    assert errors("sms", template_id=value, sms_sender_id=value) == []


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("07700 9001a3", "phone_number Must not contain letters or symbols"),
        ("07700*900123", "phone_number Must not contain letters or symbols"),
        ("07700.900123", "phone_number Must not contain letters or symbols"),
        ("", "phone_number Not enough digits"),
        ("12", "phone_number Not enough digits"),
        ("999", "phone_number Not enough digits"),
        ("+", "phone_number Not enough digits"),
        ("0770090012345", "phone_number Too many digits"),
        *(
            (number, "phone_number Number is not valid – double check the phone number you entered")
            for number in (
                "08515111111", "06123456789", "01632 960 001", "0800 123 4567", "09012345678"
            )
        ),
    ],
)  # fmt: skip
def test_phone_number_rows(number: str, message: str) -> None:
    assert errors("sms", phone_number=number) == [message]


@pytest.mark.parametrize(
    "number",
    [
        "07700900123",
        "7700900123",
        "+447700900123",
        "447700900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "0+447700900100",
        "000007700900100",
        "+07700900100",
        "0033612345678",
        "33612345678",
        "0770090012",
        "+2921234567",
    ],
)
def test_phone_numbers_accepted(number: str) -> None:
    assert errors("sms", phone_number=number) == []


def test_phone_wording_is_passed_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(raw: str) -> None:
        raise PhoneNumberError("Not a valid country prefix")

    monkeypatch.setattr(schema_formats, "parse_phone_number", refuse)
    assert errors("sms", phone_number="+9991234") == ["phone_number Not a valid country prefix"]


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
    ],
)
def test_email_addresses_refused(address: str) -> None:
    assert errors("email", email_address=address) == ["email_address Not a valid email address"]


@pytest.mark.parametrize(
    "address", ["amala@example.com", " amala@example.com\u200b ", "o'brien@example.co.uk"]
)
def test_email_addresses_accepted(address: str) -> None:
    assert errors("email", email_address=address) == []


@pytest.mark.parametrize(
    "url",
    [
        None,
        5,
        [],
        "",
        "http://example.com",
        "HTTPS://example.com",
        "https://example.com/un subscribe",
        "https://exämple.com",
        "example.com",
    ],
)
def test_unsubscribe_url_failures_share_one_message(url: object) -> None:
    assert errors("email", one_click_unsubscribe_url=url) == [
        "one_click_unsubscribe_url is not a valid https url"
    ]


@pytest.mark.parametrize("url", ["https://example.com/u?x=1", "https:foo", "httpsx://a"])
def test_unsubscribe_urls_accepted(url: str) -> None:
    assert errors("email", one_click_unsubscribe_url=url) == []


@pytest.mark.parametrize("kind", ["sms", "email"])
@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (None, []),
        ("2024-05-17T12:00:00Z", []),
        ("2024-05-18T12:00:00", []),
        ("2024-05-17T13:00:00+01:00", []),
        ("2024-05-17T11:59:59Z", [SCHEDULED_FOR_IN_PAST]),
        ("2024-05-18T12:00:01Z", [SCHEDULED_FOR_TOO_LATE]),
        ("2024-05-20", [SCHEDULED_FOR_TOO_LATE]),
        ("next tuesday", [SCHEDULED_FOR_INVALID]),
        ("", [SCHEDULED_FOR_INVALID]),
        ("17/05/2024", [SCHEDULED_FOR_INVALID]),
    ],
)
def test_scheduled_for(kind: RequestKind, when: str | None, expected: list[str]) -> None:
    assert errors(kind, scheduled_for=when) == expected


@pytest.mark.parametrize("kind", ["sms", "email", "letter"])
def test_reference_at_most_1000_characters(kind: RequestKind) -> None:
    assert errors(kind, reference="x" * 1000) == []
    assert errors(kind, reference="x" * 1001) == [f"reference {'x' * 1001} is too long"]
    assert errors(kind, reference="é" * 1000) == []


def test_long_reference_with_apostrophes_is_printed_in_double_quotes() -> None:
    reference = "it's " * 201
    printed = "its " * 201
    assert errors("sms", reference=reference) == [f'reference "{printed}" is too long']


@pytest.mark.parametrize("value", [[], None, ["name"], ["name", 5]])
def test_sanitise_content_for_takes_array_or_null(value: object) -> None:
    assert errors("email", sanitise_content_for=value) == []


def test_personalisation_values_may_be_any_json() -> None:
    personalisation = {"a": 1, "b": None, "c": [1], "d": {"file": 5}, "e": True}
    assert errors("sms", personalisation=personalisation) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"postage": "first"}, "Additional properties are not allowed (postage was unexpected)"),
        (
            {"letter_contact_id": OTHER_ID},
            "Additional properties are not allowed (letter_contact_id was unexpected)",
        ),
        (
            {"postage": "first", "letter_contact_id": OTHER_ID},
            "Additional properties are not allowed (letter_contact_id, postage were unexpected)",
        ),
    ],
)  # fmt: skip
def test_letter_takes_no_other_keys(extra: dict[str, Any], message: str) -> None:
    assert errors("letter", **extra) == [message]


def test_letter_needs_personalisation() -> None:
    body = {"template_id": TEMPLATE_ID}
    assert request_errors("letter", body, now=NOW) == ["personalisation is a required property"]


@pytest.mark.parametrize("postage", ["first", "second", "economy"])
def test_precompiled_postage_accepted(postage: str) -> None:
    assert errors("precompiled_letter", postage=postage) == []


@pytest.mark.parametrize("postage", ["europe", "rest-of-world", "First", "", " first"])
def test_precompiled_postage_refused(postage: str) -> None:
    assert errors("precompiled_letter", postage=postage) == [POSTAGE_INVALID]


def test_precompiled_letter_takes_no_other_keys() -> None:
    assert errors("precompiled_letter", template_id=TEMPLATE_ID) == [
        "Additional properties are not allowed (template_id was unexpected)"
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"content": "JVBER"}, ["reference is a required property"]),
        ({"reference": "ref"}, ["content is a required property"]),
        (
            {"content": None},
            ["content None is not of type string", "reference is a required property"],
        ),
    ],
)  # fmt: skip
def test_precompiled_letter_required(body: dict[str, Any], expected: list[str]) -> None:
    assert request_errors("precompiled_letter", body, now=NOW) == expected


@pytest.mark.parametrize(
    "keys",
    [["foo"], ["bar", "foo"], ["foo", "bar"], ["b", "B", "a", "_", "10", "9"]],
)
@pytest.mark.parametrize("kind", BODY_KINDS)
def test_unexpected_keys_are_sorted_and_joined(kind: RequestKind, keys: list[str]) -> None:
    names = ", ".join(sorted(keys))
    verb = "was" if len(keys) == 1 else "were"
    expected = [f"Additional properties are not allowed ({names} {verb} unexpected)"]
    assert errors(kind, **dict.fromkeys(keys, 1)) == expected


def test_unexpected_key_names_are_printed_the_python_way() -> None:
    assert errors("sms", **{"it's": 1, "a b": 2}) == [
        'Additional properties are not allowed (a b, "its" were unexpected)'
    ]


def test_sms_order_properties_then_required_then_unexpected() -> None:
    body = {
        "zzz": 1,
        "sms_sender_id": 5,
        "scheduled_for": "2024-05-16T12:00:00Z",
        "personalisation": ["a"],
        "phone_number": "12",
        "reference": None,
        "aaa": 2,
    }
    assert request_errors("sms", body, now=NOW) == [
        "reference None is not of type string",
        "phone_number Not enough digits",
        "personalisation [a] is not of type object",
        SCHEDULED_FOR_IN_PAST,
        "sms_sender_id is not a valid UUID",
        "template_id is a required property",
        "Additional properties are not allowed (aaa, zzz were unexpected)",
    ]


def test_email_order_properties_then_required_then_unexpected() -> None:
    body = {
        "sanitise_content_for": "name",
        "one_click_unsubscribe_url": "http://example.com",
        "email_reply_to_id": "nope",
        "scheduled_for": "soon",
        "personalisation": None,
        "template_id": None,
        "reference": "x" * 1001,
        "phone_number": "07700900123",
    }
    assert request_errors("email", body, now=NOW) == [
        f"reference {'x' * 1001} is too long",
        "template_id is not a valid UUID",
        "personalisation None is not of type object",
        SCHEDULED_FOR_INVALID,
        "email_reply_to_id is not a valid UUID",
        "one_click_unsubscribe_url is not a valid https url",
        "sanitise_content_for name is not of type array, null",
        "email_address is a required property",
        "Additional properties are not allowed (phone_number was unexpected)",
    ]


def test_letter_order() -> None:
    body = {"postage": "first", "personalisation": "x", "reference": 1}
    assert request_errors("letter", body, now=NOW) == [
        "reference 1 is not of type string",
        "personalisation x is not of type object",
        "template_id is a required property",
        "Additional properties are not allowed (postage was unexpected)",
    ]


def test_precompiled_letter_order() -> None:
    body = {"template_id": TEMPLATE_ID, "postage": "europe", "content": 1}
    assert request_errors("precompiled_letter", body, now=NOW) == [
        "content 1 is not of type string",
        POSTAGE_INVALID,
        "reference is a required property",
        "Additional properties are not allowed (template_id was unexpected)",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (None, []),
        ({}, []),
        ({"personalisation": {"name": "Amala"}}, []),
        ({"personalisation": {}, "id": "nope", "anything": [1]}, []),
        ({"personalisation": None}, ["personalisation None is not of type object"]),
        ({"personalisation": ["a", "b"], "x": 1}, ["personalisation [a, b] is not of type object"]),
    ],
)
def test_template_preview(body: object, expected: list[str]) -> None:
    assert request_errors("template_preview", body, now=NOW) == expected


@pytest.mark.parametrize("body", [[1, 2], "abc", 5, True])
def test_template_preview_fails_like_a_server_error_on_other_bodies(body: object) -> None:
    with pytest.raises(NotifyFailsHereToo):
        request_errors("template_preview", body, now=NOW)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"content": "JVBER", "reference": "r"}, True),
        ({"content": None}, True),
        ({"template_id": TEMPLATE_ID, "personalisation": ADDRESS}, False),
        ({"Content": "JVBER"}, False),
        (["content"], False),
        ("content", False),
        (None, False),
    ],
)
def test_is_precompiled_letter(body: object, expected: bool) -> None:
    assert is_precompiled_letter(body) is expected
