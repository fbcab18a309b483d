"""Records in a SQLite file: what the local Notify keeps across restarts, and a ``kill -9``.

Every change is its own transaction, committed before the call returns, so whatever the API
acknowledged is on disk (WAL journal; a crash of the process loses nothing committed). Rows
hold a record as JSON (``codec``) beside the columns that are searched and sorted, each with an
index, so a page, a look-up or a due status change costs the same however much is kept, and
nothing is held in memory but the number of notifications. Callback attempts are kept too, the
latest ``KEPT_ATTEMPTS`` of them.

The file says what it is (``format``) and which schema it has (``schema_version``): a file of
another format or schema is refused with a clear line, never misread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from notifications_python_client.simulator.domain.models import (
    KeyType,
    Notification,
    ReceivedText,
)
from notifications_python_client.simulator.state.callbacks import KEPT_ATTEMPTS, CallbackAttempt
from notifications_python_client.simulator.state.documents import Document
from notifications_python_client.simulator.state.lifecycle import Transition
from notifications_python_client.simulator.state.records.codec import (
    RecordFormatError,
    dumps,
    loads,
)

__all__ = ["SCHEMA_VERSION", "SqliteRecords", "StoreFileError"]

FORMAT = "notify-simulator-store"
SCHEMA_VERSION = 1
# Rows fetched at a time while walking a list: the page is what costs, not the table.
FETCH_ROWS = 100
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    service_id TEXT NOT NULL,
    key_type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    next_due TEXT,
    pending TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_by_key
    ON notifications (service_id, key_type, created_at, seq);
CREATE INDEX IF NOT EXISTS notifications_by_time ON notifications (created_at, seq);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS received_texts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    service_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS received_texts_by_service
    ON received_texts (service_id, created_at, seq);
CREATE INDEX IF NOT EXISTS received_texts_by_time ON received_texts (created_at, seq);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    notification_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_notification ON documents (notification_id);
CREATE TABLE IF NOT EXISTS callback_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS callback_attempts_by_subject ON callback_attempts (subject_id, seq);
CREATE TABLE IF NOT EXISTS service_states (service_id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
DATA_TABLES = (
    "notifications",
    "received_texts",
    "documents",
    "callback_attempts",
    "service_states",
    "settings",
)


class StoreFileError(ValueError):
    """The store file cannot be used: not a store of the local Notify, another schema, or not
    readable or writable."""


def time_key(moment: dt.datetime) -> str:
    """A time as text that sorts as time does (UTC, fixed width)."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SqliteRecords:
    """The ``Records`` of a simulator that keeps what it was sent in a file.

    :raises StoreFileError: the file is not a store of this version (see the module's doc).
    """

    def __init__(self, path: str | os.PathLike[str], *, kept_attempts: int = KEPT_ATTEMPTS) -> None:
        """:param kept_attempts: how many of the latest callback attempts are kept."""
        self.path = os.fspath(path)
        self._kept_attempts = kept_attempts
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise StoreFileError(f"{self.path}: cannot be opened as a store ({error})") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._open_schema()
            self._count: int = int(self._scalar("SELECT COUNT(*) FROM notifications"))
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreFileError(
                f"{self.path} is not a store of the local Notify ({error}): give a new file"
            ) from None
        except StoreFileError:
            self._db.close()
            raise

    def _open_schema(self) -> None:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master")}
        if not tables:
            # One transaction: a file is either a whole store or no store at all.
            self._db.executescript(
                f"BEGIN; {SCHEMA} INSERT INTO meta (key, value) VALUES ('format', '{FORMAT}'),"
                f" ('schema_version', '{SCHEMA_VERSION}'); COMMIT;"
            )
            return
        meta = dict(self._db.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if meta.get("format") != FORMAT:
            raise StoreFileError(
                f"{self.path} is a SQLite file, but not a store of the local Notify: give a new "
                "file, or one the simulator made"
            )
        version = meta.get("schema_version")
        if version != str(SCHEMA_VERSION):
            raise StoreFileError(
                f"{self.path} holds a store of schema version {version}, and this version of "
                f"the simulator reads version {SCHEMA_VERSION}: use the version that made it, "
                "or give a new file"
            )
        # A table this version added to the schema (callback attempts) is made when missing.
        self._db.executescript(f"BEGIN; {SCHEMA} COMMIT;")

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """Several changes as one transaction (the status changes that fell due together)."""
        return self._transaction()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Several statements as one change, all or none."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _scalar(self, sql: str, *parameters: Any) -> Any:
        row = self._db.execute(sql, parameters).fetchone()
        return None if row is None else row[0]

    # Notifications

    def add_notification(self, notification: Notification, pending: Sequence[Transition]) -> None:
        self._db.execute(
            "INSERT INTO notifications (id, service_id, key_type, created_at, next_due, pending,"
            " data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (notification.id, notification.service_id, notification.key_type,
             time_key(notification.created_at), _next_due(pending), dumps(list(pending)),
             dumps(notification)),
        )  # fmt: skip
        self._count += 1

    def notification(self, notification_id: str) -> Notification | None:
        data = self._scalar("SELECT data FROM notifications WHERE id = ?", notification_id)
        return None if data is None else _loaded(data, Notification)

    def save_notification(self, notification: Notification, pending: Sequence[Transition]) -> None:
        self._db.execute(
            "UPDATE notifications SET data = ?, pending = ?, next_due = ? WHERE id = ?",
            (dumps(notification), dumps(list(pending)), _next_due(pending), notification.id),
        )

    def pending(self, notification_id: str) -> list[Transition]:
        data = self._scalar("SELECT pending FROM notifications WHERE id = ?", notification_id)
        return [] if data is None else list(_loaded(data, list))

    def due(self, now: dt.datetime) -> list[str]:
        rows = self._db.execute(
            "SELECT id FROM notifications WHERE next_due <= ? ORDER BY next_due",
            (time_key(now),),
        )
        return [row[0] for row in rows]

    def newest_first(
        self,
        service_id: str | None = None,
        key_type: KeyType | None = None,
        created_before: dt.datetime | None = None,
    ) -> Iterator[Notification]:
        conditions, parameters = [], []
        if service_id is not None and key_type is not None:
            conditions.append("service_id = ? AND key_type = ?")
            parameters += [service_id, key_type]
        if created_before is not None:
            conditions.append("created_at < ?")
            parameters.append(time_key(created_before))
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        yield from self._walk(
            f"SELECT data FROM notifications {where} ORDER BY created_at DESC, seq DESC",
            parameters,
            Notification,
        )

    def oldest_first(self) -> Iterator[Notification]:
        yield from self._walk(
            "SELECT data FROM notifications ORDER BY created_at, seq", [], Notification
        )

    def oldest_notification(self) -> Notification | None:
        data = self._scalar("SELECT data FROM notifications ORDER BY created_at, seq LIMIT 1")
        return None if data is None else _loaded(data, Notification)

    def notification_count(self) -> int:
        return self._count

    def delete_notification(self, notification: Notification) -> None:
        deleted = self._db.execute("DELETE FROM notifications WHERE id = ?", (notification.id,))
        self._count -= deleted.rowcount

    def delete_created_before(self, cutoffs: Mapping[str, dt.datetime]) -> None:
        with self._transaction():
            for service_id, cutoff in cutoffs.items():
                deleted = self._db.execute(
                    "DELETE FROM notifications WHERE service_id = ? AND created_at < ?",
                    (service_id, time_key(cutoff)),
                )
                self._count -= deleted.rowcount
                self._db.execute(
                    "DELETE FROM received_texts WHERE service_id = ? AND created_at < ?",
                    (service_id, time_key(cutoff)),
                )

    # Received texts, services' changes, settings

    def add_received_text(self, text: ReceivedText) -> None:
        self._db.execute(
            "INSERT INTO received_texts (id, service_id, created_at, data) VALUES (?, ?, ?, ?)",
            (text.id, text.service_id, time_key(text.created_at), dumps(text)),
        )

    def received_texts(self, service_id: str | None = None) -> list[ReceivedText]:
        where, parameters = ("WHERE service_id = ?", [service_id]) if service_id else ("", [])
        return list(self._walk(
            f"SELECT data FROM received_texts {where} ORDER BY created_at DESC, seq DESC",
            parameters, ReceivedText,
        ))  # fmt: skip

    def add_document(self, document: Document) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO documents (id, notification_id, data) VALUES (?, ?, ?)",
            (document.id, document.notification_id, dumps(document)),
        )

    def document(self, document_id: str) -> Document | None:
        data = self._scalar("SELECT data FROM documents WHERE id = ?", document_id)
        return None if data is None else _loaded(data, Document)

    def documents_for(self, notification_id: str) -> list[Document]:
        return list(self._walk("SELECT data FROM documents WHERE notification_id = ?",
                               [notification_id], Document))  # fmt: skip

    def forget_documents(self, notification_id: str) -> None:
        self._db.execute("DELETE FROM documents WHERE notification_id = ?", (notification_id,))

    def add_callback_attempt(self, attempt: CallbackAttempt) -> None:
        added = self._db.execute(
            "INSERT INTO callback_attempts (subject_id, data) VALUES (?, ?)",
            (_subject_id(attempt), dumps(attempt)),
        )
        # The oldest past the cap go, by the primary key: as cheap as the insert.
        self._db.execute(
            "DELETE FROM callback_attempts WHERE seq <= ?",
            ((added.lastrowid or 0) - self._kept_attempts,),
        )

    def callback_attempts(self, subject_id: str | None = None) -> list[CallbackAttempt]:
        where, parameters = ("WHERE subject_id = ?", [subject_id]) if subject_id else ("", [])
        return list(self._walk(f"SELECT data FROM callback_attempts {where} ORDER BY seq",
                               parameters, CallbackAttempt))  # fmt: skip

    def save_service_state(self, service_id: str, state: Mapping[str, Any]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO service_states (service_id, data) VALUES (?, ?)",
            (service_id, dumps(dict(state))),
        )

    def service_states(self) -> dict[str, dict[str, Any]]:
        rows = self._db.execute("SELECT service_id, data FROM service_states")
        return {service_id: _loaded(data, dict) for service_id, data in rows}

    def save_setting(self, name: str, value: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", (name, value)
        )

    def setting(self, name: str) -> str | None:
        value = self._scalar("SELECT value FROM settings WHERE name = ?", name)
        return None if value is None else str(value)

    def clear(self) -> None:
        with self._transaction():
            for table in DATA_TABLES:
                self._db.execute(f"DELETE FROM {table}")
        self._count = 0

    def close(self) -> None:
        self._db.close()

    def _walk(self, sql: str, parameters: Sequence[Any], kind: type) -> Iterator[Any]:
        rows = self._db.execute(sql, parameters)
        while batch := rows.fetchmany(FETCH_ROWS):
            for (data,) in batch:
                yield _loaded(data, kind)


def _next_due(pending: Sequence[Transition]) -> str | None:
    return time_key(pending[0].due_at) if pending else None


def _subject_id(attempt: CallbackAttempt) -> str | None:
    """The id of the notification or received text a callback was about."""
    subject = attempt.payload.get("id")
    return subject if isinstance(subject, str) else None


def _loaded(data: str, kind: type) -> Any:
    """A row's record, which must be of ``kind``.

    :raises StoreFileError: the row is not one this version wrote.
    """
    try:
        record = loads(data)
    except RecordFormatError as error:
        raise StoreFileError(str(error)) from None
    if not isinstance(record, kind):
        raise StoreFileError(f"a stored record is a {type(record).__name__}, not a {kind.__name__}")
    return record
