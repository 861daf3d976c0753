"""Strategies for appointments and schedules.

Appointments are reached by applying legal sequences of operations to a proposed appointment
(book, arrive, check in, fulfil, cancel, reschedule, no-show and its follow-up, reminders),
never by writing a history by hand.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final

import pendulum
from hypothesis import strategies as st

from careroles.appointments import (
    Appointment,
    AppointmentKind,
    Cancellation,
    CancellationReason,
    ClinicianDecision,
    ContactAttempt,
    ContactOutcome,
    Location,
    LocationKind,
    NoShowBarrier,
    NoShowFollowUp,
    Participant,
    ParticipationStatus,
    Reminder,
    SupportiveService,
)
from careroles.patients import ContactChannel
from careroles.roles import BOOKERS, Actor, Role
from careroles.schedules import Conflict, ConflictKind, Schedule
from careroles.strategies._core import actors, datetimes, identifiers, texts

__all__ = [
    "appointments",
    "cancellations",
    "clinician_decisions",
    "conflicts",
    "contact_attempts",
    "locations",
    "no_show_follow_ups",
    "participants",
    "reminders",
    "schedules",
]

_CHANNELS: Final = [c for c in ContactChannel if c is not ContactChannel.DO_NOT_CONTACT]
_STAFF: Final = (Role.CARE_COORDINATOR, Role.TREATING_PROVIDER)
_LOW: Final = _dt.datetime(2020, 1, 1)  # noqa: DTZ001
_HIGH: Final = _dt.datetime(2035, 12, 31)  # noqa: DTZ001

#: The end states a drawn appointment is driven to.
_PATHS: Final = (
    "proposed",
    "pending",
    "waitlist",
    "booked",
    "arrived",
    "checked_in",
    "fulfilled",
    "cancelled",
    "rescheduled",
    "noshow",
    "entered_in_error",
)


def _staff() -> st.SearchStrategy[Actor]:
    return actors(st.sampled_from(_STAFF))


def _clinician() -> st.SearchStrategy[Actor]:
    return actors(st.just(Role.TREATING_PROVIDER))


@st.composite
def participants(draw: st.DrawFn, member_id: str | None = None) -> Participant:
    external = member_id is None and draw(st.booleans())
    return Participant(
        member_id=None if external else (member_id or draw(identifiers("m-"))),
        external_ref=draw(texts()) if external else None,
        role=None if external else draw(st.sampled_from(Role)),
        required=draw(st.booleans()),
        status=draw(st.sampled_from(ParticipationStatus)),
    )


@st.composite
def locations(draw: st.DrawFn) -> Location:
    kind = draw(st.sampled_from(LocationKind))
    text = draw(st.none() | texts())
    if kind is LocationKind.IN_PERSON:
        return Location(kind=kind, address=text)
    return Location(kind=kind, virtual_link=text)


@st.composite
def cancellations(draw: st.DrawFn) -> Cancellation:
    return Cancellation(
        reason=draw(st.sampled_from(CancellationReason)),
        at=draw(datetimes()),
        late=draw(st.booleans()),
        note=draw(st.none() | texts()),
    )


@st.composite
def reminders(draw: st.DrawFn) -> Reminder:
    return Reminder(
        at=draw(datetimes()), channel=draw(st.sampled_from(_CHANNELS)), by=draw(_staff())
    )


@st.composite
def contact_attempts(draw: st.DrawFn, at: pendulum.DateTime | None = None) -> ContactAttempt:
    outcome = draw(st.sampled_from(ContactOutcome))
    return ContactAttempt(
        at=at if at is not None else draw(datetimes()),
        channel=draw(st.sampled_from(_CHANNELS)),
        by=draw(_staff()),
        outcome=outcome,
        contact_id=draw(st.none() | identifiers("c-")),
        barrier=draw(st.none() | st.sampled_from(NoShowBarrier))
        if outcome is ContactOutcome.REACHED
        else None,
        note=draw(st.none() | texts()),
    )


@st.composite
def clinician_decisions(draw: st.DrawFn) -> ClinicianDecision:
    return ClinicianDecision(
        by=draw(_clinician()), at=draw(datetimes()), note=draw(st.none() | texts())
    )


def _later(draw: st.DrawFn, t: pendulum.DateTime, max_hours: int = 72) -> pendulum.DateTime:
    return t.add(minutes=draw(st.integers(min_value=0, max_value=max_hours * 60)))


@st.composite
def no_show_follow_ups(draw: st.DrawFn) -> NoShowFollowUp:
    t = draw(datetimes())
    follow_up = NoShowFollowUp(opened_at=t)
    attempts = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        t = _later(draw, t)
        attempts.append(draw(contact_attempts(at=t)))
    decision = None
    if draw(st.booleans()):
        t = _later(draw, t)
        decision = ClinicianDecision(by=draw(_clinician()), at=t, note=draw(st.none() | texts()))
    follow_up = NoShowFollowUp(
        opened_at=follow_up.opened_at, attempts=tuple(attempts), decision=decision
    )
    if follow_up.can_close and draw(st.booleans()):
        return NoShowFollowUp(
            opened_at=follow_up.opened_at,
            attempts=follow_up.attempts,
            decision=decision,
            closed_at=_later(draw, t),
            closed_by=draw(_staff()),
        )
    return follow_up


@st.composite
def appointments(
    draw: st.DrawFn,
    patient_id: str | None = None,
    appointment_id: str | None = None,
    path: str | None = None,
) -> Appointment:
    """Appointments driven through a legal sequence of operations to one of their statuses."""
    patient = patient_id if patient_id is not None else draw(identifiers("p-"))
    ident = appointment_id if appointment_id is not None else draw(identifiers("a-"))
    start = draw(datetimes(min_value=_LOW, max_value=_HIGH))
    end = start.add(minutes=draw(st.integers(min_value=5, max_value=8 * 60)))
    kind = draw(st.sampled_from(AppointmentKind))
    service = (
        draw(st.sampled_from(SupportiveService))
        if kind is AppointmentKind.SUPPORTIVE_SERVICE
        else draw(st.none() | st.sampled_from(SupportiveService))
    )
    booker_role = draw(st.sampled_from(sorted(BOOKERS)))
    booker = Actor(
        member_id=patient if booker_role is Role.PATIENT else draw(identifiers("m-")),
        role=booker_role,
    )
    staff = draw(_staff())
    members = draw(st.lists(identifiers("m-"), max_size=3, unique=True))
    parts = [draw(participants(member_id=m)) for m in members]
    if draw(st.booleans()):
        parts.append(Participant(external_ref=draw(texts()), required=False))
    t = start.subtract(minutes=draw(st.integers(min_value=1, max_value=60 * 24 * 60)))
    appt = Appointment.propose(
        id=ident,
        patient_id=patient,
        kind=kind,
        service=service,
        description=draw(st.none() | texts()),
        participants=parts,
        location=draw(st.none() | locations()),
        start=start,
        end=end,
        activity_id=draw(st.none() | identifiers("act-")),
        predecessor_id=draw(st.none() | identifiers("prev-")),
        by=booker,
        at=t,
    )
    goal = path if path is not None else draw(st.sampled_from(_PATHS))

    def before_start() -> pendulum.DateTime:
        nonlocal t
        span = int((start - t).total_seconds() // 60)
        if span > 1:
            t = t.add(minutes=draw(st.integers(min_value=0, max_value=span - 1)))
        return t

    def after_start() -> pendulum.DateTime:
        nonlocal t
        t = max(t, start).add(minutes=draw(st.integers(min_value=1, max_value=3 * 24 * 60)))
        return t

    if goal == "proposed":
        return appt
    if goal == "pending":
        return appt.request(by=booker, at=before_start())
    if goal == "waitlist":
        return appt.waitlist(by=booker, at=before_start())
    if goal == "entered_in_error":
        return appt.mark_entered_in_error(reason=draw(texts()), by=staff, at=before_start())
    if goal in ("cancelled", "rescheduled"):
        if draw(st.booleans()):
            appt = appt.book(by=booker, at=before_start())
        at = draw(st.sampled_from([before_start, after_start]))()
        if goal == "cancelled":
            reasons = [r for r in CancellationReason if r is not CancellationReason.RESCHEDULED]
            return appt.cancel(
                reason=draw(st.sampled_from(reasons)),
                by=booker,
                at=at,
                note=draw(st.none() | texts()),
            )
        new_start = at.add(hours=draw(st.integers(min_value=1, max_value=24 * 90)))
        old, _ = appt.reschedule(
            draw(identifiers("next-")),
            new_start,
            new_start.add(minutes=30),
            by=booker,
            at=at,
            reason=draw(st.none() | texts()),
        )
        return old
    appt = appt.book(by=booker, at=before_start())
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        appt = appt.record_reminder(draw(st.sampled_from(_CHANNELS)), by=staff, at=before_start())
    if goal == "booked":
        return appt
    if goal == "noshow":
        appt = appt.mark_no_show(by=staff, at=after_start())
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            attempt = draw(contact_attempts())
            appt = appt.record_contact_attempt(
                attempt.channel,
                attempt.outcome,
                by=attempt.by,
                at=after_start(),
                contact_id=attempt.contact_id,
                barrier=attempt.barrier,
                note=attempt.note,
            )
        if draw(st.booleans()):
            appt = appt.record_clinician_decision(
                by=draw(_clinician()), at=after_start(), note=draw(st.none() | texts())
            )
        assert appt.follow_up is not None
        if appt.follow_up.can_close and draw(st.booleans()):
            appt = appt.close_follow_up(by=staff, at=after_start())
        return appt
    if goal in ("arrived", "checked_in", "fulfilled") and draw(st.booleans()):
        appt = appt.arrive(by=staff, at=before_start())
    if goal == "arrived":
        return appt
    if goal in ("checked_in", "fulfilled") and draw(st.booleans()):
        appt = appt.check_in(by=staff, at=before_start())
    if goal == "checked_in":
        return appt
    return appt.fulfil(by=staff, at=after_start())


@st.composite
def schedules(draw: st.DrawFn, max_size: int = 4) -> Schedule:
    patient_id = draw(identifiers("p-"))
    n = draw(st.integers(min_value=0, max_value=max_size))
    return Schedule(
        patient_id=patient_id,
        appointments=tuple(
            draw(appointments(patient_id=patient_id, appointment_id=f"a-{i:08d}"))
            for i in range(n)
        ),
    )


def conflicts() -> st.SearchStrategy[Conflict]:
    return st.builds(
        Conflict,
        first_id=identifiers("a-"),
        second_id=identifiers("b-"),
        kind=st.sampled_from(ConflictKind),
    )
