"""What receiving a callback can refuse: who sent it, or what it holds."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CallbackAuthError", "CallbackError", "CallbackPayloadError"]


class CallbackError(ValueError):
    """A callback this service must refuse; ``status`` is the HTTP status to answer with."""

    status = 400


class CallbackAuthError(CallbackError):
    """The request does not carry one of the service's bearer tokens (never shown)."""

    status = 401


class CallbackPayloadError(CallbackError):
    """The body is not a callback Notify sends; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))
