"""A small threaded HTTP/1.1 gateway on ``http.server`` that serves a WSGI app over sockets.

One daemon thread per connection, keep-alive, and every response with a Content-Length. The
whole answer is collected before it is sent, so an app failure becomes a plain 500 rather than
a half-written response. Request logs go to ``logging`` at debug level and never include
headers, so keys and tokens are not written out.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import socketserver
import sys
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from notifications_python_client.simulator.web import MAX_REQUEST_BODY_BYTES, WsgiApp

logger = logging.getLogger(__name__)

IDLE_CONNECTION_TIMEOUT_SECONDS = 120.0
SHUTDOWN_WAIT_SECONDS = 2.0
INTERNAL_ERROR_BODY = b"Internal Server Error"
DISCARD_LIMIT_BYTES = 256 * 1024 * 1024
DISCARD_CHUNK_BYTES = 64 * 1024


class HttpGateway(ThreadingHTTPServer):
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
    server: HttpGateway
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
