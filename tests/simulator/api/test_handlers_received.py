"""GET /v2/received-text-messages through the WSGI app (behaviour: Received text messages)."""

from __future__ import annotations

import pytest
from wsgi_helpers import (
    INBOUND_NUMBER,
    OTHER_SERVICE_ID,
    ROOT,
    SERVICE_ID,
    WsgiClient,
    make_service,
    make_store,
    received_text,
)

from notifications_python_client.simulator.domain.models import KeyType

PATH = "/v2/received-text-messages"


@pytest.fixture
def client() -> WsgiClient:
    ours = make_service(received_texts=[received_text(n) for n in (1, 2, 3)])
    theirs = make_service(OTHER_SERVICE_ID, received_texts=[received_text(4, OTHER_SERVICE_ID)])
    return WsgiClient(make_store(ours, theirs))


@pytest.mark.parametrize("key_type", ["normal", "team", "test"])
def test_texts_newest_first_with_links(client: WsgiClient, key_type: KeyType) -> None:
    response = client.as_key(key_type).get(PATH)

    assert response.status == 200
    payload = response.json()
    texts = payload["received_text_messages"]
    assert [t["content"] for t in texts] == ["Message 3", "Message 2", "Message 1"]
    assert texts[0] == {
        "id": received_text(3).id,
        "user_number": "447700900111",
        "notify_number": INBOUND_NUMBER,
        "created_at": texts[0]["created_at"],
        "service_id": SERVICE_ID,
        "content": "Message 3",
    }
    assert texts[0]["created_at"].endswith("Z")
    assert payload["links"] == {
        "current": f"{ROOT}{PATH}",
        "next": f"{ROOT}{PATH}?older_than={received_text(1).id}",
    }


def test_older_than_pages_back_and_current_never_carries_it(client: WsgiClient) -> None:
    newest = received_text(3).id.upper()

    payload = client.get(PATH, f"older_than={newest}").json()

    assert [t["content"] for t in payload["received_text_messages"]] == ["Message 2", "Message 1"]
    assert payload["links"]["current"] == f"{ROOT}{PATH}"


@pytest.mark.parametrize(
    "older_than", [received_text(1).id, received_text(4).id, "0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e"]
)
def test_pages_past_the_end_or_from_unknown_ids_are_empty(
    client: WsgiClient, older_than: str
) -> None:
    payload = client.get(PATH, f"older_than={older_than}").json()

    assert payload == {"received_text_messages": [], "links": {"current": f"{ROOT}{PATH}"}}


def test_pages_hold_250_texts() -> None:
    texts = [received_text(n) for n in range(1, 253)]
    client = WsgiClient(make_store(make_service(received_texts=texts)))

    page = client.get(PATH).json()["received_text_messages"]

    assert len(page) == 250
    assert page[-1]["id"] == texts[2].id


def test_query_errors(client: WsgiClient) -> None:
    response = client.get(PATH, "older_than=yesterday&page=2")

    assert response.status == 400
    assert [e["message"] for e in response.errors] == [
        "older_than is not a valid UUID",
        "Additional properties are not allowed (page was unexpected)",
    ]
