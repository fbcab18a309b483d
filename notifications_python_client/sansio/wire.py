"""What travels: the headers and JSON body of a request, and an answer judged.

An answer is a ``requests.Response`` whichever driver received it (``response_from`` builds one
from raw parts for the async client), because the published errors hold one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict

from notifications_python_client.errors import HTTPError, InvalidResponse, answer_error

__all__ = [
    "NOT_JSON_MESSAGE",
    "NO_CONTENT",
    "USER_AGENT_PRODUCT",
    "TokenCache",
    "decode",
    "error_for",
    "headers_for",
    "json_body",
    "response_from",
]

USER_AGENT_PRODUCT = "NOTIFY-API-PYTHON-CLIENT"
NO_CONTENT = 204
FIRST_ERROR_STATUS = 400
NOT_JSON_MESSAGE = "No JSON response object could be decoded"


def headers_for(token: str, version: str) -> dict[str, str]:
    """The headers of every request: JSON content type, the bearer token, the client version."""
    return {
        "Content-type": "application/json",
        "Authorization": f"Bearer {token}",
        "User-agent": f"{USER_AGENT_PRODUCT}/{version}",
    }


def json_body(data: object) -> str | None:
    """``data`` as the JSON text of a request body; None when there is no body (a GET)."""
    return None if data is None else json.dumps(data, default=_json_default)


def _json_default(value: object) -> object:
    """Encode what ``json`` cannot by itself: sets as lists, other mappings as objects."""
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def error_for(response: requests.Response) -> HTTPError | None:
    """The error an answer's status calls for (by status and Notify's error name), or None for
    a success."""
    if int(response.status_code) < FIRST_ERROR_STATUS:
        return None
    return answer_error(response)


def decode(response: requests.Response, *, raw: bool = False) -> Any:
    """A successful answer's content: its bytes when ``raw``, None for a 204, else its JSON.

    :raises InvalidResponse: a body that is not JSON (or is nested too deeply to decode).
    """
    if raw:
        return response.content
    if response.status_code == NO_CONTENT:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError) as e:
        raise InvalidResponse(response, message=NOT_JSON_MESSAGE) from e


def response_from(
    status: int, headers: Mapping[str, str], body: bytes, url: str, reason: str = ""
) -> requests.Response:
    """A ``requests.Response`` holding an answer received by other means (aiohttp, a look-up)."""
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers)
    response._content = body
    response.url = url
    response.reason = reason
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response


def found_response(body: object) -> requests.Response:
    """A 200 response holding ``body`` as JSON: a send found by its reference after its answer
    was lost, returned as if it were that answer."""
    content = (json_body(body) or "").encode("utf-8")
    return response_from(200, {"Content-Type": "application/json"}, content, "", "OK")


class TokenCache:
    """A token per second: signing costs more than sending, and the same second's token is the
    very same bytes, so it is signed once and reused within that second."""

    def __init__(self) -> None:
        self._signed: tuple[int, str, str, str] | None = None

    def token(self, secret: str, service_id: str, now: int, sign: Callable[[str, str], str]) -> str:
        cached = self._signed
        if cached is not None and cached[:3] == (now, secret, service_id):
            return cached[3]
        token = sign(secret, service_id)
        self._signed = (now, secret, service_id, token)
        return token
