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
    """Put ``file.pdf`` and ``file.csv``, the names the docs use, into ``folder``."""
    (folder / "file.pdf").write_bytes(example_letter_pdf())
    (folder / "file.csv").write_text("name,reference\nAmala,example\n", encoding="utf-8")
