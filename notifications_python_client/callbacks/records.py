"""The two callbacks Notify POSTs, read into typed records: delivery receipts and received texts.

The fields are those of Notify's documentation ("Callbacks"). Times become timezone-aware
``datetime`` objects (UTC); ``template_version`` is the only number. Fields Notify adds later
are kept in ``extra``, never refused. Anything else, whatever its bytes, raises a
``CallbackPayloadError`` that lists every problem, and nothing else escapes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from notifications_python_client.callbacks.errors import CallbackPayloadError

__all__ = [
    "MAX_CALLBACK_BODY_BYTES",
    "DeliveryReceipt",
    "ReceivedText",
    "parse_callback",
    "parse_delivery_receipt",
    "parse_received_text",
]

# A receipt is a few hundred bytes and a received text at most a few KiB: far more is no callback.
MAX_CALLBACK_BODY_BYTES = 256 * 1024
# Statuses after which a notification's status never changes again.
FINAL_STATUSES = frozenset(
    {"delivered", "permanent-failure", "temporary-failure", "technical-failure"}
)
FAILURE_STATUSES = FINAL_STATUSES - {"delivered"}

Body = bytes | bytearray | memoryview | str | Mapping[str, Any]
Record = TypeVar("Record", "DeliveryReceipt", "ReceivedText")


@dataclass(frozen=True)
class DeliveryReceipt:
    """A delivery receipt: the status of an email or text message the service sent.

    :param id: Notify's id of the notification.
    :param reference: the reference the service sent it with, or None.
    :param to: the email address or phone number it went to.
    :param status: ``delivered``, ``permanent-failure``, ``temporary-failure`` or
        ``technical-failure`` (and possibly ``sent`` for an international text message).
    :param created_at: when the service sent the request.
    :param completed_at: when the status last changed, or None.
    :param sent_at: when Notify sent it on, or None.
    :param notification_type: ``email`` or ``sms``.
    :param template_id: the template used, and ``template_version`` its version.
    :param extra: any fields Notify sent beyond these, as they came.
    """

    id: str
    reference: str | None
    to: str
    status: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    sent_at: dt.datetime | None
    notification_type: str
    template_id: str
    template_version: int
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_final(self) -> bool:
        """Whether this status is the last the notification will have."""
        return self.status in FINAL_STATUSES

    @property
    def failed(self) -> bool:
        """Whether the message was not delivered (a permanent, temporary or technical
        failure)."""
        return self.status in FAILURE_STATUSES


@dataclass(frozen=True)
class ReceivedText:
    """A text message someone sent to the service's number.

    :param id: Notify's id of the received message.
    :param source_number: the number it came from, in Notify's digits form (``447700912345``).
    :param destination_number: the service's number it was sent to.
    :param message: what it says.
    :param date_received: when Notify received it.
    :param extra: any fields Notify sent beyond these, as they came.
    """

    id: str
    source_number: str
    destination_number: str
    message: str
    date_received: dt.datetime
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


def parse_callback(body: Body) -> DeliveryReceipt | ReceivedText:
    """A callback of either kind, told apart by its fields.

    :param body: the request body as bytes or text, or an already decoded JSON object.
    :raises CallbackPayloadError: listing every problem; nothing else is raised.
    """
    fields = _json_object(body)
    if "source_number" in fields or "date_received" in fields or "message" in fields:
        return _read(fields, ReceivedText, RECEIVED_TEXT_FIELDS)
    if "status" in fields or "notification_type" in fields or "template_id" in fields:
        return _read(fields, DeliveryReceipt, DELIVERY_RECEIPT_FIELDS)
    raise CallbackPayloadError(
        ["the body is neither a delivery receipt nor a received text message (no status, "
         "notification_type, message or source_number)"]
    )  # fmt: skip


def parse_delivery_receipt(body: Body) -> DeliveryReceipt:
    """A delivery receipt.

    :raises CallbackPayloadError: listing every problem; nothing else is raised.
    """
    return _read(_json_object(body), DeliveryReceipt, DELIVERY_RECEIPT_FIELDS)


def parse_received_text(body: Body) -> ReceivedText:
    """A received text message.

    :raises CallbackPayloadError: listing every problem; nothing else is raised.
    """
    return _read(_json_object(body), ReceivedText, RECEIVED_TEXT_FIELDS)


def _json_object(body: Body) -> dict[str, Any]:
    """The body as a JSON object, or the problem that stops it being one."""
    if isinstance(body, Mapping):
        return dict(body)
    if isinstance(body, bytearray | memoryview):
        body = bytes(body)
    if not isinstance(body, bytes | str):
        raise CallbackPayloadError([f"the body must be bytes, text or a mapping, not "
                                    f"{type(body).__name__}"])  # fmt: skip
    if len(body) > MAX_CALLBACK_BODY_BYTES:
        raise CallbackPayloadError([f"the body is over {MAX_CALLBACK_BODY_BYTES} bytes"])
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise CallbackPayloadError(["the body is not UTF-8 text"]) from None
    try:
        value = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise CallbackPayloadError(["the body's JSON is nested too deeply"]) from None
    except ValueError as error:
        raise CallbackPayloadError([f"the body is not JSON ({error})"]) from None
    if not isinstance(value, dict):
        raise CallbackPayloadError([f"the body must be a JSON object, not {_kind(value)}"])
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


Reader = Callable[[Any], Any]


def _read(fields: Mapping[str, Any], record: type[Record], readers: Mapping[str, Reader]) -> Record:
    """The record from ``fields``, each read by its reader; every problem listed at once."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, reader in readers.items():
        if name not in fields:
            problems.append(f"{name} is missing")
            continue
        try:
            values[name] = reader(fields[name])
        except _Problem as problem:
            problems.append(f"{name} {problem}")
    if problems:
        raise CallbackPayloadError(problems)
    extra = {name: value for name, value in fields.items() if name not in readers}
    return record(**values, extra=extra)


class _Problem(Exception):
    """What is wrong with one field's value, in words that follow its name."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Problem(f"must be text, not {_kind(value)}")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _uuid(value: Any) -> str:
    text = _text(value)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise _Problem("must be a UUID") from None


def _time(value: Any) -> dt.datetime:
    text = _text(value)
    try:
        parsed = dt.datetime.fromisoformat(text.removesuffix("Z").removesuffix("z"))
        if parsed.tzinfo is None:  # Notify's times are UTC, written with a Z
            return parsed.replace(tzinfo=dt.timezone.utc)
        return parsed.astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        raise _Problem("must be a time such as 2017-05-14T12:15:30.000000Z") from None


def _optional_time(value: Any) -> dt.datetime | None:
    return None if value is None else _time(value)


def _version(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Problem(f"must be a whole number, 1 or more, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    """How a JSON value is described in a problem, never the value itself (it may be huge)."""
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false",
             int: "a number", float: "a number", type(None): "null"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


DELIVERY_RECEIPT_FIELDS: dict[str, Reader] = {
    "id": _uuid,
    "reference": _optional_text,
    "to": _text,
    "status": _text,
    "created_at": _time,
    "completed_at": _optional_time,
    "sent_at": _optional_time,
    "notification_type": _text,
    "template_id": _uuid,
    "template_version": _version,
}
RECEIVED_TEXT_FIELDS: dict[str, Reader] = {
    "id": _uuid,
    "source_number": _text,
    "destination_number": _text,
    "message": _text,
    "date_received": _time,
}
