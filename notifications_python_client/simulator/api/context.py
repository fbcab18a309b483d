"""What a handler is given: one authenticated v2 request, the store, and who made it."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from wsgiref.util import application_uri

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from notifications_python_client.simulator.domain.errors import NotifyApiError, bad_request
from notifications_python_client.simulator.domain.models import ApiKey, KeyType, Service

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

# Large enough for a precompiled letter or several 2 MiB email attachments once base64-encoded.
# A larger body is answered with Notify's 413 body; the server reads it into a temporary file
# first (see web.serving), so it is never held in memory and the connection stays usable.
MAX_REQUEST_BODY_BYTES = 20 * 1024 * 1024


class ApiRequest(Request):
    """A Werkzeug request that refuses bodies over ``MAX_REQUEST_BODY_BYTES``."""

    max_content_length = MAX_REQUEST_BODY_BYTES


def request_body(request: Request) -> bytes:
    """The request body; Notify's 413 when it is larger than the request allows."""
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise NotifyApiError.single(
            413,
            "RequestEntityTooLarge",
            f"Request body is larger than {request.max_content_length} bytes",
        ) from None


def json_object_body(request: Request, *, not_json: str, not_an_object: str) -> dict[str, Any]:
    """The body of one of the simulator's own routes as a JSON object (an empty body is ``{}``).

    :raises NotifyApiError: 400 ``BadRequestError`` with ``not_json`` or ``not_an_object``.
    """
    try:
        value = json.loads(request_body(request) or b"{}")
    except (ValueError, RecursionError):
        raise bad_request(not_json) from None
    if not isinstance(value, dict):
        raise bad_request(not_an_object)
    return value


def query_pairs(request: Request) -> list[tuple[str, str]]:
    """The query string's pairs in order, blanks kept, bad UTF-8 replaced (as Notify reads it)."""
    query = request.environ.get("QUERY_STRING", "")
    return urllib.parse.parse_qsl(query, keep_blank_values=True, errors="replace")


def root_url(request: Request) -> str:
    """The URL the client used up to the path, without a trailing slash (``http://host:port``)."""
    return application_uri(request.environ).rstrip("/")


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

    @property
    def query(self) -> list[tuple[str, str]]:
        return query_pairs(self.request)

    @property
    def root_url(self) -> str:
        return root_url(self.request)

    def body(self) -> bytes:
        return request_body(self.request)

    def now(self) -> dt.datetime:
        """The simulated time (the store's clock)."""
        return self.store.clock.now()
