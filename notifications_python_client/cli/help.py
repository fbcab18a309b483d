"""Help drawn from the usage text itself: one command's help, and the nearest real command to a
mistyped one. Nothing here is written twice: each command's lines, description and options are
found in ``entry.USAGE``."""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Sequence

__all__ = ["command_help", "mistyped_command"]

# Words that take a second word naming what they do (`send sms`).
SUBCOMMANDS = {"send": ("sms", "email", "letter", "precompiled-letter")}
HELP_WIDTH = 96
OPTION_NAME = re.compile(r"^\s+(-\w(?: \S+)?|--[a-z][a-z0-9-]*)")


def commands(usage: str) -> list[str]:
    """The command words of the usage lines (`send`, `send-batch`, `status`, ...)."""
    words = re.findall(r"^  notify ([a-z][a-z-]*)", usage, re.MULTILINE)
    return list(dict.fromkeys(words))


def mistyped_command(argv: Sequence[str], usage: str) -> str | None:
    """The complaint about a command (or `send` type) that does not exist, or None."""
    if not argv or argv[0].startswith("-"):
        return None
    known = commands(usage)
    word = argv[0]
    if word not in known:
        return _unknown("command", word, known)
    choices = SUBCOMMANDS.get(word, ())
    second = argv[1] if len(argv) > 1 else "-"
    if choices and not second.startswith("-") and second not in choices:
        return _unknown(f"kind of message to {word}", second, list(choices))
    return None


def command_help(argv: Sequence[str], usage: str) -> str | None:
    """The help of the command ``argv`` starts with, or None for the whole tool's."""
    words = [word for word in argv if not word.startswith("-")][:2]
    if not words or words[0] not in commands(usage):
        return None
    name = " ".join(words if words[0] in SUBCOMMANDS and len(words) > 1 else words[:1])
    lines = _usage_lines(usage, name)
    if not lines:
        return None
    named = set(re.findall(r"--[a-z][a-z0-9-]*|-o\b", "\n".join(lines)))
    wants_options = "[options]" in "\n".join(lines)
    parts = ["Usage:", *lines, ""]
    description = _description(usage, name)
    if description:
        parts += [textwrap.fill(description, width=HELP_WIDTH), ""]
    parts += ["Options:", *_options(usage, named, everyday=wants_options)]
    return "\n".join(parts).rstrip() + "\n"


def _unknown(what: str, word: str, known: list[str]) -> str:
    nearest = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    hint = f"; did you mean {nearest[0]!r}?" if nearest else f" (try one of: {', '.join(known)})"
    return f"unknown {what} {word!r}{hint}"


def _usage_lines(usage: str, name: str) -> list[str]:
    """The usage lines of one command, with their continuation lines."""
    block = usage[usage.index("Usage:") : usage.index("\n\n", usage.index("Usage:"))]
    found: list[str] = []
    taking = False
    for line in block.splitlines()[1:]:
        if line.startswith("  notify "):
            taking = line.startswith(f"  notify {name} ") or line == f"  notify {name}"
        if taking:
            found.append(line)
    return found


def _description(usage: str, name: str) -> str:
    """The command's entry under ``Commands:``, as one paragraph."""
    block = usage[usage.index("Commands:") : usage.index("\n\n", usage.index("Commands:"))]
    text: list[str] = []
    taking = False
    for line in block.splitlines()[1:]:
        if line.startswith("  ") and not line.startswith("   "):
            if taking:
                break
            head, _, rest = line.strip().partition("  ")
            taking = name in [part.strip() for part in head.split(",")]
            text = [rest.strip()]
        elif taking:
            text.append(line.strip())
    return " ".join(part for part in text if part)


def _options(usage: str, named: set[str], *, everyday: bool) -> list[str]:
    """The ``Options:`` entries the command names, and the everyday ones if it takes them."""
    block = usage[usage.index("Options:") : usage.index("\n\n", usage.index("Options:"))]
    everyday_names = {"-h", "--api-key-file", "--base-url", "--output", "--timeout", "-v"}
    kept: list[str] = []
    taking = False
    for line in block.splitlines()[1:]:
        match = OPTION_NAME.match(line)
        if match:
            option = match.group(1).split(" ")[0]
            taking = option in named or (everyday and option in everyday_names)
        if taking:
            kept.append(line)
    return kept
