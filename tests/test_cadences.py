"""Review cadences as data: program intervals, event-triggered reviews, TCM clocks."""

from __future__ import annotations

import datetime as _dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles.cadences import (
    REVIEW_CADENCES,
    CadenceTrigger,
    IntervalUnit,
    ReviewCadence,
    ReviewEvent,
    ReviewEventKind,
    TcmComplexity,
    TcmDueDates,
    is_review_overdue,
    next_review_due,
    review_cadence,
    transitional_care_due,
)
from careroles.care_plans import (
    Activity,
    ActivityKind,
    AgreementMethod,
    CarePlan,
    Goal,
    Target,
)
from careroles.errors import ValidationError
from careroles.patients import Preferences
from careroles.roles import Actor, Role
from careroles.strategies import datetimes

NY = "America/New_York"
CC = Actor(member_id="m-cc", role=Role.CARE_COORDINATOR)
PATIENT = Actor(member_id="m-pt", role=Role.PATIENT)
D = pendulum.date


def active_plan(
    at: pendulum.DateTime, cadence: str | None = "ccm_monthly", due: pendulum.Date | None = None
) -> CarePlan:
    goal = Goal(
        id="g-1",
        description="walk to church again",
        stated_by_patient=True,
        target=Target(measure="walking distance", detail="one mile"),
        due=due if due is not None else at.date().add(years=3),
    )
    activity = Activity(
        id="a-1",
        kind=ActivityKind.EDUCATION,
        description="teach",
        responsible_member_id="m-cc",
        goal_ids=("g-1",),
    )
    plan = CarePlan.draft(
        id="cp-1",
        patient_id="p-1",
        care_team_id="t-1",
        title="plan",
        by=CC,
        at=at,
        goals=(goal,),
        activities=(activity,),
        review_cadence=cadence,
    )
    plan = plan.record_agreement(by=PATIENT, at=at, method=AgreementMethod.VERBAL)
    return plan.activate(by=CC, at=at, preferences=Preferences())


def end_of(day: pendulum.Date, tz: str = NY) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, tz=tz).end_of("day")


# --- the table ---------------------------------------------------------------------------------


def test_the_table_holds_every_program_policy_with_a_source() -> None:
    by_name = {c.name: c for c in REVIEW_CADENCES}
    assert len(by_name) == len(REVIEW_CADENCES)
    expected = {
        "ccm_monthly": (1, IntervalUnit.CALENDAR_MONTHS, CadenceTrigger.LAST_REVIEW),
        "pcm_monthly": (1, IntervalUnit.CALENDAR_MONTHS, CadenceTrigger.LAST_REVIEW),
        "hospice_15_days": (15, IntervalUnit.CALENDAR_DAYS, CadenceTrigger.LAST_REVIEW),
        "home_health_60_days": (60, IntervalUnit.CALENDAR_DAYS, CadenceTrigger.LAST_REVIEW),
        "hcbs_12_months": (12, IntervalUnit.CALENDAR_MONTHS, CadenceTrigger.LAST_REVIEW),
        "snf_baseline_48_hours": (48, IntervalUnit.HOURS, CadenceTrigger.ADMISSION),
        "snf_comprehensive_7_days": (
            7,
            IntervalUnit.CALENDAR_DAYS,
            CadenceTrigger.COMPREHENSIVE_ASSESSMENT,
        ),
        "tcm_contact_2_business_days": (2, IntervalUnit.BUSINESS_DAYS, CadenceTrigger.DISCHARGE),
        "tcm_visit_high_7_days": (7, IntervalUnit.CALENDAR_DAYS, CadenceTrigger.DISCHARGE),
        "tcm_visit_moderate_14_days": (14, IntervalUnit.CALENDAR_DAYS, CadenceTrigger.DISCHARGE),
    }
    assert {n: (c.amount, c.unit, c.trigger) for n, c in by_name.items()} == expected
    for cadence in REVIEW_CADENCES:
        assert "domain.md" in cadence.source
        assert "CP-" in cadence.source


