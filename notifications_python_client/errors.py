"""Everything the client raises or warns about, in one place.

The tree (indentation is inheritance)::

    Exception
      TokenError                  a JSON Web Token failed a check
        TokenExpiredError         its iat is too old, in the future or not a number
        TokenAlgorithmError       it is not signed with HS256
        TokenDecodeError          it is not a JWT, or the signature does not match
          TokenIssuerError        it has no iss claim
          TokenIssuedAtError      it has no iat claim
      APIError                    a call to Notify did not give a usable answer
        HTTPError                 a connection failure or a 4xx/5xx status
          BadRequestError         400
          AuthError               401, 403
          NotFoundError           404
          LimitExceededError      429
            RateLimitError        the per-minute rate limit: wait a moment and send again
            TooManyRequestsError  a daily limit: nothing more of that type until tomorrow
          ServerError             500, 502, 504
            HTTP503Error          503, or no response at all (connection error, timeout)
              NotSentError        the request never left: refused, DNS, connect timeout, bad URL
              MaybeSentError      the request went but no answer came: it may have taken effect
        InvalidResponse           a 2xx answer whose body is not JSON
    AssertionError, ValueError
      MissingArgumentError        the base URL, the API key or a token argument is empty
    ValueError
      InvalidApiKeyError          the API key holds bytes that are not UTF-8 text
    UserWarning
      ApiKeyFormatWarning         a part of the API key does not look like a UUID

The classes below ``HTTPError`` are chosen by ``ERROR_CLASSES`` (by status and Notify's error
name) or, when no answer came, by what failed; each is a subclass of the published ``HTTPError``,
so every ``except HTTPError`` or ``except HTTP503Error`` keeps working. Every error says whether
trying again can help (``retryable``) and whether Notify may have acted on the request
(``may_have_been_sent``); see docs/reliability.md.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

import requests

from notifications_python_client.failures import FailureKind, failure_kind

REQUEST_ERROR_STATUS_CODE = 503
REQUEST_ERROR_MESSAGE = "Request failed"

TOKEN_ERROR_GUIDANCE = (
    "See our requirements for JSON Web Tokens at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)
TOKEN_ERROR_DEFAULT_ERROR_MESSAGE = "Invalid token: " + TOKEN_ERROR_GUIDANCE


class TokenError(Exception):
    """A JSON Web Token failed a check; ``.message`` adds where to read the token rules."""

    def __init__(self, message: str | None = None, token: Any = None) -> None:
        self.message = (
            f"{message}. {TOKEN_ERROR_GUIDANCE}" if message else TOKEN_ERROR_DEFAULT_ERROR_MESSAGE
        )
        self.token = token
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from state rather than by calling __init__, which some subclasses define
        # without arguments: pickling (multiprocessing, task queues) must work for all of them.
        return (_rebuild_error, (type(self), self.args, self.__dict__))


class TokenExpiredError(TokenError):
    """The token's iat is more than 30 seconds away from now, or is not a number."""


class TokenAlgorithmError(TokenError):
    """The token is signed with an algorithm other than HS256."""

    def __init__(self) -> None:
        super().__init__("Invalid token: algorithm used is not HS256")


