"""One row of a recipients file turned into a message, or the problems that keep it from going.

The checks are Notify's own schema checks of a recipient (``notifications_python_client.
recipients``), plus the spreadsheet's rules: a recipient is never empty, and a placeholder's
cell is empty only when the placeholder is used as a conditional (``((name??text))``).
Whether the service may send to a recipient (trial mode, international numbers) is Notify's to
say: such a row fails at send time with Notify's message, and the run goes on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from notifications_python_client.bulk.columns import ColumnMap
from notifications_python_client.bulk.spreadsheet import SheetRow
from notifications_python_client.bulk.template_fields import BatchTemplate
from notifications_python_client.extras import install_command
from notifications_python_client.recipients.address import AddressError, validate_postal_address
from notifications_python_client.recipients.email_address import validate_email_address

__all__ = ["Message", "Problem", "message_for"]

ROW_DIGEST_HEX_CHARACTERS = 16


@dataclass(frozen=True)
class Problem:
    """Why one row cannot be sent, with its row number as a spreadsheet shows it."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class Message:
    """What one row sends: the recipient's fields, the placeholders' values, its own reference."""

    row: int
    recipient: dict[str, str]
    personalisation: dict[str, Any] = field(default_factory=dict)
    reference: str | None = None

    @cached_property
    def digest(self) -> str:
        """A short digest of what the row sends, so that the results file matches a row to its
        result by content, not by position alone (16 hex characters)."""
        content = [self.recipient, self.personalisation, self.reference]
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()[:ROW_DIGEST_HEX_CHARACTERS]


def message_for(
    row: SheetRow, columns: ColumnMap, template: BatchTemplate
) -> Message | list[Problem]:
    """The message of ``row``, or every problem found in it."""
    problems: list[str] = []
    extra_cells = row.cells[columns.width :]
    if any(cell.strip() for cell in extra_cells):
        problems.append(
            f"it has {len(row.cells)} cells, but the header names only {columns.width} columns"
        )
    recipient = {name: columns.cell(row.cells, at) for name, at in columns.recipient.items()}
    problems.extend(_recipient_problems(template.type, recipient))
    personalisation: dict[str, Any] = {}
    for name, at in columns.placeholders.items():
        value = columns.cell(row.cells, at)
        if not value and name not in template.optional:
            problems.append(f"no value for (({name}))")
        personalisation[name] = value
    if problems:
        return [Problem(row.number, problem) for problem in problems]
    if template.type == "letter":
        personalisation.update(recipient)
        recipient = {}
    reference = columns.cell(row.cells, columns.reference) or None
    return Message(row.number, recipient, personalisation, reference)


def _recipient_problems(template_type: str, recipient: dict[str, str]) -> list[str]:
    if template_type == "letter":
        try:
            validate_postal_address(recipient, allow_international=True)
        except AddressError as error:
            return [f"address: {error}"]
        return []
    if template_type == "sms":
        column, check = "phone number", _phone_number_check()
    else:
        column, check = "email address", validate_email_address
    value = next(iter(recipient.values()))
    if not value:
        return [f"{column} is empty"]
    try:
        check(value)
    except ValueError as error:  # each check's error holds Notify's message
        return [f"{column}: {error}"]
    return []


def _phone_number_check() -> Callable[[str], object]:
    """Notify's phone-number check, which needs the ``phonenumbers`` library (an extra)."""
    try:
        from notifications_python_client.recipients.phone import parse_phone_number
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            f"checking phone numbers needs the {error.name} package: {install_command('bulk')}",
            name=error.name,
        ) from error
    return parse_phone_number
