"""Navigation: education language findings, referral lifecycle, the disparities report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles as cr
from careroles.navigation import (
    REFERRAL_LIFECYCLE,
    Barrier,
    EducationRecord,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    disparities_report,
    education_findings,
)
from careroles.strategies import referrals

TZ = "America/Los_Angeles"
T0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)
SECRET = "needs a food pantry near the shelter on 5th"

PATIENT = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)
ADVOCATE = cr.Actor(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE)
COORD = cr.Actor(member_id="coord-1", role=cr.Role.CARE_COORDINATOR)
DOCTOR = cr.Actor(member_id="doc-1", role=cr.Role.TREATING_PROVIDER)
CAREGIVER = cr.Actor(member_id="cg-1", role=cr.Role.CAREGIVER)

SHARING = cr.Consent(
    id="k-cbo",
    patient_id="pat-1",
    kind=cr.ConsentKind.AUTHORIZATION,
    grantor=PATIENT,
    grantee_id="org-pantry",
    categories=frozenset({cr.InformationCategory.SOCIAL_NEEDS}),
    period=cr.Period(start=T0, end=T0.add(years=1)),
)

SHARING_2 = cr.structure(
    {**cr.unstructure(SHARING), "id": "k-2", "patient_id": "pat-2"}, cr.Consent
)


def education(language: str, interpreter: bool = False) -> EducationRecord:
    return EducationRecord(
        id="ed-1",
        patient_id="pat-1",
        resource_id="res-appeal-rights",
        topic="appeal_rights",
        language=language,
        delivered_at=T0,
        delivered_by=ADVOCATE,
        interpreter_used=interpreter,
    )


def draft(**kw: Any) -> Referral:
    fields: dict[str, Any] = {
        "id": "ref-1",
        "patient_id": "pat-1",
        "service": SECRET,
        "barriers": frozenset({Barrier.FOOD, Barrier.TRANSPORT}),
        "requested_by": COORD,
        "created_at": T0,
    }
    fields.update(kw)
    return Referral(**fields)


def sent(**kw: Any) -> Referral:
    return draft(**kw).request(
        consents=[SHARING, SHARING_2], by=COORD, at=T0, performer_id="org-pantry"
    )


def got_help(**kw: Any) -> Referral:
    return (
        sent(**kw)
        .accept(by=COORD, at=T0.add(days=1))
        .start(by=COORD, at=T0.add(days=2))
        .complete(ReferralOutcome.GOT_HELP, by=COORD, at=T0.add(days=9))
    )


# --- education ----------------------------------------------------------------------------------


def test_education_in_another_language_than_preferred_is_flagged() -> None:
    prefs = cr.Preferences(language="es")
    findings = education_findings([education("en"), education("es-MX")], prefs)
    assert [f.code for f in findings] == ["NAV-001"]
    assert findings[0].path == "$.records[0].language"
    assert "appeal" not in findings[0].message


def test_education_given_through_an_interpreter_is_not_flagged() -> None:
    prefs = cr.Preferences(language="vi", interpreter_needed=True)
    assert education_findings([education("en", interpreter=True)], prefs) == ()


def test_language_tags_compare_by_primary_language_case_insensitively() -> None:
    assert education_findings([education("ZH-Hant")], cr.Preferences(language="zh")) == ()


def test_education_findings_refuse_bad_input() -> None:
    with pytest.raises(cr.ValidationError):
        education_findings([education("en")], "en")  # type: ignore[arg-type]
    with pytest.raises(cr.ValidationError):
        education_findings(["ed-1"], cr.Preferences())  # type: ignore[list-item]


def test_an_education_record_refuses_bad_input() -> None:
    with pytest.raises(cr.ValidationError) as info:
        EducationRecord(
            id="ed-1",
            patient_id="pat-1",
            resource_id=" ",
            topic="appeal_rights",
            language="english please",
            delivered_at=T0,
            delivered_by=ADVOCATE,
        )
    assert {p.path for p in info.value.problems} == {("resource_id",), ("language",)}
    with pytest.raises(cr.ValidationError) as naive:
        cr.structure(
            {**cr.unstructure(education("en")), "delivered_at": "2026-03-09T09:00:00"},
            EducationRecord,
        )
    assert naive.value.problems


# --- referrals ----------------------------------------------------------------------------------


def test_a_referral_runs_the_gravity_task_statuses_to_completion() -> None:
    done = got_help()
    assert done.status is ReferralStatus.COMPLETED
    assert done.resolved
    assert [h.to_status.value for h in done.history] == [
        "requested",
        "accepted",
        "in-progress",
        "completed",
    ]


def test_sending_a_referral_needs_consent_to_share_social_needs_with_the_performer() -> None:
    with pytest.raises(cr.PermissionDenied) as info:
        draft().request(consents=[], by=COORD, at=T0, performer_id="org-pantry")
    assert info.value.action == "request"
    assert "consent" in info.value.reason
    with pytest.raises(cr.PermissionDenied):
        draft().request(consents=[SHARING], by=COORD, at=T0, performer_id="org-other")


def test_sending_a_referral_needs_a_performer() -> None:
    with pytest.raises(cr.ValidationError) as info:
        draft().request(consents=[SHARING], by=COORD, at=T0)
    assert [p.code for p in info.value.problems] == ["missing"]


def test_a_completed_referral_needs_an_outcome() -> None:
    started = sent().accept(by=COORD, at=T0).start(by=COORD, at=T0)
    with pytest.raises(cr.ValidationError):
        started.complete(ReferralOutcome.NOT_UPDATED, by=COORD, at=T0)


def test_completed_without_help_is_not_resolved() -> None:
    done = (
        sent()
        .accept(by=ADVOCATE, at=T0)
        .start(by=ADVOCATE, at=T0)
        .complete(ReferralOutcome.COULDNT_GET_HELP, by=ADVOCATE, at=T0)
    )
    assert not done.resolved


@pytest.mark.parametrize("by", [PATIENT, CAREGIVER, DOCTOR])
def test_only_the_coordinator_or_advocate_record_the_performers_responses(by: cr.Actor) -> None:
    with pytest.raises(cr.PermissionDenied):
        sent().accept(by=by, at=T0)


def test_the_patient_can_cancel_a_referral() -> None:
    assert sent().cancel(by=PATIENT, at=T0).status is ReferralStatus.CANCELLED


def test_rejection_and_failure_need_a_reason() -> None:
    with pytest.raises(cr.ValidationError):
        sent().reject(by=COORD, at=T0, reason="")
    assert sent().reject(by=COORD, at=T0, reason="no capacity").status is ReferralStatus.REJECTED
    started = sent().accept(by=COORD, at=T0).start(by=COORD, at=T0)
    held = started.hold(by=COORD, at=T0)
    assert held.status is ReferralStatus.ON_HOLD
    assert held.fail(by=COORD, at=T0, reason="closed").status is ReferralStatus.FAILED


def test_entered_in_error_is_reachable_from_everywhere_but_itself() -> None:
    row = REFERRAL_LIFECYCLE.action("mark_entered_in_error")
    assert row is not None
    assert row.sources == frozenset(ReferralStatus) - {ReferralStatus.ENTERED_IN_ERROR}
    wrong = got_help().mark_entered_in_error(by=COORD, at=T0.add(days=10), reason="wrong patient")
    assert wrong.status is ReferralStatus.ENTERED_IN_ERROR
    with pytest.raises(cr.ValidationError):
        wrong.record_outcome(ReferralOutcome.GOT_HELP, by=COORD, at=T0.add(days=11))


def test_the_outcome_can_be_updated_while_in_progress() -> None:
    updated = sent().record_outcome(ReferralOutcome.NEEDS_CLIENT_ACTION, by=ADVOCATE, at=T0)
    assert updated.outcome is ReferralOutcome.NEEDS_CLIENT_ACTION
    assert updated.changes[-1].action == "record_outcome"


def test_statuses_use_the_fhir_task_codes() -> None:
    assert {s.value for s in ReferralStatus} == {
        "draft",
        "requested",
        "accepted",
        "rejected",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "cancelled",
        "entered-in-error",
    }


def test_a_referral_refuses_bad_input() -> None:
    with pytest.raises(cr.ValidationError) as info:
        draft(barriers=frozenset(), requested_by=CAREGIVER)
    assert {p.code for p in info.value.problems} == {"empty", "requester_role"}
    plain = cr.unstructure(sent())
    plain["barriers"] = ["transport", "bad_weather"]
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, Referral)
    plain = cr.unstructure(sent())
    plain["status"] = "in_progress"
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, Referral)


def test_the_service_sought_never_shows() -> None:
    assert SECRET not in repr(got_help())


# --- the disparities report ---------------------------------------------------------------------


def test_the_report_counts_barriers_and_resolutions_per_group() -> None:
    helped = got_help()
    waiting = sent(id="ref-2", barriers=frozenset({Barrier.FOOD}))
    other = got_help(id="ref-3", patient_id="pat-2", barriers=frozenset({Barrier.LANGUAGE}))
    error = sent(id="ref-4", barriers=frozenset({Barrier.COST})).mark_entered_in_error(
        by=COORD, at=T0, reason="duplicate"
    )
    rows = disparities_report(
        {"pat-1": [helped, waiting, error], "pat-2": [other]},
        group_by={"pat-1": "es", "pat-2": "en"},
    )
    assert rows == [
        {
            "group": "en",
            "barrier": "language",
            "patients": 1,
            "referrals": 1,
            "resolved": 1,
            "resolved_share": Decimal("1.000"),
        },
        {
            "group": "es",
            "barrier": "food",
            "patients": 1,
            "referrals": 2,
            "resolved": 1,
            "resolved_share": Decimal("0.500"),
        },
        {
            "group": "es",
            "barrier": "transport",
            "patients": 1,
            "referrals": 1,
            "resolved": 1,
            "resolved_share": Decimal("1.000"),
        },
    ]


def test_the_report_groups_by_a_function_or_into_one_group() -> None:
    records = {"pat-1": [got_help()], "pat-2": [sent(id="r2", patient_id="pat-2")]}
    one = disparities_report(records)
    assert {r["group"] for r in one} == {"all"}
    by_fn = disparities_report(records, group_by=lambda pid: pid.upper())
    assert {r["group"] for r in by_fn} == {"PAT-1", "PAT-2"}
    unknown = disparities_report(records, group_by={"pat-1": "north"})
    assert {r["group"] for r in unknown} == {"north", "unknown"}


def test_the_report_refuses_bad_input() -> None:
    with pytest.raises(cr.ValidationError):
        disparities_report([got_help()])  # type: ignore[arg-type]
    with pytest.raises(cr.ValidationError):
        disparities_report({"pat-1": ["ref-1"]})  # type: ignore[list-item]
    with pytest.raises(cr.ValidationError):
        disparities_report({"pat-1": [got_help()]}, group_by=3)  # type: ignore[arg-type]


@given(st.lists(referrals(), max_size=6), st.sampled_from(["a", "b"]))
def test_the_report_adds_up(drawn: list[Referral], label: str) -> None:
    by_patient: dict[str, list[Referral]] = {}
    for r in drawn:
        by_patient.setdefault(r.patient_id, []).append(r)
    rows = disparities_report(by_patient, group_by=lambda _pid: label)
    counted = [r for r in drawn if r.status is not ReferralStatus.ENTERED_IN_ERROR]
    assert sum(row["referrals"] for row in rows) == sum(len(r.barriers) for r in counted)
    assert sum(row["resolved"] for row in rows) == sum(
        len(r.barriers) for r in counted if r.resolved
    )
    for row in rows:
        assert 0 <= row["resolved"] <= row["referrals"]
        assert row["patients"] <= row["referrals"]
