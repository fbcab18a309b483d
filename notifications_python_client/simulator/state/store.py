"""The simulator's in-memory state: services, notifications, received texts and send counters.

One lock guards everything, so request threads, the ticker and tests can share a store. Reads
first apply the status transitions that have fallen due (see lifecycle) and forget what is past
retention, so the state always matches the simulator's clock however rarely anyone looks.
Notifications are handed out as copies, so a response is never built from one that is changing.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from notifications_python_client.simulator.checks.files import UploadedDocument
from notifications_python_client.simulator.data import load_data
from notifications_python_client.simulator.domain.models import (
    CallbackConfig,
    KeyType,
    Notification,
    ReceivedText,
    Service,
    Template,
    Timings,
)
from notifications_python_client.simulator.state import callbacks, lifecycle
from notifications_python_client.simulator.state.callbacks import CallbackAttempt, CallbackSender
from notifications_python_client.simulator.state.clock import Clock
from notifications_python_client.simulator.state.documents import Document, DocumentStore
from notifications_python_client.simulator.state.faults import FaultInjector
from notifications_python_client.simulator.state.limits import (
    DailyCounters,
    RateLimiter,
    rate_limit_exceeded,
)
from notifications_python_client.simulator.state.records import Records
from notifications_python_client.simulator.state.records.memory import MemoryRecords

# Team and live keys share one daily counter; test keys never count (behaviour: Daily limits).
COUNTED_KEY_TYPES = frozenset({"normal", "team"})

_Callback = tuple[CallbackConfig, dict[str, Any], Timings]
# Where a service keeps each kind of callback's settings.
CALLBACK_ATTRIBUTES = {
    callbacks.DELIVERY_STATUS: "delivery_status_callback",
    callbacks.RECEIVED_TEXT: "received_text_callback",
}
SERVICE_STATE_ATTRIBUTES = ("templates", *CALLBACK_ATTRIBUTES.values())
# How far the simulated clock was moved on, kept with the records so a restart keeps it.
CLOCK_OFFSET_SETTING = "clock_offset_seconds"


def retention_cutoff(now: dt.datetime, retention_days: int) -> dt.datetime:
    """The oldest creation time still kept: midnight (UTC) ``retention_days`` days back."""
    midnight = now.astimezone(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - dt.timedelta(days=retention_days)


def service_state(service: Service) -> dict[str, Any]:
    """What of a service can change at run time: its templates and its callbacks."""
    return {attribute: getattr(service, attribute) for attribute in SERVICE_STATE_ATTRIBUTES}


def restore_service_state(service: Service, state: Mapping[str, Any]) -> None:
    """Put back what ``service_state`` kept."""
    for attribute in SERVICE_STATE_ATTRIBUTES:
        if attribute in state:
            setattr(service, attribute, state[attribute])


def normalise_user_number(number: str) -> str:
    """A sender's number in Notify's digits form: no spaces or ``+``, UK numbers as ``44...``."""
    digits = "".join(character for character in number if character.isdigit())
    if digits.startswith("0") and not digits.startswith("00"):
        return "44" + digits[1:]
    return digits.removeprefix("00")


class Store:
    """Thread-safe state of one simulator; ``reset`` returns it to the data it was made from."""

    def __init__(
        self,
        services: list[Service],
        clock: Clock | None = None,
        *,
        faults: FaultInjector | None = None,
        keep: int | None = None,
        records: Records | None = None,
    ) -> None:
        """:param keep: the most notifications kept at once; past it, the oldest are forgotten
            as new ones come (None for no cap: only Notify's retention forgets them).
        :param records: where notifications and received texts are kept: in memory (the
            default) or in a file (``records.sqlite.SqliteRecords``), which a new store picks up
            where the last one stopped.
        """
        if keep is not None and (isinstance(keep, bool) or not isinstance(keep, int) or keep < 1):
            raise ValueError("keep must be a whole number of notifications, 1 or more")
        self.keep = keep
        self.clock = clock or Clock()
        self.callbacks = CallbackSender(now=self.clock.now, on_attempt=self._keep_callback_attempt)
        self.faults = faults or FaultInjector()
        self._loaded = copy.deepcopy(services)
        self._lock = threading.RLock()
        # Woken whenever a notification is stored, for those waiting for one.
        self._stored = threading.Condition(self._lock)
        self._rate_limiter = RateLimiter()
        self._daily = DailyCounters()
        self._services: dict[str, Service] = {}
        self._records: Records = records if records is not None else MemoryRecords()
        self.documents = DocumentStore(self._records, self._lock)
        self._applied_cutoffs: dict[str, dt.datetime] = {}
        self._load()
        offset = self._records.setting(CLOCK_OFFSET_SETTING)
        if offset is not None:
            self.clock.advance(float(offset))
        self._count_todays_sends()

    def _load(self) -> None:
        """The services as loaded, with what a store file kept of their changes; the data's
        received texts when the records hold none yet."""
        self._services = {service.id: service for service in copy.deepcopy(self._loaded)}
        for service_id, state in self._records.service_states().items():
            service = self._services.get(service_id)
            if service is not None:
                restore_service_state(service, state)
        if not self._records.received_texts():
            for service in self._services.values():
                for text in service.received_texts:
                    self._records.add_received_text(text)

    # Services

    def services(self) -> list[Service]:
        """Every service, in data-file order."""
        with self._lock:
            return list(self._services.values())

    def service(self, service_id: str) -> Service | None:
        """The service with this id (any letter case), or ``None``."""
        with self._lock:
            return self._services.get(service_id.lower())

    def add_template(self, service_id: str, template: Template) -> None:
        """Give a service one more template (until ``reset``).

        :raises LookupError: no such service.
        :raises ValueError: a template of any service has its id already.
        """
        with self._lock:
            service = self._existing_service(service_id)
            if any(other.template(template.id) for other in self._services.values()):
                raise ValueError(f"a template with id {template.id} exists already")
            service.templates.append(template)
            self._keep_state(service)

    def set_callback(self, service_id: str, kind: str, config: CallbackConfig | None) -> None:
        """Where the service's callbacks of ``kind`` (``delivery_status`` or
        ``received_text``) go from now on; None for nowhere.

        :raises LookupError: no such service.
        :raises ValueError: not a kind of callback.
        """
        if kind not in CALLBACK_ATTRIBUTES:
            raise ValueError(f"kind must be one of {', '.join(CALLBACK_ATTRIBUTES)}, not {kind!r}")
        with self._lock:
            service = self._existing_service(service_id)
            setattr(service, CALLBACK_ATTRIBUTES[kind], config)
            self._keep_state(service)

    def change_template(self, template_id: str, change: Callable[[Template], Template]) -> Template:
        """Replace a template, of any service, with ``change(template)``, atomically.

        :raises LookupError: no such template.
        """
        with self._lock:
            for service in self._services.values():
                for position, template in enumerate(service.templates):
                    if template.id == template_id.lower():
                        service.templates[position] = changed = change(template)
                        self._keep_state(service)
                        return changed
            raise LookupError(f"no template {template_id}")

    def _existing_service(self, service_id: str) -> Service:
        """The service with this id (the lock is held).

        :raises LookupError: no such service.
        """
        service = self._services.get(service_id.lower())
        if service is None:
            raise LookupError(f"no service {service_id}")
        return service

    def _keep_state(self, service: Service) -> None:
        """Keep what changed in the service at run time with the records (the lock is held)."""
        self._records.save_service_state(service.id, service_state(service))

    # Notifications

    def add_notification(
        self, notification: Notification, documents: Sequence[UploadedDocument] = ()
    ) -> None:
        """Store a notification the handler has built, plan its lifecycle and count it; keep
        the files an email links to for their download pages.

        :raises ValueError: if its service is unknown.
        """
        with self._lock:
            service = self._services.get(notification.service_id)
            if service is None:
                raise ValueError(f"unknown service {notification.service_id}")
            for uploaded in documents:
                self.documents.add(
                    Document(
                        uploaded,
                        service.id,
                        notification.id,
                        notification.email_address or "",
                        notification.created_at,
                    )
                )
                notification.document_ids.append(uploaded.document_id)
            notification.status_history.append((notification.status, notification.created_at))
            self._records.add_notification(notification, lifecycle.plan(notification, service))
            self._count_against_daily_limits(notification, self._today())
            if self.keep is not None:
                while self._records.notification_count() > self.keep:
                    oldest = self._records.oldest_notification()
                    if oldest is None:
                        break
                    self._forget(oldest)
            self._stored.notify_all()

    def notification(self, service_id: str, notification_id: str) -> Notification | None:
        """A copy of the service's notification as it is now, or ``None`` (also past retention)."""
        try:
            wanted = str(uuid.UUID(notification_id))
        except ValueError:
            return None
        with self._lock:
            self._catch_up()
            found = self._records.notification(wanted)
            if found is None or found.service_id != service_id.lower():
                return None
            return copy.copy(found)

    def notifications(
        self,
        service_id: str,
        key_type: KeyType,
        *,
        matching: Callable[[Notification], bool] | None = None,
        limit: int | None = None,
        created_before: dt.datetime | None = None,
    ) -> list[Notification]:
        """Copies of the notifications sent with this key type, newest first.

        Only those created strictly before ``created_before``, if given, and ``matching``; the
        walk stops at ``limit``, so a page costs a page, however much is stored.
        """
        with self._lock:
            self._catch_up()
            chosen: list[Notification] = []
            for notification in self._records.newest_first(
                service_id.lower(), key_type, created_before
            ):
                if limit is not None and len(chosen) >= limit:
                    break
                if matching is None or matching(notification):
                    chosen.append(copy.copy(notification))
            return chosen

    def recent_notifications(
        self,
        *,
        limit: int,
        matching: Callable[[Notification], bool] | None = None,
        skip: int = 0,
    ) -> list[Notification]:
        """Copies of the newest notifications of every service and key type, newest first,
        after the first ``skip`` that match (for the pages of a list).

        Walks the per-key indexes together, so the cost is the page, not the store.
        """
        with self._lock:
            self._catch_up()
            chosen: list[Notification] = []
            for notification in self._records.newest_first():
                if len(chosen) >= limit:
                    break
                if matching is None or matching(notification):
                    if skip:
                        skip -= 1
                        continue
                    chosen.append(copy.copy(notification))
            return chosen

    def delete_notifications(self, matching: Callable[[Notification], bool]) -> int:
        """Forget every notification that ``matching`` accepts, with its planned status
        changes and its files; returns how many there were."""
        with self._lock:
            self._catch_up()
            doomed = [n for n in self._records.oldest_first() if matching(n)]
            for notification in doomed:
                self._forget(notification)
            return len(doomed)

    def wait_for_notification(
        self,
        matching: Callable[[Notification], bool],
        timeout_seconds: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> Notification | None:
        """A copy of the oldest stored notification that ``matching`` accepts, waiting up to
        ``timeout_seconds`` for one to be stored; None when none came in time."""
        deadline = monotonic() + timeout_seconds
        with self._stored:
            while True:
                self._catch_up()
                for notification in self._records.oldest_first():
                    if matching(notification):
                        return copy.copy(notification)
                remaining = deadline - monotonic()
                if remaining <= 0:
                    return None
                self._stored.wait(remaining)

    def find_notification(self, notification_id: str) -> Notification | None:
        """A copy of the notification with this id, of any service, or None."""
        with self._lock:
            self._catch_up()
            found = self._records.notification(notification_id.lower())
            return copy.copy(found) if found is not None else None

    def set_status(self, notification_id: str, new_status: str) -> Notification:
        """Move a notification to ``new_status`` now, as a provider's update would, instead of
        what was planned; sends its delivery-status callback when that status has one.

        :raises LookupError: no such notification.
        :raises ValueError: a status a notification of its type cannot have.
        """
        with self._lock:
            self._catch_up()
            notification = self._records.notification(notification_id.lower())
            if notification is None:
                raise LookupError(f"no notification {notification_id}")
            new_status = lifecycle.stored_status(notification, new_status)
            allowed = lifecycle.settable_statuses(notification)
            if new_status not in allowed:
                kind = {"sms": "text message"}.get(notification.type, notification.type)
                raise ValueError(
                    f"{new_status!r} is not a status a {kind} can have; choose one of: "
                    + ", ".join(sorted(allowed))
                )
            service = self._services[notification.service_id]
            transition = lifecycle.Transition(self.clock.now(), new_status)
            wants_callback = lifecycle.apply(notification, transition, service.limits.sms_rate)
            self._records.save_notification(notification, [])
            config = service.delivery_status_callback
            payload = callbacks.delivery_status_payload(notification)
            result = copy.copy(notification)
        if wants_callback and config is not None:
            self.callbacks.send(config, payload, service.timings)
        return result

    def all_notifications(self) -> list[Notification]:
        """Copies of every notification of every service, oldest first."""
        with self._lock:
            self._catch_up()
            return [copy.copy(notification) for notification in self._records.oldest_first()]

    def advance_clock(self, seconds: float) -> None:
        """Move simulated time on and apply whatever status changes fell due; callback
        retries that fell due are sent."""
        with self._lock:
            self.clock.advance(seconds)
            self._records.save_setting(CLOCK_OFFSET_SETTING, repr(self.clock.offset_seconds))
        self.apply_due_transitions()
        self.callbacks.wake()

    def apply_due_transitions(self) -> None:
        """Move notifications whose next status is due; the server's ticker calls this."""
        with self._lock:
            self._catch_up()

    # Received texts

    def received_texts(self, service_id: str) -> list[ReceivedText]:
        """The service's received texts within retention, newest first."""
        with self._lock:
            self._catch_up()
            return self._records.received_texts(service_id.lower())

    def all_received_texts(self) -> list[ReceivedText]:
        """Every service's received texts within retention, newest first."""
        with self._lock:
            self._catch_up()
            return self._records.received_texts()

    def add_received_text(
        self,
        service_id: str,
        user_number: str,
        content: str,
        created_at: dt.datetime | None = None,
    ) -> ReceivedText:
        """Record a text sent to the service's inbound number and make its callback.

        :raises ValueError: if the service is unknown or has no inbound number.
        """
        with self._lock:
            service = self._services.get(service_id.lower())
            if service is None:
                raise ValueError(f"unknown service {service_id}")
            if service.inbound_number is None:
                raise ValueError(f"service {service.id} has no inbound number")
            text = ReceivedText(
                id=str(uuid.uuid4()),
                service_id=service.id,
                user_number=normalise_user_number(user_number),
                notify_number=service.inbound_number,
                content=content,
                created_at=created_at or self.clock.now(),
            )
            self._records.add_received_text(text)
            config, timings = service.received_text_callback, service.timings
        if config is not None:
            payload = callbacks.received_text_payload(text)
            self.callbacks.send(config, payload, timings, kind=callbacks.RECEIVED_TEXT)
        return text

    # Limits

    def check_send_limits(
        self, service: Service, key_type: KeyType, notification_type: str
    ) -> None:
        """The per-minute rate limit, then today's limit for the type.

        Behaviour: Rate limit; Daily limits.

        A rate-limit token is spent even when the request later fails.

        :raises errors.NotifyApiError: 429 ``RateLimitError`` or ``TooManyRequestsError``.
        """
        if self.faults.take_rate_limit_burst():
            raise rate_limit_exceeded(service, key_type)
        with self._lock:
            now = self.clock.now()
            self._rate_limiter.check(service, key_type, now.timestamp())
            if key_type in COUNTED_KEY_TYPES:
                self._daily.check(service, notification_type, now.date())

    def check_international_sms_limit(self, service: Service, key_type: KeyType) -> None:
        """The ``international_sms`` daily limit, for SMS to numbers outside the UK (8.3).

        :raises errors.NotifyApiError: 429 ``TooManyRequestsError``.
        """
        if key_type in COUNTED_KEY_TYPES:
            with self._lock:
                self._daily.check(service, "international_sms", self._today())

    def sent_today(self, service_id: str, limit_name: str) -> int:
        """How many notifications count against the service's ``limit_name`` limit today."""
        with self._lock:
            return self._daily.count(service_id.lower(), limit_name, self._today())

    def callback_attempts(self, subject_id: str | None = None) -> list[CallbackAttempt]:
        """The callbacks made about a notification or received text (every one, when None),
        oldest first: the latest ``callbacks.KEPT_ATTEMPTS`` are kept, in the store file too."""
        with self._lock:
            return self._records.callback_attempts(subject_id)

    def _keep_callback_attempt(self, attempt: CallbackAttempt, generation: int) -> None:
        # Checked under the store's lock, which a reset holds while it clears both: an attempt
        # that ends during a reset is never kept after it.
        with self._lock:
            if generation == self.callbacks.generation:
                self._records.add_callback_attempt(attempt)

    # Lifetime

    def reset(self) -> None:
        """Back to the loaded data: no notifications, no counts, real time, no queued callbacks.

        Faults stay as configured, their random numbers and counts start again.
        """
        with self._lock:
            self.clock.reset()
            self._records.clear()
            self._applied_cutoffs = {}
            self._load()
            self._rate_limiter.reset()
            self._daily.reset()
            self.faults.configure(self.faults.settings)
            self.callbacks.clear()

    def close(self) -> None:
        """Stop the callback worker, and let go of the records' file."""
        self.callbacks.close()
        with self._lock:
            self._records.close()

    # Internals (the lock is held)

    def _count_against_daily_limits(self, notification: Notification, today: dt.date) -> None:
        if notification.key_type in COUNTED_KEY_TYPES:
            self._daily.increment(notification.service_id, notification.type, today)
            if notification.type == "sms" and notification.is_international:
                self._daily.increment(notification.service_id, "international_sms", today)

    def _count_todays_sends(self) -> None:
        """What a store file kept from today counts against the daily limits again, so a
        restart does not make a fresh day. Costs what was sent today, not what is kept."""
        today = self._today()
        midnight = dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc)
        for notification in self._records.newest_first():
            if notification.created_at < midnight:
                break
            self._count_against_daily_limits(notification, today)

    def _today(self) -> dt.date:
        return self.clock.now().astimezone(dt.timezone.utc).date()

    def _catch_up(self) -> None:
        """Apply due transitions and forget what is past retention; then send callbacks.

        Costs what is due and what expires, not what is stored.
        """
        now = self.clock.now()
        due_callbacks: list[_Callback] = []
        due = self._records.due(now)
        with self._records.batch() if due else contextlib.nullcontext():
            self._apply(due, now, due_callbacks)
        self._forget_expired(now)
        for config, payload, timings in due_callbacks:
            self.callbacks.send(config, payload, timings)

    def _apply(self, due: list[str], now: dt.datetime, due_callbacks: list[_Callback]) -> None:
        """Apply the planned changes that fell due, noting the callbacks they call for."""
        for notification_id in due:
            transitions = self._records.pending(notification_id)
            notification = self._records.notification(notification_id)
            if not transitions or notification is None:
                continue  # expired meanwhile
            service = self._services[notification.service_id]
            while transitions and transitions[0].due_at <= now:
                transition = transitions.pop(0)
                wants_callback = lifecycle.apply(notification, transition, service.limits.sms_rate)
                config = service.delivery_status_callback
                if wants_callback and config is not None:
                    payload = callbacks.delivery_status_payload(notification)
                    due_callbacks.append((config, payload, service.timings))
            self._records.save_notification(notification, transitions)

    def _forget(self, notification: Notification) -> None:
        """Drop one notification, its plan and its files."""
        self._records.delete_notification(notification)
        self.documents.forget_notification(notification.id)

    def _forget_expired(self, now: dt.datetime) -> None:
        """Drop what is past each service's retention, oldest first, stopping at the first
        notification or text still in date."""
        cutoffs = {
            service.id: retention_cutoff(now, service.limits.retention_days)
            for service in self._services.values()
        }
        # Cutoffs move at midnight (or when the clock is moved): between, nothing new expires,
        # and a store file is spared a write on every request.
        if cutoffs != self._applied_cutoffs:
            self._records.delete_created_before(cutoffs)
            self._applied_cutoffs = cutoffs


def create_store(
    data: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    clock: Clock | None = None,
) -> Store:
    """A store holding the services of a data file, a mapping or (``None``) the built-in data."""
    return Store(load_data(data), clock)
