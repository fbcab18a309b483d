"""The transport core: signs each request, sends it through a requests Session, decodes the answer.

``requests`` and ``create_jwt_token`` are used through these module-level names because users'
tests patch ``notifications_python_client.base.requests`` and
``notifications_python_client.base.create_jwt_token``.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

import requests

# Imported by name as well, so that ``except`` still works when tests mock ``base.requests``.
from requests import RequestException

import notifications_python_client
from notifications_python_client import __version__, authentication
from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.client_arguments import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT_SECONDS,
    client_settings,
)
from notifications_python_client.errors import HTTPError, InvalidResponse
from notifications_python_client.request_log import log_answer, log_failure
from notifications_python_client.retry import RetryPolicy, call_with_retries
from notifications_python_client.sansio import wire
from notifications_python_client.sansio.endpoints import Call
from notifications_python_client.sansio.lookup import describe_send, lookup_query, match_sent
from notifications_python_client.transport import SessionSender

__all__ = [
    "DEFAULT_BASE_URL",
    "BaseAPIClient",
    "HTTPError",
    "InvalidResponse",
    "__version__",
    "create_jwt_token",
]

USER_AGENT_PRODUCT = wire.USER_AGENT_PRODUCT

Timeout = float | tuple[float, float] | None
# How much of the service ID a repr shows: enough to tell keys apart, never a whole secret
# (a key pasted with its parts swapped puts the secret where the service ID should be).
REPR_ID_CHARACTERS = 8


class BaseAPIClient:
    """Talks JSON to the Notify API with a fresh token on every request."""

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: Timeout = DEFAULT_TIMEOUT_SECONDS,
        request_session: requests.Session | None = None,
        retry: int | RetryPolicy | None = None,
    ) -> None:
        """Split the API key and prepare a Session that keeps connections alive.

        :param api_key: the combined key as shown by Notify: ``{key_name}-{service_id}-{secret}``.
        :param base_url: the API's root URL; request paths are joined onto it with ``urljoin``.
            When it is not given (or is the published default), the ``NOTIFY_API_URL``
            environment variable is used if set: that points every such client of the process
            at, say, a local Notify.
        :param timeout: seconds, or a ``(connect, read)`` pair, passed to requests.
        :param request_session: a ready ``requests.Session`` to send through (for proxies,
            adapters, certificates); a new one is made when omitted.
        :param retry: retry failed calls without ever sending a message twice: a number of
            retries with the default ``RetryPolicy``, or a policy. None (the default) never
            retries, as the published client. See ``notifications_python_client.retry``.
        :raises MissingArgumentError: (an AssertionError, raised even under ``python -O``) the
            base URL, the service ID or the secret is empty.
        :raises InvalidApiKeyError: (a ValueError) the key holds bytes that are not UTF-8 text.
        :raises TypeError: the key is not text; ``retry`` is not a count or a policy;
            ``timeout`` is not seconds, a pair of them or None.
        :raises ValueError: ``retry`` is negative; ``timeout`` is 0 seconds or less.
        """
        settings = client_settings(api_key, base_url, timeout, retry)
        self.base_url = settings.base_url
        self.service_id = settings.service_id
        self.api_key = settings.secret
        self.timeout = settings.timeout
        self.retry_policy = settings.retry_policy
        self.request_session = (
            request_session if request_session is not None else requests.Session()
        )

    def __repr__(self) -> str:
        # Never the secret, nor anything that could be it: reprs end up in logs and tracebacks.
        # getattr, because a repr is also asked of a client whose __init__ failed halfway.
        service_id = getattr(self, "service_id", None)
        shown = f"{service_id[:REPR_ID_CHARACTERS]}…" if isinstance(service_id, str) else None
        base_url = getattr(self, "base_url", None)
        return f"{type(self).__name__}(base_url={base_url!r}, service_id={shown!r})"

    def put(self, url: str, data: object) -> Any:
        """PUT ``data`` as JSON to ``url``; see ``request``."""
        return self.request("PUT", url, data=data)

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``url`` with optional query ``params``; see ``request``."""
        return self.request("GET", url, params=params)

    def post(self, url: str, data: object) -> Any:
        """POST ``data`` as JSON to ``url``; see ``request``."""
        return self.request("POST", url, data=data)

    def delete(self, url: str, data: object = None) -> Any:
        """DELETE ``url``, with a JSON body only if ``data`` is given; see ``request``."""
        return self.request("DELETE", url, data=data)

    def generate_headers(self, api_token: str) -> dict[str, str]:
        """The headers of every request: JSON content type, the bearer token, the client version."""
        return wire.headers_for(api_token, notifications_python_client.__version__)

    def _call(self, call: Call) -> Any:
        """Make an endpoint's request through the published methods, so that a subclass or a
        test that replaces ``get``, ``post`` or ``request`` sees the very calls it always did."""
        if call.raw:
            return self._perform_request(call.method, call.path).content
        if call.method == "POST":
            return self.post(call.path, data=call.data)
        return self.get(call.path, params=call.params)

    def request(
        self,
        method: str,
        url: str,
        data: object = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one signed request and return the decoded JSON answer.

        :param method: the HTTP method, e.g. ``"POST"``.
        :param url: a path such as ``/v2/notifications/sms``, joined onto ``base_url``.
        :param data: sent as a JSON body (sets become lists) unless None; a GET has no body.
        :param params: query parameters, sent unless None.
        :returns: the decoded JSON body, or None for a 204 No Content.
        :raises HTTPError: a connection error, a timeout or a 4xx/5xx status; the requests
            exception is chained as ``__cause__``. ``HTTP503Error`` for 503 or no response.
        :raises InvalidResponse: a 2xx body that is not JSON.
        """
        return wire.decode(self._perform_request(method, url, data=data, params=params))

    def _perform_request(
        self,
        method: str,
        url: str,
        data: object = None,
        params: Mapping[str, Any] | None = None,
    ) -> requests.Response:
        """Send the signed request, with retries if the client has a policy; the 2xx response."""
        policy = self.retry_policy
        if policy is None:
            return self._send_once(method, url, data, params, self.timeout)
        send = describe_send(method, url, data)
        reference = send.reference if send is not None else None

        def attempt(cut_timeout: Callable[[Timeout], Timeout]) -> requests.Response:
            return self._send_once(
                method, url, data, params, cut_timeout(self.timeout), reference, explain=True
            )

        def look_up() -> requests.Response | None:
            assert send is not None
            query = lookup_query(send)
            if query is None:
                return None
            found = match_sent(send, self._list_once(query), self.base_url, self.service_id)
            return None if found is None else wire.found_response(found)

        return call_with_retries(
            policy,
            attempt,
            describe=f"{method} {urllib.parse.urlsplit(url).path}",
            is_send=send is not None,
            look_up=look_up if reference is not None else None,
        )

    def _token(self) -> str:
        """A token for this request: signed fresh, or the one signed earlier in the same second
        (the same bytes), unless ``create_jwt_token`` is patched, when it is always called."""
        if create_jwt_token is not authentication.create_jwt_token:
            return create_jwt_token(self.api_key, self.service_id)
        tokens = getattr(self, "_tokens", None)
        if tokens is None:
            tokens = self._tokens = wire.TokenCache()
        now = authentication.epoch_seconds()
        return tokens.token(self.api_key, self.service_id, now, create_jwt_token)

    def _sender(self) -> SessionSender:
        """The sender for the current ``request_session`` (which callers may replace)."""
        sender = getattr(self, "_session_sender", None)
        if sender is None or sender.session is not self.request_session:
            sender = self._session_sender = SessionSender(self.request_session)
        return sender

    def _list_once(self, params: Mapping[str, str]) -> Any:
        """One GET of the notifications list, without retries (the retry loop's own look-up)."""
        response = self._send_once("GET", "/v2/notifications", None, params, self.timeout)
        try:
            return response.json()
        except (ValueError, RecursionError):
            return None

    def _send_once(
        self,
        method: str,
        url: str,
        data: object,
        params: Mapping[str, Any] | None,
        timeout: Timeout,
        reference: str | None = None,
        *,
        explain: bool = False,
    ) -> requests.Response:
        """Send one signed request, with a fresh token, and return the raw 2xx response."""
        full_url = urllib.parse.urljoin(self.base_url, url)
        body = wire.json_body(data)
        started = time.perf_counter()
        try:
            response = self._sender().send(
                method,
                full_url,
                headers=self.generate_headers(self._token()),
                data=body,
                params=params,
                timeout=timeout,
            )
            response.raise_for_status()
        except RequestException as e:
            api_error = HTTPError.create(e, reference=reference, explain=explain)
            log_failure(method, full_url, api_error)
            raise api_error from e
        log_answer(method, full_url, response.status_code, started)
        return response
