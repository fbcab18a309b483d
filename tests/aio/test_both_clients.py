"""One table of behaviours run through both clients over real loopback sockets: what each
method sends, every answer Notify (or a proxy, or a broken network) can give, retries, paging.
The two must agree on everything: results, error classes, messages, statuses, what was sent."""

from __future__ import annotations

import asyncio
import functools
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from faulty_server import (
    FaultyServer,
    answer,
    close_without_answer,
    json_answer,
    raw_bytes,
    reset_mid_body,
    truncated_answer,
)

from notifications_python_client.aio import AsyncNotificationsAPIClient
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
KEY = f"both_clients-{SERVICE_ID}-3d844edf-8d35-48ac-975b-e847b4f122b0"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
OLDER_ID = "4f6e8a3c-1b2d-4c5e-8f9a-0b1c2d3e4f5a"
SENT = {"id": NOTIFICATION_ID, "reference": None, "content": {"body": "Hi"}}
NOTIFY_400 = {
    "status_code": 400,
    "errors": [{"error": "ValidationError", "message": "phone_number Not enough digits"}],
}


def notify_error(status: int, name: str, message: str) -> dict[str, Any]:
    return {"status_code": status, "errors": [{"error": name, "message": message}]}


def no_waiting() -> RetryPolicy:
    return RetryPolicy(max_retries=3, sleep=lambda seconds: None, random=lambda: 0.0)


@dataclass
class Case:
    """A call (method name and arguments), the server's script, and the client's settings."""

    method: str
    arguments: tuple[Any, ...] = ()
    script: list[Any] = field(default_factory=list)
    retry: RetryPolicy | None = None
    keywords: dict[str, Any] = field(default_factory=dict)


