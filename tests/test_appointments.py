"""Appointments: FHIR lifecycle, roles, late cancellation vs no-show, follow-up, reschedules."""

from __future__ import annotations

import json
import random
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles import (
    APPOINTMENT_LIFECYCLE,
    APPOINTMENT_RULES,
    DEFAULT_POLICY,
    Actor,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CancellationReason,
    ContactChannel,
    ContactHours,
    ContactOutcome,
    Location,
    LocationKind,
    NoShowBarrier,
    Participant,
    ParticipationStatus,
    Patient,
    PermissionDenied,
    Preferences,
    Role,
    SupportiveService,
    TransitionError,
    ValidationError,
    check_appointments,
    is_late_cancellation,
    reschedule_chain,
)
from careroles.appointments import Cancellation, ClinicianDecision, NoShowFollowUp
from careroles.periods import earlier, instant
from careroles.strategies import appointments

NY = "America/New_York"
START = pendulum.datetime(2026, 3, 9, 9, tz=NY)  # a Monday, the day after DST starts
BEFORE = START.subtract(days=7)
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(NY), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(NY), fold=1)
PATIENT_ID = "p-1"

CC = Actor(member_id="m-cc", role=Role.CARE_COORDINATOR)
TP = Actor(member_id="m-tp", role=Role.TREATING_PROVIDER)
PAT = Actor(member_id=PATIENT_ID, role=Role.PATIENT)
OTHER_PAT = Actor(member_id="p-2", role=Role.PATIENT)
ADV = Actor(member_id="m-adv", role=Role.PATIENT_ADVOCATE)
CG = Actor(member_id="m-cg", role=Role.CAREGIVER)
REP = Actor(member_id="m-rep", role=Role.PERSONAL_REPRESENTATIVE)


def proposed(
    appointment_id: str = "a-1",
    start: pendulum.DateTime = START,
    by: Actor = CC,
    **kw: Any,
) -> Appointment:
    return Appointment.propose(
        id=appointment_id,
        patient_id=PATIENT_ID,
        kind=kw.pop("kind", AppointmentKind.CONSULTATION),
        start=start,
        end=start.add(hours=1),
        by=by,
        at=kw.pop("at", start.subtract(days=7)),
        **kw,
    )


def booked(appointment_id: str = "a-1", start: pendulum.DateTime = START) -> Appointment:
    return proposed(appointment_id, start).book(by=CC, at=start.subtract(days=6))


def no_show(at: pendulum.DateTime | None = None) -> Appointment:
    return booked().mark_no_show(by=TP, at=at or START.add(hours=3))


# --- the lifecycle table ---------------------------------------------------------------------


def test_the_statuses_are_exactly_the_fhir_r4_appointment_status_codes() -> None:
    assert [s.value for s in AppointmentStatus] == [
        "proposed",
        "pending",
        "booked",
        "arrived",
        "fulfilled",
        "cancelled",
        "noshow",
        "entered-in-error",
        "checked-in",
        "waitlist",
    ]


def test_every_status_is_reachable_from_proposed_and_the_table_draws_itself() -> None:
    assert APPOINTMENT_LIFECYCLE.reachable() == frozenset(AppointmentStatus)
    diagram = APPOINTMENT_LIFECYCLE.mermaid()
    assert "booked --> noshow: mark_no_show" in diagram
    assert APPOINTMENT_LIFECYCLE.terminal_statuses() == frozenset(
        {AppointmentStatus.ENTERED_IN_ERROR}
    )


def test_the_default_policy_carries_the_appointment_rows() -> None:
    assert DEFAULT_POLICY.roles_for("appointment", "book") == frozenset(
        {Role.CARE_COORDINATOR, Role.PATIENT, Role.TREATING_PROVIDER}
    )
    assert DEFAULT_POLICY.roles_for("appointment", "mark_no_show") == frozenset(
        {Role.CARE_COORDINATOR, Role.TREATING_PROVIDER}
    )
    assert DEFAULT_POLICY.roles_for("appointment", "record_clinician_decision") == frozenset(
        {Role.TREATING_PROVIDER}
    )


# --- proposing and booking -------------------------------------------------------------------


def test_proposing_records_who_proposed_and_starts_as_proposed() -> None:
    appt = proposed()
    assert appt.status is AppointmentStatus.PROPOSED
    assert appt.history == ()
    assert [(c.action, c.by) for c in appt.changes] == [("propose", CC)]


@pytest.mark.parametrize("actor", [CC, TP, PAT])
def test_care_coordinator_patient_and_treating_provider_may_book(actor: Actor) -> None:
    appt = proposed(by=actor).book(by=actor, at=BEFORE.add(days=1))
    assert appt.status is AppointmentStatus.BOOKED
    assert appt.history[-1].by == actor


