"""Waiting for a message and reading it: ``wait_for``, the admin API's ``to``/``wait`` long poll,
and the recipient filter with Notify's normalisation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from e2e_support import EMAIL_TEMPLATE_ID, LETTER_TEMPLATE_ID, SMS_TEMPLATE_ID

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator import SentMessage, WaitTimeoutError
from notifications_python_client.simulator.server import NotifySimulator

ADDRESS = {"address_line_1": "Amala Bird", "address_line_2": "1 High Street",
           "address_line_3": "SW1A 1AA"}  # fmt: skip


@pytest.fixture
def later() -> Iterator[Callable[[Callable[[], Any]], None]]:
    """Runs a call in another thread after a moment, as a service under test would send."""
    threads: list[threading.Timer] = []

    def run(call: Callable[[], Any]) -> None:
        threads.append(threading.Timer(0.1, call))
        threads[-1].start()

    yield run
    for thread in threads:
        thread.join()


def send_code(sim: NotifySimulator, client: NotificationsAPIClient, to: str, code: str) -> None:
    template = sim.env()["SIGN_IN_CODE_TEMPLATE_ID"]
    client.send_sms_notification(to, template, {"code": code}, reference="sign-in")


@pytest.mark.parametrize("asked", ["07700 900123", "07700900123", "+447700900123",
                                   "447700900123", "+44 (0)7700 900 123"])  # fmt: skip
def test_to_matches_a_number_however_it_is_written(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, asked: str
) -> None:
    send_code(sim, test_key_client, "07700 900123", "482913")

    message = sim.wait_for(to=asked, timeout=0)

    assert isinstance(message, SentMessage)
    assert message.code == "482913"
    assert (
        message.body
        == "482913 is your Pigeon Affairs Bureau sign-in code. It expires in 10 minutes."
    )
    assert (message.to, message.normalised_to, message.type) == (
        "07700 900123",
        "447700900123",
        "sms",
    )
    assert message.codes == ("482913",)  # "10" minutes is too short to be a code
    assert (message.reference, message.key_type, message.subject) == ("sign-in", "test", None)


def test_it_waits_for_a_message_sent_after_it_started(
    sim: NotifySimulator,
    test_key_client: NotificationsAPIClient,
    later: Callable[[Callable[[], Any]], None],
) -> None:
    later(lambda: send_code(sim, test_key_client, "07700900123", "777123"))

    assert sim.wait_for(to="07700 900 123", timeout=10).code == "777123"


def test_an_email_matches_whatever_its_case_and_gives_its_subject_and_links(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    body = "Confirm your address: https://service.example/confirm?t=abc123.\n\nThanks"
    test_key_client.send_email_notification(
        "Amala.Bird@Example.com",
        sim.env()["PLAIN_EMAIL_TEMPLATE_ID"],
        {"subject": "Confirm your address, code 5521", "body": body},
    )

    message = sim.wait_for(to=" amala.bird@example.COM ", type="email", timeout=0)

    assert message.subject == "Confirm your address, code 5521"
    assert message.links == ("https://service.example/confirm?t=abc123",)
    assert message.codes == ("5521",)
    assert message.personalisation["body"] == body


def test_a_letter_matches_one_of_its_address_lines(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, ADDRESS)

    message = sim.wait_for(to="sw1a 1aa", timeout=0)

    assert message.type == "letter"
    assert message.to == "Amala Bird, 1 High Street, SW1A 1AA"
    assert message.subject == "Your pigeon keeping licence"


def test_every_filter_must_match_and_the_first_stored_comes_first(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    test_key_client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"}, "one")
    send_code(sim, test_key_client, "07700900123", "111111")
    send_code(sim, test_key_client, "07700900123", "222222")

    assert sim.wait_for(to="07700900123", timeout=0).reference == "one"
    code_template = sim.env()["SIGN_IN_CODE_TEMPLATE_ID"]
    assert sim.wait_for(template_id=code_template, timeout=0).code == "111111"
    assert sim.wait_for(reference="sign-in", type="sms", timeout=0).code == "111111"
    with pytest.raises(WaitTimeoutError):
        sim.wait_for(reference="sign-in", type="email", timeout=0)


def test_a_wait_that_times_out_names_the_filters_and_lists_what_was_stored(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    test_key_client.send_sms_notification("07700900456", SMS_TEMPLATE_ID, {"name": "A"}, "r-1")
    test_key_client.send_email_notification("bo@example.com", EMAIL_TEMPLATE_ID, {"name": "B"})

    with pytest.raises(WaitTimeoutError) as waited:
        sim.wait_for(to="07700900123", template_id=SMS_TEMPLATE_ID, timeout=0.05)

    message = str(waited.value)
    assert message.startswith(
        f"no notification matched to='07700900123', template_id='{SMS_TEMPLATE_ID}' within "
        "0.05 s; stored (newest first):\n- email to 'bo@example.com', template "
    )
    assert f"- sms to '07700900456', template {SMS_TEMPLATE_ID}, reference 'r-1', at " in message
    assert isinstance(waited.value, TimeoutError)


def test_a_wait_with_nothing_stored_says_so(sim: NotifySimulator) -> None:
    with pytest.raises(WaitTimeoutError, match="within 0 s: none was stored"):
        sim.wait_for(timeout=0)


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [({"type": "fax"}, "type must be one of sms, email, letter"),
     ({"timeout": -1}, "timeout must be a number of seconds, 0 or more")],
)  # fmt: skip
def test_bad_arguments_are_clear(
    sim: NotifySimulator, arguments: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        sim.wait_for(**arguments)


def test_a_message_without_a_code_says_what_it_holds(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    test_key_client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "Amala"})

    with pytest.raises(LookupError, match=r"no code .* in this sms: 'Hello Amala, your pigeon"):
        _ = sim.wait_for(timeout=0).code


def api_list(sim: NotifySimulator, **query: Any) -> requests.Response:
    return requests.get(f"{sim.url}/_simulator/api/notifications", params=query, timeout=30)


@pytest.mark.parametrize("asked", ["07700900123", "447700900123", "+44 7700 900123"])
def test_the_admin_api_finds_by_to_and_its_items_carry_the_body(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, asked: str
) -> None:
    send_code(sim, test_key_client, "07700 900123", "313131")
    test_key_client.send_sms_notification("07700900999", SMS_TEMPLATE_ID, {"name": "B"})

    items = api_list(sim, to=asked).json()["notifications"]

    assert [item["body"] for item in items] == [
        "313131 is your Pigeon Affairs Bureau sign-in code. It expires in 10 minutes."
    ]
    assert items[0]["template_id"] == sim.env()["SIGN_IN_CODE_TEMPLATE_ID"]


def test_the_admin_api_long_polls_until_a_message_matches(
    sim: NotifySimulator,
    test_key_client: NotificationsAPIClient,
    later: Callable[[Callable[[], Any]], None],
) -> None:
    later(lambda: send_code(sim, test_key_client, "07700900123", "909090"))

    items = api_list(sim, to="07700 900123", wait=20).json()["notifications"]

    assert [item["body"].split()[0] for item in items] == ["909090"]


def test_a_long_poll_that_times_out_answers_an_empty_list(sim: NotifySimulator) -> None:
    answer = api_list(sim, to="07700900123", wait=0.05)

    assert answer.status_code == 200 and answer.json()["notifications"] == []


@pytest.mark.parametrize("wait", ["-1", "61", "soon", "nan"])
def test_a_bad_wait_is_a_400_naming_it(sim: NotifySimulator, wait: str) -> None:
    answer = api_list(sim, wait=wait)

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"] == (
        "wait must be a number of seconds from 0 to 60"
    )


@pytest.mark.parametrize("typed", ["07700900123", "447700900123", "900 123", "07700 900123"])
def test_the_inbox_recipient_filter_uses_notifys_normalisation(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient, typed: str
) -> None:
    test_key_client.send_sms_notification("07700 900123", SMS_TEMPLATE_ID, {"name": "A"}, "found")
    test_key_client.send_sms_notification("07700 900456", SMS_TEMPLATE_ID, {"name": "B"}, "other")

    page = requests.get(f"{sim.url}/_simulator/", params={"recipient": typed}, timeout=5)

    assert "found" in page.text and "other" not in page.text
    assert [n["reference"] for n in sim.inbox(recipient=typed)] == ["found"]