def test_a_cadence_is_found_by_name_and_an_unknown_name_is_refused() -> None:
    assert review_cadence("hospice_15_days").amount == 15
    with pytest.raises(ValidationError) as info:
        review_cadence("weekly")
    assert info.value.problems[0].code == "unknown"


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": 0},
        {"amount": -1},
        {"amount": "1"},
        {"name": "CCM monthly"},
        {"source": ""},
        {"unit": "weeks"},
        {"trigger": None},
    ],
)
def test_a_cadence_row_with_bad_fields_is_refused(changes: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "name": "weekly_check",
        "program": "local",
        "amount": 1,
        "unit": IntervalUnit.CALENDAR_DAYS,
        "trigger": CadenceTrigger.LAST_REVIEW,
        "source": "local policy",
    }
    with pytest.raises(ValidationError):
        ReviewCadence(**{**fields, **changes})  # type: ignore[arg-type]


def test_unknown_enum_values_are_refused_when_loading() -> None:
    text = '{"kind": "birthday", "at": "2026-03-09T09:00:00-04:00[America/New_York]"}'
    with pytest.raises(ValidationError):
        careroles.loads(text, ReviewEvent)
    with pytest.raises(ValidationError):
        careroles.loads('{"kind": "admission", "at": "2026-03-09T09:00:00"}', ReviewEvent)


def test_a_naive_event_instant_is_refused() -> None:
    with pytest.raises(ValidationError):
        ReviewEvent(kind=ReviewEventKind.ADMISSION, at=_dt.datetime(2026, 3, 9, 9))  # type: ignore[arg-type]


# --- interval arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (pendulum.datetime(2026, 1, 31, 9, tz=NY), D(2026, 2, 28)),
        (pendulum.datetime(2028, 1, 31, 9, tz=NY), D(2028, 2, 29)),
        (pendulum.datetime(2026, 3, 31, 9, tz=NY), D(2026, 4, 30)),
        (pendulum.datetime(2026, 12, 15, 9, tz=NY), D(2027, 1, 15)),
    ],
)
def test_a_monthly_cadence_keeps_the_day_of_month_and_clamps_at_month_ends(
    start: pendulum.DateTime, expected: pendulum.Date
) -> None:
    assert review_cadence("ccm_monthly").due_from(start) == end_of(expected)


def test_twelve_months_from_a_leap_day_is_the_last_day_of_february() -> None:
    start = pendulum.datetime(2028, 2, 29, 12, tz=NY)
    assert review_cadence("hcbs_12_months").due_from(start) == end_of(D(2029, 2, 28))


def test_day_cadences_are_due_by_the_end_of_the_day_in_the_starting_zone() -> None:
    start = pendulum.datetime(2026, 3, 1, 23, 30, tz="America/Los_Angeles")
    due = review_cadence("hospice_15_days").due_from(start)
    assert due == end_of(D(2026, 3, 16), "America/Los_Angeles")
    assert review_cadence("home_health_60_days").due_from(start) == end_of(
        D(2026, 4, 30), "America/Los_Angeles"
    )


def test_an_hour_cadence_counts_elapsed_hours_across_a_dst_change() -> None:
    admitted = pendulum.datetime(2026, 3, 7, 10, tz=NY)  # DST starts 8 March
    due = review_cadence("snf_baseline_48_hours").due_from(admitted)
    assert (due - admitted).in_hours() == 48
    assert due == pendulum.datetime(2026, 3, 9, 11, tz=NY)


def test_a_business_day_cadence_skips_the_weekend_and_a_holiday() -> None:
    discharged = pendulum.datetime(2026, 7, 2, 16, tz=NY)  # Thursday; Friday is observed
    due = review_cadence("tcm_contact_2_business_days").due_from(discharged)
    assert due == end_of(D(2026, 7, 7))


