"""Appointments: tests, treatments, supportive services, consultations and follow-ups.

An :class:`Appointment` is an aggregate root whose status follows FHIR R4 ``Appointment.status``
(domain.md APPT-001, fhir.md §1.1).  Its lifecycle is the table :data:`APPOINTMENT_LIFECYCLE`;
the named operations (:meth:`Appointment.book`, :meth:`~Appointment.cancel`,
:meth:`~Appointment.mark_no_show`, :meth:`~Appointment.reschedule` ...) apply it.

Rules encoded here (domain.md §5.3 and §8):

* APPT-002 / APPT-T01: a cancellation less than 24 hours before the start is recorded as a *late
  cancellation*, never as a no-show; a no-show can only be marked after the start has passed.
* APPT-003 / APPT-T02: marking a no-show opens a :class:`NoShowFollowUp`; it can only be closed
  after at least two documented contact attempts or a clinician's decision.
* Reschedules keep their chain: the old appointment is cancelled with reason ``rescheduled`` and
  names its successor, the new one names its predecessor (:func:`reschedule_chain`).
* PRODUCT.md: care coordinator, patient and treating provider propose, book and reschedule
  (never the advocate, :data:`~careroles.roles.BOOKERS`); the patient may always cancel their own;
  treating provider and care coordinator mark arrival, check-in, fulfilment and no-shows.

Soft rules (nothing refused, findings reported) are the rows of :data:`APPOINTMENT_RULES`, checked
by :func:`check_appointments`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any, Final

import pendulum

from careroles._model import Record, evolve, model, sensitive
from careroles.audit import ChangeRecord, last_instant, record_change
from careroles.errors import PermissionDenied, Problem, TransitionError, ValidationError
from careroles.findings import Finding, Rule, Severity
from careroles.lifecycle import Action, Guard, Lifecycle, TransitionRecord
from careroles.patients import ContactChannel, Patient
from careroles.periods import earlier, instant, require_aware
from careroles.roles import BOOKERS, Actor, Permission, Role, RolePolicy

__all__ = [
    "APPOINTMENT_LIFECYCLE",
    "APPOINTMENT_RULES",
    "ACTIVE_STATUSES",
    "LATE_CANCELLATION_WINDOW",
    "MIN_CONTACT_ATTEMPTS",
    "PERMISSIONS",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "Cancellation",
    "CancellationReason",
    "ClinicianDecision",
    "ContactAttempt",
    "ContactOutcome",
    "Location",
    "LocationKind",
    "NoShowBarrier",
    "NoShowFollowUp",
    "ParticipationStatus",
    "Participant",
    "Reminder",
    "SupportiveService",
    "check_appointments",
    "is_late_cancellation",
    "reschedule_chain",
]

SUBJECT: Final = "appointment"

#: APPT-002: a cancellation less than this before the start is a late cancellation.
LATE_CANCELLATION_WINDOW: Final = pendulum.duration(hours=24)
_LATE_SECONDS: Final = LATE_CANCELLATION_WINDOW.total_seconds()


class AppointmentKind(enum.StrEnum):
    DIAGNOSTIC_TEST = "diagnostic_test"
    TREATMENT = "treatment"
    SUPPORTIVE_SERVICE = "supportive_service"
    CONSULTATION = "consultation"
    FOLLOW_UP = "follow_up"


class SupportiveService(enum.StrEnum):
    TRANSPORT = "transport"
    SOCIAL_WORK = "social_work"
    HOME_CARE = "home_care"
    NUTRITION = "nutrition"
    INTERPRETER = "interpreter"
    OTHER = "other"


class AppointmentStatus(enum.StrEnum):
    """FHIR R4 ``appointmentstatus`` (http://hl7.org/fhir/R4/valueset-appointmentstatus.html)."""

    PROPOSED = "proposed"
    PENDING = "pending"
    BOOKED = "booked"
    ARRIVED = "arrived"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    NOSHOW = "noshow"
    ENTERED_IN_ERROR = "entered-in-error"
    CHECKED_IN = "checked-in"
    WAITLIST = "waitlist"


#: Statuses of an appointment that still takes (or took) the patient's time.
ACTIVE_STATUSES: Final = frozenset(
    {
        AppointmentStatus.PROPOSED,
        AppointmentStatus.PENDING,
        AppointmentStatus.BOOKED,
        AppointmentStatus.ARRIVED,
        AppointmentStatus.FULFILLED,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.WAITLIST,
    }
)


class ParticipationStatus(enum.StrEnum):
    """FHIR R4 ``participationstatus``: a participant's answer."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"
    NEEDS_ACTION = "needs-action"


class LocationKind(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    PHONE = "phone"


class CancellationReason(enum.StrEnum):
    """Why an appointment was cancelled (a careroles code list; FHIR maps it to
    ``appointment-cancellation-reason``)."""

    PATIENT_REQUEST = "patient_request"
    PATIENT_UNWELL = "patient_unwell"
    TRANSPORT_UNAVAILABLE = "transport_unavailable"
    COST = "cost"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    FACILITY_UNAVAILABLE = "facility_unavailable"
    WEATHER = "weather"
    PARTICIPANT_DECLINED = "participant_declined"
    RESCHEDULED = "rescheduled"  # set only by Appointment.reschedule
    OTHER = "other"


class ContactOutcome(enum.StrEnum):
    REACHED = "reached"
    LEFT_MESSAGE = "left_message"
    MESSAGE_SENT = "message_sent"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    BOUNCED = "bounced"


class NoShowBarrier(enum.StrEnum):
    """Why the patient missed the appointment, when they say (APPT-004: barrier signals)."""

    TRANSPORT = "transport"
    COST = "cost"
    CHILDCARE = "childcare"
    WORK = "work"
    ILLNESS = "illness"
    FORGOT = "forgot"
    NOT_INFORMED = "not_informed"
    LANGUAGE = "language"
    OTHER = "other"


# --- parts -----------------------------------------------------------------------------------


@model
class Participant(Record):
    """Someone taking part: a team member (`member_id`) or an outside party (`external_ref`).

    Exactly one of the two is given (FHIR app-1).  `role` is the member's role on the team, or
    ``None`` for an outside service (a transport company, an interpreter agency).
    """

    member_id: str | None = None
    external_ref: str | None = sensitive(default=None)
    role: Role | None = None
    required: bool = True
    status: ParticipationStatus = ParticipationStatus.NEEDS_ACTION

    def _rules(self) -> Iterable[Problem]:
        if (self.member_id is None) == (self.external_ref is None):
            yield Problem(
                ("member_id",), "give exactly one of member_id and external_ref", "participant"
            )
        for name in ("member_id", "external_ref"):
            if getattr(self, name) == "":
                yield Problem((name,), "must not be empty", "empty")
        if self.member_id is not None and self.role is None:
            yield Problem(("role",), "a team member takes part in a role", "role_required")


@model
class Location(Record):
    """Where: in person (an address), virtual (a link) or by phone (a number)."""

    kind: LocationKind
    address: str | None = sensitive(default=None)
    virtual_link: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        if self.kind is LocationKind.IN_PERSON and self.virtual_link is not None:
            yield Problem(("virtual_link",), "an in-person location has no link", "location")
        if self.kind is not LocationKind.IN_PERSON and self.address is not None:
            yield Problem(("address",), "only an in-person location has an address", "location")


@model
class Cancellation(Record):
    """Why and when an appointment was cancelled; `late` when less than 24 h before its start."""

    reason: CancellationReason
    at: pendulum.DateTime
    late: bool
    note: str | None = sensitive(default=None)


@model
class Reminder(Record):
    """A reminder sent to the patient (APPT-005).  Its content is not stored: no PHI."""

    at: pendulum.DateTime
    channel: ContactChannel
    by: Actor

    def _rules(self) -> Iterable[Problem]:
        if self.channel is ContactChannel.DO_NOT_CONTACT:
            yield Problem(("channel",), "do_not_contact is not a channel to send on", "channel")


@model
class ContactAttempt(Record):
    """One documented attempt to reach the patient after a no-show (APPT-003)."""

    at: pendulum.DateTime
    channel: ContactChannel
    by: Actor
    outcome: ContactOutcome
    contact_id: str | None = None  # an emergency or family contact reached instead (Contact.id)
    barrier: NoShowBarrier | None = None
    note: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        if self.channel is ContactChannel.DO_NOT_CONTACT:
            yield Problem(("channel",), "do_not_contact is not a channel to try", "channel")
        if self.barrier is not None and self.outcome is not ContactOutcome.REACHED:
            yield Problem(
                ("barrier",), "a barrier is known only when someone was reached", "barrier"
            )


@model
class ClinicianDecision(Record):
    """The responsible clinician's judgement after a no-show (APPT-003)."""

    by: Actor
    at: pendulum.DateTime
    note: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        if self.by.role is not Role.TREATING_PROVIDER:
            yield Problem(("by", "role"), "a clinician decision is a treating provider's", "role")


#: APPT-003: attempts needed to close a follow-up without a clinician's decision.
MIN_CONTACT_ATTEMPTS: Final = 2


@model
class NoShowFollowUp(Record):
    """What a no-show opens (APPT-003, APPT-T02): contact attempts, a decision, its closing."""

    opened_at: pendulum.DateTime
    attempts: tuple[ContactAttempt, ...] = ()
    decision: ClinicianDecision | None = None
    closed_at: pendulum.DateTime | None = None
    closed_by: Actor | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def can_close(self) -> bool:
        """APPT-003: two documented contact attempts, or a clinician's decision."""
        return len(self.attempts) >= MIN_CONTACT_ATTEMPTS or self.decision is not None

    def _rules(self) -> Iterable[Problem]:
        previous = self.opened_at
        for i, attempt in enumerate(self.attempts):
            if earlier(attempt.at, previous):
                yield Problem(("attempts", i, "at"), "out of time order", "out_of_order")
            previous = attempt.at
        if self.decision is not None and earlier(self.decision.at, self.opened_at):
            yield Problem(("decision", "at"), "dated before the follow-up opened", "out_of_order")
        if (self.closed_at is None) != (self.closed_by is None):
            yield Problem(("closed_by",), "set together with closed_at", "closing")
        if self.closed_at is not None:
            if not self.can_close:
                yield Problem(
                    ("closed_at",),
                    "closing needs two documented contact attempts or a clinician decision",
                    "follow_up_incomplete",
                )
            last = [previous] + ([self.decision.at] if self.decision is not None else [])
            if any(earlier(self.closed_at, t) for t in last):
                yield Problem(("closed_at",), "closed before its last entry", "out_of_order")


# --- the lifecycle ---------------------------------------------------------------------------


def _started(appt: Any, at: pendulum.DateTime) -> bool:
    return bool(at >= appt.start)


def _start_passed(appt: Any, at: pendulum.DateTime) -> bool:
    return bool(at > appt.start)


_STAFF: Final = frozenset({Role.TREATING_PROVIDER, Role.CARE_COORDINATOR})
_OPEN: Final = frozenset(
    {
        AppointmentStatus.PROPOSED,
        AppointmentStatus.PENDING,
        AppointmentStatus.BOOKED,
        AppointmentStatus.WAITLIST,
    }
)

APPOINTMENT_LIFECYCLE: Final = Lifecycle(
    subject=SUBJECT,
    statuses=AppointmentStatus,
    initial=AppointmentStatus.PROPOSED,
    actions=(
        Action(
            name="request",
            sources=frozenset({AppointmentStatus.PROPOSED}),
            target=AppointmentStatus.PENDING,
            roles=BOOKERS,
            note="time set, waiting for participants to accept",
        ),
        Action(
            name="waitlist",
            sources=frozenset({AppointmentStatus.PROPOSED, AppointmentStatus.PENDING}),
            target=AppointmentStatus.WAITLIST,
            roles=BOOKERS,
        ),
        Action(
            name="book",
            sources=frozenset(
                {AppointmentStatus.PROPOSED, AppointmentStatus.PENDING, AppointmentStatus.WAITLIST}
            ),
            target=AppointmentStatus.BOOKED,
            roles=BOOKERS,
            note="not the advocate (PRODUCT.md)",
        ),
        Action(
            name="arrive",
            sources=frozenset({AppointmentStatus.BOOKED}),
            target=AppointmentStatus.ARRIVED,
            roles=_STAFF,
        ),
        Action(
            name="check_in",
            sources=frozenset({AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED}),
            target=AppointmentStatus.CHECKED_IN,
            roles=_STAFF,
        ),
        Action(
            name="fulfil",
            sources=frozenset(
                {AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.CHECKED_IN}
            ),
            target=AppointmentStatus.FULFILLED,
            roles=_STAFF,
            guards=(
                Guard("started", _started, "an appointment is fulfilled only once it has started"),
            ),
        ),
        Action(
            name="cancel",
            sources=_OPEN,
            target=AppointmentStatus.CANCELLED,
            roles=BOOKERS,
            note="requires a reason code (Cancellation.reason); the patient may always cancel "
            "their own; < 24 h before start is a late cancellation, not a no-show (APPT-002)",
        ),
        Action(
            name="reschedule",
            sources=_OPEN,
            target=AppointmentStatus.CANCELLED,
            roles=BOOKERS,
            note="cancelled with reason code 'rescheduled'; the successor names this one",
        ),
        Action(
            name="mark_no_show",
            sources=frozenset({AppointmentStatus.BOOKED}),
            target=AppointmentStatus.NOSHOW,
            roles=_STAFF,
            guards=(
                Guard(
                    "start_passed",
                    _start_passed,
                    "a no-show can only be marked after the start has passed (APPT-T01)",
                ),
            ),
            note="opens the no-show follow-up (APPT-003)",
        ),
        Action(
            name="mark_entered_in_error",
            sources=frozenset(
                s for s in AppointmentStatus if s is not AppointmentStatus.ENTERED_IN_ERROR
            ),
            target=AppointmentStatus.ENTERED_IN_ERROR,
            roles=_STAFF,
            requires_reason=True,
        ),
    ),
)

#: Rows of the named operations that are not status transitions.
PERMISSIONS: Final = (
    Permission(subject=SUBJECT, action="propose", roles=BOOKERS, note="creates the appointment"),
    Permission(subject=SUBJECT, action="record_reminder", roles=_STAFF),
    Permission(subject=SUBJECT, action="record_contact_attempt", roles=_STAFF),
    Permission(
        subject=SUBJECT,
        action="record_clinician_decision",
        roles=frozenset({Role.TREATING_PROVIDER}),
    ),
    Permission(subject=SUBJECT, action="close_follow_up", roles=_STAFF),
)

_POLICY: Final = RolePolicy.of(APPOINTMENT_LIFECYCLE.permissions(), PERMISSIONS)


# --- the aggregate ---------------------------------------------------------------------------


@model
class Appointment(Record):
    """An appointment of one patient.  Aggregate root.

    `start` and `end` are zoned instants (end after start).  Build one with
    :meth:`Appointment.propose` (which checks the role and records who proposed it), then
    :meth:`book` it; or construct it directly (status ``proposed``, empty history) when loading
    from elsewhere.
    """

    id: str
    patient_id: str
    kind: AppointmentKind
    service: SupportiveService | None = None
    description: str | None = sensitive(default=None)
    participants: tuple[Participant, ...] = ()
    location: Location | None = None
    start: pendulum.DateTime
    end: pendulum.DateTime
    activity_id: str | None = None
    status: AppointmentStatus = AppointmentStatus.PROPOSED
    cancellation: Cancellation | None = None
    predecessor_id: str | None = None
    successor_id: str | None = None
    follow_up: NoShowFollowUp | None = None
    reminders: tuple[Reminder, ...] = ()
    history: tuple[TransitionRecord[AppointmentStatus], ...] = ()
    changes: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        for name in ("activity_id", "predecessor_id", "successor_id"):
            value = getattr(self, name)
            if value == "":
                yield Problem((name,), "must not be empty", "empty")
            elif value is not None and value == self.id:
                yield Problem((name,), "an appointment cannot link to itself", "self_link")
        if not earlier(self.start, self.end):
            yield Problem(("end",), "an appointment must end after it starts", "period_inverted")
        if self.kind is AppointmentKind.SUPPORTIVE_SERVICE and self.service is None:
            yield Problem(("service",), "a supportive service names its service", "required")
        members = [p.member_id for p in self.participants if p.member_id is not None]
        if len(members) != len(set(members)):
            yield Problem(("participants",), "a member takes part twice", "duplicate")
        yield from self._cancellation_rules()
        yield from self._follow_up_rules()
        for i, reminder in enumerate(self.reminders):
            if not earlier(reminder.at, self.start):
                yield Problem(("reminders", i, "at"), "a reminder precedes the start", "reminder")
        yield from APPOINTMENT_LIFECYCLE.check_history(self.status, self.history)

    def _cancellation_rules(self) -> Iterable[Problem]:
        c = self.cancellation
        if self.status is AppointmentStatus.CANCELLED and c is None:
            yield Problem(("cancellation",), "a cancelled appointment records why", "required")
        if c is not None:
            if self.status not in (
                AppointmentStatus.CANCELLED,
                AppointmentStatus.ENTERED_IN_ERROR,
            ):
                yield Problem(("cancellation",), "only a cancelled appointment", "cancellation")
            if c.late != is_late_cancellation(self.start, c.at):
                yield Problem(
                    ("cancellation", "late"),
                    "late is true exactly when cancelled less than 24 h before the start",
                    "late_cancellation",
                )
        rescheduled = c is not None and c.reason is CancellationReason.RESCHEDULED
        if rescheduled != (self.successor_id is not None):
            yield Problem(
                ("successor_id",),
                "set exactly when the appointment was cancelled to be rescheduled",
                "reschedule_chain",
            )

    def _follow_up_rules(self) -> Iterable[Problem]:
        f = self.follow_up
        if self.status is AppointmentStatus.NOSHOW and f is None:
            yield Problem(("follow_up",), "a no-show opens a follow-up (APPT-003)", "required")
        if f is not None:
            if self.status not in (AppointmentStatus.NOSHOW, AppointmentStatus.ENTERED_IN_ERROR):
                yield Problem(("follow_up",), "only a no-show has a follow-up", "follow_up")
            if not earlier(self.start, f.opened_at):
                yield Problem(
                    ("follow_up", "opened_at"), "opened only after the start", "follow_up"
                )

    # --- queries -------------------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        """Whether it holds (or held) the patient's time: not cancelled, no-show or in error."""
        return self.status in ACTIVE_STATUSES

    @property
    def late_cancellation(self) -> bool:
        return self.cancellation is not None and self.cancellation.late

    # --- creation ------------------------------------------------------------------------

    @classmethod
    def propose(
        cls,
        *,
        id: str,
        patient_id: str,
        kind: AppointmentKind,
        start: pendulum.DateTime,
        end: pendulum.DateTime,
        by: Actor,
        at: pendulum.DateTime,
        service: SupportiveService | None = None,
        description: str | None = None,
        participants: Sequence[Participant] = (),
        location: Location | None = None,
        activity_id: str | None = None,
        predecessor_id: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Appointment:
        """A new appointment in status ``proposed``; who proposed it is in :attr:`changes`.

        Book it straight away with ``Appointment.propose(...).book(by=..., at=...)``.
        """
        at = require_aware(at, "at")
        appt = cls(
            id=id,
            patient_id=patient_id,
            kind=kind,
            service=service,
            description=description,
            participants=tuple(participants),
            location=location,
            start=start,
            end=end,
            activity_id=activity_id,
            predecessor_id=predecessor_id,
        )
        appt._require(by, "propose", policy)
        record = ChangeRecord(action="propose", at=at, by=by)
        return evolve(appt, changes=(record,))

    # --- lifecycle operations ------------------------------------------------------------

    def request(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        """Proposed -> pending: the time is set, participants have not all accepted."""
        return self._apply("request", by, at, policy)

    def waitlist(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        return self._apply("waitlist", by, at, policy)

    def book(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        """Book it (care coordinator, patient or treating provider; never the advocate)."""
        return self._apply("book", by, at, policy)

    def arrive(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        return self._apply("arrive", by, at, policy)

    def check_in(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        return self._apply("check_in", by, at, policy)

    def fulfil(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        """Fulfilled: only once the appointment has started."""
        return self._apply("fulfil", by, at, policy)

    def cancel(
        self,
        *,
        reason: CancellationReason,
        by: Actor,
        at: pendulum.DateTime,
        note: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Appointment:
        """Cancel for `reason`; less than 24 h before the start it is a *late cancellation*.

        The patient may always cancel their own appointment, whatever the policy says.
        ``reason=rescheduled`` is refused here: use :meth:`reschedule`, which keeps the chain.
        """
        if not isinstance(reason, CancellationReason):
            raise ValidationError.single(("reason",), "expected a cancellation reason", "type")
        if reason is CancellationReason.RESCHEDULED:
            raise ValidationError.single(
                ("reason",), "use reschedule() to cancel for a reschedule", "reschedule_chain"
            )
        at = require_aware(at, "at")
        cancellation = Cancellation(
            reason=reason, at=at, late=is_late_cancellation(self.start, at), note=note
        )
        return self._apply(
            "cancel",
            by,
            at,
            self._cancel_policy(by, policy),
            note,
            cancellation=cancellation,
        )

    def reschedule(
        self,
        new_id: str,
        start: pendulum.DateTime,
        end: pendulum.DateTime,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        book: bool = True,
        participants: Sequence[Participant] | None = None,
        location: Location | None = None,
        policy: RolePolicy | None = None,
    ) -> tuple[Appointment, Appointment]:
        """Move to a new time: returns ``(old, new)``.

        The old appointment is cancelled with reason ``rescheduled`` (late when less than 24 h
        before its start) and names `new_id` as its successor; the new one names the old as its
        predecessor, copies kind, service, description, activity and location (unless
        `location` is given), and is booked (or only proposed when ``book=False``).  Its
        participants are the old ones with their answers reset to ``needs-action`` (FHIR
        renegotiation), unless `participants` is given.
        """
        at = require_aware(at, "at")
        if new_id == self.id:
            raise ValidationError.single(
                ("new_id",), "the new appointment needs an id of its own", "self_link"
            )
        cancellation = Cancellation(
            reason=CancellationReason.RESCHEDULED,
            at=at,
            late=is_late_cancellation(self.start, at),
            note=reason,
        )
        old = self._apply(
            "reschedule",
            by,
            at,
            policy,
            reason,
            cancellation=cancellation,
            successor_id=new_id,
        )
        if participants is None:
            participants = tuple(
                evolve(p, status=ParticipationStatus.NEEDS_ACTION) for p in self.participants
            )
        new = Appointment.propose(
            id=new_id,
            patient_id=self.patient_id,
            kind=self.kind,
            service=self.service,
            description=self.description,
            participants=participants,
            location=location if location is not None else self.location,
            start=start,
            end=end,
            activity_id=self.activity_id,
            predecessor_id=self.id,
            by=by,
            at=at,
            policy=policy,
        )
        if book:
            new = new.book(by=by, at=at, policy=policy)
        return old, new

    def mark_no_show(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        """No-show (only after the start has passed): opens the follow-up (APPT-003)."""
        at = require_aware(at, "at")
        return self._apply("mark_no_show", by, at, policy, follow_up=NoShowFollowUp(opened_at=at))

    def mark_entered_in_error(
        self,
        *,
        reason: str,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Appointment:
        return self._apply("mark_entered_in_error", by, at, policy, reason)

    # --- other operations ----------------------------------------------------------------

    def record_reminder(
        self,
        channel: ContactChannel,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Appointment:
        """Record a reminder sent on `channel` at `at` (before the start)."""
        self._require(by, "record_reminder", policy)
        at = require_aware(at, "at")
        if self.status not in _OPEN:
            raise self._not_now("record_reminder", "only an upcoming appointment is reminded of")
        reminder = Reminder(at=at, channel=channel, by=by)
        return self._change("record_reminder", by, at, reminders=(*self.reminders, reminder))

    def record_contact_attempt(
        self,
        channel: ContactChannel,
        outcome: ContactOutcome,
        *,
        by: Actor,
        at: pendulum.DateTime,
        contact_id: str | None = None,
        barrier: NoShowBarrier | None = None,
        note: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Appointment:
        """Document one attempt to reach the patient after a no-show (APPT-003)."""
        follow_up = self._open_follow_up("record_contact_attempt", by, policy)
        at = require_aware(at, "at")
        attempt = ContactAttempt(
            at=at,
            channel=channel,
            by=by,
            outcome=outcome,
            contact_id=contact_id,
            barrier=barrier,
            note=note,
        )
        return self._change(
            "record_contact_attempt",
            by,
            at,
            follow_up=evolve(follow_up, attempts=(*follow_up.attempts, attempt)),
        )

    def record_clinician_decision(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        note: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Appointment:
        """The responsible clinician's judgement on the no-show (APPT-003)."""
        follow_up = self._open_follow_up("record_clinician_decision", by, policy)
        at = require_aware(at, "at")
        decision = ClinicianDecision(by=by, at=at, note=note)
        return self._change(
            "record_clinician_decision", by, at, follow_up=evolve(follow_up, decision=decision)
        )

    def close_follow_up(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Appointment:
        """Close the no-show follow-up: refused unless two documented contact attempts or a
        clinician's decision are recorded (APPT-003, APPT-T02)."""
        follow_up = self._open_follow_up("close_follow_up", by, policy)
        at = require_aware(at, "at")
        if not follow_up.can_close:
            raise TransitionError(
                subject="no_show_follow_up",
                status="open",
                action="close_follow_up",
                allowed=("record_contact_attempt", "record_clinician_decision"),
                reason="closing needs two documented contact attempts or a clinician's "
                "decision (APPT-003)",
            )
        return self._change(
            "close_follow_up", by, at, follow_up=evolve(follow_up, closed_at=at, closed_by=by)
        )

    # --- helpers -------------------------------------------------------------------------

    def _require(self, by: Actor, action: str, policy: RolePolicy | None) -> None:
        if not isinstance(by, Actor):
            raise ValidationError.single(("by",), "expected an Actor", "type")
        (policy or _POLICY).require(by, SUBJECT, action)
        self._require_own(by, action)

    def _require_own(self, by: Actor, action: str) -> None:
        if by.role is Role.PATIENT and by.member_id != self.patient_id:
            raise PermissionDenied(
                role=by.role.value,
                subject=SUBJECT,
                action=action,
                reason="a patient acts only on their own appointments",
            )

    def _cancel_policy(self, by: Actor, policy: RolePolicy | None) -> RolePolicy:
        base = policy or _POLICY
        if isinstance(by, Actor) and by.role is Role.PATIENT and by.member_id == self.patient_id:
            return base.replace(
                SUBJECT, "cancel", base.roles_for(SUBJECT, "cancel") | {Role.PATIENT}
            )
        return base

    def _apply(
        self,
        action: str,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None,
        reason: str | None = None,
        **changes: Any,
    ) -> Appointment:
        if not isinstance(by, Actor):
            raise ValidationError.single(("by",), "expected an Actor", "type")
        self._require_own(by, action)
        at = require_aware(at, "at")
        last = last_instant(self)
        if last is not None and earlier(at, last):
            raise ValidationError.single(
                ("at",), "an action cannot be dated before the previous one", "out_of_order"
            )
        return APPOINTMENT_LIFECYCLE.apply(
            self, action, by=by, at=at, reason=reason, policy=policy or _POLICY, **changes
        )

    def _change(self, action: str, by: Actor, at: pendulum.DateTime, **fields: Any) -> Appointment:
        return record_change(self, action, trail="changes", by=by, at=at, **fields)

    def _not_now(self, action: str, reason: str) -> TransitionError:
        return TransitionError(
            subject=SUBJECT,
            status=self.status.value,
            action=action,
            allowed=APPOINTMENT_LIFECYCLE.allowed_actions(self.status),
            reason=reason,
        )

    def _open_follow_up(self, action: str, by: Actor, policy: RolePolicy | None) -> NoShowFollowUp:
        self._require(by, action, policy)
        f = self.follow_up
        if self.status is not AppointmentStatus.NOSHOW or f is None or not f.is_open:
            raise self._not_now(action, "there is no open no-show follow-up")
        return f


def is_late_cancellation(start: pendulum.DateTime, at: pendulum.DateTime) -> bool:
    """APPT-002: cancelled less than 24 hours (elapsed time) before `start`."""
    return instant(start) - instant(at) < _LATE_SECONDS


# --- reschedule chains -----------------------------------------------------------------------


def reschedule_chain(
    appointments: Iterable[Appointment], appointment_id: str
) -> tuple[Appointment, ...]:
    """The reschedule chain `appointment_id` belongs to, oldest first.

    Walks both ways from any member, following ``predecessor_id`` and ``successor_id`` links
    from either side (a link recorded on one side only is still followed).  Members missing
    from `appointments` end the walk in that direction.  Raises :class:`ValidationError` for an
    unknown id, duplicate ids, a branching chain (two appointments claiming the same
    predecessor or successor) or a cycle.
    """
    by_id: dict[str, Appointment] = {}
    for i, a in enumerate(appointments):
        if not isinstance(a, Appointment):
            raise ValidationError.single((i,), "expected an Appointment", "type")
        if a.id in by_id:
            raise ValidationError.single((i, "id"), "two appointments share an id", "duplicate")
        by_id[a.id] = a
    if appointment_id not in by_id:
        raise ValidationError.single(
            ("appointment_id",), "no appointment with this id", "not_found"
        )
    nxt: dict[str, str] = {}
    prv: dict[str, str] = {}

    def link(before: str, after: str) -> None:
        if nxt.setdefault(before, after) != after or prv.setdefault(after, before) != before:
            raise ValidationError.single(
                ("appointments",), "the reschedule chain branches", "reschedule_chain"
            )

    for a in by_id.values():
        if a.successor_id is not None:
            link(a.id, a.successor_id)
        if a.predecessor_id is not None:
            link(a.predecessor_id, a.id)

    def walk(start: str, step: dict[str, str]) -> list[str]:
        out: list[str] = []
        seen = {start}
        cur = start
        while (cur := step.get(cur, "")) in by_id:
            if cur in seen:
                raise ValidationError.single(
                    ("appointments",), "the reschedule chain is a cycle", "reschedule_chain"
                )
            seen.add(cur)
            out.append(cur)
        return out

    back = walk(appointment_id, prv)
    forward = walk(appointment_id, nxt)
    ids = [*reversed(back), appointment_id, *forward]
    if len(ids) != len(set(ids)):
        raise ValidationError.single(
            ("appointments",), "the reschedule chain is a cycle", "reschedule_chain"
        )
    return tuple(by_id[i] for i in ids)


# --- rules and findings ----------------------------------------------------------------------

_UW: Final = (
    "UW Health policy 3.3.3 https://uconnect.wisc.edu/cosmos/swiftbot/policies/clinical/"
    "uw-health-clinical/med-records/communication/333.policy"
)
_FHIR: Final = "FHIR R4 Appointment http://hl7.org/fhir/R4/appointment.html"
_NOSHOW: Final = (
    "https://d2hassets.madcapsoftware.com/sample-output/medical-handbook/Documents/"
    "appointmentstatuschange.htm ; UCSC SHS http://shs-manual.ucsc.edu/policy/"
    "missed-appointment-no-show"
)
_REMIND: Final = (
    "https://www.medicalmutual.com/risk/practice-tips/tip/appointment-management/36 ; "
    "https://support.findhelp.com/hc/en-us/articles/360051844492-Referral-Notifications"
)

#: The soft rules of appointments (findings, nothing refused).
APPOINTMENT_RULES: Final = (
    Rule(
        code="APPT-LATE-CANCEL",
        severity=Severity.INFO,
        summary="cancelled less than 24 hours before the start: a late cancellation, "
        "not a no-show",
        source=f"domain.md APPT-002, APPT-T01; {_UW}",
    ),
    Rule(
        code="APPT-NOSHOW-FOLLOWUP-OPEN",
        severity=Severity.INFO,
        summary="a no-show follow-up is open: notify the responsible clinician, make at least "
        "two contact attempts",
        source=f"domain.md APPT-003, APPT-T02; {_NOSHOW}",
    ),
    Rule(
        code="APPT-FOLLOWUP-OVERDUE",
        severity=Severity.WARNING,
        summary="a no-show follow-up has no contact attempt and no clinician decision after the "
        "day it was opened",
        source=f"domain.md APPT-003 (notify the clinician the same day); {_NOSHOW}",
    ),
    Rule(
        code="APPT-NOSHOW-BEFORE-DAY-END",
        severity=Severity.WARNING,
        summary="marked no-show before the end of the appointment's day: the patient may still "
        "notify (a late cancellation)",
        source=f"domain.md APPT-002, APPT-T01; {_UW}",
    ),
    Rule(
        code="APPT-CONFLICT",
        severity=Severity.WARNING,
        summary="overlaps another active appointment of the same patient",
        source="domain.md APPT-007 (scheduling from free/busy); careroles schedules",
    ),
    Rule(
        code="APPT-STATUS-STALE",
        severity=Severity.WARNING,
        summary="the appointment has ended but is still open: record fulfilled or no-show",
        source=f"domain.md APPT-001, APPT-T01; {_FHIR}",
    ),
    Rule(
        code="APPT-PARTICIPANT-DECLINED",
        severity=Severity.WARNING,
        summary="a required participant declined a booked appointment",
        source=f"fhir.md §1.1 (decline or cancel flow); {_FHIR}",
    ),
    Rule(
        code="APPT-REMINDER-OUTSIDE-HOURS",
        severity=Severity.WARNING,
        summary="a reminder was sent outside the patient's contact hours",
        source=f"domain.md APPT-005; {_REMIND}",
    ),
    Rule(
        code="APPT-REMINDER-DO-NOT-CONTACT",
        severity=Severity.ERROR,
        summary="a reminder was sent to a patient who chose not to be contacted",
        source=f'domain.md APPT-005 (honour "don\'t reach out"); {_REMIND}',
    ),
    Rule(
        code="APPT-REMINDER-CHANNEL",
        severity=Severity.WARNING,
        summary="a reminder was sent on a channel the patient has not agreed to",
        source=f"domain.md APPT-005 (the patient agrees to the channel); {_REMIND}",
    ),
    Rule(
        code="APPT-NO-REMINDER",
        severity=Severity.INFO,
        summary="a booked appointment starts within two days and no reminder is recorded",
        source=f"domain.md APPT-005 (reminders 1-2 days before); {_REMIND}",
    ),
)
_RULE: Final = {r.code: r for r in APPOINTMENT_RULES}

_REMINDER_HORIZON: Final = pendulum.duration(days=2)


def _end_of_local_day(instant: pendulum.DateTime) -> pendulum.DateTime:
    """The end of `instant`'s calendar day in its own zone (start of the next day)."""
    return instant.start_of("day").add(days=1)


def check_appointments(
    appointments: Sequence[Appointment],
    at: pendulum.DateTime,
    *,
    patients: Iterable[Patient] = (),
    travel_buffer: pendulum.Duration | None = None,
) -> tuple[Finding, ...]:
    """Check `appointments` at instant `at` against :data:`APPOINTMENT_RULES`.

    Paths are ``$[i]...`` into `appointments` (ids unique, else :class:`ValidationError`).
    Reminder rules run for the appointments whose patient is among `patients`.  Conflicts
    (``APPT-CONFLICT``) are reported once per pair, at the later-starting appointment, among
    appointments of the same patient that are active and have not yet ended at `at`.
    """
    from careroles.schedules import Schedule  # schedules builds on this module

    at = require_aware(at, "at")
    appts = tuple(appointments)
    seen: set[str] = set()
    for i, a in enumerate(appts):
        if not isinstance(a, Appointment):
            raise ValidationError.single((i,), "expected an Appointment", "type")
        if a.id in seen:
            raise ValidationError.single((i, "id"), "two appointments share an id", "duplicate")
        seen.add(a.id)
    by_patient = {p.id: p for p in patients}
    findings: list[tuple[int, Finding]] = []

    def add(
        i: int, code: str, path: tuple[str | int, ...] = (), message: str | None = None
    ) -> None:
        findings.append((i, _RULE[code].finding((i, *path), message)))

    for i, a in enumerate(appts):
        c = a.cancellation
        if c is not None and c.late and a.status is AppointmentStatus.CANCELLED:
            add(i, "APPT-LATE-CANCEL", ("cancellation",))
        f = a.follow_up
        if a.status is AppointmentStatus.NOSHOW and f is not None:
            if f.is_open:
                add(i, "APPT-NOSHOW-FOLLOWUP-OPEN", ("follow_up",))
                if not f.attempts and f.decision is None and at >= _end_of_local_day(f.opened_at):
                    add(i, "APPT-FOLLOWUP-OVERDUE", ("follow_up",))
            if earlier(f.opened_at, _end_of_local_day(a.start)):
                add(i, "APPT-NOSHOW-BEFORE-DAY-END", ("status",))
        if a.status in _IN_PROGRESS and not earlier(at, a.end):
            add(i, "APPT-STATUS-STALE", ("status",))
        if a.status is AppointmentStatus.BOOKED:
            for j, p in enumerate(a.participants):
                if p.required and p.status is ParticipationStatus.DECLINED:
                    add(i, "APPT-PARTICIPANT-DECLINED", ("participants", j, "status"))
        patient = by_patient.get(a.patient_id)
        if patient is not None:
            _check_reminders(i, a, patient, at, add)

    groups: dict[str, list[int]] = {}
    for i, a in enumerate(appts):
        if a.is_active and earlier(at, a.end):
            groups.setdefault(a.patient_id, []).append(i)
    for patient_id, indexes in groups.items():
        schedule = Schedule(patient_id=patient_id, appointments=tuple(appts[i] for i in indexes))
        index_of = {appts[i].id: i for i in indexes}
        for conflict in schedule.conflicts(travel_buffer):
            first, second = index_of[conflict.first_id], index_of[conflict.second_id]
            add(second, "APPT-CONFLICT", (), f"{_RULE['APPT-CONFLICT'].summary} (at $[{first}])")
    findings.sort(key=lambda pair: pair[0])
    return tuple(f for _, f in findings)


_IN_PROGRESS: Final = frozenset(
    {
        AppointmentStatus.PROPOSED,
        AppointmentStatus.PENDING,
        AppointmentStatus.BOOKED,
        AppointmentStatus.ARRIVED,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.WAITLIST,
    }
)


def _check_reminders(
    i: int, a: Appointment, patient: Patient, at: pendulum.DateTime, add: Any
) -> None:
    prefs = patient.preferences
    do_not_contact = ContactChannel.DO_NOT_CONTACT in prefs.contact_channels
    for j, reminder in enumerate(a.reminders):
        path = ("reminders", j)
        if do_not_contact:
            add(i, "APPT-REMINDER-DO-NOT-CONTACT", path)
            continue
        if prefs.contact_channels and reminder.channel not in prefs.contact_channels:
            add(i, "APPT-REMINDER-CHANNEL", (*path, "channel"))
        hours = prefs.contact_hours
        if hours is not None and not hours.allows(patient.local(reminder.at)):
            add(i, "APPT-REMINDER-OUTSIDE-HOURS", (*path, "at"))
    if (
        a.status is AppointmentStatus.BOOKED
        and not a.reminders
        and not do_not_contact
        and earlier(at, a.start)
        and not earlier(at + _REMINDER_HORIZON, a.start)
    ):
        add(i, "APPT-NO-REMINDER", ("reminders",))
