"""Roles, actors and the role policy: who may do what.

The policy is a table of :class:`Permission` rows, ``(subject, action) -> roles``.  Deny by
default: an action with no row is refused.  Apps replace rows with :meth:`RolePolicy.replace`
(or build a whole table of their own) and pass the policy to any operation as ``policy=``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from careroles._model import Record, model
from careroles.errors import PermissionDenied, Problem

__all__ = ["Actor", "Permission", "Role", "RolePolicy", "PATIENT_SIDE", "BOOKERS"]


class Role(enum.StrEnum):
    """A role a person plays around one patient (values are a wire contract)."""

    PATIENT = "patient"
    CARE_COORDINATOR = "care_coordinator"
    PATIENT_ADVOCATE = "patient_advocate"
    TREATING_PROVIDER = "treating_provider"
    CAREGIVER = "caregiver"
    PERSONAL_REPRESENTATIVE = "personal_representative"


#: Those who speak for the patient in their own right.
PATIENT_SIDE: Final = frozenset({Role.PATIENT, Role.PERSONAL_REPRESENTATIVE})
#: Those who may propose, book and reschedule appointments (PRODUCT.md: not the advocate).
BOOKERS: Final = frozenset({Role.CARE_COORDINATOR, Role.PATIENT, Role.TREATING_PROVIDER})


@model
class Actor(Record):
    """A team member acting in a role.  Identified by id only: no names in audit records."""

    member_id: str
    role: Role

    def _rules(self) -> Iterable[Problem]:
        if not self.member_id:
            yield Problem(("member_id",), "must not be empty", "empty")


@model
class Permission(Record):
    """One row of a role policy: `roles` may perform `action` on a `subject`."""

    subject: str
    action: str
    roles: frozenset[Role]
    note: str = ""


def _as_rows(rows: Iterable[Permission]) -> tuple[Permission, ...]:
    return tuple(rows)


def _index(rows: tuple[Permission, ...]) -> dict[tuple[str, str], frozenset[Role]]:
    return {(r.subject, r.action): r.roles for r in rows}


@attrs.frozen
class RolePolicy:
    """A role policy table.  Immutable; :meth:`replace` returns a new policy."""

    rows: tuple[Permission, ...] = attrs.field(converter=_as_rows)
    _index: Mapping[tuple[str, str], frozenset[Role]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", _index(self.rows))

    @classmethod
    def of(cls, *tables: Iterable[Permission]) -> RolePolicy:
        """Merge tables; a later row for the same (subject, action) wins."""
        merged: dict[tuple[str, str], Permission] = {}
        for table in tables:
            for row in table:
                merged[(row.subject, row.action)] = row
        return cls(tuple(merged.values()))

    def roles_for(self, subject: str, action: str) -> frozenset[Role]:
        return self._index.get((subject, action), frozenset())

    def allows(self, role: Role, subject: str, action: str) -> bool:
        return role in self._index.get((subject, action), ())

    def require(self, actor: Actor, subject: str, action: str) -> None:
        """Raise :class:`PermissionDenied` unless `actor`'s role may perform `action`."""
        if actor.role not in self._index.get((subject, action), ()):
            raise PermissionDenied(role=actor.role.value, subject=subject, action=action)

    def replace(
        self, subject: str, action: str, roles: Iterable[Role], note: str = ""
    ) -> RolePolicy:
        """A copy of the policy in which `roles` (only) may perform `action` on `subject`."""
        row = Permission(subject=subject, action=action, roles=frozenset(roles), note=note)
        return RolePolicy.of(self.rows, (row,))

    def table(self) -> list[dict[str, str]]:
        """The policy as plain rows (subject, action, roles), sorted, for docs and notebooks."""
        return [
            {
                "subject": r.subject,
                "action": r.action,
                "roles": ", ".join(sorted(role.value for role in r.roles)),
                "note": r.note,
            }
            for r in sorted(self.rows, key=lambda r: (r.subject, r.action))
        ]
