"""``sanitise_content_for``: links removed, dotted names defused, Markdown escaped.

Behaviour: Sanitising content.
"""

from __future__ import annotations

from typing import Any

import pytest

from notifications_python_client.simulator.domain.errors import NotifyFailsHereToo
from notifications_python_client.simulator.rendering.sanitise import (
    escape_markdown,
    remove_links,
    sanitise_personalisation,
    sanitise_value,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Marie.Curie-Sklodowska", "Marie. Curie-Sklodowska"),
        ("see a.b.example.com now", "see a. b. example. com now"),
        (
            "Amala, please [click this evil link](https://evil.link)",
            "Amala, please [click this evil link]()",
        ),
        ("go to http://evil.link/path?q=1#x now", "go to  now"),
        ("evil.link/path.", "."),
        ("mail bob@example.com", "mail bob@example.com"),
        ("my_site.com", ""),
        ("e.g. i.e. 3.14 no", "e.g. i.e. 3.14 no"),
        ("Müller.Straße", "Müller.Straße"),
        ("x .hidden.com", "x .hidden.com"),
        ("nothing to see", "nothing to see"),
    ],
)
def test_remove_links(value: str, expected: str) -> None:
    assert remove_links(value) == expected


def test_every_markdown_character_is_escaped() -> None:
    assert escape_markdown("`*_(){}[]<>#+-.!|\\ ok, ?") == (
        "\\`\\*\\_\\(\\)\\{\\}\\[\\]\\<\\>\\#\\+\\-\\.\\!\\|\\\\ ok, ?"
    )


def test_the_documented_example() -> None:
    assert sanitise_value("Amala, please [click this evil link](https://evil.link)") == (
        "Amala, please \\[click this evil link\\]\\(\\)"
    )


def test_dotted_names_are_spaced_then_escaped() -> None:
    assert sanitise_value("Marie.Curie-Sklodowska") == "Marie\\. Curie\\-Sklodowska"


def test_only_listed_keys_change_and_changes_are_reported_by_key_as_sent() -> None:
    personalisation = {
        "First Name": "Amala",
        "comment": "visit evil.link/x",
        "other": "evil.link/x",
        "number": 5,
    }
    new, changes = sanitise_personalisation(personalisation, ["first_name", "COMMENT"])
    assert new == {
        "First Name": "Amala",
        "comment": "visit ",
        "other": "evil.link/x",
        "number": 5,
    }
    assert changes == {"comment": {"sanitised": "visit ", "unsanitised": "visit evil.link/x"}}
    assert personalisation["comment"] == "visit evil.link/x"


def test_nothing_listed_or_nothing_changed() -> None:
    assert sanitise_personalisation({"a": "x.y.com"}, []) == ({"a": "x.y.com"}, {})
    assert sanitise_personalisation({"a": "plain"}, ["a", "absent"]) == ({"a": "plain"}, {})


@pytest.mark.parametrize("value", [5, None, True, ["a"], {"file": "x"}])
def test_non_string_listed_values_raise_type_error(value: Any) -> None:
    with pytest.raises(NotifyFailsHereToo):
        sanitise_personalisation({"a": value}, ["A"])