CASES: dict[str, Case] = {
    # Every method, and what it sends.
    "sms": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID, {"name": "A"}, "ref"),
        [json_answer(201, SENT)],
        keywords={"sms_sender_id": "s-1"},
    ),
    "email": Case(
        "send_email_notification",
        ("a@example.com", TEMPLATE_ID),
        [json_answer(201, SENT)],
        keywords={
            "personalisation": {"x": {1, 2}},
            "email_reply_to_id": "r",
            "one_click_unsubscribe_url": "https://u.example",
            "sanitise_content_for": ["x"],
        },
    ),
    "letter": Case(
        "send_letter_notification",
        (TEMPLATE_ID, {"address_line_1": "A"}, "r"),
        [json_answer(201, SENT)],
    ),
    "precompiled": Case(
        "send_precompiled_letter_notification",
        ("r", io.BytesIO(b"%PDF")),
        [json_answer(201, SENT)],
        keywords={"postage": "first"},
    ),
    "get": Case("get_notification_by_id", (NOTIFICATION_ID,), [json_answer(200, SENT)]),
    "pdf": Case(
        "get_pdf_for_letter",
        (NOTIFICATION_ID,),
        [answer(200, b"%PDF-1.4 bytes", content_type="application/pdf")],
    ),
    "list": Case(
        "get_all_notifications",
        ("failed", "sms", "r", OLDER_ID, True),
        [json_answer(200, {"notifications": [], "links": {}})],
    ),
    "texts": Case(
        "get_received_texts", (OLDER_ID,), [json_answer(200, {"received_text_messages": []})]
    ),
    "template": Case("get_template", (TEMPLATE_ID,), [json_answer(200, {"id": TEMPLATE_ID})]),
    "version": Case("get_template_version", (TEMPLATE_ID, 3), [json_answer(200, {"version": 3})]),
    "templates": Case("get_all_templates", ("email",), [json_answer(200, {"templates": []})]),
    "preview": Case(
        "post_template_preview", (TEMPLATE_ID, {"name": "A"}), [json_answer(200, {"body": "Hi A"})]
    ),
    "versions": Case(
        "get_all_template_versions",
        (TEMPLATE_ID,),
        [json_answer(401, {"message": {"token": ["Unauthorized"]}, "result": "error"})],
    ),
    # Every kind of answer.
    "400": Case("send_sms_notification", ("1", TEMPLATE_ID), [json_answer(400, NOTIFY_400)]),
    "403": Case(
        "get_template",
        (TEMPLATE_ID,),
        [json_answer(403, notify_error(403, "AuthError", "Invalid token: API key not found"))],
    ),
    "404": Case(
        "get_notification_by_id",
        (NOTIFICATION_ID,),
        [json_answer(404, notify_error(404, "NoResultFound", "No result found"))],
    ),
    "429 per minute": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID),
        [json_answer(429, notify_error(429, "RateLimitError", "Exceeded rate limit"))],
    ),
    "429 daily": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID),
        [json_answer(429, notify_error(429, "TooManyRequestsError", "Exceeded send limits"))],
    ),
    "429 unnamed": Case("get_template", (TEMPLATE_ID,), [json_answer(429, {"errors": []})]),
    "500 text": Case("get_template", (TEMPLATE_ID,), [answer(500, b"oops", "text/plain")]),
    "502 proxy html": Case(
        "get_template", (TEMPLATE_ID,), [answer(502, b"<html>Bad gateway</html>", "text/html")]
    ),
    "503": Case("get_template", (TEMPLATE_ID,), [json_answer(503, {"errors": []})]),
    "504 empty": Case("get_template", (TEMPLATE_ID,), [answer(504, b"")]),
    "200 html": Case(
        "get_template", (TEMPLATE_ID,), [answer(200, b"<html>login</html>", "text/html")]
    ),
    "200 empty": Case("get_template", (TEMPLATE_ID,), [answer(200, b"")]),
    "200 nested": Case("get_template", (TEMPLATE_ID,), [answer(200, b"[" * 50_000)]),
    "200 huge": Case("get_template", (TEMPLATE_ID,), [json_answer(200, {"body": "x" * 3_000_000})]),
    "204": Case("get_template", (TEMPLATE_ID,), [answer(204)]),
    "not http": Case("get_template", (TEMPLATE_ID,), [raw_bytes(b"SSH-2.0-OpenSSH\r\n")]),
    "no answer": Case(
        "send_sms_notification", ("07700900123", TEMPLATE_ID, None, "r-1"), [close_without_answer()]
    ),
    "truncated": Case("get_template", (TEMPLATE_ID,), [truncated_answer(200, b'{"id": ', 100)]),
    "reset mid body": Case("get_template", (TEMPLATE_ID,), [reset_mid_body(200, b'{"i', 100)]),
    # Retries.
    "retry a read": Case(
        "get_template",
        (TEMPLATE_ID,),
        [
            json_answer(503, {"errors": []}),
            close_without_answer(),
            json_answer(200, {"id": TEMPLATE_ID}),
        ],
        retry=no_waiting(),
    ),
    "retry the rate limit": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID),
        [json_answer(429, notify_error(429, "RateLimitError", "slow")), json_answer(201, SENT)],
        retry=no_waiting(),
    ),
    "never the daily limit": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID),
        [json_answer(429, notify_error(429, "TooManyRequestsError", "x"))],
        retry=no_waiting(),
    ),
    "a lost send without reference": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID),
        [json_answer(500, {"errors": []})],
        retry=no_waiting(),
    ),
    "a lost send found by reference": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID, None, "unique-ref"),
        [
            close_without_answer(),
            json_answer(
                200,
                {
                    "notifications": [
                        {
                            "id": NOTIFICATION_ID,
                            "reference": "unique-ref",
                            "type": "sms",
                            "template": {"id": TEMPLATE_ID},
                            "phone_number": "07700900123",
                            "body": "Hi",
                        }
                    ]
                },
            ),
        ],
        retry=no_waiting(),
    ),
    "a lost send not found is sent": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID, None, "unique-ref"),
        [
            json_answer(502, {"errors": []}),
            json_answer(200, {"notifications": []}),
            json_answer(201, SENT),
        ],
        retry=no_waiting(),
    ),
    "a look-up that fails": Case(
        "send_sms_notification",
        ("07700900123", TEMPLATE_ID, None, "unique-ref"),
        [close_without_answer()] + [json_answer(503, {"errors": []})] * 3,
        retry=no_waiting(),
    ),
}


@dataclass
class Outcome:
    """What a call gave, in terms both clients must agree on."""

    result: Any = None
    error: str | None = None
    status_code: int | None = None
    message: Any = None
    text: str | None = None
    may_have_been_sent: bool | None = None
    requests: list[tuple[str, str, Any, str | None]] = field(default_factory=list)


def outcome_of(call: Callable[[], Any], server: FaultyServer) -> Outcome:
    try:
        result = call()
    except APIError as error:
        found = Outcome(None, type(error).__name__, error.status_code, error.message, str(error),
                        error.may_have_been_sent)  # fmt: skip
    else:
        if isinstance(result, io.BytesIO):
            result = result.getvalue()
        else:  # the two runs' servers listen on different ports
            result = json.loads(json.dumps(result).replace(server.url, "http://server"))
        found = Outcome(result)
    for request in server.requests:
        body = json.loads(request.body) if request.body else None
        found.requests.append((request.method, request.target, body,
                               request.headers.get("user-agent")))  # fmt: skip
    return found


def run_sync(case: Case, url: str) -> Any:
    client = NotificationsAPIClient(KEY, base_url=url, retry=case.retry)
    try:
        return getattr(client, case.method)(*case.arguments, **case.keywords)
    finally:
        client.request_session.close()


def run_async(case: Case, url: str) -> Any:
    async def call() -> Any:
        async with AsyncNotificationsAPIClient(KEY, base_url=url, retry=case.retry) as client:
            return await getattr(client, case.method)(*case.arguments, **case.keywords)

    return asyncio.run(call())


