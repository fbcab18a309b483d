"""Which column of a recipients file holds what, matched as Notify matches spreadsheet columns.

Column names are compared without case, spaces, underscores or hyphens, so ``Phone Number``,
``phone_number`` and ``PHONENUMBER`` are the same column (behaviour: Placeholders).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from notifications_python_client.bulk.errors import BatchFileError
from notifications_python_client.bulk.template_fields import BatchTemplate, name_key

__all__ = [
    "ADDRESS_LINE_KEYS",
    "REFERENCE_COLUMN",
    "ColumnMap",
    "map_columns",
]

PHONE_NUMBER_COLUMN = "phone number"
EMAIL_ADDRESS_COLUMN = "email address"
REFERENCE_COLUMN = "reference"
ADDRESS_LINE_COLUMNS = tuple(f"address line {n}" for n in range(1, 8))
# What the letter API reads: address_line_1 to address_line_7, or postcode for the last line.
ADDRESS_LINE_KEYS = tuple(f"address_line_{n}" for n in range(1, 8))
POSTCODE_COLUMN = "postcode"
TYPE_NAMES = {"sms": "text message", "email": "email", "letter": "letter"}
RECIPIENT_COLUMN_TYPES = {PHONE_NUMBER_COLUMN: "sms", EMAIL_ADDRESS_COLUMN: "email"} | {
    name: "letter" for name in ADDRESS_LINE_COLUMNS
}
# What spreadsheets write instead of commas when asked to, or when their language's decimal
# mark is a comma, and how to name each.
OTHER_SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}


@dataclass(frozen=True)
class ColumnMap:
    """Where each value a message needs sits in a row (0-based cell positions)."""

    recipient: Mapping[str, int]
    placeholders: Mapping[str, int]
    reference: int | None
    width: int

    def cell(self, cells: Sequence[str], position: int | None) -> str:
        """The cell at ``position`` with its surrounding whitespace gone; '' when the row is
        short."""
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()


def map_columns(header: Sequence[str], template: BatchTemplate) -> ColumnMap:
    """Match the header against what ``template`` needs.

    :raises BatchFileError: a column named twice, the recipient column missing (with a hint when
        the file is for another type of template), or a placeholder without a column.
    """
    positions: dict[str, int] = {}
    repeated: list[str] = []
    for position, name in enumerate(header):
        key = name_key(name)
        if not key:
            continue
        if key in positions:
            repeated.append(name.strip())
        positions.setdefault(key, position)
    if repeated:
        raise BatchFileError(
            "these columns appear more than once: " + ", ".join(repeated),
        )
    recipient = _recipient_columns(header, positions, template)
    address_keys = {name_key(key) for key in ADDRESS_LINE_KEYS}
    missing = [
        name
        for name in template.placeholders
        if name_key(name) not in positions and name_key(name) not in address_keys
    ]
    if missing:
        raise BatchFileError(
            "the file has no column for these placeholders of the template: "
            + ", ".join(f"(({name}))" for name in missing)
        )
    placeholders = {
        name: positions[name_key(name)]
        for name in template.placeholders
        if name_key(name) in positions and name_key(name) not in address_keys
    }
    return ColumnMap(
        recipient=recipient,
        placeholders=placeholders,
        reference=positions.get(name_key(REFERENCE_COLUMN)),
        width=len(header),
    )


def _recipient_columns(
    header: Sequence[str], positions: Mapping[str, int], template: BatchTemplate
) -> dict[str, int]:
    """The recipient's cells: one column for texts and emails, address lines for letters."""
    if template.type == "letter":
        lines = {
            key: positions[name_key(column)]
            for key, column in zip(ADDRESS_LINE_KEYS, ADDRESS_LINE_COLUMNS, strict=True)
            if name_key(column) in positions
        }
        if "address_line_7" not in lines and name_key(POSTCODE_COLUMN) in positions:
            lines["postcode"] = positions[name_key(POSTCODE_COLUMN)]
        if name_key(ADDRESS_LINE_COLUMNS[0]) not in positions:
            raise BatchFileError(
                _missing_recipient_message(header, positions, template, "address line 1")
            )
        return lines
    column = PHONE_NUMBER_COLUMN if template.type == "sms" else EMAIL_ADDRESS_COLUMN
    if name_key(column) not in positions:
        raise BatchFileError(_missing_recipient_message(header, positions, template, column))
    field = "phone_number" if template.type == "sms" else "email_address"
    return {field: positions[name_key(column)]}


def _missing_recipient_message(
    header: Sequence[str], positions: Mapping[str, int], template: BatchTemplate, column: str
) -> str:
    kind = TYPE_NAMES.get(template.type, template.type)
    message = f"the file has no {column!r} column, which a {kind} template needs"
    separator = _other_separator(header)
    if separator is not None:
        return (
            f"{message}: the file seems to separate its columns with {separator}, not commas; "
            "save it as CSV (comma-separated) UTF-8"
        )
    for other, other_type in RECIPIENT_COLUMN_TYPES.items():
        if other_type != template.type and name_key(other) in positions:
            other_kind = TYPE_NAMES[other_type]
            return (
                f"{message}: it has {other!r}, a column for {other_kind} templates, so is it "
                f"meant for another template? This one is a {kind} template"
            )
    return f"{message} (the first row must name the columns)"


def _other_separator(header: Sequence[str]) -> str | None:
    """How the columns seem to be separated, when the header is one cell that another
    separator splits into several names; None otherwise."""
    if len([name for name in header if name.strip()]) != 1:
        return None
    (cell,) = (name for name in header if name.strip())
    for separator, description in OTHER_SEPARATORS.items():
        if len([part for part in cell.split(separator) if part.strip()]) > 1:
            return description
    return None
