"""When a letter should arrive at the latest: Notify's printing and Royal Mail calendar.

The rules (behaviour: Letter delivery estimate): take
``created_at`` in UK local time plus 6 h 30 min; the letter is
printed on the first printer working day strictly after that date; it arrives by the (1 + T)-th
Royal Mail working day after printing, where T is the postage's maximum days in transit. The
estimate is 16:00 UK local time on that day. Working days skip England & Wales bank holidays.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

UK_TIMEZONE = ZoneInfo("Europe/London")
PRINT_CUT_OFF_SHIFT = dt.timedelta(hours=6, minutes=30)
DELIVERY_TIME_LOCAL = dt.time(16, 0)

# Royal Mail's maximum days in transit after the day of printing, per postage.
MAX_TRANSIT_DAYS = {"first": 0, "second": 4, "economy": 6, "europe": 5, "rest-of-world": 7}

_MONDAY, _FRIDAY, _SATURDAY, _SUNDAY = 0, 4, 5, 6


def estimated_delivery(created_at: dt.datetime, postage: str) -> dt.datetime:
    """The latest expected delivery of a letter created at ``created_at``, as aware UTC.

    Raises ``ValueError`` for a naive ``created_at`` or a postage Notify does not know.
    """
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise ValueError("created_at must be timezone-aware")
    if postage not in MAX_TRANSIT_DAYS:
        raise ValueError(f"unknown postage: {postage!r}")
    # Wall-clock arithmetic in UK time: a letter created after 17:30 moves to the next day.
    shifted = created_at.astimezone(UK_TIMEZONE).replace(tzinfo=None) + PRINT_CUT_OFF_SHIFT
    print_day = _next_working_day(shifted.date(), saturday_counts=False)
    delivery_day = print_day
    for _ in range(1 + MAX_TRANSIT_DAYS[postage]):
        delivery_day = _next_working_day(delivery_day, saturday_counts=postage == "first")
    local = dt.datetime.combine(delivery_day, DELIVERY_TIME_LOCAL, tzinfo=UK_TIMEZONE)
    return local.astimezone(dt.timezone.utc)


def _next_working_day(day: dt.date, *, saturday_counts: bool) -> dt.date:
    """The first working day strictly after ``day`` (Mon-Fri, or Mon-Sat, minus bank holidays)."""
    last_working_weekday = _SATURDAY if saturday_counts else _FRIDAY
    candidate = day + dt.timedelta(days=1)
    while candidate.weekday() > last_working_weekday or is_bank_holiday(candidate):
        candidate += dt.timedelta(days=1)
    return candidate


def is_bank_holiday(day: dt.date) -> bool:
    """Whether ``day`` is a bank holiday in England and Wales."""
    return day in bank_holidays(day.year)


@functools.lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England & Wales bank holidays of ``year``, computed from the regular rules.

    Covers New Year's Day, Good Friday, Easter Monday, the early May, spring and summer bank
    holidays, Christmas Day and Boxing Day, with substitute days when these fall at a weekend.
    One-off changes proclaimed for single years (extra days for jubilees, coronations, royal
    weddings or funerals and the millennium; early May moved for VE Day anniversaries; spring
    bank holiday moved for jubilees) are ignored, so those years can differ by a day.
    """
    easter = easter_sunday(year)
    holidays = {
        _substitute_for_weekend(dt.date(year, 1, 1)),
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    holidays.update(_christmas_holidays(year))
    return frozenset(holidays)


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_remainder = divmod(century, 4)
    moon_correction = (century + 8) // 25
    solar_correction = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - solar_correction + 15) % 30
    leap_years, year_remainder = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_remainder + 2 * leap_years - epact - year_remainder) % 7
    march_offset = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * march_offset + 114, 31)
    return dt.date(year, month, day + 1)


def _substitute_for_weekend(day: dt.date) -> dt.date:
    """The day itself, or the following Monday when it falls on a Saturday or Sunday."""
    if day.weekday() >= _SATURDAY:
        return day + dt.timedelta(days=7 - day.weekday())
    return day


def _christmas_holidays(year: int) -> set[dt.date]:
    """Christmas Day and Boxing Day, each moved to the next free weekday if at a weekend."""
    taken: set[dt.date] = set()
    for day in (dt.date(year, 12, 25), dt.date(year, 12, 26)):
        while day.weekday() >= _SATURDAY or day in taken:
            day += dt.timedelta(days=1)
        taken.add(day)
    return taken


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(_MONDAY - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    next_month_first = dt.date(year + month // 12, month % 12 + 1, 1)
    last = next_month_first - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - _MONDAY) % 7)
