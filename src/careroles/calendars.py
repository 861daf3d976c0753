"""US federal holidays and business-day arithmetic.

A *business day* is a weekday (Monday to Friday) that is not a US federal holiday as observed
by federal employees.  Holidays are the eleven of 5 U.S.C. 6103(a) (Juneteenth from 2021); the
observed-date rule is that of 5 U.S.C. 6103(b) and Executive Order 11582: a holiday that falls on
a Saturday is observed on the Friday before, one that falls on a Sunday on the Monday after.
A New Year's Day falling on a Saturday is therefore observed on 31 December of the year before
(as in 2021-12-31 for 2022-01-01).

Sources: https://www.law.cornell.edu/uscode/text/5/6103 ;
https://www.opm.gov/policy-data-oversight/pay-leave/federal-holidays/ .

Supported years: 1971 (the Uniform Monday Holiday Act) onward; Veterans Day was the fourth
Monday of October from 1971 to 1977, Martin Luther King Jr. Day is counted from 1986.
Inauguration Day (a holiday only in the Washington, D.C. area) is not counted.
"""

from __future__ import annotations

import datetime as _dt
import functools
from typing import Final

import pendulum

from careroles.errors import ValidationError

__all__ = [
    "FIRST_SUPPORTED_YEAR",
    "add_business_days",
    "is_business_day",
    "us_federal_holidays",
]

#: The first year :func:`us_federal_holidays` knows the rules of.
FIRST_SUPPORTED_YEAR: Final = 1971
_LAST_SUPPORTED_YEAR: Final = 9998

_MON, _THU, _SAT, _SUN = 0, 3, 5, 6


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> _dt.date:
    """The `n`-th `weekday` (0 = Monday) of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = _dt.date(year, month, 1)
        return first + _dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = _dt.date(year + month // 12, month % 12 + 1, 1) - _dt.timedelta(days=1)
    return last - _dt.timedelta(days=(last.weekday() - weekday) % 7)


def _actual_holidays(year: int) -> list[_dt.date]:
    """The holidays of `year` on their legal dates (before moving weekend ones)."""
    days = [
        _dt.date(year, 1, 1),  # New Year's Day
        _dt.date(year, 7, 4),  # Independence Day
        _dt.date(year, 12, 25),  # Christmas Day
        _nth_weekday(year, 2, _MON, 3),  # Washington's Birthday
        _nth_weekday(year, 5, _MON, -1),  # Memorial Day
        _nth_weekday(year, 9, _MON, 1),  # Labor Day
        _nth_weekday(year, 10, _MON, 2),  # Columbus Day
        _nth_weekday(year, 11, _THU, 4),  # Thanksgiving Day
    ]
    if year >= 1986:
        days.append(_nth_weekday(year, 1, _MON, 3))  # Birthday of Martin Luther King, Jr.
    if year >= 2021:
        days.append(_dt.date(year, 6, 19))  # Juneteenth National Independence Day
    if 1971 <= year <= 1977:
        days.append(_nth_weekday(year, 10, _MON, 4))  # Veterans Day (1971-1977)
    else:
        days.append(_dt.date(year, 11, 11))  # Veterans Day
    return days


def _observed(day: _dt.date) -> _dt.date:
    if day.weekday() == _SAT:
        return day - _dt.timedelta(days=1)
    if day.weekday() == _SUN:
        return day + _dt.timedelta(days=1)
    return day


def _check_year(year: object) -> int:
    if type(year) is not int:
        raise ValidationError.single(
            ("year",), f"expected an integer, got {type(year).__name__}", "type"
        )
    if not FIRST_SUPPORTED_YEAR <= year <= _LAST_SUPPORTED_YEAR:
        raise ValidationError.single(
            ("year",), f"holiday rules are known from {FIRST_SUPPORTED_YEAR} on", "range"
        )
    return year


@functools.lru_cache(maxsize=256)
def _holidays(year: int) -> frozenset[pendulum.Date]:
    out: set[_dt.date] = set()
    # A year's days off include observed dates moved in from the neighbouring years
    # (New Year's Day of year + 1 observed on 31 December).
    for y in (year - 1, year, year + 1):
        if y < FIRST_SUPPORTED_YEAR:
            continue
        for day in _actual_holidays(y):
            for d in (day, _observed(day)):
                if d.year == year and (y == year or d != day):
                    out.add(d)
    return frozenset(pendulum.Date(d.year, d.month, d.day) for d in out)


def us_federal_holidays(year: int) -> frozenset[pendulum.Date]:
    """The US federal holidays falling in `year`: legal dates and observed dates.

    Both are included, so a holiday on a Saturday appears twice (the Saturday, and the Friday
    it is observed on); the observed date of the next year's New Year's Day is included when
    it falls on 31 December of `year`.
    """
    return _holidays(_check_year(year))


def _as_date(value: object, field: str = "date") -> pendulum.Date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError.single(
            (field,), f"expected a date, got {type(value).__name__}", "type"
        )
    return pendulum.Date(value.year, value.month, value.day)


def is_business_day(date: _dt.date) -> bool:
    """Whether `date` is a weekday that is not a US federal holiday (observed)."""
    day = _as_date(date)
    return day.weekday() < _SAT and day not in _holidays(_check_year(day.year))


def add_business_days(date: _dt.date, n: int) -> pendulum.Date:
    """The `n`-th business day after `date` (before it, when `n` is negative).

    `date` itself is not counted: a discharge on Thursday 2026-07-02 plus two business days is
    Tuesday 2026-07-07 (Friday 3 July is the observed Independence Day).  ``n = 0`` returns
    `date` unchanged, business day or not.
    """
    day = _as_date(date)
    if type(n) is not int:
        raise ValidationError.single(
            ("n",), f"expected an integer, got {type(n).__name__}", "type"
        )
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day = day.add(days=step)
        if is_business_day(day):
            remaining -= 1
    return day
