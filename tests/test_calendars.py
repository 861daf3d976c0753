"""US federal holidays (observed) and business-day arithmetic."""

from __future__ import annotations

import datetime as _dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from careroles.calendars import add_business_days, is_business_day, us_federal_holidays
from careroles.errors import ValidationError

D = pendulum.date

days = st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2060, 12, 1)).map(
    lambda d: D(d.year, d.month, d.day)
)


def test_the_2026_holidays_include_the_friday_independence_day_is_observed_on() -> None:
    assert us_federal_holidays(2026) == frozenset(
        {
            D(2026, 1, 1),
            D(2026, 1, 19),
            D(2026, 2, 16),
            D(2026, 5, 25),
            D(2026, 6, 19),
            D(2026, 7, 3),  # observed: 4 July is a Saturday
            D(2026, 7, 4),
            D(2026, 9, 7),
            D(2026, 10, 12),
            D(2026, 11, 11),
            D(2026, 11, 26),
            D(2026, 12, 25),
        }
    )


def test_a_saturday_new_years_day_is_observed_on_the_last_day_of_the_year_before() -> None:
    assert D(2021, 12, 31) in us_federal_holidays(2021)
    assert not is_business_day(D(2021, 12, 31))
    assert D(2021, 12, 31) not in us_federal_holidays(2022)


def test_a_sunday_holiday_is_observed_on_the_monday_after() -> None:
    assert D(2022, 12, 26) in us_federal_holidays(2022)  # Christmas 2022 was a Sunday
    assert D(2023, 1, 2) in us_federal_holidays(2023)  # New Year's Day 2023 was a Sunday
    assert not is_business_day(D(2023, 1, 2))


def test_juneteenth_counts_from_2021_and_martin_luther_king_day_from_1986() -> None:
    assert D(2020, 6, 19) not in us_federal_holidays(2020)
    assert D(2021, 6, 18) in us_federal_holidays(2021)  # the 19th was a Saturday
    assert D(1985, 1, 21) not in us_federal_holidays(1985)
    assert D(1986, 1, 20) in us_federal_holidays(1986)


def test_veterans_day_was_the_fourth_monday_of_october_from_1971_to_1977() -> None:
    assert D(1975, 10, 27) in us_federal_holidays(1975)
    assert D(1975, 11, 11) not in us_federal_holidays(1975)
    assert D(1978, 11, 11) in us_federal_holidays(1978)


def test_monday_holidays_fall_on_the_right_mondays() -> None:
    holidays = us_federal_holidays(2025)
    assert {D(2025, 1, 20), D(2025, 2, 17), D(2025, 5, 26), D(2025, 9, 1), D(2025, 10, 13)} <= (
        holidays
    )
    assert D(2025, 11, 27) in holidays  # fourth Thursday of November


def test_weekends_and_holidays_are_not_business_days_and_other_weekdays_are() -> None:
    assert is_business_day(D(2026, 3, 9))
    assert not is_business_day(D(2026, 3, 7))
    assert not is_business_day(D(2026, 3, 8))
    assert not is_business_day(D(2025, 7, 4))
    assert is_business_day(_dt.date(2026, 3, 10))  # a stdlib date is accepted


def test_adding_business_days_skips_weekends_and_observed_holidays() -> None:
    assert add_business_days(D(2026, 7, 2), 2) == D(2026, 7, 7)  # Fri 3 July observed
    assert add_business_days(D(2026, 11, 25), 2) == D(2026, 11, 30)  # Thanksgiving
    assert add_business_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday to Monday
    assert add_business_days(D(2025, 12, 24), 1) == D(2025, 12, 26)
    assert add_business_days(D(2021, 12, 30), 1) == D(2022, 1, 3)  # across the year end


def test_negative_business_days_count_backwards_and_zero_is_the_same_day() -> None:
    assert add_business_days(D(2026, 7, 7), -2) == D(2026, 7, 2)
    assert add_business_days(D(2026, 3, 8), 0) == D(2026, 3, 8)


@pytest.mark.parametrize(
    "value", [pendulum.datetime(2026, 3, 9, tz="UTC"), "2026-03-09", 20260309, None]
)
def test_business_day_functions_refuse_anything_but_a_date(value: object) -> None:
    with pytest.raises(ValidationError):
        is_business_day(value)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        add_business_days(value, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [1.0, "2", None, True])
def test_add_business_days_refuses_a_count_that_is_not_an_integer(n: object) -> None:
    with pytest.raises(ValidationError):
        add_business_days(D(2026, 3, 9), n)  # type: ignore[arg-type]


@pytest.mark.parametrize("year", [1970, 1900, 10000, "2026", 2026.0, True])
def test_holidays_are_refused_for_unsupported_or_mistyped_years(year: object) -> None:
    with pytest.raises(ValidationError):
        us_federal_holidays(year)  # type: ignore[arg-type]


@given(day=days, n=st.integers(min_value=1, max_value=40))
def test_adding_n_business_days_lands_on_the_nth_business_day_after(
    day: pendulum.Date, n: int
) -> None:
    result = add_business_days(day, n)
    assert is_business_day(result)
    between = [day.add(days=i) for i in range(1, (result - day).days + 1)]
    assert sum(is_business_day(d) for d in between) == n
    assert add_business_days(result, -n) <= day


@given(year=st.integers(min_value=2021, max_value=2200))
def test_every_year_has_eleven_holidays_each_observed_on_a_weekday(year: int) -> None:
    holidays = us_federal_holidays(year)
    observed = {d for d in holidays if d.weekday() < 5}
    next_new_year = D(year + 1, 1, 1)
    moved_out = D(year, 1, 1).weekday() == 5  # observed on 31 Dec of the year before
    moved_in = next_new_year.weekday() == 5
    assert len(observed) == 11 - moved_out + moved_in
    assert all(not is_business_day(d) for d in observed)
