"""The individualized care plan: needs, goals, activities, agreement, reviews.

A :class:`CarePlan` is the aggregate root for one patient's plan.  Its status follows FHIR R4
``CarePlan.status`` (:data:`CARE_PLAN_LIFECYCLE`); its goals follow ``Goal.lifecycleStatus``
(:data:`GOAL_LIFECYCLE`) and its activities ``CarePlan.activity.detail.status``
(:data:`ACTIVITY_LIFECYCLE`).  Every change is a named operation that checks the role policy and
is kept in the audit trail: status changes in ``history`` (:class:`TransitionRecord`), every other
change in ``revisions`` (:class:`Revision`, naming the need, goal or activity it touched).

Individualization rules (:data:`CARE_PLAN_RULES`, domain.md §5.1, CP-001, CP-T01) are checked by
:func:`check_care_plan` at any time; :meth:`CarePlan.activate` refuses with a
:class:`~careroles.errors.ValidationError` listing each error-severity finding as a problem
(its code is the rule's code).  A completed, revoked or entered-in-error plan is read-only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import Any, Final, Protocol, runtime_checkable

import pendulum

from careroles._model import Record, evolve, model, sensitive
from careroles.cadences import REVIEW_CADENCES, ReviewCadence, ReviewEvent, is_review_overdue
from careroles.care_teams import CareTeam
from careroles.errors import Path, Problem, TransitionError, ValidationError
from careroles.findings import Finding, Rule, Severity
from careroles.lifecycle import Action, Lifecycle, TransitionRecord
from careroles.patients import Preferences
from careroles.periods import Period, earlier, instant, out_of_order, require_aware
from careroles.roles import PATIENT_SIDE, Actor, Permission, Role, RolePolicy

__all__ = [
    "ACTIVITY_LIFECYCLE",
    "CARE_PLAN_LIFECYCLE",
    "CARE_PLAN_RULES",
    "GOAL_LIFECYCLE",
    "PERMISSIONS",
    "Activity",
    "ActivityKind",
    "ActivityStatus",
    "Agreement",
    "AgreementMethod",
    "CarePlan",
    "CarePlanStatus",
    "CoversTreatment",
    "Goal",
    "GoalAchievement",
    "GoalStatus",
    "Need",
    "NeedKind",
    "Revision",
    "SdohCategory",
    "Target",
    "check_care_plan",
]


# --- vocabularies ----------------------------------------------------------------------------


class CarePlanStatus(enum.StrEnum):
    """FHIR R4 CarePlan.status (request-status), without ``unknown`` (not a state to be in)."""

    DRAFT = "draft"
    ACTIVE = "active"
    ON_HOLD = "on-hold"
    REVOKED = "revoked"
    COMPLETED = "completed"
    ENTERED_IN_ERROR = "entered-in-error"


class NeedKind(enum.StrEnum):
    CLINICAL = "clinical"
    SOCIAL = "social"


class SdohCategory(enum.StrEnum):
    """Gravity Project SDOH categories (SDOHCC ValueSet SDOH Category; domain.md SDOH-001)."""

    SDOH_CATEGORY_UNSPECIFIED = "sdoh-category-unspecified"
    FOOD_INSECURITY = "food-insecurity"
    HOUSING_INSTABILITY = "housing-instability"
    HOMELESSNESS = "homelessness"
    INADEQUATE_HOUSING = "inadequate-housing"
    TRANSPORTATION_INSECURITY = "transportation-insecurity"
    FINANCIAL_INSECURITY = "financial-insecurity"
    MATERIAL_HARDSHIP = "material-hardship"
    EDUCATIONAL_ATTAINMENT = "educational-attainment"
    EMPLOYMENT_STATUS = "employment-status"
    VETERAN_STATUS = "veteran-status"
    STRESS = "stress"
    SOCIAL_CONNECTION = "social-connection"
    INTIMATE_PARTNER_VIOLENCE = "intimate-partner-violence"
    ELDER_ABUSE = "elder-abuse"
    PERSONAL_HEALTH_LITERACY = "personal-health-literacy"
    HEALTH_INSURANCE_COVERAGE_STATUS = "health-insurance-coverage-status"
    MEDICAL_COST_BURDEN = "medical-cost-burden"
    DIGITAL_LITERACY = "digital-literacy"
    DIGITAL_ACCESS = "digital-access"
    UTILITY_INSECURITY = "utility-insecurity"
    INCARCERATION_STATUS = "incarceration-status"
    LANGUAGE_ACCESS = "language-access"
    PROTECTIVE_FACTOR = "protective-factor"


class GoalStatus(enum.StrEnum):
    """FHIR R4 Goal.lifecycleStatus (goal-status)."""

    PROPOSED = "proposed"
    PLANNED = "planned"
    ACCEPTED = "accepted"
    ACTIVE = "active"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered-in-error"
    REJECTED = "rejected"


class GoalAchievement(enum.StrEnum):
    """FHIR R4 Goal.achievementStatus (goal-achievement): a separate axis from the status."""

    IN_PROGRESS = "in-progress"
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no-change"
    ACHIEVED = "achieved"
    SUSTAINING = "sustaining"
    NOT_ACHIEVED = "not-achieved"
    NO_PROGRESS = "no-progress"
    NOT_ATTAINABLE = "not-attainable"


class ActivityKind(enum.StrEnum):
    DIAGNOSTIC_TEST = "diagnostic_test"
    TREATMENT = "treatment"
    SUPPORTIVE_SERVICE = "supportive_service"  # transport, social work, home care, nutrition
    CONSULTATION = "consultation"
    FOLLOW_UP = "follow_up"
    EDUCATION = "education"
    MEDICATION = "medication"
    REFERRAL = "referral"
    MONITORING = "monitoring"
    OTHER = "other"


class ActivityStatus(enum.StrEnum):
    """FHIR R4 CarePlan.activity.detail.status (care-plan-activity-status)."""

    NOT_STARTED = "not-started"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    STOPPED = "stopped"
    UNKNOWN = "unknown"
    ENTERED_IN_ERROR = "entered-in-error"


class AgreementMethod(enum.StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"
    ELECTRONIC = "electronic"


# --- lifecycles ------------------------------------------------------------------------------

_CC: Final = frozenset({Role.CARE_COORDINATOR})
_CC_TP: Final = frozenset({Role.CARE_COORDINATOR, Role.TREATING_PROVIDER})
_CC_PATIENT: Final = frozenset({Role.CARE_COORDINATOR, *PATIENT_SIDE})

P = CarePlanStatus
CARE_PLAN_LIFECYCLE: Final = Lifecycle(
    subject="care_plan",
    statuses=CarePlanStatus,
    initial=P.DRAFT,
    actions=(
        Action(
            name="activate",
            sources=frozenset({P.DRAFT}),
            target=P.ACTIVE,
            roles=_CC,
            note="refused while any error-severity individualization finding exists",
        ),
        Action(
            name="suspend",
            sources=frozenset({P.ACTIVE}),
            target=P.ON_HOLD,
            roles=_CC,
            requires_reason=True,
        ),
        Action(name="resume", sources=frozenset({P.ON_HOLD}), target=P.ACTIVE, roles=_CC),
        Action(
            name="complete",
            sources=frozenset({P.ACTIVE, P.ON_HOLD}),
            target=P.COMPLETED,
            roles=_CC,
        ),
        Action(
            name="revoke",
            sources=frozenset({P.DRAFT, P.ACTIVE, P.ON_HOLD}),
            target=P.REVOKED,
            roles=_CC,
            requires_reason=True,
            note="the coordinator revokes, also when the patient withdraws (say so in the reason)",
        ),
        Action(
            name="mark_entered_in_error",
            sources=frozenset({P.DRAFT, P.ACTIVE, P.ON_HOLD}),
            target=P.ENTERED_IN_ERROR,
            roles=_CC,
            requires_reason=True,
        ),
    ),
)

G = GoalStatus
GOAL_LIFECYCLE: Final = Lifecycle(
    subject="care_plan_goal",
    statuses=GoalStatus,
    initial=G.PROPOSED,
    actions=(
        Action(name="plan", sources=frozenset({G.PROPOSED}), target=G.PLANNED, roles=_CC),
        Action(
            name="accept",
            sources=frozenset({G.PROPOSED, G.PLANNED}),
            target=G.ACCEPTED,
            roles=_CC_PATIENT,
            note="the patient's acceptance, or the coordinator's acknowledgement",
        ),
        Action(
            name="reject",
            sources=frozenset({G.PROPOSED}),
            target=G.REJECTED,
            roles=_CC_PATIENT,
            requires_reason=True,
        ),
        Action(
            name="start", sources=frozenset({G.PLANNED, G.ACCEPTED}), target=G.ACTIVE, roles=_CC
        ),
        Action(
            name="hold",
            sources=frozenset({G.ACTIVE}),
            target=G.ON_HOLD,
            roles=_CC,
            requires_reason=True,
        ),
        Action(name="resume", sources=frozenset({G.ON_HOLD}), target=G.ACTIVE, roles=_CC),
        Action(name="complete", sources=frozenset({G.ACTIVE}), target=G.COMPLETED, roles=_CC),
        Action(
            name="cancel",
            sources=frozenset({G.PROPOSED, G.PLANNED, G.ACCEPTED, G.ACTIVE, G.ON_HOLD}),
            target=G.CANCELLED,
            roles=_CC,
            requires_reason=True,
        ),
        Action(
            name="mark_entered_in_error",
            sources=frozenset(s for s in GoalStatus if s is not G.ENTERED_IN_ERROR),
            target=G.ENTERED_IN_ERROR,
            roles=_CC,
            requires_reason=True,
        ),
    ),
)

A = ActivityStatus
ACTIVITY_LIFECYCLE: Final = Lifecycle(
    subject="care_plan_activity",
    statuses=ActivityStatus,
    initial=A.NOT_STARTED,
    actions=(
        Action(
            name="schedule", sources=frozenset({A.NOT_STARTED}), target=A.SCHEDULED, roles=_CC_TP
        ),
        Action(
            name="start",
            sources=frozenset({A.NOT_STARTED, A.SCHEDULED}),
            target=A.IN_PROGRESS,
            roles=_CC_TP,
        ),
        Action(
            name="hold",
            sources=frozenset({A.IN_PROGRESS}),
            target=A.ON_HOLD,
            roles=_CC_TP,
            requires_reason=True,
        ),
        Action(name="resume", sources=frozenset({A.ON_HOLD}), target=A.IN_PROGRESS, roles=_CC_TP),
        Action(
            name="complete",
            sources=frozenset({A.SCHEDULED, A.IN_PROGRESS, A.UNKNOWN}),
            target=A.COMPLETED,
            roles=_CC_TP,
            note="from scheduled too: a one-visit activity completes when the visit is fulfilled",
        ),
        Action(
            name="cancel",
            sources=frozenset({A.NOT_STARTED, A.SCHEDULED}),
            target=A.CANCELLED,
            roles=_CC_TP,
            requires_reason=True,
            note="before it starts",
        ),
        Action(
            name="stop",
            sources=frozenset({A.IN_PROGRESS, A.ON_HOLD, A.UNKNOWN}),
            target=A.STOPPED,
            roles=_CC_TP,
            requires_reason=True,
            note="after it started",
        ),
        Action(
            name="mark_entered_in_error",
            sources=frozenset(s for s in ActivityStatus if s is not A.ENTERED_IN_ERROR),
            target=A.ENTERED_IN_ERROR,
            roles=_CC_TP,
            requires_reason=True,
        ),
    ),
)

#: Role rows of the plan's operations that are not status transitions.
PERMISSIONS: Final = (
    Permission(subject="care_plan", action="draft", roles=_CC),
    Permission(subject="care_plan", action="add_need", roles=_CC),
    Permission(subject="care_plan", action="add_goal", roles=_CC),
    Permission(
        subject="care_plan",
        action="add_activity",
        roles=_CC_TP,
        note="a treating provider may propose activities",
    ),
    Permission(
        subject="care_plan",
        action="update_activity",
        roles=_CC_TP,
        note="a treating provider may update activities",
    ),
    Permission(subject="care_plan", action="record_goal_achievement", roles=_CC_TP),
    Permission(subject="care_plan", action="change_review_cadence", roles=_CC),
    Permission(subject="care_plan", action="record_review", roles=_CC),
    Permission(
        subject="care_plan",
        action="record_agreement",
        roles=PATIENT_SIDE,
        note="the patient or a personal representative agrees to the plan",
    ),
)

_POLICY: Final = RolePolicy.of(
    PERMISSIONS,
    CARE_PLAN_LIFECYCLE.permissions(),
    GOAL_LIFECYCLE.permissions(),
    ACTIVITY_LIFECYCLE.permissions(),
)

_READ_ONLY: Final = frozenset({P.COMPLETED, P.REVOKED, P.ENTERED_IN_ERROR})
_IN_EFFECT: Final = frozenset({P.ACTIVE, P.ON_HOLD})
_GOAL_CLOSED: Final = frozenset({G.CANCELLED, G.REJECTED, G.ENTERED_IN_ERROR})
_GOAL_OPEN: Final = frozenset({G.PROPOSED, G.PLANNED, G.ACCEPTED, G.ACTIVE, G.ON_HOLD})
_ACTIVITY_CLOSED: Final = frozenset({A.CANCELLED, A.STOPPED, A.ENTERED_IN_ERROR})
_ACTIVITY_DONE: Final = frozenset({*_ACTIVITY_CLOSED, A.COMPLETED})
#: Revisions that change what the patient agreed to (an agreement must postdate them).
_CONTENT_ACTIONS: Final = frozenset(
    {"draft", "add_need", "add_goal", "add_activity", "update_activity"}
)
_UPDATABLE: Final = frozenset(
    {
        "kind",
        "description",
        "treatment_code",
        "responsible_member_id",
        "goal_ids",
        "need_ids",
        "due",
        "appointment_id",
        "decision_id",
        "override_reason",
    }
)


# --- parts of a plan -------------------------------------------------------------------------


def _non_empty(obj: Any, *names: str) -> Iterator[Problem]:
    for name in names:
        value = getattr(obj, name)
        if value is not None and not value.strip():
            yield Problem((name,), "must not be empty", "empty")


def _unique(values: tuple[str, ...], path: Path) -> Iterator[Problem]:
    if len(set(values)) != len(values):
        yield Problem(path, "an id is listed twice", "duplicate")


@model
class Need(Record):
    """A problem the plan addresses: clinical, or social (an SDOH care barrier)."""

    id: str
    kind: NeedKind
    description: str = sensitive()
    code: str | None = None  # e.g. SNOMED CT, ICD-10-CM (Z55-Z65 for social needs)
    category: SdohCategory | None = None

    def _rules(self) -> Iterable[Problem]:
        yield from _non_empty(self, "id", "description", "code")
        if self.kind is NeedKind.SOCIAL and self.category is None:
            yield Problem(("category",), "a social need needs an SDOH category", "sdoh_category")
        if self.kind is NeedKind.CLINICAL and self.category is not None:
            yield Problem(
                ("category",), "only a social need has an SDOH category", "sdoh_category"
            )


@model
class Target(Record):
    """What makes a goal measurable: what is measured and the value aimed for (FHIR target)."""

    measure: str = sensitive()  # e.g. "HbA1c" or a LOINC code
    detail: str = sensitive()  # e.g. "below 7 %", "walks to the mailbox unaided"

    def _rules(self) -> Iterable[Problem]:
        yield from _non_empty(self, "measure", "detail")


@model
class Goal(Record):
    """A goal of the plan; ``stated_by_patient`` marks the patient's own goal in their words."""

    id: str
    description: str = sensitive()
    stated_by_patient: bool = False
    target: Target | None = None
    due: pendulum.Date | None = None
    status: GoalStatus = GoalStatus.PROPOSED  # FHIR Goal.lifecycleStatus
    achievement: GoalAchievement | None = None
    need_ids: tuple[str, ...] = ()
    history: tuple[TransitionRecord[GoalStatus], ...] = ()

    def _rules(self) -> Iterable[Problem]:
        yield from _non_empty(self, "id", "description")
        yield from _unique(self.need_ids, ("need_ids",))
        yield from GOAL_LIFECYCLE.check_history(self.status, self.history)

    @property
    def lifecycle_status(self) -> GoalStatus:
        """The FHIR name of :attr:`status`."""
        return self.status

    @property
    def measurable(self) -> bool:
        return self.target is not None and self.due is not None


