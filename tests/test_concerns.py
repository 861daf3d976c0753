"""Concerns: raised in the patient's words, attributed, routed, handled and linked."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from hypothesis import given

import careroles as cr
from careroles.concerns import (
    CONCERN_LIFECYCLE,
    CONCERN_ROUTING,
    Concern,
    ConcernPriority,
    ConcernStatus,
    ConcernTopic,
    raise_concern,
    route_concern,
)
from careroles.strategies import concerns

TZ = "America/Chicago"
T0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)
SECRET = "They keep billing me for the scan I never had"

PATIENT = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)
REP = cr.Actor(member_id="rep-1", role=cr.Role.PERSONAL_REPRESENTATIVE)
CAREGIVER = cr.Actor(member_id="cg-1", role=cr.Role.CAREGIVER)
DOCTOR = cr.Actor(member_id="doc-1", role=cr.Role.TREATING_PROVIDER)
ADVOCATE = cr.Actor(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE)
COORD = cr.Actor(member_id="coord-1", role=cr.Role.CARE_COORDINATOR)


def raised(
    topic: ConcernTopic = ConcernTopic.BILLING, by: cr.Actor = PATIENT, **kw: Any
) -> Concern:
    return raise_concern(
        id="cn-1", patient_id="pat-1", topic=topic, in_own_words=SECRET, by=by, at=T0, **kw
    )


# --- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topic", "role"),
    [
        (ConcernTopic.CARE_PLAN, cr.Role.CARE_COORDINATOR),
        (ConcernTopic.APPOINTMENT, cr.Role.CARE_COORDINATOR),
        (ConcernTopic.COMMUNICATION, cr.Role.CARE_COORDINATOR),
        (ConcernTopic.PROVIDER, cr.Role.PATIENT_ADVOCATE),
        (ConcernTopic.INSURER, cr.Role.PATIENT_ADVOCATE),
        (ConcernTopic.BILLING, cr.Role.PATIENT_ADVOCATE),
        (ConcernTopic.ACCESS, cr.Role.PATIENT_ADVOCATE),
        (ConcernTopic.DISCRIMINATION_OR_DISPARITY, cr.Role.PATIENT_ADVOCATE),
    ],
)
def test_care_matters_go_to_the_coordinator_and_representation_matters_to_the_advocate(
    topic: ConcernTopic, role: cr.Role
) -> None:
    assert route_concern(topic) is role
    assert raised(topic).routed_to is role


def test_every_topic_has_a_route() -> None:
    topics = [topic for topic, _ in CONCERN_ROUTING]
    assert sorted(topics) == sorted(ConcernTopic)


def test_route_refuses_what_is_not_a_topic() -> None:
    with pytest.raises(cr.ValidationError):
        route_concern("weather")  # type: ignore[arg-type]


def test_a_concern_can_be_rerouted_by_a_handler_and_keeps_the_record() -> None:
    moved = raised(ConcernTopic.BILLING).reroute(cr.Role.CARE_COORDINATOR, by=ADVOCATE, at=T0)
    assert moved.routed_to is cr.Role.CARE_COORDINATOR
    assert moved.changes[-1].action == "reroute"
    with pytest.raises(cr.ValidationError):
        raised().reroute(cr.Role.TREATING_PROVIDER, by=ADVOCATE, at=T0)
    with pytest.raises(cr.PermissionDenied):
        raised().reroute(cr.Role.CARE_COORDINATOR, by=PATIENT, at=T0)


# --- who raises ---------------------------------------------------------------------------------


@pytest.mark.parametrize("by", [PATIENT, REP, CAREGIVER])
def test_the_patient_side_and_caregivers_raise_concerns_in_their_own_right(by: cr.Actor) -> None:
    concern = raised(by=by)
    assert concern.raised_by == by
    assert not concern.on_behalf_of_patient


@pytest.mark.parametrize("by", [ADVOCATE, COORD])
def test_an_advocate_or_coordinator_raises_only_on_the_patients_behalf(by: cr.Actor) -> None:
    with pytest.raises(cr.ValidationError) as info:
        raised(by=by)
    assert [p.code for p in info.value.problems] == ["attribution_required"]
    concern = raised(by=by, on_behalf_of_patient=True)
    assert concern.on_behalf_of_patient
    assert concern.raised_by.role is by.role


def test_a_treating_provider_cannot_raise_a_concern_for_the_patient() -> None:
    with pytest.raises(cr.PermissionDenied) as info:
        raised(by=DOCTOR, on_behalf_of_patient=True)
    assert info.value.role == "treating_provider"
    assert info.value.action == "raise"


def test_a_concern_needs_the_patients_words() -> None:
    with pytest.raises(cr.ValidationError) as info:
        raise_concern(
            id="cn-1",
            patient_id="pat-1",
            topic=ConcernTopic.ACCESS,
            in_own_words="   ",
            by=PATIENT,
            at=T0,
        )
    assert [p.code for p in info.value.problems] == ["empty"]


# --- lifecycle ----------------------------------------------------------------------------------


def test_a_concern_is_acknowledged_reviewed_addressed_and_closed() -> None:
    done = (
        raised(priority=ConcernPriority.HIGH)
        .acknowledge(by=ADVOCATE, at=T0.add(hours=1))
        .start_review(by=ADVOCATE, at=T0.add(hours=2))
        .address("refund requested from the billing office", by=ADVOCATE, at=T0.add(days=2))
        .close(by=PATIENT, at=T0.add(days=3))
    )
    assert done.status is ConcernStatus.CLOSED
    assert [h.to_status for h in done.history] == [
        ConcernStatus.ACKNOWLEDGED,
        ConcernStatus.IN_REVIEW,
        ConcernStatus.ADDRESSED,
        ConcernStatus.CLOSED,
    ]


def test_addressing_needs_a_resolution() -> None:
    reviewing = raised().acknowledge(by=ADVOCATE, at=T0).start_review(by=ADVOCATE, at=T0)
    with pytest.raises(cr.ValidationError):
        reviewing.address(" ", by=ADVOCATE, at=T0)


def test_escalating_needs_a_reason_and_leads_to_closing() -> None:
    acknowledged = raised().acknowledge(by=COORD, at=T0)
    with pytest.raises(cr.ValidationError):
        acknowledged.escalate(by=COORD, at=T0, reason="")
    escalated = acknowledged.escalate(by=COORD, at=T0, reason="regulator complaint")
    assert escalated.status is ConcernStatus.ESCALATED
    assert escalated.close(by=COORD, at=T0).status is ConcernStatus.CLOSED


def test_the_patient_can_withdraw_but_cannot_acknowledge_their_own_concern() -> None:
    assert raised().withdraw(by=PATIENT, at=T0).status is ConcernStatus.CLOSED
    with pytest.raises(cr.PermissionDenied):
        raised().acknowledge(by=PATIENT, at=T0)
    with pytest.raises(cr.PermissionDenied):
        raised().withdraw(by=ADVOCATE, at=T0)


def test_a_closed_concern_cannot_be_reopened_or_linked() -> None:
    closed = raised().withdraw(by=PATIENT, at=T0)
    with pytest.raises(cr.TransitionError) as info:
        closed.acknowledge(by=ADVOCATE, at=T0)
    assert info.value.allowed == ()
    with pytest.raises(cr.ValidationError) as vinfo:
        closed.convert_to_case("case-1", by=ADVOCATE, at=T0)
    assert [p.code for p in vinfo.value.problems] == ["closed"]
    assert CONCERN_LIFECYCLE.terminal_statuses() == frozenset({ConcernStatus.CLOSED})


def test_history_cannot_start_before_the_concern_was_raised() -> None:
    with pytest.raises(cr.ValidationError):
        raised().acknowledge(by=ADVOCATE, at=T0.subtract(hours=1))


# --- links --------------------------------------------------------------------------------------


def test_converting_to_a_case_keeps_the_link_and_only_once() -> None:
    linked = (
        raised()
        .acknowledge(by=ADVOCATE, at=T0)
        .convert_to_case("case-9", by=ADVOCATE, at=T0.add(hours=1))
    )
    assert linked.became_case_id == "case-9"
    assert linked.changes[-1].action == "convert_to_case"
    after = linked.start_review(by=ADVOCATE, at=T0.add(hours=2))
    assert after.became_case_id == "case-9"
    with pytest.raises(cr.ValidationError) as info:
        linked.convert_to_case("case-10", by=ADVOCATE, at=T0.add(hours=2))
    assert [p.code for p in info.value.problems] == ["already_linked"]


def test_only_the_advocate_converts_and_only_the_coordinator_links_a_plan_change() -> None:
    with pytest.raises(cr.PermissionDenied):
        raised().convert_to_case("case-1", by=COORD, at=T0)
    with pytest.raises(cr.PermissionDenied):
        raised().link_plan_change("plan-1", by=ADVOCATE, at=T0)
    linked = raised(ConcernTopic.CARE_PLAN).link_plan_change("plan-1@rev3", by=COORD, at=T0)
    assert linked.plan_change_id == "plan-1@rev3"
    with pytest.raises(cr.ValidationError):
        linked.link_plan_change("plan-2", by=COORD, at=T0)


def test_default_policy_holds_the_concern_rows() -> None:
    assert cr.DEFAULT_POLICY.roles_for("concern", "convert_to_case") == frozenset(
        {cr.Role.PATIENT_ADVOCATE}
    )
    assert cr.Role.PATIENT in cr.DEFAULT_POLICY.roles_for("concern", "withdraw")


# --- bad input ----------------------------------------------------------------------------------


def test_the_constructor_refuses_bad_input() -> None:
    with pytest.raises(cr.ValidationError) as info:
        Concern(
            id="",
            patient_id="pat-1",
            raised_by=PATIENT,
            raised_at=pendulum.naive(2026, 3, 9),
            topic="parking",  # type: ignore[arg-type]
            in_own_words=SECRET,
        )
    codes = {p.code for p in info.value.problems}
    assert {"naive_datetime", "type"} <= codes
    assert SECRET not in str(info.value)


def test_loading_an_unknown_topic_or_status_is_refused() -> None:
    plain = cr.unstructure(raised())
    plain["topic"] = "parking"
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, Concern)
    plain = cr.unstructure(raised())
    plain["status"] = "archived"
    with pytest.raises(cr.ValidationError):
        cr.structure(plain, Concern)


def test_a_stored_concern_keeps_its_route_even_if_the_table_changes() -> None:
    moved = raised(ConcernTopic.BILLING).reroute(cr.Role.CARE_COORDINATOR, by=COORD, at=T0)
    again = cr.loads(cr.dumps(moved), Concern)
    assert again.routed_to is cr.Role.CARE_COORDINATOR


def test_the_patients_words_never_show() -> None:
    concern = raised().acknowledge(by=ADVOCATE, at=T0)
    assert SECRET not in repr(concern)
    assert "in_own_words" not in repr(concern)


@given(concerns())
def test_drawn_concerns_are_attributed_and_routed(concern: Concern) -> None:
    if concern.raised_by.role in (cr.Role.PATIENT_ADVOCATE, cr.Role.CARE_COORDINATOR):
        assert concern.on_behalf_of_patient
    assert concern.routed_to in (cr.Role.CARE_COORDINATOR, cr.Role.PATIENT_ADVOCATE)
    reroutes = [c for c in concern.changes if c.action == "reroute"]
    if not reroutes:
        assert concern.routed_to is route_concern(concern.topic)
    if concern.status is ConcernStatus.ADDRESSED:
        assert concern.resolution


def test_instants_are_ordered_on_the_time_line_across_the_autumn_fold() -> None:
    # 01:50 EDT, then 01:10 EST twenty minutes later: earlier on the wall clock, later in time.
    first = pendulum.datetime(2026, 11, 1, 5, 50, tz="UTC").in_timezone("America/New_York")
    later = pendulum.datetime(2026, 11, 1, 6, 10, tz="UTC").in_timezone("America/New_York")
    concern = raise_concern(
        id="cn-1",
        patient_id="pat-1",
        topic=ConcernTopic.BILLING,
        in_own_words=SECRET,
        by=PATIENT,
        at=first,
    )
    acknowledged = concern.acknowledge(by=ADVOCATE, at=later)
    assert acknowledged.status is ConcernStatus.ACKNOWLEDGED
    on_time = concern.convert_to_case("case-1", by=ADVOCATE, at=first)
    linked = on_time.link_plan_change("plan-1", by=COORD, at=later)
    assert linked.plan_change_id == "plan-1"
