"""Builds personalisation for whatever placeholders the configured templates have."""

from __future__ import annotations

from typing import Any

ADDRESS = {
    "address_line_1": "A. Tester",
    "address_line_2": "1 Integration Street",
    "address_line_3": "London",
    "address_line_4": "SW1A 1AA",
}


def values_for(template: dict[str, Any], run_reference: str) -> dict[str, Any]:
    """A value for every placeholder of ``template`` (as GET /v2/template reports them).

    Letter address lines get a real-looking UK address; other placeholders get a text that names
    the run, so the rendered content can be checked for it.
    """
    values: dict[str, Any] = {}
    for name in template["personalisation"]:
        key = name.lower().replace(" ", "_")
        values[name] = ADDRESS.get(key, f"{name} {run_reference}")
    if template["type"] == "letter":
        values.update({key: value for key, value in ADDRESS.items() if key not in values})
    return values


def file_placeholder(template: dict[str, Any]) -> str | None:
    """The placeholder of an email template that looks meant for a file link, if any."""
    for name in template["personalisation"]:
        if "file" in name.lower() or "link" in name.lower():
            return str(name)
    return None


def unrendered(text: str | None) -> bool:
    """True when ``text`` still contains a ``((placeholder))``."""
    return text is not None and "((" in text and "))" in text
