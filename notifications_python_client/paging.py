"""Walking Notify's pages: one generator behind every ``*_iterator`` method.

Notify answers a list request with up to 250 items, newest first, and a ``links.next`` URL whose
``older_than`` query parameter is the ID of the last item; asking for the page older than that ID
gives the next one. The generator trusts none of it: a page without the list, without links, or
with a ``next`` that names no ID ends the walk instead of failing.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from notifications_python_client.utils import UUID_PATTERN, looks_like_uuid

__all__ = ["iterate_pages", "next_older_than"]

PageFetcher = Callable[[str | None], Any]


def iterate_pages(
    fetch_page: PageFetcher, items_key: str, older_than: str | None = None
) -> Iterator[Any]:
    """Yield every item of every page, fetching each page only when the previous one is used up.

    :param fetch_page: called with the ``older_than`` ID (None for the newest page); returns a
        decoded page. Its errors (an ``HTTPError`` halfway through) propagate to the caller.
    :param items_key: where the page keeps its list, e.g. ``"notifications"``.
    :param older_than: the ID to start after, or None to start from the newest item.
    """
    seen = {older_than}
    while True:
        page = fetch_page(older_than)
        items = _page_items(page, items_key)
        if not items:
            return
        yield from items
        older_than = next_older_than(page)
        # A server that keeps pointing at a page already read would loop for ever.
        if older_than is None or older_than in seen:
            return
        seen.add(older_than)


def next_older_than(page: object) -> str | None:
    """The ID to ask for the next page with, from ``links.next``; None when there is no next page.

    The ``older_than`` query parameter is preferred; otherwise the first UUID anywhere in the URL.
    """
    if not isinstance(page, Mapping):
        return None
    links = page.get("links")
    if not isinstance(links, Mapping):
        return None
    next_url = links.get("next")
    if not isinstance(next_url, str) or not next_url:
        return None
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(next_url).query)
    for candidate in query.get("older_than", []):
        if looks_like_uuid(candidate):
            return candidate
    match = UUID_PATTERN.search(urllib.parse.unquote(next_url))
    return match.group(0) if match else None


def _page_items(page: object, items_key: str) -> list[Any]:
    """The page's list of items, or an empty list when the page has none to give."""
    if not isinstance(page, Mapping):
        return []
    items = page.get(items_key)
    return items if isinstance(items, list) else []