@model
class Activity(Record):
    """A planned intervention, with the member responsible and the goals and needs it serves."""

    id: str
    kind: ActivityKind
    description: str = sensitive()
    treatment_code: str | None = None  # matched against Preferences.declined_treatments[].code
    responsible_member_id: str | None = None
    goal_ids: tuple[str, ...] = ()
    need_ids: tuple[str, ...] = ()
    due: pendulum.Date | None = None
    status: ActivityStatus = ActivityStatus.NOT_STARTED
    appointment_id: str | None = None
    decision_id: str | None = None
    override_reason: str | None = sensitive(default=None)
    history: tuple[TransitionRecord[ActivityStatus], ...] = ()

    def _rules(self) -> Iterable[Problem]:
        yield from _non_empty(
            self,
            "id",
            "description",
            "treatment_code",
            "responsible_member_id",
            "appointment_id",
            "decision_id",
            "override_reason",
        )
        yield from _unique(self.goal_ids, ("goal_ids",))
        yield from _unique(self.need_ids, ("need_ids",))
        yield from ACTIVITY_LIFECYCLE.check_history(self.status, self.history)


@model
class Agreement(Record):
    """The patient's (or their personal representative's) agreement to the plan."""

    by: Actor
    at: pendulum.DateTime
    method: AgreementMethod
    note: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        if self.by.role not in PATIENT_SIDE:
            yield Problem(
                ("by", "role"),
                "only the patient or a personal representative agrees to a plan",
                "agreement_role",
            )
        yield from _non_empty(self, "note")

    @property
    def on_behalf_of_patient(self) -> bool:
        """Whether a personal representative agreed for the patient."""
        return self.by.role is Role.PERSONAL_REPRESENTATIVE


