"""The in-memory store: lookups, ordering, retention, received texts, limits and reset."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from notifications_python_client.simulator.data import load_data
from notifications_python_client.simulator.domain.errors import NotifyApiError
from notifications_python_client.simulator.domain.models import Notification
from notifications_python_client.simulator.state.records.sqlite import SqliteRecords
from notifications_python_client.simulator.state.store import (
    Store,
    create_store,
    normalise_user_number,
    retention_cutoff,
)

FROZEN_AT = "2024-05-17 12:00:00"
NOW = dt.datetime(2024, 5, 17, 12, 0, tzinfo=dt.timezone.utc)
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
OTHER_ID = "0d2e9b84-4f0b-4be5-9a7f-d3e6e3f5b2a1"
KEY = {"name": "k", "type": "test", "secret": "3d844edf-8d35-48ac-975b-e847b4f122b0"}
DATA: dict[str, Any] = {
    "services": [
        {
            "id": SERVICE_ID,
            "name": "Pigeons",
            "inbound_number": "07700900456",
            "received_texts": [
                {"user_number": "447700900111", "content": "older"},
                {"user_number": "447700900222", "content": "newer"},
            ],
            "limits": {"daily": {"sms": 2, "email": 3, "international_sms": 1}},
        },
        {"id": OTHER_ID, "name": "Others", "limits": {"retention_days": 1}},
    ]
}


@pytest.fixture
def store() -> Iterator[Store]:
    with freeze_time(FROZEN_AT):
        yield Store(load_data(DATA, now=NOW))


def add(
    store: Store,
    service_id: str = SERVICE_ID,
    notification_type: str = "sms",
    key_type: str = "normal",
    created_at: dt.datetime | None = None,
    **fields: Any,
) -> Notification:
    notification = Notification(
        id=str(uuid.uuid4()),
        service_id=service_id,
        key_type=key_type,  # type: ignore[arg-type]
        type=notification_type,  # type: ignore[arg-type]
        template_id=str(uuid.uuid4()),
        template_version=1,
        created_at=created_at or store.clock.now(),
        status="created",
        **{"phone_number": "07700900123", **fields},
    )
    store.add_notification(notification)
    return notification


def test_services_are_found_by_id_in_any_case(store: Store) -> None:
    assert [service.id for service in store.services()] == [SERVICE_ID, OTHER_ID]
    found = store.service(SERVICE_ID.upper())
    assert found is not None and found.name == "Pigeons"
    assert store.service(str(uuid.uuid4())) is None


def test_a_notification_for_an_unknown_service_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown service"):
        add(store, service_id=str(uuid.uuid4()))


def test_a_notification_is_found_only_by_its_own_service(store: Store) -> None:
    notification = add(store)

    found = store.notification(SERVICE_ID, notification.id.upper())

    assert found is not None and found.id == notification.id
    assert store.notification(OTHER_ID, notification.id) is None
    assert store.notification(SERVICE_ID, str(uuid.uuid4())) is None
    assert store.notification(SERVICE_ID, "not-an-id") is None


def test_readers_get_copies(store: Store) -> None:
    notification = add(store)
    copy = store.notification(SERVICE_ID, notification.id)
    assert copy is not None

    copy.status = "scribbled"

    again = store.notification(SERVICE_ID, notification.id)
    assert again is not None and again.status == "delivered"


def test_lists_hold_one_key_type_newest_first(store: Store) -> None:
    oldest = add(store, created_at=NOW - dt.timedelta(minutes=2))
    newest = add(store, created_at=NOW)
    middle = add(store, created_at=NOW - dt.timedelta(minutes=1))
    add(store, key_type="team")
    add(store, service_id=OTHER_ID)

    listed = store.notifications(SERVICE_ID, "normal")

    assert [n.id for n in listed] == [newest.id, middle.id, oldest.id]
    assert len(store.notifications(SERVICE_ID, "team")) == 1
    assert store.notifications(SERVICE_ID, "test") == []


def test_equal_times_list_the_later_stored_first(store: Store) -> None:
    first, second = add(store, created_at=NOW), add(store, created_at=NOW)
    assert [n.id for n in store.notifications(SERVICE_ID, "normal")] == [second.id, first.id]


def test_all_notifications_are_oldest_first_across_services(store: Store) -> None:
    later = add(store, service_id=OTHER_ID, created_at=NOW)
    earlier = add(store, created_at=NOW - dt.timedelta(seconds=1))
    assert [n.id for n in store.all_notifications()] == [earlier.id, later.id]


def test_retention_counts_from_midnight() -> None:
    assert retention_cutoff(NOW, 7) == dt.datetime(2024, 5, 10, tzinfo=dt.timezone.utc)


def test_notifications_past_retention_are_gone(store: Store) -> None:
    kept_longer = add(store)
    gone_sooner = add(store, service_id=OTHER_ID)

    # 19:00 on the seventh day after: still within "7 days from midnight".
    store.clock.advance(dt.timedelta(days=7, hours=11, minutes=59).total_seconds())
    assert store.notification(SERVICE_ID, kept_longer.id) is not None
    assert store.notification(OTHER_ID, gone_sooner.id) is None

    store.clock.advance(60)
    assert store.notification(SERVICE_ID, kept_longer.id) is None
    assert store.notifications(SERVICE_ID, "normal") == []
    assert store.all_notifications() == []


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_retention_frees_as_real_time_passes_without_moving_the_clock(
    kind: str, tmp_path: Path
) -> None:
    with freeze_time(FROZEN_AT) as real_time:
        records = SqliteRecords(tmp_path / "notify.sqlite") if kind == "sqlite" else None
        store = Store(load_data(DATA, now=NOW), records=records)
        gone_sooner = add(store, service_id=OTHER_ID)
        kept_longer = add(store)

        real_time.tick(dt.timedelta(days=2))

        assert store.clock.offset_seconds == 0
        assert store.notification(OTHER_ID, gone_sooner.id) is None
        assert [n.id for n in store.all_notifications()] == [kept_longer.id]
        store.close()


def test_seeded_received_texts_are_listed_newest_first(store: Store) -> None:
    texts = store.received_texts(SERVICE_ID)

    assert [text.content for text in texts] == ["newer", "older"]
    assert store.received_texts(OTHER_ID) == []


def test_a_received_text_can_be_added(store: Store) -> None:
    text = store.add_received_text(SERVICE_ID, "07700 900333", "Hello")

    assert (text.user_number, text.notify_number, text.content) == (
        "447700900333",
        "07700900456",
        "Hello",
    )
    assert text.created_at == NOW
    assert store.received_texts(SERVICE_ID)[0] == text


@pytest.mark.parametrize(
    ("number", "normalised"),
    [
        ("07700900111", "447700900111"),
        ("+44 7700 900111", "447700900111"),
        ("447700900111", "447700900111"),
        ("0033612345678", "33612345678"),
    ],
)
def test_senders_numbers_are_normalised(number: str, normalised: str) -> None:
    assert normalise_user_number(number) == normalised


def test_received_texts_need_a_known_service_with_an_inbound_number(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown service"):
        store.add_received_text(str(uuid.uuid4()), "447700900111", "Hi")
    with pytest.raises(ValueError, match="no inbound number"):
        store.add_received_text(OTHER_ID, "447700900111", "Hi")


def test_received_texts_past_retention_are_gone(store: Store) -> None:
    store.clock.advance(dt.timedelta(days=8).total_seconds())
    assert store.received_texts(SERVICE_ID) == []


def test_live_and_team_keys_share_the_daily_count_test_keys_never_count(store: Store) -> None:
    add(store, key_type="normal")
    add(store, key_type="team")
    add(store, key_type="test")
    add(store, notification_type="email", key_type="normal")

    assert store.sent_today(SERVICE_ID, "sms") == 2
    assert store.sent_today(SERVICE_ID, "email") == 1
    with pytest.raises(NotifyApiError, match=r"Exceeded send limits \(sms: 2\) for today"):
        store.check_send_limits(store.services()[0], "team", "sms")
    store.check_send_limits(store.services()[0], "test", "sms")
    store.check_send_limits(store.services()[0], "normal", "email")


def test_international_sms_count_against_their_own_limit_too(store: Store) -> None:
    service = store.services()[0]
    store.check_international_sms_limit(service, "normal")
    add(store, phone_number="+33612345678", is_international=True)

    assert store.sent_today(SERVICE_ID, "international_sms") == 1
    assert store.sent_today(SERVICE_ID, "sms") == 1
    with pytest.raises(NotifyApiError) as refused:
        store.check_international_sms_limit(service, "normal")
    assert refused.value.errors == [
        {
            "error": "TooManyRequestsError",
            "message": "Exceeded send limits (international_sms: 1) for today",
        }
    ]
    store.check_international_sms_limit(service, "test")


def test_daily_counts_start_again_at_midnight(store: Store) -> None:
    add(store)
    add(store)
    store.clock.advance(dt.timedelta(hours=12).total_seconds())

    store.check_send_limits(store.services()[0], "normal", "sms")
    assert store.sent_today(SERVICE_ID, "sms") == 0


def test_a_refused_request_still_spends_a_rate_limit_token() -> None:
    data = {"services": [{"id": SERVICE_ID, "name": "P", "limits": {"rate_limit_per_minute": 3}}]}
    data["services"][0]["limits"]["daily"] = {"sms": 0}  # type: ignore[index]
    with freeze_time(FROZEN_AT):
        store = create_store(data)
        service = store.services()[0]

        with pytest.raises(NotifyApiError) as daily:
            store.check_send_limits(service, "normal", "sms")
        with pytest.raises(NotifyApiError) as rate:
            store.check_send_limits(service, "normal", "sms")

    assert daily.value.errors[0]["error"] == "TooManyRequestsError"
    assert rate.value.errors[0]["error"] == "RateLimitError"


def test_the_rate_limit_refills_on_the_simulated_clock() -> None:
    data = {"services": [{"id": SERVICE_ID, "name": "P", "limits": {"rate_limit_per_minute": 3}}]}
    with freeze_time(FROZEN_AT):
        store = create_store(data)
        service = store.services()[0]
        store.check_send_limits(service, "test", "sms")
        with pytest.raises(NotifyApiError, match="TEST of 3 requests per 60 seconds"):
            store.check_send_limits(service, "test", "sms")

        store.clock.advance(40)

        store.check_send_limits(service, "test", "sms")


def test_reset_returns_to_the_loaded_data(store: Store) -> None:
    add(store)
    store.add_received_text(SERVICE_ID, "447700900333", "extra")
    store.services()[0].name = "Renamed"
    store.clock.advance(3600)

    store.reset()

    assert store.all_notifications() == []
    assert store.sent_today(SERVICE_ID, "sms") == 0
    assert [t.content for t in store.received_texts(SERVICE_ID)] == ["newer", "older"]
    assert store.services()[0].name == "Pigeons"
    assert store.clock.now() == NOW


def test_create_store_loads_the_built_in_data_by_default() -> None:
    store = create_store()
    assert [service.name for service in store.services()] == [
        "Pigeon Affairs Bureau",
        "Pigeon Affairs Bureau Trial",
    ]


def test_concurrent_writers_and_readers_lose_nothing(store: Store) -> None:
    threads_count, per_thread = 4, 50
    barrier = threading.Barrier(threads_count)

    def work() -> None:
        barrier.wait()
        for _ in range(per_thread):
            add(store, key_type="test")
            store.notifications(SERVICE_ID, "test")

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(store.notifications(SERVICE_ID, "test")) == threads_count * per_thread