@pytest.mark.parametrize("actor", [ADV, CG, REP])
def test_an_advocate_caregiver_or_representative_cannot_propose_an_appointment(
    actor: Actor,
) -> None:
    with pytest.raises(PermissionDenied) as err:
        proposed(by=actor)
    assert err.value.role == actor.role.value
    assert err.value.action == "propose"


def test_an_advocate_cannot_book_an_appointment() -> None:
    with pytest.raises(PermissionDenied, match="patient_advocate"):
        proposed().book(by=ADV, at=BEFORE.add(days=1))


def test_an_advocate_cannot_reschedule_or_cancel_an_appointment() -> None:
    appt = booked()
    with pytest.raises(PermissionDenied):
        appt.reschedule(
            "a-2", START.add(days=1), START.add(days=1, hours=1), by=ADV, at=BEFORE.add(days=2)
        )
    with pytest.raises(PermissionDenied):
        appt.cancel(reason=CancellationReason.PATIENT_REQUEST, by=ADV, at=BEFORE.add(days=2))


def test_a_patient_cannot_book_or_cancel_another_patients_appointment() -> None:
    with pytest.raises(PermissionDenied, match="own appointments"):
        proposed().book(by=OTHER_PAT, at=BEFORE.add(days=1))
    with pytest.raises(PermissionDenied):
        booked().cancel(
            reason=CancellationReason.PATIENT_REQUEST, by=OTHER_PAT, at=BEFORE.add(days=2)
        )
    with pytest.raises(PermissionDenied):
        proposed(by=OTHER_PAT)


def test_pending_and_waitlisted_appointments_can_be_booked() -> None:
    pending = proposed().request(by=CC, at=BEFORE.add(hours=1))
    assert pending.status is AppointmentStatus.PENDING
    waiting = pending.waitlist(by=PAT, at=BEFORE.add(hours=2))
    assert waiting.status is AppointmentStatus.WAITLIST
    assert waiting.book(by=TP, at=BEFORE.add(hours=3)).status is AppointmentStatus.BOOKED


def test_a_booked_appointment_cannot_be_booked_again_and_the_error_lists_what_is_allowed() -> None:
    with pytest.raises(TransitionError) as err:
        booked().book(by=CC, at=BEFORE.add(days=2))
    assert err.value.status == "booked"
    assert "mark_no_show" in err.value.allowed
    assert "book" not in err.value.allowed


# --- arrival, check-in, fulfilment -----------------------------------------------------------


def test_staff_mark_arrived_checked_in_and_fulfilled() -> None:
    appt = booked().arrive(by=CC, at=START.subtract(minutes=10))
    appt = appt.check_in(by=TP, at=START.subtract(minutes=5))
    appt = appt.fulfil(by=TP, at=START.add(hours=1))
    assert [r.to_status for r in appt.history] == [
        AppointmentStatus.BOOKED,
        AppointmentStatus.ARRIVED,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.FULFILLED,
    ]


