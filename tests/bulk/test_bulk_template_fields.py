"""What a template needs from each row, read from Notify's template."""

from __future__ import annotations

import pytest
from bulk_support import template_response

from notifications_python_client.bulk import BatchFileError, BatchTemplate
from notifications_python_client.bulk.template_fields import name_key


def test_placeholders_come_from_the_templates_personalisation() -> None:
    template = BatchTemplate.from_response(
        template_response("email", body="Dear ((name)), ref ((Case Ref))", subject="((name))")
    )

    assert template.type == "email"
    assert template.placeholders == ("name", "Case Ref")
    assert template.version == 3
    assert template.optional == frozenset()


def test_names_used_only_as_conditionals_are_optional() -> None:
    body = "Hi ((name)).((urgent??Please reply today.)) ((name)) ((both)) ((both??extra))"

    template = BatchTemplate.from_response(template_response(body=body))

    assert template.optional == frozenset({"urgent"})


def test_letters_cost_two_rate_limit_tokens_and_others_one() -> None:
    letter = BatchTemplate.from_response(template_response("letter", body="Dear ((name))"))
    sms = BatchTemplate.from_response(template_response())

    assert (letter.send_cost_requests, sms.send_cost_requests) == (2, 1)


@pytest.mark.parametrize("answer", [{"type": "broadcast", "id": "x"}, {"type": "sms"}, {}])
def test_what_cannot_be_sent_from_a_file_is_refused(answer: dict[str, str]) -> None:
    with pytest.raises(BatchFileError, match="only text message, email and letter templates"):
        BatchTemplate.from_response(answer)


@pytest.mark.parametrize(
    ("name", "key"),
    [("Phone Number", "phonenumber"), ("phone_number", "phonenumber"),
     ("PHONE-NUMBER", "phonenumber"), ("\ufeffname ", "name")],
)  # fmt: skip
def test_names_are_compared_as_notify_compares_them(name: str, key: str) -> None:
    assert name_key(name) == key
