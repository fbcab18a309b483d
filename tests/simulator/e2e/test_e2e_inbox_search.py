"""Finding and clearing messages in a local Notify kept open for weeks: search by any word,
pages of the list, deleting one or all that match, and a cap on how many are kept."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from e2e_support import EMAIL_TEMPLATE_ID, SMS_TEMPLATE_ID, form_token

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator


def listed(sim: NotifySimulator, **query: Any) -> list[str | None]:
    answer = requests.get(f"{sim.url}/_simulator/api/notifications", params=query, timeout=5)
    assert answer.status_code == 200, answer.text
    return [item["reference"] for item in answer.json()["notifications"]]


def send_three(client: NotificationsAPIClient) -> None:
    client.send_sms_notification("07700 900123", SMS_TEMPLATE_ID, {"name": "Amala"}, "first")
    client.send_email_notification("bo@example.com", EMAIL_TEMPLATE_ID, {"name": "Bo"}, "second")
    client.send_sms_notification("07700900456", SMS_TEMPLATE_ID, {"name": "Chidi"}, "third")


@pytest.mark.parametrize(
    ("q", "found"),
    [("chidi", ["third"]), ("Thank you for registering", ["second"]), ("FIRST", ["first"]),
     ("+447700900123", ["first"]), ("bo@example", ["second"]),
     ("pigeon registration reminder", ["third", "first"]), (SMS_TEMPLATE_ID, ["third", "first"]),
     ("nothing like it", [])],
)  # fmt: skip
def test_search_finds_a_message_by_any_word_of_it(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, q: str, found: list[str]
) -> None:
    send_three(test_key_client)

    assert listed(sim, q=q) == found
    page = requests.get(f"{sim.url}/_simulator/", params={"q": q}, timeout=5).text
    shown = [reference for reference in ("first", "second", "third") if f">{reference}<" in page]
    assert sorted(shown) == sorted(found)


def test_the_list_comes_in_pages(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    for number in range(55):
        test_key_client.send_sms_notification(
            "07700900123", SMS_TEMPLATE_ID, {"name": "A"}, f"r{number}"
        )

    first, second = listed(sim, limit=50), listed(sim, limit=50, page=2)
    inbox = requests.get(f"{sim.url}/_simulator/", timeout=5).text
    older = requests.get(f"{sim.url}/_simulator/", params={"page": 2}, timeout=5).text

    assert (len(first), len(second)) == (50, 5) and first[0] == "r54" and second[-1] == "r0"
    assert 'rel="next"' in inbox and 'rel="prev"' not in inbox
    assert 'rel="prev"' in older and 'rel="next"' not in older and ">r0<" in older
    assert (
        requests.get(f"{sim.url}/_simulator/", params={"page": "0"}, timeout=5).status_code == 400
    )


def test_rows_are_easy_to_scan(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    send_three(test_key_client)

    inbox = requests.get(f"{sim.url}/_simulator/", timeout=5).text
    items = requests.get(f"{sim.url}/_simulator/api/notifications", timeout=5).json()

    assert ">just now</time>" in inbox and 'title="' in inbox
    assert "Pigeon registration for Bo" in inbox and 'class="tag tag-delivered"' in inbox
    assert items["now"] and items["notifications"][1]["summary"] == "Pigeon registration for Bo"
    sim.advance_clock(120)
    assert ">2 minutes ago</time>" in requests.get(f"{sim.url}/_simulator/", timeout=5).text


def delete(sim: NotifySimulator, path: str = "", **query: Any) -> requests.Response:
    return requests.delete(f"{sim.url}/_simulator/api/notifications{path}", params=query,
                           json={}, timeout=5)  # fmt: skip


def test_the_admin_api_deletes_one_or_every_match(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    send_three(test_key_client)
    one = next(n for n in sim.notifications if n.reference == "second")

    assert delete(sim, f"/{one.id}").json() == {"deleted": 1}
    assert delete(sim, f"/{one.id}").status_code == 404
    assert delete(sim, q="chidi").json() == {"deleted": 1}
    assert listed(sim) == ["first"]
    assert delete(sim, colour="red").status_code == 400
    assert delete(sim).json() == {"deleted": 1} and listed(sim) == []


def test_the_inbox_deletes_one_or_every_match(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    send_three(test_key_client)
    token = form_token(f"{sim.url}/_simulator/settings")
    one = next(n for n in sim.notifications if n.reference == "first")

    gone = requests.post(f"{sim.url}/_simulator/notifications/{one.id}/delete",
                         data={"form_token": token}, allow_redirects=False, timeout=5)  # fmt: skip
    matching = requests.post(f"{sim.url}/_simulator/delete",
                             data={"form_token": token, "type": "email"},
                             allow_redirects=False, timeout=5)  # fmt: skip

    assert gone.status_code == 303 and matching.status_code == 303
    assert matching.headers["Location"].endswith("/_simulator/?type=email")
    assert listed(sim) == ["third"]


def test_keep_caps_how_many_are_kept_forgetting_the_oldest() -> None:
    with NotifySimulator(keep=5) as sim:
        client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
        for number in range(8):
            client.send_sms_notification(
                "07700900123", SMS_TEMPLATE_ID, {"name": "A"}, f"r{number}"
            )
        client.request_session.close()

        assert [n.reference for n in sim.notifications] == ["r3", "r4", "r5", "r6", "r7"]
    with pytest.raises(ValueError, match="keep must be a whole number"):
        NotifySimulator(keep=0)
