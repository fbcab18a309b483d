"""Sends in flight against a server, timed, with the CPU they cost; run by async_compare.py.

    python async_loop.py KIND URL SENDS IN_FLIGHT

KIND is ``async`` (this project's ``AsyncNotificationsAPIClient``), ``aiohttp`` (the floor: a
bare aiohttp session posting the same JSON with a bearer token signed once a second),
``threads`` (this project's sync client, one per thread, IN_FLIGHT threads) or ``serial``
(whichever ``NotificationsAPIClient`` this interpreter has, one send at a time; IN_FLIGHT is
ignored). Prints one JSON line: sends, seconds, sends per second, CPU microseconds per send.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

# A made-up key and template for the fixed-answer servers; the local Notify's own, given in
# BENCH_API_KEY and BENCH_TEMPLATE_ID, for the scenario that sends to it.
API_KEY = os.environ.get(
    "BENCH_API_KEY",
    "bench_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0",
)
SERVICE_ID, SECRET = API_KEY[-73:-37], API_KEY[-36:]
TEMPLATE_ID = os.environ.get("BENCH_TEMPLATE_ID", "f33517ff-2a88-4f6e-b855-c550268ce08a")
PHONE = "07700900123"
PERSONALISATION = {"name": "Amala"}
WARM_UP_SENDS = 100


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def in_flight(send: Callable[[], Any], sends: int, width: int) -> None:
    """``sends`` calls of ``send``, ``width`` at a time."""
    remaining = iter(range(sends))

    async def worker() -> None:
        for _ in remaining:
            await send()

    await asyncio.gather(*(worker() for _ in range(width)))


async def async_client(url: str, sends: int, width: int) -> None:
    from notifications_python_client.aio import AsyncNotificationsAPIClient

    async with AsyncNotificationsAPIClient(API_KEY, base_url=url) as client:

        def send() -> Any:
            return client.send_sms_notification(PHONE, TEMPLATE_ID, PERSONALISATION)

        await in_flight(send, WARM_UP_SENDS, width)
        await timed(in_flight(send, sends, width), sends)


async def bare_aiohttp(url: str, sends: int, width: int) -> None:
    import aiohttp
    import jwt

    body = json.dumps(
        {"phone_number": PHONE, "template_id": TEMPLATE_ID, "personalisation": PERSONALISATION}
    ).encode()
    signed: dict[int, str] = {}

    async with aiohttp.ClientSession() as session:

        async def send() -> Any:
            now = int(time.time())
            token = signed.get(now) or signed.setdefault(
                now, jwt.encode({"iss": SERVICE_ID, "iat": now}, SECRET, algorithm="HS256")
            )
            headers = {"Content-type": "application/json", "Authorization": f"Bearer {token}"}
            async with session.post(f"{url}/v2/notifications/sms", data=body,
                                    headers=headers) as answer:  # fmt: skip
                return json.loads(await answer.read())

        await in_flight(send, WARM_UP_SENDS, width)
        await timed(in_flight(send, sends, width), sends)


async def timed(work: Any, sends: int) -> None:
    started, cpu = time.perf_counter(), cpu_seconds()
    await work
    report(sends, time.perf_counter() - started, cpu_seconds() - cpu)


def sync_threads(url: str, sends: int, width: int) -> None:
    import requests

    from notifications_python_client.notifications import NotificationsAPIClient

    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=width, pool_maxsize=width)
    session.mount("http://", adapter)
    client = NotificationsAPIClient(API_KEY, base_url=url, request_session=session)

    def send(_: int) -> Any:
        return client.send_sms_notification(PHONE, TEMPLATE_ID, PERSONALISATION)

    with concurrent.futures.ThreadPoolExecutor(width) as pool:
        list(pool.map(send, range(WARM_UP_SENDS)))
        started, cpu = time.perf_counter(), cpu_seconds()
        list(pool.map(send, range(sends)))
        report(sends, time.perf_counter() - started, cpu_seconds() - cpu)


def serial(url: str, sends: int, width: int) -> None:
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(API_KEY, base_url=url)
    for _ in range(WARM_UP_SENDS):
        client.send_sms_notification(PHONE, TEMPLATE_ID, PERSONALISATION)
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in range(sends):
        client.send_sms_notification(PHONE, TEMPLATE_ID, PERSONALISATION)
    report(sends, time.perf_counter() - started, cpu_seconds() - cpu)


def report(sends: int, seconds: float, cpu: float) -> None:
    print(json.dumps({"sends": sends, "seconds": seconds, "per_second": sends / seconds,
                      "cpu_us_per_send": cpu / sends * 1e6}))  # fmt: skip


def main(kind: str, url: str, sends: int, width: int) -> None:
    if kind == "async":
        asyncio.run(async_client(url, sends, width))
    elif kind == "aiohttp":
        asyncio.run(bare_aiohttp(url, sends, width))
    elif kind == "threads":
        sync_threads(url, sends, width)
    else:
        serial(url, sends, width)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
