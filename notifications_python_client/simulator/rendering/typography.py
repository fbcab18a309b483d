"""Typography for subjects and email HTML text: curly quotes, en dashes, tidy spacing.

Behaviour: Email body and subject.

Also the HTML escaping used by letter subjects and email HTML, kept here so both escape alike.
"""

from __future__ import annotations

import html
import re

# Spaces or tabs that sit directly before a comma or full stop are removed.
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=[,.])")
# One to three hyphens or dashes with whitespace on both sides become a single en dash.
_SPACED_DASH = re.compile(r"(?<=\s)[-–—]{1,3}(?=\s)")
EN_DASH = "–"
# A quote right after one of these (or at the start) opens; anywhere else it closes.
_OPENING_CONTEXT = "([{<‘“-–—/"
_CURLY = {"'": ("‘", "’"), '"': ("“", "”")}
# Something that looks like an email address, curly apostrophes allowed inside its parts: the
# address itself must keep straight apostrophes (`x@y.com's` stays as typed).
# The match may only begin where a run of local-part characters begins (the lookbehind), its
# leading punctuation kept aside in the first group: trying every position inside a long run of
# letters would make this quadratic in the length of a value.
_LABEL = r"\w(?:[\w’‘-]*\w)?"
_LOCAL_PUNCTUATION = ".’‘!#$%&*+/=?^{|}~-"
_EMAIL_LIKE = re.compile(
    rf"(?<![\w{re.escape(_LOCAL_PUNCTUATION)}])([{re.escape(_LOCAL_PUNCTUATION)}]*)"
    rf"(\w(?:[\w{re.escape(_LOCAL_PUNCTUATION)}]*\w)?@{_LABEL}(?:\.{_LABEL})+)"
)
_CURLY_SINGLE = re.compile("[‘’]")


def remove_space_before_punctuation(text: str) -> str:
    """Drop spaces and tabs in front of ``,`` and ``.`` (left behind by empty values)."""
    return _SPACE_BEFORE_PUNCTUATION.sub("", text)


def curly_quotes(text: str, before: str = "", after: str = "") -> str:
    """Straight quotes made curly; ``before`` and ``after`` are the text's neighbours, if any."""
    output: list[str] = []
    previous = before
    for index, character in enumerate(text):
        if character in _CURLY:
            following = text[index + 1 : index + 2] or after
            opens = (not previous or previous.isspace() or previous in _OPENING_CONTEXT) and (
                following != "" and not following.isspace()
            )
            opening, closing = _CURLY[character]
            character = opening if opens else closing
        output.append(character)
        previous = character
    return "".join(output)


def straighten_email_apostrophes(text: str) -> str:
    """Curly single quotes inside anything that looks like an email address turned back."""
    return _EMAIL_LIKE.sub(
        lambda match: match.group(1) + _CURLY_SINGLE.sub("'", match.group(2)), text
    )


def en_dashes(text: str) -> str:
    """A free-standing hyphen or dash (up to three of them) becomes an en dash."""
    return _SPACED_DASH.sub(EN_DASH, text)


def collapse_whitespace(text: str) -> str:
    """All whitespace runs, newlines included, become one space; ends trimmed."""
    return " ".join(text.split())


def typeset(text: str, before: str = "", after: str = "") -> str:
    """Punctuation spacing, curly quotes and en dashes, without touching other whitespace."""
    text = remove_space_before_punctuation(text)
    text = straighten_email_apostrophes(curly_quotes(text, before, after))
    return en_dashes(text)


def typeset_subject(text: str) -> str:
    """A subject line as Notify shows it: typeset, then on one line with single spaces."""
    return collapse_whitespace(typeset(text))


def escape_html(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped, quotes left for typography, ``&amp;`` not escaped twice."""
    return html.escape(text.replace("&amp;", "&"), quote=False)