@pytest.mark.parametrize("action", ["arrive", "check_in", "fulfil", "mark_no_show"])
@pytest.mark.parametrize("actor", [PAT, ADV, CG])
def test_only_treating_provider_or_coordinator_mark_attendance(action: str, actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        getattr(booked(), action)(by=actor, at=START.add(hours=2))


def test_an_appointment_cannot_be_fulfilled_before_it_starts() -> None:
    with pytest.raises(TransitionError, match="once it has started"):
        booked().fulfil(by=TP, at=START.subtract(minutes=1))
    assert booked().fulfil(by=TP, at=START).status is AppointmentStatus.FULFILLED


# --- no-show and late cancellation -----------------------------------------------------------


@pytest.mark.parametrize("minutes", [-60 * 24, -1, 0])
def test_a_no_show_before_the_start_has_passed_is_refused(minutes: int) -> None:
    with pytest.raises(TransitionError, match="after the start has passed"):
        booked().mark_no_show(by=TP, at=START.add(minutes=minutes))


def test_a_no_show_after_the_start_opens_the_follow_up() -> None:
    appt = no_show(START.add(minutes=1))
    assert appt.status is AppointmentStatus.NOSHOW
    assert appt.follow_up == NoShowFollowUp(opened_at=START.add(minutes=1))
    assert appt.follow_up.is_open


def test_only_a_booked_appointment_can_be_a_no_show() -> None:
    with pytest.raises(TransitionError):
        proposed().mark_no_show(by=TP, at=START.add(hours=1))
    cancelled = booked().cancel(
        reason=CancellationReason.PATIENT_UNWELL, by=PAT, at=START.subtract(hours=2)
    )
    with pytest.raises(TransitionError):
        cancelled.mark_no_show(by=TP, at=START.add(hours=1))


def test_a_cancellation_less_than_24_hours_before_is_a_late_cancellation_not_a_no_show() -> None:
    appt = booked().cancel(
        reason=CancellationReason.TRANSPORT_UNAVAILABLE, by=PAT, at=START.subtract(hours=3)
    )
    assert appt.status is AppointmentStatus.CANCELLED
    assert appt.cancellation is not None
    assert appt.cancellation.late
    assert appt.late_cancellation
    assert appt.follow_up is None


def test_a_cancellation_24_hours_or_more_before_is_not_late() -> None:
    exactly = booked().cancel(
        reason=CancellationReason.PATIENT_REQUEST, by=PAT, at=START.subtract(hours=24)
    )
    assert not exactly.late_cancellation
    just_inside = booked().cancel(
        reason=CancellationReason.PATIENT_REQUEST,
        by=PAT,
        at=START.subtract(hours=24).add(seconds=1),
    )
    assert just_inside.late_cancellation


def test_late_cancellation_counts_elapsed_hours_across_a_dst_change() -> None:
    start = pendulum.datetime(2026, 3, 8, 12, tz=NY)  # DST began at 02:00 that day
    # 24.5 wall-clock hours earlier, but only 23.5 elapsed hours: late
    at = pendulum.datetime(2026, 3, 7, 11, 30, tz=NY)
    assert is_late_cancellation(start, at)
    appt = booked(start=start).cancel(reason=CancellationReason.COST, by=CC, at=at)
    assert appt.late_cancellation


def test_a_cancellation_after_the_start_is_still_a_late_cancellation() -> None:
    appt = booked().cancel(reason=CancellationReason.PATIENT_UNWELL, by=PAT, at=START.add(hours=2))
    assert appt.late_cancellation
    assert appt.status is AppointmentStatus.CANCELLED


def test_cancelling_requires_a_reason_code() -> None:
    with pytest.raises(ValidationError):
        booked().cancel(reason="changed my mind", by=PAT, at=BEFORE.add(days=2))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="records why"):
        APPOINTMENT_LIFECYCLE.apply(booked(), "cancel", by=CC, at=BEFORE.add(days=2))


def test_cancel_refuses_the_rescheduled_reason_so_the_chain_is_kept() -> None:
    with pytest.raises(ValidationError, match="reschedule"):
        booked().cancel(reason=CancellationReason.RESCHEDULED, by=CC, at=BEFORE.add(days=2))


def test_the_patient_may_always_cancel_their_own_appointment_whatever_the_policy() -> None:
    strict = DEFAULT_POLICY.replace("appointment", "cancel", {Role.CARE_COORDINATOR})
    appt = booked().cancel(
        reason=CancellationReason.PATIENT_REQUEST, by=PAT, at=BEFORE.add(days=2), policy=strict
    )
    assert appt.status is AppointmentStatus.CANCELLED
    with pytest.raises(PermissionDenied):
        booked().cancel(
            reason=CancellationReason.PATIENT_REQUEST, by=TP, at=BEFORE.add(days=2), policy=strict
        )


def test_a_cancelled_appointment_cannot_be_booked_or_fulfilled() -> None:
    appt = booked().cancel(reason=CancellationReason.WEATHER, by=CC, at=BEFORE.add(days=2))
    with pytest.raises(TransitionError):
        appt.book(by=CC, at=BEFORE.add(days=3))
    with pytest.raises(TransitionError):
        appt.fulfil(by=TP, at=START.add(hours=1))


def test_entered_in_error_needs_a_reason_and_is_possible_from_any_status() -> None:
    with pytest.raises(ValidationError, match="requires a reason"):
        booked().mark_entered_in_error(reason=" ", by=CC, at=BEFORE.add(days=2))
    for appt in (proposed(), booked(), no_show()):
        done = appt.mark_entered_in_error(reason="wrong patient", by=TP, at=START.add(days=1))
        assert done.status is AppointmentStatus.ENTERED_IN_ERROR
    with pytest.raises(PermissionDenied):
        booked().mark_entered_in_error(reason="oops", by=PAT, at=BEFORE.add(days=2))


def test_an_action_dated_before_the_previous_one_is_refused() -> None:
    with pytest.raises(ValidationError, match="before the previous"):
        booked().arrive(by=TP, at=BEFORE)
    reminded = booked().record_reminder(ContactChannel.SMS, by=CC, at=START.subtract(hours=5))
    with pytest.raises(ValidationError, match="before the previous"):
        reminded.cancel(reason=CancellationReason.OTHER, by=CC, at=START.subtract(hours=6))
    with pytest.raises(ValidationError, match="naive"):
        reminded.arrive(by=TP, at=pendulum.naive(2026, 3, 9, 8))


# --- the no-show follow-up -------------------------------------------------------------------


