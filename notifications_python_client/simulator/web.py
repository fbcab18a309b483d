"""The simulator's HTTP plumbing: a request read from a WSGI environ and a response to send.

Kept apart from ``app.py`` so that handlers depend on two small value types, not on WSGI.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any
from wsgiref.util import application_uri

from notifications_python_client.simulator.errors import NotifyApiError
from notifications_python_client.simulator.models import ApiKey, KeyType, Service

if TYPE_CHECKING:
    from notifications_python_client.simulator.store import Store

# Large enough for a precompiled letter or several 2 MiB email attachments once base64-encoded;
# anything bigger is answered with 413 instead of being held in memory.
MAX_REQUEST_BODY_BYTES = 20 * 1024 * 1024
_DRAIN_CHUNK_BYTES = 64 * 1024

JSON_CONTENT_TYPE = "application/json"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass
class Request:
    """What the handlers need of an HTTP request; the body is read on first use."""

    method: str
    path: str
    query: list[tuple[str, str]]
    authorization: str | None
    root_url: str
    input_stream: IO[bytes] | None = None
    content_length_bytes: int = 0
    _body: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        """Read method, path, query, the Authorization header and the root URL from ``environ``."""
        # PEP 3333 passes the path as latin-1 decoded bytes; the client sends UTF-8.
        raw_path = environ.get("PATH_INFO", "") or "/"
        path = raw_path.encode("latin-1").decode("utf-8", "replace")
        query = urllib.parse.parse_qsl(
            environ.get("QUERY_STRING", ""), keep_blank_values=True, errors="replace"
        )
        return cls(
            method=environ["REQUEST_METHOD"].upper(),
            path=path,
            query=query,
            authorization=environ.get("HTTP_AUTHORIZATION"),
            root_url=application_uri(environ).rstrip("/"),
            input_stream=environ.get("wsgi.input"),
            content_length_bytes=_content_length(environ.get("CONTENT_LENGTH")),
        )

    def body(self) -> bytes:
        """The request body; 413 when it is larger than ``MAX_REQUEST_BODY_BYTES``."""
        if self._body is None:
            if self.content_length_bytes > MAX_REQUEST_BODY_BYTES:
                self.discard_unread_body()
                raise NotifyApiError.single(
                    413,
                    "RequestEntityTooLarge",
                    f"Request body is larger than {MAX_REQUEST_BODY_BYTES} bytes",
                )
            self._body = self._read(self.content_length_bytes)
        return self._body

    def discard_unread_body(self) -> None:
        """Read and drop whatever body is left, so a kept-alive connection stays in step."""
        if self._body is not None or self.input_stream is None:
            return
        remaining = self.content_length_bytes
        while remaining > 0:
            chunk = self.input_stream.read(min(remaining, _DRAIN_CHUNK_BYTES))
            if not chunk:
                break
            remaining -= len(chunk)
        self._body = b""

    def _read(self, size: int) -> bytes:
        if size <= 0 or self.input_stream is None:
            return b""
        chunks = []
        remaining = size
        while remaining > 0:
            chunk = self.input_stream.read(remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)


def _content_length(value: str | None) -> int:
    """CONTENT_LENGTH as a number; absent or unreadable means no body (PEP 3333)."""
    try:
        return max(int(value or "0"), 0)
    except ValueError:
        return 0


@dataclass
class Response:
    """A status, a body and the headers particular to this response."""

    status: int
    body: bytes
    content_type: str = JSON_CONTENT_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)


def encode_json(value: object) -> bytes:
    """JSON as Notify's server writes it: sorted keys, ASCII escapes, compact, newline-ended."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return (text + "\n").encode("ascii")


def json_response(status: int, value: object) -> Response:
    """A JSON response with Notify's encoding."""
    return Response(status, encode_json(value))


@dataclass(frozen=True)
class Context:
    """One authenticated v2 request: the store, the request and who made it."""

    store: Store
    request: Request
    service: Service
    api_key: ApiKey

    @property
    def key_type(self) -> KeyType:
        return self.api_key.type

    def now(self) -> dt.datetime:
        """The simulated time (the store's clock)."""
        return self.store.clock.now()
