"""A misbehaving HTTP/1.1 server on a loopback socket, scripted per test, for the fault tests.

It speaks just enough HTTP to read a request and then does whatever the next scripted ``Action``
says: answer properly, close without answering, send half a body, stall, reset the connection.
Written on raw sockets rather than ``http.server`` because the faults it plays are exactly the
things ``http.server`` would not let a handler do.

    with FaultyServer() as server:
        server.script(close_without_answer(), json_answer(200, {"id": "x"}))
        ...  # point a client at server.url

Requests with no script left get ``DEFAULT_BODY`` as a 200, so a test can check that the client
still works after a fault. Every request is recorded in ``server.requests``.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType

__all__ = [
    "DEFAULT_BODY",
    "Action",
    "FaultyServer",
    "ReceivedRequest",
    "answer",
    "chunked_answer",
    "close_without_answer",
    "gzip_answer",
    "json_answer",
    "raw_bytes",
    "redirect",
    "reset_mid_body",
    "slow_answer",
    "truncated_answer",
]

DEFAULT_BODY = {"id": "f33517ff-2a88-4f6e-b855-c550268ce08a", "healthy": True}

# A handler thread gives up on a silent client after this long, so teardown never hangs.
CLIENT_IDLE_TIMEOUT_SECONDS = 5.0
JOIN_TIMEOUT_SECONDS = 2.0
MAX_HEADER_BYTES = 64 * 1024
RECV_CHUNK_BYTES = 64 * 1024

REASONS = {
    200: "OK",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the server read it; header names are lower-cased."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Exchange:
    """What an action gets to work with: the client's socket, its request and the server."""

    connection: socket.socket
    request: ReceivedRequest
    stopping: threading.Event


# An action writes (or withholds) the answer; it returns whether the connection stays open.
Action = Callable[[Exchange], bool]


def _head(status: int, headers: Iterable[tuple[str, str]]) -> bytes:
    """A status line and headers, ready to send."""
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(
    status: int, body: bytes = b"", content_type: str = "application/json", close: bool = False
) -> Action:
    """A well-formed response with a correct Content-Length."""

    def act(exchange: Exchange) -> bool:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if status == 204:
            headers = []
        if close:
            headers.append(("Connection", "close"))
        exchange.connection.sendall(_head(status, headers) + body)
        return not close

    return act


def json_answer(status: int, value: object) -> Action:
    """A well-formed JSON response, encoded as Notify does (compact, newline-ended)."""
    return answer(status, (json.dumps(value, separators=(",", ":")) + "\n").encode())


def gzip_answer(status: int, compressed: bytes) -> Action:
    """A response whose body is declared as gzip; pass ``gzip.compress(...)`` or garbage."""

    def act(exchange: Exchange) -> bool:
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(compressed))),
        ]
        exchange.connection.sendall(_head(status, headers) + compressed)
        return True

    return act


def gzipped_json(value: object) -> bytes:
    """``value`` as gzip-compressed JSON, for ``gzip_answer``."""
    return gzip.compress(json.dumps(value).encode(), mtime=0)


def chunked_answer(status: int, chunks: list[bytes], finish: bool = True) -> Action:
    """A ``Transfer-Encoding: chunked`` response; ``finish=False`` omits the end and closes."""

    def act(exchange: Exchange) -> bool:
        headers = [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]
        parts = [_head(status, headers)]
        parts += [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for chunk in chunks]
        if finish:
            parts.append(b"0\r\n\r\n")
        exchange.connection.sendall(b"".join(parts))
        return finish

    return act


def close_without_answer() -> Action:
    """Read the request, then hang up without a byte of answer."""
    return lambda exchange: False


def truncated_answer(status: int, body: bytes, declared_length: int) -> Action:
    """Promise ``declared_length`` bytes of body, send ``body`` (fewer), then close."""

    def act(exchange: Exchange) -> bool:
        headers = [("Content-Type", "application/json"), ("Content-Length", str(declared_length))]
        exchange.connection.sendall(_head(status, headers) + body)
        return False

    return act