@given(start=datetimes(max_value=_dt.datetime(2039, 1, 1)), amount=st.integers(1, 36))
def test_a_month_cadence_is_never_early_and_never_overshoots_the_day_of_month(
    start: pendulum.DateTime, amount: int
) -> None:
    cadence = ReviewCadence(
        name="custom",
        program="local",
        amount=amount,
        unit=IntervalUnit.CALENDAR_MONTHS,
        trigger=CadenceTrigger.LAST_REVIEW,
        source="local",
    )
    due = cadence.due_from(start)
    assert due > start
    assert due.day <= start.day
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == amount


# --- next_review_due ---------------------------------------------------------------------------

T0 = pendulum.datetime(2026, 1, 31, 9, tz=NY)


def test_the_first_review_is_due_one_calendar_month_after_activation() -> None:
    plan = active_plan(T0)
    assert next_review_due(plan, at=T0) == end_of(D(2026, 2, 28))


def test_a_review_restarts_the_cadence_from_the_review() -> None:
    plan = active_plan(T0).record_review(by=CC, at=pendulum.datetime(2026, 2, 20, 10, tz=NY))
    assert next_review_due(plan, at=T0.add(days=21)) == end_of(D(2026, 3, 20))


def test_a_review_is_overdue_only_after_the_instant_it_was_due() -> None:
    plan = active_plan(T0)
    due = next_review_due(plan, at=T0)
    assert due is not None
    assert not is_review_overdue(plan, due)
    assert is_review_overdue(plan, due.add(microseconds=1))
    reviewed = plan.record_review(by=CC, at=due)
    assert not is_review_overdue(reviewed, due.add(days=1))


def test_a_plan_not_in_effect_has_no_review_due() -> None:
    plan = active_plan(T0)
    draft = CarePlan.draft(
        id="cp-2", patient_id="p-1", care_team_id="t-1", title="x", by=CC, at=T0
    )
    assert next_review_due(draft, at=T0.add(years=1)) is None
    done = plan.complete(by=CC, at=T0.add(days=1))
    assert next_review_due(done, at=T0.add(years=1)) is None
    assert not is_review_overdue(done, T0.add(years=1))
    held = plan.suspend(by=CC, at=T0.add(days=1), reason="in hospital")
    assert is_review_overdue(held, T0.add(years=1))


def test_a_plan_without_a_cadence_is_due_only_on_events_and_goal_dates() -> None:
    plan = active_plan(T0, cadence=None, due=D(2026, 6, 1))
    assert next_review_due(plan, at=T0) == end_of(D(2026, 6, 1))


def test_an_open_goal_target_date_calls_for_a_review_earlier_than_the_cadence() -> None:
    plan = active_plan(T0, cadence="hcbs_12_months", due=D(2026, 3, 1))
    assert next_review_due(plan, at=T0) == end_of(D(2026, 3, 1))
    reviewed = plan.record_review(by=CC, at=pendulum.datetime(2026, 3, 2, 9, tz=NY))
    assert next_review_due(reviewed, at=T0.add(months=2)) == end_of(D(2027, 3, 2))


def test_a_significant_change_or_patient_request_makes_a_review_due_at_once() -> None:
    plan = active_plan(T0, cadence="hcbs_12_months")
    changed = pendulum.datetime(2026, 4, 2, 15, tz=NY)
    for kind in (ReviewEventKind.SIGNIFICANT_CHANGE, ReviewEventKind.PATIENT_REQUEST):
        events = [ReviewEvent(kind=kind, at=changed)]
        assert next_review_due(plan, at=changed, events=events) == changed
        assert is_review_overdue(plan, changed.add(minutes=1), events=events)
        reviewed = plan.record_review(by=CC, at=changed.add(hours=2))
        assert not is_review_overdue(reviewed, changed.add(hours=3), events=events)


