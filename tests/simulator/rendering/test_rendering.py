"""The rendering facade the handlers use: bodies, subjects, emptiness, names.

Behaviour: Rendering templates; Email responses; Reading a template.
"""

from __future__ import annotations

import pytest

from notifications_python_client.simulator.rendering import messages as rendering
from notifications_python_client.simulator.rendering.messages import (
    email_from_local_part,
    is_empty_message,
    missing_personalisation,
    placeholder_names,
    render_contact_block,
    render_email_body,
    render_email_html,
    render_email_subject,
    render_letter_body,
    render_letter_subject,
    render_sms_body,
    render_sms_unsanitised,
    sanitise_personalisation,
    sms_character_count,
    sms_fragment_count,
    template_personalisation_schema,
)

CONTRACT_BODY = "Dear ((first_name))\r\n\r\nPlease bring:\r\n\n\n((required_documents))"
CONTRACT_PERSONALISATION = {
    "first_name": "Amala",
    "required_documents": ["passport", "utility bill"],
}


def test_public_names() -> None:
    assert sorted(rendering.__all__) == [
        "Personalisation",
        "email_from_local_part",
        "is_empty_message",
        "missing_personalisation",
        "placeholder_names",
        "render_contact_block",
        "render_email_body",
        "render_email_html",
        "render_email_subject",
        "render_letter_body",
        "render_letter_subject",
        "render_sms_body",
        "render_sms_unsanitised",
        "sanitise_personalisation",
        "sms_character_count",
        "sms_fragment_count",
        "template_personalisation_schema",
    ]


def test_missing_names_follow_the_documented_order_for_letters() -> None:
    contact, subject, body = "((Phone))", "About ((ref))", "Dear ((name)) ((ref)) ((phone))"
    assert placeholder_names(contact, subject, body) == ["Phone", "ref", "name"]
    assert missing_personalisation([contact, subject, body], {"ref": "1"}) == ["Phone", "name"]


def test_missing_names_for_email_subject_then_body() -> None:
    assert missing_personalisation(["((date))", "((name)) ((date))"], {}) == ["date", "name"]


def test_template_personalisation_schema() -> None:
    assert template_personalisation_schema("((a)) ((b??x))", None, "((A))") == {
        "a": {"required": True},
        "b": {"required": True},
    }
    assert template_personalisation_schema("no placeholders", None) == {}


def test_sms_body_pipeline() -> None:
    body = (
        "Hi ((name)) , your code is ((code)) .\r\n\r\n\r\n\r\n"
        "  Bring  ((docs))((extra??, and ID))\t"
    )
    personalisation = {"name": "Zoë “Z”", "code": 1234, "docs": ["a", "b", "c"], "extra": "no"}
    assert (
        render_sms_body(body, personalisation)
        == 'Hi Zoë "Z", your code is 1234.\n\nBring a, b and c'
    )


def test_sms_unsanitised_keeps_characters_for_the_encoding_check() -> None:
    body = "((a)) ((b))"
    personalisation = {"a": "Shwmae 😀", "b": "ŵ"}
    unsanitised = render_sms_unsanitised(body, personalisation)
    sanitised = render_sms_body(body, personalisation)
    assert (unsanitised, sanitised) == ("Shwmae 😀 ŵ", "Shwmae ? ŵ")
    assert sms_character_count(sanitised) == 10
    assert sms_fragment_count(unsanitised, sanitised) == 1


def test_sms_prose_lists_and_python_values() -> None:
    personalisation = {"a": [" x ", None, ""], "b": True, "c": {"k": 1}}
    assert render_sms_body("((a)) ((b)) ((c))", personalisation) == "x True {'k': 1}"


def test_the_documented_email_body_example() -> None:
    assert render_email_body(CONTRACT_BODY, CONTRACT_PERSONALISATION) == (
        "Dear Amala\r\n\r\nPlease bring:\r\n\n\n\n\n* passport\n* utility bill"
    )


