"""SMS text: whitespace clean-up, the GSM-7 downgrade and fragment counting.

Behaviour: Text message body; Text message fragments and cost.

Phones bill by fragment, so the character set decides the cost: GSM-7 packs 160 characters in a
message, Unicode only 70. Notify keeps messages in GSM-7 except for Welsh accented vowels.
"""

from __future__ import annotations

import math
import re
import unicodedata

# GSM 03.38 basic set (without carriage return and escape, which never survive clean-up).
GSM_BASIC_CHARACTERS = frozenset(
    "@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these is sent as an escape plus a character, so counts twice.
GSM_EXTENSION_CHARACTERS = frozenset("^{}\\[~]|€")
GSM_CHARACTERS = GSM_BASIC_CHARACTERS | GSM_EXTENSION_CHARACTERS
# Welsh accented vowels outside GSM-7: kept as they are, and they switch the message to Unicode.
WELSH_NON_GSM_CHARACTERS = frozenset("ÀÁÂÈÊËÌÍÎÏÒÓÔÙÚÛÝáâêëíîïóôúûýÿŴŵŶŷŸẀẁẂẃẄẅỲỳ")
SMS_CHARACTERS = GSM_CHARACTERS | WELSH_NON_GSM_CHARACTERS
REPLACEMENT_CHARACTERS = {
    "‑": "-",
    "–": "-",
    "—": "-",
    "−": "-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "Ł": "L",
    "ł": "l",
    "\t": " ",
}
UNKNOWN_CHARACTER = "?"
# Invisible characters dropped from SMS text; non-breaking spaces become ordinary spaces.
ZERO_WIDTH_CHARACTERS = "\u180e\u200b\u200c\u200d\u2060\ufeff"
NON_BREAKING_SPACES = "\u00a0\u202f"
_CLEAN_INVISIBLES = str.maketrans(
    {**dict.fromkeys(ZERO_WIDTH_CHARACTERS), **dict.fromkeys(NON_BREAKING_SPACES, " ")}
)
_LINE_BREAK = re.compile(r"\r\n?")
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")

GSM_SINGLE_FRAGMENT_CHARACTERS = 160
GSM_MULTIPART_FRAGMENT_CHARACTERS = 153
UNICODE_SINGLE_FRAGMENT_CHARACTERS = 70
UNICODE_MULTIPART_FRAGMENT_CHARACTERS = 67


def normalise_whitespace(text: str) -> str:
    """Clean lines and blank lines the way Notify does before sending (12.4 step 3)."""
    text = _LINE_BREAK.sub("\n", text).translate(_CLEAN_INVISIBLES)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return _EXTRA_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _downgrade_character(character: str) -> str:
    if character in SMS_CHARACTERS:
        return character
    if character in REPLACEMENT_CHARACTERS:
        return REPLACEMENT_CHARACTERS[character]
    if unicodedata.category(character).startswith("L"):
        # An accented letter keeps its base letter when that is sendable (ç -> c, ź -> z).
        decomposed = unicodedata.normalize("NFKD", character)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and all(c in GSM_CHARACTERS for c in base):
            return base
    return UNKNOWN_CHARACTER


def downgrade_to_gsm(text: str) -> str:
    """Every character turned into GSM-7 or a Welsh vowel; what cannot be becomes ``?``."""
    # Composing first keeps a vowel typed as letter + combining accent as one character.
    return "".join(_downgrade_character(c) for c in unicodedata.normalize("NFC", text))


def sms_character_count(text: str) -> int:
    """Length in UTF-16 code units, as Notify counts it for the 918-character limit."""
    return len(text.encode("utf-16-le")) // 2


def is_unicode_message(unsanitised: str) -> bool:
    """Whether a Welsh vowel outside GSM-7 forces the whole message into Unicode."""
    return any(c in WELSH_NON_GSM_CHARACTERS for c in unicodedata.normalize("NFC", unsanitised))


def sms_fragment_count(unsanitised: str, sanitised: str) -> int:
    """How many fragments (billing units) the sanitised text takes to send."""
    count = sms_character_count(sanitised)
    if is_unicode_message(unsanitised):
        single, multipart = (
            UNICODE_SINGLE_FRAGMENT_CHARACTERS,
            UNICODE_MULTIPART_FRAGMENT_CHARACTERS,
        )
    else:
        count += sum(1 for c in sanitised if c in GSM_EXTENSION_CHARACTERS)
        single, multipart = GSM_SINGLE_FRAGMENT_CHARACTERS, GSM_MULTIPART_FRAGMENT_CHARACTERS
    return 1 if count <= single else math.ceil(count / multipart)