def test_events_after_the_instant_asked_about_are_not_yet_known() -> None:
    plan = active_plan(T0, cadence="hcbs_12_months")
    later = ReviewEvent(kind=ReviewEventKind.SIGNIFICANT_CHANGE, at=T0.add(days=10))
    assert next_review_due(plan, at=T0.add(days=1), events=[later]) == end_of(D(2027, 1, 31))


# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(NY), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(NY), fold=1)


def test_a_change_in_the_repeated_hour_after_a_review_makes_a_review_due_again() -> None:
    reviewed = active_plan(T0, cadence="hcbs_12_months").record_review(by=CC, at=EDT_0159)
    events = [ReviewEvent(kind=ReviewEventKind.SIGNIFICANT_CHANGE, at=EST_0130)]
    due = next_review_due(reviewed, at=EST_0130.add(minutes=5), events=events)
    assert due is not None
    assert due.timestamp() == EST_0130.timestamp()
    assert is_review_overdue(reviewed, EST_0130.add(minutes=1), events=events)


def test_a_change_later_in_the_repeated_hour_is_not_yet_known_earlier_in_it() -> None:
    plan = active_plan(T0, cadence="hcbs_12_months")
    events = [ReviewEvent(kind=ReviewEventKind.PATIENT_REQUEST, at=EST_0130)]
    assert next_review_due(plan, at=EDT_0159, events=events) == end_of(D(2027, 1, 31))


def test_the_earliest_of_two_changes_in_the_repeated_hour_is_the_one_due() -> None:
    plan = active_plan(T0, cadence="hcbs_12_months")
    events = [
        ReviewEvent(kind=ReviewEventKind.PATIENT_REQUEST, at=EST_0130),
        ReviewEvent(kind=ReviewEventKind.SIGNIFICANT_CHANGE, at=EDT_0159),
    ]
    due = next_review_due(plan, at=EST_0130.add(hours=1), events=events)
    assert due is not None
    assert due.timestamp() == EDT_0159.timestamp()


def test_a_snf_baseline_review_is_due_48_hours_after_admission_until_it_is_done() -> None:
    plan = active_plan(T0, cadence="snf_baseline_48_hours")
    admitted = pendulum.datetime(2026, 3, 7, 10, tz=NY)
    events = [ReviewEvent(kind=ReviewEventKind.ADMISSION, at=admitted)]
    at = admitted.add(hours=1)
    assert next_review_due(plan, at=at, events=events) == pendulum.datetime(2026, 3, 9, 11, tz=NY)
    goal_date = end_of(D(2029, 1, 31))  # the goal's target date is all that remains
    assert next_review_due(plan, at=at) == goal_date  # a one-off cadence, nothing triggered
    done = plan.record_review(by=CC, at=admitted.add(hours=30))
    assert next_review_due(done, at=admitted.add(hours=31), events=events) == goal_date


def test_a_snf_comprehensive_plan_is_due_seven_days_after_the_assessment() -> None:
    plan = active_plan(T0, cadence="snf_comprehensive_7_days")
    assessed = pendulum.datetime(2026, 2, 25, 14, tz=NY)
    events = [
        ReviewEvent(kind=ReviewEventKind.ADMISSION, at=assessed.subtract(days=3)),
        ReviewEvent(kind=ReviewEventKind.COMPREHENSIVE_ASSESSMENT, at=assessed),
    ]
    assert next_review_due(plan, at=assessed, events=events) == end_of(D(2026, 3, 4))


def test_a_tcm_contact_is_due_by_the_end_of_the_second_business_day() -> None:
    plan = active_plan(T0, cadence="tcm_contact_2_business_days")
    discharged = pendulum.datetime(2026, 11, 25, 16, tz=NY)  # the day before Thanksgiving
    events = [ReviewEvent(kind=ReviewEventKind.DISCHARGE, at=discharged)]
    assert next_review_due(plan, at=discharged, events=events) == end_of(D(2026, 11, 30))