def test_email_body_is_not_escaped_or_typeset_only_trimmed() -> None:
    body = '  \r\n<b>((a))</b> "q" - it\'s\r\n  '
    assert render_email_body(body, {"a": "&"}) == '<b>&</b> "q" - it\'s'


def test_the_documented_email_subject_example() -> None:
    assert render_email_subject('Dear "Bob" - it\'s ((a))', {"a": "x@y.com's"}) == (
        "Dear “Bob” – it’s x@y.com's"
    )


def test_email_subject_lists_are_prose_and_whitespace_collapses() -> None:
    subject = "Bring\r\n((docs)) , ((name))"
    personalisation = {"docs": ["a", "b"], "name": "<Bob>"}
    assert render_email_subject(subject, personalisation) == "Bring a and b, <Bob>"


def test_letter_body_is_rendered_like_an_email_body() -> None:
    assert render_letter_body(CONTRACT_BODY, CONTRACT_PERSONALISATION) == render_email_body(
        CONTRACT_BODY, CONTRACT_PERSONALISATION
    )


def test_the_documented_letter_subject_example() -> None:
    assert render_letter_subject('A & B <C> "q"', {}) == "A &amp; B &lt;C&gt; “q”"


def test_letter_subject_escapes_values_once() -> None:
    personalisation = {"a": "R&amp;D <x>", "b": ["1 & 2", "3"]}
    assert render_letter_subject("((a)) ((b)) &amp;", personalisation) == (
        "R&amp;D &lt;x&gt; 1 &amp; 2 and 3 &amp;"
    )


def test_contact_block() -> None:
    assert render_contact_block(None, {}) is None
    block = "  Pigeon Affairs  \r\n((team))\r\nCall ((phone))\n"
    personalisation = {"team": ["A", "B"], "phone": "0300 123"}
    assert render_contact_block(block, personalisation) == "Pigeon Affairs\nA and B\nCall 0300 123"


def test_email_html_is_re_exported() -> None:
    assert render_email_html("Some content", {}) == (
        '<p style="Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;">'
        "Some content</p>"
    )


def test_sanitise_is_re_exported() -> None:
    assert sanitise_personalisation({"a": "x.com"}, ["a"]) == (
        {"a": "x\\. com"},
        {"a": {"sanitised": "x\\. com", "unsanitised": "x.com"}},
    )


@pytest.mark.parametrize(
    ("template_type", "template_body", "rendered_body", "empty"),
    [
        ("sms", "((a))", "", True),
        ("sms", "Hi", "Hi", False),
        ("sms", "Hi ((a))", "", True),
        ("email", "", "", True),
        ("letter", "", "", True),
        ("email", "((a))", "", True),
        ("letter", "((a)) ((b))", "", True),
        ("email", "((a))", "x", False),
        ("email", "Hi ((a))", "", False),
        ("email", "((a)) ", "", False),
        ("letter", " ", "", False),
    ],
)
def test_is_empty_message(
    template_type: str, template_body: str, rendered_body: str, empty: bool
) -> None:
    assert is_empty_message(template_type, template_body, rendered_body) is empty


def test_empty_email_from_whitespace_value() -> None:
    rendered = render_email_body("((a))", {"a": " \r\n "})
    assert is_empty_message("email", "((a))", rendered)


@pytest.mark.parametrize(
    ("name", "local_part"),
    [
        ("Pigeon Affairs Bureau", "pigeon.affairs.bureau"),
        ("Café & Co. Ltd", "cafe.co.ltd"),
        ("  Ministry\tof   Ëxamples!  ", "ministry.of.examples"),
        ("...Dots...", "dots"),
        ("Łódź Office", "odz.office"),
        ("GOV.UK Notify", "gov.uk.notify"),
    ],
)
def test_email_from_local_part(name: str, local_part: str) -> None:
    assert email_from_local_part(name) == local_part
