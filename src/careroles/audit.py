"""The audit trail of changes that are not status transitions.

Status changes are recorded by the lifecycle engine
(:class:`~careroles.lifecycle.TransitionRecord`); every other named operation appends a
:class:`ChangeRecord` through :func:`record_change`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, Protocol, TypeVar

import attrs
import pendulum

from careroles._model import Record, model
from careroles.errors import Problem, ValidationError
from careroles.periods import earlier, instant, out_of_order, require_aware
from careroles.roles import Actor

__all__ = ["ChangeRecord", "check_changes", "last_instant", "record_change"]


@model
class ChangeRecord(Record):
    """Who changed what, when, and whether on the patient's behalf."""

    action: str
    at: pendulum.DateTime
    by: Actor
    on_behalf_of_patient: bool = False


def check_changes(history: tuple[ChangeRecord, ...], path: str = "history") -> Iterable[Problem]:
    """The rule every change trail obeys on loading: entries in time order."""
    for i in out_of_order(history):
        yield Problem((path, i, "at"), "dated before the previous change", "out_of_order")


class _Audited(Protocol):
    @property
    def history(self) -> tuple[Any, ...]: ...


A = TypeVar("A", bound=_Audited)


def last_instant(obj: _Audited) -> pendulum.DateTime | None:
    """The latest instant in `obj`'s trails (``history``, and ``changes`` where it has one)."""
    instants = [r.at for r in (*obj.history, *getattr(obj, "changes", ()))]
    return max(instants, key=instant) if instants else None


def record_change(
    obj: A,
    action: str,
    *,
    by: Actor,
    at: pendulum.DateTime,
    on_behalf_of_patient: bool = False,
    trail: Literal["history", "changes"] = "history",
    **changes: Any,
) -> A:
    """A copy of `obj` with `changes` applied and a :class:`ChangeRecord` appended to `trail`.

    Aggregates without a lifecycle keep their change records in ``history``; aggregates with
    one keep status transitions there and their other operations in a second trail,
    ``changes``.  Either way a change cannot be dated before anything already recorded.
    """
    at = require_aware(at, "at")
    last = last_instant(obj)
    if last is not None and earlier(at, last):
        raise ValidationError.single(
            ("at",), "a change cannot be dated before the previous one", "out_of_order"
        )
    record = ChangeRecord(action=action, at=at, by=by, on_behalf_of_patient=on_behalf_of_patient)
    entries = (*getattr(obj, trail), record)
    # obj is typed by the protocol it satisfies, which mypy does not see as an attrs class
    return attrs.evolve(obj, **{trail: entries}, **changes)  # type: ignore[misc]
