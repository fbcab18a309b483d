"""``NotifySimulator``: the simulator's store and WSGI app served over real HTTP/1.1 sockets.

The app is served by ``web.serving.HttpServer`` (waitress: threaded, keep-alive), and a ticker
thread moves notifications along the simulator's clock so callbacks are made even when
nobody reads.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any

from notifications_python_client.simulator import DEFAULT_HOST
from notifications_python_client.simulator.data import load_simulation
from notifications_python_client.simulator.domain.faults import FaultSettings
from notifications_python_client.simulator.domain.models import (
    KeyType,
    Notification,
    ReceivedText,
    Service,
    Timings,
)
from notifications_python_client.simulator.domain.sent_message import SentMessage, recipient_of
from notifications_python_client.simulator.state.callbacks import CallbackAttempt
from notifications_python_client.simulator.state.clock import Clock
from notifications_python_client.simulator.state.faults import FaultInjector
from notifications_python_client.simulator.state.store import Store
from notifications_python_client.simulator.web.guard import allowed_host_names, host_guard
from notifications_python_client.simulator.web.serving import SERVER_THREADS, HttpServer

if TYPE_CHECKING:
    from notifications_python_client.simulator.web.wsgi import WsgiApp

logger = logging.getLogger(__name__)

DEFAULT_RECEIVED_TEXT_NUMBER = "447700900111"
TICK_INTERVAL_SECONDS = 0.05
DEFAULT_WAIT_SECONDS = 5.0
# How many of what was stored a failed wait lists, newest first.
STORED_SHOWN_ON_TIMEOUT = 20


class WaitTimeoutError(TimeoutError):
    """No notification matched ``wait_for``'s filters in time; the message lists what was
    stored instead, so a failing test explains itself."""


def _with_timings(service: Service, timings: Timings | Mapping[str, float]) -> Service:
    """The service with its timings replaced, or only the named ones changed."""
    if isinstance(timings, Timings):
        return replace(service, timings=replace(timings))
    try:
        changes: dict[str, Any] = dict(timings)
        return replace(service, timings=replace(service.timings, **changes))
    except TypeError as error:
        raise ValueError(f"unknown timing in {sorted(timings)}: {error}") from None


def _fault_settings(
    faults: FaultSettings | Mapping[str, Any], base: FaultSettings | None = None
) -> FaultSettings:
    """``faults`` itself, or ``base`` with the fields a mapping names changed."""
    if isinstance(faults, FaultSettings):
        return faults
    return FaultSettings.from_mapping({**(base or FaultSettings()).to_mapping(), **faults})


# The placeholder of the built-in email template that sends a file (see docs/sending.md).
FILE_PLACEHOLDER = "((link_to_file))"
# The built-in text message of a sign-in code, and the email whose subject and body are all
# placeholders, as Django email backends for Notify use one (see docs/testing-your-service.md).
SIGN_IN_CODE_PLACEHOLDER = "((code))"
PLAIN_EMAIL_PLACEHOLDERS = ("((subject))", "((body))")


class NotifySimulator:
    """A local GOV.UK Notify: the v2 API on a loopback port, with handles for tests.

    ``data`` is a data file path, a mapping in the same format, or ``None`` for the built-in
    services (see ``simulator.data``). ``timings`` replaces every service's timings (a
    ``Timings``) or only the named ones (a mapping such as ``{"delivered_after_seconds": 5}``).
    ``faults`` are the faults to inject: a ``FaultSettings`` replaces any the data file sets, a
    mapping changes only the fields it names; see ``domain.faults``. ``app_factory`` builds the
    WSGI app from the store; the default is the simulator's own app. ``threads`` answer
    requests at once; injected latency holds one for its length, so raise it for load tests.
    ``allowed_hosts`` are host names to answer besides loopback and ``host`` (a container's
    service name; ``"*"`` for any): a request sent to another name is refused, so that no web
    page can reach the simulator by pointing a name of its own at it (see ``web.guard``).
    ``keep`` caps how many notifications are kept: past it, the oldest are forgotten as new
    ones come, so memory stays bounded however long it runs (None: only Notify's retention).
    ``store`` is a SQLite file to keep everything in (notifications, statuses, received texts,
    template and callback changes, the clock), written before the API answers, so a restart,
    or a ``kill -9``, loses nothing acknowledged; None keeps it in memory.

    :raises StoreFileError: (a ValueError) ``store`` is not a store of the local Notify, or of
        another schema version.
    """

    def __init__(
        self,
        data: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        allowed_hosts: Iterable[str] = (),
        timings: Timings | Mapping[str, float] | None = None,
        faults: FaultSettings | Mapping[str, Any] | None = None,
        app_factory: Callable[[Store], WsgiApp] | None = None,
        tick_interval_seconds: float = TICK_INTERVAL_SECONDS,
        threads: int = SERVER_THREADS,
        keep: int | None = None,
        store: str | os.PathLike[str] | None = None,
    ) -> None:
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise ValueError("threads must be a whole number, 1 or more")
        services, data_faults = load_simulation(data)
        if timings is not None:
            services = [_with_timings(service, timings) for service in services]
        settings = data_faults if faults is None else _fault_settings(faults, data_faults)
        records = None
        if store is not None:
            from notifications_python_client.simulator.state.records.sqlite import SqliteRecords

            records = SqliteRecords(store)
        self.store_file = None if store is None else os.fspath(store)
        self.store = Store(services, faults=FaultInjector(settings), keep=keep, records=records)
        self.clock: Clock = self.store.clock
        self.host = host
        self.port = port
        self.allowed_hosts = tuple(allowed_hosts)
        self._app_factory = app_factory
        self._tick_interval_seconds = tick_interval_seconds
        self.threads = threads
        self._server: HttpServer | None = None
        self._ticker: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        """The root URL, e.g. ``http://127.0.0.1:54321`` (the bound port once started)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> NotifySimulator:
        """Listen and serve in background threads; returns the simulator for chaining.

        :raises RuntimeError: if it is already running.
        :raises OSError: if the address cannot be bound.
        """
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        app_factory = self._app_factory
        if app_factory is None:
            from notifications_python_client.simulator.web.app import create_app

            app_factory = create_app
        app = host_guard(app_factory(self.store), allowed_host_names(self.host, self.allowed_hosts))
        self._server = HttpServer(app, self.host, self.port, threads=self.threads)
        self.port = self._server.port
        self._stopping.clear()
        self._server.start()
        self._ticker = threading.Thread(
            target=self._tick, name="notify-simulator-ticker", daemon=True
        )
        self._ticker.start()
        logger.info("Notify simulator listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and stop the background threads."""
        server, self._server = self._server, None
        if server is not None:
            self._stopping.set()
            server.stop()
            if self._ticker is not None:
                self._ticker.join()
        self.store.close()

    def __enter__(self) -> NotifySimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _tick(self) -> None:
        while not self._stopping.wait(self._tick_interval_seconds):
            try:
                self.store.apply_due_transitions()
            except Exception:  # a bad tick must not stop later ones
                logger.exception("applying due status changes failed")

    def _service(self, service_id: str | None) -> Service:
        if service_id is None:
            return self.store.services()[0]
        service = self.store.service(service_id)
        if service is None:
            raise LookupError(f"no service {service_id}")
        return service

    def api_key(self, key_type: KeyType = "test", service_id: str | None = None) -> str:
        """The combined key (as users paste it) of the service's first unrevoked key of a type.

        :raises LookupError: the service is unknown or has no such key.
        """
        service = self._service(service_id)
        for key in service.api_keys:
            if key.type == key_type and key.revoked_at is None:
                return key.combined(service.id)
        raise LookupError(f"service {service.id} has no {key_type} key")

    def env(self) -> dict[str, str]:
        """The integration test's settings for the first service, and ``NOTIFY_API_KEY`` (its
        test key, which the `notify` command line reads); absent values are left out."""
        service = self.store.services()[0]
        values = {"NOTIFY_API_URL": self.url}
        for name, key_type in (
            ("API_KEY", "test"),
            ("API_SENDING_KEY", "team"),
            ("INBOUND_SMS_QUERY_KEY", "normal"),
        ):
            key = next(
                (k for k in service.api_keys if k.type == key_type and not k.revoked_at), None
            )
            if key is not None:
                values[name] = key.combined(service.id)
        if "API_KEY" in values:
            values["NOTIFY_API_KEY"] = values["API_KEY"]
        firsts = {
            "FUNCTIONAL_TEST_NUMBER": service.team_phone_numbers[:1],
            "FUNCTIONAL_TEST_EMAIL": service.team_email_addresses[:1],
        }
        for template_type in ("sms", "email", "letter"):
            firsts[f"{template_type.upper()}_TEMPLATE_ID"] = [
                t.id
                for t in service.templates
                if t.type == template_type and not (t.archived or t.hidden)
            ][:1]
        firsts["FILE_EMAIL_TEMPLATE_ID"] = [
            t.id
            for t in service.templates
            if t.type == "email" and FILE_PLACEHOLDER in t.latest.body and not t.archived
        ][:1]
        firsts["SIGN_IN_CODE_TEMPLATE_ID"] = [
            t.id
            for t in service.templates
            if t.type == "sms" and SIGN_IN_CODE_PLACEHOLDER in t.latest.body and not t.archived
        ][:1]
        firsts["PLAIN_EMAIL_TEMPLATE_ID"] = [
            t.id
            for t in service.templates
            if t.type == "email"
            and (t.latest.subject, t.latest.body) == PLAIN_EMAIL_PLACEHOLDERS
            and not t.archived
        ][:1]
        firsts["EMAIL_REPLY_TO_ID"] = [r.id for r in service.email_reply_to if not r.archived][:1]
        firsts["SMS_SENDER_ID"] = [s.id for s in service.sms_senders if not s.archived][:1]
        values.update({name: found[0] for name, found in firsts.items() if found})
        return values

    @contextlib.contextmanager
    def as_default(self, key_type: KeyType = "test") -> Iterator[NotifySimulator]:
        """Point every client built without a ``base_url``, and the `notify` command line, at
        this simulator for the block: sets ``NOTIFY_API_URL`` and ``NOTIFY_API_KEY`` (a key of
        ``key_type``) in ``os.environ``, then puts back what was there.

        For code that builds its own client deep inside a library. It changes the whole
        process's environment, so every thread sees it.

        :raises RuntimeError: the simulator is not running (it has no address yet).
        """
        if self._server is None:
            raise RuntimeError("start the simulator first: it has no address until it runs")
        values = {"NOTIFY_API_URL": self.url, "NOTIFY_API_KEY": self.api_key(key_type)}
        saved = {name: os.environ.get(name) for name in values}
        os.environ.update(values)
        try:
            yield self
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def add_template(
        self,
        *,
        type: str,
        body: str,
        subject: str | None = None,
        name: str | None = None,
        service_id: str | None = None,
        template_id: str | None = None,
    ) -> str:
        """Add a template to a service (the first unless ``service_id`` says) and return its
        id: ``template_id``, or a new one. It lasts until ``reset``.

        :param type: ``sms``, ``email`` or ``letter``; emails and letters need a ``subject``.
        :raises ValueError: (``DataFileError``) naming what is wrong, as the data file's errors
            do: an unknown type, a subject on a text message, a ``((`` never closed; or a
            template with that id exists already.
        :raises LookupError: no such service.
        """
        from notifications_python_client.simulator.api.template_changes import create_template

        values = {"type": type, "body": body, "subject": subject, "name": name,
                  "service_id": service_id, "template_id": template_id}  # fmt: skip
        return create_template(self.store, values).id

    def edit_template(
        self,
        template_id: str,
        *,
        body: str | None = None,
        subject: str | None = None,
        name: str | None = None,
    ) -> int:
        """Make a new version of a template from what is given (the rest stays) and return its
        version number; the earlier versions stay readable, as in Notify.

        :raises ValueError: (``DataFileError``) naming what is wrong.
        :raises LookupError: no such template.
        """
        from notifications_python_client.simulator.api.template_changes import edit_template

        changes = {"body": body, "subject": subject, "name": name}
        given = {field: value for field, value in changes.items() if value is not None}
        return edit_template(self.store, template_id, given).latest.version

    def wait_for(
        self,
        *,
        to: str | None = None,
        template_id: str | None = None,
        reference: str | None = None,
        type: str | None = None,
        timeout: float = DEFAULT_WAIT_SECONDS,
    ) -> SentMessage:
        """The first stored notification that matches every filter given, waiting up to
        ``timeout`` seconds for one to arrive (from any thread, process or language).

        ``to`` matches by Notify's own normalisation: ``07700 900123``, ``+447700900123``
        and ``447700900123`` are one number, and email addresses match whatever their case;
        for a letter, ``to`` is one of its address lines.

        :param type: ``sms``, ``email`` or ``letter``.
        :raises WaitTimeoutError: (a ``TimeoutError``) none matched in time; its message names
            the filters and lists what was stored.
        :raises ValueError: ``type`` is not a notification type, or ``timeout`` is negative.
        """
        from notifications_python_client.simulator.api.admin import (
            TYPES,
            notification_filter,
        )
        from notifications_python_client.simulator.state.serialise import shown_status

        if type is not None and type not in TYPES:
            raise ValueError(f"type must be one of {', '.join(TYPES)}, not {type!r}")
        if not timeout >= 0:
            raise ValueError(f"timeout must be a number of seconds, 0 or more, not {timeout}")
        filters = {"to": to, "template_id": template_id, "reference": reference, "type": type}
        given = {name: value for name, value in filters.items() if value is not None}
        found = self.store.wait_for_notification(notification_filter(given), timeout)
        if found is None:
            raise WaitTimeoutError(self._nothing_matched(given, timeout))
        return SentMessage.of(found, shown_status(found))

    def _nothing_matched(self, filters: Mapping[str, str], timeout: float) -> str:
        wanted = ", ".join(f"{name}={value!r}" for name, value in filters.items()) or "any"
        stored = self.store.recent_notifications(limit=STORED_SHOWN_ON_TIMEOUT)
        lines = [
            f"- {n.type} to {recipient_of(n)!r}, template {n.template_id}, "
            f"reference {n.reference!r}, at {n.created_at:%H:%M:%S}"
            for n in stored
        ]
        if not lines:
            return f"no notification matched {wanted} within {timeout:g} s: none was stored"
        return (
            f"no notification matched {wanted} within {timeout:g} s; stored (newest first):\n"
            + "\n".join(lines)
        )

    @property
    def notifications(self) -> list[Notification]:
        """Every stored notification of every service, oldest first."""
        return self.store.all_notifications()

    def inbox(self, *, limit: int = 50, **filters: str) -> list[dict[str, Any]]:
        """The newest notifications as the inbox lists them (the admin API's
        ``GET /_simulator/api/notifications``), filtered by ``type``, ``status``, ``key_type``,
        ``reference`` or ``recipient`` (a part of it).

        :raises ValueError: a filter that does not exist, or a value not among its choices.
        """
        from notifications_python_client.simulator.api.admin import (
            LIST_FILTERS,
            notification_filter,
        )
        from notifications_python_client.simulator.api.admin_views import summary_view
        from notifications_python_client.simulator.domain.errors import NotifyApiError

        unknown = sorted(set(filters) - set(LIST_FILTERS))  # limit is an argument of its own
        if unknown:
            raise ValueError(f"not a filter: {', '.join(unknown)}")
        try:
            matching = notification_filter(filters)
        except NotifyApiError as error:
            raise ValueError(error.errors[0]["message"]) from None
        found = self.store.recent_notifications(limit=limit, matching=matching)
        return [summary_view(notification, self.url) for notification in found]

    def rendered_notification(self, notification_id: str) -> dict[str, Any]:
        """One notification as its recipient sees it, with its status history and callbacks
        (the admin API's ``GET /_simulator/api/notifications/<id>``).

        :raises LookupError: no such notification.
        """
        from notifications_python_client.simulator.api.admin_views import notification_view

        notification = self.store.find_notification(notification_id)
        if notification is None:
            raise LookupError(f"no notification {notification_id}")
        return notification_view(self.store, notification, self.url)

    def set_status(self, notification_id: str, status: str) -> Notification:
        """Move a notification to ``status`` now, as a provider's update would; its
        delivery-status callback is sent.

        :raises LookupError: no such notification.
        :raises ValueError: a status its type cannot have.
        """
        return self.store.set_status(notification_id, status)

    @property
    def inbox_url(self) -> str:
        """The web inbox: ``<url>/_simulator/``."""
        return f"{self.url}/_simulator/"

    def set_callback(
        self,
        kind: str,
        url: str | None = None,
        bearer_token: str | None = None,
        *,
        service_id: str | None = None,
    ) -> None:
        """Send a service's callbacks of ``kind`` (``delivery_status`` or ``received_text``)
        to ``url`` with ``bearer_token`` from now on; ``url=None`` stops them.

        :raises ValueError: an unknown kind, a URL that is not http(s) with a host, or a token
            shorter than Notify's 10 characters (the token is never shown).
        :raises LookupError: no such service.
        """
        from notifications_python_client.simulator.domain.callback_settings import (
            callback_config,
        )

        config = None if url is None else callback_config(url, bearer_token)
        self.store.set_callback(self._service(service_id).id, kind, config)

    @property
    def callbacks(self) -> list[CallbackAttempt]:
        """The callback POSTs attempted so far (the latest 10,000), oldest first."""
        return self.store.callback_attempts()

    def wait_for_callbacks(self, timeout_seconds: float = 5.0) -> bool:
        """Wait until every due callback has been tried; ``False`` if that took too long."""
        self.store.apply_due_transitions()
        return self.store.callbacks.wait_until_idle(timeout_seconds)

    def add_received_text(
        self,
        content: str,
        user_number: str = DEFAULT_RECEIVED_TEXT_NUMBER,
        service_id: str | None = None,
    ) -> ReceivedText:
        """Pretend someone texted the service's inbound number (the first service by default)."""
        return self.store.add_received_text(self._service(service_id).id, user_number, content)

    def advance_clock(self, seconds: float) -> None:
        """Move simulated time on and apply whatever status changes fell due."""
        self.store.advance_clock(seconds)

    @property
    def faults(self) -> FaultSettings:
        """The faults being injected (``FaultSettings()`` when none)."""
        return self.store.faults.settings

    def set_faults(
        self, settings: FaultSettings | Mapping[str, Any] | None = None, **values: Any
    ) -> None:
        """Inject these faults from now on (none for no arguments); counts start again.

        ``set_faults(error_rate=0.1, seed=7)`` or ``set_faults(FaultSettings(...))``.

        :raises ValueError: (``FaultSettingsError``) naming a setting that is not valid.
        """
        if settings is not None and values:
            raise TypeError("give the settings or the values, not both")
        chosen = settings if settings is not None else values
        self.store.faults.configure(_fault_settings(chosen))

    @property
    def fault_counts(self) -> dict[str, int]:
        """How many v2 requests were seen and how many got each injected fault."""
        return self.store.faults.counts()

    def reset(self) -> None:
        """Back to the loaded data: no notifications, real time, full rate-limit buckets."""
        self.store.reset()
