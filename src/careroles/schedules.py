"""A patient's schedule: their appointments, conflicts between them, and reminder times.

:class:`Schedule` is a plain value (not an aggregate root, not a stored document): a patient id
and that patient's :class:`~careroles.appointments.Appointment` values.  It answers three
questions:

* :meth:`Schedule.conflicts` — which pairs of appointments overlap (or leave less than a travel
  buffer between them), in O(n log n + k) for n appointments and k reported pairs;
* :meth:`Schedule.upcoming` — what is coming next;
* :func:`reminder_times` — when to remind the patient, inside their contact hours, in their own
  time zone (domain.md APPT-005), correct across daylight-saving changes.
"""

from __future__ import annotations

import datetime as _dt
import enum
import heapq
from collections.abc import Iterable, Sequence
from typing import Final

import pendulum

from careroles._model import Record, model
from careroles.appointments import Appointment, AppointmentStatus, reschedule_chain
from careroles.errors import Problem, ValidationError
from careroles.patients import ContactChannel, ContactHours, Patient
from careroles.periods import earlier, instant, require_aware

__all__ = [
    "DEFAULT_LEAD_TIMES",
    "DEFAULT_REMINDER_SLOT",
    "IGNORED_STATUSES",
    "Conflict",
    "ConflictKind",
    "Schedule",
    "reminder_times",
]

#: Statuses that no longer hold the patient's time: left out of conflicts.
IGNORED_STATUSES: Final = frozenset(
    {
        AppointmentStatus.CANCELLED,
        AppointmentStatus.NOSHOW,
        AppointmentStatus.ENTERED_IN_ERROR,
    }
)

#: Statuses of an appointment still to come (upcoming, remindable).
_UPCOMING: Final = frozenset(
    {
        AppointmentStatus.PROPOSED,
        AppointmentStatus.PENDING,
        AppointmentStatus.BOOKED,
        AppointmentStatus.WAITLIST,
    }
)

#: APPT-005: reminders generally 1-2 days before.
DEFAULT_LEAD_TIMES: Final = (pendulum.duration(days=2), pendulum.duration(days=1))
#: A reminder moved into contact hours lands on the last slot of this length that fits.
DEFAULT_REMINDER_SLOT: Final = pendulum.duration(minutes=30)

_EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_MICRO: Final = _dt.timedelta(microseconds=1)


class ConflictKind(enum.StrEnum):
    OVERLAP = "overlap"  # the two time ranges share an instant
    TRAVEL_BUFFER = "travel_buffer"  # they do not overlap, but the gap is shorter than the buffer


@model
class Conflict(Record):
    """Two appointments of the patient that clash; `first_id` starts no later than `second_id`."""

    first_id: str
    second_id: str
    kind: ConflictKind

    def _rules(self) -> Iterable[Problem]:
        if self.first_id == self.second_id:
            yield Problem(("second_id",), "an appointment does not clash with itself", "self_link")


def _micros(instant: _dt.datetime) -> int:
    # stdlib subtraction: exact, and much faster than pendulum's Interval
    return _dt.datetime.__sub__(instant, _EPOCH) // _MICRO


def _duration_micros(d: _dt.timedelta) -> int:
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def _plain_duration(value: object, field: str) -> pendulum.Duration:
    """A non-negative duration without years or months (those have no fixed length)."""
    if not isinstance(value, _dt.timedelta):
        raise ValidationError.single((field,), "expected a duration", "type")
    if isinstance(value, pendulum.Duration) and (value.years or value.months):
        raise ValidationError.single(
            (field,), "use days, hours and minutes (months have no fixed length)", "duration"
        )
    if value < _dt.timedelta(0):
        raise ValidationError.single((field,), "must not be negative", "duration")
    return pendulum.duration(
        days=value.days, seconds=value.seconds, microseconds=value.microseconds
    )