def reset_mid_body(status: int, body: bytes, declared_length: int) -> Action:
    """Like ``truncated_answer``, but end with a TCP reset instead of an orderly close."""

    def act(exchange: Exchange) -> bool:
        headers = [("Content-Type", "application/json"), ("Content-Length", str(declared_length))]
        exchange.connection.sendall(_head(status, headers) + body)
        # SO_LINGER on with a zero timeout makes close() send RST rather than FIN.
        exchange.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return False

    return act


def slow_answer(delay_seconds: float, then: Action) -> Action:
    """Stall for ``delay_seconds`` (cut short when the server stops), then do ``then``."""

    def act(exchange: Exchange) -> bool:
        if exchange.stopping.wait(delay_seconds):
            return False
        return then(exchange)

    return act


def redirect(location: str, status: int = 302) -> Action:
    """A redirect to ``location`` (absolute, or a path on this server)."""

    def act(exchange: Exchange) -> bool:
        headers = [("Location", location), ("Content-Length", "0")]
        exchange.connection.sendall(_head(status, headers))
        return True

    return act


def raw_bytes(data: bytes) -> Action:
    """Send ``data`` as it is, then close: for answers that are not HTTP at all."""

    def act(exchange: Exchange) -> bool:
        exchange.connection.sendall(data)
        return False

    return act


class FaultyServer:
    """A threaded loopback server that plays scripted actions, one per request, in order."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[ReceivedRequest] = []
        self._script: deque[Action] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> FaultyServer:
        self._start_thread(self._accept_loop)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def script(self, *actions: Action) -> None:
        """Queue actions for the next requests, in order."""
        with self._lock:
            self._script.extend(actions)

    def stop(self) -> None:
        """Close every socket and wait for the threads, so nothing outlives the test."""
        self._stopping.set()
        # shutdown() wakes a thread blocked in accept() or recv(); close() alone may not.
        _shutdown_quietly(self._listener)
        # The accept thread goes first, so no connection can be added after the snapshot below.
        self._threads[0].join(JOIN_TIMEOUT_SECONDS)
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
            handlers = self._threads[1:]
        for connection in connections:
            _shutdown_quietly(connection)
        for thread in handlers:
            thread.join(JOIN_TIMEOUT_SECONDS)

    def _start_thread(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # the listener was closed by stop()
            connection.settimeout(CLIENT_IDLE_TIMEOUT_SECONDS)
            with self._lock:
                self._connections.append(connection)
            self._start_thread(self._serve_connection, connection)

    def _serve_connection(self, connection: socket.socket) -> None:
        buffer = bytearray()
        try:
            keep_open = True
            while keep_open and not self._stopping.is_set():
                request = _read_request(connection, buffer)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    action = self._script.popleft() if self._script else _default_action()
                keep_open = action(Exchange(connection, request, self._stopping))
        except OSError:
            return  # the client hung up or timed out first: that is what these tests provoke
        finally:
            connection.close()


def _default_action() -> Action:
    """What an unscripted request gets: a healthy 200, as from a working Notify."""
    return json_answer(200, DEFAULT_BODY)


def _read_request(connection: socket.socket, buffer: bytearray) -> ReceivedRequest | None:
    """Read one request from the connection; None when the client closed it cleanly."""
    while b"\r\n\r\n" not in buffer:
        if len(buffer) > MAX_HEADER_BYTES:
            raise OSError("request head too large")
        chunk = connection.recv(RECV_CHUNK_BYTES)
        if not chunk:
            return None
        buffer.extend(chunk)
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = bytearray(rest)
    while len(body) < length:
        chunk = connection.recv(RECV_CHUNK_BYTES)
        if not chunk:
            return None
        body.extend(chunk)
    buffer[:] = body[length:]
    return ReceivedRequest(method, target, headers, bytes(body[:length]))


def _shutdown_quietly(sock: socket.socket) -> None:
    """Wake a thread blocked on this socket; it may already be closed."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
