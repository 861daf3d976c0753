"""Concerns: the patient's voice, in their own words, routed to the coordinator or the advocate.

A :class:`Concern` is raised by the patient, their personal representative or a caregiver in
their own right, or by the patient advocate or care coordinator *on the patient's behalf*, and
then the record says so (PRODUCT.md, default division of responsibility).

Routing is a table (:data:`CONCERN_ROUTING`): matters of the care journey (the care plan,
appointments, communication) go to the care coordinator, who organises care; representation
matters (a provider, the insurer, billing, access, discrimination or disparity) go to the
patient advocate, who represents the patient to providers, insurers, employers and regulators
(PRODUCT.md, "the two roles").  A concern may become an advocacy case
(:meth:`Concern.convert_to_case`) or lead to a care-plan change
(:meth:`Concern.link_plan_change`); the concern keeps the link.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

import attrs
import pendulum

from careroles._model import Record, model, sensitive
from careroles.audit import ChangeRecord, record_change
from careroles.errors import Problem, ValidationError
from careroles.lifecycle import Action, Lifecycle, TransitionRecord
from careroles.periods import require_aware
from careroles.roles import PATIENT_SIDE, Actor, Permission, Role, RolePolicy

__all__ = [
    "CONCERN_LIFECYCLE",
    "CONCERN_ROUTING",
    "PERMISSIONS",
    "Concern",
    "ConcernPriority",
    "ConcernStatus",
    "ConcernTopic",
    "raise_concern",
    "route_concern",
]

SUBJECT: Final = "concern"


class ConcernTopic(enum.StrEnum):
    CARE_PLAN = "care_plan"
    APPOINTMENT = "appointment"
    PROVIDER = "provider"
    INSURER = "insurer"
    BILLING = "billing"
    ACCESS = "access"
    COMMUNICATION = "communication"
    DISCRIMINATION_OR_DISPARITY = "discrimination_or_disparity"


class ConcernPriority(enum.StrEnum):
    LOW = "low"
    ROUTINE = "routine"
    HIGH = "high"
    URGENT = "urgent"


class ConcernStatus(enum.StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    IN_REVIEW = "in_review"
    ADDRESSED = "addressed"
    ESCALATED = "escalated"
    CLOSED = "closed"


#: Who a concern goes to: rows pairing a concern topic with the role it is routed to.
#: PRODUCT.md: the coordinator organises the care journey; the advocate represents the patient
#: to providers, insurers, employers and regulators.
CONCERN_ROUTING: Final[tuple[tuple[ConcernTopic, Role], ...]] = (
    (ConcernTopic.CARE_PLAN, Role.CARE_COORDINATOR),
    (ConcernTopic.APPOINTMENT, Role.CARE_COORDINATOR),
    (ConcernTopic.COMMUNICATION, Role.CARE_COORDINATOR),
    (ConcernTopic.PROVIDER, Role.PATIENT_ADVOCATE),
    (ConcernTopic.INSURER, Role.PATIENT_ADVOCATE),
    (ConcernTopic.BILLING, Role.PATIENT_ADVOCATE),
    (ConcernTopic.ACCESS, Role.PATIENT_ADVOCATE),
    (ConcernTopic.DISCRIMINATION_OR_DISPARITY, Role.PATIENT_ADVOCATE),
)
_ROUTES: Final[dict[ConcernTopic, Role]] = dict(CONCERN_ROUTING)

#: Roles a concern can be routed to.
_HANDLERS: Final = frozenset({Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE})
#: Roles that raise a concern in their own right; the handlers raise only on the patient's
#: behalf.
_OWN_RIGHT: Final = frozenset({*PATIENT_SIDE, Role.CAREGIVER})


def route_concern(topic: ConcernTopic) -> Role:
    """The role a concern about `topic` goes to (from :data:`CONCERN_ROUTING`)."""
    try:
        return _ROUTES[topic]
    except (KeyError, TypeError):
        raise ValidationError.single(("topic",), "no route for this topic", "routing") from None


def _routed(concern: object) -> Role | None:
    topic = getattr(concern, "topic", None)
    return _ROUTES.get(topic) if isinstance(topic, ConcernTopic) else None


CONCERN_LIFECYCLE: Final = Lifecycle(
    subject=SUBJECT,
    statuses=ConcernStatus,
    initial=ConcernStatus.RAISED,
    actions=(
        Action(
            name="acknowledge",
            sources=frozenset({ConcernStatus.RAISED}),
            target=ConcernStatus.ACKNOWLEDGED,
            roles=_HANDLERS,
        ),
        Action(
            name="start_review",
            sources=frozenset({ConcernStatus.ACKNOWLEDGED}),
            target=ConcernStatus.IN_REVIEW,
            roles=_HANDLERS,
        ),
        Action(
            name="address",
            sources=frozenset({ConcernStatus.IN_REVIEW}),
            target=ConcernStatus.ADDRESSED,
            roles=_HANDLERS,
            note="records what was done, in words the patient can read",
        ),
        Action(
            name="escalate",
            sources=frozenset({ConcernStatus.ACKNOWLEDGED, ConcernStatus.IN_REVIEW}),
            target=ConcernStatus.ESCALATED,
            roles=_HANDLERS,
            requires_reason=True,
        ),
        Action(
            name="close",
            sources=frozenset({ConcernStatus.ADDRESSED, ConcernStatus.ESCALATED}),
            target=ConcernStatus.CLOSED,
            roles=frozenset({*_HANDLERS, *PATIENT_SIDE}),
        ),
        Action(
            name="withdraw",
            sources=frozenset(
                {
                    ConcernStatus.RAISED,
                    ConcernStatus.ACKNOWLEDGED,
                    ConcernStatus.IN_REVIEW,
                    ConcernStatus.ESCALATED,
                }
            ),
            target=ConcernStatus.CLOSED,
            roles=PATIENT_SIDE,
            note="the patient may drop their concern at any time",
        ),
    ),
)

#: Rows of the named operations that are not status transitions.
PERMISSIONS: Final = (
    Permission(
        subject=SUBJECT,
        action="raise",
        roles=frozenset({*_OWN_RIGHT, *_HANDLERS}),
        note="advocate or coordinator only on the patient's behalf, attributed as such",
    ),
    Permission(subject=SUBJECT, action="reroute", roles=_HANDLERS),
    Permission(
        subject=SUBJECT,
        action="convert_to_case",
        roles=frozenset({Role.PATIENT_ADVOCATE}),
        note="the concern becomes an advocacy case; the concern keeps the link",
    ),
    Permission(
        subject=SUBJECT,
        action="link_plan_change",
        roles=frozenset({Role.CARE_COORDINATOR}),
        note="the concern led to a care-plan change; the concern keeps the link",
    ),
)

_POLICY: Final = RolePolicy.of(CONCERN_LIFECYCLE.permissions(), PERMISSIONS)


@model
class Concern(Record):
    """What worries the patient, in their words, and where it went.  Aggregate root.

    `routed_to` defaults to the routing table's answer for the topic.
    """

    id: str
    patient_id: str
    raised_by: Actor
    on_behalf_of_patient: bool = False
    raised_at: pendulum.DateTime
    topic: ConcernTopic
    in_own_words: str = sensitive()
    priority: ConcernPriority = ConcernPriority.ROUTINE
    routed_to: Role = attrs.field(
        default=attrs.Factory(lambda self: _routed(self), takes_self=True)
    )
    resolution: str | None = sensitive(default=None)
    became_case_id: str | None = None
    plan_change_id: str | None = None
    status: ConcernStatus = ConcernStatus.RAISED
    history: tuple[TransitionRecord[ConcernStatus], ...] = ()
    changes: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        if not self.in_own_words.strip():
            yield Problem(("in_own_words",), "a concern needs the patient's words", "empty")
        role = self.raised_by.role
        if role not in _OWN_RIGHT | _HANDLERS:
            yield Problem(
                ("raised_by", "role"),
                "raised by the patient, a representative, a caregiver, or the advocate or "
                "coordinator on the patient's behalf",
                "raised_by_role",
            )
        elif role in _HANDLERS and not self.on_behalf_of_patient:
            yield Problem(
                ("on_behalf_of_patient",),
                f"a {role.value} raises a concern only on the patient's behalf",
                "attribution_required",
            )
        if self.routed_to not in _HANDLERS:
            yield Problem(
                ("routed_to",), "routed to the care coordinator or the patient advocate", "routing"
            )
        if self.status is ConcernStatus.ADDRESSED and not (
            self.resolution and self.resolution.strip()
        ):
            yield Problem(("resolution",), "an addressed concern says what was done", "missing")
        for name in ("became_case_id", "plan_change_id"):
            value = getattr(self, name)
            if value is not None and not value:
                yield Problem((name,), "must not be empty when given", "empty")
        if self.history and self.history[0].at.timestamp() < self.raised_at.timestamp():
            yield Problem(("history", 0, "at"), "dated before the concern was raised", "order")
        yield from CONCERN_LIFECYCLE.check_history(self.status, self.history)

    # --- lifecycle operations ------------------------------------------------------------

    def acknowledge(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Concern:
        return CONCERN_LIFECYCLE.apply(self, "acknowledge", by=by, at=at, policy=policy or _POLICY)

    def start_review(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Concern:
        return CONCERN_LIFECYCLE.apply(
            self, "start_review", by=by, at=at, policy=policy or _POLICY
        )

    def address(
        self,
        resolution: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Concern:
        """Record what was done about the concern."""
        return CONCERN_LIFECYCLE.apply(
            self, "address", by=by, at=at, policy=policy or _POLICY, resolution=resolution
        )

    def escalate(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str,
        policy: RolePolicy | None = None,
    ) -> Concern:
        return CONCERN_LIFECYCLE.apply(
            self, "escalate", by=by, at=at, reason=reason, policy=policy or _POLICY
        )

    def close(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Concern:
        return CONCERN_LIFECYCLE.apply(self, "close", by=by, at=at, policy=policy or _POLICY)

    def withdraw(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Concern:
        return CONCERN_LIFECYCLE.apply(
            self, "withdraw", by=by, at=at, reason=reason, policy=policy or _POLICY
        )

    # --- other operations ----------------------------------------------------------------

    def reroute(
        self,
        to: Role,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Concern:
        """Hand the concern to the other role (the table's answer is a default, not a cage)."""
        (policy or _POLICY).require(by, SUBJECT, "reroute")
        self._require_open("reroute")
        return record_change(self, "reroute", trail="changes", by=by, at=at, routed_to=to)

    def convert_to_case(
        self,
        case_id: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Concern:
        """Record that the concern became advocacy case `case_id` (the link is kept)."""
        (policy or _POLICY).require(by, SUBJECT, "convert_to_case")
        self._require_open("convert_to_case")
        if self.became_case_id is not None:
            raise ValidationError.single(
                ("became_case_id",), "the concern already became a case", "already_linked"
            )
        return record_change(
            self, "convert_to_case", trail="changes", by=by, at=at, became_case_id=case_id
        )

    def link_plan_change(
        self,
        plan_change_id: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Concern:
        """Record the care-plan change (a plan id or revision id) the concern led to."""
        (policy or _POLICY).require(by, SUBJECT, "link_plan_change")
        self._require_open("link_plan_change")
        if self.plan_change_id is not None:
            raise ValidationError.single(
                ("plan_change_id",), "already linked to a plan change", "already_linked"
            )
        return record_change(
            self, "link_plan_change", trail="changes", by=by, at=at, plan_change_id=plan_change_id
        )

    def _require_open(self, action: str) -> None:
        if self.status is ConcernStatus.CLOSED:
            raise ValidationError.single(
                ("status",), f"a closed concern cannot {action.replace('_', ' ')}", "closed"
            )


def raise_concern(
    *,
    id: str,
    patient_id: str,
    topic: ConcernTopic,
    in_own_words: str,
    by: Actor,
    at: pendulum.DateTime,
    priority: ConcernPriority = ConcernPriority.ROUTINE,
    on_behalf_of_patient: bool = False,
    policy: RolePolicy | None = None,
) -> Concern:
    """Raise a concern: checks the role policy, attributes it, and routes it by its topic."""
    (policy or _POLICY).require(by, SUBJECT, "raise")
    at = require_aware(at, "at")
    return Concern(
        id=id,
        patient_id=patient_id,
        raised_by=by,
        on_behalf_of_patient=on_behalf_of_patient,
        raised_at=at,
        topic=topic,
        in_own_words=in_own_words,
        priority=priority,
    )
