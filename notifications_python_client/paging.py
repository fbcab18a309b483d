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

__all__ = ["PageWalk", "iterate_pages", "next_older_than"]

PageFetcher = Callable[[str | None], Any]


class PageWalk:
    """Where a walk through the pages is: the ``older_than`` cursor of the next page to fetch,
    and those already used, so that a server that points back at one cannot loop the walk. The
    sync and async iterators both drive one; it does no I/O."""

    def __init__(self, items_key: str, older_than: str | None) -> None:
        self.items_key = items_key
        self.cursor = older_than
        self._seen = {older_than}
        self.finished = False

    def items(self, page: object) -> list[Any]:
        """The page's items, after which ``cursor`` is the next page's (or ``finished``)."""
        items = _page_items(page, self.items_key)
        next_cursor = next_older_than(page) if items else None
        if next_cursor is None or next_cursor in self._seen:
            self.finished = True
        else:
            self._seen.add(next_cursor)
            self.cursor = next_cursor
        return items


def iterate_pages(
    fetch_page: PageFetcher, items_key: str, older_than: str | None = None
) -> Iterator[Any]:
    """Yield every item of every page, fetching each page only when the previous one is used up.

    :param fetch_page: called with the ``older_than`` ID (None for the newest page); returns a
        decoded page. Its errors (an ``HTTPError`` halfway through) propagate to the caller.
    :param items_key: where the page keeps its list, e.g. ``"notifications"``.
    :param older_than: the ID to start after, or None to start from the newest item.
    """
    walk = PageWalk(items_key, older_than)
    while not walk.finished:
        yield from walk.items(fetch_page(walk.cursor))


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
