"""What a template needs from each row of a recipients file, read from Notify's template."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from notifications_python_client.bulk.errors import BatchFileError

__all__ = ["SENDABLE_TYPES", "BatchTemplate", "name_key"]

SENDABLE_TYPES = ("sms", "email", "letter")
# ((name)) or ((name??text shown when name is yes)): the name is the text before any "??".
PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
CONDITIONAL_MARK = "??"


@dataclass(frozen=True)
class BatchTemplate:
    """A template as bulk sending sees it.

    :param placeholders: every placeholder name, as the template spells it.
    :param optional: the names used only as conditionals (``((name??text))``): an empty cell
        hides their text instead of being a missing value.
    """

    id: str
    type: str
    version: int | None
    placeholders: tuple[str, ...]
    optional: frozenset[str] = frozenset()

    @classmethod
    def from_response(cls, template: Mapping[str, Any]) -> BatchTemplate:
        """Read the answer of ``get_template``.

        :raises BatchFileError: the template is of a type that cannot be sent in bulk, or the
            answer does not describe a template.
        """
        template_type = template.get("type")
        template_id = template.get("id")
        if not isinstance(template_id, str) or template_type not in SENDABLE_TYPES:
            raise BatchFileError(
                f"template {template_id} is of type {template_type!r}: only text message, email "
                "and letter templates can be sent from a file"
            )
        personalisation = template.get("personalisation")
        names = tuple(personalisation) if isinstance(personalisation, Mapping) else ()
        texts = [template.get(part) for part in ("subject", "body", "letter_contact_block")]
        version = template.get("version")
        return cls(
            id=template_id,
            type=str(template_type),
            version=version if isinstance(version, int) else None,
            placeholders=names,
            optional=_conditional_only(names, [t for t in texts if isinstance(t, str)]),
        )

    @property
    def send_cost_requests(self) -> int:
        """Rate-limit tokens one send takes: Notify charges a templated letter twice
        (behaviour: Limits)."""
        return 2 if self.type == "letter" else 1


def _conditional_only(names: tuple[str, ...], texts: list[str]) -> frozenset[str]:
    """The names that every use of which is ``((name??...))``."""
    plain: set[str] = set()
    conditional: set[str] = set()
    for text in texts:
        for match in PLACEHOLDER.finditer(text):
            inside = match.group(1)
            name, mark, _ = inside.partition(CONDITIONAL_MARK)
            (conditional if mark else plain).add(name_key(name))
    return frozenset(name for name in names if name_key(name) in conditional - plain)


def name_key(name: str) -> str:
    """A column or placeholder name as Notify compares them: no case, spaces, _ or -
    (behaviour: Placeholders)."""
    return "".join(c for c in name.casefold() if c not in " _-\t\ufeff")
