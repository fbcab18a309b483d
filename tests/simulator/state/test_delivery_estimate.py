"""The letter delivery estimate and the bank-holiday calendar behind it.

Behaviour: Letter delivery estimate.
"""

from __future__ import annotations

import datetime as dt

import pytest

from notifications_python_client.simulator.state.delivery_estimate import (
    bank_holidays,
    estimated_delivery,
    is_bank_holiday,
)

UTC = dt.timezone.utc


def utc(
    year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("created_at", "postage", "expected"),
    [
        # The four examples (behaviour: Letter delivery estimate).
        (utc(2000, 6, 1, 12, 0), "second", "2000-06-09T15:00:00.000000Z"),
        (utc(2000, 12, 1, 12, 0), "first", "2000-12-05T16:00:00.000000Z"),
        (utc(2000, 6, 1, 12, 0), "economy", "2000-06-13T15:00:00.000000Z"),
        (utc(2000, 12, 1, 12, 0), "economy", "2000-12-13T16:00:00.000000Z"),
    ],
)
def test_the_documented_examples(created_at: dt.datetime, postage: str, expected: str) -> None:
    estimate = estimated_delivery(created_at, postage)
    assert estimate.strftime("%Y-%m-%dT%H:%M:%S.%fZ") == expected
    assert estimate.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("created_at", "postage", "expected"),
    [
        # Summer: 17:29:59 BST still prints the next day, 17:30 BST waits a day more.
        (utc(2000, 6, 1, 16, 29, 59), "second", utc(2000, 6, 9, 15)),
        (utc(2000, 6, 1, 16, 30), "second", utc(2000, 6, 12, 15)),
        # Winter (GMT), first class: printed Friday, delivered on the Saturday.
        (utc(2000, 11, 30, 17, 29, 59), "first", utc(2000, 12, 2, 16)),
        (utc(2000, 11, 30, 17, 30), "first", utc(2000, 12, 5, 16)),
    ],
)
def test_letters_created_after_half_past_five_print_a_day_later(
    created_at: dt.datetime, postage: str, expected: dt.datetime
) -> None:
    assert estimated_delivery(created_at, postage) == expected


def test_second_class_is_not_delivered_on_saturday() -> None:
    # Printed Friday 1 December 2000: Saturday does not count for second class.
    assert estimated_delivery(utc(2000, 11, 30, 12), "second") == utc(2000, 12, 8, 16)


@pytest.mark.parametrize(
    ("postage", "expected"),
    [
        ("first", utc(2000, 6, 3, 15)),
        ("second", utc(2000, 6, 9, 15)),
        ("economy", utc(2000, 6, 13, 15)),
        ("europe", utc(2000, 6, 12, 15)),
        ("rest-of-world", utc(2000, 6, 14, 15)),
    ],
)
def test_transit_days_per_postage(postage: str, expected: dt.datetime) -> None:
    assert estimated_delivery(utc(2000, 6, 1, 12), postage) == expected


def test_easter_bank_holidays_delay_printing_and_delivery() -> None:
    # Thu 28 March 2024: Good Friday and Easter Monday pass, printed Tue 2 April (now in BST).
    assert estimated_delivery(utc(2024, 3, 28, 12), "second") == utc(2024, 4, 9, 15)


def test_christmas_and_new_year_substitute_days_are_skipped() -> None:
    # Printed Fri 24 Dec 2021; 27 and 28 Dec and 3 Jan 2022 are substitute bank holidays.
    assert estimated_delivery(utc(2021, 12, 23, 10), "second") == utc(2022, 1, 5, 16)


def test_first_class_skips_good_friday_but_delivers_on_saturday() -> None:
    # Printed Thu 28 March 2024; Good Friday is skipped, Saturday 30 March is a delivery day.
    assert estimated_delivery(utc(2024, 3, 27, 12), "first") == utc(2024, 3, 30, 16)


def test_bank_holiday_monday_delays_printing() -> None:
    # Created Fri 22 May 2026; Mon 25 May is the spring bank holiday, so printed Tue 26 May.
    assert estimated_delivery(utc(2026, 5, 22, 9), "first") == utc(2026, 5, 27, 15)


def test_any_timezone_is_accepted_and_the_result_is_utc() -> None:
    created = dt.datetime(2000, 6, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    estimate = estimated_delivery(created, "second")
    assert estimate == utc(2000, 6, 9, 15)
    assert estimate.tzinfo is UTC


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        estimated_delivery(dt.datetime(2000, 6, 1, 12), "second")


def test_unknown_postage_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown postage"):
        estimated_delivery(utc(2000, 6, 1, 12), "third")


def dates(year: int, *month_days: tuple[int, int]) -> frozenset[dt.date]:
    return frozenset(dt.date(year, month, day) for month, day in month_days)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Christmas on Saturday, New Year on Friday.
        (2010, dates(2010, (1, 1), (4, 2), (4, 5), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28))),
        # Christmas on Sunday.
        (2016, dates(2016, (1, 1), (3, 25), (3, 28), (5, 2), (5, 30), (8, 29), (12, 26), (12, 27))),
        # New Year on Sunday.
        (2017, dates(2017, (1, 2), (4, 14), (4, 17), (5, 1), (5, 29), (8, 28), (12, 25), (12, 26))),
        # Christmas on Saturday, New Year on Friday again.
        (2021, dates(2021, (1, 1), (4, 2), (4, 5), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28))),
        (2024, dates(2024, (1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26))),
        (2025, dates(2025, (1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26))),
    ],
)
def test_bank_holidays(year: int, expected: frozenset[dt.date]) -> None:
    assert bank_holidays(year) == expected


@pytest.mark.parametrize(
    ("day", "occasion"),
    [
        (dt.date(2011, 4, 29), "royal wedding"),
        (dt.date(2012, 6, 5), "diamond jubilee"),
        (dt.date(2020, 5, 8), "VE Day, early May bank holiday moved"),
        (dt.date(2022, 6, 3), "platinum jubilee"),
        (dt.date(2022, 9, 19), "state funeral"),
        (dt.date(2023, 5, 8), "coronation"),
    ],
)
def test_one_off_bank_holidays_are_known(day: dt.date, occasion: str) -> None:
    assert day in bank_holidays(day.year), occasion


def test_a_moved_bank_holiday_is_no_longer_on_its_usual_day() -> None:
    assert dt.date(2020, 5, 4) not in bank_holidays(2020)
    assert dt.date(2022, 5, 30) not in bank_holidays(2022)


def test_new_year_on_saturday_moves_to_monday() -> None:
    assert dt.date(2033, 1, 3) in bank_holidays(2033)
    assert dt.date(2033, 1, 1) not in bank_holidays(2033)


def test_is_bank_holiday() -> None:
    assert is_bank_holiday(dt.date(2025, 8, 25))
    assert not is_bank_holiday(dt.date(2025, 8, 26))
