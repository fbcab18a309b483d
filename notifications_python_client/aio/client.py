"""``AsyncNotificationsAPIClient``: the client's twin for asyncio services, on aiohttp.

Every method of ``NotificationsAPIClient`` with the same names, arguments, defaults and return
shapes, as coroutines (the ``*_iterator`` methods as async iterators). Each is one line over its
``sansio.endpoints`` builder, as in the sync client, and every answer is judged by the same core,
so both raise the very same errors; ``retry=`` takes the same ``RetryPolicy`` and never sends a
message twice.
"""

from __future__ import annotations

import asyncio
import functools
import io
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar, cast

import aiohttp
import requests

from notifications_python_client import __version__, authentication
from notifications_python_client.aio.retry import call_with_retries
from notifications_python_client.aio.transport import AiohttpSender
from notifications_python_client.client_arguments import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT_SECONDS,
    client_settings,
)
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.paging import PageWalk
from notifications_python_client.request_log import log_answer, log_failure
from notifications_python_client.retry import RetryPolicy
from notifications_python_client.sansio import endpoints, wire
from notifications_python_client.sansio.endpoints import Call
from notifications_python_client.sansio.lookup import describe_send, lookup_query, match_sent
from notifications_python_client.sansio.retry_loop import Timeout
from notifications_python_client.types import (
    EmailNotificationResponse,
    LetterNotificationResponse,
    Notification,
    NotificationsPage,
    PrecompiledLetterResponse,
    ReceivedTextMessage,
    ReceivedTextsPage,
    SmsNotificationResponse,
    Template,
    TemplatePreview,
    TemplatesPage,
)
from notifications_python_client.utils import BinaryReadable, prepare_upload

__all__ = ["AsyncNotificationsAPIClient", "ClientClosedError", "prepare_upload"]

Personalisation = Mapping[str, Any]
Method = TypeVar("Method", bound=Callable[..., Any])
# As the sync client's repr: enough of the service ID to tell keys apart, never a secret.
REPR_ID_CHARACTERS = 8


@functools.lru_cache(maxsize=1024)
def _joined(base_url: str, path: str) -> str:
    """``path`` joined onto ``base_url`` as the sync client joins them (kept: it is the same
    few URLs again and again)."""
    return urllib.parse.urljoin(base_url, path)


class ClientClosedError(RuntimeError):
    """The client was used after ``close()`` (or after its ``async with`` block)."""


def _twin_of(sync_method: Callable[..., Any]) -> Callable[[Method], Method]:
    """Give a coroutine method the docstring of its sync twin, written once."""

    def document(method: Method) -> Method:
        method.__doc__ = sync_method.__doc__
        return method

    return document


Sync = NotificationsAPIClient


