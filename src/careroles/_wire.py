"""Wire forms of scalar values: strict primitives, enums by value, pendulum types as text.

Each structure hook takes ``(value, type)`` and returns the value or raises
:class:`~careroles.errors.ValidationError` with an empty path (the caller adds where it is).
Nothing is coerced: ``"false"`` is not ``True``, ``1.9`` is not ``1``, ``7`` is not ``"7"``.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import functools
import re
import typing
from collections.abc import Callable
from typing import Any, Final

import pendulum

from careroles.errors import ValidationError

__all__ = [
    "format_datetime",
    "format_duration",
    "parse_datetime",
    "parse_duration",
]


def _fail(message: str, code: str = "type") -> ValidationError:
    return ValidationError.single((), message, code)


def _got(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# --- primitives -------------------------------------------------------------------------------


def structure_str(value: Any, cl: type) -> Any:
    if type(value) is str and value.isascii() and cl is str:  # the common case
        return value
    if cl is not str and issubclass(cl, enum.Enum):  # StrEnums reach the str hook first
        return structure_enum(value, cl)
    if type(value) is not str:
        raise _fail(f"expected a string, got {_got(value)}")
    if not value.isascii() and not is_unicode(value):
        raise _fail("expected valid Unicode text (no lone surrogates)", "unicode")
    return value


def is_unicode(value: str) -> bool:
    """Whether `value` can be written as UTF-8 (JSON text from a lone surrogate cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_INT_MIN: Final = -(2**63)  # as careroles._model.INT_MIN / INT_MAX
_INT_MAX: Final = 2**63 - 1


def structure_int(value: Any, cl: type) -> Any:
    if cl is not int and issubclass(cl, enum.Enum):  # so do IntEnums to the int hook
        return structure_enum(value, cl)
    if type(value) is not int:
        raise _fail(f"expected an integer, got {_got(value)}")
    if not _INT_MIN <= value <= _INT_MAX:
        raise _fail("integer out of range (signed 64-bit)", "range")
    return value


def structure_bool(value: Any, _: type) -> bool:
    if type(value) is not bool:
        raise _fail(f"expected true or false, got {_got(value)}")
    return value


def structure_float(value: Any, _: type) -> float:
    if type(value) is float or type(value) is int:
        return float(value)
    raise _fail(f"expected a number, got {_got(value)}")


_DECIMAL: Final = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?", re.ASCII)


def structure_decimal(value: Any, _: type) -> decimal.Decimal:
    if type(value) is not str or not _DECIMAL.fullmatch(value):
        raise _fail('expected a decimal number written as a string, e.g. "400.00"')
    return decimal.Decimal(value)


def unstructure_decimal(value: decimal.Decimal) -> str:
    return format(value, "f")


@functools.cache
def enum_members(cl: type[enum.Enum]) -> dict[Any, enum.Enum]:
    """Members by value: a dict lookup is faster than ``cl(value)`` and never coerces."""
    return {m.value: m for m in cl}


def structure_enum(value: Any, cl: type[enum.Enum]) -> enum.Enum:
    # dict lookup: faster than cl(value) and never coerces (True is not 1 here)
    members = enum_members(cl)
    kind = type(value)
    if kind is str or kind is int:
        member = members.get(value)
        # _value_ is what the .value property returns, without the descriptor's cost
        if member is not None and type(member._value_) is kind:
            return member
    expected = ", ".join(repr(v) for v in members)
    raise _fail(f"unknown {cl.__name__}; expected one of {expected}", "enum")


# --- date-times: RFC 9557 ---------------------------------------------------------------------

_ZONED: Final = re.compile(
    r"(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2}))(\[(?P<zone>[A-Za-z0-9_+/-]{1,64})\])?",
    re.ASCII,
)


_ZONES: Final[dict[str, pendulum.Timezone]] = {}


def _zone(name: str) -> pendulum.Timezone:
    tz = _ZONES.get(name)
    if tz is None:
        tz = pendulum.timezone(name)  # raises for an unknown name: nothing is cached then
        if len(_ZONES) < 1024:
            _ZONES[name] = tz
    return tz


_match_zoned: Final = _ZONED.fullmatch
_fromisoformat: Final = _dt.datetime.fromisoformat
_DateTime: Final = pendulum.DateTime

# datetime's pickle support builds an instance from ``(state, tzinfo)``, the state being the
# date and time as ten bytes, without the keyword parsing of the constructor (a quarter of its
# cost).  The state leaves out the fold: the functions below build those few values the long
# way.  pendulum's own __reduce__ gives the fields instead, hence datetime's.
_from_state: Final = typing.cast(
    "Callable[[bytes, _dt.tzinfo], pendulum.DateTime]", pendulum.DateTime
)
_stdlib_from_state: Final = typing.cast(
    "Callable[[bytes, _dt.tzinfo], _dt.datetime]", _dt.datetime
)
_reduce: Final = typing.cast(
    "Callable[[_dt.datetime], tuple[type, tuple[bytes, _dt.tzinfo | None]]]",
    _dt.datetime.__reduce__,
)


def as_pendulum(local: _dt.datetime, tz: _dt.tzinfo) -> pendulum.DateTime:
    """`local`, whose date, time and fold are already those of zone `tz`, as a pendulum
    DateTime in `tz` (as ``pendulum.instance`` would make it, several times faster)."""
    if local.fold:
        return _DateTime(
            local.year,
            local.month,
            local.day,
            local.hour,
            local.minute,
            local.second,
            local.microsecond,
            tzinfo=tz,
            fold=1,
        )
    return _from_state(_reduce(local)[1][0], tz)


def isoformat(dt: pendulum.DateTime) -> str:
    """``dt.isoformat()``, faster: zoneinfo finds the offset of a stdlib datetime several
    times faster than that of a subclass, whose fields it reads as attributes."""
    tz = dt.tzinfo
    if type(tz) is pendulum.Timezone and not dt.fold:
        return _stdlib_from_state(_reduce(dt)[1][0], tz).isoformat()
    return dt.isoformat()


def zone_key(dt: pendulum.DateTime) -> str | None:
    """The IANA name of `dt`'s zone, or None for a fixed offset."""
    tz = dt.tzinfo
    if type(tz) is pendulum.Timezone:  # the common case, without the ABC isinstance checks
        return tz.key
    if isinstance(tz, pendulum.Timezone) and not isinstance(tz, pendulum.FixedTimezone):
        return tz.name
    return None


def format_datetime(dt: pendulum.DateTime) -> str:
    """``2026-03-08T09:00:00-04:00[America/New_York]``; a fixed offset has no bracket."""
    key = zone_key(dt)
    return isoformat(dt) if key is None else f"{isoformat(dt)}[{key}]"


def parse_datetime(value: Any, _: type = pendulum.DateTime) -> pendulum.DateTime:
    """Parse RFC 9557 text; the offset is required and must agree with the named zone.

    The C-level ``datetime.fromisoformat`` reads the text once the pattern has admitted it
    (it alone would accept forms RFC 9557 does not), and ``astimezone`` finds the zone's
    wall clock and fold for that instant: exact across DST, and the zone keeps its name.
    """
    m = _match_zoned(value) if type(value) is str else None
    if m is None:
        if type(value) is not str:
            raise _fail(f"expected a date-time string, got {_got(value)}")
        raise _fail(
            "expected an RFC 9557 date-time with an offset, "
            "e.g. 2026-03-08T09:00:00-04:00[America/New_York]",
            "datetime_format",
        )
    iso, offset_text, zone_name = m.group("iso", "offset", "zone")
    try:
        parsed = _fromisoformat(iso)
    except ValueError:
        raise _fail("not a valid calendar date-time", "datetime_format") from None
    # the instant must exist in UTC too, or every comparison with it overflows; offsets are
    # under a day, so only the first and the last year can leave the range
    if not 1 < parsed.year < 9999:
        try:
            parsed.astimezone(_dt.UTC)
        except OverflowError:
            raise _fail("date-time out of range", "datetime_range") from None
    if zone_name is None:
        offset = parsed.utcoffset()
        assert offset is not None  # the pattern requires an offset
        tz: _dt.tzinfo = (
            pendulum.UTC
            if offset_text == "Z"
            else pendulum.FixedTimezone(int(offset.total_seconds()))
        )
        local = parsed
    else:
        zone = _ZONES.get(zone_name)  # the common case without a call
        if zone is None:
            try:
                zone = _zone(zone_name)
            except Exception:
                raise _fail("unknown IANA time zone", "time_zone") from None
        tz = zone
        try:
            local = parsed.astimezone(tz)
        except OverflowError:
            raise _fail("date-time out of range", "datetime_range") from None
        # one instant, so the same wall clock in both means the same offset
        if _reduce(local)[1][0] != _reduce(parsed)[1][0]:
            raise _fail("the offset does not match the named time zone", "time_zone")
    return as_pendulum(local, tz)


def structure_date(value: Any, _: type) -> pendulum.Date:
    if type(value) is not str or len(value) != 10:
        raise _fail(f"expected a date string YYYY-MM-DD, got {_got(value)}")
    try:
        d = _dt.date.fromisoformat(value)
    except ValueError:
        raise _fail("not a valid calendar date (YYYY-MM-DD)", "date_format") from None
    return pendulum.Date(d.year, d.month, d.day)


def structure_time(value: Any, _: type) -> pendulum.Time:
    if type(value) is not str or not re.fullmatch(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?", value):
        raise _fail("expected a time of day HH:MM or HH:MM:SS", "time_format")
    try:
        t = _dt.time.fromisoformat(value)
    except ValueError:
        raise _fail("not a valid time of day", "time_format") from None
    return pendulum.Time(t.hour, t.minute, t.second)


def unstructure_time(t: pendulum.Time) -> str:
    return t.strftime("%H:%M:%S")


# --- durations: ISO 8601 ----------------------------------------------------------------------

_DURATION: Final = re.compile(
    r"P(?!$)(?:(?P<years>[0-9]+)Y)?(?:(?P<months>[0-9]+)M)?(?:(?P<weeks>[0-9]+)W)?"
    r"(?:(?P<days>[0-9]+)D)?(?:T(?=[0-9])(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?"
    r"(?:(?P<seconds>[0-9]+)(?:\.(?P<fraction>[0-9]{1,6}))?S)?)?",
    re.ASCII,
)


def format_duration(d: pendulum.Duration) -> str:
    """ISO 8601 text (``P1Y2M3DT4H5M6S``); pendulum 3 has no formatter of its own."""
    if d.total_seconds() < 0 or d.years < 0 or d.months < 0:
        raise ValueError("negative durations have no wire form")
    days = d.weeks * 7 + d.remaining_days
    date = "".join(f"{n}{unit}" for n, unit in ((d.years, "Y"), (d.months, "M"), (days, "D")) if n)
    hours, minutes, seconds, micro = d.hours, d.minutes, d.remaining_seconds, d.microseconds
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n)
    if seconds or micro:
        time += f"{seconds}.{micro:06d}".rstrip("0").rstrip(".") + "S"
    if not date and not time:
        return "PT0S"
    return f"P{date}" + (f"T{time}" if time else "")


def parse_duration(value: Any, _: type = pendulum.Duration) -> pendulum.Duration:
    if type(value) is not str or (m := _DURATION.fullmatch(value)) is None:
        raise _fail("expected an ISO 8601 duration such as P1M or PT45M", "duration_format")
    parts = {k: int(v) for k, v in m.groupdict().items() if v is not None and k != "fraction"}
    fraction = m["fraction"]
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    try:
        return _duration(parts, micro)
    except (OverflowError, ValueError):
        raise _fail("duration out of range", "duration_range") from None


def _duration(parts: dict[str, int], micro: int) -> pendulum.Duration:
    return pendulum.duration(
        years=parts.get("years", 0),
        months=parts.get("months", 0),
        weeks=parts.get("weeks", 0),
        days=parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
        microseconds=micro,
    )