def test_a_custom_cadence_table_can_be_passed() -> None:
    weekly = ReviewCadence(
        name="weekly_check",
        program="local",
        amount=7,
        unit=IntervalUnit.CALENDAR_DAYS,
        trigger=CadenceTrigger.LAST_REVIEW,
        source="local policy",
    )
    plan = active_plan(T0, cadence="weekly_check")
    assert next_review_due(plan, at=T0, cadences=[weekly]) == end_of(D(2026, 2, 7))
    with pytest.raises(ValidationError):
        next_review_due(plan, at=T0)  # not in the default table


def test_next_review_due_refuses_a_naive_instant_and_non_events() -> None:
    plan = active_plan(T0)
    with pytest.raises(ValidationError):
        next_review_due(plan, at=_dt.datetime(2026, 3, 9, 9))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        next_review_due(plan, at=T0, events=["admission"])  # type: ignore[list-item]
    with pytest.raises(ValidationError):
        is_review_overdue(plan, "2026-03-09")  # type: ignore[arg-type]


# --- transitional care management --------------------------------------------------------------


@pytest.mark.parametrize(
    ("discharge", "complexity", "contact", "visit"),
    [
        (D(2026, 7, 2), TcmComplexity.HIGH, D(2026, 7, 7), D(2026, 7, 9)),
        (D(2026, 7, 2), TcmComplexity.MODERATE, D(2026, 7, 7), D(2026, 7, 16)),
        (D(2026, 3, 6), TcmComplexity.HIGH, D(2026, 3, 10), D(2026, 3, 13)),
        (D(2026, 11, 25), TcmComplexity.MODERATE, D(2026, 11, 30), D(2026, 12, 9)),
        (D(2026, 12, 24), TcmComplexity.HIGH, D(2026, 12, 29), D(2026, 12, 31)),
    ],
)
def test_tcm_contact_and_visit_dates(
    discharge: pendulum.Date,
    complexity: TcmComplexity,
    contact: pendulum.Date,
    visit: pendulum.Date,
) -> None:
    due = transitional_care_due(discharge, complexity)
    assert (due.contact_by, due.face_to_face_by) == (contact, visit)
    assert due.medication_reconciliation_by <= due.face_to_face_by
    assert due.service_period_end == discharge.add(days=29)


@pytest.mark.parametrize(
    ("discharge", "complexity"),
    [
        (pendulum.datetime(2026, 7, 2, 9, tz=NY), TcmComplexity.HIGH),
        ("2026-07-02", TcmComplexity.HIGH),
        (D(2026, 7, 2), "high"),
        (D(2026, 7, 2), None),
    ],
)
def test_tcm_refuses_a_non_date_or_an_unknown_complexity(
    discharge: object, complexity: object
) -> None:
    with pytest.raises(ValidationError):
        transitional_care_due(discharge, complexity)  # type: ignore[arg-type]


def test_tcm_dates_out_of_order_are_refused() -> None:
    with pytest.raises(ValidationError):
        TcmDueDates(
            discharge_date=D(2026, 7, 2),
            complexity=TcmComplexity.HIGH,
            contact_by=D(2026, 7, 10),
            face_to_face_by=D(2026, 7, 9),
            medication_reconciliation_by=D(2026, 7, 9),
            service_period_end=D(2026, 7, 31),
        )


@given(
    day=st.dates(min_value=_dt.date(2000, 1, 1), max_value=_dt.date(2040, 1, 1)),
    complexity=st.sampled_from(TcmComplexity),
)
def test_the_tcm_contact_always_comes_before_the_visit(
    day: _dt.date, complexity: TcmComplexity
) -> None:
    due = transitional_care_due(D(day.year, day.month, day.day), complexity)
    assert due.discharge_date < due.contact_by <= due.face_to_face_by <= due.service_period_end
    assert due.contact_by.weekday() < 5
