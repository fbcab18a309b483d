"""Ready callback endpoints: a WSGI app (Flask, Django, any WSGI server) and an ASGI app
(Starlette, FastAPI, any ASGI server), each one line to mount.

Each checks the bearer token (401 otherwise), reads the body (413 past the size limit, 400
listing the problems when it is no callback), hands the record to your handler and answers
204. If the handler raises, it answers 500, so Notify tries again (every 5 minutes, up to 5
times): a receipt is never acknowledged before your code has it. Both apps share one judge of
the request; they differ only in how they read bytes and call the handler.

Receipts can come more than once and out of order (a retry after a lost answer, a later status
sent before an earlier one's retry): make the handler idempotent, and keep the latest status
with ``LatestReceipts`` or the same rule in your database (see docs/receiving-callbacks.md).
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from notifications_python_client.callbacks.auth import check_tokens, verify_bearer_token
from notifications_python_client.callbacks.errors import CallbackError
from notifications_python_client.callbacks.records import (
    MAX_CALLBACK_BODY_BYTES,
    DeliveryReceipt,
    ReceivedText,
    parse_callback,
)

__all__ = ["asgi_receiver", "wsgi_receiver"]

logger = logging.getLogger(__name__)

Handler = Callable[[Any], Any]
JSON_HEADERS = [("Content-Type", "application/json")]
STATUS_LINES = {
    204: "204 No Content",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    405: "405 Method Not Allowed",
    413: "413 Content Too Large",
    500: "500 Internal Server Error",
}


@dataclass(frozen=True)
class Answer:
    """What the endpoint answers: a status, and a JSON body unless it is 204."""

    status: int
    body: dict[str, Any] | None = None

    @property
    def headers(self) -> list[tuple[str, str]]:
        headers = [("Allow", "POST")] if self.status == 405 else []
        return [*headers, *(JSON_HEADERS if self.body is not None else [])]

    @property
    def content(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body).encode("utf-8")


class _Judge:
    """The checks both apps make, in order: method, token, size, then the callback itself."""

    def __init__(
        self,
        tokens: str | Iterable[str],
        on_delivery_receipt: Handler | None,
        on_received_text: Handler | None,
    ) -> None:
        if on_delivery_receipt is None and on_received_text is None:
            raise ValueError("give on_delivery_receipt, on_received_text or both")
        self.tokens = [token.decode("ascii") for token in check_tokens(tokens)]
        self.handlers: dict[type, Handler | None] = {
            DeliveryReceipt: on_delivery_receipt,
            ReceivedText: on_received_text,
        }

    def before_body(
        self, method: str, authorization: str | None, length: int | None
    ) -> Answer | None:
        """The refusal due before the body is read, or None to read it."""
        if method != "POST":
            return Answer(405, {"error": "callbacks are POST requests"})
        try:
            verify_bearer_token(authorization, self.tokens)
        except CallbackError as error:
            return Answer(error.status, {"error": str(error)})
        if length is not None and length > MAX_CALLBACK_BODY_BYTES:
            return Answer(413, {"error": f"the body is over {MAX_CALLBACK_BODY_BYTES} bytes"})
        return None

    def record(self, body: bytes) -> tuple[Handler, Any] | Answer:
        """The handler to call and what to give it, or the refusal."""
        try:
            record = parse_callback(body)
        except CallbackError as error:
            return Answer(error.status, {"errors": getattr(error, "problems", [str(error)])})
        handler = self.handlers[type(record)]
        if handler is None:
            kind = "delivery receipts" if isinstance(record, DeliveryReceipt) else "received texts"
            return Answer(400, {"errors": [f"this endpoint takes no {kind}"]})
        return handler, record


def _handler_failed(record: Any) -> Answer:
    # The traceback goes to the log; the answer says only that Notify should try again.
    logger.exception("the callback handler failed on %s %s", type(record).__name__, record.id)
    return Answer(500, {"error": "the handler failed: Notify will try again"})


def wsgi_receiver(
    tokens: str | Iterable[str],
    *,
    on_delivery_receipt: Callable[[DeliveryReceipt], object] | None = None,
    on_received_text: Callable[[ReceivedText], object] | None = None,
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """A WSGI app receiving Notify's callbacks at whatever path it is mounted on.

    :param tokens: the bearer token set up with the callback, or several while changing it.
    :raises ValueError: no handler, or a token Notify would not accept (never shown).
    """
    judge = _Judge(tokens, on_delivery_receipt, on_received_text)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = _content_length(environ.get("CONTENT_LENGTH"))
        answer = judge.before_body(
            environ.get("REQUEST_METHOD", ""), environ.get("HTTP_AUTHORIZATION"), length
        )
        if answer is None:
            outcome = judge.record(environ["wsgi.input"].read(length or 0))
            if isinstance(outcome, Answer):
                answer = outcome
            else:
                handler, record = outcome
                try:
                    handler(record)
                    answer = Answer(204)
                except Exception:
                    answer = _handler_failed(record)
        start_response(STATUS_LINES[answer.status], answer.headers)
        return [answer.content]

    return app


def asgi_receiver(
    tokens: str | Iterable[str],
    *,
    on_delivery_receipt: Callable[[DeliveryReceipt], object] | None = None,
    on_received_text: Callable[[ReceivedText], object] | None = None,
) -> Callable[[dict[str, Any], Any, Any], Awaitable[None]]:
    """An ASGI app receiving Notify's callbacks; the handlers may be ``async def`` or plain
    functions (a plain one runs on the event loop, so keep it quick).

    :param tokens: the bearer token set up with the callback, or several while changing it.
    :raises ValueError: no handler, or a token Notify would not accept (never shown).
    """
    judge = _Judge(tokens, on_delivery_receipt, on_received_text)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope.get("headers", [])}  # fmt: skip
        answer = judge.before_body(
            scope.get("method", ""),
            headers.get("authorization"),
            _content_length(headers.get("content-length")),
        )
        if answer is None:
            body = await _body(receive)
            outcome = judge.record(body) if body is not None else Answer(
                413, {"error": f"the body is over {MAX_CALLBACK_BODY_BYTES} bytes"})  # fmt: skip
            if isinstance(outcome, Answer):
                answer = outcome
            else:
                handler, record = outcome
                try:
                    result = handler(record)
                    if inspect.isawaitable(result):
                        await result
                    answer = Answer(204)
                except Exception:
                    answer = _handler_failed(record)
        await send({
            "type": "http.response.start",
            "status": answer.status,
            "headers": [(n.lower().encode(), v.encode()) for n, v in answer.headers],
        })  # fmt: skip
        await send({"type": "http.response.body", "body": answer.content})

    return app


async def _body(receive: Any) -> bytes | None:
    """The request body, or None once it grows past the limit (the rest is not read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_CALLBACK_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _lifespan(receive: Any, send: Any) -> None:
    """Nothing to start or stop: say so, for servers that ask."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _content_length(text: str | None) -> int | None:
    """The declared length, or None when it is absent or not a number."""
    if text is None or not text.strip().isdigit():
        return None
    return int(text)
