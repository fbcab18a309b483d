"""What a request that got no answer tells about whether it reached Notify.

requests and urllib3 report a failed connection, a refused one, a timeout and a connection
closed mid-answer with a few exception classes whose causes are chained. The kind decides what
a caller may do:

- ``NOT_SENT``: the request never left (connection refused, DNS, connect timeout, TLS
  certificate refused): nothing reached Notify, so sending again is safe.
- ``INVALID``: the request could not even be built (bad URL, bad header): sending again will
  fail the same way.
- ``MAYBE_SENT``: the request was written, or may have been, and no whole answer came (read
  timeout, connection closed or reset, a cut-off body): Notify may have acted on it.

Anything not known to be before the request was written counts as ``MAYBE_SENT``: urllib3 does
not say how much of a request went before a connection broke, so a connection that fails while
the request is being written is reported as "may have been sent" too.
"""

from __future__ import annotations

import enum
import ssl
from collections.abc import Iterator

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

__all__ = ["FailureKind", "failure_kind"]

# Deep enough for requests' wrapping of urllib3's wrapping of the socket error, and bounded so
# that a cycle in a cause chain cannot loop.
MAX_CAUSE_DEPTH = 16


class FailureKind(enum.Enum):
    """Whether a failed request reached Notify."""

    NOT_SENT = "not sent"
    INVALID = "invalid"
    MAYBE_SENT = "may have been sent"


_INVALID_REQUESTS = (
    requests.exceptions.URLRequired,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidJSONError,
)
# Causes that happen before a single byte of the request is written.
_BEFORE_WRITING = (NewConnectionError, ConnectTimeoutError, ssl.SSLCertVerificationError)


def failure_kind(error: BaseException) -> FailureKind:
    """The kind of a requests failure that came without an answer."""
    if isinstance(error, _INVALID_REQUESTS):
        return FailureKind.INVALID
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return FailureKind.NOT_SENT
    if any(isinstance(cause, _BEFORE_WRITING) for cause in _causes(error)):
        return FailureKind.NOT_SENT
    return FailureKind.MAYBE_SENT


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and what it wraps: ``__cause__``, ``__context__``, urllib3's ``reason`` and
    exceptions passed as arguments (requests wraps urllib3's errors that way)."""
    pending = [error]
    seen: set[int] = set()
    while pending and len(seen) < MAX_CAUSE_DEPTH:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(current.args)
        pending.extend(item for item in linked if isinstance(item, BaseException))
