"""Care plans: lifecycles, roles, individualization rules, read-only closed plans, bad input."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles.care_plans import (
    ACTIVITY_LIFECYCLE,
    CARE_PLAN_LIFECYCLE,
    CARE_PLAN_RULES,
    GOAL_LIFECYCLE,
    PERMISSIONS,
    Activity,
    ActivityKind,
    ActivityStatus,
    Agreement,
    AgreementMethod,
    CarePlan,
    CarePlanStatus,
    CoversTreatment,
    Goal,
    GoalAchievement,
    GoalStatus,
    Need,
    NeedKind,
    Revision,
    SdohCategory,
    Target,
    check_care_plan,
)
from careroles.care_teams import CareTeam, TeamMember
from careroles.errors import PermissionDenied, TransitionError, ValidationError
from careroles.findings import Finding, Severity
from careroles.patients import DeclinedTreatment, Preferences
from careroles.periods import Period, instant
from careroles.policy import DEFAULT_POLICY
from careroles.roles import Actor, Role
from careroles.strategies import care_plans

NY = "America/New_York"
T = pendulum.datetime(2026, 3, 9, 9, tz=NY)
CC = Actor(member_id="m-cc", role=Role.CARE_COORDINATOR)
TP = Actor(member_id="m-tp", role=Role.TREATING_PROVIDER)
PATIENT = Actor(member_id="m-pt", role=Role.PATIENT)
REP = Actor(member_id="m-rep", role=Role.PERSONAL_REPRESENTATIVE)
ADVOCATE = Actor(member_id="m-adv", role=Role.PATIENT_ADVOCATE)
CAREGIVER = Actor(member_id="m-cg", role=Role.CAREGIVER)
NOT_COORDINATORS = (TP, PATIENT, REP, ADVOCATE, CAREGIVER)

DECLINED = "38341003"
PREFS = Preferences()
DECLINING = Preferences(
    declined_treatments=(DeclinedTreatment(code=DECLINED, description="no more dialysis"),)
)
SECRET = "Zanzibar dialysis worries"
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(NY), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(NY), fold=1)


@attrs.frozen
class Decision:
    """A stand-in for careroles.decisions.TreatmentDecision (only the protocol matters)."""

    codes: frozenset[str]

    def covers(self, treatment_code: str) -> bool:
        return treatment_code in self.codes


def need(**changes: Any) -> Need:
    fields: dict[str, Any] = {
        "id": "n-1",
        "kind": NeedKind.SOCIAL,
        "description": "no ride to the clinic",
        "category": SdohCategory.TRANSPORTATION_INSECURITY,
    }
    return Need(**{**fields, **changes})


def goal(**changes: Any) -> Goal:
    fields: dict[str, Any] = {
        "id": "g-1",
        "description": "dance at my granddaughter's wedding",
        "stated_by_patient": True,
        "target": Target(measure="walking distance", detail="400 m without rest"),
        "due": pendulum.date(2026, 9, 1),
        "need_ids": ("n-1",),
    }
    return Goal(**{**fields, **changes})


def activity(**changes: Any) -> Activity:
    fields: dict[str, Any] = {
        "id": "a-1",
        "kind": ActivityKind.SUPPORTIVE_SERVICE,
        "description": "arrange transport to physiotherapy",
        "responsible_member_id": "m-cc",
        "goal_ids": ("g-1",),
        "need_ids": ("n-1",),
    }
    return Activity(**{**fields, **changes})


def draft(**changes: Any) -> CarePlan:
    fields: dict[str, Any] = {
        "id": "cp-1",
        "patient_id": "p-1",
        "care_team_id": "t-1",
        "title": "Getting back on my feet",
        "by": CC,
        "at": T,
        "needs": (need(),),
        "goals": (goal(),),
        "activities": (activity(),),
        "review_cadence": "ccm_monthly",
    }
    return CarePlan.draft(**{**fields, **changes})


def agreed(plan: CarePlan | None = None, at: pendulum.DateTime = T) -> CarePlan:
    plan = plan if plan is not None else draft()
    return plan.record_agreement(by=PATIENT, at=at, method=AgreementMethod.WRITTEN)


def active(plan: CarePlan | None = None) -> CarePlan:
    return agreed(plan).activate(by=CC, at=T.add(hours=1), preferences=PREFS)


#: Untyped views of callables, for feeding them deliberately wrong input.
unchecked: Any = check_care_plan


def untyped(f: Any) -> Any:
    return f


def evolve(obj: Any, **changes: Any) -> Any:
    return attrs.evolve(obj, **changes)


def codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.code for f in findings]


def check(plan: CarePlan, prefs: Preferences = PREFS, **kwargs: Any) -> list[str]:
    return codes(check_care_plan(plan, prefs, T.add(hours=2), **kwargs))


# --- drafting ----------------------------------------------------------------------------------


def test_a_coordinator_drafts_a_plan_that_starts_in_draft_with_a_draft_revision() -> None:
    plan = draft()
    assert plan.status is CarePlanStatus.DRAFT
    assert plan.history == ()
    assert [(r.action, r.by, r.at) for r in plan.revisions] == [("draft", CC, T)]


@pytest.mark.parametrize("actor", NOT_COORDINATORS, ids=lambda a: a.role.value)
def test_only_a_care_coordinator_drafts_a_plan(actor: Actor) -> None:
    with pytest.raises(PermissionDenied) as info:
        draft(by=actor)
    assert info.value.role == actor.role.value
    assert info.value.action == "draft"


def test_drafting_with_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValidationError):
        draft(at=_dt.datetime(2026, 3, 9, 9))


# --- the plan lifecycle ------------------------------------------------------------------------


def test_an_agreed_individualized_plan_activates_and_its_period_starts() -> None:
    plan = active()
    assert plan.status is CarePlanStatus.ACTIVE
    assert plan.period == Period(start=T.add(hours=1))
    assert plan.activated_at == T.add(hours=1)
    assert [(t.action, t.from_status, t.to_status, t.by) for t in plan.history] == [
        ("activate", CarePlanStatus.DRAFT, CarePlanStatus.ACTIVE, CC)
    ]


def test_suspend_resume_and_complete_follow_the_table_and_are_recorded() -> None:
    plan = active()
    held = plan.suspend(by=CC, at=T.add(days=1), reason="in hospital")
    assert held.status is CarePlanStatus.ON_HOLD
    resumed = held.resume(by=CC, at=T.add(days=5))
    assert resumed.status is CarePlanStatus.ACTIVE
    done = resumed.complete(by=CC, at=T.add(days=90))
    assert done.status is CarePlanStatus.COMPLETED
    assert done.period == Period(start=T.add(hours=1), end=T.add(days=90))
    assert [t.action for t in done.history] == ["activate", "suspend", "resume", "complete"]
    assert done.history[1].reason == "in hospital"
    on_hold_done = held.complete(by=CC, at=T.add(days=2))
    assert on_hold_done.status is CarePlanStatus.COMPLETED


@pytest.mark.parametrize("start", ["draft", "active", "on-hold"])
@pytest.mark.parametrize("action", ["revoke", "mark_entered_in_error"])
def test_revoke_and_entered_in_error_are_possible_from_any_open_status(
    start: str, action: str
) -> None:
    plan = {"draft": draft, "active": active, "on-hold": lambda: held_plan()}[start]()
    moved = getattr(plan, action)(by=CC, at=T.add(days=3), reason="duplicate record")
    assert moved.status.value == {"revoke": "revoked"}.get(action, "entered-in-error")
    assert moved.history[-1].reason == "duplicate record"


def held_plan() -> CarePlan:
    return active().suspend(by=CC, at=T.add(days=1), reason="travelling")


@pytest.mark.parametrize(
    ("make", "action"),
    [
        (draft, "suspend"),
        (draft, "resume"),
        (draft, "complete"),
        (active, "resume"),
        (held_plan, "suspend"),
    ],
)
def test_illegal_transitions_are_refused_naming_what_is_allowed(
    make: Callable[[], CarePlan], action: str
) -> None:
    plan = make()
    kwargs: dict[str, Any] = {"reason": "x"} if action == "suspend" else {}
    with pytest.raises(TransitionError) as info:
        getattr(plan, action)(by=CC, at=T.add(days=3), **kwargs)
    assert info.value.allowed == CARE_PLAN_LIFECYCLE.allowed_actions(plan.status)
    assert info.value.action == action


def test_activating_a_plan_that_is_not_a_draft_is_refused() -> None:
    with pytest.raises(TransitionError):
        active().activate(by=CC, at=T.add(days=1), preferences=PREFS)


@pytest.mark.parametrize("action", ["suspend", "revoke", "mark_entered_in_error"])
def test_actions_that_need_a_reason_refuse_a_blank_one(action: str) -> None:
    with pytest.raises(ValidationError) as info:
        getattr(active(), action)(by=CC, at=T.add(days=1), reason="  ")
    assert info.value.problems[0].code == "reason_required"


@pytest.mark.parametrize("actor", NOT_COORDINATORS, ids=lambda a: a.role.value)
@pytest.mark.parametrize("action", ["suspend", "complete", "revoke", "mark_entered_in_error"])
def test_only_a_care_coordinator_changes_the_plan_status(actor: Actor, action: str) -> None:
    kwargs: dict[str, Any] = {} if action == "complete" else {"reason": "x"}
    with pytest.raises(PermissionDenied):
        getattr(active(), action)(by=actor, at=T.add(days=1), **kwargs)


@pytest.mark.parametrize("actor", NOT_COORDINATORS, ids=lambda a: a.role.value)
def test_only_a_care_coordinator_activates_a_plan(actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        agreed().activate(by=actor, at=T.add(hours=1), preferences=PREFS)


def test_a_replaced_policy_lets_another_role_activate() -> None:
    policy = DEFAULT_POLICY.replace("care_plan", "activate", {Role.TREATING_PROVIDER})
    plan = agreed().activate(by=TP, at=T.add(hours=1), preferences=PREFS, policy=policy)
    assert plan.status is CarePlanStatus.ACTIVE
    with pytest.raises(PermissionDenied):
        agreed().activate(by=CC, at=T.add(hours=1), preferences=PREFS, policy=policy)


def test_an_action_dated_before_the_previous_one_is_refused() -> None:
    plan = active().record_review(by=CC, at=T.add(days=10))
    with pytest.raises(ValidationError) as info:
        plan.suspend(by=CC, at=T.add(days=5), reason="x")
    assert info.value.problems[0].code == "out_of_order"
    with pytest.raises(ValidationError):
        plan.add_need(need(id="n-2"), by=CC, at=T.add(days=5))


def test_a_change_later_in_the_repeated_hour_than_the_previous_one_is_accepted() -> None:
    changed = draft(at=EDT_0159).add_need(need(id="n-2"), by=CC, at=EST_0130)
    assert [r.at.timestamp() for r in changed.revisions] == [
        EDT_0159.timestamp(),
        EST_0130.timestamp(),
    ]


def test_a_change_earlier_in_the_repeated_hour_than_the_previous_one_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        draft(at=EST_0130).add_need(need(id="n-2"), by=CC, at=EDT_0159)
    assert info.value.problems[0].code == "out_of_order"


def test_a_plan_completed_in_the_repeated_hour_ends_its_period_there() -> None:
    plan = agreed().activate(by=CC, at=EDT_0159, preferences=PREFS)
    done = plan.complete(by=CC, at=EST_0130)
    assert done.period is not None
    assert done.period.end is not None
    assert done.period.end.timestamp() == EST_0130.timestamp()


def test_the_tables_follow_fhir_and_their_terminal_statuses() -> None:
    assert CARE_PLAN_LIFECYCLE.reachable() == frozenset(CarePlanStatus)
    assert CARE_PLAN_LIFECYCLE.terminal_statuses() == {
        CarePlanStatus.COMPLETED,
        CarePlanStatus.REVOKED,
        CarePlanStatus.ENTERED_IN_ERROR,
    }
    assert {s.value for s in GoalStatus} == {
        "proposed",
        "planned",
        "accepted",
        "active",
        "on-hold",
        "completed",
        "cancelled",
        "entered-in-error",
        "rejected",
    }
    assert GOAL_LIFECYCLE.reachable() == frozenset(GoalStatus)
    assert ACTIVITY_LIFECYCLE.reachable() == frozenset(ActivityStatus) - {ActivityStatus.UNKNOWN}
    assert GOAL_LIFECYCLE.terminal_statuses() == {GoalStatus.ENTERED_IN_ERROR}
    assert "stateDiagram-v2" in CARE_PLAN_LIFECYCLE.mermaid()


def test_the_default_policy_holds_every_care_plan_row() -> None:
    rows = (
        *PERMISSIONS,
        *CARE_PLAN_LIFECYCLE.permissions(),
        *GOAL_LIFECYCLE.permissions(),
        *ACTIVITY_LIFECYCLE.permissions(),
    )
    for row in rows:
        assert DEFAULT_POLICY.roles_for(row.subject, row.action) == row.roles
    assert not DEFAULT_POLICY.allows(Role.PATIENT_ADVOCATE, "care_plan", "add_goal")


# --- read-only when closed ---------------------------------------------------------------------

CHANGES: dict[str, Callable[[CarePlan, pendulum.DateTime], object]] = {
    "add_need": lambda p, at: p.add_need(need(id="n-9"), by=CC, at=at),
    "add_goal": lambda p, at: p.add_goal(goal(id="g-9"), by=CC, at=at),
    "add_activity": lambda p, at: p.add_activity(activity(id="a-9"), by=CC, at=at),
    "update_activity": lambda p, at: p.update_activity("a-1", by=CC, at=at, due=at.date()),
    "change_goal_status": lambda p, at: p.change_goal_status("g-1", "accept", by=CC, at=at),
    "change_activity_status": lambda p, at: p.change_activity_status("a-1", "start", by=CC, at=at),
    "record_goal_achievement": lambda p, at: p.record_goal_achievement(
        "g-1", GoalAchievement.IMPROVING, by=CC, at=at
    ),
    "change_review_cadence": lambda p, at: p.change_review_cadence("pcm_monthly", by=CC, at=at),
    "record_agreement": lambda p, at: p.record_agreement(
        by=PATIENT, at=at, method=AgreementMethod.VERBAL
    ),
    "record_review": lambda p, at: p.record_review(by=CC, at=at),
    "suspend": lambda p, at: p.suspend(by=CC, at=at, reason="x"),
    "resume": lambda p, at: p.resume(by=CC, at=at),
    "complete": lambda p, at: p.complete(by=CC, at=at),
    "revoke": lambda p, at: p.revoke(by=CC, at=at, reason="x"),
    "activate": lambda p, at: p.activate(by=CC, at=at, preferences=PREFS),
}

CLOSERS: dict[str, Callable[[CarePlan], CarePlan]] = {
    "completed": lambda p: p.complete(by=CC, at=T.add(days=2)),
    "revoked": lambda p: p.revoke(by=CC, at=T.add(days=2), reason="patient moved away"),
    "entered-in-error": lambda p: p.mark_entered_in_error(
        by=CC, at=T.add(days=2), reason="wrong patient"
    ),
}


@pytest.mark.parametrize("closed", sorted(CLOSERS))
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_closed_plan_is_read_only(closed: str, change: str) -> None:
    plan = CLOSERS[closed](active())
    assert plan.read_only
    with pytest.raises(TransitionError) as info:
        CHANGES[change](plan, T.add(days=3))
    assert info.value.status == closed
    assert info.value.allowed == ()


@pytest.mark.parametrize("change", sorted(set(CHANGES) - {"activate", "suspend", "resume"}))
def test_an_open_plan_accepts_the_same_changes(change: str) -> None:
    plan = active()
    assert isinstance(CHANGES[change](plan, T.add(days=3)), CarePlan)


# --- content changes and their roles -----------------------------------------------------------


def test_every_change_is_kept_as_a_revision_naming_the_item() -> None:
    plan = draft(needs=(), goals=(), activities=())
    plan = plan.add_need(need(), by=CC, at=T.add(minutes=1))
    plan = plan.add_goal(goal(), by=CC, at=T.add(minutes=2))
    plan = plan.add_activity(activity(), by=TP, at=T.add(minutes=3))
    plan = plan.update_activity(
        "a-1", by=TP, at=T.add(minutes=4), reason="clinic moved", due=pendulum.date(2026, 4, 1)
    )
    assert [(r.action, r.item_id, r.by) for r in plan.revisions] == [
        ("draft", None, CC),
        ("add_need", "n-1", CC),
        ("add_goal", "g-1", CC),
        ("add_activity", "a-1", TP),
        ("update_activity", "a-1", TP),
    ]
    assert plan.activity("a-1").due == pendulum.date(2026, 4, 1)
    assert plan.revisions[-1].note == "clinic moved"
    assert "clinic moved" not in repr(plan)


@pytest.mark.parametrize(
    "actor", [TP, PATIENT, REP, ADVOCATE, CAREGIVER], ids=lambda a: a.role.value
)
def test_only_a_coordinator_adds_needs_and_goals(actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        draft().add_need(need(id="n-2"), by=actor, at=T)
    with pytest.raises(PermissionDenied):
        draft().add_goal(goal(id="g-2"), by=actor, at=T)


@pytest.mark.parametrize("actor", [PATIENT, REP, ADVOCATE, CAREGIVER], ids=lambda a: a.role.value)
def test_only_a_coordinator_or_treating_provider_adds_and_updates_activities(actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        draft().add_activity(activity(id="a-2"), by=actor, at=T)
    with pytest.raises(PermissionDenied):
        draft().update_activity("a-1", by=actor, at=T, due=T.date())
    with pytest.raises(PermissionDenied):
        active().change_activity_status("a-1", "start", by=actor, at=T.add(days=1))


def test_update_activity_refuses_unknown_fields_status_and_missing_activities() -> None:
    plan = draft()
    with pytest.raises(ValidationError) as info:
        plan.update_activity("a-1", by=CC, at=T, status=ActivityStatus.COMPLETED)
    assert info.value.problems[0].path == ("status",)
    with pytest.raises(ValidationError):
        plan.update_activity("a-1", by=CC, at=T)
    with pytest.raises(ValidationError) as info:
        plan.update_activity("a-404", by=CC, at=T, due=T.date())
    assert info.value.problems[0].code == "not_found"
    with pytest.raises(ValidationError) as info:
        plan.update_activity("a-1", by=CC, at=T, goal_ids=("g-404",))
    assert info.value.problems[0].code == "link"
    with pytest.raises(ValidationError) as info:
        plan.update_activity("a-1", by=CC, at=T, due="2026-04-01")
    assert info.value.problems[0].path == ("activities", 0, "due")


def test_items_must_link_to_needs_and_goals_of_the_plan_and_ids_are_unique() -> None:
    with pytest.raises(ValidationError) as info:
        draft().add_goal(goal(id="g-2", need_ids=("n-404",)), by=CC, at=T)
    assert info.value.problems[0].code == "link"
    with pytest.raises(ValidationError) as info:
        draft().add_need(need(), by=CC, at=T)
    assert info.value.problems[0].code == "duplicate"
    with pytest.raises(ValidationError):
        draft().add_activity(activity(), by=CC, at=T)


def test_new_goals_and_activities_start_open_without_history() -> None:
    with pytest.raises(ValidationError) as info:
        draft(goals=(goal(status=GoalStatus.CANCELLED),))
    assert info.value.problems[0].code == "new_item"
    with pytest.raises(ValidationError):
        draft(activities=(activity(status=ActivityStatus.COMPLETED),))
    with pytest.raises(ValidationError):
        draft().add_goal(goal(id="g-2", status=GoalStatus.COMPLETED), by=CC, at=T)
    with pytest.raises(ValidationError):
        draft().add_activity(activity(id="a-2", status=ActivityStatus.STOPPED), by=CC, at=T)
    with pytest.raises(ValidationError):
        draft().add_goal("g-2", by=CC, at=T)  # type: ignore[arg-type]


def test_the_patient_or_a_representative_records_agreement_and_no_one_else() -> None:
    for actor in (PATIENT, REP):
        plan = draft().record_agreement(by=actor, at=T, method=AgreementMethod.VERBAL)
        assert plan.agreement == Agreement(by=actor, at=T, method=AgreementMethod.VERBAL)
        assert plan.agreement.on_behalf_of_patient is (actor is REP)
    for actor in (CC, TP, ADVOCATE, CAREGIVER):
        with pytest.raises(PermissionDenied):
            draft().record_agreement(by=actor, at=T, method=AgreementMethod.VERBAL)


def test_a_review_is_recorded_only_on_a_plan_in_effect() -> None:
    with pytest.raises(TransitionError):
        draft().record_review(by=CC, at=T)
    plan = active().record_review(by=CC, at=T.add(days=20), note="doing well")
    assert plan.last_reviewed_at == T.add(days=20)
    assert plan.revisions[-1].action == "record_review"
    with pytest.raises(PermissionDenied):
        active().record_review(by=TP, at=T.add(days=20))


# --- goal and activity lifecycles --------------------------------------------------------------


def test_a_goal_moves_through_its_fhir_lifecycle_with_the_patient_accepting_it() -> None:
    plan = active(draft(goals=(goal(status=GoalStatus.PROPOSED),)))
    plan = plan.change_goal_status("g-1", "accept", by=PATIENT, at=T.add(days=1))
    plan = plan.change_goal_status("g-1", "start", by=CC, at=T.add(days=2))
    plan = plan.change_goal_status("g-1", "hold", by=CC, at=T.add(days=3), reason="surgery")
    plan = plan.change_goal_status("g-1", "resume", by=CC, at=T.add(days=9))
    plan = plan.change_goal_status("g-1", "complete", by=CC, at=T.add(days=60))
    g = plan.goal("g-1")
    assert g.status is GoalStatus.COMPLETED is g.lifecycle_status
    assert [t.action for t in g.history] == ["accept", "start", "hold", "resume", "complete"]
    assert plan.revisions[-1].action == "goal:complete"


def test_illegal_goal_transitions_and_roles_are_refused() -> None:
    plan = active(draft(goals=(goal(status=GoalStatus.PROPOSED),)))
    with pytest.raises(TransitionError):
        plan.change_goal_status("g-1", "complete", by=CC, at=T.add(days=1))
    with pytest.raises(TransitionError):
        plan.change_goal_status("g-1", "fly", by=CC, at=T.add(days=1))
    with pytest.raises(PermissionDenied):
        plan.change_goal_status("g-1", "start", by=PATIENT, at=T.add(days=1))
    with pytest.raises(ValidationError):
        plan.change_goal_status("g-1", "reject", by=PATIENT, at=T.add(days=1))
    rejected = plan.change_goal_status("g-1", "reject", by=PATIENT, at=T.add(days=1), reason="no")
    assert rejected.goal("g-1").status is GoalStatus.REJECTED
    with pytest.raises(ValidationError):
        plan.change_goal_status("g-404", "accept", by=CC, at=T.add(days=1))


def test_goal_achievement_is_a_separate_axis() -> None:
    plan = active().record_goal_achievement(
        "g-1", GoalAchievement.IMPROVING, by=TP, at=T.add(days=1)
    )
    assert plan.goal("g-1").achievement is GoalAchievement.IMPROVING
    assert plan.goal("g-1").status is GoalStatus.PROPOSED
    with pytest.raises(ValidationError):
        active().record_goal_achievement("g-1", "improving", by=CC, at=T.add(days=1))  # type: ignore[arg-type]


def test_an_activity_is_scheduled_with_its_appointment_and_completed() -> None:
    plan = active()
    plan = plan.change_activity_status(
        "a-1", "schedule", by=TP, at=T.add(days=1), appointment_id="ap-7"
    )
    assert plan.activity("a-1").appointment_id == "ap-7"
    assert plan.activity("a-1").status is ActivityStatus.SCHEDULED
    plan = plan.change_activity_status("a-1", "start", by=CC, at=T.add(days=2))
    plan = plan.change_activity_status("a-1", "hold", by=CC, at=T.add(days=3), reason="flu")
    plan = plan.change_activity_status("a-1", "resume", by=CC, at=T.add(days=4))
    plan = plan.change_activity_status("a-1", "complete", by=TP, at=T.add(days=5))
    assert [t.action for t in plan.activity("a-1").history] == [
        "schedule",
        "start",
        "hold",
        "resume",
        "complete",
    ]


def test_an_activity_is_cancelled_before_it_starts_and_stopped_after() -> None:
    plan = active()
    cancelled = plan.change_activity_status("a-1", "cancel", by=CC, at=T.add(days=1), reason="x")
    assert cancelled.activity("a-1").status is ActivityStatus.CANCELLED
    started = plan.change_activity_status("a-1", "start", by=CC, at=T.add(days=1))
    with pytest.raises(TransitionError):
        started.change_activity_status("a-1", "cancel", by=CC, at=T.add(days=2), reason="x")
    stopped = started.change_activity_status("a-1", "stop", by=CC, at=T.add(days=2), reason="x")
    assert stopped.activity("a-1").status is ActivityStatus.STOPPED


def test_activity_status_changes_do_not_make_the_agreement_stale() -> None:
    plan = active().change_activity_status("a-1", "start", by=CC, at=T.add(days=1))
    assert plan.agreement_is_current()


# --- individualization rules -------------------------------------------------------------------


def test_a_complete_agreed_plan_has_no_findings() -> None:
    assert check(agreed()) == []
    assert check(active()) == []


def test_cp_goal_patient_needs_a_goal_in_the_patients_own_words() -> None:
    plan = agreed(draft(goals=(goal(stated_by_patient=False),)))
    assert check(plan) == ["CP-GOAL-PATIENT"]
    cancelled = agreed(
        draft(goals=(goal(), goal(id="g-2", stated_by_patient=False))).change_goal_status(
            "g-1", "cancel", by=CC, at=T, reason="no longer wanted"
        )
    )
    assert check(cancelled) == ["CP-GOAL-PATIENT"]
    assert check(agreed(draft(goals=(goal(), goal(id="g-2", stated_by_patient=False))))) == []


def test_cp_goal_patient_applies_to_a_plan_without_goals() -> None:
    plan = agreed(draft(goals=(), activities=(activity(goal_ids=()),)))
    assert check(plan) == ["CP-GOAL-PATIENT"]


def test_cp_goal_measurable_needs_a_target_and_a_due_date() -> None:
    findings = check_care_plan(
        agreed(draft(goals=(goal(target=None), goal(id="g-2", due=None)))), PREFS, T
    )
    assert [(f.code, f.path) for f in findings] == [
        ("CP-GOAL-MEASURABLE", "$.goals[0].target"),
        ("CP-GOAL-MEASURABLE", "$.goals[1].due"),
    ]
    assert all(f.severity is Severity.ERROR for f in findings)


def test_cp_activity_owner_needs_a_responsible_member() -> None:
    plan = agreed(draft(activities=(activity(responsible_member_id=None),)))
    findings = check_care_plan(plan, PREFS, T)
    assert [(f.code, f.path) for f in findings] == [
        ("CP-ACTIVITY-OWNER", "$.activities[0].responsible_member_id")
    ]


def test_cp_activity_owner_checks_membership_when_the_team_is_given() -> None:
    team = CareTeam(
        id="t-1",
        patient_id="p-1",
        members=(
            TeamMember(
                member_id="m-cc",
                role=Role.CARE_COORDINATOR,
                period=Period(start=T.subtract(days=9)),
            ),
        ),
    )
    assert check(agreed(), team=team) == []
    stranger = agreed(draft(activities=(activity(responsible_member_id="m-gone"),)))
    assert check(stranger) == []
    assert check(stranger, team=team) == ["CP-ACTIVITY-OWNER"]


def test_cp_activity_linked_needs_a_goal_or_a_need() -> None:
    assert check(agreed(draft(activities=(activity(goal_ids=(), need_ids=()),)))) == [
        "CP-ACTIVITY-LINKED"
    ]
    assert check(agreed(draft(activities=(activity(goal_ids=()),)))) == []
    assert check(agreed(draft(activities=(activity(need_ids=()),)))) == []


def test_closed_goals_and_activities_are_not_held_to_the_rules() -> None:
    plan = draft(activities=(activity(responsible_member_id=None, goal_ids=(), need_ids=()),))
    plan = plan.change_activity_status("a-1", "cancel", by=CC, at=T, reason="not needed")
    assert check(agreed(plan, at=T)) == []


def test_cp_agreement_needs_a_recorded_agreement() -> None:
    findings = check_care_plan(draft(), PREFS, T)
    assert [(f.code, f.path) for f in findings] == [("CP-AGREEMENT", "$.agreement")]


def test_cp_agreement_goes_stale_when_the_plan_changes_after_it() -> None:
    plan = agreed().add_activity(activity(id="a-2"), by=CC, at=T.add(minutes=5))
    assert check(plan) == ["CP-AGREEMENT"]
    assert not plan.agreement_is_current()
    assert check(agreed(plan, at=T.add(minutes=6))) == []


def test_cp_agreement_compares_instants_when_a_loaded_plan_has_no_agreement_revision() -> None:
    base = draft()
    plan = evolve(
        base, agreement=Agreement(by=PATIENT, at=T.add(minutes=1), method=AgreementMethod.WRITTEN)
    )
    assert check(plan) == []
    older = evolve(
        base,
        agreement=Agreement(by=PATIENT, at=T.subtract(days=1), method=AgreementMethod.WRITTEN),
    )
    assert check(older) == ["CP-AGREEMENT"]


def test_cp_declined_treatment_flags_a_declined_code() -> None:
    plan = agreed(draft(activities=(activity(treatment_code=DECLINED),)))
    findings = check_care_plan(plan, DECLINING, T)
    assert [(f.code, f.path) for f in findings] == [
        ("CP-DECLINED-TREATMENT", "$.activities[0].treatment_code")
    ]
    assert check(plan) == []  # the default preferences decline nothing


def test_cp_declined_treatment_is_lifted_by_a_covering_decision_only() -> None:
    plan = agreed(draft(activities=(activity(treatment_code=DECLINED),)))
    assert check(plan, DECLINING, decisions=[Decision(frozenset({DECLINED}))]) == []
    assert check(plan, DECLINING, decisions=[Decision(frozenset({"1"}))]) == [
        "CP-DECLINED-TREATMENT"
    ]
    assert isinstance(Decision(frozenset()), CoversTreatment)


def test_cp_declined_treatment_is_lifted_by_an_override_reason() -> None:
    plan = agreed(
        draft(
            activities=(activity(treatment_code=DECLINED, override_reason="patient asked again"),)
        )
    )
    assert check(plan, DECLINING) == []


def test_cp_review_overdue_and_cp_review_cadence_apply_to_plans_in_effect() -> None:
    plan = active()
    late = T.add(months=1, days=1)
    assert codes(check_care_plan(plan, PREFS, late)) == ["CP-REVIEW-OVERDUE"]
    assert codes(check_care_plan(plan, PREFS, T.add(days=20))) == []
    reviewed = plan.record_review(by=CC, at=T.add(days=25))
    assert codes(check_care_plan(reviewed, PREFS, late)) == []
    finding = check_care_plan(plan, PREFS, late)[0]
    assert finding.severity is Severity.WARNING
    assert finding.path == "$.last_reviewed_at"


def test_cp_review_cadence_flags_a_plan_in_effect_without_a_known_cadence() -> None:
    assert check(agreed(draft(review_cadence=None))) == []  # a draft is not held to it
    plan = active(draft(review_cadence=None))
    assert check(plan) == ["CP-REVIEW-CADENCE"]
    custom = active(draft(review_cadence="weekly_check"))
    assert check(custom) == ["CP-REVIEW-CADENCE"]
    assert check(active()) == []


def test_activation_refuses_every_error_finding_at_once_as_problems() -> None:
    plan = draft(
        goals=(goal(stated_by_patient=False, target=None),),
        activities=(activity(responsible_member_id=None, treatment_code=DECLINED),),
    )
    with pytest.raises(ValidationError) as info:
        plan.activate(by=CC, at=T.add(hours=1), preferences=DECLINING)
    assert sorted(p.code for p in info.value.problems) == [
        "CP-ACTIVITY-OWNER",
        "CP-AGREEMENT",
        "CP-DECLINED-TREATMENT",
        "CP-GOAL-MEASURABLE",
        "CP-GOAL-PATIENT",
    ]
    assert info.value.problems[0].path == ("goals",)


def test_activation_with_a_covering_decision_succeeds() -> None:
    plan = agreed(draft(activities=(activity(treatment_code=DECLINED),)))
    with pytest.raises(ValidationError):
        plan.activate(by=CC, at=T.add(hours=1), preferences=DECLINING)
    ok = plan.activate(
        by=CC,
        at=T.add(hours=1),
        preferences=DECLINING,
        decisions=[Decision(frozenset({DECLINED}))],
    )
    assert ok.status is CarePlanStatus.ACTIVE


def test_activation_checks_team_membership_when_the_team_is_given() -> None:
    team = CareTeam(id="t-1", patient_id="p-1")
    with pytest.raises(ValidationError) as info:
        agreed().activate(by=CC, at=T.add(hours=1), preferences=PREFS, team=team)
    assert [p.code for p in info.value.problems] == ["CP-ACTIVITY-OWNER"]


def test_findings_and_errors_never_carry_patient_text() -> None:
    plan = draft(
        title=SECRET,
        goals=(goal(description=SECRET, stated_by_patient=False, target=None),),
        activities=(activity(description=SECRET, responsible_member_id=None),),
    )
    shown = " ".join(f.message + f.path for f in check_care_plan(plan, PREFS, T))
    with pytest.raises(ValidationError) as info:
        plan.activate(by=CC, at=T.add(hours=1), preferences=PREFS)
    for text in (shown, str(info.value), repr(plan)):
        assert "Zanzibar" not in text


def test_every_rule_cites_the_domain_rule_and_a_source() -> None:
    seen = [r.code for r in CARE_PLAN_RULES]
    assert len(seen) == len(set(seen))
    for rule in CARE_PLAN_RULES:
        assert rule.code.startswith("CP-")
        assert "domain.md" in rule.source
        assert "CFR" in rule.source or "CMS" in rule.source
    assert {
        "CP-GOAL-PATIENT",
        "CP-GOAL-MEASURABLE",
        "CP-ACTIVITY-OWNER",
        "CP-ACTIVITY-LINKED",
        "CP-AGREEMENT",
        "CP-DECLINED-TREATMENT",
        "CP-REVIEW-OVERDUE",
    } <= set(seen)


@pytest.mark.parametrize(
    "call",
    [
        lambda: unchecked(draft(), PREFS, _dt.datetime(2026, 3, 9)),
        lambda: unchecked(draft(), {"declined": []}, T),
        lambda: unchecked("cp-1", PREFS, T),
        lambda: unchecked(draft(), PREFS, T, decisions=["38341003"]),
        lambda: unchecked(draft(), PREFS, T, team="t-1"),
    ],
)
def test_check_care_plan_refuses_bad_input(call: Callable[[], object]) -> None:
    with pytest.raises(ValidationError):
        call()


# --- bad input to constructors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: need(category=None), "sdoh_category"),
        (lambda: need(kind=NeedKind.CLINICAL), "sdoh_category"),
        (lambda: need(id=""), "empty"),
        (lambda: need(category="housing"), "type"),
        (lambda: Target(measure=" ", detail="x"), "empty"),
        (lambda: goal(due=T), "type"),
        (lambda: goal(stated_by_patient="yes"), "type"),
        (lambda: goal(need_ids=("n-1", "n-1")), "duplicate"),
        (lambda: goal(status="done"), "type"),
        (lambda: activity(kind="surgery"), "type"),
        (lambda: activity(override_reason=""), "empty"),
        (lambda: activity(goal_ids="g-1"), "type"),
        (lambda: Agreement(by=CC, at=T, method=AgreementMethod.VERBAL), "agreement_role"),
        (
            lambda: untyped(Agreement)(
                by=PATIENT,
                at=_dt.datetime(2026, 3, 9),
                method=AgreementMethod.VERBAL,
            ),
            "naive_datetime",
        ),
        (lambda: Revision(action="", at=T, by=CC), "empty"),
        (lambda: draft(id=""), "empty"),
        (lambda: draft(title=""), "empty"),
        (lambda: draft(period=Period(start=T, end=T)), "period_inverted"),
        (lambda: draft(activities=(activity(need_ids=("n-404",)),)), "link"),
    ],
)
def test_constructors_refuse_bad_input(make: Callable[[], object], code: str) -> None:
    with pytest.raises(ValidationError) as info:
        make()
    assert code in [p.code for p in info.value.problems]


def test_revisions_out_of_order_are_refused() -> None:
    plan = draft()
    with pytest.raises(ValidationError):
        evolve(
            plan, revisions=(*plan.revisions, Revision(action="x", at=T.subtract(days=1), by=CC))
        )


def test_a_revision_earlier_in_the_repeated_hour_than_the_one_before_is_refused() -> None:
    plan = draft(at=EST_0130)
    before = Revision(action="x", at=EDT_0159, by=CC)
    with pytest.raises(ValidationError) as info:
        evolve(plan, revisions=(*plan.revisions, before))
    assert [(p.path, p.code) for p in info.value.problems] == [
        (("revisions", 1, "at"), "out_of_order")
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "unknown"),
        ("status", "Active"),
        ("needs", [{"id": "n-1", "kind": "social", "description": "x", "category": "poverty"}]),
    ],
)
def test_loading_unknown_enum_values_is_refused(field: str, value: object) -> None:
    plain = careroles.unstructure(draft())
    plain[field] = value
    with pytest.raises(ValidationError):
        careroles.structure(plain, CarePlan)


def test_a_plan_loads_back_equal_after_its_whole_life() -> None:
    plan = held_plan().record_review(by=CC, at=T.add(days=2)).complete(by=CC, at=T.add(days=3))
    assert careroles.loads(careroles.dumps(plan), CarePlan) == plan


# --- properties --------------------------------------------------------------------------------


@given(plan=care_plans())
def test_any_plan_checks_without_error_and_reports_only_catalogued_rules(plan: CarePlan) -> None:
    at = (
        plan.revisions[-1].at
        if not plan.history
        else max(plan.revisions[-1].at, plan.history[-1].at, key=instant)
    )
    findings = check_care_plan(plan, PREFS, at.add(days=1))
    assert set(codes(findings)) <= {r.code for r in CARE_PLAN_RULES}
    if plan.read_only:
        with pytest.raises(TransitionError):
            plan.add_need(need(id="n-new"), by=CC, at=at.add(days=1))


@given(plan=care_plans(), data=st.data())
def test_any_open_plan_refuses_a_change_by_an_advocate(
    plan: CarePlan, data: st.DataObject
) -> None:
    change = data.draw(st.sampled_from(sorted(set(CHANGES) - {"record_agreement"})))
    at = pendulum.datetime(2045, 1, 1, tz="UTC")
    with pytest.raises((PermissionDenied, TransitionError)):
        CHANGES[change](_as_actor(plan, ADVOCATE), at)


def _as_actor(plan: CarePlan, actor: Actor) -> CarePlan:
    """A view of `plan` whose operations are attempted by `actor` (see CHANGES)."""
    return _ActorProxy(plan, actor)  # type: ignore[return-value]


class _ActorProxy:
    def __init__(self, plan: CarePlan, actor: Actor) -> None:
        self._plan = plan
        self._actor = actor

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._plan, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            kwargs["by"] = self._actor
            return method(*args, **kwargs)

        return call
