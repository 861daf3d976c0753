"""Shared treatment decisions: options, decision-maker, lifecycle, SURE and CollaboRATE."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles as cr
from careroles.decisions import (
    COLLABORATE_MIN_ENCOUNTERS,
    DECISION_LIFECYCLE,
    PERMISSIONS,
    ClinicianRecommendation,
    CollaborateEncounter,
    ConflictOfInterest,
    ConflictOfInterestKind,
    ConsideredValue,
    DecisionAid,
    DecisionMaker,
    DecisionOption,
    DecisionStatus,
    SureResult,
    TreatmentDecision,
    ValueSource,
    collaborate_top_score,
    decision_findings,
    sure_score,
)
from careroles.strategies import collaborate_encounters, treatment_decisions

TZ = "America/New_York"
T0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(TZ), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(TZ), fold=1)
SECRET = "Maria fears losing her hair before the wedding"

PATIENT = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)
REP = cr.Actor(member_id="rep-1", role=cr.Role.PERSONAL_REPRESENTATIVE)
DOCTOR = cr.Actor(member_id="doc-1", role=cr.Role.TREATING_PROVIDER)
ADVOCATE = cr.Actor(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE)
COORD = cr.Actor(member_id="coord-1", role=cr.Role.CARE_COORDINATOR)


def option(option_id: str, code: str | None = None, do_nothing: bool = False) -> DecisionOption:
    return DecisionOption(
        id=option_id,
        label=SECRET,
        treatment_code=code,
        is_do_nothing=do_nothing,
        benefits=("fewer relapses",),
        harms=("nausea",),
    )


OPTIONS = (option("chemo", "367336001"), option("wait", None, do_nothing=True))
PATIENT_DECIDES = DecisionMaker(member_id="pat-1", role=cr.Role.PATIENT)


def decision(**kw: Any) -> TreatmentDecision:
    fields: dict[str, Any] = {
        "id": "dec-1",
        "patient_id": "pat-1",
        "question": SECRET,
        "decision_maker": PATIENT_DECIDES,
        "options": OPTIONS,
    }
    fields.update(kw)
    return TreatmentDecision(**fields)


def deliberating(**kw: Any) -> TreatmentDecision:
    return (
        decision(**kw)
        .present_options(by=DOCTOR, at=T0)
        .start_deliberation(by=PATIENT, at=T0.add(hours=1))
    )


def decided(**kw: Any) -> TreatmentDecision:
    return deliberating(**kw).decide("chemo", by=PATIENT, at=T0.add(hours=2))


# --- options ------------------------------------------------------------------------------------


def test_an_option_without_benefits_or_harms_is_refused() -> None:
    with pytest.raises(cr.ValidationError) as info:
        DecisionOption(id="x", label="surgery", benefits=(), harms=())
    codes = {p.path: p.code for p in info.value.problems}
    assert codes == {("benefits",): "empty", ("harms",): "empty"}


def test_options_must_include_doing_nothing_or_waiting() -> None:
    with pytest.raises(cr.ValidationError) as info:
        decision(options=(option("a", "1"), option("b", "2")))
    assert [p.code for p in info.value.problems] == ["do_nothing_required"]


def test_option_ids_are_unique() -> None:
    with pytest.raises(cr.ValidationError) as info:
        decision(options=(option("a", "1"), option("a", None, do_nothing=True)))
    assert "duplicate" in {p.code for p in info.value.problems}


def test_options_cannot_be_presented_with_fewer_than_two() -> None:
    lonely = decision(options=(option("wait", None, do_nothing=True),))
    with pytest.raises(cr.ValidationError) as info:
        lonely.present_options(by=DOCTOR, at=T0)
    assert "options" in {p.code for p in info.value.problems}


def test_present_options_can_supply_the_options() -> None:
    presented = decision(options=()).present_options(OPTIONS, by=DOCTOR, at=T0)
    assert presented.status is DecisionStatus.OPTIONS_PRESENTED
    assert presented.options == OPTIONS


# --- who decides --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        cr.Role.PATIENT_ADVOCATE,
        cr.Role.CARE_COORDINATOR,
        cr.Role.TREATING_PROVIDER,
        cr.Role.CAREGIVER,
    ],
)
def test_nobody_but_the_patient_or_a_representative_can_be_the_decision_maker(
    role: cr.Role,
) -> None:
    with pytest.raises(cr.ValidationError) as info:
        DecisionMaker(member_id="m-1", role=role)
    assert [p.code for p in info.value.problems] == ["decision_maker_role"]


def test_a_representative_decides_only_with_decision_authority() -> None:
    with pytest.raises(cr.ValidationError) as info:
        DecisionMaker(
            member_id="rep-1",
            role=cr.Role.PERSONAL_REPRESENTATIVE,
            authority_basis=cr.RepresentativeBasis.MEDICARE_APPOINTED_REPRESENTATIVE,
        )
    assert [p.code for p in info.value.problems] == ["decision_authority"]
    ok = DecisionMaker(
        member_id="rep-1",
        role=cr.Role.PERSONAL_REPRESENTATIVE,
        authority_basis=cr.RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY,
    )
    assert ok.authority_basis is cr.RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY


def test_an_advocate_holding_legal_authority_decides_only_with_a_recorded_conflict() -> None:
    maker = DecisionMaker(
        member_id="adv-1",
        role=cr.Role.PERSONAL_REPRESENTATIVE,
        authority_basis=cr.RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY,
    )
    with pytest.raises(cr.ValidationError) as info:
        decision(decision_maker=maker, participants=(ADVOCATE,))
    assert [p.code for p in info.value.problems] == ["conflict_required"]
    flag = ConflictOfInterest(
        member_id="adv-1",
        kind=ConflictOfInterestKind.ADVOCATE_HOLDS_DECISION_AUTHORITY,
        recorded_at=T0,
    )
    ok = decision(decision_maker=maker, participants=(ADVOCATE,), conflicts=(flag,))
    as_rep = cr.Actor(member_id="adv-1", role=cr.Role.PERSONAL_REPRESENTATIVE)
    done = (
        ok.present_options(by=DOCTOR, at=T0)
        .start_deliberation(by=as_rep, at=T0)
        .decide("wait", by=as_rep, at=T0)
    )
    assert done.status is DecisionStatus.DECIDED


def test_the_also_advocate_flag_needs_the_conflict_too() -> None:
    maker = DecisionMaker(
        member_id="adv-1",
        role=cr.Role.PERSONAL_REPRESENTATIVE,
        authority_basis=cr.RepresentativeBasis.GUARDIANSHIP,
        also_patient_advocate=True,
    )
    with pytest.raises(cr.ValidationError):
        decision(decision_maker=maker)


@pytest.mark.parametrize("actor", [ADVOCATE, COORD, DOCTOR])
def test_an_advocate_coordinator_or_clinician_cannot_decide(actor: cr.Actor) -> None:
    with pytest.raises(cr.PermissionDenied) as info:
        deliberating().decide("chemo", by=actor, at=T0.add(hours=2))
    assert info.value.role == actor.role.value
    assert info.value.action == "decide"
    assert "pat-1" not in str(info.value)


def test_only_the_recorded_decision_maker_decides() -> None:
    with pytest.raises(cr.PermissionDenied) as info:
        deliberating().decide("chemo", by=REP, at=T0.add(hours=2))
    assert "decision-maker" in info.value.reason


def test_the_decision_maker_cannot_be_changed_to_an_advocate() -> None:
    with pytest.raises(cr.PermissionDenied):
        decision().change_decision_maker(PATIENT_DECIDES, by=ADVOCATE, at=T0)
    with pytest.raises(cr.ValidationError):
        decision().change_decision_maker(
            DecisionMaker(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE), by=PATIENT, at=T0
        )


def test_a_representative_can_take_over_deciding_and_then_decides() -> None:
    rep = DecisionMaker(
        member_id="rep-1",
        role=cr.Role.PERSONAL_REPRESENTATIVE,
        authority_basis=cr.RepresentativeBasis.GUARDIANSHIP,
    )
    changed = deliberating().change_decision_maker(rep, by=REP, at=T0.add(hours=1))
    assert changed.changes[-1].action == "change_decision_maker"
    done = changed.decide("wait", by=REP, at=T0.add(hours=2))
    assert done.chosen_option_id == "wait"


def test_who_decides_cannot_change_once_decided() -> None:
    with pytest.raises(cr.ValidationError) as info:
        decided().change_decision_maker(PATIENT_DECIDES, by=PATIENT, at=T0.add(hours=3))
    assert [p.code for p in info.value.problems] == ["decided"]


# --- lifecycle ----------------------------------------------------------------------------------


def test_a_decision_goes_from_open_to_decided_with_a_history() -> None:
    done = decided(preferred_role=cr.DecisionRole.SHARED)
    assert done.status is DecisionStatus.DECIDED
    assert [h.action for h in done.history] == ["present_options", "start_deliberation", "decide"]
    assert done.decided_at == T0.add(hours=2)
    assert done.chosen is not None
    assert done.chosen.id == "chemo"


def test_the_chosen_option_must_be_one_of_the_options() -> None:
    with pytest.raises(cr.ValidationError):
        deliberating().decide("surgery", by=PATIENT, at=T0.add(hours=2))
    with pytest.raises(cr.ValidationError) as info:
        decision(chosen_option_id="surgery")
    assert "unknown_option" in {p.code for p in info.value.problems}


def test_deciding_is_refused_before_deliberation() -> None:
    presented = decision().present_options(by=DOCTOR, at=T0)
    with pytest.raises(cr.TransitionError) as info:
        presented.decide("chemo", by=PATIENT, at=T0)
    assert info.value.status == "options_presented"


def test_a_revisited_decision_goes_back_to_deliberation_and_can_be_decided_again() -> None:
    revisited = decided().revisit(by=PATIENT, at=T0.add(days=1), reason="new scan results")
    assert revisited.status is DecisionStatus.REVISITED
    assert not revisited.covers("367336001")
    again = revisited.resume_deliberation(by=PATIENT, at=T0.add(days=2)).decide(
        "wait", by=PATIENT, at=T0.add(days=3)
    )
    assert again.chosen_option_id == "wait"
    assert [h.to_status for h in again.history][-3:] == [
        DecisionStatus.REVISITED,
        DecisionStatus.DELIBERATING,
        DecisionStatus.DECIDED,
    ]


def test_revisiting_needs_a_reason() -> None:
    with pytest.raises(cr.ValidationError):
        decided().revisit(by=PATIENT, at=T0.add(days=1), reason=" ")


def test_covers_is_true_only_for_the_chosen_treatment_of_a_standing_decision() -> None:
    assert not deliberating().covers("367336001")
    done = decided()
    assert done.covers("367336001")
    assert not done.covers("999999")
    waited = deliberating().decide("wait", by=PATIENT, at=T0.add(hours=2))
    assert not waited.covers("367336001")


def test_the_clinician_recommendation_is_kept_apart_from_the_choice() -> None:
    rec = ClinicianRecommendation(option_id="chemo", by_member_id="doc-1", at=T0)
    recommended = deliberating().record_recommendation(rec, by=DOCTOR, at=T0.add(hours=1))
    chosen = recommended.decide("wait", by=PATIENT, at=T0.add(hours=2))
    assert chosen.clinician_recommendation == rec
    assert chosen.chosen_option_id == "wait"
    with pytest.raises(cr.PermissionDenied):
        deliberating().record_recommendation(rec, by=ADVOCATE, at=T0.add(hours=1))


def test_a_recommendation_must_name_an_option() -> None:
    rec = ClinicianRecommendation(option_id="surgery", by_member_id="doc-1", at=T0)
    with pytest.raises(cr.ValidationError):
        decision(clinician_recommendation=rec)


def test_a_decision_aid_keeps_its_id_and_version() -> None:
    aid = DecisionAid(id="ohri-breast-01", version="2.1", given_at=T0)
    with_aid = decision().give_decision_aid(aid, by=ADVOCATE, at=T0)
    assert with_aid.decision_aids == (aid,)
    assert with_aid.changes[-1].by == ADVOCATE
    with pytest.raises(cr.ValidationError):
        DecisionAid(id="ohri", version="", given_at=T0)
    with pytest.raises(cr.ValidationError):
        with_aid.give_decision_aid(aid, by=ADVOCATE, at=T0)


def test_values_recorded_by_an_advocate_are_attributed_to_the_patients_behalf() -> None:
    value = ConsideredValue(text=SECRET, source=ValueSource.PREFERENCES_VALUE, index=0)
    with pytest.raises(cr.ValidationError) as info:
        decision().record_values([value], by=ADVOCATE, at=T0)
    assert [p.code for p in info.value.problems] == ["attribution_required"]
    recorded = decision().record_values([value], by=ADVOCATE, at=T0, on_behalf_of_patient=True)
    assert recorded.changes[-1].on_behalf_of_patient
    assert recorded.values_considered == (value,)


def test_a_value_from_preferences_needs_its_index_and_a_stated_one_has_none() -> None:
    with pytest.raises(cr.ValidationError):
        ConsideredValue(text="family", source=ValueSource.GOAL_IN_OWN_WORDS)
    with pytest.raises(cr.ValidationError):
        ConsideredValue(text="family", index=1)
    with pytest.raises(cr.ValidationError):
        ConsideredValue(text="family", importance=6)


def test_changes_cannot_be_dated_before_the_last_transition() -> None:
    aid = DecisionAid(id="a", version="1", given_at=T0)
    with pytest.raises(cr.ValidationError) as info:
        decided().give_decision_aid(aid, by=DOCTOR, at=T0)
    assert [p.code for p in info.value.problems] == ["out_of_order"]


def test_the_lifecycle_table_lets_only_the_patient_side_decide() -> None:
    row = DECISION_LIFECYCLE.action("decide")
    assert row is not None
    assert row.roles == frozenset({cr.Role.PATIENT, cr.Role.PERSONAL_REPRESENTATIVE})
    for p in PERMISSIONS:
        if p.action == "change_decision_maker":
            assert cr.Role.PATIENT_ADVOCATE not in p.roles
    assert cr.DEFAULT_POLICY.roles_for("treatment_decision", "decide") == row.roles


# --- findings -----------------------------------------------------------------------------------


def test_findings_flag_a_decision_without_values_and_a_role_mismatch() -> None:
    done = deliberating(preferred_role=cr.DecisionRole.PATIENT_DECIDES).decide(
        "chemo", by=PATIENT, at=T0.add(hours=2), actual_role=cr.DecisionRole.CLINICIAN_DECIDES
    )
    codes = [f.code for f in decision_findings(done, T0.add(days=1))]
    assert codes == ["SDM-001-values", "SDM-001-role"]


def test_findings_flag_a_passed_deadline_and_a_positive_sure_after() -> None:
    late = decision(deadline=T0.add(days=1), sure_after=sure_score(True, True, False, True))
    codes = [f.code for f in decision_findings(late, T0.add(days=2))]
    assert codes == ["SDM-T01", "SDM-001-deadline"]
    assert [f.code for f in decision_findings(late, T0)] == ["SDM-T01"]


def test_a_deadline_in_the_repeated_hour_has_passed_at_its_later_instant() -> None:
    pending = decision(deadline=EDT_0159)
    assert [f.code for f in decision_findings(pending, EST_0130)] == ["SDM-001-deadline"]
    assert decision_findings(pending, EDT_0159) == ()
    not_yet = decision(deadline=EST_0130)
    assert decision_findings(not_yet, EDT_0159) == ()


# --- measures -----------------------------------------------------------------------------------


def test_sure_scores_one_point_per_yes_and_three_or_less_screens_positive() -> None:
    assert sure_score(True, True, True, True) == SureResult(score=4, positive_screen=False)
    assert sure_score(True, True, True, False) == SureResult(score=3, positive_screen=True)
    assert sure_score(False, False, False, False) == SureResult(score=0, positive_screen=True)


@given(st.lists(st.booleans(), min_size=4, max_size=4))
def test_sure_positive_screen_is_exactly_any_no(answers: list[bool]) -> None:
    result = sure_score(*answers)
    assert result.score == sum(answers)
    assert result.positive_screen == (not all(answers))


def test_sure_refuses_anything_but_booleans() -> None:
    with pytest.raises(cr.ValidationError) as info:
        sure_score(1, True, "yes", True)  # type: ignore[arg-type]
    assert [p.path for p in info.value.problems] == [("sure_of_myself",), ("risk_benefit_clear",)]


def test_an_inconsistent_sure_result_is_refused() -> None:
    with pytest.raises(cr.ValidationError):
        SureResult(score=4, positive_screen=True)
    with pytest.raises(cr.ValidationError):
        SureResult(score=5, positive_screen=False)


def top(n: int) -> list[CollaborateEncounter]:
    return [CollaborateEncounter(understand=9, listen=9, include=9)] * n


def mixed(n: int) -> list[CollaborateEncounter]:
    return [CollaborateEncounter(understand=9, listen=8, include=9)] * n


def test_collaborate_is_undefined_below_25_complete_encounters() -> None:
    assert COLLABORATE_MIN_ENCOUNTERS == 25
    incomplete = [CollaborateEncounter(understand=9, listen=9)] * 10
    assert collaborate_top_score(top(24) + incomplete) is None
    assert collaborate_top_score(top(25)) == Decimal(1)


def test_collaborate_top_score_is_the_share_of_all_nines_among_complete_encounters() -> None:
    incomplete = [CollaborateEncounter(understand=9, listen=None, include=9)] * 7
    score = collaborate_top_score(top(10) + mixed(30) + incomplete)
    assert score == Decimal(10) / Decimal(40)


@given(st.lists(collaborate_encounters(), max_size=80))
def test_collaborate_matches_its_definition(encounters: list[CollaborateEncounter]) -> None:
    complete = [e for e in encounters if None not in (e.understand, e.listen, e.include)]
    score = collaborate_top_score(encounters)
    if len(complete) < 25:
        assert score is None
    else:
        nines = sum(1 for e in complete if (e.understand, e.listen, e.include) == (9, 9, 9))
        assert score == Decimal(nines) / Decimal(len(complete))
        assert Decimal(0) <= score <= Decimal(1)


def test_collaborate_items_are_0_to_9() -> None:
    with pytest.raises(cr.ValidationError):
        CollaborateEncounter(understand=10)
    with pytest.raises(cr.ValidationError):
        collaborate_top_score(["nine"])  # type: ignore[list-item]


# --- bad input ----------------------------------------------------------------------------------


def test_constructors_refuse_wrong_types_and_naive_datetimes() -> None:
    with pytest.raises(cr.ValidationError) as info:
        DecisionAid(id="a", version="1", given_at=pendulum.naive(2026, 3, 9))
    assert info.value.problems[0].code == "naive_datetime"
    with pytest.raises(cr.ValidationError):
        decision(urgency="soonish")
    with pytest.raises(cr.ValidationError):
        decision(options=[{"id": "x"}])
    with pytest.raises(cr.ValidationError):
        decision(decision_maker="pat-1")


def test_loading_an_unknown_status_or_urgency_is_a_validation_error() -> None:
    plain = cr.unstructure(decided())
    plain["status"] = "maybe"
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, TreatmentDecision)
    plain = cr.unstructure(decided())
    plain["urgency"] = "whenever"
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, TreatmentDecision)


def test_a_decided_record_without_its_choice_is_refused_on_load() -> None:
    plain = cr.unstructure(decided())
    plain["chosen_option_id"] = None
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, TreatmentDecision)


def test_patient_words_never_show_in_repr_or_errors() -> None:
    done = decided(values_considered=(ConsideredValue(text=SECRET),))
    assert SECRET not in repr(done)
    with pytest.raises(cr.ValidationError) as info:
        decision(question=SECRET, options=(option("a", "1"),))
    assert SECRET not in str(info.value)


@given(treatment_decisions())
def test_drawn_decisions_keep_their_rules(d: TreatmentDecision) -> None:
    if d.status is DecisionStatus.DECIDED:
        assert d.chosen is not None
        if d.chosen.treatment_code is not None:
            assert d.covers(d.chosen.treatment_code)
    else:
        assert d.chosen is None
        assert not any(d.covers(o.treatment_code) for o in d.options if o.treatment_code)
    assert d.decision_maker.role in (cr.Role.PATIENT, cr.Role.PERSONAL_REPRESENTATIVE)
    for h in d.history:
        if h.action == "decide":
            assert h.by.member_id == d.decision_maker.member_id or any(
                c.action == "change_decision_maker" for c in d.changes
            )
    assert cr.loads(cr.dumps(d), TreatmentDecision) == d
