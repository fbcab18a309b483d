"""Typography shared by subjects and email HTML, and the HTML escaping.

Behaviour: Email body and subject; Letter body and subject.
"""

from __future__ import annotations

import pytest

from notifications_python_client.simulator.rendering.messages import render_email_subject
from notifications_python_client.simulator.rendering.typography import (
    collapse_whitespace,
    curly_quotes,
    en_dashes,
    escape_html,
    remove_space_before_punctuation,
    straighten_email_apostrophes,
    typeset,
    typeset_subject,
)


def test_spaces_and_tabs_before_comma_and_full_stop_are_removed() -> None:
    assert (
        remove_space_before_punctuation("Hi  , there \t. Done ; ok !") == "Hi, there. Done ; ok !"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Bob"', "“Bob”"),
        ("it's", "it’s"),
        ("'quoted'", "‘quoted’"),
        ('say "hi"', "say “hi”"),
        ('("x")', "(“x”)"),
        ("\"'nested'\"", "“‘nested’”"),
        ("the '90s", "the ‘90s"),
        ('end "', "end ”"),
        ("Jones' car", "Jones’ car"),
        ("line\n'x'", "line\n‘x’"),
    ],
)
def test_curly_quotes(text: str, expected: str) -> None:
    assert curly_quotes(text) == expected


def test_curly_quotes_use_the_neighbouring_characters() -> None:
    assert curly_quotes('"a"', before="x") == "”a”"
    assert curly_quotes('"a"', before=" ") == "“a”"
    assert curly_quotes('"', after="x") == "“"
    assert curly_quotes('"', after=" ") == "”"


def test_apostrophes_in_email_addresses_are_straightened() -> None:
    assert straighten_email_apostrophes("to o’neil@example.com’s box") == (
        "to o'neil@example.com's box"
    )
    assert straighten_email_apostrophes("it’s ‘name’ @ home") == "it’s ‘name’ @ home"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a - b", "a – b"),
        ("a -- b", "a – b"),
        ("a --- b", "a – b"),
        ("a ---- b", "a ---- b"),
        ("a — b", "a – b"),
        ("a\n-\nb", "a\n–\nb"),
        ("well-known -5", "well-known -5"),
    ],
)
def test_free_standing_dashes_become_en_dashes(text: str, expected: str) -> None:
    assert en_dashes(text) == expected


def test_collapse_whitespace() -> None:
    assert collapse_whitespace("  a \r\n\t b\u00a0 c  ") == "a b c"


def test_typeset_keeps_line_breaks_and_subject_does_not() -> None:
    text = 'Dear "Bob" ,\n it\'s - here'
    assert typeset(text) == "Dear “Bob”,\n it’s – here"
    assert typeset_subject(text) == "Dear “Bob”, it’s – here"


def test_the_documented_subject_example() -> None:
    assert typeset_subject("Dear \"Bob\" - it's x@y.com's") == "Dear “Bob” – it’s x@y.com's"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('A & B <C> "q"', 'A &amp; B &lt;C&gt; "q"'),
        ("already &amp; escaped", "already &amp; escaped"),
        ("&lt; stays visible", "&amp;lt; stays visible"),
        ("it's", "it's"),
    ],
)
def test_escape_html(text: str, expected: str) -> None:
    assert escape_html(text) == expected


def test_long_values_render_in_linear_time() -> None:
    # Quadratic matching would take minutes on a value this size; see straighten_email_apostrophes.
    value = "a" * 2_000_000
    assert render_email_subject("((a))", {"a": value}) == value
    assert straighten_email_apostrophes("a." * 1_000_000) == "a." * 1_000_000