class TokenDecodeError(TokenError):
    """The token is not a JWT, or its signature does not match the secret."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "Invalid token: signature")


class TokenIssuerError(TokenDecodeError):
    """The token has no iss (issuer) claim."""

    def __init__(self) -> None:
        super().__init__("Invalid token: iss field not provided")


class TokenIssuedAtError(TokenDecodeError):
    """The token has no iat (issued at) claim."""

    def __init__(self) -> None:
        super().__init__("Invalid token: iat field not provided")


class APIError(Exception):
    """A call to Notify failed; ``status_code`` and ``message`` come from the response if any."""

    #: Whether sending the same request again may succeed.
    retryable = False
    #: Whether Notify may have acted on the request (for a send: the message may have gone).
    may_have_been_sent = False

    def __init__(self, response: requests.Response | None = None, message: Any = None) -> None:
        self.response = response
        self._message = message
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.status_code} - {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        # As for TokenError: the constructor's arguments are not what ``args`` holds.
        return (_rebuild_error, (type(self), self.args, self.__dict__))

    @property
    def message(self) -> Any:
        """Notify's ``message`` or ``errors`` from a JSON body, else the given or default text.

        Any, because it is whatever the body holds: for Notify's own errors a list of
        ``{"error": ..., "message": ...}`` dicts (see ``types.ErrorEntry``).
        """
        body = self._json_body()
        if isinstance(body, dict):
            # As the published client: a JSON object with neither key gives None.
            return body.get("message", body.get("errors"))
        return self._message or REQUEST_ERROR_MESSAGE

    @property
    def status_code(self) -> int:
        """The response's HTTP status, or 503 when no response arrived."""
        if self.response is None:
            return REQUEST_ERROR_STATUS_CODE
        return int(self.response.status_code)

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Notify's ``errors`` list as ``{"error", "message"}`` dicts; empty when there is none."""
        body = self._json_body()
        entries = body.get("errors") if isinstance(body, dict) else None
        if not isinstance(entries, list):
            return []
        return [
            {"error": entry.get("error"), "message": entry.get("message")}
            for entry in entries
            if isinstance(entry, Mapping)
        ]

    @property
    def error_name(self) -> str | None:
        """The first of Notify's error names (``"RateLimitError"``, ``"BadRequestError"``...)."""
        names = [entry["error"] for entry in self.errors if isinstance(entry["error"], str)]
        return names[0] if names else None

    @property
    def retry_after_seconds(self) -> float | None:
        """How long the answer's ``Retry-After`` header asks to wait, if it has one."""
        if self.response is None:
            return None
        return parse_retry_after(self.response.headers.get("Retry-After"))

    def _json_body(self) -> Any:
        """The decoded body, or None when there is no response or it is not JSON."""
        if self.response is None:
            return None
        try:
            return self.response.json()
        except (ValueError, TypeError, AttributeError, RecursionError):
            # A proxy's HTML page, a plain-text 500 or absurdly nested JSON lands here: fall back
            # to a fixed message.
            return None


class HTTPError(APIError):
    """Notify answered with a 4xx/5xx status, or no answer came back."""

    @staticmethod
    def create(
        e: requests.RequestException, *, reference: str | None = None, explain: bool = False
    ) -> HTTPError:
        """Wrap a requests failure in the HTTPError subclass its status calls for.

        :param e: what requests raised (an HTTP status error, a connection error, a timeout).
        :param reference: for a send, its reference, carried by a ``MaybeSentError``.
        :param explain: for a failure without an answer, explain it in ``message`` (see
            ``request_failure``).
        :returns: ``NotSentError`` or ``MaybeSentError`` (both ``HTTP503Error``) when there is
            no response, otherwise the class from ``ERROR_CLASSES`` (``HTTPError`` for unlisted
            statuses).
        """
        response = e.response
        if response is None:
            return request_failure(e, reference=reference, explain=explain)
        return answer_error(response)


class BadRequestError(HTTPError):
    """400: Notify refused the request's content (its ValidationError, BadRequestError, ...)."""


class AuthError(HTTPError):
    """401 or 403: the token, the API key or the key's permissions were refused."""


class NotFoundError(HTTPError):
    """404: no notification or template with that ID (or it is past its retention period)."""


class LimitExceededError(HTTPError):
    """429: a sending limit was reached; Notify refused the request without acting on it."""

    retryable = True


class RateLimitError(LimitExceededError):
    """429 ``RateLimitError``: the per-minute rate limit; the same request may go in a moment."""


class TooManyRequestsError(LimitExceededError):
    """429 ``TooManyRequestsError``: a daily limit; no more of that type can go until tomorrow."""

    retryable = False


class ServerError(HTTPError):
    """5xx: Notify, or a proxy in front of it, failed; the request may succeed if sent again."""

    retryable = True
    may_have_been_sent = True


class HTTP503Error(ServerError):
    """503, or no response at all: the service was unreachable; callers may retry."""


class NotSentError(HTTP503Error):
    """No answer, and the request never left: nothing was sent, so sending again is safe."""

    may_have_been_sent = False

    def __init__(
        self,
        response: requests.Response | None = None,
        message: Any = None,
        *,
        retryable: bool = True,
    ) -> None:
        super().__init__(response, message)
        self.retryable = retryable


class MaybeSentError(HTTP503Error):
    """No answer, after the request went: Notify may have acted on it (a message may have gone).

    ``reference`` is the send's reference, by which it can be looked up before sending again.
    """

    def __init__(
        self,
        response: requests.Response | None = None,
        message: Any = None,
        *,
        reference: str | None = None,
    ) -> None:
        super().__init__(response, message)
        self.reference = reference


