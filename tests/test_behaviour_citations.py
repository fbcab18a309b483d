"""Citations of the behaviour reference (docs/simulator-behaviour.md) name headings it has.

Code and tests cite a rule as ``behaviour: <heading>`` (several joined by ``; ``), so a reader
can find it; a renamed or missing heading fails here, and so does a citation by section number
of a document the repository does not hold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGE = PROJECT_ROOT / "docs" / "simulator-behaviour.md"
CITING_FOLDERS = ("notifications_python_client", "tests", "integration_test", "benchmarks")
# From "behaviour: " up to the closing parenthesis, or a full stop that ends the sentence.
CITATION = re.compile(r"[Bb]ehaviour: (.+?)(?:\)|\.(?:\s|\"\"\"|$))", re.DOTALL)
# A line break inside a citation, with the indentation or comment mark of the next line.
CONTINUATION = re.compile(r"\s*\n\s*(?:#\s*)?")
NUMBERED_CITATION = re.compile(r"\bcontract(?: sections?)? \d|\brows? \d+ (?:to|and|of) ")


def headings() -> set[str]:
    return {
        line.lstrip("#").strip()
        for line in PAGE.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }


def citing_files() -> list[Path]:
    return sorted(
        path
        for folder in CITING_FOLDERS
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if path != Path(__file__)
    )


def citations(text: str) -> list[str]:
    found = []
    for match in CITATION.finditer(text):
        cited = CONTINUATION.sub(" ", match.group(1))
        found.extend(part.strip() for part in cited.split(";"))
    return found


def test_the_page_has_headings() -> None:
    assert {"Authentication checks", "Test-key outcomes", "Routing and edge cases"} <= headings()


def test_citations_are_found_across_line_breaks() -> None:
    text = '"""Text.\n\n    Behaviour: Phone numbers: format; Text message\n    senders.\n    """'
    assert citations(text) == ["Phone numbers: format", "Text message senders"]
    assert citations("# rule (behaviour: Rate limit)") == ["Rate limit"]


@pytest.mark.parametrize(
    "path", citing_files(), ids=lambda path: str(path.relative_to(PROJECT_ROOT))
)
def test_every_citation_names_a_heading(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    unknown = [cited for cited in citations(text) if cited not in headings()]
    assert unknown == []
    assert NUMBERED_CITATION.search(text) is None


def test_the_simulator_cites_the_page_widely() -> None:
    cited = {
        cited
        for path in citing_files()
        if "simulator" in path.parts
        for cited in citations(path.read_text(encoding="utf-8"))
    }
    assert len(cited) >= 40
