"""Turn the `notify` command line's text into the values the client takes, or explain the mistake.

Every problem here is the user's to fix before anything is sent, so each one raises
:class:`InputError`, which the command line reports in one line and exits with status 2.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from notifications_python_client.client_arguments import BASE_URL_VARIABLE, DEFAULT_BASE_URL
from notifications_python_client.types import FileUpload
from notifications_python_client.utils import prepare_upload

API_KEY_VARIABLE = "NOTIFY_API_KEY"
OUTPUT_FORMATS = ("json", "table", "id")
# A run of hex digits and hyphens as long as a good part of a UUID: the service id or secret of
# a key (or a piece of one) typed where a file's name should be.
SECRET_LIKE = re.compile(r"[0-9a-fA-F-]{16,}")

_YES = frozenset({"yes", "true", "y", "1", "on"})
_NO = frozenset({"no", "false", "n", "0", "off"})
_ATTACH_SETTINGS = ("filename", "confirm", "retention")


class InputError(ValueError):
    """A command-line value the user must correct; its message is shown as is."""


class StandardInput:
    """Standard input as a file any one option may name with ``-``: read once, by one option."""

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self._stream = stream
        self.taken_by: str | None = None

    def take(self, option: str) -> BinaryIO:
        """All of standard input, for ``option``; a second option asking is refused."""
        if self.taken_by is not None:
            raise InputError(
                f"{option} and {self.taken_by} both name - (standard input), which can be read "
                "only once"
            )
        self.taken_by = option
        return self._stream if self._stream is not None else sys.stdin.buffer


# The standard input of the command being run; `entry.run` gives each run its own.
STANDARD_INPUT = StandardInput()
STDIN_NAME = "-"


def use_standard_input(stream: BinaryIO | None) -> None:
    """Start a command: ``stream`` (``sys.stdin`` when None) is what ``-`` reads."""
    global STANDARD_INPUT
    STANDARD_INPUT = StandardInput(stream)


def read_api_key(key_file: str | None, environ: Mapping[str, str]) -> str:
    """The API key from ``--api-key-file`` (first line) or the environment, never from argv."""
    if key_file is not None:
        named = f"--api-key-file {_file_name_shown(key_file)}"
        try:
            if key_file == STDIN_NAME:
                text = STANDARD_INPUT.take("--api-key-file").read().decode("utf-8")
            else:
                text = Path(key_file).read_text(encoding="utf-8")
        except OSError as error:
            raise InputError(f"cannot read {named}: {_reason(error)}") from None
        except UnicodeDecodeError:
            raise InputError(f"{named} is not text") from None
        lines = text.strip().splitlines()
        key = lines[0].strip() if lines else ""
        if not key:
            raise InputError(f"{named} is empty")
        return key
    key = environ.get(API_KEY_VARIABLE, "").strip()
    if not key:
        raise InputError(f"no API key: set {API_KEY_VARIABLE} or pass --api-key-file FILE")
    return key


def base_url(option: str | None, environ: Mapping[str, str]) -> str:
    """``--base-url``, else ``NOTIFY_API_URL``, else the real Notify service."""
    return option or environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL


def output_format(option: str) -> str:
    """Check ``--output`` names a format we can print."""
    if option not in OUTPUT_FORMATS:
        raise InputError(f"--output must be one of {', '.join(OUTPUT_FORMATS)}, not {option!r}")
    return option


def positive_number(option: str, text: str) -> float:
    """A number of seconds greater than zero, for time limits and intervals."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{option} must be a number of seconds, not {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise InputError(f"{option} must be more than 0 seconds, not {text!r}")
    return value


def whole_number(option: str, text: str) -> int:
    """A positive integer, such as a template version."""
    if not text.isdigit() or int(text) < 1:
        raise InputError(f"{option} must be a whole number from 1, not {text!r}")
    return int(text)


def personalisation(
    json_text: str | None, pairs: Sequence[str], attachments: Sequence[str] = ()
) -> dict[str, Any]:
    """Merge ``--personalisation`` JSON, then ``--set`` pairs, then ``--attach`` uploads."""
    values: dict[str, Any] = _json_object(json_text) if json_text is not None else {}
    for pair in pairs:
        name, value = _name_value("--set", pair)
        values[name] = value
    for spec in attachments:
        name, upload = attachment(spec)
        values[name] = upload
    return values


def attachment(spec: str) -> tuple[str, FileUpload]:
    """Read ``NAME=FILE[;filename=F][;confirm=yes|no][;retention=N weeks]`` into an upload."""
    target, *settings_text = spec.split(";")
    name, path = _name_value("--attach", target)
    settings = dict(_name_value("--attach setting", part) for part in settings_text if part.strip())
    unknown = sorted(set(settings) - set(_ATTACH_SETTINGS))
    if unknown:
        raise InputError(
            f"--attach {name}: unknown setting {unknown[0]!r} (use {', '.join(_ATTACH_SETTINGS)})"
        )
    confirm = settings.get("confirm")
    confirm_first = None if confirm is None else _yes_no(name, confirm)
    with _open_file("--attach", path) as file:
        try:
            upload = prepare_upload(
                file,
                filename=settings.get("filename"),
                confirm_email_before_download=confirm_first,
                retention_period=settings.get("retention"),
            )
        except ValueError as error:
            raise InputError(f"--attach {name}: {path}: {error}") from None
    return name, upload


def open_input_file(option: str, path: str) -> BinaryIO:
    """Open a file the user named for reading, or explain why it cannot be read."""
    return _open_file(option, path)


def _json_object(text: str) -> dict[str, Any]:
    """Parse ``--personalisation``: inline JSON, or ``@FILE`` holding JSON."""
    source = "--personalisation"
    if text.startswith("@"):
        source = f"--personalisation file {text[1:]}"
        with _open_file("--personalisation", text[1:]) as file:
            text = file.read().decode("utf-8", errors="replace")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{source} is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise InputError(f'{source} must be a JSON object like {{"name": "Amala"}}')
    return value


def _name_value(option: str, text: str) -> tuple[str, str]:
    """Split ``name=value`` at the first ``=``; the name may not be empty."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise InputError(f"{option} needs name=value, not {text!r}")
    return name.strip(), value


def _yes_no(name: str, text: str) -> bool:
    """Read ``confirm=`` as a boolean."""
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise InputError(f"--attach {name}: confirm must be yes or no, not {text!r}")


def _open_file(option: str, path: str) -> BinaryIO:
    """Open ``path`` in binary mode (``-`` is standard input), turning OS errors into one-line
    input errors."""
    if path == STDIN_NAME:
        return STANDARD_INPUT.take(option)
    try:
        # Returned open: callers read it inside their own `with`.
        return open(path, "rb")
    except OSError as error:
        raise InputError(f"{option}: cannot read {path}: {_reason(error)}") from None


def _file_name_shown(key_file: str) -> str:
    """The key file's name as an error shows it: hidden when it looks like a key or a part of
    one (the key itself given by mistake in place of a file's name)."""
    if SECRET_LIKE.search(key_file):
        return "(a name that looks like an API key, so not shown: give the path of a file)"
    return key_file


def _reason(error: OSError) -> str:
    """The human part of an OS error, without Python's repr around it."""
    return error.strerror or type(error).__name__
