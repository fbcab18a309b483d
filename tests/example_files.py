"""The files the documented examples read: a printable one-page letter PDF and a small CSV."""

from __future__ import annotations

import datetime
from pathlib import Path

from notifications_python_client.simulator.rendering.pdf import render_letter_pdf


def example_letter_pdf() -> bytes:
    """A one-page letter with an address the simulator accepts, to send as a precompiled one."""
    return render_letter_pdf(
        address_lines=["A. Tester", "1 Test Street", "SW1A 1AA"],
        contact_block=None,
        subject="Example",
        body="An example letter.",
        date=datetime.date(2026, 1, 5),
    )


def write_example_files(folder: Path) -> None:
    """Put ``file.pdf``, ``file.csv`` and ``reminders.csv``, the names the docs use, into
    ``folder``."""
    (folder / "file.pdf").write_bytes(example_letter_pdf())
    (folder / "file.csv").write_text("name,reference\nAmala,example\n", encoding="utf-8")
    (folder / "reminders.csv").write_text(REMINDERS_CSV, encoding="utf-8")


# Recipients for the bulk-sending examples: a header as in Notify's spreadsheet upload.
REMINDERS_CSV = """phone number,name
07700 900123,Amala
07700 900456,Bo
07700 900789,Chidi
"""