def attempt(appt: Appointment, hours: int, **kw: Any) -> Appointment:
    return appt.record_contact_attempt(
        kw.pop("channel", ContactChannel.PHONE),
        kw.pop("outcome", ContactOutcome.NO_ANSWER),
        by=kw.pop("by", CC),
        at=START.add(hours=hours),
        **kw,
    )


@pytest.mark.parametrize("attempts", [0, 1])
def test_closing_a_follow_up_needs_two_contact_attempts_or_a_clinician_decision(
    attempts: int,
) -> None:
    appt = no_show()
    for i in range(attempts):
        appt = attempt(appt, 4 + i)
    with pytest.raises(TransitionError, match="two documented contact attempts"):
        appt.close_follow_up(by=CC, at=START.add(hours=10))


def test_two_documented_contact_attempts_let_the_follow_up_close() -> None:
    appt = attempt(no_show(), 4)
    appt = attempt(
        appt,
        5,
        channel=ContactChannel.SMS,
        outcome=ContactOutcome.REACHED,
        barrier=NoShowBarrier.TRANSPORT,
        note="bus did not come",
    )
    closed = appt.close_follow_up(by=CC, at=START.add(hours=6))
    assert closed.follow_up is not None
    assert not closed.follow_up.is_open
    assert closed.follow_up.closed_by == CC
    assert [c.action for c in closed.changes][-3:] == [
        "record_contact_attempt",
        "record_contact_attempt",
        "close_follow_up",
    ]


def test_a_clinician_decision_lets_the_follow_up_close_without_attempts() -> None:
    appt = no_show().record_clinician_decision(by=TP, at=START.add(hours=4), note="not urgent")
    closed = appt.close_follow_up(by=TP, at=START.add(hours=5))
    assert closed.follow_up is not None
    assert closed.follow_up.closed_at == START.add(hours=5)


def test_only_a_treating_provider_records_the_clinician_decision() -> None:
    with pytest.raises(PermissionDenied):
        no_show().record_clinician_decision(by=CC, at=START.add(hours=4))
    with pytest.raises(ValidationError, match="treating provider"):
        ClinicianDecision(by=CC, at=START)


