"""The ready endpoints: WSGI (checked by ``wsgiref.validate``) and ASGI, one table of cases."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from callback_support import NOTIFICATION_ID, TOKEN, encoded, receipt, received_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from notifications_python_client.callbacks import (
    MAX_CALLBACK_BODY_BYTES,
    DeliveryReceipt,
    ReceivedText,
    asgi_receiver,
    wsgi_receiver,
)

AUTH = {"Authorization": f"Bearer {TOKEN}"}


class Received:
    """Handlers that keep what they were given, and can be told to fail."""

    def __init__(self) -> None:
        self.receipts: list[DeliveryReceipt] = []
        self.texts: list[ReceivedText] = []
        self.fail = False

    def on_receipt(self, receipt: DeliveryReceipt) -> None:
        if self.fail:
            raise RuntimeError("the database is down")
        self.receipts.append(receipt)

    def on_text(self, text: ReceivedText) -> None:
        self.texts.append(text)


Answer = tuple[int, dict[str, str], bytes]
Post = Callable[..., Answer]


def wsgi_post(received: Received, *, receipts_only: bool = False) -> Post:
    from wsgiref.validate import validator

    app = wsgi_receiver(
        TOKEN,
        on_delivery_receipt=received.on_receipt,
        on_received_text=None if receipts_only else received.on_text,
    )
    client = Client(validator(app))

    def post(body: bytes, headers: dict[str, str] | None = None, method: str = "POST") -> Answer:
        response = client.open("/notify/callbacks", method=method, data=body,
                               headers=headers if headers is not None else AUTH)  # fmt: skip
        answer = response.status_code, dict(response.headers), response.get_data()
        response.close()
        return answer

    return post


def asgi_post(received: Received, *, receipts_only: bool = False, chunk: int = 0) -> Post:
    app = asgi_receiver(
        TOKEN,
        on_delivery_receipt=received.on_receipt,
        on_received_text=None if receipts_only else received.on_text,
    )

    def post(body: bytes, headers: dict[str, str] | None = None, method: str = "POST") -> Answer:
        return asyncio.run(call_asgi(app, body, headers if headers is not None else AUTH,
                                     method, chunk))  # fmt: skip

    return post


async def call_asgi(app: Any, body: bytes, headers: dict[str, str], method: str,
                    chunk: int) -> Answer:  # fmt: skip
    size = chunk or max(len(body), 1)
    parts = [body[n : n + size] for n in range(0, len(body), size)] or [b""]
    messages = [{"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
                for n, part in enumerate(parts)]  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw_headers.append((b"content-length", str(len(body)).encode()))
    await app({"type": "http", "method": method, "path": "/", "headers": raw_headers},
              receive, send)  # fmt: skip
    start, content = sent
    answered = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], answered, content["body"]


RECEIVERS = {"wsgi": wsgi_post, "asgi": asgi_post}


@pytest.fixture(params=list(RECEIVERS))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_receipt_reaches_the_handler_and_is_answered_204(kind: str) -> None:
    received = Received()

    status, _, content = RECEIVERS[kind](received)(encoded(receipt()))

    assert (status, content) == (204, b"")
    assert [r.id for r in received.receipts] == [NOTIFICATION_ID]


def test_a_received_text_reaches_its_handler(kind: str) -> None:
    received = Received()

    status, _, _ = RECEIVERS[kind](received)(encoded(received_text()))

    assert status == 204 and [t.message for t in received.texts] == ["Hello Notify!"]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [({}, "has no Authorization header"),
     ({"Authorization": "Bearer wrong-token-here"}, "is not one of this service's"),
     ({"Authorization": f"Basic {TOKEN}"}, "does not use the Bearer scheme")],
)  # fmt: skip
def test_a_wrong_token_is_401_and_nothing_is_read(
    kind: str, headers: dict[str, str], reason: str
) -> None:
    received = Received()

    status, answered, content = RECEIVERS[kind](received)(encoded(receipt()), headers)

    assert status == 401 and reason in json.loads(content)["error"]
    assert answered["Content-Type".lower() if kind == "asgi" else "Content-Type"]
    assert TOKEN not in content.decode() and received.receipts == []


def test_a_body_that_is_no_callback_is_400_listing_the_problems(kind: str) -> None:
    status, _, content = RECEIVERS[kind](Received())(encoded(receipt(id="x", template_version=0)))

    assert status == 400
    assert json.loads(content) == {"errors": [
        "id must be a UUID", "template_version must be a whole number, 1 or more, not a number",
    ]}  # fmt: skip


def test_a_handler_that_fails_is_500_so_notify_tries_again(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    received = Received()
    received.fail = True

    with caplog.at_level(logging.ERROR, logger="notifications_python_client.callbacks"):
        status, _, content = RECEIVERS[kind](received)(encoded(receipt()))

    assert status == 500 and json.loads(content)["error"].endswith("Notify will try again")
    assert "the database is down" not in content.decode()
    assert "the callback handler failed on DeliveryReceipt" in caplog.text


def test_a_kind_without_a_handler_is_refused_not_lost(kind: str) -> None:
    status, _, content = RECEIVERS[kind](Received(), receipts_only=True)(encoded(received_text()))

    assert status == 400 and json.loads(content) == {
        "errors": ["this endpoint takes no received texts"]
    }


def test_only_post_is_answered(kind: str) -> None:
    status, answered, _ = RECEIVERS[kind](Received())(b"", method="GET")

    assert status == 405
    assert answered.get("Allow", answered.get("allow")) == "POST"


def test_a_body_over_the_limit_is_413_unread(kind: str) -> None:
    received = Received()
    huge = b" " * (MAX_CALLBACK_BODY_BYTES + 1)

    status, _, _ = RECEIVERS[kind](received)(huge)

    assert status == 413 and received.receipts == []


def test_an_asgi_body_in_chunks_is_read_whole_and_cut_off_past_the_limit() -> None:
    received = Received()

    assert asgi_post(received, chunk=7)(encoded(receipt()))[0] == 204
    app = asgi_receiver(TOKEN, on_delivery_receipt=received.on_receipt)
    chunks = [{"type": "http.request", "body": b" " * 100_000, "more_body": True}] * 5

    async def receive() -> dict[str, Any]:
        return chunks.pop(0)

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"authorization", f"Bearer {TOKEN}".encode())]
    asyncio.run(app({"type": "http", "method": "POST", "headers": headers}, receive, send))
    assert sent[0]["status"] == 413 and len(chunks) == 2


def test_async_handlers_are_awaited() -> None:
    seen: list[str] = []

    async def on_receipt(receipt: DeliveryReceipt) -> None:
        await asyncio.sleep(0)
        seen.append(receipt.status)

    app = asgi_receiver([TOKEN], on_delivery_receipt=on_receipt)
    status = asyncio.run(call_asgi(app, encoded(receipt()), AUTH, "POST", 0))[0]

    assert status == 204 and seen == ["delivered"]


def test_the_asgi_app_answers_lifespan_events() -> None:
    app = asgi_receiver(TOKEN, on_received_text=print)
    events = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return events.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app({"type": "lifespan"}, receive, send))

    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


@pytest.mark.parametrize("receiver", [wsgi_receiver, asgi_receiver])
def test_a_receiver_needs_a_handler_and_good_tokens(receiver: Any) -> None:
    with pytest.raises(ValueError, match="give on_delivery_receipt, on_received_text or both"):
        receiver(TOKEN)
    with pytest.raises(ValueError, match="at least 10 ASCII characters"):
        receiver("short", on_delivery_receipt=print)


@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    body=st.binary(max_size=200)
    | st.builds(
        lambda v: json.dumps(v).encode(),
        st.dictionaries(st.sampled_from(list(receipt())), st.text(max_size=8), max_size=10),
    )
)
def test_any_body_is_answered_204_or_400_by_both(body: bytes) -> None:  # fmt: skip
    for post in (wsgi_post(Received()), asgi_post(Received())):
        assert post(body)[0] in (204, 400)
