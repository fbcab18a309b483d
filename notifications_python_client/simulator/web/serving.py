"""Serving a WSGI app over HTTP/1.1 on a loopback port: waitress, in a background thread.

Waitress keeps connections alive, reads each request body whole before the app runs (spooling a
large one to a temporary file, never holding it in memory), and answers malformed requests
itself: a bad request line or ``Content-Length`` gets 400, oversized headers 431. Werkzeug's own
server closes every connection after one request by design, which would make every client
request open a new connection (see docs/architecture.md).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

from waitress.channel import ClientDisconnected
from waitress.server import create_server
from waitress.wasyncore import close_all, loop

from notifications_python_client.simulator.web.wsgi import StartResponse, WsgiApp, run_to_the_end

LOGGER = logging.getLogger(__name__)

IDLE_CONNECTION_TIMEOUT_SECONDS = 120
# Where the app leaves the name of the API key that made a request, for the log line.
KEY_NAME_ENVIRON = "notify_simulator.key_name"
# Worker threads answer requests; idle kept-alive connections hold none.
SERVER_THREADS = 8
# Past this, waitress refuses a body itself (413, text) without reading it; below it, the app
# answers over-limit bodies with Notify's JSON 413 (see api.context.MAX_REQUEST_BODY_BYTES).
SERVER_MAX_BODY_BYTES = 256 * 1024 * 1024
# Well under waitress's 64 KiB read, so a head just over the limit is read whole and answered
# rather than reset; a Notify request head is a few hundred bytes.
MAX_HEADER_BYTES = 32 * 1024
# How long stop() waits for a request that is still being answered.
SHUTDOWN_WAIT_SECONDS = 2.0
# How often the serving thread looks up from the event loop to see whether to stop.
STOP_POLL_SECONDS = 0.05


class ConnectionDropped(ClientDisconnected):  # type: ignore[misc]
    """Raised by an app to close the connection without answering (a fault on demand).

    Waitress treats it as a client that went away: nothing more is written, the connection
    closes.
    """


class HttpServer:
    """An app served by waitress until ``stop``: bound at construction, served from ``start``."""

    def __init__(self, app: WsgiApp, host: str, port: int, *, threads: int = SERVER_THREADS):
        # Bound here, not by waitress: a failed bind then leaves no threads or sockets behind,
        # and a name such as "localhost" is one address, not one listener per address.
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.create_server((host, port), family=family)
        self._map: dict[int, Any] = {}
        try:
            self._server: Any = create_server(
                without_body_for_head(logged(app)),
                map=self._map,
                sockets=[listener],
                threads=threads,
                ident="NotifySimulator",
                channel_timeout=IDLE_CONNECTION_TIMEOUT_SECONDS,
                max_request_body_size=SERVER_MAX_BODY_BYTES,
                max_request_header_size=MAX_HEADER_BYTES,
                clear_untrusted_proxy_headers=True,
                expose_tracebacks=False,
            )
        except BaseException:
            listener.close()
            raise
        self.port: int = int(listener.getsockname()[1])
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, name="notify-simulator-http", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop listening, let requests being answered finish, and close every connection."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        else:
            self._close()

    def _serve(self) -> None:
        """The event loop, in short turns so that it notices ``stop``; then the shutdown.

        Everything is closed from this thread, the one that owns the sockets, and only once the
        worker threads are done with them.
        """
        while not self._stopping.is_set():
            loop(timeout=STOP_POLL_SECONDS, map=self._map, count=1)
        self._close()

    def _close(self) -> None:
        self._server.task_dispatcher.shutdown(timeout=SHUTDOWN_WAIT_SECONDS)
        close_all(self._map)


def logged(app: WsgiApp) -> WsgiApp:
    """The app, logging each request at info level: method, path, status, milliseconds and the
    name of the API key that made it (``python -m ...simulator`` prints these lines).

    Never headers, a token or the query string, so no secret or personal data reaches the log.
    """

    def logging_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not LOGGER.isEnabledFor(logging.INFO):
            # Nobody reads the lines (tests, the fixture): no timing, no wrapping.
            return app(environ, start_response)
        started = time.perf_counter()
        statuses: list[str] = []

        def recording_start_response(status: str, *args: Any) -> Any:
            statuses.append(status)
            return start_response(status, *args)

        try:
            return app(environ, recording_start_response)
        finally:
            key_name = environ.get(KEY_NAME_ENVIRON)
            LOGGER.info(
                "%s %s %s %.0f ms%s",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                statuses[-1].split(" ", 1)[0] if statuses else "-",
                (time.perf_counter() - started) * 1000,
                f" (key {key_name})" if key_name else "",
            )

    return logging_app


def without_body_for_head(app: WsgiApp) -> WsgiApp:
    """The app, answering HEAD with the headers a GET would get and no body.

    Waitress sends what the app returns even for HEAD; a body there would be read by the client
    as the start of the next answer on a kept-alive connection. The length of the body not sent
    becomes the ``Content-Length`` when the app gave none.
    """

    def head_safe_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "HEAD":
            return app(environ, start_response)
        started, length = run_to_the_end(app, environ)
        if started is None:
            raise RuntimeError("the app answered HEAD without calling start_response")
        status, headers, exc_info = started
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(length)))
        start_response(status, headers, exc_info)
        return []

    return head_safe_app
