"""The simulator's failures, each carrying the v2 error body Notify would send.

Handlers raise these; the app turns any of them into
``{"status_code": N, "errors": [{"error": ..., "message": ...}, ...]}``.
"""

from __future__ import annotations

from typing import Any


class NotifyApiError(Exception):
    """A failure answered with Notify's v2 error envelope."""

    def __init__(self, status_code: int, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"] if errors else "")
        self.status_code = status_code
        self.errors = errors

    @classmethod
    def single(cls, status_code: int, error: str, message: str, **extra: Any) -> NotifyApiError:
        """One error entry; ``extra`` adds keys such as the QR code's ``data``."""
        return cls(status_code, [{"error": error, "message": message, **extra}])

    def body(self) -> dict[str, Any]:
        """The JSON body Notify sends for this failure."""
        return {"status_code": self.status_code, "errors": self.errors}


class NotifyFailsHereToo(NotifyApiError):
    """A 500 answered on purpose, because Notify itself fails on this input (a ``TypeError``
    in its code): a client sees what it would see from Notify, and the simulator logs ``why``
    as one warning line, not a traceback of its own.
    """

    def __init__(self, why: str) -> None:
        super().__init__(500, [{"error": "TypeError", "message": "Internal server error"}])
        self.why = why


def validation_error(messages: list[str]) -> NotifyApiError:
    """400 ``ValidationError`` with one entry per message, duplicates removed, order kept."""
    unique = list(dict.fromkeys(messages))
    return NotifyApiError(400, [{"error": "ValidationError", "message": m} for m in unique])


def bad_request(message: str, status_code: int = 400) -> NotifyApiError:
    """``BadRequestError``: a business rule refused the request."""
    return NotifyApiError.single(status_code, "BadRequestError", message)


def auth_error(status_code: int, message: str) -> NotifyApiError:
    """``AuthError`` (401 or 403)."""
    return NotifyApiError.single(status_code, "AuthError", message)


def no_result_found() -> NotifyApiError:
    """404 ``NoResultFound``, for lookups that find nothing."""
    return NotifyApiError.single(404, "NoResultFound", "No result found")


def too_many_requests(error: str, message: str) -> NotifyApiError:
    """429 ``RateLimitError`` or ``TooManyRequestsError``."""
    return NotifyApiError.single(429, error, message)
