"""SMS clean-up, the GSM-7 downgrade and fragment counting.

Behaviour: Text message body; Text message fragments and cost.
"""

from __future__ import annotations

import string

import pytest

from notifications_python_client.simulator.rendering.sms_text import (
    GSM_CHARACTERS,
    downgrade_to_gsm,
    is_unicode_message,
    normalise_whitespace,
    sms_character_count,
    sms_fragment_count,
)


def test_every_printable_ascii_character_but_the_backtick_is_gsm() -> None:
    missing = {c for c in string.printable if c not in GSM_CHARACTERS}
    assert missing == {"`", "\t", "\r", "\x0b", "\x0c"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a   b \t c  ", "a b c"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\n\n\n\n b", "a\n\nb"),
        ("a\n \n \nb", "a\n\nb"),
        ("a\u200bb\u200c\u200d\u2060\ufeff\u180e", "ab"),
        ("a\u00a0b\u202fc", "a b c"),
        ("\n\n  text  \n\n", "text"),
        ("a \u200b b", "a b"),
    ],
)
def test_normalise_whitespace(text: str, expected: str) -> None:
    assert normalise_whitespace(text) == expected


def test_gsm_and_welsh_characters_are_kept() -> None:
    kept = "£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà€[]{}~^|\\@$_"
    welsh = "àèìòùẁỳáéíóúẃýäëïöüẅÿâêîôûŵŷÀÈÌÒÙẀỲÁÉÍÓÚẂÝÄËÏÖÜẄŸÂÊÎÔÛŴŶ"
    assert downgrade_to_gsm(kept) == kept
    assert downgrade_to_gsm(welsh) == welsh


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("‑–—−", "----"),
        ("wait…", "wait..."),
        ("‘a’ ‚b", "'a' 'b"),
        ("“a” „b", '"a" "b'),
        ("Łódź", "Lódz"),  # ó is a Welsh vowel, so it stays
        ("a\tb", "a b"),
        ("ç ź ã Ő ą", "c z a O a"),
        ("ﬁne", "fine"),
        ("hi 😀 Привет 你好 `x` ½", "hi ? ?????? ?? ?x? ?"),
        # A vowel typed as a letter plus a combining accent counts as the accented vowel.
        ("w\u0302 e\u0301", "ŵ é"),
    ],
)
def test_downgrade_to_gsm(text: str, expected: str) -> None:
    assert downgrade_to_gsm(text) == expected


def test_character_count_is_in_utf16_code_units() -> None:
    assert sms_character_count("abc") == 3
    assert sms_character_count("ŵ€") == 2
    assert sms_character_count("😀") == 2
    assert sms_character_count("") == 0


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("ŵ" * 70, 1),
        ("ŵ" * 71, 2),
        ("ŵ" * 134, 2),
        ("ŵ" * 135, 3),
        ("", 1),
    ],
)
def test_the_documented_fragment_examples(text: str, fragments: int) -> None:
    assert sms_fragment_count(text, text) == fragments


@pytest.mark.parametrize("character", list("^{}\\[~]|€"))
def test_extension_characters_count_twice(character: str) -> None:
    assert sms_fragment_count(character * 80, character * 80) == 1
    assert sms_fragment_count("a" + character * 80, "a" + character * 80) == 2


def test_gsm_welsh_vowels_do_not_switch_to_unicode() -> None:
    text = "ÄÉÖÜàäèéìòöùü" * 12  # 156 characters
    assert not is_unicode_message(text)
    assert sms_fragment_count(text, text) == 1


def test_emoji_never_force_unicode() -> None:
    unsanitised = "😀" * 100
    assert not is_unicode_message(unsanitised)
    assert sms_fragment_count(unsanitised, downgrade_to_gsm(unsanitised)) == 1


def test_the_unsanitised_text_decides_the_encoding() -> None:
    sanitised = "a" * 100
    assert sms_fragment_count("ŷ", sanitised) == 2
    assert sms_fragment_count("y", sanitised) == 1


def test_unicode_messages_do_not_double_count_extension_characters() -> None:
    text = "ŵ" + "€" * 69
    assert sms_fragment_count(text, text) == 1
