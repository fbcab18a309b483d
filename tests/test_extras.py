"""Every install line for an extra installs this package, never the published one of the index."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from notifications_python_client import extras
from notifications_python_client.extras import install_command

ROOT = Path(__file__).resolve().parents[1]
# The index's form: the distribution's name and an extra, with no "@ <where from>" after it.
INDEX_FORM = re.compile(r"notifications-python-client\[[a-z,]+\](?!\s*@)['\"`]")


class Recorded:
    """A distribution whose ``direct_url.json`` is ``text``."""

    def __init__(self, text: str | None) -> None:
        self.text = text

    def read_text(self, name: str) -> str | None:
        return self.text


def installed_from(monkeypatch: pytest.MonkeyPatch, recorded: Any) -> None:
    text = None if recorded is None else json.dumps(recorded)
    monkeypatch.setattr(extras.metadata, "distribution", lambda name: Recorded(text))


def test_from_a_checkout_it_names_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    installed_from(monkeypatch, {"url": "file:///home/amala/notify-client", "dir_info": {}})

    assert install_command("bulk") == "pip install '/home/amala/notify-client[bulk]'"


def test_from_git_it_names_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    installed_from(
        monkeypatch,
        {"url": "https://git.example/team/client.git", "vcs_info": {"vcs": "git"}},
    )

    assert install_command("simulator") == (
        "pip install 'notifications-python-client[simulator] @ "
        "git+https://git.example/team/client.git'"
    )


@pytest.mark.parametrize("recorded", [None, "not an object", {"url": 5}, {}])
def test_otherwise_it_gives_the_readmes_git_form(
    monkeypatch: pytest.MonkeyPatch, recorded: Any
) -> None:
    installed_from(monkeypatch, recorded)

    assert install_command("bulk") == (
        "pip install 'notifications-python-client[bulk] @ "
        "git+https://github.com/OWNER/notifications-python-client.git'"
    )


def test_when_the_package_is_not_installed_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> Any:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(extras.metadata, "distribution", missing)

    assert " @ git+" in install_command("bulk")


def test_this_checkout_is_named() -> None:
    assert install_command("bulk") in (
        f"pip install '{ROOT}[bulk]'",
        "pip install 'notifications-python-client[bulk] @ "
        "git+https://github.com/OWNER/notifications-python-client.git'",
    )


def test_no_page_or_message_gives_the_index_form() -> None:
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    files += sorted((ROOT / "notifications_python_client").rglob("*.py"))
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in INDEX_FORM.finditer(path.read_text(encoding="utf-8"))
    ]

    assert found == []
