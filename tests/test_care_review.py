"""The overall rule check of a patient's care: plan, schedule, decisions, progress updates."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles as cr
from careroles._model import evolve
from careroles.appointments import (
    APPOINTMENT_RULES,
    Appointment,
    AppointmentKind,
    CancellationReason,
)
from careroles.care_plans import (
    CARE_PLAN_RULES,
    Activity,
    ActivityKind,
    AgreementMethod,
    CarePlan,
    Goal,
    Target,
)
from careroles.care_review import CARE_REVIEW_RULES, CARE_RULES, check_care
from careroles.communications import (
    ProgressUpdate,
    RecipientKind,
    UpdateCadence,
    UpdateItem,
    UpdateRecipient,
    UpdateSection,
)
from careroles.decisions import DECISION_RULES
from careroles.findings import Finding, Severity
from careroles.strategies import patients, progress_updates, update_cadences

TZ = "America/New_York"
T0 = pendulum.datetime(2026, 3, 2, 9, tz=TZ)  # the plan is drafted and activated
AT = T0.add(days=10)  # the review instant
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(TZ), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(TZ), fold=1)
Category = cr.InformationCategory

COORD = cr.Actor(member_id="coord-1", role=cr.Role.CARE_COORDINATOR)
PATIENT_ACTOR = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)

PATIENT = cr.Patient(
    id="pat-1",
    name="Ana Quinonez",
    time_zone=TZ,
    contacts=(cr.Contact(id="daughter-1", name="Luz", relationship=cr.Relationship.CHILD),),
)


def active_plan(n_activities: int = 1, plan_id: str = "plan-1") -> CarePlan:
    goal = Goal(
        id="g-1",
        description="Walk to church again",
        stated_by_patient=True,
        target=Target(measure="distance", detail="half a mile unaided"),
        due=pendulum.Date(2026, 9, 1),
    )
    activities = [
        Activity(
            id=f"a-{i}",
            kind=ActivityKind.TREATMENT,
            description="Physiotherapy",
            responsible_member_id="coord-1",
            goal_ids=("g-1",),
        )
        for i in range(n_activities)
    ]
    plan = CarePlan.draft(
        id=plan_id,
        patient_id="pat-1",
        care_team_id="team-1",
        title="Mobility",
        by=COORD,
        at=T0,
        goals=[goal],
        activities=activities,
        review_cadence="ccm_monthly",
    )
    plan = plan.record_agreement(by=PATIENT_ACTOR, at=T0, method=AgreementMethod.VERBAL)
    return plan.activate(by=COORD, at=T0, preferences=PATIENT.preferences)


def appointment(
    n: int = 0, start: pendulum.DateTime | None = None, activity_id: str | None = "a-0"
) -> Appointment:
    begin = start if start is not None else AT.add(days=7 + n)
    return Appointment.propose(
        id=f"ap-{n}",
        patient_id="pat-1",
        kind=AppointmentKind.TREATMENT,
        start=begin,
        end=begin.add(hours=1),
        activity_id=activity_id,
        by=COORD,
        at=T0,
    ).book(by=COORD, at=T0)


def family_consent(categories: set[cr.InformationCategory]) -> cr.Consent:
    return cr.Consent(
        id="k-1",
        patient_id="pat-1",
        kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
        grantor=PATIENT_ACTOR,
        grantee_id="daughter-1",
        categories=frozenset(categories),
        period=cr.Period(start=T0.subtract(days=30)),
    )


FULL_CONSENT = family_consent({Category.CARE_PLAN, Category.APPOINTMENTS})
TO_DAUGHTER = UpdateRecipient(kind=RecipientKind.CONTACT, contact_id="daughter-1")
TO_PATIENT = UpdateRecipient(kind=RecipientKind.PATIENT)
WEEKLY = UpdateCadence(plan_id="plan-1", every=pendulum.duration(weeks=1), start=T0)


def update(
    at: pendulum.DateTime,
    *,
    n: int = 0,
    recipients: tuple[UpdateRecipient, ...] = (TO_PATIENT, TO_DAUGHTER),
    consents: tuple[cr.Consent, ...] = (FULL_CONSENT,),
) -> ProgressUpdate:
    return ProgressUpdate(
        id=f"u-{n}",
        patient_id="pat-1",
        plan_id="plan-1",
        author=COORD,
        recipients=recipients,
        items=(
            UpdateItem(
                section=UpdateSection.GOALS_ACHIEVED, category=Category.CARE_PLAN, text="Walked"
            ),
            UpdateItem(
                section=UpdateSection.UPCOMING_APPOINTMENTS,
                category=Category.APPOINTMENTS,
                text="Physio on Monday",
            ),
        ),
    ).send(consents=consents, by=COORD, at=at)


def review(**kw: Any) -> tuple[Finding, ...]:
    args: dict[str, Any] = {
        "patient": PATIENT,
        "plan": active_plan(),
        "appointments": (appointment(),),
        "updates": (update(T0.add(days=6)),),
        "cadence": WEEKLY,
        "consents": (FULL_CONSENT,),
        "at": AT,
    }
    args.update(kw)
    return check_care(**args)


def codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.code for f in findings]


# --- the baseline -----------------------------------------------------------------------------


def test_a_well_kept_patient_record_has_no_findings() -> None:
    assert review() == ()


# --- this module's rules ----------------------------------------------------------------------


def test_a_missed_update_is_due_at_its_cadence_path() -> None:
    findings = review(updates=())
    assert [(f.code, f.path, f.severity) for f in findings] == [
        ("UPDATE-DUE", "$.cadence.due[0]", Severity.WARNING)
    ]


def test_each_missed_window_is_reported_but_covered_ones_are_not() -> None:
    later = AT.add(weeks=2)  # due instants T0+1w, +2w, +3w
    findings = review(updates=(update(T0.add(days=9)),), at=later)
    assert [f.path for f in findings if f.code == "UPDATE-DUE"] == [
        "$.cadence.due[0]",
        "$.cadence.due[2]",
    ]


def test_no_update_is_due_for_a_plan_no_longer_in_effect() -> None:
    done = active_plan().complete(by=COORD, at=T0.add(days=8))
    assert "UPDATE-DUE" not in codes(review(plan=done, updates=()))


def test_a_plan_in_effect_without_an_update_cadence_is_noted() -> None:
    findings = review(cadence=None)
    assert codes(findings) == ["UPDATE-CADENCE-MISSING"]
    assert findings[0].severity is Severity.INFO
    assert "UPDATE-CADENCE-MISSING" not in codes(review(cadence=None, plan=None))


def test_an_update_sent_to_family_without_consent_is_an_error_naming_the_category() -> None:
    only_plan = family_consent({Category.CARE_PLAN})
    findings = review(consents=(only_plan,))
    wrong = [f for f in findings if f.code == "UPDATE-SENT-WITHOUT-CONSENT"]
    assert len(wrong) == 1
    assert wrong[0].severity is Severity.ERROR
    assert wrong[0].path == "$.updates[0].recipients[1]"
    assert "appointments" in wrong[0].message
    assert "care_plan" not in wrong[0].message
    assert "daughter-1" not in wrong[0].message


def test_a_consent_revoked_after_sending_is_reported_as_no_longer_covering() -> None:
    revoked = FULL_CONSENT.revoke(by=PATIENT_ACTOR, at=T0.add(days=8))
    findings = review(consents=(revoked,))
    assert codes(findings) == ["UPDATE-FAMILY-CONSENT-MISSING"]
    f = findings[0]
    assert f.path == "$.updates[0].recipients[1]"
    assert "appointments" in f.message
    assert "care_plan" in f.message
    assert "daughter-1" not in f.message


def test_a_consent_narrowed_after_sending_names_only_the_lapsed_category() -> None:
    revoked = FULL_CONSENT.revoke(by=PATIENT_ACTOR, at=T0.add(days=8))
    narrower = cr.Consent(
        id="k-2",
        patient_id="pat-1",
        kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
        grantor=PATIENT_ACTOR,
        grantee_id="daughter-1",
        categories=frozenset({Category.APPOINTMENTS}),
        period=cr.Period(start=T0.add(days=8)),
    )
    (f,) = review(consents=(revoked, narrower))
    assert f.code == "UPDATE-FAMILY-CONSENT-MISSING"
    assert "care_plan" in f.message
    assert "appointments" not in f.message


def test_only_the_latest_sent_update_is_checked_against_current_consent() -> None:
    revoked = FULL_CONSENT.revoke(by=PATIENT_ACTOR, at=T0.add(days=8))
    latest_to_patient_only = update(T0.add(days=9), n=1, recipients=(TO_PATIENT,))
    findings = review(
        updates=(update(T0.add(days=6)), latest_to_patient_only), consents=(revoked,)
    )
    assert findings == ()


def test_the_latest_update_is_the_later_instant_of_two_sent_in_the_repeated_hour() -> None:
    to_family = update(EST_0130, n=0)
    to_patient_only = update(EDT_0159, n=1, recipients=(TO_PATIENT,))
    revoked = FULL_CONSENT.revoke(by=PATIENT_ACTOR, at=EST_0130.add(hours=1))
    findings = review(
        updates=(to_family, to_patient_only), consents=(revoked,), at=EST_0130.add(hours=2)
    )
    lapsed = [f.path for f in findings if f.code == "UPDATE-FAMILY-CONSENT-MISSING"]
    assert lapsed == ["$.updates[0].recipients[1]"]


def test_the_patient_as_recipient_needs_no_consent() -> None:
    only_patient = update(T0.add(days=6), recipients=(TO_PATIENT,))
    assert review(updates=(only_patient,), consents=()) == ()


def test_an_update_to_a_contact_the_record_does_not_list_is_flagged() -> None:
    stranger = UpdateRecipient(kind=RecipientKind.CONTACT, contact_id="neighbour-9")
    consent = cr.Consent(
        id="k-9",
        patient_id="pat-1",
        kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
        grantor=PATIENT_ACTOR,
        grantee_id="neighbour-9",
        categories=frozenset({Category.CARE_PLAN, Category.APPOINTMENTS}),
        period=cr.Period(start=T0),
    )
    sent = update(T0.add(days=6), recipients=(stranger,), consents=(consent,))
    findings = review(updates=(sent,), consents=(consent,))
    assert [(f.code, f.path) for f in findings] == [
        ("UPDATE-RECIPIENT-UNKNOWN", "$.updates[0].recipients[0].contact_id")
    ]
    assert "neighbour-9" not in findings[0].message


def test_an_activity_whose_appointment_was_cancelled_is_flagged_until_rebooked() -> None:
    cancelled = appointment().cancel(reason=CancellationReason.COST, by=COORD, at=T0.add(days=1))
    findings = review(appointments=(cancelled,))
    assert [(f.code, f.path) for f in findings] == [
        ("CARE-ACTIVITY-APPOINTMENT-LOST", "$.plan.activities[0]")
    ]
    old, new = appointment().reschedule(
        "ap-9", AT.add(days=20), AT.add(days=20, hours=1), by=COORD, at=T0.add(days=1)
    )
    assert review(appointments=(old, new)) == ()


def test_a_rebooked_appointment_found_through_its_chain_clears_the_activity() -> None:
    old, new = appointment().reschedule(
        "ap-9", AT.add(days=20), AT.add(days=20, hours=1), by=COORD, at=T0.add(days=1)
    )
    unlinked_new = cr.loads(cr.dumps(new).replace('"a-0"', "null"), Appointment)
    assert unlinked_new.activity_id is None
    assert review(appointments=(old, unlinked_new)) == ()
    cancelled_new = new.cancel(reason=CancellationReason.COST, by=COORD, at=T0.add(days=2))
    assert codes(review(appointments=(old, cancelled_new))) == ["CARE-ACTIVITY-APPOINTMENT-LOST"]


def test_a_completed_activity_does_not_need_its_appointment() -> None:
    plan = active_plan().change_activity_status("a-0", "start", by=COORD, at=T0)
    plan = plan.change_activity_status("a-0", "complete", by=COORD, at=T0.add(days=1))
    cancelled = appointment().cancel(reason=CancellationReason.COST, by=COORD, at=T0.add(days=2))
    assert "CARE-ACTIVITY-APPOINTMENT-LOST" not in codes(
        review(plan=plan, appointments=(cancelled,))
    )
    assert "CARE-ACTIVITY-APPOINTMENT-LOST" in codes(review(appointments=(cancelled,)))


def test_records_of_another_patient_are_an_error() -> None:
    other = Appointment.propose(
        id="ap-x",
        patient_id="pat-2",
        kind=AppointmentKind.CONSULTATION,
        start=AT.add(days=30),
        end=AT.add(days=30, hours=1),
        by=COORD,
        at=T0,
    )
    other_cadence = UpdateCadence(plan_id="plan-2", every=pendulum.duration(weeks=1), start=T0)
    findings = review(appointments=(appointment(), other), cadence=other_cadence)
    mismatches = [(f.path, f.severity) for f in findings if f.code == "CARE-RECORD-MISMATCH"]
    assert mismatches == [
        ("$.appointments[1].patient_id", Severity.ERROR),
        ("$.cadence.plan_id", Severity.ERROR),
    ]
    assert "CARE-RECORD-MISMATCH" not in codes(review())


# --- the other engineers' rules come through with prefixed paths -----------------------------


def test_care_plan_findings_are_prefixed_with_the_plan_path() -> None:
    findings = review(at=T0.add(months=2), updates=(), cadence=None)
    assert "CP-REVIEW-OVERDUE" in codes(findings)
    overdue = next(f for f in findings if f.code == "CP-REVIEW-OVERDUE")
    assert overdue.path.startswith("$.plan.")


def test_appointment_findings_are_prefixed_with_the_appointment_index() -> None:
    clash = appointment(1, start=AT.add(days=7, minutes=30))
    findings = review(appointments=(appointment(), clash))
    conflict = [f for f in findings if f.code == "APPT-CONFLICT"]
    assert [f.path for f in conflict] == ["$.appointments[1]"]


def test_decision_findings_are_prefixed_with_the_decision_index() -> None:
    from careroles import decisions as d

    decision = d.TreatmentDecision(
        id="dec-1",
        patient_id="pat-1",
        question="Which therapy?",
        deadline=T0.add(days=1),
        decision_maker=d.DecisionMaker(member_id="pat-1", role=cr.Role.PATIENT),
    )
    findings = review(decisions=(decision,))
    assert [(f.code, f.path) for f in findings] == [
        ("SDM-001-deadline", "$.decisions[0].deadline")
    ]


# --- ordering, catalogue, input checks --------------------------------------------------------


def test_findings_are_sorted_by_severity_then_code_then_path() -> None:
    revoked = FULL_CONSENT.revoke(by=PATIENT_ACTOR, at=T0.add(days=8))
    other = evolve(appointment(3), patient_id="pat-2")
    findings = review(
        updates=(update(T0.add(days=6)),),
        consents=(revoked,),
        at=AT.add(weeks=2),
        appointments=(appointment(), other),
    )
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    keys = [(order[f.severity], f.code, f.path) for f in findings]
    assert keys == sorted(keys)
    assert len({f.code for f in findings}) >= 2


def test_care_rules_combine_every_table_without_duplicates() -> None:
    tables = (CARE_PLAN_RULES, APPOINTMENT_RULES, DECISION_RULES, CARE_REVIEW_RULES)
    assert set(CARE_RULES) == {r.code for t in tables for r in t}
    assert sum(len(t) for t in tables) == len(CARE_RULES)
    for rule in CARE_RULES.values():
        assert rule.source


def _catalogue_rows() -> dict[str, tuple[str, str]]:
    page = pathlib.Path(__file__).parent.parent / "docs" / "rule-catalogue.md"
    rows: dict[str, tuple[str, str]] = {}
    for line in page.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([A-Za-z0-9-]+)`\s*\|\s*(\w+)\s*\|(.*)\|(.*)\|\s*$", line)
        if m:
            rows[m[1]] = (m[2], m[4].strip())
    return rows


def test_every_rule_code_is_documented_in_the_rule_catalogue_page() -> None:
    rows = _catalogue_rows()
    missing = sorted(set(CARE_RULES) - set(rows))
    assert not missing, f"docs/rule-catalogue.md lacks {missing}"


def test_the_rule_catalogue_page_states_each_rule_severity_and_a_source() -> None:
    rows = _catalogue_rows()
    for code, rule in CARE_RULES.items():
        severity, source = rows[code]
        assert severity == rule.severity.value, code
        assert source, code


def test_every_code_check_care_returns_is_in_the_catalogue() -> None:
    revoked = FULL_CONSENT.revoke(by=PATIENT_ACTOR, at=T0.add(days=8))
    findings = review(updates=(), consents=(revoked,), at=AT.add(months=3))
    assert findings
    assert {f.code for f in findings} <= set(CARE_RULES)


def test_bad_arguments_are_validation_errors() -> None:
    with pytest.raises(cr.ValidationError):
        review(at=dt.datetime(2026, 3, 12, 9))
    with pytest.raises(cr.ValidationError) as err:
        review(updates=("not an update",))
    assert err.value.problems[0].path == ("updates", 0)
    with pytest.raises(cr.ValidationError):
        review(patient="pat-1")
    with pytest.raises(cr.ValidationError):
        review(plan="plan-1")
    with pytest.raises(cr.ValidationError):
        review(cadence=pendulum.duration(weeks=1))
    with pytest.raises(cr.ValidationError):
        review(consents=(None,))
    with pytest.raises(cr.ValidationError):
        review(appointments=(object(),))


def test_messages_never_carry_patient_data() -> None:
    revoked = FULL_CONSENT.revoke(by=PATIENT_ACTOR, at=T0.add(days=8))
    findings = review(updates=(update(T0.add(days=6)),), consents=(revoked,), at=AT.add(weeks=4))
    for f in findings:
        for secret in ("Ana", "Quinonez", "Luz", "Walked", "Physio", "daughter-1"):
            assert secret not in f.message
            assert secret not in f.path


@given(
    patients(),
    st.lists(progress_updates(plan_id="cp-1"), max_size=4),
    st.none() | update_cadences(),
    st.integers(0, 800),
)
def test_check_care_over_drawn_records_returns_sorted_catalogued_findings(
    patient: cr.Patient,
    updates: list[ProgressUpdate],
    cadence: UpdateCadence | None,
    days: int,
) -> None:
    at = (cadence.start if cadence is not None else T0).add(days=days)
    findings = check_care(patient=patient, updates=updates, cadence=cadence, at=at)
    assert {f.code for f in findings} <= set(CARE_RULES)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    keys = [(order[f.severity], f.code, f.path, f.message) for f in findings]
    assert keys == sorted(keys)
    if cadence is not None:
        due = [f for f in findings if f.code == "UPDATE-DUE"]
        assert len(due) == len(cr.updates_due(cadence, updates, at))