@pytest.mark.parametrize("actor", [PAT, ADV, CG])
def test_contact_attempts_are_recorded_by_staff_only(actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        attempt(no_show(), 4, by=actor)


def test_follow_up_operations_need_an_open_follow_up() -> None:
    with pytest.raises(TransitionError, match="no open no-show follow-up"):
        attempt(booked(), 4)
    closed = no_show().record_clinician_decision(by=TP, at=START.add(hours=4))
    closed = closed.close_follow_up(by=TP, at=START.add(hours=5))
    with pytest.raises(TransitionError):
        attempt(closed, 6)
    with pytest.raises(TransitionError):
        closed.close_follow_up(by=TP, at=START.add(hours=6))


def test_a_stored_follow_up_closed_without_attempts_or_decision_does_not_load() -> None:
    with pytest.raises(ValidationError, match="two documented contact attempts"):
        NoShowFollowUp(opened_at=START, closed_at=START.add(hours=1), closed_by=CC)
    text = careroles.dumps(no_show())
    doc = json.loads(text)
    doc["follow_up"]["closed_at"] = doc["follow_up"]["opened_at"]
    doc["follow_up"]["closed_by"] = {"member_id": "m-cc", "role": "care_coordinator"}
    with pytest.raises(ValidationError) as err:
        careroles.loads(json.dumps(doc), Appointment)
    assert any(p.code == "follow_up_incomplete" for p in err.value.problems)


def test_a_contact_attempt_cannot_be_made_on_do_not_contact_or_with_a_barrier_unreached() -> None:
    with pytest.raises(ValidationError):
        attempt(no_show(), 4, channel=ContactChannel.DO_NOT_CONTACT)
    with pytest.raises(ValidationError, match="barrier"):
        attempt(no_show(), 4, outcome=ContactOutcome.NO_ANSWER, barrier=NoShowBarrier.COST)


# --- reminders -------------------------------------------------------------------------------


def test_reminders_are_recorded_before_the_start_by_staff() -> None:
    appt = booked().record_reminder(ContactChannel.SMS, by=CC, at=START.subtract(days=1))
    assert [r.channel for r in appt.reminders] == [ContactChannel.SMS]
    with pytest.raises(ValidationError, match="precedes the start"):
        booked().record_reminder(ContactChannel.SMS, by=CC, at=START.add(minutes=1))
    with pytest.raises(PermissionDenied):
        booked().record_reminder(ContactChannel.SMS, by=ADV, at=START.subtract(days=1))
    cancelled = booked().cancel(reason=CancellationReason.OTHER, by=CC, at=BEFORE.add(days=2))
    with pytest.raises(TransitionError):
        cancelled.record_reminder(ContactChannel.SMS, by=CC, at=BEFORE.add(days=3))


# --- reschedules -----------------------------------------------------------------------------


def test_rescheduling_cancels_the_old_with_reason_rescheduled_and_links_both_ways() -> None:
    part = Participant(
        member_id="m-tp", role=Role.TREATING_PROVIDER, status=ParticipationStatus.ACCEPTED
    )
    appt = proposed(participants=[part]).book(by=CC, at=BEFORE.add(days=1))
    new_start = START.add(days=3)
    old, new = appt.reschedule(
        "a-2", new_start, new_start.add(hours=1), by=PAT, at=BEFORE.add(days=2), reason="work"
    )
    assert old.status is AppointmentStatus.CANCELLED
    assert old.cancellation is not None
    assert old.cancellation.reason is CancellationReason.RESCHEDULED
    assert not old.cancellation.late
    assert old.successor_id == "a-2"
    assert new.predecessor_id == appt.id
    assert new.status is AppointmentStatus.BOOKED
    assert (new.start, new.kind, new.patient_id) == (new_start, appt.kind, appt.patient_id)
    assert [p.status for p in new.participants] == [ParticipationStatus.NEEDS_ACTION]


def test_a_reschedule_can_leave_the_new_appointment_proposed_and_may_be_late() -> None:
    old, new = booked().reschedule(
        "a-2",
        START.add(days=1),
        START.add(days=1, hours=1),
        by=CC,
        at=START.subtract(hours=1),
        book=False,
    )
    assert new.status is AppointmentStatus.PROPOSED
    assert old.late_cancellation


def test_a_reschedule_needs_a_new_id_and_a_valid_time() -> None:
    with pytest.raises(ValidationError, match="id of its own"):
        booked().reschedule(
            "a-1", START.add(days=1), START.add(days=1, hours=1), by=CC, at=BEFORE.add(days=2)
        )
    with pytest.raises(ValidationError, match="end after it starts"):
        booked().reschedule(
            "a-2", START.add(days=1), START.add(days=1), by=CC, at=BEFORE.add(days=2)
        )


def make_chain(n: int) -> list[Appointment]:
    out: list[Appointment] = []
    current = booked("a-0")
    at = BEFORE.add(days=2)
    for i in range(1, n):
        old, current = current.reschedule(
            f"a-{i}", START.add(days=i), START.add(days=i, hours=1), by=CC, at=at
        )
        out.append(old)
        at = at.add(hours=1)
    out.append(current)
    return out


def test_the_reschedule_chain_is_walked_both_ways_from_any_member() -> None:
    chain = make_chain(4)
    ids = [a.id for a in chain]
    shuffled = chain[:]
    random.Random(7).shuffle(shuffled)
    unrelated = booked("z-9", START.add(days=30))
    for member in ids:
        got = reschedule_chain([unrelated, *shuffled], member)
        assert [a.id for a in got] == ids


def test_a_chain_with_links_on_one_side_only_is_still_walked() -> None:
    chain = make_chain(3)
    # forget the successor links: predecessor links alone still join the chain
    loose = [careroles.structure(careroles.unstructure(a), Appointment) for a in chain]
    loose[1] = Appointment(
        id="a-1",
        patient_id=PATIENT_ID,
        kind=AppointmentKind.CONSULTATION,
        start=START,
        end=START.add(hours=1),
        predecessor_id="a-0",
    )
    assert [a.id for a in reschedule_chain(loose, "a-2")] == ["a-0", "a-1", "a-2"]


def test_a_missing_member_ends_the_walk_in_that_direction() -> None:
    chain = make_chain(3)
    assert [a.id for a in reschedule_chain(chain[1:], "a-2")] == ["a-1", "a-2"]


def test_a_branching_chain_an_unknown_id_and_duplicate_ids_are_refused() -> None:
    chain = make_chain(2)
    twin = Appointment(
        id="a-x",
        patient_id=PATIENT_ID,
        kind=AppointmentKind.CONSULTATION,
        start=START,
        end=START.add(hours=1),
        predecessor_id="a-0",
    )
    with pytest.raises(ValidationError, match="branches"):
        reschedule_chain([*chain, twin], "a-0")
    with pytest.raises(ValidationError, match="no appointment"):
        reschedule_chain(chain, "nope")
    with pytest.raises(ValidationError, match="share an id"):
        reschedule_chain([*chain, chain[0]], "a-0")


# --- construction and loading ----------------------------------------------------------------


def test_bad_field_types_are_all_reported_together() -> None:
    with pytest.raises(ValidationError) as err:
        Appointment(
            id=1,  # type: ignore[arg-type]
            patient_id=PATIENT_ID,
            kind="consult",  # type: ignore[arg-type]
            start=START,
            end="tomorrow",  # type: ignore[arg-type]
        )
    paths = {p.path for p in err.value.problems}
    assert {("id",), ("kind",), ("end",)} <= paths


def test_naive_date_times_are_refused() -> None:
    import datetime as dt

    with pytest.raises(ValidationError, match="naive"):
        Appointment(
            id="a-1",
            patient_id=PATIENT_ID,
            kind=AppointmentKind.CONSULTATION,
            start=dt.datetime(2026, 3, 9, 9),  # type: ignore[arg-type]
            end=START,
        )
    with pytest.raises(ValidationError, match="naive date-time"):
        booked().arrive(by=TP, at=dt.datetime(2026, 3, 9, 8))  # type: ignore[arg-type]


def test_an_appointment_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError) as err:
        proposed().__class__(
            id="a-1", patient_id=PATIENT_ID, kind=AppointmentKind.TREATMENT, start=START, end=START
        )
    assert err.value.problems[0].code == "period_inverted"


