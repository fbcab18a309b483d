"""MkDocs hooks: pages that show what the code itself says, so that they cannot go stale.

- ``<!-- notify-usage -->`` becomes the `notify` command's usage text, from the tool itself.
- ``<!-- changelog -->`` becomes CHANGELOG.md, without its title (the page has its own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USAGE_MARKER = "<!-- notify-usage -->"
CHANGELOG_MARKER = "<!-- changelog -->"


def usage_block() -> str:
    """The whole `notify --help` text as a fenced block."""
    from notifications_python_client.cli.entry import USAGE

    return "```text\n" + USAGE.strip("\n") + "\n```"


def changelog_body() -> str:
    """CHANGELOG.md after its first heading."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return text.split("\n", 1)[1] if text.startswith("# ") else text


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Fill in the markers of a page before it is rendered."""
    if USAGE_MARKER in markdown:
        markdown = markdown.replace(USAGE_MARKER, usage_block())
    if CHANGELOG_MARKER in markdown:
        markdown = markdown.replace(CHANGELOG_MARKER, changelog_body())
    return markdown
