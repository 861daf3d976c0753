"""Strategies for the building blocks: zones, instants, periods, identifiers, actors."""

from __future__ import annotations

import datetime as _dt
from typing import Final

import pendulum
from hypothesis import strategies as st

from careroles.periods import Period
from careroles.roles import Actor, Role

__all__ = [
    "ZONES",
    "actors",
    "dates",
    "datetimes",
    "identifiers",
    "periods",
    "texts",
    "zones",
]

#: Zones with and without DST, half-hour and 45-minute offsets, southern hemisphere DST and
#: Lord Howe's 30-minute DST shift.
ZONES: Final = (
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/Paris",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Africa/Casablanca",
)

# Hypothesis bounds date-times with naive values and applies the zone itself.
_LOW: Final = _dt.datetime(2000, 1, 1)  # noqa: DTZ001
_HIGH: Final = _dt.datetime(2040, 12, 31)  # noqa: DTZ001


def zones() -> st.SearchStrategy[str]:
    return st.sampled_from(ZONES)


@st.composite
def datetimes(
    draw: st.DrawFn,
    min_value: _dt.datetime = _LOW,
    max_value: _dt.datetime = _HIGH,
    zone: str | None = None,
) -> pendulum.DateTime:
    """Aware pendulum DateTimes in many zones, including instants around DST changes."""
    name = zone if zone is not None else draw(zones())
    tz = pendulum.timezone(name)
    naive = draw(
        st.datetimes(
            min_value=min_value, max_value=max_value, allow_imaginary=False, timezones=st.just(tz)
        )
    )
    return pendulum.instance(naive, tz=tz).in_timezone(name)


def dates() -> st.SearchStrategy[pendulum.Date]:
    return st.dates(min_value=_dt.date(1920, 1, 1), max_value=_dt.date(2040, 12, 31)).map(
        lambda d: pendulum.Date(d.year, d.month, d.day)
    )


@st.composite
def periods(draw: st.DrawFn, open_ended: bool | None = None) -> Period:
    """Periods that end after they start (or are open-ended)."""
    start = draw(datetimes())
    open_ = draw(st.booleans()) if open_ended is None else open_ended
    if open_:
        return Period(start=start)
    length = draw(st.integers(min_value=1, max_value=3 * 365 * 24 * 3600))
    return Period(start=start, end=start.add(seconds=length))


def identifiers(prefix: str = "") -> st.SearchStrategy[str]:
    """Opaque ASCII identifiers (distinct alphabet from :func:`texts`, for leak tests)."""
    return st.from_regex(r"[0-9a-f]{8}", fullmatch=True).map(lambda s: f"{prefix}{s}")


def texts(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Free text such as names and notes: letters and spaces from many scripts."""
    return st.text(
        alphabet=st.characters(categories=("Lu", "Ll", "Lo"), exclude_characters="\x00"),
        min_size=min_size,
        max_size=max_size,
    )


def actors(roles: st.SearchStrategy[Role] | None = None) -> st.SearchStrategy[Actor]:
    return st.builds(
        Actor,
        member_id=identifiers("m-"),
        role=roles if roles is not None else st.sampled_from(Role),
    )