@model
class Revision(Record):
    """One change to the plan that is not a status transition: what, which item, when, who."""

    action: str
    at: pendulum.DateTime
    by: Actor
    item_id: str | None = None  # the need, goal or activity changed
    note: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        yield from _non_empty(self, "action", "item_id", "note")


@runtime_checkable
class CoversTreatment(Protocol):
    """A treatment decision that covers a treatment code (e.g. ``careroles.decisions``)."""

    def covers(self, treatment_code: str) -> bool: ...


# --- the aggregate ---------------------------------------------------------------------------


def _find(items: tuple[Any, ...], item_id: str, field: str) -> int:
    for i, item in enumerate(items):
        if item.id == item_id:
            return i
    raise ValidationError.single((field,), "no item with this id in the plan", "not_found")


@model
class CarePlan(Record):
    """One patient's individualized care plan."""

    id: str
    patient_id: str
    care_team_id: str
    title: str = sensitive()
    needs: tuple[Need, ...] = ()
    goals: tuple[Goal, ...] = ()
    activities: tuple[Activity, ...] = ()
    period: Period | None = None
    review_cadence: str | None = None  # a ReviewCadence name (careroles.cadences)
    last_reviewed_at: pendulum.DateTime | None = None
    agreement: Agreement | None = None
    status: CarePlanStatus = CarePlanStatus.DRAFT
    history: tuple[TransitionRecord[CarePlanStatus], ...] = ()
    revisions: tuple[Revision, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        yield from _non_empty(self, "id", "patient_id", "care_team_id", "title", "review_cadence")
        need_ids = {n.id for n in self.needs}
        goal_ids = {g.id for g in self.goals}
        for name, items in (("needs", self.needs), ("goals", self.goals)):
            yield from _unique(tuple(x.id for x in items), (name,))
        yield from _unique(tuple(a.id for a in self.activities), ("activities",))
        for i, goal in enumerate(self.goals):
            if not set(goal.need_ids) <= need_ids:
                yield Problem(("goals", i, "need_ids"), "names a need not in the plan", "link")
        for i, act in enumerate(self.activities):
            if not set(act.goal_ids) <= goal_ids:
                yield Problem(
                    ("activities", i, "goal_ids"), "names a goal not in the plan", "link"
                )
            if not set(act.need_ids) <= need_ids:
                yield Problem(
                    ("activities", i, "need_ids"), "names a need not in the plan", "link"
                )
        for i in out_of_order(self.revisions):
            yield Problem(
                ("revisions", i, "at"), "dated before the previous revision", "out_of_order"
            )
        yield from CARE_PLAN_LIFECYCLE.check_history(self.status, self.history)

    # --- queries -------------------------------------------------------------------------

    @property
    def in_effect(self) -> bool:
        """Active or on hold: reviews are due."""
        return self.status in _IN_EFFECT

    @property
    def read_only(self) -> bool:
        return self.status in _READ_ONLY

    @property
    def activated_at(self) -> pendulum.DateTime | None:
        """When the plan was activated (the first ``activate`` in its history)."""
        return next((t.at for t in self.history if t.action == "activate"), None)

    def need(self, need_id: str) -> Need:
        return self.needs[_find(self.needs, need_id, "need_id")]

    def goal(self, goal_id: str) -> Goal:
        return self.goals[_find(self.goals, goal_id, "goal_id")]

    def activity(self, activity_id: str) -> Activity:
        return self.activities[_find(self.activities, activity_id, "activity_id")]

    def open_goal_due_dates(self) -> tuple[pendulum.Date, ...]:
        """Target dates of the goals still open (proposed to on-hold)."""
        return tuple(g.due for g in self.goals if g.status in _GOAL_OPEN and g.due is not None)

    def agreement_is_current(self) -> bool:
        """Whether an agreement is recorded and no needs, goals or activities changed since."""
        if self.agreement is None:
            return False
        last_agreed = max(
            (i for i, r in enumerate(self.revisions) if r.action == "record_agreement"),
            default=None,
        )
        for i, rev in enumerate(self.revisions):
            if rev.action not in _CONTENT_ACTIONS:
                continue
            if last_agreed is not None and i > last_agreed:
                return False
            if last_agreed is None and earlier(self.agreement.at, rev.at):
                return False
        return True

    # --- creation ------------------------------------------------------------------------

    @classmethod
    def draft(
        cls,
        *,
        id: str,
        patient_id: str,
        care_team_id: str,
        title: str,
        by: Actor,
        at: pendulum.DateTime,
        needs: Iterable[Need] = (),
        goals: Iterable[Goal] = (),
        activities: Iterable[Activity] = (),
        period: Period | None = None,
        review_cadence: str | None = None,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """A new plan in ``draft``, drafted by a care coordinator."""
        (policy or _POLICY).require(by, "care_plan", "draft")
        at = require_aware(at, "at")
        goals, activities = tuple(goals), tuple(activities)
        for i, goal in enumerate(goals):
            if isinstance(goal, Goal) and (goal.history or goal.status not in _GOAL_OPEN):
                raise ValidationError.single(
                    ("goals", i, "status"), "a new goal starts open, without history", "new_item"
                )
        for i, act in enumerate(activities):
            if isinstance(act, Activity) and (act.history or act.status in _ACTIVITY_DONE):
                raise ValidationError.single(
                    ("activities", i, "status"),
                    "a new activity starts open, without history",
                    "new_item",
                )
        return cls(
            id=id,
            patient_id=patient_id,
            care_team_id=care_team_id,
            title=title,
            needs=tuple(needs),
            goals=goals,
            activities=activities,
            period=period,
            review_cadence=review_cadence,
            revisions=(Revision(action="draft", at=at, by=by),),
        )

    # --- helpers -------------------------------------------------------------------------

    def _latest(self) -> pendulum.DateTime | None:
        times = [t[-1].at for t in (self.history, self.revisions) if t]
        return max(times, key=instant) if times else None

    def _check_order(self, at: pendulum.DateTime) -> None:
        latest = self._latest()
        if latest is not None and earlier(at, latest):
            raise ValidationError.single(
                ("at",), "a change cannot be dated before the previous one", "out_of_order"
            )

    def _open_for(self, action: str, by: Actor, policy: RolePolicy | None) -> None:
        (policy or _POLICY).require(by, "care_plan", action)
        self._writable(action)

    def _writable(self, action: str) -> None:
        if self.status in _READ_ONLY:
            raise TransitionError(
                subject="care_plan",
                status=self.status.value,
                action=action,
                allowed=CARE_PLAN_LIFECYCLE.allowed_actions(self.status),
                reason="a completed, revoked or entered-in-error plan is read-only",
            )

    def _revise(
        self,
        action: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        item_id: str | None = None,
        note: str | None = None,
        **changes: Any,
    ) -> CarePlan:
        at = require_aware(at, "at")
        self._check_order(at)
        revision = Revision(action=action, at=at, by=by, item_id=item_id, note=note)
        return evolve(self, revisions=(*self.revisions, revision), **changes)

    def _transition(
        self,
        action: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None,
        policy: RolePolicy | None,
        **changes: Any,
    ) -> CarePlan:
        moved = CARE_PLAN_LIFECYCLE.apply(
            self, action, by=by, at=at, reason=reason, policy=policy or _POLICY, **changes
        )
        self._check_order(moved.history[-1].at)
        return moved

    # --- content changes -----------------------------------------------------------------

    def add_need(
        self, need: Need, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> CarePlan:
        self._open_for("add_need", by, policy)
        _require(need, Need, "need")
        return self._revise("add_need", by=by, at=at, item_id=need.id, needs=(*self.needs, need))

    def add_goal(
        self, goal: Goal, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> CarePlan:
        """Add a goal (new goals start open and without history)."""
        self._open_for("add_goal", by, policy)
        _require(goal, Goal, "goal")
        if goal.history or goal.status not in _GOAL_OPEN:
            raise ValidationError.single(
                ("goal", "status"), "a new goal starts open, without history", "new_item"
            )
        return self._revise("add_goal", by=by, at=at, item_id=goal.id, goals=(*self.goals, goal))

    def add_activity(
        self,
        activity: Activity,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Add (or, for a treating provider, propose) an activity."""
        self._open_for("add_activity", by, policy)
        _require(activity, Activity, "activity")
        if activity.history or activity.status in _ACTIVITY_DONE:
            raise ValidationError.single(
                ("activity", "status"), "a new activity starts open, without history", "new_item"
            )
        return self._revise(
            "add_activity",
            by=by,
            at=at,
            item_id=activity.id,
            activities=(*self.activities, activity),
        )

    def update_activity(
        self,
        activity_id: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        policy: RolePolicy | None = None,
        **changes: Any,
    ) -> CarePlan:
        """Change an activity's content (not its status: see :meth:`change_activity_status`).

        `changes` name fields of :class:`Activity` among kind, description, treatment_code,
        responsible_member_id, goal_ids, need_ids, due, appointment_id, decision_id and
        override_reason.
        """
        self._open_for("update_activity", by, policy)
        bad = sorted(set(changes) - _UPDATABLE)
        if bad or not changes:
            raise ValidationError(
                [
                    Problem((name,), "not a field update_activity changes", "unknown")
                    for name in bad
                ]
                or [Problem(("changes",), "nothing to change", "empty")]
            )
        i = _find(self.activities, activity_id, "activity_id")
        try:
            updated = evolve(self.activities[i], **changes)
        except ValidationError as e:
            raise e.prefixed(("activities", i)) from None
        activities = (*self.activities[:i], updated, *self.activities[i + 1 :])
        return self._revise(
            "update_activity",
            by=by,
            at=at,
            item_id=activity_id,
            note=reason,
            activities=activities,
        )

    def change_goal_status(
        self,
        goal_id: str,
        action: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Apply a :data:`GOAL_LIFECYCLE` action (``"start"``, ``"complete"``…) to a goal."""
        self._writable(f"goal:{action}")
        _require_role(GOAL_LIFECYCLE, action, by, policy)
        i = _find(self.goals, goal_id, "goal_id")
        goal = GOAL_LIFECYCLE.apply(
            self.goals[i], action, by=by, at=at, reason=reason, policy=policy or _POLICY
        )
        goals = (*self.goals[:i], goal, *self.goals[i + 1 :])
        return self._revise(f"goal:{action}", by=by, at=at, item_id=goal_id, goals=goals)

    def record_goal_achievement(
        self,
        goal_id: str,
        achievement: GoalAchievement,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Record how far a goal is achieved (FHIR goal-achievement)."""
        self._open_for("record_goal_achievement", by, policy)
        if not isinstance(achievement, GoalAchievement):
            raise ValidationError.single(("achievement",), "expected a goal-achievement code")
        i = _find(self.goals, goal_id, "goal_id")
        goal = evolve(self.goals[i], achievement=achievement)
        goals = (*self.goals[:i], goal, *self.goals[i + 1 :])
        return self._revise("record_goal_achievement", by=by, at=at, item_id=goal_id, goals=goals)

    def change_activity_status(
        self,
        activity_id: str,
        action: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        appointment_id: str | None = None,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Apply an :data:`ACTIVITY_LIFECYCLE` action (``"schedule"``, ``"complete"``…).

        `appointment_id`, when given, is recorded on the activity (e.g. with ``"schedule"``).
        """
        self._writable(f"activity:{action}")
        _require_role(ACTIVITY_LIFECYCLE, action, by, policy)
        i = _find(self.activities, activity_id, "activity_id")
        changes: dict[str, Any] = {}
        if appointment_id is not None:
            changes["appointment_id"] = appointment_id
        activity = ACTIVITY_LIFECYCLE.apply(
            self.activities[i],
            action,
            by=by,
            at=at,
            reason=reason,
            policy=policy or _POLICY,
            **changes,
        )
        activities = (*self.activities[:i], activity, *self.activities[i + 1 :])
        return self._revise(
            f"activity:{action}", by=by, at=at, item_id=activity_id, activities=activities
        )

    def change_review_cadence(
        self,
        review_cadence: str | None,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Set the plan's review cadence (a :class:`~careroles.cadences.ReviewCadence` name)."""
        self._open_for("change_review_cadence", by, policy)
        return self._revise("change_review_cadence", by=by, at=at, review_cadence=review_cadence)

    def record_agreement(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        method: AgreementMethod,
        note: str | None = None,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Record that the patient or their personal representative agrees to the plan as is."""
        self._open_for("record_agreement", by, policy)
        at = require_aware(at, "at")
        agreement = Agreement(by=by, at=at, method=method, note=note)
        return self._revise("record_agreement", by=by, at=at, agreement=agreement)

    def record_review(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        note: str | None = None,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Record a review of a plan in effect (active or on hold); restarts the cadence."""
        self._open_for("record_review", by, policy)
        if not self.in_effect:
            raise TransitionError(
                subject="care_plan",
                status=self.status.value,
                action="record_review",
                allowed=CARE_PLAN_LIFECYCLE.allowed_actions(self.status),
                reason="only a plan in effect is reviewed",
            )
        at = require_aware(at, "at")
        return self._revise("record_review", by=by, at=at, note=note, last_reviewed_at=at)

    # --- lifecycle -----------------------------------------------------------------------

    def activate(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        preferences: Preferences,
        decisions: Iterable[CoversTreatment] = (),
        team: CareTeam | None = None,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        """Put the plan into effect.

        Raises:
            PermissionDenied: `by` is not a care coordinator (under `policy`).
            TransitionError: the plan is not a draft.
            ValidationError: an error-severity finding of :func:`check_care_plan`; each is a
                problem whose code is the rule code (``CP-GOAL-PATIENT``…).
        """
        pol = policy or _POLICY
        pol.require(by, "care_plan", "activate")
        if self.status is not P.DRAFT:
            raise TransitionError(
                subject="care_plan",
                status=self.status.value,
                action="activate",
                allowed=CARE_PLAN_LIFECYCLE.allowed_actions(self.status),
            )
        at = require_aware(at, "at")
        problems = [
            Problem(path, message or rule.summary, rule.code)
            for rule, path, message in _violations(
                self, preferences, at, decisions, team, (), REVIEW_CADENCES
            )
            if rule.severity is Severity.ERROR
        ]
        if problems:
            raise ValidationError(problems, subject="CarePlan")
        period = self.period if self.period is not None else Period(start=at)
        return self._transition("activate", by=by, at=at, reason=None, policy=pol, period=period)

    def suspend(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        return self._transition("suspend", by=by, at=at, reason=reason, policy=policy)

    def resume(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> CarePlan:
        return self._transition("resume", by=by, at=at, reason=None, policy=policy)

    def complete(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> CarePlan:
        """Close the plan; its period ends at `at` (when open-ended).  Read-only afterwards."""
        return self._transition(
            "complete", by=by, at=at, reason=None, policy=policy, period=self._ended(at)
        )

    def revoke(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        return self._transition(
            "revoke", by=by, at=at, reason=reason, policy=policy, period=self._ended(at)
        )

    def mark_entered_in_error(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str,
        policy: RolePolicy | None = None,
    ) -> CarePlan:
        return self._transition(
            "mark_entered_in_error", by=by, at=at, reason=reason, policy=policy
        )

    def _ended(self, at: pendulum.DateTime) -> Period | None:
        period = self.period
        at = require_aware(at, "at")
        if period is not None and period.end is None and earlier(period.start, at):
            return Period(start=period.start, end=at)
        return period


def _require_role(
    lifecycle: Lifecycle[Any], action: str, by: Actor, policy: RolePolicy | None
) -> None:
    """The role check of a goal or activity action, before the item is looked up."""
    if lifecycle.action(action) is not None:
        (policy or _POLICY).require(by, lifecycle.subject, action)


def _require(value: object, cls: type, field: str) -> None:
    if not isinstance(value, cls):
        raise ValidationError.single(
            (field,), f"expected {cls.__name__}, got {type(value).__name__}", "type"
        )


# --- individualization rules -----------------------------------------------------------------

_CP = "domain.md CP-001, CP-T01 (§5.1)"
_CCM = "CMS CCM, MLN 909188 https://docslib.org/doc/11570542/chronic-care-management-services"
_SNF = "42 CFR 483.21(b)(1) https://lawserver.com/law/country/us/cfr/42_cfr_483-21"

RULE_GOAL_PATIENT: Final = Rule(
    code="CP-GOAL-PATIENT",
    severity=Severity.ERROR,
    summary="the plan has no goal stated by the patient",
    source=f"{_CP}; 42 CFR 441.301(c)(2) (HCBS person-centered plan); {_SNF}; {_CCM}",
)
RULE_GOAL_MEASURABLE: Final = Rule(
    code="CP-GOAL-MEASURABLE",
    severity=Severity.ERROR,
    summary="a goal has no measurable target or no due date",
    source=f"{_CP}; {_SNF} (measurable objectives and timeframes); {_CCM}",
)
RULE_ACTIVITY_OWNER: Final = Rule(
    code="CP-ACTIVITY-OWNER",
    severity=Severity.ERROR,
    summary="an activity has no responsible team member",
    source=f"{_CP}; {_CCM} (identification of the individuals responsible); "
    "http://infocusonline.net/chronic-care-management/",
)
RULE_ACTIVITY_LINKED: Final = Rule(
    code="CP-ACTIVITY-LINKED",
    severity=Severity.ERROR,
    summary="an activity serves no goal or need of the plan",
    source=f"{_CP}; FHIR R4 CarePlan.activity.detail.goal / CarePlan.addresses; {_CCM}",
)
RULE_AGREEMENT: Final = Rule(
    code="CP-AGREEMENT",
    severity=Severity.ERROR,
    summary="the patient's agreement to the plan as it stands is not recorded",
    source=f"{_CP}; domain.md SDOH-003; 42 CFR 441.301(c)(2)(ix) (plan agreed to by the "
    f"individual); {_CCM} (documented consent, copy of the plan to the patient)",
)
RULE_DECLINED_TREATMENT: Final = Rule(
    code="CP-DECLINED-TREATMENT",
    severity=Severity.ERROR,
    summary="an activity plans a treatment the patient declined, with no decision covering it "
    "and no override reason",
    source="domain.md §6 SDM-001, PRODUCT.md Preferences (treatments they decline); "
    "42 CFR 482.13(b)(2) (right to refuse treatment); 42 CFR 483.10(c)(6)",
)
RULE_REVIEW_OVERDUE: Final = Rule(
    code="CP-REVIEW-OVERDUE",
    severity=Severity.WARNING,
    summary="the plan's review is overdue",
    source="domain.md CP-001, CP-T02, CP-T03 (§5.2); 42 CFR 418.56, 440.70, 441.301(c)(3), "
    f"483.21; {_CCM}",
)
RULE_REVIEW_CADENCE: Final = Rule(
    code="CP-REVIEW-CADENCE",
    severity=Severity.WARNING,
    summary="a plan in effect has no known review cadence",
    source=f"domain.md §5.1 (schedule for periodic review and revision), CP-001; {_CCM}",
)

#: The individualization rules :func:`check_care_plan` applies.
CARE_PLAN_RULES: Final = (
    RULE_GOAL_PATIENT,
    RULE_GOAL_MEASURABLE,
    RULE_ACTIVITY_OWNER,
    RULE_ACTIVITY_LINKED,
    RULE_AGREEMENT,
    RULE_DECLINED_TREATMENT,
    RULE_REVIEW_OVERDUE,
    RULE_REVIEW_CADENCE,
)

Violation = tuple[Rule, Path, str | None]


def _violations(
    plan: CarePlan,
    preferences: Preferences,
    at: pendulum.DateTime,
    decisions: Iterable[CoversTreatment],
    team: CareTeam | None,
    events: Iterable[ReviewEvent],
    cadences: Iterable[ReviewCadence],
) -> Iterator[Violation]:
    _require(plan, CarePlan, "plan")
    _require(preferences, Preferences, "preferences")
    if team is not None:
        _require(team, CareTeam, "team")
    decisions = tuple(decisions)
    for i, d in enumerate(decisions):
        if not isinstance(d, CoversTreatment):
            raise ValidationError.single(("decisions", i), "expected a treatment decision", "type")
    cadences = tuple(cadences)

    goals = [(i, g) for i, g in enumerate(plan.goals) if g.status not in _GOAL_CLOSED]
    if not any(g.stated_by_patient for _, g in goals):
        yield RULE_GOAL_PATIENT, ("goals",), None
    for i, g in goals:
        if g.target is None:
            yield RULE_GOAL_MEASURABLE, ("goals", i, "target"), "a goal has no measurable target"
        if g.due is None:
            yield RULE_GOAL_MEASURABLE, ("goals", i, "due"), "a goal has no due date"

    for i, act in enumerate(plan.activities):
        if act.status in _ACTIVITY_CLOSED:
            continue
        owner = act.responsible_member_id
        if owner is None:
            yield RULE_ACTIVITY_OWNER, ("activities", i, "responsible_member_id"), None
        elif team is not None and not team.is_active(owner, at):
            yield (
                RULE_ACTIVITY_OWNER,
                ("activities", i, "responsible_member_id"),
                "the responsible member is not an active member of the care team",
            )
        if not act.goal_ids and not act.need_ids:
            yield RULE_ACTIVITY_LINKED, ("activities", i), None
        code = act.treatment_code
        if (
            code is not None
            and preferences.declines(code)
            and act.override_reason is None
            and not any(d.covers(code) for d in decisions)
        ):
            yield RULE_DECLINED_TREATMENT, ("activities", i, "treatment_code"), None

    if plan.agreement is None:
        yield RULE_AGREEMENT, ("agreement",), None
    elif not plan.agreement_is_current():
        yield (
            RULE_AGREEMENT,
            ("agreement",),
            "the plan changed after the patient's agreement was recorded",
        )

    if plan.in_effect:
        names = {c.name for c in cadences}
        if plan.review_cadence is None or plan.review_cadence not in names:
            yield RULE_REVIEW_CADENCE, ("review_cadence",), None
        elif is_review_overdue(plan, at, events=events, cadences=cadences):
            yield RULE_REVIEW_OVERDUE, ("last_reviewed_at",), None


def check_care_plan(
    plan: CarePlan,
    preferences: Preferences,
    at: pendulum.DateTime,
    decisions: Iterable[CoversTreatment] = (),
    *,
    team: CareTeam | None = None,
    events: Iterable[ReviewEvent] = (),
    cadences: Iterable[ReviewCadence] = REVIEW_CADENCES,
) -> tuple[Finding, ...]:
    """Every individualization finding of `plan` at instant `at` (:data:`CARE_PLAN_RULES`).

    `preferences` are the patient's (their declined treatments); `decisions` the treatment
    decisions in effect (anything with ``covers(treatment_code) -> bool``); `team`, when given,
    also checks that responsible members are active team members at `at`; `events` and
    `cadences` feed the review-overdue check (:func:`careroles.cadences.next_review_due`).
    """
    at = require_aware(at, "at")
    return tuple(
        rule.finding(path, message)
        for rule, path, message in _violations(
            plan, preferences, at, decisions, team, events, cadences
        )
    )
