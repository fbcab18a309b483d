"""Callback bodies read into typed records; anything else refused with every problem listed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from callback_support import (
    NOTIFICATION_ID,
    RECEIVED_ID,
    TEMPLATE_ID,
    encoded,
    receipt,
    received_text,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications_python_client.callbacks import (
    MAX_CALLBACK_BODY_BYTES,
    CallbackPayloadError,
    DeliveryReceipt,
    ReceivedText,
    parse_callback,
    parse_delivery_receipt,
    parse_received_text,
)

UTC = dt.timezone.utc
FUZZ: dict[str, Any] = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}


@pytest.mark.parametrize("as_given", [encoded, lambda f: encoded(f).decode(), dict, bytearray])
def test_a_delivery_receipt_is_read_from_bytes_text_or_a_mapping(as_given: Any) -> None:
    body = receipt()
    given_body = as_given(encoded(body)) if as_given is bytearray else as_given(body)

    read = parse_callback(given_body)

    assert read == DeliveryReceipt(
        id=NOTIFICATION_ID,
        reference="12345678",
        to="07700912345",
        status="delivered",
        created_at=dt.datetime(2017, 5, 14, 12, 15, 30, tzinfo=UTC),
        completed_at=dt.datetime(2017, 5, 14, 12, 15, 31, tzinfo=UTC),
        sent_at=dt.datetime(2017, 5, 14, 12, 15, 30, 500000, tzinfo=UTC),
        notification_type="sms",
        template_id=TEMPLATE_ID,
        template_version=1,
    )
    assert read == parse_delivery_receipt(given_body)
    assert isinstance(read, DeliveryReceipt) and read.is_final and not read.failed


def test_a_received_text_is_read() -> None:
    read = parse_callback(encoded(received_text()))

    assert read == ReceivedText(
        id=RECEIVED_ID,
        source_number="447700912345",
        destination_number="07700987654",
        message="Hello Notify!",
        date_received=dt.datetime(2017, 5, 14, 12, 15, 30, tzinfo=UTC),
    )
    assert read == parse_received_text(encoded(received_text()))


def test_nulls_are_none_and_fields_notify_adds_later_are_kept() -> None:
    body = receipt(reference=None, completed_at=None, sent_at=None, cost=0.0246, new={"a": 1})

    read = parse_delivery_receipt(encoded(body))

    assert (read.reference, read.completed_at, read.sent_at) == (None, None, None)
    assert read.extra == {"cost": 0.0246, "new": {"a": 1}}


@pytest.mark.parametrize(
    ("status", "final", "failed"),
    [("delivered", True, False), ("permanent-failure", True, True),
     ("temporary-failure", True, True), ("technical-failure", True, True),
     ("sending", False, False), ("sent", False, False)],
)  # fmt: skip
def test_what_a_status_means(status: str, final: bool, failed: bool) -> None:
    read = parse_delivery_receipt(receipt(status=status))

    assert (read.is_final, read.failed) == (final, failed)


@pytest.mark.parametrize(
    ("time", "expected"),
    [("2017-05-14T12:15:30Z", dt.datetime(2017, 5, 14, 12, 15, 30, tzinfo=UTC)),
     ("2017-05-14T12:15:30.000000", dt.datetime(2017, 5, 14, 12, 15, 30, tzinfo=UTC)),
     ("2017-05-14T13:15:30+01:00", dt.datetime(2017, 5, 14, 12, 15, 30, tzinfo=UTC))],
)  # fmt: skip
def test_times_are_timezone_aware_utc(time: str, expected: dt.datetime) -> None:
    assert parse_delivery_receipt(receipt(created_at=time)).created_at == expected


def test_every_problem_of_a_receipt_is_listed() -> None:
    body = receipt(id="not-a-uuid", status=5, created_at="yesterday", template_version="1")
    del body["to"]

    with pytest.raises(CallbackPayloadError) as refused:
        parse_delivery_receipt(encoded(body))

    assert refused.value.problems == [
        "id must be a UUID",
        "to is missing",
        "status must be text, not a number",
        "created_at must be a time such as 2017-05-14T12:15:30.000000Z",
        "template_version must be a whole number, 1 or more, not text",
    ]
    assert isinstance(refused.value, ValueError) and refused.value.status == 400


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "the body is not JSON"),
        (b"not json", "the body is not JSON"),
        (b'{"id": 1', "the body is not JSON"),
        (b"\xff\xfe{}", "the body is not UTF-8 text"),
        (b"[1, 2]", "the body must be a JSON object, not a list"),
        (b'"text"', "the body must be a JSON object, not text"),
        (b"null", "the body must be a JSON object, not null"),
        (b'{"status": NaN}', "the body is not JSON"),
        (b"[" * 150_000 + b"]" * 150_000, "the body is over 262144 bytes"),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, "nested too deeply"),
        (b"{}", "neither a delivery receipt nor a received text message"),
        (b" " * (MAX_CALLBACK_BODY_BYTES + 1), "the body is over 262144 bytes"),
        (12, "the body must be bytes, text or a mapping, not int"),
    ],
)
def test_what_is_no_callback_is_refused_clearly(body: Any, problem: str) -> None:
    with pytest.raises(CallbackPayloadError, match=problem):
        parse_callback(body)


def test_a_received_text_missing_everything_lists_each_field() -> None:
    with pytest.raises(CallbackPayloadError) as refused:
        parse_received_text(b'{"message": 3}')

    assert refused.value.problems == [
        "id is missing",
        "source_number is missing",
        "destination_number is missing",
        "message must be text, not a number",
        "date_received is missing",
    ]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=15,
)
RECEIPT_FIELD_VALUES = st.fixed_dictionaries({}, optional={name: JSON for name in receipt()})


@settings(**FUZZ, max_examples=400)
@given(body=st.binary(max_size=300))
def test_any_bytes_give_a_record_or_a_payload_error(body: bytes) -> None:
    try:
        parse_callback(body)
    except CallbackPayloadError as error:
        assert error.problems


@settings(**FUZZ, max_examples=400)
@given(value=JSON)
def test_any_json_gives_a_record_or_a_payload_error(value: Any) -> None:
    try:
        parse_callback(json.dumps(value))
    except CallbackPayloadError as error:
        assert error.problems


@settings(**FUZZ, max_examples=400)
@given(
    fields=RECEIPT_FIELD_VALUES, kind=st.sampled_from([parse_delivery_receipt, parse_received_text])
)
def test_any_values_of_the_known_fields_give_a_record_or_every_problem(
    fields: dict[str, Any], kind: Any
) -> None:
    try:
        kind(fields)
    except CallbackPayloadError as error:
        assert error.problems and all(isinstance(p, str) for p in error.problems)
