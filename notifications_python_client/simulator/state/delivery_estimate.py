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

import holidays

UK_TIMEZONE = ZoneInfo("Europe/London")
PRINT_CUT_OFF_SHIFT = dt.timedelta(hours=6, minutes=30)
DELIVERY_TIME_LOCAL = dt.time(16, 0)

# Royal Mail's maximum days in transit after the day of printing, per postage.
MAX_TRANSIT_DAYS = {"first": 0, "second": 4, "economy": 6, "europe": 5, "rest-of-world": 7}

_FRIDAY, _SATURDAY = 4, 5


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
    """England & Wales bank holidays of ``year`` that are days off (weekdays).

    From the ``holidays`` package, which has the regular days with their substitutes and the
    one-off days proclaimed for single years (jubilees, coronations, royal weddings and
    funerals, VE Day moves), as Notify's own calendar from GOV.UK does.
    """
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in calendar if day.weekday() < _SATURDAY)
