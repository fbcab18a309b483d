"""``NotifySimulator``: the simulator's store and WSGI app served over real HTTP/1.1 sockets.

A small WSGI gateway on ``http.server`` (one daemon thread per connection, keep-alive, every
response with a Content-Length) serves the app, and a ticker thread moves notifications along
the simulator's clock so callbacks are made even when nobody reads. Request logs go to
``logging`` at debug level and never include headers, so keys and tokens are not written out.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import socket
import socketserver
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from notifications_python_client.simulator import DEFAULT_HOST
from notifications_python_client.simulator.callbacks import CallbackAttempt
from notifications_python_client.simulator.clock import Clock
from notifications_python_client.simulator.data import load_data
from notifications_python_client.simulator.models import (
    KeyType,
    Notification,
    ReceivedText,
    Service,
    Timings,
)
from notifications_python_client.simulator.store import Store
from notifications_python_client.simulator.web import MAX_REQUEST_BODY_BYTES

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

logger = logging.getLogger(__name__)

DEFAULT_RECEIVED_TEXT_NUMBER = "447700900111"
TICK_INTERVAL_SECONDS = 0.05
IDLE_CONNECTION_TIMEOUT_SECONDS = 120.0
SHUTDOWN_WAIT_SECONDS = 2.0
# How often the accept loop checks for stop(): the longest stop() waits for it.
SHUTDOWN_POLL_SECONDS = 0.02
INTERNAL_ERROR_BODY = b"Internal Server Error"
DISCARD_LIMIT_BYTES = 256 * 1024 * 1024
DISCARD_CHUNK_BYTES = 64 * 1024


class _Server(ThreadingHTTPServer):
    """Threaded server that knows its open connections, so ``stop`` can close idle ones."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: WsgiApp) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        self.connections: set[socket.socket] = set()
        self.connections_changed = threading.Condition()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host name up in DNS; loopback needs no name.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("connection from %s failed", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Cut every open connection and wait (briefly) for their threads to notice."""
        with self.connections_changed:
            for connection in self.connections:
                with contextlib.suppress(OSError):  # already closed by the client
                    connection.shutdown(socket.SHUT_RDWR)
            self.connections_changed.wait_for(
                lambda: not self.connections, timeout=SHUTDOWN_WAIT_SECONDS
            )


class _Handler(BaseHTTPRequestHandler):
    """Turns each HTTP request into a WSGI call; one instance per connection."""

    protocol_version = "HTTP/1.1"
    server_version = "NotifySimulator"
    sys_version = ""
    timeout = IDLE_CONNECTION_TIMEOUT_SECONDS
    # Headers and body leave in one segment: otherwise Nagle's algorithm and the client's
    # delayed ACK add some 40 ms to every keep-alive request.
    disable_nagle_algorithm = True
    wbufsize = io.DEFAULT_BUFFER_SIZE
    server: _Server
    _body_length = 0

    def setup(self) -> None:
        super().setup()
        with self.server.connections_changed:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_changed:
                self.server.connections.discard(self.connection)
                self.server.connections_changed.notify_all()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _call_app(self) -> None:
        body = self._read_body()
        if body is None:
            self.send_error(400, "Bad request body")
            self.close_connection = True
            return
        status, headers, content = self._run_app(self._environ(body))
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in headers):
            self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _call_app

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); ``None`` when it is malformed.

        A body over ``MAX_REQUEST_BODY_BYTES`` is never held in memory: the app sees only its
        length and answers 413 (see ``_refuse_oversized``).
        """
        self._body_length = 0
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunks()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if length > MAX_REQUEST_BODY_BYTES:
            return self._refuse_oversized(length, unread_bytes=length)
        body = self.rfile.read(length) if length > 0 else b""
        self._body_length = len(body)
        return body

    def _read_chunks(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                size = int(self.rfile.readline().split(b";")[0], 16)
            except ValueError:
                return None
            if size == 0:
                while self.rfile.readline().strip():
                    pass  # trailer fields carry nothing the app needs
                body = b"".join(chunks)
                self._body_length = len(body)
                return body
            total += size
            if total > MAX_REQUEST_BODY_BYTES:
                return self._refuse_oversized(total, unread_bytes=None)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _refuse_oversized(self, length: int, *, unread_bytes: int | None) -> bytes:
        """Drop a too-large body so the client can read the 413 that the app sends.

        Closing with the body unread would make the kernel reset the connection, and the client
        would see a reset instead of the answer; so a body of known size up to
        ``DISCARD_LIMIT_BYTES`` is read and thrown away. Otherwise (a larger one, or the rest of
        a chunked one) the connection closes after the answer.
        """
        self._body_length = length
        if unread_bytes is None or unread_bytes > DISCARD_LIMIT_BYTES:
            self.close_connection = True
            return b""
        while unread_bytes > 0:
            dropped = self.rfile.read(min(unread_bytes, DISCARD_CHUNK_BYTES))
            if not dropped:
                break
            unread_bytes -= len(dropped)
        return b""

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": urllib.parse.unquote(path, "iso-8859-1"),
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(self._body_length),
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def _run_app(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        """Call the app and collect its whole answer; an app failure becomes a plain 500."""
        response: dict[str, Any] = {}
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            response.update(status=status, headers=list(headers))
            return written.append

        try:
            result = self.server.app(environ, start_response)
            try:
                written.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            return response["status"], response["headers"], b"".join(written)
        except Exception:
            logger.exception("the simulator app failed on %s %s", self.command, self.path)
            plain = [("Content-Type", "text/plain")]
            return "500 Internal Server Error", plain, INTERNAL_ERROR_BODY


def _with_timings(service: Service, timings: Timings | Mapping[str, float]) -> Service:
    """The service with its timings replaced, or only the named ones changed."""
    if isinstance(timings, Timings):
        return replace(service, timings=replace(timings))
    try:
        changes: dict[str, Any] = dict(timings)
        return replace(service, timings=replace(service.timings, **changes))
    except TypeError as error:
        raise ValueError(f"unknown timing in {sorted(timings)}: {error}") from None


class NotifySimulator:
    """A local GOV.UK Notify: the v2 API on a loopback port, with handles for tests.

    ``data`` is a data file path, a mapping in the same format, or ``None`` for the built-in
    services (see ``simulator.data``). ``timings`` replaces every service's timings (a
    ``Timings``) or only the named ones (a mapping such as ``{"delivered_after_seconds": 5}``).
    ``app_factory`` builds the WSGI app from the store; the default is the simulator's own app.
    """

    def __init__(
        self,
        data: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        timings: Timings | Mapping[str, float] | None = None,
        app_factory: Callable[[Store], WsgiApp] | None = None,
        tick_interval_seconds: float = TICK_INTERVAL_SECONDS,
    ) -> None:
        services = load_data(data)
        if timings is not None:
            services = [_with_timings(service, timings) for service in services]
        self.store = Store(services)
        self.clock: Clock = self.store.clock
        self.host = host
        self.port = port
        self._app_factory = app_factory
        self._tick_interval_seconds = tick_interval_seconds
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
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
            from notifications_python_client.simulator.app import create_app

            app_factory = create_app
        self._server = _Server((self.host, self.port), app_factory(self.store))
        self.port = self._server.server_port
        self._stopping.clear()
        self._threads = [
            threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
                name="notify-simulator-http",
            ),
            threading.Thread(target=self._tick, name="notify-simulator-ticker"),
        ]
        for thread in self._threads:
            thread.daemon = True
            thread.start()
        logger.info("Notify simulator listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and stop the background threads."""
        server, self._server = self._server, None
        if server is not None:
            self._stopping.set()
            server.shutdown()
            server.server_close()
            server.close_connections()
            for thread in self._threads:
                thread.join()
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
        """The integration test's settings for the first service; absent values are left out."""
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
        firsts["EMAIL_REPLY_TO_ID"] = [r.id for r in service.email_reply_to if not r.archived][:1]
        firsts["SMS_SENDER_ID"] = [s.id for s in service.sms_senders if not s.archived][:1]
        values.update({name: found[0] for name, found in firsts.items() if found})
        return values

    @property
    def notifications(self) -> list[Notification]:
        """Every stored notification of every service, oldest first."""
        return self.store.all_notifications()

    @property
    def callbacks(self) -> list[CallbackAttempt]:
        """Every callback POST attempted so far, oldest first."""
        return self.store.callbacks.history

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
        self.clock.advance(seconds)
        self.store.apply_due_transitions()

    def reset(self) -> None:
        """Back to the loaded data: no notifications, real time, full rate-limit buckets."""
        self.store.reset()