class InvalidResponse(APIError):
    """Notify answered 2xx but the body is not JSON."""


class MissingArgumentError(AssertionError, ValueError):
    """A required argument is empty; an AssertionError for compatibility, raised even under -O."""


class InvalidApiKeyError(ValueError):
    """The API key cannot be sent as it is (it holds bytes that are not UTF-8 text)."""


class ApiKeyFormatWarning(UserWarning):
    """The API key does not look like ``{key_name}-{service_id}-{secret}`` with UUID parts."""


def _rebuild_error(cls: type[Exception], args: tuple[Any, ...], state: dict[str, Any]) -> Exception:
    """Unpickle one of these errors without calling its constructor."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


# The class of an error answer, by status and Notify's error name; a name of None is the class
# for that status whatever the name (or when the body names none).
ERROR_CLASSES: dict[tuple[int, str | None], type[HTTPError]] = {
    (400, None): BadRequestError,
    (401, None): AuthError,
    (403, None): AuthError,
    (404, None): NotFoundError,
    (429, None): LimitExceededError,
    (429, "RateLimitError"): RateLimitError,
    (429, "TooManyRequestsError"): TooManyRequestsError,
    (500, None): ServerError,
    (502, None): ServerError,
    (503, None): HTTP503Error,
    (504, None): ServerError,
}


def answer_error(response: requests.Response) -> HTTPError:
    """The error an error answer calls for, by its status and Notify's error name in it."""
    status = int(response.status_code)
    return error_class_for(status, HTTPError(response).error_name)(response)


def error_class_for(status: int, error_name: str | None = None) -> type[HTTPError]:
    """The error class for an answer: by status and error name, else by status, else HTTPError."""
    return ERROR_CLASSES.get((status, error_name)) or ERROR_CLASSES.get((status, None)) or HTTPError


def parse_retry_after(value: str | None) -> float | None:
    """A ``Retry-After`` header as seconds from now: a number, or an HTTP date; else None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = moment.timestamp() - time.time()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(seconds, 0.0)


NOT_SENT_EXPLANATION = "the request never reached Notify, so nothing was sent"
INVALID_EXPLANATION = "the request could not be made, so nothing was sent"
MAYBE_SENT_EXPLANATION = (
    "the request was sent but no answer came back, so Notify may have acted on it"
)


def maybe_sent_explanation(reference: str | None) -> str:
    """What a "may have been sent" failure means, and what to do about it."""
    if reference is None:
        return f"{MAYBE_SENT_EXPLANATION}; check before sending it again"
    return (
        f"{MAYBE_SENT_EXPLANATION}; look it up by its reference {reference!r} before sending again"
    )


def request_failure(
    e: requests.RequestException, *, reference: str | None = None, explain: bool = False
) -> HTTP503Error:
    """The error for a request that got no answer: ``NotSentError`` or ``MaybeSentError``.

    :param reference: the send's reference, carried by a ``MaybeSentError``.
    :param explain: put the explanation in ``message`` (the published client's message is
        ``"Request failed"``, kept unless the caller opted in). It is always added as a note,
        which tracebacks show.
    """
    return failure_error(failure_kind(e), reference=reference, explain=explain)


def failure_error(
    kind: FailureKind, *, reference: str | None = None, explain: bool = False
) -> HTTP503Error:
    """The error for a request that got no answer, by what is known of whether it went: the
    same for every transport (requests' failures are sorted by ``failures``, aiohttp's by
    ``aio.failures``)."""
    if kind is FailureKind.MAYBE_SENT:
        explanation = maybe_sent_explanation(reference)
    elif kind is FailureKind.NOT_SENT:
        explanation = NOT_SENT_EXPLANATION
    else:
        explanation = INVALID_EXPLANATION
    message = f"{REQUEST_ERROR_MESSAGE}: {explanation}" if explain else None
    error: HTTP503Error
    if kind is FailureKind.MAYBE_SENT:
        error = MaybeSentError(None, message, reference=reference)
    else:
        error = NotSentError(None, message, retryable=kind is FailureKind.NOT_SENT)
    if hasattr(error, "add_note"):  # Python 3.11 and later
        error.add_note(f"Notify: {explanation}.")
    return error
