"""Placeholders: names, matching, missing values and single-pass substitution.

Behaviour: Placeholders; Conditional placeholders; Lists in placeholders.
"""

from __future__ import annotations

from typing import Any

import pytest

from notifications_python_client.simulator.rendering.placeholders import (
    format_list,
    list_items,
    missing_personalisation,
    normalise_key,
    placeholder_names,
    shows_conditional,
    substitute,
)


@pytest.mark.parametrize(
    "key", ["first_name", "FIRST-NAME", "firstname", "first name", "First_Name"]
)
def test_keys_match_ignoring_case_spaces_underscores_and_hyphens(key: str) -> None:
    assert normalise_key(key) == normalise_key("First Name")
    assert substitute("Hi ((First Name))", {key: "Amala"}, lists="prose") == "Hi Amala"


def test_names_in_order_of_first_appearance_with_first_spelling_kept() -> None:
    names = placeholder_names("((Date)) ((name)) ((NAME))", None, "((first_name)) ((date))")
    assert names == ["Date", "name", "first_name"]


def test_conditional_names_are_names_and_newlines_are_allowed() -> None:
    assert placeholder_names("((show??Shown)) ((multi\nline)) ((a??b??c))") == [
        "show",
        "multi\nline",
        "a",
    ]


def test_brackets_inside_a_placeholder_make_it_no_placeholder() -> None:
    assert placeholder_names("((a(b)) (()) (((c))) ((d)") == ["c"]


def test_no_placeholders() -> None:
    assert placeholder_names("plain", "", None) == []


def test_missing_means_absent_or_null_in_placeholder_order() -> None:
    texts = ["((subject_name))", "Dear ((name)), on ((date)) ((extra??bring this))"]
    personalisation = {"NAME": None, "date": "", "unused": 1}
    assert missing_personalisation(texts, personalisation) == ["subject_name", "name", "extra"]


@pytest.mark.parametrize("value", ["", False, 0, [], {}])
def test_falsy_values_are_values(value: Any) -> None:
    assert missing_personalisation(["((a))"], {"a": value}) == []


def test_later_colliding_key_wins() -> None:
    assert substitute("((a_b))", {"a-b": "first", "A B": "second"}, lists="prose") == "second"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, "True"), (False, "False"), (5, "5"), (1.0, "1.0"), ({"k": 1}, "{'k': 1}"), ("s", "s")],
)
def test_values_are_printed_the_python_way(value: Any, expected: str) -> None:
    assert substitute("[((v))]", {"v": value}, lists="prose") == f"[{expected}]"


def test_substitution_is_a_single_pass() -> None:
    personalisation = {"a": "((b))", "b": "nope"}
    assert substitute("((a)) ((b))", personalisation, lists="prose") == "((b)) nope"


def test_placeholders_without_values_stay_as_written() -> None:
    assert substitute("Hi ((name)) ((x??y))", {}, lists="prose") == "Hi ((name)) ((x??y))"


@pytest.mark.parametrize("value", [True, 1, "yes", "Y", "TRUE", "t", "1", "Include", "show"])
def test_conditional_shows_its_text(value: Any) -> None:
    assert shows_conditional(value)
    assert substitute("a((c??, with extra))", {"c": value}, lists="prose") == "a, with extra"


@pytest.mark.parametrize("value", [False, 0, "", "no", "n", 1.0, "yes ", ["yes"]])
def test_conditional_hides_its_text(value: Any) -> None:
    assert not shows_conditional(value)
    assert substitute("a((c??, with extra))", {"c": value}, lists="prose") == "a"


def test_conditional_text_runs_to_the_end_after_the_first_separator() -> None:
    assert substitute("((c??x??y))", {"c": "yes"}, lists="prose") == "x??y"


def test_list_items_drop_nulls_trim_and_drop_empties() -> None:
    assert list_items([" a ", None, "", "  ", 1, True]) == ["a", "1", "True"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")],
)
def test_lists_as_prose(items: list[str], expected: str) -> None:
    assert format_list(items, "prose") == expected


def test_lists_as_bullets() -> None:
    assert format_list(["a", "b"], "bullets") == "\n\n* a\n* b"
    assert format_list([], "bullets") == ""


def test_list_values_are_substituted_in_the_chosen_style() -> None:
    personalisation = {"docs": ["passport", None, " utility bill "]}
    assert substitute("Bring ((docs))", personalisation, lists="prose") == (
        "Bring passport and utility bill"
    )
    assert substitute("Bring:((docs))", personalisation, lists="bullets") == (
        "Bring:\n\n* passport\n* utility bill"
    )
    assert substitute("Bring ((docs)).", {"docs": [None, ""]}, lists="bullets") == "Bring ."


def test_escape_applies_to_template_text_and_each_value_once() -> None:
    def shout(text: str) -> str:
        return text.upper()

    result = substitute(
        "hi ((a)) ((b)) ((c??yes)) ((d))",
        {"a": "x", "b": ["y", "z"], "c": 1},
        lists="prose",
        escape=shout,
    )
    # The joining "and" of a prose list is not template text or a value, so it stays as is.
    assert result == "HI X Y and Z YES ((D))"
