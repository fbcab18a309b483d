"""GET /v2/notifications through the real client: key types, filters, links, paging (15)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    LETTER_TEMPLATE_ID,
    OUTSIDER_PHONE,
    TEAM_PHONE,
    UK_ADDRESS,
    UNKNOWN_ID,
    ClientFactory,
    bearer,
    derived_id,
    email_id,
    expect_error,
    listed_ids,
    raw,
    service,
    sms_id,
    with_default_services,
)

from notifications_python_client.errors import BadRequestError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

STATUSES = (
    "cancelled, created, sending, sent, delivered, pending, failed, technical-failure, "
    "temporary-failure, permanent-failure, pending-virus-check, validation-failed, "
    "virus-scan-failed, returned-letter, accepted, received"
)
SLOW = service("Slow", timings={"sending_after_seconds": 10, "delivered_after_seconds": 20})


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(SLOW)


@pytest.fixture
def slow(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    return clients("normal", SLOW["id"])


def test_each_key_type_lists_only_its_own_notifications(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    sent = {
        key_type: sms_id(clients(key_type), TEAM_PHONE) for key_type in ("normal", "team", "test")
    }

    for key_type, notification_id in sent.items():
        assert listed_ids(clients(key_type).get_all_notifications()) == [notification_id]


def test_list_is_newest_first_with_links(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    first = sms_id(test_key_client)
    sim.advance_clock(1)
    second = email_id(test_key_client)

    page = test_key_client.get_all_notifications()

    assert listed_ids(page) == [second, first]
    assert page["links"] == {
        "current": f"{sim.url}/v2/notifications",
        "next": f"{sim.url}/v2/notifications?older_than={first}",
    }
    assert listed_ids(test_key_client.get_all_notifications(older_than=second)) == [first]


def test_empty_page_has_no_next_link(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    assert test_key_client.get_all_notifications() == {
        "notifications": [],
        "links": {"current": f"{sim.url}/v2/notifications"},
    }


def test_unknown_older_than_gives_an_empty_page(test_key_client: NotificationsAPIClient) -> None:
    sms_id(test_key_client)

    assert test_key_client.get_all_notifications(older_than=UNKNOWN_ID)["notifications"] == []


def test_filters_by_type_reference_and_status(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    delivered_sms = sms_id(test_key_client, reference="batch-1")
    failed_sms = sms_id(test_key_client, "07700900002")
    sim.advance_clock(1)
    failed_email = email_id(test_key_client, "temp-fail@simulator.notify", reference="batch-1")
    letter = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, UK_ADDRESS)["id"]

    def listed(**filters: Any) -> set[str]:
        return set(listed_ids(test_key_client.get_all_notifications(**filters)))

    assert listed(template_type="sms") == {delivered_sms, failed_sms}
    assert listed(template_type="letter") == {letter}
    assert listed(reference="batch-1") == {delivered_sms, failed_email}
    assert listed(status="failed") == {failed_sms, failed_email}
    assert listed(status="permanent-failure") == {failed_sms}
    assert listed(status="received") == {delivered_sms, letter}
    assert listed(status="failed", template_type="email") == {failed_email}
    assert listed(include_jobs=True) == {delivered_sms, failed_sms, failed_email, letter}


def test_accepted_covers_created_and_sending_of_every_type(
    sim: NotifySimulator, slow: NotificationsAPIClient
) -> None:
    created = slow.send_sms_notification(OUTSIDER_PHONE, derived_id("Slow", "sms"), {"name": "A"})[
        "id"
    ]

    assert listed_ids(slow.get_all_notifications(status="accepted")) == [created]
    assert listed_ids(slow.get_all_notifications(status="created")) == [created]
    sim.advance_clock(10)
    assert listed_ids(slow.get_all_notifications(status="accepted")) == [created]
    assert listed_ids(slow.get_all_notifications(status="created")) == []


def test_repeated_filters_and_links_keep_the_request_order(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    failed = sms_id(test_key_client, "07700900002", reference="a b&c=d/e?f")
    reference = "reference=a+b%26c%3Dd/e?f"
    query = f"template_type=email&status=delivered&{reference}&status=failed&template_type=sms"
    # Names in order of first appearance, each followed by all its values.
    grouped = f"template_type=email&template_type=sms&status=delivered&status=failed&{reference}"

    response = raw(sim, "GET", f"/v2/notifications?{query}", authorization=bearer(sim))

    body = response.json()
    assert listed_ids(body) == [failed]
    assert body["links"] == {
        "current": f"{sim.url}/v2/notifications?{grouped}",
        "next": f"{sim.url}/v2/notifications?{grouped}&older_than={failed}",
    }


def test_older_than_is_replaced_in_place_in_next(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    oldest = sms_id(test_key_client)
    sim.advance_clock(1)
    middle = sms_id(test_key_client)
    sim.advance_clock(1)
    newest = sms_id(test_key_client)
    query = f"older_than={newest}&older_than={UNKNOWN_ID}&template_type=sms"

    body = raw(sim, "GET", f"/v2/notifications?{query}", authorization=bearer(sim)).json()

    assert listed_ids(body) == [middle, oldest]
    assert (
        body["links"]["current"]
        == f"{sim.url}/v2/notifications?older_than={newest}&template_type=sms"
    )
    assert (
        body["links"]["next"] == f"{sim.url}/v2/notifications?older_than={oldest}&template_type=sms"
    )


def test_iterator_walks_pages_of_250(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    sent = [sms_id(test_key_client) for _ in range(251)]

    first_page = test_key_client.get_all_notifications()
    everything = [n["id"] for n in test_key_client.get_all_notifications_iterator()]

    assert len(first_page["notifications"]) == 250
    assert sorted(everything) == sorted(sent)


@pytest.mark.parametrize(
    ("params", "messages"),
    [
        ({"status": "foo"}, [f"status foo is not one of [{STATUSES}]"]),
        (
            {"status": ["foo", "bar", "foo", "sent"]},
            [f"status foo is not one of [{STATUSES}]", f"status bar is not one of [{STATUSES}]"],
        ),
        ({"template_type": "push"}, ["template_type push is not one of [sms, email, letter]"]),
        ({"older_than": "abc"}, ["older_than is not a valid UUID"]),
        ({"include_jobs": "yes"}, ["include_jobs yes is not one of [true, True]"]),
        ({"page_size": "10"}, ["Additional properties are not allowed (page_size was unexpected)"]),
    ],
)
def test_bad_query_parameters(
    test_key_client: NotificationsAPIClient, params: dict[str, Any], messages: list[str]
) -> None:
    expect_error(
        lambda: test_key_client.get("/v2/notifications", params=params),
        BadRequestError,
        400,
        *(("ValidationError", message) for message in messages),
    )
