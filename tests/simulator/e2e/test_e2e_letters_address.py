"""POST /v2/notifications/letter: address rules and zones (behaviour: Postal addresses; Postage)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from e2e_support import (
    LETTER_TEMPLATE_ID,
    ClientFactory,
    derived_id,
    expect_schema_errors,
    service,
    with_default_services,
)

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

BAD_START_MESSAGE = (
    "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
)


INTERNATIONAL = service("International", permissions=["letter", "international_letters"])
# The service's letter template is "Dear ((address_line_1))": only the address is needed.
INTERNATIONAL_LETTER_ID = derived_id("International", "letter")


def _lines(*lines: object) -> dict[str, object]:
    return {f"address_line_{number}": line for number, line in enumerate(lines, start=1)}


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(INTERNATIONAL)


@pytest.fixture
def abroad(sim: NotifySimulator, clients: ClientFactory) -> Callable[[Mapping[str, object]], str]:
    """Send a letter from a service with ``international_letters``; returns its postage."""
    notify = clients("test", INTERNATIONAL["id"])

    def send(address: Mapping[str, object]) -> str:
        sent = notify.send_letter_notification(INTERNATIONAL_LETTER_ID, address)
        return str(notify.get_notification_by_id(sent["id"])["postage"])

    return send


@pytest.mark.parametrize(
    "address",
    [
        {
            "address_line_1": "A",
            "address_line_2": "1 Street",
            "address_line_3": "SW1A 1AA,",
            "postcode": "United Kingdom",
        },
        {"address_line_1": "A", "address_line_2": "1 Street", "address_line_7": "sw1a1aa"},
        {"address_line_1": "A\n1 Street", "postcode": "BA5 5AB"},
        {"address_line_1": "A", "address_line_2": "BFPO 1234", "address_line_3": "BF1 4AA"},
    ],
)
def test_accepted_uk_addresses(
    test_key_client: NotificationsAPIClient, address: dict[str, str]
) -> None:
    assert test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)["id"]


@pytest.mark.parametrize(
    ("country", "postage"),
    [("Deutschland", "europe"), ("USA", "rest-of-world"), ("France", "europe")],
)
def test_international_letters_get_zone_postage(
    abroad: Callable[[Mapping[str, object]], str], country: str, postage: str
) -> None:
    assert abroad(_lines("A", "1 Rue", country)) == postage


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ({"address_line_1": ""}, "Address must be at least 3 lines"),
        ({"address_line_1": "A", "postcode": "SW1A 1AA"}, "Address must be at least 3 lines"),
        (
            {
                "address_line_1": "A Person",
                "address_line_2": "1 Street",
                "address_line_3": "Jersey",
            },
            "Address must be at least 3 lines",
        ),
        (
            {"address line 1": "A", "address line 2": "B", "postcode": "SW1A 1AA"},
            "Address must be at least 3 lines",
        ),
        (
            {
                **{f"address_line_{n}": f"Line {n}" for n in range(1, 7)},
                "postcode": "SW1A 1AA\nExtra",
            },
            "Address must be no more than 7 lines",
        ),
        (
            {"address_line_1": "...", "address_line_2": "1 Street", "postcode": "SW1A 1AA"},
            "The first 2 lines of the address must both include at least one alphanumeric "
            "character",
        ),
        (
            {"address_line_1": "A", "address_line_2": "1 Street", "postcode": "N1"},
            "Must be a real UK postcode",
        ),
        (
            {"address_line_1": "A", "address_line_2": "1 Rue", "postcode": "France"},
            "Must be a real UK postcode",
        ),
        (
            {
                "address_line_1": "A",
                "address_line_2": "1 Street",
                "address_line_3": "@home",
                "postcode": "SW1A 1AA",
            },
            BAD_START_MESSAGE,
        ),
        (
            {"address_line_1": "A", "address_line_2": "NFA", "postcode": "SW1A 1AA"},
            "Must be a real address",
        ),
        (
            {
                "address_line_1": "A",
                "address_line_2": "No Fixed Abode here",
                "postcode": "SW1A 1AA",
            },
            "Must be a real address",
        ),
    ],
)
def test_address_rules(
    test_key_client: NotificationsAPIClient, address: dict[str, str], message: str
) -> None:
    expect_schema_errors(
        lambda: test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address),
        message,
    )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (
            {"address_line_1": "A", "address_line_2": "1 Street", "postcode": "Atlantis"},
            "Last line of address must be a real UK postcode or another country",
        ),
        (
            {"address_line_1": "A", "address_line_2": "BFPO 1234", "address_line_3": "France"},
            "The last line of a BFPO address must not be a country.",
        ),
    ],
)
def test_address_rules_with_international_letters(
    abroad: Callable[[Mapping[str, object]], str], address: dict[str, str], message: str
) -> None:
    expect_schema_errors(
        lambda: abroad(address),
        message,
    )


@pytest.mark.parametrize(
    "uk",
    ["UK", "U.K.", "GB", "Great Britain", "England", "Wales", "Cymru", "Scotland",
     "Northern Ireland", "Isle of Man", "Channel Islands", "Alderney", "Sark", "Jersey",
     "united kingdom"],
)  # fmt: skip
def test_trailing_uk_names_are_dropped(test_key_client: NotificationsAPIClient, uk: str) -> None:
    address = _lines("A", "1 Street", "SW1A 1AA", uk)

    sent = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)

    assert test_key_client.get_notification_by_id(sent["id"])["postage"] == "second"


@pytest.mark.parametrize(
    ("country", "postage"),
    [
        ("the netherlands", "europe"),
        ("NETHER-LANDS", "europe"),
        ("Holland", "europe"),
        ("Bosnia + Herzegovina", "europe"),
        ("bosnia & herzegovina", "europe"),
        ("Canary Islands", "europe"),
        ("Republic of Ireland", "europe"),
        ("Côte d’Ivoire", "rest-of-world"),
        ("cote divoire", "rest-of-world"),
        ("Gambia", "rest-of-world"),
        ("U.S.A.", "rest-of-world"),
        ("Australia", "rest-of-world"),
    ],
)
def test_country_names_are_matched_loosely(
    abroad: Callable[[Mapping[str, object]], str], country: str, postage: str
) -> None:
    assert abroad(_lines("A", "1 Street", country)) == postage


def test_a_line_with_a_digit_is_never_a_country(
    abroad: Callable[[Mapping[str, object]], str],
) -> None:
    expect_schema_errors(
        lambda: abroad(_lines("A", "1 Rue", "France 1")),
        "Last line of address must be a real UK postcode or another country",
    )


@pytest.mark.parametrize("start", list('@()=[]"\\/,<>~'))
def test_lines_must_not_start_with_these_characters(
    test_key_client: NotificationsAPIClient, start: str
) -> None:
    address = _lines("A", "1 Street", f"{start}Town", "SW1A 1AA")

    expect_schema_errors(
        lambda: test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address),
        BAD_START_MESSAGE,
    )


@pytest.mark.parametrize("start", ["'", "-", "#", "."])
def test_other_first_characters_are_fine(
    test_key_client: NotificationsAPIClient, start: str
) -> None:
    address = _lines("A", "1 Street", f"{start}Town", "SW1A 1AA")

    assert test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)["id"]


def test_seven_lines_and_a_uk_line_fit_and_values_are_shown_as_text(
    test_key_client: NotificationsAPIClient,
) -> None:
    address = {
        **_lines("A", 5, "L3", "L4", "L5", "L6"),
        "address_line_7": "SW1A 1AA",
        "postcode": "UK",
    }

    sent = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, address)

    shown = test_key_client.get_notification_by_id(sent["id"])
    assert (shown["line_2"], shown["line_6"], shown["postcode"]) == ("5", "L6", "UK")
