"""What an aiohttp failure without an answer tells about whether the request reached Notify.

aiohttp already splits "could not connect" from "the server went away after we sent": a
failure to connect (refused, DNS, a connect time-out, a certificate refused) never sent a byte;
a bad URL could not be sent at all; anything after the connection was made (a read time-out,
the server disconnecting, a cut-off body) may have reached Notify. The kinds are the sync
client's (``failures.FailureKind``), so both clients raise the very same errors.
"""

from __future__ import annotations

import aiohttp

from notifications_python_client.failures import FailureKind

__all__ = ["failure_kind"]

_NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)


def failure_kind(error: BaseException) -> FailureKind:
    """The kind of an aiohttp failure that came without an answer."""
    if isinstance(error, aiohttp.InvalidURL) or (
        isinstance(error, ValueError) and not isinstance(error, aiohttp.ClientError)
    ):
        # A URL or header aiohttp refused to send: it went nowhere, and never will.
        return FailureKind.INVALID
    if isinstance(error, _NOT_SENT):
        return FailureKind.NOT_SENT
    return FailureKind.MAYBE_SENT
