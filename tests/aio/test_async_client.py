"""The async client's own promises: the same surface as the sync client, its session's life,
one event loop, many tasks at once, and every message exactly once through faults."""

from __future__ import annotations

import asyncio
import collections
import inspect
import io
import threading
from typing import Any

import aiohttp
import pytest

from notifications_python_client.aio import (
    AsyncNotificationsAPIClient,
    ClientClosedError,
    prepare_upload,
)
from notifications_python_client.errors import MissingArgumentError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy
from notifications_python_client.simulator.server import NotifySimulator

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
KEY = f"async_key-{SERVICE_ID}-{SECRET}"
PHONE = "07700900123"
SYNC_METHODS = [
    name
    for name, value in vars(NotificationsAPIClient).items()
    if callable(value) and not name.startswith("_")
]


def parameters(method: Any) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(method).parameters.values()]


@pytest.mark.parametrize("name", SYNC_METHODS)
def test_every_method_has_its_async_twin_with_the_same_arguments(name: str) -> None:
    sync_method = getattr(NotificationsAPIClient, name)
    async_method = getattr(AsyncNotificationsAPIClient, name)

    assert parameters(async_method) == parameters(sync_method)
    assert async_method.__doc__ == sync_method.__doc__ and async_method.__doc__
    if name.endswith("_iterator"):
        assert inspect.isasyncgenfunction(async_method)
    else:
        assert inspect.iscoroutinefunction(async_method)


def test_the_constructor_takes_the_same_arguments_and_checks_them_the_same() -> None:
    sync_init = parameters(NotificationsAPIClient.__init__)
    async_init = parameters(AsyncNotificationsAPIClient.__init__)

    assert [p for p in async_init if p[0] != "http_session"] == [
        p for p in sync_init if p[0] != "request_session"
    ]
    for arguments, error in [(("",), MissingArgumentError), ((KEY, "https://x", "abc"), TypeError),
                             ((KEY, "https://x", -1), ValueError)]:  # fmt: skip
        with pytest.raises(error):
            AsyncNotificationsAPIClient(*arguments)


def test_the_repr_never_shows_the_secret() -> None:
    shown = repr(AsyncNotificationsAPIClient(KEY, base_url="https://notify.test"))

    assert (
        shown
        == "AsyncNotificationsAPIClient(base_url='https://notify.test', service_id='26785a09…')"
    )
    assert SECRET not in shown


def test_prepare_upload_is_the_same_function() -> None:
    from notifications_python_client import utils

    assert prepare_upload is utils.prepare_upload


def test_every_method_works_against_the_local_notify(sim: NotifySimulator) -> None:
    env = sim.env()

    async def run() -> dict[str, Any]:
        client = AsyncNotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
        async with client:
            sms = await client.send_sms_notification("07700900123", env["SMS_TEMPLATE_ID"],
                                                     {"name": "A"}, reference="r-1")  # fmt: skip
            email = await client.send_email_notification("a@example.com", env["EMAIL_TEMPLATE_ID"],
                                                         {"name": "B"})  # fmt: skip
            letter = await client.send_letter_notification(
                env["LETTER_TEMPLATE_ID"],
                {"address_line_1": "A", "address_line_2": "1 Street", "address_line_3": "SW1A 1AA"},
            )
            sim.advance_clock(3600)
            return {
                "sms": (await client.get_notification_by_id(sms["id"]))["status"],
                "email": email["content"]["subject"],
                "pdf": (await client.get_pdf_for_letter(letter["id"])).read(4),
                "all": [n["id"] async for n in client.get_all_notifications_iterator()],
                "page": len((await client.get_all_notifications(reference="r-1"))["notifications"]),
                "template": (await client.get_template(env["SMS_TEMPLATE_ID"]))["version"],
                "preview": (
                    await client.post_template_preview(env["SMS_TEMPLATE_ID"], {"name": "C"})
                )["body"],
                "templates": len((await client.get_all_templates("letter"))["templates"]),
                "texts": [t async for t in client.get_received_texts_iterator()],
            }

    found = asyncio.run(run())

    assert found["sms"] == "delivered" and found["email"] == "Pigeon registration for B"
    assert found["pdf"] == b"%PDF" and len(found["all"]) == 3 and found["page"] == 1
    assert found["preview"].startswith("Hello C") and found["templates"] == 1


