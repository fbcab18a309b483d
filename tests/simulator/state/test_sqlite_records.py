"""The SQLite records: a file picked up where it was left, and files that are not a store
refused with a clear line, never misread."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from notification_factory import make_notification

from notifications_python_client.simulator.state.records.sqlite import (
    SqliteRecords,
    StoreFileError,
)

CREATED_AT = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def test_a_store_is_picked_up_where_it_was_left(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    first = SqliteRecords(path)
    kept = make_notification(reference="kept", created_at=CREATED_AT)
    first.add_notification(kept, [])
    first.save_setting("clock_offset_seconds", "60.0")
    first.close()

    again = SqliteRecords(path)

    assert again.notification(kept.id) == kept and again.notification_count() == 1
    assert again.setting("clock_offset_seconds") == "60.0"
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes, which are not a store\n" * 100)

    with pytest.raises(StoreFileError, match="is not a store of the local Notify"):
        SqliteRecords(path)

    assert path.read_text().startswith("my notes")


def test_a_sqlite_file_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE people (name TEXT)")

    with pytest.raises(StoreFileError, match="not a store of the local Notify: give a new file"):
        SqliteRecords(path)


def test_a_store_of_another_schema_version_is_refused_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    SqliteRecords(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")

    with pytest.raises(StoreFileError, match="schema version 2, and this version of the simulator"):
        SqliteRecords(path)


def test_a_damaged_row_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    records = SqliteRecords(path)
    kept = make_notification(created_at=CREATED_AT)
    records.add_notification(kept, [])
    records._db.execute('UPDATE notifications SET data = \'{"$r": "os.system", "f": {}}\'')

    with pytest.raises(StoreFileError, match="a stored record cannot be read"):
        records.notification(kept.id)
    records.close()


def test_a_folder_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreFileError, match="cannot be opened as a store"):
        SqliteRecords(tmp_path / "missing" / "store.sqlite")


def test_a_store_made_before_callback_attempts_were_kept_gains_their_table(
    tmp_path: Path,
) -> None:
    from notifications_python_client.simulator.state.callbacks import CallbackAttempt

    path = tmp_path / "store.sqlite"
    SqliteRecords(path).close()
    with sqlite3.connect(path) as older:
        older.execute("DROP TABLE callback_attempts")
    older.close()

    again = SqliteRecords(path)
    made = CallbackAttempt("https://service.example/cb", {"id": "n-1"}, 1, 204, at=CREATED_AT)
    again.add_callback_attempt(made)

    assert again.callback_attempts("n-1") == [made]
    again.close()
