"""Finding a send whose answer was lost, for the sync drivers (the client's retry loop, bulk
sending): the fetch of one page around ``sansio.lookup``'s query and match."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from notifications_python_client.sansio.lookup import (
    Send,
    describe_send,
    lookup_query,
    match_sent,
)

__all__ = ["Send", "describe_send", "find_sent"]

PageFetcher = Callable[[Mapping[str, str]], Any]


def find_sent(
    send: Send, fetch_page: PageFetcher, base_url: str, service_id: str
) -> dict[str, Any] | None:
    """The send's response rebuilt from Notify's record of it, or None when it has none.

    :param fetch_page: GETs ``/v2/notifications`` with the given query, once, with the key
        that made the send (lists hold only that key type's notifications).
    """
    query = lookup_query(send)
    if query is None:
        return None
    return match_sent(send, fetch_page(query), base_url, service_id)
