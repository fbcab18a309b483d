"""The transport core: signs each request, sends it through a requests Session, decodes the answer.

``requests`` and ``create_jwt_token`` are used through these module-level names because users'
tests patch ``notifications_python_client.base.requests`` and
``notifications_python_client.base.create_jwt_token``.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import requests

# Imported by name as well, so that ``except`` still works when tests mock ``base.requests``.
from requests import RequestException

import notifications_python_client
from notifications_python_client import __version__, authentication
from notifications_python_client.authentication import create_jwt_token
from notifications_python_client.client_arguments import (
    BASE_URL_VARIABLE,
    DEFAULT_BASE_URL,
    check_api_key_text,
    check_api_key_type,
    check_timeout,
    chosen_base_url,
)
from notifications_python_client.errors import (
    ApiKeyFormatWarning,
    HTTPError,
    InvalidResponse,
    MissingArgumentError,
)
from notifications_python_client.retry import RetryPolicy, call_with_retries
from notifications_python_client.sent_lookup import describe_send, find_sent
from notifications_python_client.transport import SessionSender
from notifications_python_client.utils import looks_like_uuid

__all__ = [
    "DEFAULT_BASE_URL",
    "BaseAPIClient",
    "HTTPError",
    "InvalidResponse",
    "__version__",
    "create_jwt_token",
]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 30
USER_AGENT_PRODUCT = "NOTIFY-API-PYTHON-CLIENT"

# Where the parts sit in "{key_name}-{service_id}-{secret}": counted from the end, because the
# key name may itself contain hyphens.
SERVICE_ID_SLICE = slice(-73, -37)
SECRET_SLICE = slice(-36, None)

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
        if api_key is None:
            raise MissingArgumentError("Missing API key")
        check_api_key_type(api_key)
        service_id = api_key[SERVICE_ID_SLICE]
        secret = api_key[SECRET_SLICE]
        if not base_url:
            raise MissingArgumentError("Missing base url")
        if not service_id:
            raise MissingArgumentError("Missing service ID")
        if not secret:
            raise MissingArgumentError("Missing API key")
        check_api_key_text(service_id, secret)
        check_timeout(timeout)
        chosen = chosen_base_url(base_url)
        if chosen != base_url:
            logger.debug("Notify API base URL %s (from %s)", chosen, BASE_URL_VARIABLE)
        base_url = chosen
        _warn_unless_uuid(service_id, "service ID (the 36 characters in the middle)")
        _warn_unless_uuid(secret, "secret (the last 36 characters)")

        self.base_url = base_url
        self.service_id = service_id
        self.api_key = secret
        self.timeout = timeout
        self.retry_policy = RetryPolicy.from_argument(retry)
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
        version = notifications_python_client.__version__
        return {
            "Content-type": "application/json",
            "Authorization": f"Bearer {api_token}",
            "User-agent": f"{USER_AGENT_PRODUCT}/{version}",
        }

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
        response = self._perform_request(method, url, data=data, params=params)
        if response.status_code == 204:
            return None
        try:
            return response.json()
        except (ValueError, RecursionError) as e:
            # RecursionError: JSON nested deeper than the decoder can follow.
            raise InvalidResponse(
                response, message="No JSON response object could be decoded"
            ) from e

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
            found = find_sent(send, self._list_once, self.base_url, self.service_id)
            return None if found is None else _json_response(found)

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
        now = authentication.epoch_seconds()
        cached = getattr(self, "_signed", None)
        if cached is not None and cached[:3] == (now, self.api_key, self.service_id):
            return str(cached[3])
        token = create_jwt_token(self.api_key, self.service_id)
        self._signed = (now, self.api_key, self.service_id, token)
        return token

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
        body = None if data is None else json.dumps(data, default=_json_default)
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
            # The URL and Notify's message only: the token lives in headers, which stay unlogged.
            logger.warning(
                "API %s request on %s failed with %s '%s'",
                method,
                full_url,
                api_error.status_code,
                api_error.message,
            )
            raise api_error from e
        if logger.isEnabledFor(logging.DEBUG):
            # The path only: a query string may hold a reference or a recipient.
            logger.debug(
                "%s %s %s in %.0f ms",
                method,
                urllib.parse.urlsplit(full_url).path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
        return response


def _json_response(body: object) -> requests.Response:
    """A 200 response holding ``body`` as JSON: a send found by its reference."""
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(body).encode("utf-8")
    response.headers["Content-Type"] = "application/json"
    response.encoding = "utf-8"
    return response


def _json_default(value: object) -> object:
    """Encode what ``json`` cannot by itself: sets as lists, other mappings as objects."""
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _warn_unless_uuid(part: str, description: str) -> None:
    """Warn, without showing the value, that a part of the API key is not a UUID."""
    if not looks_like_uuid(part):
        warnings.warn(
            f"The API key's {description} is not a UUID. Check that you pasted the whole key, "
            "in the form {key_name}-{service_id}-{secret}, as shown by GOV.UK Notify.",
            ApiKeyFormatWarning,
            stacklevel=3,
        )
