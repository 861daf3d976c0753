"""Periods: half-open spans of aware instants that end after they start."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles import Period, ValidationError
from careroles.periods import earlier, is_time_zone, require_aware
from careroles.strategies import datetimes, periods

T0 = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")


def test_a_period_contains_its_start_but_not_its_end() -> None:
    period = Period(start=T0, end=T0.add(hours=1))
    assert period.contains(T0)
    assert period.contains(T0.add(minutes=59))
    assert not period.contains(T0.add(hours=1))
    assert not period.contains(T0.subtract(seconds=1))


def test_an_open_ended_period_contains_everything_after_its_start() -> None:
    period = Period(start=T0)
    assert period.end is None
    assert period.contains(T0.add(years=30))
    assert not period.contains(T0.subtract(microseconds=1))


def test_containment_compares_instants_across_zones() -> None:
    period = Period(start=T0, end=T0.add(hours=1))
    assert period.contains(pendulum.datetime(2026, 3, 9, 13, 30, tz="UTC"))
    assert not period.contains(pendulum.datetime(2026, 3, 9, 15, tz="Europe/Paris"))


def test_a_period_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError) as info:
        Period(start=T0, end=T0)
    assert info.value.messages == ["a period must end after it starts @ $.end"]
    with pytest.raises(ValidationError) as info:
        Period(start=T0, end=T0.subtract(minutes=1))
    assert info.value.problems[0].code == "period_inverted"


def test_an_inverted_period_is_refused_when_loaded() -> None:
    text = (
        '{"start": "2026-03-09T09:00:00-04:00[America/New_York]", "end": "2026-03-09T12:00:00Z"}'
    )
    with pytest.raises(ValidationError) as info:
        careroles.loads(text, Period)
    assert info.value.messages == ["a period must end after it starts @ $.end"]


def test_overlap_is_half_open() -> None:
    a = Period(start=T0, end=T0.add(hours=1))
    b = Period(start=T0.add(hours=1), end=T0.add(hours=2))
    c = Period(start=T0.add(minutes=30))
    assert not a.overlaps(b)
    assert not b.overlaps(a)
    assert a.overlaps(c)
    assert c.overlaps(b)
    assert Period(start=T0).overlaps(Period(start=T0.add(years=5)))


@given(periods(), periods())
def test_overlap_is_symmetric(a: Period, b: Period) -> None:
    assert a.overlaps(b) == b.overlaps(a)


@given(periods(), datetimes())
def test_an_instant_is_inside_exactly_when_the_instant_period_overlaps(
    period: Period, at: pendulum.DateTime
) -> None:
    # in the instant's own zone: across a DST fall-back, +1 µs can read an hour earlier
    point = Period(start=at, end=at.add(microseconds=1))
    assert period.contains(at) == period.overlaps(point)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "messages"),
    [
        (
            {"start": dt.datetime(2026, 3, 9, 9)},
            ["naive date-time: a time zone is required @ $.start"],
        ),
        (
            {"start": pendulum.naive(2026, 3, 9, 9)},
            ["naive date-time: a time zone is required @ $.start"],
        ),
        (
            {"start": "2026-03-09T09:00:00Z"},
            ["expected a time-zone-aware date-time, got str @ $.start"],
        ),
        (
            {"start": pendulum.date(2026, 3, 9)},
            ["expected a time-zone-aware date-time, got Date @ $.start"],
        ),
        ({"start": None}, ["expected a time-zone-aware date-time, got NoneType @ $.start"]),
        (
            {"start": T0, "end": 5},
            ["expected a time-zone-aware date-time, got int @ $.end"],
        ),
    ],
)
def test_bad_arguments_are_validation_errors(kwargs: dict[str, Any], messages: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        Period(**kwargs)
    assert info.value.messages == messages


def test_a_missing_start_is_a_type_error_of_the_constructor() -> None:
    # keyword-only constructor: Python itself refuses a missing required argument
    with pytest.raises(TypeError):
        Period()  # type: ignore[call-arg]


def test_an_aware_stdlib_datetime_becomes_a_pendulum_one() -> None:
    stdlib: Any = dt.datetime(2026, 3, 9, 13, tzinfo=dt.UTC)
    start = Period(start=stdlib).start
    assert isinstance(start, pendulum.DateTime)
    assert start == T0


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["required field missing @ $.start"]),
        ({"start": "2026-03-09T09:00:00"}, None),
        ({"start": "2026-03-09T09:00:00Z", "end": "soon"}, None),
        ({"start": "2026-03-09T09:00:00Z", "length": "PT1H"}, ["unknown keys: length @ $"]),
        ({"start": ["2026-03-09T09:00:00Z"]}, ["expected a date-time string, got list @ $.start"]),
    ],
)
def test_bad_json_is_a_validation_error_with_paths(
    data: dict[str, Any], messages: list[str] | None
) -> None:
    with pytest.raises(ValidationError) as info:
        careroles.loads(json.dumps(data), Period)
    if messages is not None:
        assert info.value.messages == messages
    else:
        assert len(info.value.messages) == 1


# --- helpers ------------------------------------------------------------------------------


def test_require_aware_names_the_field() -> None:
    assert require_aware(T0, "at") is T0
    with pytest.raises(ValidationError) as info:
        require_aware(pendulum.naive(2026, 3, 9), "due")
    assert info.value.messages == ["naive date-time: a time zone is required @ $.due"]


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("America/New_York", True),
        ("UTC", True),
        ("Australia/Lord_Howe", True),
        ("Mars/Olympus_Mons", False),
        ("", False),
        (" UTC", False),
        ("../etc/passwd", False),
        ("/etc/localtime", False),
    ],
)
def test_time_zone_names_are_checked(name: str, known: bool) -> None:
    assert is_time_zone(name) is known


# --- the repeated hour when clocks go back -------------------------------------------------


def test_a_period_across_the_fall_back_hour_is_valid() -> None:
    start = pendulum.datetime(2024, 11, 3, 1, 59, 59, tz="America/New_York", fold=0)
    end = start.add(seconds=1)  # 01:00:00 EST, the second 1 o'clock
    assert end.timestamp() > start.timestamp()
    Period(start=start, end=end)


def test_st_builds_of_a_period_uses_the_registered_strategy() -> None:
    @given(st.from_type(Period))
    def check(period: Period) -> None:
        assert period.end is None or period.end > period.start

    check()


def test_a_period_ending_in_the_repeated_hour_contains_the_later_instant() -> None:
    start = pendulum.datetime(2024, 11, 3, 1, 30, tz="America/New_York", fold=0)  # EDT
    end = start.add(hours=1)  # 01:30 EST, an hour later
    period = Period(start=start, end=end)
    assert period.contains(start.add(minutes=45))  # 01:15 EST
    assert not period.contains(end)


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """Two instants, often in one zone and near each other (across a DST change)."""
    a = draw(datetimes())
    own = a.timezone_name or "UTC"  # datetimes() draws named zones
    zone = draw(st.sampled_from([own, "UTC", "Pacific/Apia", "Australia/Lord_Howe"]))
    b = draw(
        st.one_of(
            datetimes(zone=zone),
            st.integers(-3 * 86400, 3 * 86400).map(lambda s: a.add(seconds=s).in_tz(zone)),
        )
    )
    return a, b


@given(_pairs())
def test_earlier_orders_instants_as_their_timestamps_do(
    pair: tuple[pendulum.DateTime, pendulum.DateTime],
) -> None:
    a, b = pair
    assert earlier(a, b) == (a.timestamp() < b.timestamp())
    assert earlier(b, a) == (b.timestamp() < a.timestamp())


def test_earlier_tells_the_two_halves_of_the_repeated_hour_apart() -> None:
    tz = pendulum.timezone("America/New_York")
    first = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=tz, fold=0)  # 01:30 EDT
    later = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=tz, fold=1)  # 01:30 EST, an hour on
    almost = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=tz, fold=0)  # 01:59 EDT
    assert later.timestamp() - first.timestamp() == 3600
    assert earlier(first, later)
    assert not earlier(later, first)
    assert earlier(almost, later)  # 01:59 EDT comes before 01:30 EST
    assert not (almost < later)  # which Python's own comparison gets wrong


def test_earlier_orders_a_wall_clock_skipped_by_spring_forward_by_its_offset() -> None:
    tz = pendulum.timezone("America/New_York")
    skipped = pendulum.DateTime(2026, 3, 8, 2, 30, tzinfo=tz)  # built raw: not normalized
    after = pendulum.datetime(2026, 3, 8, 3, 10, tz="America/New_York")
    assert earlier(skipped, after) == (skipped.timestamp() < after.timestamp())
