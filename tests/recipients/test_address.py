"""Letter-address validation (behaviour: Postal addresses; Postage)."""

from __future__ import annotations

import pytest

from notifications_python_client.recipients.address import (
    EUROPEAN_COUNTRIES,
    AddressError,
    PostalAddress,
    format_postcode,
    is_uk_postcode,
    normalise_country,
    validate_postal_address,
)
from notifications_python_client.recipients.countries import COUNTRY_NAMES

TOO_FEW = "Address must be at least 3 lines"
TOO_MANY = "Address must be no more than 7 lines"
NOT_ALPHANUMERIC = (
    "The first 2 lines of the address must both include at least one alphanumeric character"
)
BFPO_COUNTRY = "The last line of a BFPO address must not be a country."
POSTCODE_OR_COUNTRY = "Last line of address must be a real UK postcode or another country"
POSTCODE = "Must be a real UK postcode"
BAD_FIRST_CHARACTER = (
    "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
)
NOT_REAL = "Must be a real address"


def lines_as_personalisation(*lines: object) -> dict[str, object]:
    """``address_line_1`` onwards, one key per value given."""
    return {f"address_line_{number}": line for number, line in enumerate(lines, start=1)}


def validate(*lines: object, allow_international: bool = False) -> PostalAddress:
    return validate_postal_address(
        lines_as_personalisation(*lines), allow_international=allow_international
    )


def refusal(*lines: object, allow_international: bool = False) -> str:
    with pytest.raises(AddressError) as caught:
        validate(*lines, allow_international=allow_international)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == caught.value.message
    return caught.value.message


def test_a_uk_address_is_returned_with_its_postcode_formatted() -> None:
    assert validate("A Person", "1 Street", "Town", "sw1a1aa") == PostalAddress(
        lines=("A Person", "1 Street", "Town", "SW1A 1AA"),
        international=False,
        country=None,
        postage_zone=None,
        is_bfpo=False,
    )


def test_lines_are_tidied_and_empty_ones_dropped() -> None:
    address = validate("  A   Person, ,", None, "", "1 Street,\n\n Town ,", "   ", "SW1A 1AA")
    assert address.lines == ("A Person", "1 Street", "Town", "SW1A 1AA")


def test_values_are_turned_into_text() -> None:
    assert validate("A Person", 10, "Downing Street", "SW1A 2AA").lines[1] == "10"


def test_only_exactly_spelt_keys_count() -> None:
    personalisation = {
        "address line 1": "Ignored",
        "Address_Line_2": "Ignored",
        "address_line_1": "A Person",
        "address_line_3": "1 Street",
        "address_line_6": "SW1A 1AA",
    }
    address = validate_postal_address(personalisation, allow_international=False)
    assert address.lines == ("A Person", "1 Street", "SW1A 1AA")


def test_keys_after_line_7_are_not_read() -> None:
    address = validate("A Person", "1 Street", "3", "4", "5", "6", "SW1A 1AA", "Ignored")
    assert address.lines[-1] == "SW1A 1AA"


def test_postcode_stands_in_for_a_missing_line_7() -> None:
    personalisation = {"address_line_1": "A Person", "address_line_2": "1 Street"}
    address = validate_postal_address(
        {**personalisation, "postcode": "BA5 5AB"}, allow_international=False
    )
    assert address.lines[-1] == "BA5 5AB"
    both = {**personalisation, "address_line_7": "SW1A 1AA", "postcode": "BA5 5AB"}
    assert validate_postal_address(both, allow_international=False).lines == (
        "A Person",
        "1 Street",
        "SW1A 1AA",
    )


@pytest.mark.parametrize(
    "uk_name",
    [
        "United Kingdom",
        "UK",
        "U.K.",
        "GB",
        "Great Britain",
        "England",
        "Wales",
        "Cymru",
        "Scotland",
        "Northern Ireland",
        "Jersey",
        "Guernsey",
        "Alderney",
        "Sark",
        "Isle of Man",
        "Channel Islands",
        "united kingdom,",
    ],
)
def test_trailing_uk_names_are_dropped(uk_name: str) -> None:
    address = validate("A Person", "1 Street", "SW1A 1AA", uk_name, allow_international=True)
    assert address.lines == ("A Person", "1 Street", "SW1A 1AA")
    assert not address.international


def test_several_trailing_uk_names_are_dropped() -> None:
    address = validate("A Person", "1 Street", "St Helier", "JE2 3AB", "Jersey", "Channel Islands")
    assert address.lines == ("A Person", "1 Street", "St Helier", "JE2 3AB")


