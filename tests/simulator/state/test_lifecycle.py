"""Status transitions on the simulator's clock, read through the store.

Behaviour: Test-key outcomes; Statuses.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from freezegun import freeze_time

from notifications_python_client.simulator.domain.models import Notification, Service, Timings
from notifications_python_client.simulator.state import lifecycle
from notifications_python_client.simulator.state.lifecycle import Transition
from notifications_python_client.simulator.state.store import Store

FROZEN_AT = "2024-05-17 12:00:00"
CREATED_AT = dt.datetime(2024, 5, 17, 12, 0, tzinfo=dt.timezone.utc)
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
VALID_PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def make_store(**timings: float) -> Store:
    return Store([Service(id=SERVICE_ID, name="Pigeons", timings=Timings(**timings))])


@pytest.fixture
def frozen() -> Iterator[None]:
    with freeze_time(FROZEN_AT):
        yield


def add(store: Store, notification_type: str = "sms", **fields: Any) -> Notification:
    """Store a notification as a handler would; returns the stored object."""
    recipients = {"sms": {"phone_number": "07700900123"}, "email": {"email_address": "a@b.com"}}
    notification = Notification(
        id=str(uuid.uuid4()),
        service_id=SERVICE_ID,
        key_type=fields.pop("key_type", "test"),
        type=notification_type,  # type: ignore[arg-type]
        template_id=str(uuid.uuid4()),
        template_version=1,
        created_at=store.clock.now(),
        status="pending-virus-check" if fields.get("is_precompiled_letter") else "created",
        **{**recipients.get(notification_type, {}), **fields},
    )
    store.add_notification(notification)
    return notification


def status(store: Store, notification: Notification) -> str:
    found = store.notification(SERVICE_ID, notification.id)
    assert found is not None
    return found.status


@pytest.mark.parametrize(
    ("phone_number", "outcome"),
    [
        ("07700900003", "temporary-failure"),
        ("+447700900003", "temporary-failure"),
        ("07700900002", "permanent-failure"),
        (" 447700900002 ", "permanent-failure"),
        ("07700 900003", "delivered"),
        ("07700900123", "delivered"),
    ],
)
def test_test_key_sms_outcome_follows_the_number_as_sent(phone_number: str, outcome: str) -> None:
    store = make_store()
    notification = add(store, phone_number=phone_number)

    assert status(store, notification) == outcome
    assert notification.final_status == outcome


@pytest.mark.parametrize(
    ("email_address", "outcome"),
    [
        ("temp-fail@simulator.notify", "temporary-failure"),
        ("perm-fail@simulator.notify", "permanent-failure"),
        ("Perm-fail@simulator.notify", "delivered"),
        ("someone@example.com", "delivered"),
    ],
)
def test_test_key_email_outcome_follows_the_exact_address(email_address: str, outcome: str) -> None:
    store = make_store()
    assert status(store, add(store, "email", email_address=email_address)) == outcome


@pytest.mark.parametrize("key_type", ["normal", "team"])
def test_live_and_team_keys_are_always_delivered(key_type: str) -> None:
    store = make_store()
    notification = add(store, key_type=key_type, phone_number="07700900003")
    assert status(store, notification) == "delivered"


def test_sms_moves_on_with_the_clock(frozen: None) -> None:
    store = make_store(sending_after_seconds=10, delivered_after_seconds=20)
    notification = add(store, billable_sms_fragments=1)

    store.clock.advance(9.9)
    early = store.notification(SERVICE_ID, notification.id)
    store.clock.advance(0.1)
    sending = store.notification(SERVICE_ID, notification.id)
    store.clock.advance(20)
    final = store.notification(SERVICE_ID, notification.id)

    assert early is not None and sending is not None and final is not None
    assert (early.status, early.sent_at, early.sms_rate) == ("created", None, None)
    assert (sending.status, sending.completed_at) == ("sending", None)
    assert sending.sent_at == CREATED_AT + dt.timedelta(seconds=10)
    assert sending.sms_rate == 0.024
    assert sending.billable_sms_fragments == 1
    assert final.status == "delivered"
    assert final.sent_at == CREATED_AT + dt.timedelta(seconds=10)
    assert final.completed_at == final.updated_at == CREATED_AT + dt.timedelta(seconds=30)


def test_times_do_not_depend_on_when_anyone_looks(frozen: None) -> None:
    store = make_store(sending_after_seconds=1, delivered_after_seconds=2)
    notification = add(store, "email")

    store.clock.advance(3600)
    found = store.notification(SERVICE_ID, notification.id)

    assert found is not None
    assert found.sent_at == CREATED_AT + dt.timedelta(seconds=1)
    assert found.completed_at == CREATED_AT + dt.timedelta(seconds=3)


def test_with_default_timings_a_read_straight_away_sees_the_final_status() -> None:
    store = make_store()
    notification = add(store, "email", email_address="perm-fail@simulator.notify")
    assert status(store, notification) == "permanent-failure"


def test_international_sms_is_sent_then_delivered(frozen: None) -> None:
    store = make_store(sending_after_seconds=1, delivered_after_seconds=1)
    notification = add(store, phone_number="+33612345678", is_international=True)

    store.clock.advance(1)
    sent = store.notification(SERVICE_ID, notification.id)
    store.clock.advance(1)
    delivered = store.notification(SERVICE_ID, notification.id)

    assert sent is not None and delivered is not None
    assert (sent.status, sent.completed_at) == ("sent", CREATED_AT + dt.timedelta(seconds=1))
    assert (delivered.status, delivered.completed_at) == (
        "delivered",
        CREATED_AT + dt.timedelta(seconds=2),
    )


def test_test_key_templated_letter_is_sending_at_once(frozen: None) -> None:
    store = make_store(
        sending_after_seconds=10, delivered_after_seconds=5, letter_pdf_ready_after_seconds=3
    )
    letter = add(store, "letter")

    assert status(store, letter) == "sending"
    assert letter.pdf_ready_at == CREATED_AT + dt.timedelta(seconds=3)
    store.clock.advance(5)
    assert status(store, letter) == "delivered"


def test_live_templated_letter_waits_for_the_printer(frozen: None) -> None:
    store = make_store(sending_after_seconds=10, delivered_after_seconds=5)
    letter = add(store, "letter", key_type="normal")

    assert status(store, letter) == "created"
    store.clock.advance(10)
    assert status(store, letter) == "sending"
    store.clock.advance(5)
    assert status(store, letter) == "delivered"


@pytest.mark.parametrize(
    ("pdf", "outcome", "completed"),
    [
        (VALID_PDF, "delivered", True),
        (b"Just some text", "validation-failed", True),
        (None, "validation-failed", True),
        (VALID_PDF + EICAR, "virus-scan-failed", False),
    ],
    ids=["pdf", "not-a-pdf", "no-content", "eicar"],
)
def test_precompiled_letter_is_scanned(
    frozen: None, pdf: bytes | None, outcome: str, completed: bool
) -> None:
    store = make_store(sending_after_seconds=2, delivered_after_seconds=2)
    letter = add(store, "letter", is_precompiled_letter=True, pdf=pdf)

    assert status(store, letter) == "pending-virus-check"
    store.clock.advance(4)
    found = store.notification(SERVICE_ID, letter.id)

    assert found is not None and found.status == outcome
    assert (found.completed_at is not None) is completed


def test_a_valid_precompiled_letter_is_accepted_before_it_is_received(frozen: None) -> None:
    store = make_store(sending_after_seconds=2, delivered_after_seconds=2)
    letter = add(store, "letter", is_precompiled_letter=True, pdf=VALID_PDF, key_type="normal")

    store.clock.advance(2)

    assert status(store, letter) == "sending"


def test_with_a_test_key_a_precompiled_letter_goes_from_the_virus_check_to_delivered(
    frozen: None,
) -> None:
    store = make_store(sending_after_seconds=2, delivered_after_seconds=2)
    letter = add(store, "letter", is_precompiled_letter=True, pdf=VALID_PDF)

    store.clock.advance(2)
    found = store.notification(SERVICE_ID, letter.id)

    assert found is not None
    assert [s for s, _ in found.status_history] == ["pending-virus-check", "delivered"]
    assert found.sent_at is None and found.completed_at is not None


@pytest.mark.parametrize(
    ("notification_type", "key_type", "has_sent_at"),
    [("letter", "test", False), ("letter", "normal", True), ("letter", "team", True),
     ("sms", "test", True), ("email", "test", True), ("sms", "normal", True)],
)  # fmt: skip
def test_sent_at_is_set_only_when_a_provider_got_the_message(
    frozen: None, notification_type: str, key_type: str, has_sent_at: bool
) -> None:
    store = make_store(sending_after_seconds=1, delivered_after_seconds=1)
    sent = add(store, notification_type, key_type=key_type)

    store.clock.advance(5)
    found = store.notification(SERVICE_ID, sent.id)

    assert found is not None and found.status == "delivered"
    assert (found.sent_at is not None) is has_sent_at
    assert found.completed_at is not None
    assert found.status_history[0] == ("created", sent.created_at)
    assert found.status_history[-1][0] == "delivered"


def test_plan_lists_every_step() -> None:
    service = Service(id=SERVICE_ID, name="Pigeons", timings=Timings(1, 2, 3))
    notification = Notification(
        id="x", service_id=SERVICE_ID, key_type="test", type="email", template_id="t",
        template_version=1, created_at=CREATED_AT, status="created",
        email_address="temp-fail@simulator.notify",
    )  # fmt: skip

    assert lifecycle.plan(notification, service) == [
        Transition(CREATED_AT + dt.timedelta(seconds=1), "sending"),
        Transition(CREATED_AT + dt.timedelta(seconds=3), "temporary-failure"),
    ]


@pytest.mark.parametrize(
    ("notification_type", "new_status", "wants_callback"),
    [
        ("sms", "sending", False),
        ("sms", "sent", True),
        ("sms", "delivered", True),
        ("email", "temporary-failure", True),
        ("email", "permanent-failure", True),
        ("letter", "delivered", False),
        ("letter", "validation-failed", False),
    ],
)
def test_only_sms_and_email_provider_updates_make_callbacks(
    notification_type: str, new_status: str, wants_callback: bool
) -> None:
    notification = Notification(
        id="x", service_id=SERVICE_ID, key_type="test", type=notification_type,  # type: ignore[arg-type]
        template_id="t", template_version=1, created_at=CREATED_AT, status="created",
    )  # fmt: skip

    assert (
        lifecycle.apply(notification, Transition(CREATED_AT, new_status), 0.024) is wants_callback
    )
