"""The audit trail of changes that are not status transitions.

Status changes are recorded by the lifecycle engine
(:class:`~careroles.lifecycle.TransitionRecord`); every other named operation appends a
:class:`ChangeRecord` through :func:`record_change`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

import attrs
import pendulum

from careroles._model import Record, model
from careroles.errors import Problem, ValidationError
from careroles.periods import instant, require_aware
from careroles.roles import Actor

__all__ = ["ChangeRecord", "check_changes", "record_change"]


@model
class ChangeRecord(Record):
    """Who changed what, when, and whether on the patient's behalf."""

    action: str
    at: pendulum.DateTime
    by: Actor
    on_behalf_of_patient: bool = False


def check_changes(history: tuple[ChangeRecord, ...], path: str = "history") -> Iterable[Problem]:
    """The rule every change trail obeys on loading: entries in time order."""
    for i in range(1, len(history)):
        if instant(history[i].at) < instant(history[i - 1].at):
            yield Problem((path, i, "at"), "dated before the previous change", "out_of_order")


class _Audited(Protocol):
    @property
    def history(self) -> tuple[ChangeRecord, ...]: ...


A = TypeVar("A", bound=_Audited)


def record_change(
    obj: A,
    action: str,
    *,
    by: Actor,
    at: pendulum.DateTime,
    on_behalf_of_patient: bool = False,
    **changes: Any,
) -> A:
    """A copy of `obj` with `changes` applied and a :class:`ChangeRecord` appended."""
    at = require_aware(at, "at")
    if obj.history and instant(at) < instant(obj.history[-1].at):
        raise ValidationError.single(
            ("at",), "a change cannot be dated before the previous one", "out_of_order"
        )
    record = ChangeRecord(action=action, at=at, by=by, on_behalf_of_patient=on_behalf_of_patient)
    return attrs.evolve(obj, history=(*obj.history, record), **changes)  # type: ignore[misc]