def test_a_supportive_service_names_its_service() -> None:
    with pytest.raises(ValidationError, match="names its service"):
        proposed(kind=AppointmentKind.SUPPORTIVE_SERVICE)
    appt = proposed(kind=AppointmentKind.SUPPORTIVE_SERVICE, service=SupportiveService.TRANSPORT)
    assert appt.service is SupportiveService.TRANSPORT


def test_participants_are_a_member_in_a_role_or_an_outside_party() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        Participant()
    with pytest.raises(ValidationError, match="exactly one"):
        Participant(member_id="m-1", external_ref="Clinic", role=Role.TREATING_PROVIDER)
    with pytest.raises(ValidationError, match="in a role"):
        Participant(member_id="m-1")
    ok = Participant(external_ref="Ride service", required=False)
    assert ok.status is ParticipationStatus.NEEDS_ACTION
    with pytest.raises(ValidationError, match="takes part twice"):
        proposed(participants=[Participant(member_id="m", role=Role.PATIENT)] * 2)


def test_a_location_holds_the_detail_that_fits_its_kind_and_keeps_it_out_of_repr() -> None:
    with pytest.raises(ValidationError):
        Location(kind=LocationKind.IN_PERSON, virtual_link="https://meet.example/x")
    with pytest.raises(ValidationError):
        Location(kind=LocationKind.VIRTUAL, address="1 Main St")
    loc = Location(kind=LocationKind.IN_PERSON, address="12 Elm Street")
    assert "Elm" not in repr(loc)


def test_the_description_and_notes_stay_out_of_repr_and_errors() -> None:
    appt = proposed(description="biopsy results follow-up").cancel(
        reason=CancellationReason.OTHER, by=PAT, at=BEFORE.add(days=1), note="feeling anxious"
    )
    assert "biopsy" not in repr(appt)
    assert "anxious" not in repr(appt)
    with pytest.raises(ValidationError) as err:
        Appointment(
            id="a",
            patient_id="p",
            kind=AppointmentKind.TREATMENT,
            description="secret words",
            start=START,
            end=START,
        )
    assert "secret" not in str(err.value)


def test_inconsistent_stored_states_do_not_load() -> None:
    cancelled = booked().cancel(reason=CancellationReason.COST, by=PAT, at=START.subtract(hours=2))
    doc = json.loads(careroles.dumps(cancelled))
    doc["cancellation"]["late"] = False
    with pytest.raises(ValidationError) as err:
        careroles.loads(json.dumps(doc), Appointment)
    assert {p.code for p in err.value.problems} == {"late_cancellation"}
    with pytest.raises(ValidationError, match="records why"):
        Appointment(
            id="a",
            patient_id="p",
            kind=AppointmentKind.TREATMENT,
            start=START,
            end=START.add(hours=1),
            status=AppointmentStatus.CANCELLED,
        )
    with pytest.raises(ValidationError, match="opens a follow-up"):
        Appointment(
            id="a",
            patient_id="p",
            kind=AppointmentKind.TREATMENT,
            start=START,
            end=START.add(hours=1),
            status=AppointmentStatus.NOSHOW,
        )
    with pytest.raises(ValidationError, match="rescheduled"):
        Appointment(
            id="a",
            patient_id="p",
            kind=AppointmentKind.TREATMENT,
            start=START,
            end=START.add(hours=1),
            successor_id="b",
        )


