"""The site mentions everything the published client's documentation covers.

``tests/data/seed_facts.json`` holds the facts of that documentation (the client documentation
of the published 13.0.0, which is this project's primary spec): its methods, their arguments,
the names it imports, every status, every response and callback key, the test and smoke-test
recipients, and every error name and message of its error tables. Each must appear somewhere in
``docs/``; the failure lists every one that does not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FACTS = json.loads((ROOT / "tests" / "data" / "seed_facts.json").read_text(encoding="utf-8"))
NAME_KINDS = (
    "methods", "arguments", "imports", "statuses", "error_names", "response_keys",
    "callback_keys", "smoke_test_recipients", "test_recipients",
)  # fmt: skip


def site_text() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in sorted(ROOT.glob("docs/**/*.md")))


def mentioned(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


@pytest.mark.parametrize("kind", NAME_KINDS)
def test_every_name_of_the_client_documentation_is_on_the_site(kind: str) -> None:
    text = site_text()

    missing = [name for name in FACTS[kind] if not mentioned(name, text)]

    assert missing == [], f"the site never mentions these {kind}: {missing}"


def test_every_error_message_of_the_client_documentation_is_on_the_site() -> None:
    text = site_text()

    missing = [message for message in FACTS["error_messages"] if message not in text]

    assert missing == [], f"the site never shows these error messages: {missing}"


def test_the_facts_are_the_documentations_whole_set() -> None:
    # A guard against an emptied file: the documentation has 34 distinct error messages.
    assert len(FACTS["error_messages"]) == 34
    assert len(FACTS["methods"]) == 14