def test_a_uk_name_can_leave_too_few_lines() -> None:
    assert refusal("A Person", "1 Street", "Jersey") == TOO_FEW


@pytest.mark.parametrize(
    "lines", [(), ("A Person",), ("A Person", "SW1A 1AA"), ("A Person", "", None, "SW1A 1AA")]
)
def test_fewer_than_three_lines(lines: tuple[object, ...]) -> None:
    assert refusal(*lines) == TOO_FEW


def test_seven_lines_is_the_most() -> None:
    assert len(validate("1", "2", "3", "4", "5", "6", "SW1A 1AA").lines) == 7
    assert refusal("1", "2", "3", "4", "5", "6\n6b", "SW1A 1AA") == TOO_MANY


@pytest.mark.parametrize(("first", "second"), [("--", "1 Street"), ("A Person", "...")])
def test_first_two_lines_need_an_alphanumeric_character(first: str, second: str) -> None:
    assert refusal(first, second, "Town", "SW1A 1AA") == NOT_ALPHANUMERIC


def test_a_later_line_needs_no_alphanumeric_character() -> None:
    assert validate("A Person", "1 Street", "--", "SW1A 1AA").lines[2] == "--"


@pytest.mark.parametrize(
    "lines",
    [
        ("Pte A Person", "1 Unit", "BFPO 123"),
        ("Pte A Person", "1 Unit", "BFPO 123", "BF1 4AA"),
        ("Pte A Person", "1 Unit", "bfpo c/o 801", "BF1 4AA"),
        ("Pte A Person", "1 Unit", "BFPO 123", "United Kingdom"),
    ],
)
def test_bfpo_addresses(lines: tuple[str, ...]) -> None:
    address = validate(*lines)
    assert address.is_bfpo
    assert not address.international


@pytest.mark.parametrize("allow_international", [True, False])
def test_a_bfpo_address_must_not_end_with_a_country(allow_international: bool) -> None:
    lines = ("Pte A Person", "1 Unit", "BFPO 123", "France")
    assert refusal(*lines, allow_international=allow_international) == BFPO_COUNTRY


@pytest.mark.parametrize("last_line", ["N1", "Town", "SW1A 1AC", "12345"])
def test_last_line_must_be_a_postcode(last_line: str) -> None:
    assert refusal("A Person", "1 Street", last_line) == POSTCODE
    assert refusal("A Person", "1 Street", last_line, allow_international=True) == (
        POSTCODE_OR_COUNTRY
    )


def test_a_country_needs_the_international_letters_permission() -> None:
    assert refusal("A Person", "1 Rue", "Paris", "France") == POSTCODE
    address = validate("A Person", "1 Rue", "Paris", "France", allow_international=True)
    assert address == PostalAddress(
        lines=("A Person", "1 Rue", "Paris", "France"),
        international=True,
        country="France",
        postage_zone="europe",
        is_bfpo=False,
    )


@pytest.mark.parametrize(
    ("last_line", "country", "zone"),
    [
        ("USA", "United States", "rest-of-world"),
        ("deutschland", "Germany", "europe"),
        ("Holland", "Netherlands", "europe"),
        ("the netherlands", "Netherlands", "europe"),
        ("Gambia", "The Gambia", "rest-of-world"),
        ("CANADA", "Canada", "rest-of-world"),
        ("Bosnia & Herzegovina", "Bosnia and Herzegovina", "europe"),
        ("Côte d’Ivoire", "Ivory Coast", "rest-of-world"),
        ("Azores", "Azores", "europe"),
        ("Vatican City", "Vatican City", "europe"),
        ("Kazakhstan", "Kazakhstan", "europe"),
        ("Australia", "Australia", "rest-of-world"),
    ],
)
def test_international_address_zone(last_line: str, country: str, zone: str) -> None:
    address = validate("A Person", "1 Road", "City", last_line, allow_international=True)
    assert (address.country, address.postage_zone, address.lines[-1]) == (country, zone, country)


@pytest.mark.parametrize("character", list('@()=[]"\\/,<>~'))
def test_lines_must_not_start_with_certain_characters(character: str) -> None:
    assert refusal("A Person", f"{character}1 Street", "SW1A 1AA") == BAD_FIRST_CHARACTER
    assert refusal("A Person", "1 Street", f"  {character}Town", "SW1A 1AA") == (
        BAD_FIRST_CHARACTER
    )