def test_the_json_form_uses_fhir_status_codes_and_loads_back_equal() -> None:
    appt = booked().mark_entered_in_error(reason="duplicate", by=CC, at=BEFORE.add(days=2))
    doc = json.loads(careroles.dumps(appt))
    assert doc["$type"] == "Appointment"
    assert doc["status"] == "entered-in-error"
    assert doc["start"] == "2026-03-09T09:00:00-04:00[America/New_York]"
    assert careroles.loads(careroles.dumps(appt), Appointment) == appt


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "no-show"), ("kind", "lab"), ("status", "Booked")],
)
def test_unknown_enum_values_are_refused_when_loading(field: str, value: str) -> None:
    doc = json.loads(careroles.dumps(booked()))
    doc[field] = value
    with pytest.raises(ValidationError):
        careroles.loads(json.dumps(doc), Appointment)


def test_missing_fields_are_refused_when_loading() -> None:
    doc = json.loads(careroles.dumps(booked()))
    del doc["start"]
    with pytest.raises(ValidationError) as err:
        careroles.loads(json.dumps(doc), Appointment)
    assert err.value.problems[0].path == ("start",)


def test_cancellation_records_its_instant_and_reason() -> None:
    c = Cancellation(reason=CancellationReason.COST, at=START, late=True)
    assert c.note is None
    with pytest.raises(ValidationError):
        Cancellation(reason="cost", at=START, late="yes")  # type: ignore[arg-type]


# --- findings --------------------------------------------------------------------------------


def codes(findings: tuple[careroles.findings.Finding, ...]) -> list[str]:
    return [f.code for f in findings]


def test_every_rule_cites_a_domain_rule_and_codes_are_unique() -> None:
    assert len({r.code for r in APPOINTMENT_RULES}) == len(APPOINTMENT_RULES)
    for rule in APPOINTMENT_RULES:
        assert rule.code.startswith("APPT-")
        assert "APPT-" in rule.source or "fhir.md" in rule.source


def test_late_cancellations_are_reported_as_such() -> None:
    late = booked().cancel(reason=CancellationReason.COST, by=PAT, at=START.subtract(hours=2))
    early = booked("a-2").cancel(reason=CancellationReason.COST, by=PAT, at=BEFORE.add(days=2))
    findings = check_appointments([late, early], START)
    assert codes(findings) == ["APPT-LATE-CANCEL"]
    assert findings[0].path == "$[0].cancellation"


def test_an_open_follow_up_is_reported_and_becomes_overdue_after_its_day() -> None:
    appt = no_show(START.add(hours=3))
    same_day = check_appointments([appt], START.add(hours=5))
    assert "APPT-NOSHOW-FOLLOWUP-OPEN" in codes(same_day)
    assert "APPT-FOLLOWUP-OVERDUE" not in codes(same_day)
    next_day = check_appointments([appt], START.add(days=1))
    assert "APPT-FOLLOWUP-OVERDUE" in codes(next_day)
    tried = attempt(appt, 4)
    assert "APPT-FOLLOWUP-OVERDUE" not in codes(check_appointments([tried], START.add(days=1)))


def test_a_no_show_marked_before_the_end_of_the_day_is_flagged() -> None:
    assert "APPT-NOSHOW-BEFORE-DAY-END" in codes(
        check_appointments([no_show()], START.add(days=2))
    )
    next_day = no_show(pendulum.datetime(2026, 3, 10, 8, tz=NY))
    assert "APPT-NOSHOW-BEFORE-DAY-END" not in codes(
        check_appointments([next_day], START.add(days=2))
    )


def test_overlapping_active_appointments_are_reported_once_at_the_later_one() -> None:
    a = booked("a-1")
    b = booked("a-2", START.add(minutes=30))
    c = booked("a-3", START.add(hours=1))  # back to back with a: no overlap
    findings = [
        f
        for f in check_appointments([a, b, c], BEFORE.add(days=6, hours=1))
        if f.code == "APPT-CONFLICT"
    ]
    assert [(f.path, f.message.endswith("(at $[0])")) for f in findings] == [
        ("$[1]", True),
        ("$[2]", False),
    ]
    cancelled = b.cancel(reason=CancellationReason.OTHER, by=CC, at=BEFORE.add(days=6, hours=2))
    assert "APPT-CONFLICT" not in codes(
        check_appointments([a, cancelled], BEFORE.add(days=6, hours=3))
    )


def test_appointments_ending_later_in_the_repeated_hour_are_still_checked_for_overlap() -> None:
    a = booked("a-1", EDT_0159.subtract(minutes=29))  # 01:30 EDT to 01:30 EST
    b = booked("a-2", EDT_0159.subtract(minutes=19))  # 01:40 EDT to 01:40 EST
    findings = check_appointments([a, b], EDT_0159)
    assert [f.path for f in findings if f.code == "APPT-CONFLICT"] == ["$[1]"]