class AsyncNotificationsAPIClient:
    """A client for the GOV.UK Notify API, for asyncio.

    Built as ``NotificationsAPIClient`` is (the same arguments and checks), plus
    ``http_session``: an ``aiohttp.ClientSession`` of your own, which the client uses and never
    closes. Without one, the client makes its own on first use and closes it in ``close()`` or
    at the end of ``async with``. One client is safe to share between the tasks of one event
    loop; used from another loop, or after it is closed, it raises a clear error.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: Timeout = DEFAULT_TIMEOUT_SECONDS,
        retry: int | RetryPolicy | None = None,
        *,
        http_session: aiohttp.ClientSession | None = None,
    ) -> None:
        settings = client_settings(api_key, base_url, timeout, retry)
        self.base_url = settings.base_url
        self.service_id = settings.service_id
        self.api_key = settings.secret
        self.timeout = settings.timeout
        self.retry_policy = settings.retry_policy
        self._session = http_session
        self._owns_session = http_session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._tokens = wire.TokenCache()

    def __repr__(self) -> str:
        service_id = getattr(self, "service_id", None)
        shown = f"{service_id[:REPR_ID_CHARACTERS]}…" if isinstance(service_id, str) else None
        return f"{type(self).__name__}(base_url={getattr(self, 'base_url', None)!r}, " + (
            f"service_id={shown!r})"
        )

    async def __aenter__(self) -> AsyncNotificationsAPIClient:
        self._sender()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session the client made (never one it was given); later calls raise."""
        self._closed = True
        if self._owns_session and self._session is not None:
            await self._session.close()

    def generate_headers(self, api_token: str) -> dict[str, str]:
        """The headers of every request: JSON content type, the bearer token, the client version."""
        return wire.headers_for(api_token, __version__)

    # The endpoints: each one line over its builder, documented by its sync twin.

    @_twin_of(Sync.send_sms_notification)
    async def send_sms_notification(
        self,
        phone_number: str,
        template_id: str,
        personalisation: Personalisation | None = None,
        reference: str | None = None,
        sms_sender_id: str | None = None,
    ) -> SmsNotificationResponse:
        call = endpoints.send_sms(
            phone_number, template_id, personalisation, reference, sms_sender_id
        )
        return cast(SmsNotificationResponse, await self._call(call))

    @_twin_of(Sync.send_email_notification)
    async def send_email_notification(
        self,
        email_address: str,
        template_id: str,
        personalisation: Personalisation | None = None,
        reference: str | None = None,
        email_reply_to_id: str | None = None,
        one_click_unsubscribe_url: str | None = None,
        sanitise_content_for: Sequence[str] | None = None,
    ) -> EmailNotificationResponse:
        call = endpoints.send_email(
            email_address,
            template_id,
            personalisation,
            reference,
            email_reply_to_id,
            one_click_unsubscribe_url,
            sanitise_content_for,
        )
        return cast(EmailNotificationResponse, await self._call(call))

    @_twin_of(Sync.send_letter_notification)
    async def send_letter_notification(
        self, template_id: str, personalisation: Personalisation, reference: str | None = None
    ) -> LetterNotificationResponse:
        call = endpoints.send_letter(template_id, personalisation, reference)
        return cast(LetterNotificationResponse, await self._call(call))

    @_twin_of(Sync.send_precompiled_letter_notification)
    async def send_precompiled_letter_notification(
        self, reference: str, pdf_file: BinaryReadable, postage: str | None = None
    ) -> PrecompiledLetterResponse:
        call = endpoints.send_precompiled_letter(reference, pdf_file, postage)
        return cast(PrecompiledLetterResponse, await self._call(call))

    @_twin_of(Sync.get_notification_by_id)
    async def get_notification_by_id(self, id: str) -> Notification:
        return cast(Notification, await self._call(endpoints.get_notification_by_id(id)))

    @_twin_of(Sync.get_pdf_for_letter)
    async def get_pdf_for_letter(self, id: str) -> io.BytesIO:
        return io.BytesIO(await self._call(endpoints.get_pdf_for_letter(id)))

    @_twin_of(Sync.get_all_notifications)
    async def get_all_notifications(
        self,
        status: str | None = None,
        template_type: str | None = None,
        reference: str | None = None,
        older_than: str | None = None,
        include_jobs: bool | None = None,
    ) -> NotificationsPage:
        call = endpoints.get_all_notifications(
            status, template_type, reference, older_than, include_jobs
        )
        return cast(NotificationsPage, await self._call(call))

    @_twin_of(Sync.get_all_notifications_iterator)
    async def get_all_notifications_iterator(
        self,
        status: str | None = None,
        template_type: str | None = None,
        reference: str | None = None,
        older_than: str | None = None,
    ) -> AsyncIterator[Notification]:
        walk = PageWalk(endpoints.NOTIFICATIONS_KEY, older_than)
        while not walk.finished:
            page = await self.get_all_notifications(
                status=status, template_type=template_type, reference=reference,
                older_than=walk.cursor,
            )  # fmt: skip
            for item in walk.items(page):
                yield item

    @_twin_of(Sync.get_received_texts)
    async def get_received_texts(self, older_than: str | None = None) -> ReceivedTextsPage:
        return cast(ReceivedTextsPage, await self._call(endpoints.get_received_texts(older_than)))

    @_twin_of(Sync.get_received_texts_iterator)
    async def get_received_texts_iterator(
        self, older_than: str | None = None
    ) -> AsyncIterator[ReceivedTextMessage]:
        walk = PageWalk(endpoints.RECEIVED_TEXTS_KEY, older_than)
        while not walk.finished:
            for item in walk.items(await self.get_received_texts(walk.cursor)):
                yield item

    @_twin_of(Sync.get_template)
    async def get_template(self, template_id: str) -> Template:
        return cast(Template, await self._call(endpoints.get_template(template_id)))

    @_twin_of(Sync.get_template_version)
    async def get_template_version(self, template_id: str, version: int) -> Template:
        call = endpoints.get_template_version(template_id, version)
        return cast(Template, await self._call(call))

    @_twin_of(Sync.get_all_templates)
    async def get_all_templates(self, template_type: str | None = None) -> TemplatesPage:
        return cast(TemplatesPage, await self._call(endpoints.get_all_templates(template_type)))

    @_twin_of(Sync.post_template_preview)
    async def post_template_preview(
        self, template_id: str, personalisation: Personalisation
    ) -> TemplatePreview:
        call = endpoints.post_template_preview(template_id, personalisation)
        return cast(TemplatePreview, await self._call(call))

    @_twin_of(Sync.get_all_template_versions)
    async def get_all_template_versions(self, template_id: str) -> dict[str, Any]:
        call = endpoints.get_all_template_versions(self.service_id, template_id)
        return cast(dict[str, Any], await self._call(call))

    # The driver: sign, send, judge; retries as the policy says.

    async def _call(self, call: Call) -> Any:
        response = await self._perform(call.method, call.path, call.data, call.params)
        return wire.decode(response, raw=call.raw)

    async def _perform(
        self, method: str, path: str, data: Any, params: Mapping[str, Any] | None
    ) -> requests.Response:
        """The 2xx answer to a request, with retries when the client has a policy."""
        policy = self.retry_policy
        if policy is None:
            return await self._send_once(method, path, data, params, self.timeout)
        send = describe_send(method, path, data)
        reference = send.reference if send is not None else None

        async def attempt(cut_timeout: Callable[[Timeout], Timeout]) -> requests.Response:
            return await self._send_once(
                method, path, data, params, cut_timeout(self.timeout), reference, explain=True
            )

        async def look_up() -> requests.Response | None:
            assert send is not None
            query = lookup_query(send)
            if query is None:
                return None
            page = wire.decode(
                await self._send_once("GET", "/v2/notifications", None, query, self.timeout)
            )
            found = match_sent(send, page, self.base_url, self.service_id)
            return None if found is None else wire.found_response(found)

        return await call_with_retries(
            policy,
            attempt,
            describe=f"{method} {urllib.parse.urlsplit(path).path}",
            is_send=send is not None,
            look_up=look_up if reference is not None else None,
        )

    async def _send_once(
        self,
        method: str,
        path: str,
        data: Any,
        params: Mapping[str, Any] | None,
        timeout: Timeout,
        reference: str | None = None,
        *,
        explain: bool = False,
    ) -> requests.Response:
        """One signed request; the 2xx answer, or the error its status (or its absence) calls
        for, logged as the sync client logs it."""
        url = _joined(self.base_url, path)
        token = self._tokens.token(
            self.api_key, self.service_id, authentication.epoch_seconds(),
            authentication.create_jwt_token,
        )  # fmt: skip
        started = time.perf_counter()
        try:
            response = await self._sender().send(
                method,
                url,
                headers=self.generate_headers(token),
                data=wire.json_body(data),
                params=params,
                timeout=timeout,
                reference=reference,
                explain=explain,
            )
            error = wire.error_for(response)
            if error is not None:
                raise error
        except APIError as failure:
            log_failure(method, url, failure)
            raise
        log_answer(method, url, response.status_code, started)
        return response

    def _sender(self) -> AiohttpSender:
        """The sender for this client's session, made on first use in the running loop.

        :raises ClientClosedError: the client was closed.
        :raises RuntimeError: used from another event loop than the one it first ran in.
        """
        if self._closed:
            raise ClientClosedError("this AsyncNotificationsAPIClient is closed: make a new one")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise RuntimeError(
                "this AsyncNotificationsAPIClient belongs to another event loop: make one per loop"
            )
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return AiohttpSender(self._session)
