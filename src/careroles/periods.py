"""Time-zone-aware instants and periods.

Every instant in careroles is a pendulum ``DateTime`` with a time zone; a naive one is refused
wherever it is given.  A :class:`Period` is half-open, ``[start, end)``; an open-ended period
has ``end=None``.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Sequence
from typing import Final, Protocol

import pendulum

from careroles._model import Record, model
from careroles.errors import Problem, ValidationError

__all__ = ["Period", "earlier", "instant", "is_time_zone", "out_of_order", "require_aware"]


class _Dated(Protocol):
    @property
    def at(self) -> pendulum.DateTime: ...


def instant(dt: pendulum.DateTime) -> float:
    """`dt` as a POSIX timestamp, for ordering.

    Python compares two date-times that share a tzinfo by wall clock, ignoring ``fold``: in the
    repeated hour of a DST fall-back, 01:30 EST (the later instant) sorts before 01:59 EDT.
    Order two instants with :func:`earlier`; sort with ``key=instant``.
    """
    return dt.timestamp()


#: More than any two offsets of one zone have ever differed by (Samoa skipped a day in 2011).
_BEYOND_ANY_SHIFT: Final = _dt.timedelta(days=2)
_wall_minus: Final = _dt.datetime.__sub__  # pendulum's own __sub__ builds an Interval


def earlier(a: pendulum.DateTime, b: pendulum.DateTime) -> bool:
    """Whether `a` is an earlier instant than `b`: ``instant(a) < instant(b)``, cheaper.

    Within one zone Python subtracts wall clocks; far apart, their order is the instants'
    order, and near each other the two offsets (fold included) make up the difference.
    """
    if a.tzinfo is not b.tzinfo:
        return a.timestamp() < b.timestamp()
    ahead = _wall_minus(b, a)
    if ahead > _BEYOND_ANY_SHIFT:
        return True
    if ahead < -_BEYOND_ANY_SHIFT:
        return False
    offset_a, offset_b = a.utcoffset(), b.utcoffset()
    assert offset_a is not None  # aware: checked on construction
    assert offset_b is not None
    return ahead > offset_b - offset_a


def out_of_order(records: Sequence[_Dated]) -> list[int]:
    """The indexes of the records dated (``.at``) before the record preceding them."""
    return [i for i in range(1, len(records)) if earlier(records[i].at, records[i - 1].at)]


@functools.lru_cache(maxsize=512)
def is_time_zone(name: str) -> bool:
    """True when `name` is a known IANA time-zone name (``"America/New_York"``)."""
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return False
    try:
        pendulum.timezone(name)
    except Exception:  # pendulum raises several kinds for unknown or malformed names
        return False
    return True


def require_aware(value: object, field: str) -> pendulum.DateTime:
    """Return `value` as an aware pendulum DateTime or raise a ValidationError naming `field`."""
    from careroles._model import to_datetime

    value = to_datetime(value)
    if isinstance(value, _dt.datetime) and value.tzinfo is None:
        raise ValidationError.single(
            (field,), "naive date-time: a time zone is required", "naive_datetime"
        )
    if not isinstance(value, pendulum.DateTime):
        raise ValidationError.single(
            (field,), f"expected a time-zone-aware date-time, got {type(value).__name__}", "type"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError.single(
            (field,), "naive date-time: a time zone is required", "naive_datetime"
        )
    return value


@model
class Period(Record):
    """A span of time from `start` (inclusive) to `end` (exclusive, ``None`` = open-ended)."""

    start: pendulum.DateTime
    end: pendulum.DateTime | None = None

    def _rules(self) -> Iterable[Problem]:
        if self.end is not None and not earlier(self.start, self.end):
            yield Problem(("end",), "a period must end after it starts", "period_inverted")

    def contains(self, at: pendulum.DateTime) -> bool:
        """Whether instant `at` falls inside the period."""
        return not earlier(at, self.start) and (self.end is None or earlier(at, self.end))

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share any instant."""
        starts_before_other_ends = other.end is None or earlier(self.start, other.end)
        ends_after_other_starts = self.end is None or earlier(other.start, self.end)
        return starts_before_other_ends and ends_after_other_starts
