"""Strategies for care plans and review cadences.

Statuses and histories are reached by applying legal sequences of the plan's own operations
(lifecycle actions, content changes, agreement, reviews), never by writing history directly.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pendulum
from hypothesis import strategies as st

from careroles._model import evolve
from careroles.cadences import (
    REVIEW_CADENCES,
    ReviewCadence,
    ReviewEvent,
    ReviewEventKind,
    TcmComplexity,
    TcmDueDates,
    transitional_care_due,
)
from careroles.care_plans import (
    ACTIVITY_LIFECYCLE,
    GOAL_LIFECYCLE,
    Activity,
    ActivityKind,
    Agreement,
    AgreementMethod,
    CarePlan,
    Goal,
    GoalAchievement,
    GoalStatus,
    Need,
    NeedKind,
    Revision,
    SdohCategory,
    Target,
)
from careroles.lifecycle import Lifecycle
from careroles.patients import Preferences
from careroles.roles import PATIENT_SIDE, Actor, Role
from careroles.strategies._core import actors, datetimes, identifiers, texts

__all__ = [
    "activities",
    "agreements",
    "care_plans",
    "goals",
    "needs",
    "plan_revisions",
    "review_cadences",
    "review_events",
    "targets",
    "tcm_due_dates",
]

_HIGH = _dt.datetime(2039, 1, 1)  # noqa: DTZ001 - hypothesis bounds are naive


def _codes() -> st.SearchStrategy[str]:
    return st.from_regex(r"[0-9]{6,9}", fullmatch=True)


def _dates() -> st.SearchStrategy[pendulum.Date]:
    return st.dates(min_value=_dt.date(2000, 1, 1), max_value=_dt.date(2040, 12, 31)).map(
        lambda d: pendulum.Date(d.year, d.month, d.day)
    )


@st.composite
def needs(draw: st.DrawFn, need_id: str | None = None) -> Need:
    kind = draw(st.sampled_from(NeedKind))
    return Need(
        id=need_id if need_id is not None else draw(identifiers("n-")),
        kind=kind,
        description=draw(texts()),
        code=draw(st.none() | _codes()),
        category=draw(st.sampled_from(SdohCategory)) if kind is NeedKind.SOCIAL else None,
    )


def targets() -> st.SearchStrategy[Target]:
    return st.builds(Target, measure=texts(), detail=texts())


def _actor_for(draw: st.DrawFn, roles: frozenset[Role]) -> Actor:
    role = draw(st.sampled_from(sorted(roles)))
    return Actor(member_id=draw(identifiers("m-")), role=role)


def _walk(
    draw: st.DrawFn, lifecycle: Lifecycle[Any], obj: Any, at: pendulum.DateTime, max_steps: int = 3
) -> Any:
    """Apply up to `max_steps` legal actions of `lifecycle` to `obj`."""
    for _ in range(draw(st.integers(0, max_steps))):
        allowed = lifecycle.allowed_actions(obj.status)
        if not allowed:
            break
        row = lifecycle.action(draw(st.sampled_from(allowed)))
        assert row is not None
        at = at.add(minutes=draw(st.integers(0, 5000)))
        reason = draw(texts()) if row.requires_reason else draw(st.none() | texts())
        obj = lifecycle.apply(obj, row.name, by=_actor_for(draw, row.roles), at=at, reason=reason)
    return obj


def _goal(draw: st.DrawFn, goal_id: str, need_ids: list[str], measurable: bool) -> Goal:
    return Goal(
        id=goal_id,
        description=draw(texts()),
        stated_by_patient=draw(st.booleans()),
        target=draw(targets()) if measurable else draw(st.none() | targets()),
        due=draw(_dates()) if measurable else draw(st.none() | _dates()),
        status=draw(
            st.sampled_from((GoalStatus.PROPOSED, GoalStatus.PLANNED, GoalStatus.ACCEPTED))
        ),
        achievement=draw(st.none() | st.sampled_from(GoalAchievement)),
        need_ids=tuple(draw(st.lists(st.sampled_from(need_ids), unique=True))) if need_ids else (),
    )


@st.composite
def goals(draw: st.DrawFn) -> Goal:
    """Goals, some moved through their lifecycle."""
    goal = _goal(draw, draw(identifiers("g-")), [], draw(st.booleans()))
    walked: Goal = _walk(draw, GOAL_LIFECYCLE, goal, draw(datetimes(max_value=_HIGH)))
    return walked


def _activity(
    draw: st.DrawFn,
    activity_id: str,
    goal_ids: list[str],
    need_ids: list[str],
    complete: bool,
) -> Activity:
    goal_links = tuple(draw(st.lists(st.sampled_from(goal_ids), unique=True))) if goal_ids else ()
    need_links = tuple(draw(st.lists(st.sampled_from(need_ids), unique=True))) if need_ids else ()
    if complete and not goal_links and not need_links:
        goal_links = (goal_ids[0],)
    return Activity(
        id=activity_id,
        kind=draw(st.sampled_from(ActivityKind)),
        description=draw(texts()),
        treatment_code=draw(st.none() | _codes()),
        responsible_member_id=draw(identifiers("m-"))
        if complete
        else draw(st.none() | identifiers("m-")),
        goal_ids=goal_links,
        need_ids=need_links,
        due=draw(st.none() | _dates()),
        appointment_id=draw(st.none() | identifiers("ap-")),
        decision_id=draw(st.none() | identifiers("d-")),
        override_reason=draw(st.none() | texts()),
    )


@st.composite
def activities(draw: st.DrawFn) -> Activity:
    """Activities, some moved through their lifecycle."""
    activity = _activity(draw, draw(identifiers("a-")), [], [], False)
    walked: Activity = _walk(draw, ACTIVITY_LIFECYCLE, activity, draw(datetimes(max_value=_HIGH)))
    return walked


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    return Agreement(
        by=draw(actors(st.sampled_from(sorted(PATIENT_SIDE)))),
        at=draw(datetimes()),
        method=draw(st.sampled_from(AgreementMethod)),
        note=draw(st.none() | texts()),
    )


@st.composite
def plan_revisions(draw: st.DrawFn) -> Revision:
    return Revision(
        action=draw(st.sampled_from(("draft", "add_goal", "update_activity", "record_review"))),
        at=draw(datetimes()),
        by=draw(actors()),
        item_id=draw(st.none() | identifiers("g-")),
        note=draw(st.none() | texts()),
    )


def review_cadences() -> st.SearchStrategy[ReviewCadence]:
    return st.sampled_from(REVIEW_CADENCES)


def review_events() -> st.SearchStrategy[ReviewEvent]:
    return st.builds(ReviewEvent, kind=st.sampled_from(ReviewEventKind), at=datetimes())


def tcm_due_dates() -> st.SearchStrategy[TcmDueDates]:
    return st.builds(
        transitional_care_due,
        st.dates(min_value=_dt.date(2000, 1, 1), max_value=_dt.date(2040, 12, 1)).map(
            lambda d: pendulum.Date(d.year, d.month, d.day)
        ),
        st.sampled_from(TcmComplexity),
    )


_PLAN_STEPS = ("suspend", "resume", "complete", "revoke", "review", "goal", "activity", "update")


@st.composite
def care_plans(draw: st.DrawFn) -> CarePlan:
    """Plans drafted, agreed, activated, reviewed and changed through their own operations."""
    at = draw(datetimes(max_value=_HIGH))
    cc = Actor(member_id=draw(identifiers("m-")), role=Role.CARE_COORDINATOR)
    patient = Actor(member_id=draw(identifiers("m-")), role=Role.PATIENT)
    compliant = draw(st.booleans())
    need_ids = [f"n-{i}" for i in range(draw(st.integers(0, 2)))]
    plan_needs = [draw(needs(need_id=n)) for n in need_ids]
    goal_ids = [f"g-{i}" for i in range(draw(st.integers(1 if compliant else 0, 3)))]
    plan_goals = [_goal(draw, g, need_ids, compliant) for g in goal_ids]
    if compliant:
        plan_goals[0] = evolve(plan_goals[0], stated_by_patient=True)
    plan_activities = [
        _activity(draw, f"a-{i}", goal_ids, need_ids, compliant)
        for i in range(draw(st.integers(0, 3)))
    ]
    plan = CarePlan.draft(
        id=draw(identifiers("cp-")),
        patient_id=draw(identifiers("p-")),
        care_team_id=draw(identifiers("t-")),
        title=draw(texts()),
        by=cc,
        at=at,
        needs=plan_needs,
        goals=plan_goals,
        activities=plan_activities,
        review_cadence=draw(st.none() | st.sampled_from([c.name for c in REVIEW_CADENCES])),
    )

    def later() -> pendulum.DateTime:
        nonlocal at
        at = at.add(minutes=draw(st.integers(0, 20000)))
        return at

    if compliant or draw(st.booleans()):
        plan = plan.record_agreement(
            by=patient, at=later(), method=draw(st.sampled_from(AgreementMethod))
        )
    if not compliant or not draw(st.booleans()):
        return plan
    plan = plan.activate(by=cc, at=later(), preferences=Preferences())
    for _ in range(draw(st.integers(0, 4))):
        if plan.read_only:
            break
        step = draw(st.sampled_from(_PLAN_STEPS))
        if step == "suspend" and plan.status.value == "active":
            plan = plan.suspend(by=cc, at=later(), reason=draw(texts()))
        elif step == "resume" and plan.status.value == "on-hold":
            plan = plan.resume(by=cc, at=later())
        elif step == "complete":
            plan = plan.complete(by=cc, at=later())
        elif step == "revoke":
            plan = plan.revoke(by=cc, at=later(), reason=draw(texts()))
        elif step == "review":
            plan = plan.record_review(by=cc, at=later(), note=draw(st.none() | texts()))
        elif step == "update" and plan.activities:
            activity = draw(st.sampled_from(plan.activities))
            plan = plan.update_activity(
                activity.id, by=cc, at=later(), due=draw(st.none() | _dates())
            )
        elif step in ("goal", "activity"):
            lifecycle = GOAL_LIFECYCLE if step == "goal" else ACTIVITY_LIFECYCLE
            items: tuple[Any, ...] = plan.goals if step == "goal" else plan.activities
            if not items:
                continue
            item = draw(st.sampled_from(items))
            allowed = lifecycle.allowed_actions(item.status)
            if not allowed:
                continue
            row = lifecycle.action(draw(st.sampled_from(allowed)))
            assert row is not None
            reason = draw(texts()) if row.requires_reason else None
            by = cc if Role.CARE_COORDINATOR in row.roles else patient
            change = plan.change_goal_status if step == "goal" else plan.change_activity_status
            plan = change(item.id, row.name, by=by, at=later(), reason=reason)
    return plan