def rewound(case: Case) -> Case:
    for argument in case.arguments:
        if isinstance(argument, io.BytesIO):
            argument.seek(0)
    return case


@pytest.fixture
def server() -> Iterator[FaultyServer]:
    with FaultyServer() as faulty:
        yield faulty


def both(name: str) -> tuple[Outcome, Outcome]:
    outcomes = []
    for run in (run_sync, run_async):
        case = rewound(CASES[name])
        with FaultyServer() as server:
            server.script(*case.script)
            outcomes.append(outcome_of(functools.partial(run, case, server.url), server))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("name", list(CASES))
def test_both_clients_send_the_same_and_give_the_same(name: str) -> None:
    sync, async_ = both(name)

    assert async_ == sync
    assert sync.requests, "the case sent nothing"


def test_the_table_covers_every_method_of_the_client() -> None:
    covered = {case.method for case in CASES.values()}
    methods = {
        name for name in vars(NotificationsAPIClient)
        if not name.startswith("_") and not name.endswith("_iterator")
    }  # fmt: skip

    assert methods == covered


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("400", ("BadRequestError", 400, True)),
        ("429 per minute", ("RateLimitError", 429, False)),
        ("429 daily", ("TooManyRequestsError", 429, False)),
        ("500 text", ("ServerError", 500, True)),
        ("503", ("HTTP503Error", 503, True)),
        ("200 html", ("InvalidResponse", 200, False)),
        ("no answer", ("MaybeSentError", 503, True)),
        ("truncated", ("MaybeSentError", 503, True)),
        ("never the daily limit", ("TooManyRequestsError", 429, False)),
        ("a lost send without reference", ("ServerError", 500, True)),
        ("a look-up that fails", ("MaybeSentError", 503, True)),
    ],
)
def test_what_each_failure_is(name: str, expected: tuple[str, int, bool]) -> None:
    sync, _ = both(name)

    assert (sync.error, sync.status_code, sync.may_have_been_sent or name == "400") == expected


def test_a_lost_send_is_looked_up_never_sent_twice() -> None:
    for outcome in both("a lost send found by reference"):
        assert outcome.result["id"] == NOTIFICATION_ID
        assert [(method, target.split("?")[0]) for method, target, *_ in outcome.requests] == [
            ("POST", "/v2/notifications/sms"), ("GET", "/v2/notifications"),
        ]  # fmt: skip


def test_nothing_listening_is_not_sent() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    case = Case("send_sms_notification", ("07700900123", TEMPLATE_ID))
    errors = []
    for run in (run_sync, run_async):
        with pytest.raises(APIError) as raised:
            run(case, url)
        errors.append((type(raised.value).__name__, raised.value.may_have_been_sent,
                       str(raised.value)))  # fmt: skip

    assert errors == [("NotSentError", False, "503 - Request failed")] * 2


PAGE_ONE = {
    "notifications": [{"id": NOTIFICATION_ID}],
    "links": {"next": f"https://api.notify.test/v2/notifications?older_than={NOTIFICATION_ID}"},
}
PAGE_TWO = {
    "notifications": [{"id": OLDER_ID}],
    "links": {"next": f"https://api.notify.test/v2/notifications?older_than={NOTIFICATION_ID}"},
}


def walk_sync(url: str, method: str) -> list[Any]:
    client = NotificationsAPIClient(KEY, base_url=url)
    try:
        return list(getattr(client, method)())
    finally:
        client.request_session.close()


def walk_async(url: str, method: str) -> list[Any]:
    async def walk() -> list[Any]:
        async with AsyncNotificationsAPIClient(KEY, base_url=url) as client:
            return [item async for item in getattr(client, method)()]

    return asyncio.run(walk())


@pytest.mark.parametrize(
    ("method", "key"),
    [("get_all_notifications_iterator", "notifications"),
     ("get_received_texts_iterator", "received_text_messages")],
)  # fmt: skip
def test_both_iterators_walk_the_pages_alike_and_stop_at_a_loop(method: str, key: str) -> None:
    pages = [{key: page["notifications"], "links": page["links"]} for page in (PAGE_ONE, PAGE_TWO)]
    walked = []
    for walk in (walk_sync, walk_async):
        with FaultyServer() as server:
            server.script(*(json_answer(200, page) for page in pages))
            items = walk(server.url, method)
            walked.append((items, [request.target for request in server.requests]))

    assert walked[0] == walked[1]
    items, targets = walked[0]
    # The second page points back at the first: the walk ends rather than loop for ever.
    assert [item["id"] for item in items] == [NOTIFICATION_ID, OLDER_ID]
    assert len(targets) == 2 and targets[1].endswith(f"older_than={NOTIFICATION_ID}")
