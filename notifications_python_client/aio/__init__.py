"""The async client, for asyncio services (FastAPI, Starlette, Django's async views): the
``async`` extra, which adds aiohttp. The only package that imports aiohttp; the sync client
never imports it.

- ``client``: ``AsyncNotificationsAPIClient``, every method of the sync client as a coroutine.
- ``transport``: one request through an aiohttp session, the body read before it is judged.
- ``failures``: aiohttp's failures sorted into "not sent" and "may have been sent".
- ``retry``: the retry loop's async driver.
"""

from notifications_python_client.aio.client import (
    AsyncNotificationsAPIClient,
    ClientClosedError,
    prepare_upload,
)

__all__ = ["AsyncNotificationsAPIClient", "ClientClosedError", "prepare_upload"]
