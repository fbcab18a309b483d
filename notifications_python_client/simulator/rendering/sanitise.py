"""``sanitise_content_for``: defusing links and Markdown in chosen email values.

Behaviour: Sanitising content.

A service lists the personalisation keys whose values come from untrusted people, so that a
value cannot smuggle a clickable link or formatting into an email that Notify sends on its behalf.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from notifications_python_client.simulator.domain.errors import NotifyFailsHereToo

from .placeholders import Personalisation, normalise_key

# Optional scheme, one or more labels each ending in a dot, a 2-63 letter top-level domain, and
# an optional path, query or fragment. Not preceded by ``@`` or ``.`` (nor mid-word), so email
# addresses and the tails of longer names are left alone.
_URL_LIKE = re.compile(
    r"(?<![@.\w-])(?:https?://)?(?:[\w-]+\.)+[A-Za-z]{2,63}(?!\w)"
    r"(?:[/?#](?:[^\s()<>\[\]]*[^\s()<>\[\].,;:!?'\"])?)?"
)
# Markdown's special characters, each of which gets a backslash in front.
_MARKDOWN_CHARACTER = re.compile(r"([`*_(){}\[\]<>#+\-.!|\\])")


def _defuse_url(match: re.Match[str]) -> str:
    found = match.group(0)
    # A bare dotted name (no scheme, no path) is kept readable but no longer looks like a link.
    if all(c.isalnum() or c in ".-" for c in found):
        return found.replace(".", ". ")
    return ""


def remove_links(value: str) -> str:
    """URL-like text removed; dotted names such as ``Marie.Curie`` get a space after each dot."""
    return _URL_LIKE.sub(_defuse_url, value)


def escape_markdown(value: str) -> str:
    """A backslash before every Markdown character."""
    return _MARKDOWN_CHARACTER.sub(r"\\\1", value)


def sanitise_value(value: str) -> str:
    """One value with links removed, then Markdown escaped."""
    return escape_markdown(remove_links(value))


def sanitise_personalisation(
    personalisation: Personalisation, keys: Sequence[str]
) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Sanitise the listed keys; return the new personalisation and what changed, by key as sent.

    Raises:
        NotifyFailsHereToo: a listed value is not a string (Notify fails there with a 500).
    """
    wanted = {normalise_key(key) for key in keys}
    sanitised: dict[str, Any] = dict(personalisation)
    changes: dict[str, dict[str, str]] = {}
    for key, value in personalisation.items():
        if normalise_key(key) not in wanted:
            continue
        if not isinstance(value, str):
            raise NotifyFailsHereToo(
                f"sanitise_content_for names {key!r}, a {type(value).__name__}, not a string"
            )
        cleaned = sanitise_value(value)
        if cleaned != value:
            sanitised[key] = cleaned
            changes[key] = {"sanitised": cleaned, "unsanitised": value}
    return sanitised, changes
