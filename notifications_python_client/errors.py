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
          RateLimitError          429
          ServerError             500, 502, 504
            HTTP503Error          503, or no response at all (connection error, timeout)
        InvalidResponse           a 2xx answer whose body is not JSON
    AssertionError, ValueError
      MissingArgumentError        the base URL, the API key or a token argument is empty
    UserWarning
      ApiKeyFormatWarning         a part of the API key does not look like a UUID

The status classes below ``HTTPError`` are chosen by ``HTTP_ERROR_CLASSES``; each is a subclass of
the published ``HTTPError``, so every ``except HTTPError`` or ``except HTTP503Error`` keeps working.
"""

from __future__ import annotations

from typing import Any

import requests

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

    def _json_body(self) -> Any:
        """The decoded body, or None when there is no response or it is not JSON."""
        if self.response is None:
            return None
        try:
            return self.response.json()
        except (ValueError, TypeError, AttributeError):
            # A proxy's HTML page or a plain-text 500 lands here: fall back to a fixed message.
            return None


class HTTPError(APIError):
    """Notify answered with a 4xx/5xx status, or no answer came back."""

    @staticmethod
    def create(e: requests.RequestException) -> HTTPError:
        """Wrap a requests failure in the HTTPError subclass its status calls for.

        :param e: what requests raised (an HTTP status error, a connection error, a timeout).
        :returns: an ``HTTP503Error`` for a 503 or when there is no response, otherwise
            the class from ``HTTP_ERROR_CLASSES`` (``HTTPError`` for unlisted statuses).
        """
        response = e.response
        status = REQUEST_ERROR_STATUS_CODE if response is None else int(response.status_code)
        error_class = HTTP_ERROR_CLASSES.get(status, HTTPError)
        return error_class(response)


class BadRequestError(HTTPError):
    """400: Notify refused the request's content (its ValidationError, BadRequestError, ...)."""


class AuthError(HTTPError):
    """401 or 403: the token, the API key or the key's permissions were refused."""


class NotFoundError(HTTPError):
    """404: no notification or template with that ID (or it is past its retention period)."""


class RateLimitError(HTTPError):
    """429: a per-minute rate limit or a daily sending limit was reached."""


class ServerError(HTTPError):
    """5xx: Notify, or a proxy in front of it, failed; the request may succeed if sent again."""


class HTTP503Error(ServerError):
    """503, or no response at all: the service was unreachable; callers may retry."""


class InvalidResponse(APIError):
    """Notify answered 2xx but the body is not JSON."""


class MissingArgumentError(AssertionError, ValueError):
    """A required argument is empty; an AssertionError for compatibility, raised even under -O."""


class ApiKeyFormatWarning(UserWarning):
    """The API key does not look like ``{key_name}-{service_id}-{secret}`` with UUID parts."""


def _rebuild_error(cls: type[Exception], args: tuple[Any, ...], state: dict[str, Any]) -> Exception:
    """Unpickle one of these errors without calling its constructor."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


HTTP_ERROR_CLASSES: dict[int, type[HTTPError]] = {
    400: BadRequestError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    429: RateLimitError,
    500: ServerError,
    502: ServerError,
    503: HTTP503Error,
    504: ServerError,
}
