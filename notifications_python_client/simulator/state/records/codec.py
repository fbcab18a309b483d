"""Records as JSON, and back, exactly: what the SQLite store writes in its rows.

JSON has no dates, bytes, tuples or sets, and the records hold all four, so each is written
as a one-key object with a ``$`` tag (``{"$t": "2026-..."}``); a mapping whose own keys could
be mistaken for a tag is wrapped likewise. A record (a dataclass) is written with its class's
name, and read back only as one of ``RECORD_CLASSES``: a row can never make any other object.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from typing import Any

from notifications_python_client.simulator.checks.files import UploadedDocument
from notifications_python_client.simulator.domain.models import (
    CallbackConfig,
    Notification,
    ReceivedText,
    Template,
    TemplateVersion,
)
from notifications_python_client.simulator.state.callbacks import CallbackAttempt
from notifications_python_client.simulator.state.documents import Document
from notifications_python_client.simulator.state.lifecycle import Transition

__all__ = ["RECORD_CLASSES", "RecordFormatError", "dumps", "loads"]

RECORD_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Notification,
        ReceivedText,
        Template,
        TemplateVersion,
        CallbackConfig,
        Transition,
        UploadedDocument,
        Document,
        CallbackAttempt,
    )
}


class RecordFormatError(ValueError):
    """A row that is not a record this version writes: the file is damaged or foreign."""


def dumps(value: Any) -> str:
    """``value`` as JSON text, every date, byte string, tuple, set and record kept."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """What ``dumps`` wrote.

    :raises RecordFormatError: the text is not JSON, or names a record that is not known.
    """
    try:
        return _decode(json.loads(text))
    except (ValueError, TypeError, KeyError) as error:
        raise RecordFormatError(f"a stored record cannot be read: {error}") from None


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$r": type(value).__name__, "f": fields}
    if isinstance(value, dt.datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"$p": [_encode(item) for item in value]}
    if isinstance(value, set | frozenset):
        return {"$s": sorted((_encode(item) for item in value), key=repr)}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        encoded = {str(key): _encode(item) for key, item in value.items()}
        return {"$d": encoded} if any(key.startswith("$") for key in encoded) else encoded
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$r" in value:
        cls = RECORD_CLASSES[value["$r"]]
        return cls(**{name: _decode(item) for name, item in value["f"].items()})
    if "$t" in value:
        return dt.datetime.fromisoformat(value["$t"])
    if "$b" in value:
        return base64.b64decode(value["$b"])
    if "$p" in value:
        return tuple(_decode(item) for item in value["$p"])
    if "$s" in value:
        return {_decode(item) for item in value["$s"]}
    if "$d" in value:
        return {key: _decode(item) for key, item in value["$d"].items()}
    return {key: _decode(item) for key, item in value.items()}