@model
class Schedule(Record):
    """One patient's appointments (any order; ids unique; all of that patient)."""

    patient_id: str
    appointments: tuple[Appointment, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        if not self.patient_id:
            yield Problem(("patient_id",), "must not be empty", "empty")
        seen: set[str] = set()
        for i, a in enumerate(self.appointments):
            if a.patient_id != self.patient_id:
                yield Problem(
                    ("appointments", i, "patient_id"), "belongs to another patient", "patient"
                )
            if a.id in seen:
                yield Problem(
                    ("appointments", i, "id"), "two appointments share an id", "duplicate"
                )
            seen.add(a.id)

    def appointment(self, appointment_id: str) -> Appointment:
        for a in self.appointments:
            if a.id == appointment_id:
                return a
        raise ValidationError.single(
            ("appointment_id",), "no appointment with this id", "not_found"
        )

    def chain(self, appointment_id: str) -> tuple[Appointment, ...]:
        """The reschedule chain of `appointment_id`, oldest first (:func:`reschedule_chain`)."""
        return reschedule_chain(self.appointments, appointment_id)

    def conflicts(self, travel_buffer: pendulum.Duration | None = None) -> tuple[Conflict, ...]:
        """Every clashing pair of counted appointments, each pair once.

        Counted: every appointment whose status is not cancelled, noshow or entered-in-error.
        Two counted appointments A and B (A first in the order below) clash when
        ``B.start < A.end + travel_buffer``: their half-open ranges ``[start, end)`` share an
        instant (kind ``overlap``; back-to-back appointments do not overlap), or, with a travel
        buffer, the gap between A's end and B's start is shorter than the buffer (kind
        ``travel_buffer``).  The buffer applies to every pair, whatever the locations.

        Order: appointments are swept by ``(start, end, id)``; conflicts are listed by their
        second appointment in that order, then by their first.  The sweep keeps the appointments
        still "open" (end + buffer after the current start) in a heap keyed by end, so the cost
        is O(n log n + k) for n appointments and k reported pairs.  This reports exactly the set
        of pairs a brute-force comparison of all pairs finds.
        """
        buffer = (
            0
            if travel_buffer is None
            else _duration_micros(_plain_duration(travel_buffer, "travel_buffer"))
        )
        items = sorted(
            (_micros(a.start), _micros(a.end), a.id)
            for a in self.appointments
            if a.status not in IGNORED_STATUSES
        )
        open_: list[tuple[int, int, int, str]] = []  # (end + buffer, start, end, id)
        out: list[Conflict] = []
        for start, end, ident in items:
            while open_ and open_[0][0] <= start:
                heapq.heappop(open_)
            for _, _s0, e0, other in sorted(open_, key=lambda x: (x[1], x[2], x[3])):
                kind = ConflictKind.OVERLAP if start < e0 else ConflictKind.TRAVEL_BUFFER
                out.append(Conflict(first_id=other, second_id=ident, kind=kind))
            heapq.heappush(open_, (end + buffer, start, end, ident))
        return tuple(out)

    def upcoming(
        self, at: pendulum.DateTime, within: pendulum.Duration | None = None
    ) -> tuple[Appointment, ...]:
        """Appointments still to come (proposed, pending, booked or waitlisted) starting at or
        after `at` and, with `within`, before ``at + within`` (elapsed time); by start."""
        at = require_aware(at, "at")
        now = _micros(at)
        limit = (
            None if within is None else now + _duration_micros(_plain_duration(within, "within"))
        )
        found = [
            a
            for a in self.appointments
            if a.status in _UPCOMING
            and _micros(a.start) >= now
            and (limit is None or _micros(a.start) < limit)
        ]
        return tuple(sorted(found, key=lambda a: (_micros(a.start), a.id)))

    def reminder_times(
        self,
        appointment: Appointment,
        patient: Patient,
        lead_times: Sequence[pendulum.Duration] = DEFAULT_LEAD_TIMES,
        *,
        slot: pendulum.Duration = DEFAULT_REMINDER_SLOT,
        not_before: pendulum.DateTime | None = None,
    ) -> tuple[pendulum.DateTime, ...]:
        """:func:`reminder_times` for an appointment of this schedule."""
        if not isinstance(appointment, Appointment) or appointment not in self.appointments:
            raise ValidationError.single(
                ("appointment",), "not an appointment of this schedule", "not_found"
            )
        return reminder_times(appointment, patient, lead_times, slot=slot, not_before=not_before)


def reminder_times(
    appointment: Appointment,
    patient: Patient,
    lead_times: Sequence[pendulum.Duration] = DEFAULT_LEAD_TIMES,
    *,
    slot: pendulum.Duration = DEFAULT_REMINDER_SLOT,
    not_before: pendulum.DateTime | None = None,
) -> tuple[pendulum.DateTime, ...]:
    """Proposed reminder instants for `appointment`, in the patient's own time zone.

    For each lead time, the naive reminder is the appointment start seen in the patient's zone,
    moved back by the lead time: its whole days as *calendar days* (same wall-clock time, so
    "one day before" a 09:00 appointment is 09:00 the day before, across a daylight-saving
    change too), the rest as elapsed time.  When the patient has contact hours and the naive
    instant falls outside them, the reminder moves *earlier*, to the latest slot (of length
    `slot`, default 30 minutes) that starts inside the hours on an allowed day: for hours
    09:00-17:00 that is 16:30, or 09:00 when the hours are shorter than the slot.  Wall-clock
    times skipped by a daylight-saving change are never proposed.

    Returns the distinct instants, earliest first, all before the start (and not before
    `not_before` when given).  Returns nothing when the patient chose ``do_not_contact`` or the
    appointment is no longer to come (not proposed, pending, booked or waitlisted).  Without
    contact hours the naive instants are returned.
    """
    if not isinstance(appointment, Appointment):
        raise ValidationError.single(("appointment",), "expected an Appointment", "type")
    if not isinstance(patient, Patient):
        raise ValidationError.single(("patient",), "expected a Patient", "type")
    if appointment.patient_id != patient.id:
        raise ValidationError.single(
            ("patient",), "the appointment belongs to another patient", "patient"
        )
    leads = [_plain_duration(lead, "lead_times") for lead in lead_times]
    if any(lead <= _dt.timedelta(0) for lead in leads):
        raise ValidationError.single(("lead_times",), "lead times must be positive", "duration")
    slot = _plain_duration(slot, "slot")
    if slot <= _dt.timedelta(0):
        raise ValidationError.single(("slot",), "must be positive", "duration")
    floor = None if not_before is None else require_aware(not_before, "not_before")
    prefs = patient.preferences
    if ContactChannel.DO_NOT_CONTACT in prefs.contact_channels:
        return ()
    if appointment.status not in _UPCOMING:
        return ()
    local_start = patient.local(appointment.start)
    # keyed by instant: two reminders in the repeated hour of a fall-back have one wall clock
    # and, within one zone, compare equal (and hash alike) although they are an hour apart
    out: dict[float, pendulum.DateTime] = {}
    for lead in leads:
        naive = local_start.subtract(days=lead.days).subtract(
            seconds=lead.seconds, microseconds=lead.microseconds
        )
        hours = prefs.contact_hours
        proposed = (
            naive if hours is None else _latest_allowed(naive, hours, slot, patient.time_zone)
        )
        if proposed is None or not earlier(proposed, appointment.start):
            continue
        if floor is not None and earlier(proposed, floor):
            continue
        out[instant(proposed)] = proposed
    return tuple(out[t] for t in sorted(out))


def _seconds_of_day(t: _dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _latest_allowed(
    candidate: pendulum.DateTime, hours: ContactHours, slot: pendulum.Duration, zone: str
) -> pendulum.DateTime | None:
    """`candidate` if it is inside `hours`, else the latest slot start inside them before it."""
    if hours.allows(candidate):
        return candidate
    first = _seconds_of_day(hours.start)
    last = max(first, _seconds_of_day(hours.end) - int(slot.total_seconds()))
    step = max(1, int(slot.total_seconds()))
    day = candidate.date()
    for back in range(8):  # some allowed day lies within the past week
        date = day.subtract(days=back)
        if date.weekday() not in hours.days:
            continue
        t = last
        while t >= first:
            local = pendulum.datetime(
                date.year, date.month, date.day, t // 3600, t // 60 % 60, t % 60, tz=zone
            )
            # a wall time skipped by DST is shifted by pendulum: it no longer reads `t`
            if (
                _seconds_of_day(local.time()) == t
                and hours.allows(local)
                and not earlier(candidate, local)
            ):
                return local
            t -= step
    return None
