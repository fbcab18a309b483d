"""Templates as Notify returns them, and CSV files written for the bulk-sending tests."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from notifications_python_client.bulk.template_fields import BatchTemplate

SMS_TEMPLATE_ID = "8193b560-c917-4676-ba08-36354dbe5832"
EMAIL_TEMPLATE_ID = "fcf0e1f4-edd4-44d1-a4ac-36f119b8fb5a"
LETTER_TEMPLATE_ID = "e6dbe9b4-039f-4e32-bb1c-13b1bd657596"


def template_response(
    template_type: str = "sms",
    template_id: str = SMS_TEMPLATE_ID,
    body: str = "Hello ((name))",
    subject: str | None = None,
) -> dict[str, Any]:
    """The answer of GET /v2/template/<id>, with a placeholder per ((name)) in the texts."""
    names: dict[str, Any] = {}
    for text in (subject or "", body):
        for part in text.split("((")[1:]:
            names.setdefault(part.split("))")[0].split("??")[0], {"required": True})
    return {
        "id": template_id,
        "name": "A template",
        "type": template_type,
        "version": 3,
        "body": body,
        "subject": subject,
        "personalisation": names,
        "postage": "second" if template_type == "letter" else None,
        "letter_contact_block": None,
    }


def sms_template(body: str = "Hello ((name))") -> BatchTemplate:
    return BatchTemplate.from_response(template_response(body=body))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def phone_rows(count: int, start: int = 0) -> list[list[str]]:
    """Rows of distinct drama numbers (07700 9xxxxx), never Notify's smoke-test ones."""
    return [[f"07700 9{10_000 + n:05d}", f"Person {n}"] for n in range(start, start + count)]
