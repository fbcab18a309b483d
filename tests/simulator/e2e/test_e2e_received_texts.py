"""GET /v2/received-text-messages through the real client: page, links, paging, errors.

Behaviour: Received text messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    DAY_SECONDS,
    INBOUND_NUMBER,
    SERVICE_ID,
    TIMESTAMP,
    TRIAL_SERVICE_ID,
    UNKNOWN_ID,
    ClientFactory,
    bearer,
    expect_schema_errors,
    raw,
)

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

PATH = "/v2/received-text-messages"
SEEDED_NEWEST_FIRST = [
    ("447700900222", "Thank you"),
    ("447700900321", "My loft has moved to 2 Roost Road"),
    ("447700900111", "Where do I register my pigeons?"),
]


def _texts(page: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(text["user_number"], text["content"]) for text in page["received_text_messages"]]


def test_page_has_the_documented_shape_newest_first(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    page = test_key_client.get_received_texts()

    assert _texts(page) == SEEDED_NEWEST_FIRST
    for text in page["received_text_messages"]:
        assert set(text) == {
            "id",
            "user_number",
            "notify_number",
            "created_at",
            "service_id",
            "content",
        }
        assert (text["notify_number"], text["service_id"]) == (INBOUND_NUMBER, SERVICE_ID)
        assert TIMESTAMP.fullmatch(text["created_at"])
    last = page["received_text_messages"][-1]["id"]
    assert page["links"] == {
        "current": f"{sim.url}{PATH}",
        "next": f"{sim.url}{PATH}?older_than={last}",
    }


@pytest.mark.parametrize("key_type", ["normal", "team", "test"])
def test_every_key_type_reads_the_texts(
    sim: NotifySimulator, clients: ClientFactory, key_type: str
) -> None:
    assert _texts(clients(key_type).get_received_texts()) == SEEDED_NEWEST_FIRST


def test_older_than_starts_after_that_text_and_current_has_no_query(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    newest = test_key_client.get_received_texts()["received_text_messages"][0]["id"]

    page = test_key_client.get_received_texts(older_than=newest)

    assert _texts(page) == SEEDED_NEWEST_FIRST[1:]
    assert page["links"]["current"] == f"{sim.url}{PATH}"


def test_only_the_first_older_than_counts(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    newest = test_key_client.get_received_texts()["received_text_messages"][0]["id"]

    response = raw(
        sim, "GET", f"{PATH}?older_than={newest}&older_than=abc", authorization=bearer(sim)
    )

    assert _texts(response.json()) == SEEDED_NEWEST_FIRST[1:]


def test_unknown_older_than_gives_an_empty_page_without_next(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    assert test_key_client.get_received_texts(older_than=UNKNOWN_ID) == {
        "received_text_messages": [],
        "links": {"current": f"{sim.url}{PATH}"},
    }


def test_new_text_is_listed_first_with_a_normalised_sender(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    added = sim.add_received_text("Coo", "07700 900 999")

    [first, *_] = test_key_client.get_received_texts()["received_text_messages"]

    assert (first["id"], first["user_number"], first["content"]) == (
        added.id,
        "447700900999",
        "Coo",
    )


def test_iterator_walks_pages_of_250(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    for number in range(300):
        sim.add_received_text(f"text {number}")
        sim.advance_clock(0.001)

    first_page = test_key_client.get_received_texts()
    everything = list(test_key_client.get_received_texts_iterator())

    assert len(first_page["received_text_messages"]) == 250
    assert [text["content"] for text in everything[:300]] == [
        f"text {n}" for n in reversed(range(300))
    ]
    assert _texts({"received_text_messages": everything[300:]}) == SEEDED_NEWEST_FIRST


def test_texts_expire_after_the_retention_period(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    sim.advance_clock(6 * DAY_SECONDS)
    assert len(test_key_client.get_received_texts()["received_text_messages"]) == 3

    sim.advance_clock(2 * DAY_SECONDS)
    assert test_key_client.get_received_texts()["received_text_messages"] == []


def test_service_without_texts_gets_an_empty_page(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    assert clients("test", TRIAL_SERVICE_ID).get_received_texts()["received_text_messages"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("older_than=abc", "older_than is not a valid UUID"),
        ("page=2", "Additional properties are not allowed (page was unexpected)"),
    ],
)
def test_bad_query_parameters(
    test_key_client: NotificationsAPIClient, query: str, message: str
) -> None:
    expect_schema_errors(
        lambda: test_key_client.get(f"{PATH}?{query}"),
        message,
    )
