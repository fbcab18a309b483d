"""Every ```python example in README.md and docs/ runs against the local simulator.

The examples of one page run in order in one namespace, seeded with the names the docs promise
(``api_key``, ``base_url``, the template and sender ids), in a folder holding ``file.pdf`` and
``file.csv``.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from example_files import write_example_files

from notifications_python_client.base import BaseAPIClient
from notifications_python_client.simulator import NotifySimulator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def python_examples(page: Path) -> list[str]:
    return PYTHON_BLOCK.findall(page.read_text(encoding="utf-8"))


def documented_names(simulator: NotifySimulator) -> dict[str, Any]:
    env = simulator.env()
    return {
        "api_key": simulator.api_key("test"),
        "base_url": simulator.url,
        "sms_template_id": env["SMS_TEMPLATE_ID"],
        "email_template_id": env["EMAIL_TEMPLATE_ID"],
        "file_email_template_id": env["FILE_EMAIL_TEMPLATE_ID"],
        "letter_template_id": env["LETTER_TEMPLATE_ID"],
        "sms_sender_id": env["SMS_SENDER_ID"],
        "email_reply_to_id": env["EMAIL_REPLY_TO_ID"],
    }


def close_clients(namespace: dict[str, Any]) -> None:
    """Close the sessions of the clients a page made, as a program would before it ends."""
    for value in namespace.values():
        if isinstance(value, BaseAPIClient):
            value.request_session.close()


def run_example_tests(namespace: dict[str, Any], simulator: NotifySimulator) -> None:
    """Call each ``test_*`` function an example defined, as pytest would with the fixture: the
    simulator reset, and the default of clients built without a base URL."""
    for name in [n for n in namespace if n.startswith("test_")]:
        example_test = namespace.pop(name)
        simulator.reset()
        with simulator.as_default():
            if inspect.iscoroutinefunction(example_test):
                asyncio.run(example_test(notify_simulator=simulator))
            else:
                example_test(notify_simulator=simulator)


@pytest.mark.parametrize("page", [p for p in PAGES if python_examples(p)], ids=lambda p: p.name)
def test_page_examples_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_example_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    with NotifySimulator() as simulator:
        namespace = documented_names(simulator)
        for number, example in enumerate(python_examples(page), start=1):
            code = compile(example, f"{page.name} example {number}", "exec")
            exec(code, namespace)
            run_example_tests(namespace, simulator)
        close_clients(namespace)
    assert capsys.readouterr().out, "the examples printed nothing"


def test_every_page_with_examples_is_checked() -> None:
    assert {p.name for p in PAGES if python_examples(p)} >= {
        "README.md",
        "index.md",
        "simulator.md",
    }