def test_a_session_of_the_callers_is_used_and_never_closed(sim: NotifySimulator) -> None:
    async def run() -> tuple[bool, bool]:
        async with aiohttp.ClientSession() as session:
            client = AsyncNotificationsAPIClient(
                sim.api_key("test"), base_url=sim.url, http_session=session
            )
            async with client:
                await client.get_all_templates()
            return session.closed, True

    assert asyncio.run(run()) == (False, True)


def test_a_closed_client_says_so() -> None:
    async def run() -> None:
        client = AsyncNotificationsAPIClient(KEY, base_url="http://127.0.0.1:9")
        await client.close()
        await client.get_all_templates()

    with pytest.raises(ClientClosedError, match="is closed: make a new one"):
        asyncio.run(run())


def test_a_client_used_from_another_event_loop_says_so(sim: NotifySimulator) -> None:
    client = AsyncNotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
    own_loop = asyncio.new_event_loop()
    own_loop.run_until_complete(client.get_all_templates())
    errors: list[BaseException] = []

    def elsewhere() -> None:
        try:
            asyncio.run(client.get_all_templates())
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    own_loop.run_until_complete(client.close())
    own_loop.close()

    assert "belongs to another event loop" in str(errors[0])


def test_one_client_serves_many_tasks_at_once(sim: NotifySimulator) -> None:
    template = sim.env()["SMS_TEMPLATE_ID"]

    async def run() -> list[str]:
        async with AsyncNotificationsAPIClient(sim.api_key("test"), base_url=sim.url) as client:
            sends = [
                client.send_sms_notification(PHONE, template, {"name": str(n)}, f"task-{n}")
                for n in range(60)
            ]
            return [response["id"] for response in await asyncio.gather(*sends)]

    ids = asyncio.run(run())

    assert len(set(ids)) == 60 and len(sim.notifications) == 60


def test_through_errors_and_dropped_connections_every_message_goes_exactly_once(
    sim: NotifySimulator,
) -> None:
    sim.set_faults(error_rate=0.15, error_statuses=(500, 502, 503), drop_after_rate=0.1,
                   drop_before_rate=0.05, seed=11)  # fmt: skip
    template = sim.env()["SMS_TEMPLATE_ID"]
    policy = RetryPolicy(max_retries=10, base_delay_seconds=0.001, max_delay_seconds=0.005)

    async def run() -> list[str]:
        client = AsyncNotificationsAPIClient(sim.api_key("test"), base_url=sim.url, retry=policy)
        async with client:
            sends = [
                client.send_sms_notification(PHONE, template, {"name": str(n)}, f"chaos-{n}")
                for n in range(150)
            ]
            return [response["id"] for response in await asyncio.gather(*sends)]

    try:
        ids = asyncio.run(run())
        counts = sim.fault_counts
    finally:
        sim.set_faults()

    stored = collections.Counter(str(n.reference) for n in sim.notifications)
    assert len(ids) == 150 and len(stored) == 150 and set(stored.values()) == {1}
    assert counts["dropped_after_processing"] > 0 and counts["dropped_before_processing"] > 0


@pytest.mark.asyncio
async def test_the_notify_simulator_fixture_works_from_an_async_test(
    notify_simulator: NotifySimulator,
) -> None:
    client = AsyncNotificationsAPIClient(notify_simulator.api_key("test"))  # NOTIFY_API_URL
    async with client:
        await client.send_sms_notification(
            "07700 900123", notify_simulator.env()["SIGN_IN_CODE_TEMPLATE_ID"], {"code": "246810"}
        )

    assert notify_simulator.wait_for(to="07700900123").code == "246810"


def test_a_precompiled_letter_reads_its_file(sim: NotifySimulator) -> None:
    async def run() -> Any:
        async with AsyncNotificationsAPIClient(sim.api_key("test"), base_url=sim.url) as client:
            sent = await client.send_precompiled_letter_notification(
                "pre-1", io.BytesIO(b"%PDF-1.4 a letter"), postage="first"
            )
            with pytest.raises(TypeError, match="pdf_file"):
                await client.send_precompiled_letter_notification("pre-2", "not binary")  # type: ignore[arg-type]
            return sent

    sent = asyncio.run(run())

    assert (sent["reference"], sent["postage"]) == ("pre-1", "first")
