"""The compiled fast path of field checks (``_model._build_fits``) never hides a problem.

Every object's fields are first tested by a predicate compiled from the annotations; only when
it answers False do the per-field checkers run.  These tests hold it to its contract: whenever
it answers True, the checkers find nothing (so skipping them changes no error), and on the
valid objects of every registered type it does answer True (so the fast path is taken).
"""

from __future__ import annotations

import copy
import datetime as _dt
import decimal
import enum
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from careroles._model import _build_fits, _check_fields
from careroles.roles import Actor, Role
from careroles.strategies import STRATEGIES


class _Colour(enum.StrEnum):
    RED = "red"


class _Str(str):
    pass


JUNK: tuple[Any, ...] = (
    None,
    "",
    "text",
    "caf\u00e9",
    "\ud800",  # a lone surrogate: not writable as JSON
    _Str("subclass"),
    0,
    True,
    1.5,
    decimal.Decimal("1.00"),
    pendulum.datetime(2026, 3, 9, 9, tz="America/New_York"),
    pendulum.datetime(2026, 3, 9, 9, tz=pendulum.FixedTimezone(3600)),
    pendulum.naive(2026, 3, 9, 9),
    _dt.datetime(2026, 3, 9, 9, tzinfo=_dt.UTC),
    _dt.datetime(2026, 3, 9, 9),
    pendulum.date(2026, 3, 9),
    _dt.date(2026, 3, 9),
    pendulum.time(9),
    pendulum.duration(hours=1),
    (),
    ("text",),
    (1,),
    ("\ud800",),
    [],
    frozenset(),
    frozenset({"text"}),
    frozenset({1}),
    _Colour.RED,
    Role.PATIENT,
    Actor(member_id="m-1", role=Role.CARE_COORDINATOR),
    object(),
)

TYPES = sorted((t for t in STRATEGIES if attrs.has(t)), key=lambda t: t.__name__)


def _with(obj: Any, name: str, value: Any) -> Any:
    """A copy of `obj` with one field replaced, without running any check."""
    out = copy.copy(obj)
    object.__setattr__(out, name, value)
    return out


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_the_fast_path_takes_valid_objects_and_never_passes_a_refused_field(
    cls: type, data: Any
) -> None:
    obj = data.draw(STRATEGIES[cls]())
    fits = _build_fits(type(obj))
    assert list(_check_fields(obj)) == []
    assert fits(obj), "a valid object missed the fast path"
    for field in attrs.fields(type(obj)):
        junk = data.draw(st.sampled_from(JUNK))
        changed = _with(obj, field.name, junk)
        if fits(changed):
            assert list(_check_fields(changed)) == [], (field.name, type(junk).__name__)
