"""Validates API responses against the JSON Schemas in ``integration_test/schemas/``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIRECTORY = Path(__file__).parent / "schemas"


class SchemaMismatch(AssertionError):
    """A response did not have the documented shape."""


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator for ``schemas/<name>.json``, loaded once."""
    schema = json.loads((SCHEMA_DIRECTORY / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate_response(name: str, instance: Any) -> Any:
    """Check ``instance`` against the named schema and give it back; every problem is listed."""
    problems = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    if problems:
        details = "; ".join(
            f"{'/'.join(map(str, p.absolute_path)) or '<root>'}: {p.message}" for p in problems
        )
        raise SchemaMismatch(f"response does not match {name}: {details}")
    return instance
