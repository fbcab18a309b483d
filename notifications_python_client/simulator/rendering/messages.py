"""Template rendering for the simulator: what Notify shows as body, subject and preview HTML.

Pure functions over template text and personalisation (behaviour: Rendering templates), so
handlers only choose which function fits the template type. The specialised parts live in their
own modules (placeholders, sms_text, typography, email_html, sanitise); this module is the
single place handlers import from.
"""

from __future__ import annotations

import re
import unicodedata

from .email_html import render_email_html
from .placeholders import (
    Personalisation,
    missing_personalisation,
    placeholder_names,
    substitute,
)
from .sanitise import sanitise_personalisation
from .sms_text import (
    downgrade_to_gsm,
    normalise_whitespace,
    sms_character_count,
    sms_fragment_count,
)
from .typography import escape_html, remove_space_before_punctuation, typeset_subject

__all__ = [
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

_LINE_BREAK = re.compile(r"\r\n?")


def render_sms_unsanitised(body: str, personalisation: Personalisation) -> str:
    """SMS text before the GSM-7 downgrade: the text to pass to ``sms_fragment_count``."""
    text = substitute(body, personalisation, lists="prose")
    return normalise_whitespace(remove_space_before_punctuation(text))


def render_sms_body(body: str, personalisation: Personalisation) -> str:
    """The SMS text Notify reports and sends (without the service-name prefix)."""
    return downgrade_to_gsm(render_sms_unsanitised(body, personalisation))


def render_email_body(body: str, personalisation: Personalisation) -> str:
    """Email ``body``: values inserted as they are (lists as bullets), ends trimmed."""
    return substitute(body, personalisation, lists="bullets").strip()


def render_email_subject(subject: str, personalisation: Personalisation) -> str:
    """Email ``subject``: values inserted (lists as prose), typeset, on one line."""
    return typeset_subject(substitute(subject, personalisation, lists="prose"))


def render_letter_body(body: str, personalisation: Personalisation) -> str:
    """Letter ``body``: rendered like an email body; address and contact block excluded."""
    return render_email_body(body, personalisation)


def render_letter_subject(subject: str, personalisation: Personalisation) -> str:
    """Letter heading: template and values HTML-escaped, then typeset like an email subject."""
    return typeset_subject(substitute(subject, personalisation, lists="prose", escape=escape_html))


def render_contact_block(block: str | None, personalisation: Personalisation) -> str | None:
    """A letter's contact block with values inserted, one trimmed line per line; None if none."""
    if block is None:
        return None
    text = _LINE_BREAK.sub("\n", substitute(block, personalisation, lists="prose"))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def is_empty_message(template_type: str, template_body: str, rendered_body: str) -> bool:
    """Whether Notify refuses the message as ``Your message is empty.`` (12.8)."""
    if template_type == "sms":
        return rendered_body == ""
    if template_body == "":
        return True
    # Notify only looks at bodies that begin and end with a placeholder: any other body has
    # template text at one end, which it takes to mean "not empty" without rendering.
    if not (template_body.startswith("((") and template_body.endswith("))")):
        return False
    return rendered_body == ""


def email_from_local_part(service_name: str) -> str:
    """The local part of ``content.from_email``, derived from the service (or sender) name."""
    decomposed = unicodedata.normalize("NFKD", service_name)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    text = re.sub(r"\s+", ".", text)
    text = re.sub(r"[^a-z0-9.]", "", text)
    return re.sub(r"\.{2,}", ".", text).strip(".")


def template_personalisation_schema(*texts: str | None) -> dict[str, dict[str, bool]]:
    """A template's ``personalisation`` field: every placeholder name, each required."""
    return {name: {"required": True} for name in placeholder_names(*texts)}
