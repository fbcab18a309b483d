"""Every ```console example of the docs runs against the simulator; the usage text is current.

In a ```console block, ``$ `` starts a command (a trailing ``\\`` continues it) and the lines up
to the next command are its output. Commands run in order, in one folder holding ``file.pdf``
and ``file.csv``, through ``cli.run``. The runner stands in for the shell: it supplies the
environment (``NOTIFY_API_KEY``, ``NOTIFY_API_URL`` and the simulator's settings such as
``$SMS_TEMPLATE_ID``), so ``export``/``eval`` lines and the line that starts a simulator server
are not run; ``$NOTIFICATION_ID`` is the ``id`` printed by the latest ``send``. A command must
exit 0, or the status its ``# exits N`` comment gives; a failing command's ``notify:`` output
lines must equal its stderr.
"""

from __future__ import annotations

import io
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from example_files import write_example_files

from notifications_python_client.cli import entry as cli
from notifications_python_client.simulator.server import NotifySimulator
from tools import docs_hooks

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGE = DOCS / "cli.md"
# Pages with console examples, and how many each must run at least (so none is skipped).
CONSOLE_PAGES = {"cli.md": 15, "getting-started.md": 2, "bulk-sending.md": 2}
CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
TEXT_BLOCK = re.compile(r"^```text\n(.*?)^```$", re.MULTILINE | re.DOTALL)
EXIT_COMMENT = re.compile(r"#\s*exits (\d+)\s*$")
VARIABLE = re.compile(r"\$\{?([A-Z_][A-Z0-9_]*)\}?")
SHELL_ONLY = ("export ", "eval ")


@dataclass
class Example:
    """One documented command and what the page says it does."""

    command: str
    output: list[str]

    @property
    def exit_status(self) -> int:
        found = EXIT_COMMENT.search(self.command)
        return int(found.group(1)) if found else 0

    @property
    def runs(self) -> bool:
        """Shell set-up and starting a server are the runner's job, not the example's."""
        if self.command.startswith(SHELL_ONLY):
            return False
        return not (self.command.startswith("notify simulator") and "--env" not in self.command)


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    for block in CONSOLE_BLOCK.findall(text):
        pending = ""
        for line in block.splitlines():
            if pending or line.startswith("$ "):
                pending += line.removeprefix("$ ").strip()
                if pending.endswith("\\"):
                    pending = pending[:-1].rstrip() + " "
                    continue
                found.append(Example(pending, []))
                pending = ""
            elif found:
                found[-1].output.append(line)
    return found


def expand(command: str, variables: dict[str, str]) -> list[str]:
    """The command's arguments, with ``$NAME`` replaced as the shell would."""
    expanded = VARIABLE.sub(lambda match: variables[match.group(1)], command)
    return shlex.split(expanded, comments=True)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_example_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", sorted(CONSOLE_PAGES))
def test_page_examples_run(folder: Path, name: str) -> None:
    documented = examples((DOCS / name).read_text(encoding="utf-8"))
    ran = 0
    with NotifySimulator() as sim:
        variables = {**sim.env(), "NOTIFY_API_KEY": sim.api_key("test")}
        for example in documented:
            if not example.runs:
                continue
            argv = expand(example.command, variables)
            assert argv[0] == "notify", example.command
            stdout, stderr = io.StringIO(), io.StringIO()
            status = cli.run(
                argv[1:], environ=variables, stdout=stdout, stderr=stderr, sleep=sim.advance_clock
            )
            assert (status, example.command) == (example.exit_status, example.command), (
                stderr.getvalue()
            )
            if status:
                expected = [line for line in example.output if line.startswith("notify: ")]
                assert stderr.getvalue().splitlines() == expected, example.command
            elif argv[1] == "send":
                printed = stdout.getvalue()
                is_id = "--output" in argv and "id" in argv
                variables["NOTIFICATION_ID"] = (
                    printed.strip() if is_id else json.loads(printed)["id"]
                )
            ran += 1
    assert ran >= CONSOLE_PAGES[name], "examples were skipped"
    if name == "cli.md":
        assert (folder / "letter-preview.pdf").read_bytes().startswith(b"%PDF-")


def test_every_page_with_notify_examples_is_run() -> None:
    with_examples = {
        page.name
        for page in DOCS.glob("*.md")
        if any("$ notify" in block for block in CONSOLE_BLOCK.findall(page.read_text()))
    }

    assert with_examples == set(CONSOLE_PAGES)


def test_page_shows_the_usage_from_the_tool_itself() -> None:
    page = PAGE.read_text(encoding="utf-8")

    rendered = docs_hooks.on_page_markdown(page)

    assert docs_hooks.USAGE_MARKER in page
    assert cli.USAGE.strip("\n") + "\n" in TEXT_BLOCK.findall(rendered)


def test_examples_are_parsed_with_their_output_and_exit_status() -> None:
    parsed = examples(
        "```console\n$ notify a \\\n    --b c   # exits 2\nnotify: no\n$ notify d\n{}\n```\n"
    )

    assert parsed == [
        Example("notify a --b c   # exits 2", ["notify: no"]),
        Example("notify d", ["{}"]),
    ]
    assert [p.exit_status for p in parsed] == [2, 0]