def test_those_characters_are_fine_inside_a_line() -> None:
    assert validate("A Person (Dr)", "1 Street", "SW1A 1AA").lines[0] == "A Person (Dr)"


@pytest.mark.parametrize(
    "lines",
    [
        ("A Person", "NFA", "SW1A 1AA"),
        ("A Person", "nfa", "SW1A 1AA"),
        ("A Person", "No Fixed Abode", "SW1A 1AA"),
        ("A Person", "Of no fixed address", "SW1A 1AA"),
    ],
)
def test_no_fixed_abode_is_not_an_address(lines: tuple[str, ...]) -> None:
    assert refusal(*lines) == NOT_REAL


def test_nfa_inside_a_word_is_fine() -> None:
    assert validate("A Person", "NFA House", "SW1A 1AA").lines[1] == "NFA House"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (("@A Person", "NFA"), TOO_FEW),
        (("@1", "2", "3", "4", "5", "6\n6b", "nonsense"), TOO_MANY),
        (("--", "(1 Street", "nonsense"), NOT_ALPHANUMERIC),
        (("(Pte A Person", "1 Unit", "BFPO 123", "France"), BFPO_COUNTRY),
        (("(A Person", "1 Street", "nonsense"), POSTCODE),
        (("NFA", "(1 Street", "SW1A 1AA"), BAD_FIRST_CHARACTER),
    ],
)
def test_the_first_failing_rule_wins(lines: tuple[str, ...], message: str) -> None:
    assert refusal(*lines) == message


@pytest.mark.parametrize(
    "postcode",
    [
        "SW1A 1AA",
        "sw1a1aa",
        " s w 1 a\t1aa ",
        "BA5 5AB",
        "E1 6AN",
        "EC1A 1BB",
        "W1A 0AX",
        "M1 1AE",
        "B33 8TH",
        "DN55 1PT",
        "BF1 4AA",
        "JE2 3AB",
    ],
)
def test_real_uk_postcodes(postcode: str) -> None:
    assert is_uk_postcode(postcode)


@pytest.mark.parametrize(
    "postcode",
    ["N1", "", "SW1A", "SW1A 1AAA", "QQ1 1AA", "SW1A 1AC", "SW1A 1IA", "SW1A 1AV", "GIR 0AA"],
)
def test_not_uk_postcodes(postcode: str) -> None:
    assert not is_uk_postcode(postcode)


@pytest.mark.parametrize(
    ("text", "formatted"), [("sw1a1aa", "SW1A 1AA"), ("e1  6an", "E1 6AN"), ("BA55AB", "BA5 5AB")]
)
def test_format_postcode(text: str, formatted: str) -> None:
    assert format_postcode(text) == formatted


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("France", "France"),
        ("  fRaNcE ", "France"),
        ("F-r_a.n,c(e)", "France"),
        ("USA", "United States"),
        ("U.S.A.", "United States"),
        ("United States of America", "United States"),
        ("Deutschland", "Germany"),
        ("Holland", "Netherlands"),
        ("The Netherlands", "Netherlands"),
        ("Bahamas", "The Bahamas"),
        ("Trinidad + Tobago", "Trinidad and Tobago"),
        ("St Pierre and Miquelon", "St Pierre & Miquelon"),
        ("Curacao", "Curaçao"),
        ("Réunion", "Réunion"),
        ("Türkiye", "Turkey"),
        ("Czech Republic", "Czechia"),
        ("Burma", "Myanmar (Burma)"),
        ("Ffrainc", "France"),
        ("Jersey", "United Kingdom"),
        ("Cymru", "United Kingdom"),
    ],
)
def test_countries_are_matched_loosely(text: str, country: str) -> None:
    assert normalise_country(text) == country


@pytest.mark.parametrize("text", ["Atlantis", "", "France 2", "1 France", "Paris"])
def test_text_that_is_not_a_country(text: str) -> None:
    assert normalise_country(text) is None


def test_every_european_country_is_a_known_country() -> None:
    assert len(EUROPEAN_COUNTRIES) == 62
    for country in EUROPEAN_COUNTRIES:
        assert normalise_country(country) == country


def test_the_country_list_covers_every_sovereign_state() -> None:
    states = ["Afghanistan", "Brazil", "China", "Eswatini", "Kiribati", "South Sudan", "Tuvalu"]
    assert all(normalise_country(state) == state for state in states)
    # 193 UN members, less the UK, plus Kosovo, Vatican City and a few dozen territories.
    assert len(COUNTRY_NAMES - {"United Kingdom"}) >= 250
