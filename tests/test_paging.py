"""The paging generator: follows links.next, and stops cleanly on anything odd the server sends."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests_mock

from notifications_python_client.errors import HTTPError, ServerError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.paging import iterate_pages, next_older_than

FIRST_ID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
SECOND_ID = "0f1e2d3c-4b5a-4969-8877-665544332211"


def make_ids(count: int, seed: int) -> list[str]:
    """Distinct, repeatable UUIDs."""
    return [str(uuid.UUID(int=seed * 1000 + n, version=4)) for n in range(count)]


class FakePages:
    """A fetcher that answers from a dict of pages keyed by older_than, recording each call."""

    def __init__(self, pages: dict[str | None, Any]) -> None:
        self.pages = pages
        self.calls: list[str | None] = []

    def __call__(self, older_than: str | None) -> Any:
        self.calls.append(older_than)
        return self.pages[older_than]


def page(ids: list[str], next_url: str | None, key: str = "notifications") -> dict[str, Any]:
    """A Notify list page of items with those IDs."""
    links: dict[str, str] = {"current": "/v2/notifications"}
    if next_url is not None:
        links["next"] = next_url
    return {key: [{"id": i} for i in ids], "links": links}


def test_walks_pages_until_one_has_no_next_link() -> None:
    first, second = make_ids(2, 1), make_ids(1, 2)
    fetch = FakePages(
        {
            None: page(first, f"https://api.test/v2/notifications?older_than={first[-1]}"),
            first[-1]: page(second, None),
        }
    )

    items = list(iterate_pages(fetch, "notifications"))

    assert [item["id"] for item in items] == first + second
    assert fetch.calls == [None, first[-1]]


def test_stops_at_an_empty_page() -> None:
    first = make_ids(2, 3)
    fetch = FakePages(
        {
            None: page(first, f"/v2/notifications?older_than={first[-1]}"),
            first[-1]: page([], f"/v2/notifications?older_than={first[-1]}"),
        }
    )

    assert [item["id"] for item in iterate_pages(fetch, "notifications")] == first
    assert fetch.calls == [None, first[-1]]


def test_starts_after_the_given_older_than() -> None:
    fetch = FakePages({FIRST_ID: page(make_ids(1, 4), None)})

    assert len(list(iterate_pages(fetch, "notifications", FIRST_ID))) == 1
    assert fetch.calls == [FIRST_ID]


def test_fetches_lazily() -> None:
    first = make_ids(2, 5)
    fetch = FakePages({None: page(first, f"/v2/notifications?older_than={first[-1]}")})

    walk = iterate_pages(fetch, "notifications")
    assert fetch.calls == []
    assert next(walk)["id"] == first[0]
    assert next(walk)["id"] == first[1]
    assert fetch.calls == [None]


@pytest.mark.parametrize(
    "odd_page",
    [
        None,  # a 204
        [],  # not an object
        "text",
        {},  # no list at all
        {"notifications": None, "links": {}},
        {"notifications": "not a list"},
        {"notifications": {"id": FIRST_ID}},
    ],
)
def test_a_page_without_a_list_ends_the_walk(odd_page: Any) -> None:
    assert list(iterate_pages(FakePages({None: odd_page}), "notifications")) == []


@pytest.mark.parametrize(
    "links",
    [
        "missing",
        None,
        "a string",
        [],
        {},
        {"next": None},
        {"next": ""},
        {"next": 12},
        {"next": "/v2/notifications"},
        {"next": "/v2/notifications?older_than=last_id_in_list"},
        {"next": "/v2/notifications?older_than=1234"},
    ],
)
def test_a_page_without_a_usable_next_link_is_the_last(links: Any) -> None:
    only = {"notifications": [{"id": FIRST_ID}]}
    if links != "missing":
        only["links"] = links

    fetch = FakePages({None: only})

    assert list(iterate_pages(fetch, "notifications")) == [{"id": FIRST_ID}]
    assert fetch.calls == [None]


def test_a_next_link_pointing_back_at_a_page_already_read_ends_the_walk() -> None:
    first, second = make_ids(1, 6), make_ids(1, 7)
    fetch = FakePages(
        {
            None: page(first, f"/v2/notifications?older_than={first[0]}"),
            first[0]: page(second, f"/v2/notifications?older_than={first[0]}"),
        }
    )

    assert [item["id"] for item in iterate_pages(fetch, "notifications")] == first + second
    assert fetch.calls == [None, first[0]]


def test_an_error_halfway_is_raised_after_the_pages_before_it() -> None:
    first = make_ids(2, 8)

    def fetch(older_than: str | None) -> Any:
        if older_than is None:
            return page(first, f"/v2/notifications?older_than={first[-1]}")
        raise ServerError(None, "boom")

    walk = iterate_pages(fetch, "notifications")

    assert [next(walk)["id"], next(walk)["id"]] == first
    with pytest.raises(HTTPError):
        next(walk)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        (f"https://api.test/v2/notifications?older_than={FIRST_ID}", FIRST_ID),
        (f"/v2/notifications?template_type=sms&older_than={FIRST_ID}&status=failed", FIRST_ID),
        # older_than wins over an earlier UUID-looking filter value...
        (f"/v2/notifications?reference={SECOND_ID}&older_than={FIRST_ID}", FIRST_ID),
        # ...and without it the first UUID in the URL is taken.
        (f"/v2/notifications?other_than={FIRST_ID}", FIRST_ID),
        (f"/v2/notifications/{FIRST_ID}/older", FIRST_ID),
        (f"/v2/notifications?older_than=oops&x={SECOND_ID}", SECOND_ID),
        (f"/v2/notifications?older_than={FIRST_ID.upper()}", FIRST_ID.upper()),
        (f"/v2/notifications?older_than=%20{FIRST_ID}", FIRST_ID),
        ("/v2/notifications?older_than=", None),
    ],
)
def test_next_older_than_reads_the_next_link(next_url: str, expected: str | None) -> None:
    assert next_older_than({"links": {"next": next_url}}) == expected


def test_notifications_iterator_repeats_the_filters_on_every_page(
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    base_url: str,
    query: Callable[[str], dict[str, list[str]]],
) -> None:
    first, second = make_ids(2, 9), make_ids(2, 10)
    requests_mock.get(
        base_url + "/v2/notifications",
        [
            {"json": page(first, f"{base_url}/v2/notifications?older_than={first[-1]}")},
            {"json": page(second, f"{base_url}/v2/notifications?older_than={second[-1]}")},
            {"json": page([], None)},
        ],
    )

    found = client.get_all_notifications_iterator(status="failed", template_type="sms")

    assert [n["id"] for n in found] == first + second
    filters = {"status": ["failed"], "template_type": ["sms"]}
    assert [query(r.url) for r in requests_mock.request_history] == [
        filters,
        {**filters, "older_than": [first[-1]]},
        {**filters, "older_than": [second[-1]]},
    ]


def test_received_texts_iterator_follows_next_links(
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    base_url: str,
    query: Callable[[str], dict[str, list[str]]],
) -> None:
    first, second = make_ids(3, 11), make_ids(1, 12)
    key = "received_text_messages"
    requests_mock.get(
        base_url + "/v2/received-text-messages",
        [
            {"json": page(first, f"/v2/received-text-messages?older_than={first[-1]}", key)},
            {"json": page(second, None, key)},
        ],
    )

    found = list(client.get_received_texts_iterator(older_than=FIRST_ID))

    assert [t["id"] for t in found] == first + second
    assert [query(r.url) for r in requests_mock.request_history] == [
        {"older_than": [FIRST_ID]},
        {"older_than": [first[-1]]},
    ]


def test_iterator_raises_the_usual_http_error_from_a_later_page(
    client: NotificationsAPIClient,
    requests_mock: requests_mock.Mocker,
    base_url: str,
    payload: Callable[[str], Any],
) -> None:
    first = make_ids(1, 13)
    requests_mock.get(
        base_url + "/v2/notifications",
        [
            {"json": page(first, f"/v2/notifications?older_than={first[0]}")},
            {"json": payload("error_429_rate_limit.json"), "status_code": 429},
        ],
    )
    walk = client.get_all_notifications_iterator()

    assert next(walk)["id"] == first[0]
    with pytest.raises(HTTPError) as raised:
        next(walk)
    assert raised.value.status_code == 429
    assert raised.value.message == payload("error_429_rate_limit.json")["errors"]


def test_iterator_survives_a_204_and_a_page_without_links(
    client: NotificationsAPIClient, requests_mock: requests_mock.Mocker, base_url: str
) -> None:
    requests_mock.get(base_url + "/v2/notifications", status_code=204)
    requests_mock.get(
        base_url + "/v2/received-text-messages",
        json={"received_text_messages": [{"id": FIRST_ID}]},
    )

    assert list(client.get_all_notifications_iterator()) == []
    assert list(client.get_received_texts_iterator()) == [{"id": FIRST_ID}]
