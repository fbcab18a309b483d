"""Keeping the latest status when receipts repeat or cross on the way."""

from __future__ import annotations

from callback_support import receipt

from notifications_python_client.callbacks import (
    DeliveryReceipt,
    LatestReceipts,
    is_newer,
    parse_delivery_receipt,
)


def received(status: str, completed_at: str) -> DeliveryReceipt:
    return parse_delivery_receipt(receipt(status=status, completed_at=completed_at))


def test_a_final_status_is_never_replaced_by_one_that_is_not() -> None:
    latest = LatestReceipts()
    delivered = received("delivered", "2017-05-14T12:00:00Z")
    sending_retry = received("sending", "2017-05-14T12:05:00Z")

    assert latest.record(delivered) is True
    assert latest.record(sending_retry) is False
    assert latest.get(delivered.id) == delivered


def test_the_later_completed_at_wins_and_a_repeat_changes_nothing() -> None:
    first = received("temporary-failure", "2017-05-14T12:00:00Z")
    later = received("delivered", "2017-05-14T12:10:00Z")
    latest = LatestReceipts()

    assert [latest.record(r) for r in (later, first, later)] == [True, False, False]
    assert latest.get(first.id) == later and len(latest) == 1


def test_without_a_completed_at_a_receipt_is_the_oldest() -> None:
    undated = parse_delivery_receipt(receipt(status="sending", completed_at=None))
    dated = parse_delivery_receipt(receipt(status="sending", completed_at="2017-05-14T12:00:00Z"))

    assert is_newer(dated, undated) and not is_newer(undated, dated)
    assert is_newer(undated, None)
    assert LatestReceipts().get("unknown") is None
