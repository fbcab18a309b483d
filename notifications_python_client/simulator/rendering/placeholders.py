"""Template placeholders: finding ``((name))``, matching them to personalisation, substituting.

Shared by every renderer, so that SMS, email, letter and HTML agree on what a placeholder is,
which key it matches, when it is missing and how a JSON value turns into text.

Behaviour: Placeholders; Conditional placeholders; Lists in placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal

Personalisation = Mapping[str, Any]
ListStyle = Literal["bullets", "prose"]

# Text without parentheses between double brackets; newlines are allowed inside.
PLACEHOLDER_PATTERN = re.compile(r"\(\(([^()]+)\)\)")
CONDITIONAL_SEPARATOR = "??"
# Case, spaces, underscores and hyphens do not distinguish two names.
_IGNORED_IN_KEYS = str.maketrans("", "", " _-")
# Values (as lowercased text) that make a conditional placeholder show its text.
CONDITIONAL_SHOW_VALUES = frozenset({"yes", "y", "true", "t", "1", "include", "show"})
UNCLOSED_SHOWN_CHARACTERS = 20


def normalise_key(name: str) -> str:
    """The form in which placeholder names and personalisation keys are compared."""
    return name.translate(_IGNORED_IN_KEYS).lower()


def _split(inner: str) -> tuple[str, str | None]:
    """``name??text`` -> (name, text); a plain placeholder has no conditional text."""
    name, separator, text = inner.partition(CONDITIONAL_SEPARATOR)
    return name, (text if separator else None)


def placeholder_names(*texts: str | None) -> list[str]:
    """Placeholder names in order of first appearance, first spelling kept, one per key."""
    names: dict[str, str] = {}
    for text in texts:
        if not text:
            continue
        for match in PLACEHOLDER_PATTERN.finditer(text):
            name, _ = _split(match.group(1))
            names.setdefault(normalise_key(name), name)
    return list(names.values())


def unclosed_placeholder(text: str | None) -> str | None:
    """The start of a ``((`` that no ``))`` closes, up to 20 characters, or None: a template
    written with one almost always meant a placeholder, which would be sent as it stands."""
    if not text:
        return None
    left = PLACEHOLDER_PATTERN.sub("", text)
    start = left.find("((")
    return None if start < 0 else left[start : start + UNCLOSED_SHOWN_CHARACTERS]


def insensitive(personalisation: Personalisation) -> dict[str, Any]:
    """Personalisation keyed by normalised key; of two keys that collide, the later wins."""
    return {normalise_key(key): value for key, value in personalisation.items()}


def missing_personalisation(
    texts: Sequence[str | None], personalisation: Personalisation
) -> list[str]:
    """Names with no matching key or a JSON null value, in ``placeholder_names`` order."""
    values = insensitive(personalisation)
    return [name for name in placeholder_names(*texts) if values.get(normalise_key(name)) is None]


def format_value(value: Any) -> str:
    """A JSON value as Python prints it (``True``, ``5``, ``1.0``, ``{'k': 1}``)."""
    return str(value)


def list_items(values: Sequence[Any]) -> list[str]:
    """List items as text: nulls dropped, items trimmed, empty items dropped."""
    items = (format_value(value).strip() for value in values if value is not None)
    return [item for item in items if item]


def format_list(items: Sequence[str], style: ListStyle) -> str:
    """Items as a Markdown bullet list (bodies) or as prose ``a, b and c`` (SMS, subjects)."""
    if not items:
        return ""
    if style == "bullets":
        return "\n\n" + "\n".join(f"* {item}" for item in items)
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def shows_conditional(value: Any) -> bool:
    """Whether a conditional placeholder's value switches its text on."""
    return format_value(value).lower() in CONDITIONAL_SHOW_VALUES


def _unchanged(text: str) -> str:
    return text


def substitute(
    text: str,
    personalisation: Personalisation,
    *,
    lists: ListStyle,
    escape: Callable[[str], str] = _unchanged,
) -> str:
    """Replace every placeholder in one pass; placeholders without a value stay as written.

    ``escape`` is applied to the template's own text and to every inserted value (each list item
    separately), so that HTML outputs escape both without escaping anything twice.
    """
    values = insensitive(personalisation)
    return "".join(_pieces(text, values, lists, escape))


def _pieces(
    text: str, values: dict[str, Any], lists: ListStyle, escape: Callable[[str], str]
) -> Iterator[str]:
    position = 0
    for match in PLACEHOLDER_PATTERN.finditer(text):
        yield escape(text[position : match.start()])
        position = match.end()
        name, conditional_text = _split(match.group(1))
        value = values.get(normalise_key(name))
        if value is None:
            yield escape(match.group(0))
        elif conditional_text is not None:
            yield escape(conditional_text) if shows_conditional(value) else ""
        elif isinstance(value, list):
            yield format_list([escape(item) for item in list_items(value)], lists)
        else:
            yield escape(format_value(value))
    yield escape(text[position:])