def test_a_stale_status_and_a_declined_participant_are_reported() -> None:
    assert "APPT-STATUS-STALE" in codes(check_appointments([booked()], START.add(hours=2)))
    assert "APPT-STATUS-STALE" not in codes(check_appointments([booked()], START.add(minutes=30)))
    declined = Participant(
        member_id="m-tp", role=Role.TREATING_PROVIDER, status=ParticipationStatus.DECLINED
    )
    appt = proposed(participants=[declined]).book(by=CC, at=BEFORE.add(days=1))
    findings = check_appointments([appt], BEFORE.add(days=2))
    assert [f.path for f in findings if f.code == "APPT-PARTICIPANT-DECLINED"] == [
        "$[0].participants[0].status"
    ]


def patient(**prefs: Any) -> Patient:
    return Patient(id=PATIENT_ID, name="Ana Lopez", time_zone=NY, preferences=Preferences(**prefs))


def test_reminders_outside_hours_on_other_channels_or_to_do_not_contact_are_reported() -> None:
    hours = ContactHours(start=pendulum.Time(9), end=pendulum.Time(17), days=frozenset(range(7)))
    appt = booked().record_reminder(
        ContactChannel.EMAIL, by=CC, at=pendulum.datetime(2026, 3, 8, 21, tz=NY)
    )
    at = BEFORE.add(days=6, hours=13)
    findings = check_appointments(
        [appt], at, patients=[patient(contact_channels=(ContactChannel.SMS,), contact_hours=hours)]
    )
    assert codes(findings) == ["APPT-REMINDER-CHANNEL", "APPT-REMINDER-OUTSIDE-HOURS"]
    dnc = check_appointments(
        [appt], at, patients=[patient(contact_channels=(ContactChannel.DO_NOT_CONTACT,))]
    )
    assert codes(dnc) == ["APPT-REMINDER-DO-NOT-CONTACT"]
    assert check_appointments([appt], at) == ()


def test_a_booked_appointment_soon_without_a_reminder_is_reported() -> None:
    findings = check_appointments([booked()], START.subtract(days=1), patients=[patient()])
    assert codes(findings) == ["APPT-NO-REMINDER"]
    assert check_appointments([booked()], START.subtract(days=3), patients=[patient()]) == ()


def test_the_reminder_check_reads_the_repeated_hour_on_the_time_line() -> None:
    to_come = booked(start=EST_0130)
    assert codes(check_appointments([to_come], EDT_0159, patients=[patient()])) == [
        "APPT-NO-REMINDER"
    ]
    begun = booked(start=EDT_0159)
    assert "APPT-NO-REMINDER" not in codes(
        check_appointments([begun], EST_0130, patients=[patient()])
    )


def test_an_appointment_in_the_repeated_hour_two_days_ahead_is_soon() -> None:
    at = pendulum.datetime(2026, 10, 30, 1, 45, tz=NY)  # two days ahead: 01:45 EST
    soon = booked(start=EDT_0159.subtract(minutes=9))  # 01:50 EDT, before 01:45 EST
    assert codes(check_appointments([soon], at, patients=[patient()])) == ["APPT-NO-REMINDER"]


def test_check_appointments_refuses_bad_input() -> None:
    with pytest.raises(ValidationError):
        check_appointments([booked()], pendulum.naive(2026, 3, 9))
    with pytest.raises(ValidationError):
        check_appointments(["a-1"], START)  # type: ignore[list-item]
    with pytest.raises(ValidationError) as err:
        check_appointments([booked(), booked("a-2"), booked()], START)
    assert err.value.problems[0].path == (2, "id")


# --- properties ------------------------------------------------------------------------------


@given(appointments())
def test_drawn_appointments_keep_their_invariants(appt: Appointment) -> None:
    assert (appt.status is AppointmentStatus.NOSHOW) <= (appt.follow_up is not None)
    if appt.cancellation is not None:
        assert appt.cancellation.late == is_late_cancellation(appt.start, appt.cancellation.at)
    assert careroles.loads(careroles.dumps(appt), Appointment) == appt
    for finding in check_appointments([appt], appt.end.add(days=1)):
        assert finding.path.startswith("$[0]")


@given(appointments(path="booked"), st.integers(min_value=1, max_value=72 * 60))
def test_a_no_show_is_possible_exactly_when_the_start_has_passed(
    appt: Appointment, minutes: int
) -> None:
    staff = Actor(member_id="m-s", role=Role.TREATING_PROVIDER)
    latest = max(appt.start, appt.history[-1].at, *(c.at for c in appt.changes), key=instant)
    at = latest.add(minutes=minutes)
    assert appt.mark_no_show(by=staff, at=at).status is AppointmentStatus.NOSHOW
    before = appt.start.subtract(minutes=minutes)
    last_action = max((*(r.at for r in appt.history), *(c.at for c in appt.changes)), key=instant)
    if not earlier(before, last_action):
        with pytest.raises(TransitionError):
            appt.mark_no_show(by=staff, at=before)
