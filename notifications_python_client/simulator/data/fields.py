"""Typed, path-aware reading of the simulator's data file, one JSON field at a time.

A ``Field`` wraps a JSON value with its path in the file (``services[0].templates[1].type``), so
that every check can raise a ``DataFileError`` that names exactly the field that is wrong.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

# Stands for a field that is absent from the file (as opposed to present and ``null``), and as a
# reader's default for a field that is required.
ABSENT: Any = object()


class DataFileError(ValueError):
    """The simulator's data is malformed; the message starts with the path of the bad field."""


class Field:
    """A JSON value and its path in the file, with typed readers that name the path on error."""

    def __init__(self, value: Any, path: str) -> None:
        self.value = value
        self.path = path

    @property
    def absent(self) -> bool:
        """Whether the file leaves this field out."""
        return self.value is ABSENT

    def fail(self, message: str) -> NoReturn:
        raise DataFileError(f"{self.path or 'data'}: {message}")

    def child(self, key: str) -> Field:
        return Field(self.value.get(key, ABSENT), f"{self.path}.{key}" if self.path else key)

    def object(self, allowed: tuple[str, ...]) -> Field:
        """Check this is an object with only ``allowed`` keys; absent counts as empty."""
        if self.value is ABSENT:
            self.value = {}
        if not isinstance(self.value, dict):
            self.fail("must be an object")
        for key in self.value:
            if key not in allowed:
                self.child(key).fail("unknown field")
        return self

    def items(self, *, required: bool = False) -> list[Field]:
        if self.value is ABSENT:
            return [] if not required else self.fail("is required")
        if not isinstance(self.value, list):
            self.fail("must be a list")
        return [Field(item, f"{self.path}[{index}]") for index, item in enumerate(self.value)]

    def _present(self, default: Any) -> bool:
        if self.value is ABSENT and default is ABSENT:
            self.fail("is required")
        return self.value is not ABSENT

    def text(self, default: Any = ABSENT, *, nullable: bool = False, empty: bool = False) -> Any:
        if not self._present(default):
            return default
        if self.value is None and nullable:
            return None
        if not isinstance(self.value, str) or not (self.value or empty):
            self.fail("must be a non-empty string")
        return self.value

    def flag(self, default: bool) -> bool:
        if not self._present(default):
            return default
        if not isinstance(self.value, bool):
            self.fail("must be true or false")
        return self.value

    def number(self, default: Any = ABSENT, *, integer: bool = False) -> Any:
        if not self._present(default):
            return default
        wanted = (int,) if integer else (int, float)
        if isinstance(self.value, bool) or not isinstance(self.value, wanted) or self.value < 0:
            self.fail(
                "must be a whole number, 0 or more" if integer else "must be a number, 0 or more"
            )
        return self.value

    def choice(self, choices: tuple[str, ...], default: Any = ABSENT) -> Any:
        if not self._present(default):
            return default
        if self.value not in choices:
            self.fail("must be one of " + ", ".join(choices))
        return self.value

    def uuid(self) -> str:
        text = self.text()
        try:
            return str(uuid.UUID(text))
        except ValueError:
            self.fail("must be a UUID")

    def texts(self) -> list[str]:
        return [item.text() for item in self.items()]
