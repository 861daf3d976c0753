"""Advocacy cases: lifecycle guards, authorization to represent, deadlines, the patient's call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pendulum
import pytest
from hypothesis import given

import careroles as cr
from careroles.advocacy import (
    ADVOCACY_CASE_LIFECYCLE,
    INSURANCE_KINDS,
    AdvocacyCase,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    Counterparty,
    CounterpartyKind,
    DocumentKind,
    DocumentRef,
    FeeBasis,
    Filing,
    Identifier,
    Interaction,
    InteractionChannel,
    InteractionOutcome,
    OutcomeResult,
    ServiceAgreement,
    case_findings,
    deadlines_due,
    decision_overdue,
    missed_decision_deadlines,
    open_case,
)
from careroles.deadlines import Clock, CoverageRegime, Deadline, compute_deadline
from careroles.periods import instant
from careroles.strategies import advocacy_cases

TZ = "America/New_York"
T0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)
SECRET = "Denied the MRI my neurologist ordered for my MS"
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(TZ), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(TZ), fold=1)

PATIENT = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)
REP = cr.Actor(member_id="rep-1", role=cr.Role.PERSONAL_REPRESENTATIVE)
ADVOCATE = cr.Actor(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE)
OTHER_ADVOCATE = cr.Actor(member_id="adv-2", role=cr.Role.PATIENT_ADVOCATE)
COORD = cr.Actor(member_id="coord-1", role=cr.Role.CARE_COORDINATOR)
DOCTOR = cr.Actor(member_id="doc-1", role=cr.Role.TREATING_PROVIDER)

INSURER = Counterparty(
    id="cp-1",
    kind=CounterpartyKind.INSURER,
    name="Acme Health Plan",
    identifiers=(Identifier(system="https://example.org/payer-id", value="60054"),),
)
REPRESENTATION = cr.Consent(
    id="k-rep",
    patient_id="pat-1",
    kind=cr.ConsentKind.REPRESENTATION,
    grantor=PATIENT,
    grantee_id="adv-1",
    categories=frozenset({cr.InformationCategory.ADVOCACY_CASE}),
    period=cr.Period(start=T0),
)
AGREEMENT = ServiceAgreement(
    scope="internal appeal of the MRI denial",
    fee_basis=FeeBasis.HOURLY,
    fee_amount=Decimal("95.00"),
    term=cr.Period(start=T0, end=T0.add(months=6)),
    termination_criteria=("appeal decided", "either party on 14 days' notice"),
    signed_by=PATIENT,
    signed_at=T0,
    advocate_id="adv-1",
)
FILING_CLOCK = compute_deadline("ACA-INTERNAL-APPEAL-FILING", pendulum.date(2026, 3, 2), zone=TZ)
DECISION_CLOCK = compute_deadline(
    "ACA-INTERNAL-APPEAL-DECISION-PRE-SERVICE", pendulum.date(2026, 3, 12), zone=TZ
)


def opened(kind: CaseKind = CaseKind.INSURANCE_APPEAL, **kw: Any) -> AdvocacyCase:
    return open_case(
        id="case-1",
        patient_id="pat-1",
        kind=kind,
        matter=SECRET,
        by=ADVOCATE,
        at=T0,
        counterparties=[INSURER],
        **kw,
    )


def assessing(kind: CaseKind = CaseKind.INSURANCE_APPEAL, **kw: Any) -> AdvocacyCase:
    return (
        opened(kind, **kw)
        .engage(AGREEMENT, consents=[REPRESENTATION], by=ADVOCATE, at=T0.add(hours=1))
        .start_assessment(by=ADVOCATE, at=T0.add(hours=2))
    )


def planned(**kw: Any) -> AdvocacyCase:
    return assessing(**kw).plan(
        by=ADVOCATE,
        at=T0.add(days=1),
        deadlines=[FILING_CLOCK],
        coverage_regime=CoverageRegime.EMPLOYER_OR_ACA,
        level="internal_appeal",
    )


FILED_AT = pendulum.datetime(2026, 3, 12, 10, tz=TZ)


def awaiting() -> AdvocacyCase:
    proof = Filing(submitted_at=FILED_AT, channel=InteractionChannel.FAX, confirmation="FX-1")
    return (
        planned()
        .file(proof, consents=[REPRESENTATION], by=ADVOCATE, at=FILED_AT)
        .record_deadlines([FILING_CLOCK, DECISION_CLOCK], by=ADVOCATE, at=FILED_AT)
        .await_decision(by=ADVOCATE, at=FILED_AT)
    )


def call(counterparty_id: str | None = "cp-1", at: pendulum.DateTime = T0) -> Interaction:
    return Interaction(
        at=at,
        channel=InteractionChannel.PHONE,
        by=ADVOCATE,
        counterparty_id=counterparty_id,
        party="claims rep",
        summary="asked for the claim file",
        outcome=InteractionOutcome.CALLBACK_PROMISED,
        next_step="call back Friday",
        reference_number="REF-2231",
    )


# --- engagement ---------------------------------------------------------------------------------


def test_a_case_opens_at_intake_with_the_acting_advocate() -> None:
    case = opened()
    assert case.status is CaseStatus.INTAKE
    assert case.advocate_id == "adv-1"
    assert case.opened_at == T0


@pytest.mark.parametrize("by", [PATIENT, COORD, DOCTOR])
def test_only_an_advocate_opens_a_case(by: cr.Actor) -> None:
    with pytest.raises(cr.PermissionDenied) as info:
        open_case(
            id="c", patient_id="pat-1", kind=CaseKind.BILLING_DISPUTE, matter="x", by=by, at=T0
        )
    assert info.value.action == "open"


def test_a_service_agreement_signed_in_the_repeated_hour_is_in_force_later_in_it() -> None:
    signed = ServiceAgreement(
        scope="appeal",
        fee_basis=FeeBasis.PRO_BONO,
        term=cr.Period(start=T0, end=T0.add(years=1)),
        termination_criteria=("done",),
        signed_by=PATIENT,
        signed_at=EDT_0159,
        advocate_id="adv-1",
    )
    assert signed.in_force(EST_0130)
    assert not signed.in_force(EDT_0159.subtract(minutes=1))


def test_engaging_needs_a_service_agreement_in_force() -> None:
    expired = ServiceAgreement(
        scope="appeal",
        fee_basis=FeeBasis.PRO_BONO,
        term=cr.Period(start=T0.subtract(days=60), end=T0.subtract(days=1)),
        termination_criteria=("done",),
        signed_by=PATIENT,
        signed_at=T0.subtract(days=60),
        advocate_id="adv-1",
    )
    with pytest.raises(cr.TransitionError) as info:
        opened().engage(expired, consents=[REPRESENTATION], by=ADVOCATE, at=T0)
    assert "ADV-020" in info.value.reason


def test_a_service_agreement_states_scope_fees_term_and_termination() -> None:
    with pytest.raises(cr.ValidationError) as info:
        ServiceAgreement(
            scope=" ",
            fee_basis=FeeBasis.FLAT,
            term=cr.Period(start=T0),
            termination_criteria=(),
            signed_by=ADVOCATE,
            signed_at=T0,
            advocate_id="adv-1",
            disclosures_made=False,
        )
    paths = {p.path for p in info.value.problems}
    assert paths == {
        ("scope",),
        ("termination_criteria",),
        ("fee_amount",),
        ("signed_by", "role"),
        ("disclosures_made",),
    }


def test_a_pro_bono_agreement_charges_nothing() -> None:
    with pytest.raises(cr.ValidationError):
        ServiceAgreement(
            scope="appeal",
            fee_basis=FeeBasis.PRO_BONO,
            fee_amount=Decimal(50),
            term=cr.Period(start=T0),
            termination_criteria=("done",),
            signed_by=PATIENT,
            signed_at=T0,
            advocate_id="adv-1",
        )


def test_the_agreement_must_be_with_the_cases_advocate() -> None:
    other = cr.structure({**cr.unstructure(AGREEMENT), "advocate_id": "adv-2"}, ServiceAgreement)
    with pytest.raises(cr.ValidationError):
        opened().engage(other, consents=[REPRESENTATION], by=ADVOCATE, at=T0)


def test_engaging_needs_the_patients_authorization_to_represent() -> None:
    with pytest.raises(cr.PermissionDenied) as info:
        opened().engage(AGREEMENT, consents=[], by=ADVOCATE, at=T0)
    assert info.value.role == "patient_advocate"
    assert info.value.action == "engage"
    assert "authorization" in info.value.reason
    assert "adv-1" not in str(info.value)


# --- planning -----------------------------------------------------------------------------------


def test_an_insurance_matter_cannot_be_planned_without_its_coverage_regime() -> None:
    with pytest.raises(cr.TransitionError) as info:
        assessing().plan(by=ADVOCATE, at=T0.add(days=1), deadlines=[FILING_CLOCK])
    assert "ADV-001" in info.value.reason


def test_planning_needs_computed_deadlines() -> None:
    with pytest.raises(cr.TransitionError) as info:
        assessing().plan(
            by=ADVOCATE, at=T0.add(days=1), coverage_regime=CoverageRegime.EMPLOYER_OR_ACA
        )
    assert "deadlines" in info.value.reason


def test_a_records_request_plans_without_a_coverage_regime() -> None:
    clock = compute_deadline("HIPAA-ACCESS-RESPONSE", pendulum.date(2026, 3, 10), zone=TZ)
    case = assessing(CaseKind.RECORDS_ACCESS).plan(
        by=ADVOCATE, at=T0.add(days=1), deadlines=[clock]
    )
    assert case.status is CaseStatus.PLANNED
    assert CaseKind.RECORDS_ACCESS not in INSURANCE_KINDS


def test_the_coverage_regime_can_be_recorded_before_planning() -> None:
    case = assessing().set_coverage_regime(
        CoverageRegime.MEDICARE_ADVANTAGE, by=ADVOCATE, at=T0.add(hours=3)
    )
    planned_case = case.plan(by=ADVOCATE, at=T0.add(days=1), deadlines=[FILING_CLOCK])
    assert planned_case.coverage_regime is CoverageRegime.MEDICARE_ADVANTAGE


# --- contact and filing need authorization ------------------------------------------------------


def test_contacting_a_counterparty_without_authorization_is_refused() -> None:
    with pytest.raises(cr.PermissionDenied) as info:
        assessing().log_interaction(call(), consents=[], by=ADVOCATE, at=T0.add(hours=3))
    assert info.value.action == "contact_counterparty"
    assert info.value.role == "patient_advocate"


def test_an_authorization_granted_to_another_advocate_does_not_count() -> None:
    case = opened()
    with pytest.raises(cr.PermissionDenied):
        case.log_interaction(call(), consents=[REPRESENTATION], by=OTHER_ADVOCATE, at=T0)


def test_a_revoked_or_other_kind_of_consent_does_not_authorize_contact() -> None:
    revoked = REPRESENTATION.revoke(by=PATIENT, at=T0.add(hours=2))
    with pytest.raises(cr.PermissionDenied) as info:
        assessing().log_interaction(call(), consents=[revoked], by=ADVOCATE, at=T0.add(hours=3))
    assert "revoked" in info.value.reason
    family = cr.structure(
        {**cr.unstructure(REPRESENTATION), "kind": "family_involvement"}, cr.Consent
    )
    with pytest.raises(cr.PermissionDenied):
        assessing().log_interaction(call(), consents=[family], by=ADVOCATE, at=T0.add(hours=3))


def test_a_consent_for_another_patient_does_not_authorize() -> None:
    other = cr.structure({**cr.unstructure(REPRESENTATION), "patient_id": "pat-2"}, cr.Consent)
    with pytest.raises(cr.PermissionDenied):
        assessing().log_interaction(call(), consents=[other], by=ADVOCATE, at=T0.add(hours=3))


def test_an_authorized_call_is_logged_with_the_consent_it_rests_on() -> None:
    case = assessing().log_interaction(
        call(at=T0.add(hours=3)), consents=[REPRESENTATION], by=ADVOCATE, at=T0.add(hours=3)
    )
    entry = case.interactions[-1]
    assert entry.authorization_basis == "k-rep"
    assert entry.reference_number == "REF-2231"
    assert case.changes[-1].action == "log_interaction"


def test_a_note_of_a_talk_with_the_patient_needs_no_authorization() -> None:
    case = assessing().log_interaction(call(None), by=ADVOCATE, at=T0.add(hours=3))
    assert case.interactions[-1].authorization_basis is None


def test_a_call_must_name_a_known_counterparty() -> None:
    with pytest.raises(cr.ValidationError):
        assessing().log_interaction(
            call("cp-9"), consents=[REPRESENTATION], by=ADVOCATE, at=T0.add(hours=3)
        )


def test_filing_without_authorization_is_refused_and_with_it_keeps_proof() -> None:
    proof = Filing(submitted_at=FILED_AT, channel=InteractionChannel.PORTAL, confirmation="P-77")
    with pytest.raises(cr.PermissionDenied) as info:
        planned().file(proof, consents=[], by=ADVOCATE, at=FILED_AT)
    assert info.value.action == "file"
    filed = planned().file(proof, consents=[REPRESENTATION], by=ADVOCATE, at=FILED_AT)
    assert filed.status is CaseStatus.FILED
    assert filed.filings[-1].authorization_basis == "k-rep"
    assert filed.filings[-1].confirmation == "P-77"


def test_a_filing_needs_proof_of_submission() -> None:
    with pytest.raises(cr.ValidationError) as info:
        Filing(submitted_at=FILED_AT, channel=InteractionChannel.MAIL)
    assert [p.code for p in info.value.problems] == ["proof_required"]


def test_a_coordinator_cannot_contact_a_counterparty_or_file() -> None:
    with pytest.raises(cr.PermissionDenied):
        assessing().log_interaction(call(), consents=[REPRESENTATION], by=COORD, at=T0)
    proof = Filing(submitted_at=FILED_AT, channel=InteractionChannel.FAX, confirmation="F")
    with pytest.raises(cr.PermissionDenied):
        planned().file(proof, consents=[REPRESENTATION], by=COORD, at=FILED_AT)


# --- decisions and deadlines --------------------------------------------------------------------


def test_a_missed_decision_clock_makes_the_decision_overdue() -> None:
    case = awaiting()
    before = DECISION_CLOCK.due.subtract(minutes=1)
    after = DECISION_CLOCK.due.add(minutes=1)
    assert not decision_overdue(case, before)
    assert decision_overdue(case, after)
    (missed,) = missed_decision_deadlines(case, after)
    assert missed.deadline.rule_id == DECISION_CLOCK.rule_id
    with pytest.raises(cr.TransitionError):
        case.mark_decision_overdue(by=ADVOCATE, at=before)
    overdue = case.mark_decision_overdue(by=ADVOCATE, at=after)
    assert overdue.status is CaseStatus.DECISION_OVERDUE
    escalated = overdue.escalate(consents=[REPRESENTATION], by=ADVOCATE, at=after)
    assert escalated.status is CaseStatus.ESCALATED


def test_a_filing_clock_never_makes_a_decision_overdue() -> None:
    case = awaiting()
    far = FILING_CLOCK.due.add(days=1)
    only_filing = case.record_deadlines([FILING_CLOCK], by=ADVOCATE, at=FILED_AT)
    assert not decision_overdue(only_filing, far)


def test_escalation_needs_authorization() -> None:
    after = DECISION_CLOCK.due.add(minutes=1)
    overdue = awaiting().mark_decision_overdue(by=ADVOCATE, at=after)
    with pytest.raises(cr.PermissionDenied):
        overdue.escalate(consents=[], by=ADVOCATE, at=after)


def test_more_information_goes_back_through_filing() -> None:
    asked = awaiting().record_info_request(by=ADVOCATE, at=FILED_AT.add(days=3))
    assert asked.status is CaseStatus.MORE_INFO_REQUESTED
    proof = Filing(
        submitted_at=FILED_AT.add(days=4), channel=InteractionChannel.FAX, document_id="doc-4"
    )
    with pytest.raises(cr.PermissionDenied):
        asked.supply_info(proof, consents=[], by=ADVOCATE, at=FILED_AT.add(days=4))
    refiled = asked.supply_info(
        proof, consents=[REPRESENTATION], by=ADVOCATE, at=FILED_AT.add(days=4)
    )
    assert refiled.status is CaseStatus.FILED
    assert len(refiled.filings) == 2


def test_deadlines_due_lists_open_deadlines_of_open_cases_soonest_first() -> None:
    case = awaiting()
    as_of = FILED_AT
    due = deadlines_due([case], as_of, within=pendulum.duration(days=40))
    assert [d.deadline.rule_id for d in due] == [DECISION_CLOCK.rule_id]
    everything = deadlines_due([case], as_of, within=pendulum.duration(days=365))
    assert [d.deadline.due for d in everything] == sorted(
        (d.deadline.due for d in everything), key=instant
    )
    assert {d.case_id for d in everything} == {"case-1"}
    closed = case.withdraw(by=PATIENT, at=FILED_AT.add(days=1))
    assert deadlines_due([closed], as_of, within=pendulum.duration(days=365)) == ()


def test_deadlines_due_includes_overdue_ones_and_skips_met_ones() -> None:
    case = awaiting()
    late = DECISION_CLOCK.due.add(days=3)
    assert [d.deadline.rule_id for d in deadlines_due([case], late)] == [DECISION_CLOCK.rule_id]
    met = DECISION_CLOCK.mark_met(by=ADVOCATE, at=late, met_at=late)
    updated = case.record_deadlines([FILING_CLOCK, met], by=ADVOCATE, at=late)
    assert deadlines_due([updated], late) == ()


def _hour_clocks_due_in_the_repeated_hour() -> tuple[AdvocacyCase, Deadline, Deadline]:
    at_0159_edt = compute_deadline(
        "ACA-INTERNAL-APPEAL-DECISION-URGENT", EDT_0159.subtract(hours=72), zone=TZ
    )
    at_0130_est = compute_deadline(
        "ACA-EXTERNAL-REVIEW-DECISION-EXPEDITED", EST_0130.subtract(hours=72), zone=TZ
    )
    assert at_0159_edt.due.timestamp() == EDT_0159.timestamp()
    assert at_0130_est.due.timestamp() == EST_0130.timestamp()
    case = awaiting().record_deadlines(
        [at_0159_edt, at_0130_est], by=ADVOCATE, at=EDT_0159.subtract(days=5)
    )
    return case, at_0159_edt, at_0130_est


def test_deadlines_due_in_the_repeated_hour_come_soonest_first() -> None:
    case, first, second = _hour_clocks_due_in_the_repeated_hour()
    due = deadlines_due([case], EST_0130)
    assert [d.deadline.rule_id for d in due] == [first.rule_id, second.rule_id]


def test_a_deadline_later_in_the_repeated_hour_than_the_horizon_is_not_yet_listed() -> None:
    case, first, _ = _hour_clocks_due_in_the_repeated_hour()
    due = deadlines_due([case], EDT_0159.subtract(hours=1), within=pendulum.duration(hours=1))
    assert [d.deadline.rule_id for d in due] == [first.rule_id]


def test_deadlines_due_refuses_bad_input() -> None:
    with pytest.raises(cr.ValidationError):
        deadlines_due([awaiting()], pendulum.naive(2026, 3, 9))
    with pytest.raises(cr.ValidationError):
        deadlines_due(["case-1"], T0)  # type: ignore[list-item]
    with pytest.raises(cr.ValidationError):
        deadlines_due([awaiting()], T0, within=14)  # type: ignore[arg-type]


def test_a_favourable_decision_goes_to_an_effectuation_check_then_closes() -> None:
    decided_at = FILED_AT.add(days=20)
    outcome = CaseOutcome(result=OutcomeResult.FAVORABLE, decided_at=decided_at, summary=SECRET)
    case = awaiting().record_decision(outcome, by=ADVOCATE, at=decided_at)
    assert case.status is CaseStatus.RESOLVED_FAVORABLE
    assert case.outcome == outcome
    done = case.check_effectuation(by=ADVOCATE, at=decided_at.add(days=3)).close(
        by=ADVOCATE, at=decided_at.add(days=4)
    )
    assert done.status is CaseStatus.CLOSED


def test_the_patient_not_the_advocate_decides_whether_to_go_on() -> None:
    decided_at = FILED_AT.add(days=20)
    adverse = CaseOutcome(result=OutcomeResult.ADVERSE, decided_at=decided_at)
    deciding = (
        awaiting()
        .record_decision(adverse, by=ADVOCATE, at=decided_at)
        .consider_next_level(by=ADVOCATE, at=decided_at)
    )
    assert deciding.status is CaseStatus.NEXT_LEVEL_DECISION
    external = compute_deadline("ACA-EXTERNAL-REVIEW-FILING", pendulum.date(2026, 4, 3), zone=TZ)
    with pytest.raises(cr.PermissionDenied):
        deciding.pursue_next_level(by=ADVOCATE, at=decided_at, deadlines=[external])
    with pytest.raises(cr.PermissionDenied):
        deciding.accept_outcome(by=ADVOCATE, at=decided_at)
    onward = deciding.pursue_next_level(
        by=REP, at=decided_at.add(days=1), deadlines=[external], level="external_review"
    )
    assert onward.status is CaseStatus.PLANNED
    assert onward.level == "external_review"
    assert onward.history[-1].by == REP
    accepted = deciding.accept_outcome(by=PATIENT, at=decided_at.add(days=1))
    assert accepted.status is CaseStatus.CLOSED


def test_a_resolved_status_needs_the_matching_outcome() -> None:
    decided_at = FILED_AT.add(days=20)
    partial = CaseOutcome(result=OutcomeResult.PARTIAL, decided_at=decided_at)
    case = awaiting().record_decision(partial, by=ADVOCATE, at=decided_at)
    plain = cr.unstructure(case)
    plain["outcomes"] = []
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, AdvocacyCase)


# --- withdrawal and the other endings -----------------------------------------------------------


@pytest.mark.parametrize("by", [PATIENT, REP, ADVOCATE])
def test_withdrawal_is_possible_from_every_open_status(by: cr.Actor) -> None:
    terminal = ADVOCACY_CASE_LIFECYCLE.terminal_statuses()
    row = ADVOCACY_CASE_LIFECYCLE.action("withdraw")
    assert row is not None
    assert row.sources == frozenset(CaseStatus) - terminal
    assert awaiting().withdraw(by=by, at=FILED_AT.add(days=1)).status is CaseStatus.WITHDRAWN


def test_a_coordinator_cannot_withdraw_a_case() -> None:
    with pytest.raises(cr.PermissionDenied):
        awaiting().withdraw(by=COORD, at=FILED_AT.add(days=1))


def test_the_terminal_statuses_are_the_five_endings() -> None:
    assert ADVOCACY_CASE_LIFECYCLE.terminal_statuses() == frozenset(
        {
            CaseStatus.CLOSED,
            CaseStatus.DECLINED,
            CaseStatus.REFERRED_OUT,
            CaseStatus.WITHDRAWN,
            CaseStatus.CLOSED_NO_RESPONSE,
        }
    )
    assert ADVOCACY_CASE_LIFECYCLE.reachable() == frozenset(CaseStatus)


def test_a_case_on_hold_resumes_at_assessment() -> None:
    held = planned().put_on_hold(by=PATIENT, at=T0.add(days=2), reason="in hospital")
    resumed = held.resume(by=ADVOCATE, at=T0.add(days=9))
    assert resumed.status is CaseStatus.ASSESSING
    with pytest.raises(cr.ValidationError):
        planned().put_on_hold(by=PATIENT, at=T0.add(days=2), reason="")


def test_a_closed_case_takes_no_more_entries() -> None:
    closed = opened().decline(by=ADVOCATE, at=T0, reason="outside scope")
    with pytest.raises(cr.ValidationError) as info:
        closed.add_document(
            DocumentRef(id="d", kind=DocumentKind.OTHER, ref="store://d"), by=ADVOCATE, at=T0
        )
    assert [p.code for p in info.value.problems] == ["closed"]


def test_documents_are_kept_by_reference_and_the_patient_may_add_them() -> None:
    notice = DocumentRef(
        id="doc-1",
        kind=DocumentKind.DENIAL_NOTICE,
        ref="s3://bucket/denial.pdf",
        received_at=T0,
        dated=pendulum.date(2026, 3, 2),
    )
    case = opened().add_document(notice, by=PATIENT, at=T0)
    assert case.documents == (notice,)
    with pytest.raises(cr.ValidationError):
        case.add_document(notice, by=PATIENT, at=T0)


def test_the_default_policy_rows() -> None:
    policy = cr.DEFAULT_POLICY
    assert policy.roles_for("advocacy_case", "contact_counterparty") == frozenset(
        {cr.Role.PATIENT_ADVOCATE}
    )
    assert policy.roles_for("advocacy_case", "withdraw") == frozenset(
        {cr.Role.PATIENT, cr.Role.PERSONAL_REPRESENTATIVE, cr.Role.PATIENT_ADVOCATE}
    )
    assert policy.roles_for("advocacy_case", "accept_outcome") == frozenset(
        {cr.Role.PATIENT, cr.Role.PERSONAL_REPRESENTATIVE}
    )


# --- bad input ----------------------------------------------------------------------------------


def test_the_constructors_refuse_bad_input() -> None:
    with pytest.raises(cr.ValidationError) as info:
        AdvocacyCase(
            id="",
            patient_id="pat-1",
            advocate_id="adv-1",
            kind="lawsuit",  # type: ignore[arg-type]
            matter=SECRET,
            opened_at=pendulum.naive(2026, 3, 9),
        )
    assert {"type", "naive_datetime"} <= {p.code for p in info.value.problems}
    assert SECRET not in str(info.value)
    with pytest.raises(cr.ValidationError):
        Identifier(system="", value="1")
    with pytest.raises(cr.ValidationError):
        Counterparty(id="cp", kind="bank", name="x")  # type: ignore[arg-type]
    with pytest.raises(cr.ValidationError):
        CaseOutcome(result=OutcomeResult.FAVORABLE, decided_at=T0, amount=Decimal("NaN"))


def test_loading_unknown_enum_values_is_refused() -> None:
    plain = cr.unstructure(awaiting())
    plain["kind"] = "lawsuit"
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, AdvocacyCase)
    plain = cr.unstructure(awaiting())
    plain["coverage_regime"] = "tricare"
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, AdvocacyCase)


def test_two_counterparties_cannot_share_an_id() -> None:
    with pytest.raises(cr.ValidationError):
        open_case(
            id="c",
            patient_id="p",
            kind=CaseKind.BILLING_DISPUTE,
            matter="x",
            by=ADVOCATE,
            at=T0,
            counterparties=[INSURER, INSURER],
        )


def test_case_file_text_never_shows() -> None:
    case = assessing().log_interaction(
        call(at=T0.add(hours=3)), consents=[REPRESENTATION], by=ADVOCATE, at=T0.add(hours=3)
    )
    text = repr(case)
    for secret in (SECRET, "Acme Health Plan", "claims rep", "asked for the claim file"):
        assert secret not in text


@given(advocacy_cases())
def test_drawn_cases_obey_the_guards(case: AdvocacyCase) -> None:
    reached = {h.to_status for h in case.history}
    if CaseStatus.ENGAGED in reached:
        assert case.service_agreement is not None
    if CaseStatus.PLANNED in reached and case.kind in INSURANCE_KINDS:
        assert case.coverage_regime is not None
    for entry in case.interactions:
        if entry.counterparty_id is not None:
            assert entry.authorization_basis is not None
    for filing in case.filings:
        assert filing.authorization_basis is not None
    for h in case.history:
        if h.action in ("pursue_next_level", "accept_outcome"):
            assert h.by.role in (cr.Role.PATIENT, cr.Role.PERSONAL_REPRESENTATIVE)
    for d in case.deadlines:
        assert isinstance(d, Deadline)
        assert d.clock in set(Clock)


def test_an_action_from_the_wrong_status_is_a_transition_error_before_any_authorization() -> None:
    with pytest.raises(cr.TransitionError) as info:
        assessing().engage(AGREEMENT, consents=[], by=ADVOCATE, at=T0.add(hours=3))
    assert info.value.status == "assessing"
    proof = Filing(submitted_at=FILED_AT, channel=InteractionChannel.FAX, confirmation="F")
    with pytest.raises(cr.TransitionError):
        assessing().file(proof, consents=[], by=ADVOCATE, at=FILED_AT)


# --- findings -----------------------------------------------------------------------------------


def grievance_filed(at: pendulum.DateTime = FILED_AT) -> AdvocacyCase:
    clock = compute_deadline("HIPAA-ACCESS-RESPONSE", pendulum.date(2026, 3, 10), zone=TZ)
    proof = Filing(submitted_at=at, channel=InteractionChannel.EMAIL, confirmation="G-1")
    return (
        assessing(CaseKind.CARE_QUALITY_GRIEVANCE)
        .plan(by=ADVOCATE, at=T0.add(days=1), deadlines=[clock])
        .file(proof, consents=[REPRESENTATION], by=ADVOCATE, at=at)
    )


def test_a_grievance_unresolved_after_seven_days_needs_an_interim_notice() -> None:
    case = grievance_filed()
    assert case_findings(case, FILED_AT.add(days=7)) == ()
    (finding,) = case_findings(case, FILED_AT.add(days=8))
    assert finding.code == "ADV-T08"
    notice = DocumentRef(
        id="doc-interim",
        kind=DocumentKind.INTERIM_NOTICE,
        ref="store://interim.pdf",
        response_by=pendulum.date(2026, 3, 31),
    )
    noticed = case.add_document(notice, by=ADVOCATE, at=FILED_AT.add(days=8))
    assert case_findings(noticed, FILED_AT.add(days=9)) == ()


def test_a_grievance_week_ending_in_the_repeated_hour_ends_at_its_later_instant() -> None:
    case = grievance_filed(
        pendulum.datetime(2026, 10, 25, 1, 30, tz=TZ)
    )  # a week before 01:30 EST
    assert case_findings(case, EDT_0159) == ()
    assert [f.code for f in case_findings(case, EST_0130.add(minutes=1))] == ["ADV-T08"]


def test_an_interim_notice_states_its_response_date() -> None:
    with pytest.raises(cr.ValidationError) as info:
        DocumentRef(id="d", kind=DocumentKind.INTERIM_NOTICE, ref="store://d")
    assert [p.path for p in info.value.problems] == [("response_by",)]


def test_a_medicare_filing_a_year_after_the_appointment_is_flagged() -> None:
    proof = Filing(
        submitted_at=T0.add(years=1, days=2), channel=InteractionChannel.MAIL, confirmation="M"
    )
    late = assessing().plan(
        by=ADVOCATE,
        at=T0.add(years=1),
        deadlines=[FILING_CLOCK],
        coverage_regime=CoverageRegime.ORIGINAL_MEDICARE,
    )
    filed = late.file(proof, consents=[REPRESENTATION], by=ADVOCATE, at=T0.add(years=1, days=2))
    codes = [f.code for f in case_findings(filed, T0.add(years=1, days=3), [REPRESENTATION])]
    assert codes == ["ADV-T05"]
    assert case_findings(filed, T0.add(years=1, days=3)) == ()


def test_a_medicare_filing_in_the_repeated_hour_before_the_year_ends_is_not_flagged() -> None:
    appointed = cr.Consent(
        id="k-rep-2025",
        patient_id="pat-1",
        kind=cr.ConsentKind.REPRESENTATION,
        grantor=PATIENT,
        grantee_id="adv-1",
        categories=frozenset({cr.InformationCategory.ADVOCACY_CASE}),
        period=cr.Period(start=pendulum.datetime(2025, 11, 1, 1, 30, tz=TZ)),
    )
    planned_case = assessing().plan(
        by=ADVOCATE,
        at=T0.add(days=1),
        deadlines=[FILING_CLOCK],
        coverage_regime=CoverageRegime.ORIGINAL_MEDICARE,
    )

    def filed_at(at: pendulum.DateTime) -> AdvocacyCase:
        proof = Filing(submitted_at=at, channel=InteractionChannel.MAIL, confirmation="M")
        return planned_case.file(proof, consents=[appointed], by=ADVOCATE, at=at)

    later = EST_0130.add(hours=1)
    assert case_findings(filed_at(EDT_0159), later, [appointed]) == ()
    flagged = case_findings(filed_at(EST_0130.add(minutes=1)), later, [appointed])
    assert [f.code for f in flagged] == ["ADV-T05"]


def test_a_missed_decision_clock_is_a_finding_until_marked() -> None:
    after = DECISION_CLOCK.due.add(minutes=1)
    assert [f.code for f in case_findings(awaiting(), after)] == ["DL-T14"]
    marked = awaiting().mark_decision_overdue(by=ADVOCATE, at=after)
    assert case_findings(marked, after) == ()
    with pytest.raises(cr.ValidationError):
        case_findings("case-1", after)  # type: ignore[arg-type]
