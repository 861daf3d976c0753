"""The care team around one patient: members in roles, over periods of time.

An :class:`~careroles.roles.Actor` is obtained from the team (:meth:`CareTeam.actor`), which
checks that the member is active in that role at that instant.  A team has at most one lead
care coordinator at any instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pendulum

from careroles._model import Record, evolve, model, sensitive
from careroles.audit import ChangeRecord, check_changes, record_change
from careroles.errors import Problem, ValidationError
from careroles.periods import Period, require_aware
from careroles.roles import PATIENT_SIDE, Actor, Permission, Role, RolePolicy

__all__ = ["CareTeam", "TeamMember", "PERMISSIONS"]


@model
class TeamMember(Record):
    """A person's membership of the team in one role for a period."""

    member_id: str
    role: Role
    period: Period
    lead: bool = False
    display_name: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        if not self.member_id:
            yield Problem(("member_id",), "must not be empty", "empty")
        if self.lead and self.role is not Role.CARE_COORDINATOR:
            yield Problem(("lead",), "only a care coordinator can be the lead", "lead_role")

    def active_at(self, at: pendulum.DateTime) -> bool:
        return self.period.contains(at)


PERMISSIONS: Final = (
    Permission(
        subject="care_team",
        action="add_member",
        roles=frozenset({Role.CARE_COORDINATOR, *PATIENT_SIDE}),
    ),
    Permission(
        subject="care_team",
        action="end_membership",
        roles=frozenset({Role.CARE_COORDINATOR, *PATIENT_SIDE}),
    ),
)
_POLICY: Final = RolePolicy(PERMISSIONS)


@model
class CareTeam(Record):
    """The people caring for and standing with one patient."""

    id: str
    patient_id: str
    members: tuple[TeamMember, ...] = ()
    history: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        leads = [(i, m) for i, m in enumerate(self.members) if m.lead]
        for n, (i, a) in enumerate(leads):
            for _, b in leads[n + 1 :]:
                if a.period.overlaps(b.period):
                    yield Problem(
                        ("members", i, "lead"),
                        "a team has at most one lead care coordinator at a time",
                        "one_lead",
                    )
        for i, a in enumerate(self.members):
            for b in self.members[i + 1 :]:
                if (a.member_id, a.role) == (b.member_id, b.role) and a.period.overlaps(b.period):
                    yield Problem(
                        ("members", i),
                        "the same member holds the same role twice at once",
                        "duplicate",
                    )
        yield from check_changes(self.history)

    def active_members(self, at: pendulum.DateTime) -> tuple[TeamMember, ...]:
        return tuple(m for m in self.members if m.active_at(at))

    def is_active(self, member_id: str, at: pendulum.DateTime) -> bool:
        return any(m.member_id == member_id for m in self.active_members(at))

    def lead_coordinator(self, at: pendulum.DateTime) -> TeamMember | None:
        return next((m for m in self.active_members(at) if m.lead), None)

    def actor(self, member_id: str, at: pendulum.DateTime, role: Role | None = None) -> Actor:
        """The member acting at `at` (in `role`, when they hold several); refuses non-members."""
        at = require_aware(at, "at")
        roles = [
            m.role
            for m in self.active_members(at)
            if m.member_id == member_id and (role is None or m.role is role)
        ]
        if len(roles) != 1:
            why = "not an active member in that role" if not roles else "holds several roles"
            raise ValidationError.single(
                ("member_id",),
                f"{why} at that instant",
                "not_a_member" if not roles else "ambiguous_role",
            )
        return Actor(member_id=member_id, role=roles[0])

    def add_member(
        self,
        member: TeamMember,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> CareTeam:
        (policy or _POLICY).require(by, "care_team", "add_member")
        return record_change(self, "add_member", by=by, at=at, members=(*self.members, member))

    def end_membership(
        self,
        member_id: str,
        role: Role,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> CareTeam:
        """End the member's current membership in `role` at instant `at`."""
        (policy or _POLICY).require(by, "care_team", "end_membership")
        at = require_aware(at, "at")
        found = False
        members = []
        for m in self.members:
            if m.member_id == member_id and m.role is role and m.active_at(at):
                m = evolve(m, period=Period(start=m.period.start, end=at))
                found = True
            members.append(m)
        if not found:
            raise ValidationError.single(
                ("member_id",), "no active membership to end", "not_a_member"
            )
        return record_change(self, "end_membership", by=by, at=at, members=tuple(members))
