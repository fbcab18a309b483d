"""One contract, two records: in memory and in a SQLite file keep and find alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from notification_factory import make_notification

from notifications_python_client.simulator.domain.models import CallbackConfig, ReceivedText
from notifications_python_client.simulator.state.lifecycle import Transition
from notifications_python_client.simulator.state.records import Records
from notifications_python_client.simulator.state.records.memory import MemoryRecords
from notifications_python_client.simulator.state.records.sqlite import SqliteRecords

SERVICE = "9024e73a-6d91-4afb-9b68-7b3dba010425"
OTHER = "1d4624bc-5678-42a8-9c8a-04b97118b12c"
T0 = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture(params=["memory", "sqlite"])
def records(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Records]:
    kept: Records = MemoryRecords() if request.param == "memory" else SqliteRecords(
        tmp_path / "store.sqlite")  # fmt: skip
    yield kept
    kept.close()


def notification(number: int, seconds: float = 0, **fields: Any) -> Any:
    values: dict[str, Any] = {"service_id": SERVICE, "key_type": "test", "created_at": at(seconds)}
    values.update(fields)
    made = make_notification(**values)
    return dataclasses.replace(made, id=f"00000000-0000-4000-8000-{number:012d}",
                               reference=f"r{number}")  # fmt: skip


def references(found: Iterator[Any]) -> list[str]:
    return [n.reference for n in found]


def test_a_notification_is_kept_whole_and_found_by_id(records: Records) -> None:
    kept = notification(1, personalisation={"name": "A", "$odd": [1, (2, 3)]}, pdf=b"%PDF\x00")
    kept.status_history.append(("created", at(0)))

    records.add_notification(kept, [])

    found = records.notification(kept.id)
    assert found == kept and records.notification("missing") is None
    assert records.notification_count() == 1


def test_lists_run_newest_first_by_key_and_across_keys(records: Records) -> None:
    records.add_notification(notification(1, 0), [])
    records.add_notification(notification(2, 10, key_type="normal"), [])
    records.add_notification(notification(3, 10), [])  # the same moment, kept later
    records.add_notification(notification(4, 5, service_id=OTHER), [])

    assert references(records.newest_first(SERVICE, "test")) == ["r3", "r1"]
    assert references(records.newest_first()) == ["r3", "r2", "r4", "r1"]
    assert references(records.newest_first(SERVICE, "test", at(10))) == ["r1"]
    assert references(records.oldest_first()) == ["r1", "r4", "r2", "r3"]
    oldest = records.oldest_notification()
    assert oldest is not None and oldest.reference == "r1"


def test_changes_and_plans_are_kept_and_fall_due(records: Records) -> None:
    kept = notification(1)
    plan = [Transition(at(1), "sending"), Transition(at(60), "delivered")]
    records.add_notification(kept, plan)

    assert records.due(at(0)) == [] and records.due(at(2)) == [kept.id]
    changed = records.notification(kept.id)
    assert changed is not None
    changed.status = "sending"
    records.save_notification(changed, plan[1:])

    assert records.pending(kept.id) == plan[1:]
    assert records.due(at(2)) == [] and records.due(at(61)) == [kept.id]
    reread = records.notification(kept.id)
    assert reread is not None and reread.status == "sending"


def test_deleting_one_or_by_retention(records: Records) -> None:
    for number, seconds, service in [(1, 0, SERVICE), (2, 100, SERVICE), (3, 0, OTHER)]:
        records.add_notification(notification(number, seconds, service_id=service), [])
    records.add_received_text(text(1, 0))
    records.add_received_text(text(2, 100))

    first = records.notification(notification(1).id)
    assert first is not None
    records.delete_notification(first)
    records.delete_created_before({SERVICE: at(50), OTHER: at(50)})

    assert references(records.newest_first()) == ["r2"] and records.notification_count() == 1
    assert [t.content for t in records.received_texts()] == ["text 2"]


def text(number: int, seconds: float, service_id: str = SERVICE) -> ReceivedText:
    return ReceivedText(f"00000000-0000-4000-9000-{number:012d}", service_id, "447700900111",
                        "07700900000", f"text {number}", at(seconds))  # fmt: skip


def test_received_texts_come_newest_first_by_service_or_all(records: Records) -> None:
    records.add_received_text(text(1, 0))
    records.add_received_text(text(2, 20, OTHER))
    records.add_received_text(text(3, 10))

    assert [t.content for t in records.received_texts(SERVICE)] == ["text 3", "text 1"]
    assert [t.content for t in records.received_texts()] == ["text 2", "text 3", "text 1"]
    assert records.received_texts(OTHER)[0] == text(2, 20, OTHER)


def test_service_states_and_settings_are_kept(records: Records) -> None:
    state = {"delivery_status_callback": CallbackConfig("http://127.0.0.1/cb", "token-1234567"),
             "received_text_callback": None}  # fmt: skip

    records.save_service_state(SERVICE, state)
    records.save_setting("clock_offset_seconds", "3600.0")

    assert records.service_states() == {SERVICE: state}
    assert records.setting("clock_offset_seconds") == "3600.0" and records.setting("x") is None


def test_clear_forgets_everything(records: Records) -> None:
    records.add_notification(notification(1), [Transition(at(1), "sending")])
    records.add_received_text(text(1, 0))
    records.save_setting("clock_offset_seconds", "1")

    records.clear()

    assert list(records.newest_first()) == [] and records.notification_count() == 0
    assert records.received_texts() == [] and records.due(at(100)) == []
    assert records.setting("clock_offset_seconds") is None and records.service_states() == {}


def test_files_sent_by_email_are_kept_by_document_and_notification(records: Records) -> None:
    from notifications_python_client.simulator.checks.files import UploadedDocument
    from notifications_python_client.simulator.state.documents import Document

    uploaded = UploadedDocument("https://x/d/1", "d-1", "key", b"%PDF", "a.pdf", True, 26)
    document = Document(uploaded, SERVICE, "n-1", "amala@example.com", at(0))

    records.add_document(document)

    assert records.document("d-1") == document and records.document("d-2") is None
    assert records.documents_for("n-1") == [document] and records.documents_for("n-2") == []
    records.forget_documents("n-1")
    assert records.document("d-1") is None


def attempt(number: int, subject_id: str, status_code: int | None = 204) -> Any:
    from notifications_python_client.simulator.state.callbacks import CallbackAttempt

    payload = {"id": subject_id, "status": "delivered", "nested": {"$odd": [1, 2]}}
    return CallbackAttempt("https://service.example/cb", payload, number, status_code,
                           at=at(number), duration_ms=1.5, next_retry_at=None)  # fmt: skip


def test_callback_attempts_are_kept_in_order_and_found_by_subject(records: Records) -> None:
    first, second, third = attempt(1, "n-1", None), attempt(2, "n-2"), attempt(3, "n-1")

    for made in (first, second, third):
        records.add_callback_attempt(made)

    assert records.callback_attempts() == [first, second, third]
    assert records.callback_attempts("n-1") == [first, third]
    assert records.callback_attempts("n-3") == []
    records.clear()
    assert records.callback_attempts() == []


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_only_the_latest_callback_attempts_are_kept(kind: str, tmp_path: Path) -> None:
    records: Records = MemoryRecords(kept_attempts=3) if kind == "memory" else SqliteRecords(
        tmp_path / "store.sqlite", kept_attempts=3)  # fmt: skip
    try:
        for number in range(1, 6):
            records.add_callback_attempt(attempt(number, f"n-{number}"))

        assert [made.attempt for made in records.callback_attempts()] == [3, 4, 5]
        assert records.callback_attempts("n-1") == []
    finally:
        records.close()
