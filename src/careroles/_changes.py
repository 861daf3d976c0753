"""Audit of non-status operations on aggregates that also have a lifecycle.

An aggregate with a lifecycle keeps its :class:`~careroles.lifecycle.TransitionRecord` s in
``history``; its other named operations (adding a document, linking a case…) append a
:class:`~careroles.audit.ChangeRecord` to a second trail, ``changes``.  Both trails are dated in
order: a change cannot be dated before the last transition or change.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

import attrs
import pendulum

from careroles.audit import ChangeRecord
from careroles.errors import ValidationError
from careroles.periods import require_aware
from careroles.roles import Actor

__all__ = ["append_change", "last_instant"]


class _Tracked(Protocol):
    @property
    def history(self) -> tuple[Any, ...]: ...
    @property
    def changes(self) -> tuple[ChangeRecord, ...]: ...


T = TypeVar("T", bound=_Tracked)


def last_instant(obj: _Tracked) -> pendulum.DateTime | None:
    """The latest instant recorded in either trail."""
    instants = [r.at for r in (*obj.history, *obj.changes)]
    return max(instants, key=lambda t: t.timestamp()) if instants else None


def append_change(
    obj: T,
    action: str,
    *,
    by: Actor,
    at: pendulum.DateTime,
    on_behalf_of_patient: bool = False,
    **fields: Any,
) -> T:
    """A copy of `obj` with `fields` changed and a :class:`ChangeRecord` appended."""
    at = require_aware(at, "at")
    last = last_instant(obj)
    if last is not None and at.timestamp() < last.timestamp():
        raise ValidationError.single(
            ("at",), "a change cannot be dated before the previous one", "out_of_order"
        )
    record = ChangeRecord(action=action, at=at, by=by, on_behalf_of_patient=on_behalf_of_patient)
    return attrs.evolve(obj, changes=(*obj.changes, record), **fields)  # type: ignore[misc]
