"""Team communication and progress updates to the patient and family.

Two aggregates (see docs/communications.md):

* :class:`Message` — a message among care-team members (FHIR R4 ``Communication``, fhir.md
  §2.7).  Any *active* team member may send one (PRODUCT.md: "team messages — any active team
  member"), and only to active team members.  Recipients record read receipts.
* :class:`ProgressUpdate` — what changed in the plan, goals achieved, upcoming appointments and
  resources, sent by the care coordinator to the patient and family (PRODUCT.md).  Each item
  carries the :class:`~careroles.consent.InformationCategory` it belongs to; a family
  recipient receives the update only when the patient's consent covers *every* category it
  contains at the instant of sending (45 CFR 164.510(b), domain.md PRIV-003 and PRIV-T05).
  The patient needs no consent to hear about their own care.

:class:`UpdateCadence` and :func:`updates_due` say when updates are owed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Final

import pendulum

from careroles._model import Record, model, sensitive
from careroles.audit import ChangeRecord, record_change
from careroles.care_teams import CareTeam
from careroles.consent import Consent, ConsentKind, InformationCategory, permits
from careroles.errors import PermissionDenied, Problem, ValidationError
from careroles.lifecycle import Action, Guard, Lifecycle, TransitionRecord
from careroles.periods import earlier, instant, require_aware
from careroles.roles import Actor, Permission, Role, RolePolicy

__all__ = [
    "DISCLOSURE_KINDS",
    "Message",
    "PERMISSIONS",
    "PROGRESS_UPDATE_LIFECYCLE",
    "ProgressUpdate",
    "ReadReceipt",
    "RecipientKind",
    "Regarding",
    "RegardingKind",
    "UpdateCadence",
    "UpdateItem",
    "UpdateRecipient",
    "UpdateSection",
    "UpdateStatus",
    "due_instants",
    "updates_due",
]


# --- team messages ----------------------------------------------------------------------------


class RegardingKind(enum.StrEnum):
    """What a message is about (FHIR ``Communication.about``)."""

    PLAN = "plan"
    APPOINTMENT = "appointment"
    CONCERN = "concern"
    CASE = "case"


@model
class Regarding(Record):
    """A reference to the care plan, appointment, concern or advocacy case a message is about."""

    kind: RegardingKind
    id: str

    def _rules(self) -> Iterable[Problem]:
        if not self.id:
            yield Problem(("id",), "must not be empty", "empty")


@model
class ReadReceipt(Record):
    """A recipient read the message at an instant."""

    member_id: str
    at: pendulum.DateTime

    def _rules(self) -> Iterable[Problem]:
        if not self.member_id:
            yield Problem(("member_id",), "must not be empty", "empty")


#: Default role policy rows of the non-lifecycle operations of this module.
PERMISSIONS: Final = (
    Permission(
        subject="message",
        action="send",
        roles=frozenset(Role),
        note="any active team member, to active team members",
    ),
    Permission(
        subject="message",
        action="mark_read",
        roles=frozenset(Role),
        note="only a recipient, for themselves",
    ),
)
_MESSAGE_POLICY: Final = RolePolicy(PERMISSIONS)


@model
class Message(Record):
    """A message among members of one care team.  Subject and body are patient data."""

    id: str
    care_team_id: str
    sender: Actor
    recipients: tuple[str, ...]
    subject: str = sensitive()
    body: str = sensitive()
    regarding: Regarding | None = None
    in_reply_to: str | None = None
    sent_at: pendulum.DateTime
    read_receipts: tuple[ReadReceipt, ...] = ()
    history: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "care_team_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        if self.in_reply_to == "":
            yield Problem(("in_reply_to",), "must not be empty", "empty")
        if not self.recipients:
            yield Problem(("recipients",), "a message needs at least one recipient", "empty")
        seen: set[str] = set()
        for i, r in enumerate(self.recipients):
            if not r:
                yield Problem(("recipients", i), "must not be empty", "empty")
            elif r in seen:
                yield Problem(("recipients", i), "a recipient is listed twice", "duplicate")
            seen.add(r)
        readers: set[str] = set()
        for i, receipt in enumerate(self.read_receipts):
            if receipt.member_id not in seen:
                yield Problem(
                    ("read_receipts", i, "member_id"), "only a recipient reads", "not_a_recipient"
                )
            if receipt.member_id in readers:
                yield Problem(("read_receipts", i), "one read receipt per recipient", "duplicate")
            readers.add(receipt.member_id)
            if earlier(receipt.at, self.sent_at):
                yield Problem(
                    ("read_receipts", i, "at"), "read before the message was sent", "out_of_order"
                )

    @classmethod
    def send(
        cls,
        team: CareTeam,
        *,
        id: str,
        recipients: Sequence[str],
        subject: str,
        body: str,
        regarding: Regarding | None = None,
        in_reply_to: str | None = None,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Message:
        """Send a message from `by` to `recipients` (member ids) of `team`.

        Raises:
            PermissionDenied: the policy has no row for `by`'s role, or `by` is not an active
                member of `team` in that role at `at`.
            ValidationError: a recipient is not an active member of `team` at `at` (the path
                names the recipient's index, ``$.recipients[i]``), or the message is invalid.
        """
        at = require_aware(at, "at")
        if not isinstance(team, CareTeam):
            raise ValidationError.single(("team",), "expected a CareTeam", "type")
        if not isinstance(by, Actor):
            raise ValidationError.single(("by",), "expected an Actor", "type")
        (policy or _MESSAGE_POLICY).require(by, "message", "send")
        in_role = any(
            m.member_id == by.member_id and m.role is by.role for m in team.active_members(at)
        )
        if not (team.is_active(by.member_id, at) and in_role):
            raise PermissionDenied(
                role=by.role.value,
                subject="message",
                action="send",
                reason="the sender is not an active member of the care team in that role",
            )
        if type(recipients) is str:
            raise ValidationError.single(("recipients",), "expected a list of member ids", "type")
        recipients = tuple(recipients)
        problems = [
            Problem(
                ("recipients", i),
                "not an active member of the care team at that instant",
                "not_a_member",
            )
            for i, r in enumerate(recipients)
            if not (type(r) is str and team.is_active(r, at))
        ]
        if problems:
            raise ValidationError(problems, subject="Message")
        message = cls(
            id=id,
            care_team_id=team.id,
            sender=by,
            recipients=recipients,
            subject=subject,
            body=body,
            regarding=regarding,
            in_reply_to=in_reply_to,
            sent_at=at,
        )
        return record_change(message, "send", by=by, at=at)

    def read_by(self, member_id: str) -> ReadReceipt | None:
        """The read receipt of `member_id`, if they have read the message."""
        return next((r for r in self.read_receipts if r.member_id == member_id), None)

    def unread(self) -> tuple[str, ...]:
        """Recipients who have not read the message yet, in recipient order."""
        readers = {r.member_id for r in self.read_receipts}
        return tuple(r for r in self.recipients if r not in readers)

    def mark_read(
        self,
        member_id: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Message:
        """Record that recipient `member_id` read the message at `at`.

        Only the recipient records their own receipt (`by` must be that member).  Marking a
        message read again keeps the first receipt and returns the message unchanged.

        Raises:
            PermissionDenied: `by` is not `member_id`, or the policy refuses `by`'s role.
            ValidationError: `member_id` is not a recipient, or `at` is before ``sent_at``.
        """
        at = require_aware(at, "at")
        (policy or _MESSAGE_POLICY).require(by, "message", "mark_read")
        if by.member_id != member_id:
            raise PermissionDenied(
                role=by.role.value,
                subject="message",
                action="mark_read",
                reason="only the recipient records their own read receipt",
            )
        if member_id not in self.recipients:
            raise ValidationError.single(
                ("member_id",), "not a recipient of this message", "not_a_recipient"
            )
        if earlier(at, self.sent_at):
            raise ValidationError.single(
                ("at",), "read before the message was sent", "out_of_order"
            )
        if self.read_by(member_id) is not None:
            return self
        receipt = ReadReceipt(member_id=member_id, at=at)
        return record_change(
            self, "mark_read", by=by, at=at, read_receipts=(*self.read_receipts, receipt)
        )


# --- progress updates -------------------------------------------------------------------------


class UpdateStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"


class UpdateSection(enum.StrEnum):
    """The parts of a progress update (PRODUCT.md: regular progress updates)."""

    PLAN_CHANGES = "plan_changes"
    GOALS_ACHIEVED = "goals_achieved"
    UPCOMING_APPOINTMENTS = "upcoming_appointments"
    RESOURCES = "resources"


class RecipientKind(enum.StrEnum):
    PATIENT = "patient"
    CONTACT = "contact"


@model
class UpdateItem(Record):
    """One piece of a progress update, with the information category it discloses."""

    section: UpdateSection
    category: InformationCategory
    text: str = sensitive()


@model
class UpdateRecipient(Record):
    """The patient themselves, or one of the patient's contacts (family, friend, caregiver)."""

    kind: RecipientKind
    contact_id: str | None = None

    def _rules(self) -> Iterable[Problem]:
        if self.kind is RecipientKind.CONTACT and not self.contact_id:
            yield Problem(("contact_id",), "a contact recipient needs a contact id", "required")
        if self.kind is RecipientKind.PATIENT and self.contact_id is not None:
            yield Problem(
                ("contact_id",), "the patient as recipient has no contact id", "not_allowed"
            )


def _has_recipients(update: ProgressUpdate, at: pendulum.DateTime) -> bool:
    return bool(update.recipients)


def _has_items(update: ProgressUpdate, at: pendulum.DateTime) -> bool:
    return bool(update.items)


#: draft → sent; only a care coordinator sends (PRODUCT.md default division of responsibility).
PROGRESS_UPDATE_LIFECYCLE: Final = Lifecycle(
    subject="progress_update",
    statuses=UpdateStatus,
    initial=UpdateStatus.DRAFT,
    actions=(
        Action(
            name="send",
            sources=frozenset({UpdateStatus.DRAFT}),
            target=UpdateStatus.SENT,
            roles=frozenset({Role.CARE_COORDINATOR}),
            guards=(
                Guard("has_recipients", _has_recipients, "an update needs a recipient"),
                Guard("has_items", _has_items, "an update needs at least one item"),
            ),
            note="family recipients only with the patient's consent for every category",
        ),
    ),
)
_UPDATE_POLICY: Final = RolePolicy(PROGRESS_UPDATE_LIFECYCLE.permissions())

#: Consent kinds that let a contact receive information (a program consent does not).
DISCLOSURE_KINDS: Final = frozenset(
    {ConsentKind.FAMILY_INVOLVEMENT, ConsentKind.AUTHORIZATION, ConsentKind.REPRESENTATION}
)


@model
class ProgressUpdate(Record):
    """A progress update about one care plan, to the patient and (with consent) family."""

    id: str
    patient_id: str
    plan_id: str
    author: Actor
    recipients: tuple[UpdateRecipient, ...] = ()
    items: tuple[UpdateItem, ...] = ()
    sent_at: pendulum.DateTime | None = None
    status: UpdateStatus = UpdateStatus.DRAFT
    history: tuple[TransitionRecord[UpdateStatus], ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id", "plan_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        seen: set[tuple[RecipientKind, str | None]] = set()
        for i, r in enumerate(self.recipients):
            key = (r.kind, r.contact_id)
            if key in seen:
                yield Problem(("recipients", i), "a recipient is listed twice", "duplicate")
            seen.add(key)
        if (self.status is UpdateStatus.SENT) != (self.sent_at is not None):
            yield Problem(("sent_at",), "set exactly when the update is sent", "sent_at")
        elif self.sent_at is not None and not self.history:
            yield Problem(("history",), "a sent update records its sending", "chain")
        elif self.sent_at is not None and self.history[-1].at != self.sent_at:
            yield Problem(("sent_at",), "differs from the recorded sending", "sent_at")
        yield from PROGRESS_UPDATE_LIFECYCLE.check_history(self.status, self.history)

    @property
    def categories(self) -> frozenset[InformationCategory]:
        """The information categories the update discloses (those of its items)."""
        return frozenset(item.category for item in self.items)

    def contact_ids(self) -> tuple[str, ...]:
        """The contact recipients' ids, in recipient order."""
        return tuple(r.contact_id for r in self.recipients if r.contact_id is not None)

    def missing_consent(
        self, consents: Iterable[Consent], at: pendulum.DateTime
    ) -> tuple[tuple[int, InformationCategory], ...]:
        """(recipient index, category) pairs the patient's consent does not cover at `at`.

        Only consents of this update's patient and of a :data:`DISCLOSURE_KINDS` kind count.
        The patient as recipient needs none.  Sorted by recipient index, then category.
        """
        at = require_aware(at, "at")
        given = tuple(consents)
        for i, c in enumerate(given):
            if not isinstance(c, Consent):
                raise ValidationError.single(("consents", i), "expected a Consent", "type")
        own = tuple(c for c in given if c.patient_id == self.patient_id)
        categories = sorted(self.categories)
        out: list[tuple[int, InformationCategory]] = []
        for i, r in enumerate(self.recipients):
            if r.kind is RecipientKind.PATIENT or r.contact_id is None:
                continue
            for category in categories:
                if not permits(own, r.contact_id, category, at, kinds=DISCLOSURE_KINDS).permitted:
                    out.append((i, category))
        return tuple(out)

    def send(
        self,
        *,
        consents: Iterable[Consent] = (),
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> ProgressUpdate:
        """Send the update at `at`.

        Raises:
            PermissionDenied: `by`'s role may not send updates (default: only a care
                coordinator), or a family recipient lacks the patient's consent for a category
                the update contains at `at` (the message names each missing category and the
                recipient's index, never the person).
            TransitionError: already sent, or no recipient or no item.
        """
        at = require_aware(at, "at")
        rules = policy or _UPDATE_POLICY
        rules.require(by, PROGRESS_UPDATE_LIFECYCLE.subject, "send")
        missing = self.missing_consent(consents, at)
        if missing:
            listed = ", ".join(f"{c.value} ($.recipients[{i}])" for i, c in missing)
            raise PermissionDenied(
                role=by.role.value,
                subject=PROGRESS_UPDATE_LIFECYCLE.subject,
                action="send",
                reason=f"the patient's consent does not cover {listed} for a family recipient",
            )
        return PROGRESS_UPDATE_LIFECYCLE.apply(
            self, "send", by=by, at=at, policy=rules, sent_at=at
        )


# --- cadence ----------------------------------------------------------------------------------


def _calendar_multiple(
    start: pendulum.DateTime, every: pendulum.Duration, k: int
) -> pendulum.DateTime:
    return start.add(
        years=k * every.years,
        months=k * every.months,
        weeks=k * every.weeks,
        days=k * every.remaining_days,
        hours=k * every.hours,
        minutes=k * every.minutes,
        seconds=k * every.remaining_seconds,
        microseconds=k * every.microseconds,
    )


@model
class UpdateCadence(Record):
    """How often a plan's progress updates are owed: every `every`, counted from `start`.

    Due instants are ``start + k * every`` for k = 1, 2, …, computed from `start` (never
    cumulatively) in `start`'s own time zone: calendar parts (years, months, weeks, days) keep
    the wall-clock time across DST changes, and a month from 31 January is 28/29 February, two
    months is 31 March.  `until` (exclusive) ends the cadence, e.g. when the plan completes.
    `every` is at least one day.
    """

    plan_id: str
    every: pendulum.Duration
    start: pendulum.DateTime
    until: pendulum.DateTime | None = None

    def _rules(self) -> Iterable[Problem]:
        if not self.plan_id:
            yield Problem(("plan_id",), "must not be empty", "empty")
        calendar_months = self.every.years * 12 + self.every.months
        negative = calendar_months < 0 or self.every.total_seconds() < 0
        if negative or (calendar_months == 0 and self.every.total_seconds() < 86_400):
            yield Problem(("every",), "a cadence is at least one day", "range")
        if self.until is not None and not earlier(self.start, self.until):
            yield Problem(("until",), "the cadence must end after it starts", "period_inverted")

    def due_at(self, k: int) -> pendulum.DateTime:
        """The k-th due instant (k ≥ 1); k = 0 is `start`."""
        return _calendar_multiple(self.start, self.every, k)


def due_instants(
    cadence: UpdateCadence, as_of: pendulum.DateTime
) -> tuple[pendulum.DateTime, ...]:
    """Every due instant of `cadence` at or before `as_of` (and before ``cadence.until``)."""
    as_of = require_aware(as_of, "as_of")
    if not isinstance(cadence, UpdateCadence):
        raise ValidationError.single(("cadence",), "expected an UpdateCadence", "type")
    out: list[pendulum.DateTime] = []
    k = 1
    while True:
        due = cadence.due_at(k)
        if earlier(as_of, due) or (cadence.until is not None and not earlier(due, cadence.until)):
            return tuple(out)
        out.append(due)
        k += 1


def updates_due(
    cadence: UpdateCadence,
    updates: Iterable[ProgressUpdate],
    as_of: pendulum.DateTime,
) -> tuple[pendulum.DateTime, ...]:
    """The due instants of `cadence` reached by `as_of` that no sent update covers, in order.

    Semantics (docs/communications.md):

    * Due instants are ``d_k = start + k * every`` (k ≥ 1, see :class:`UpdateCadence`), those
      with ``d_k <= as_of`` and ``d_k < until`` count.  ``d_0`` is ``start``.
    * ``d_k`` is *covered* by an update of the cadence's plan whose status is ``sent`` and whose
      ``sent_at`` falls in the window ``(d_{k-1}, d_k]`` (for k = 1: ``[start, d_1]``) and at
      or before `as_of`.  An update sent exactly at a due instant is on time for it.
    * Each update covers at most one due instant; a late update (after ``d_k``) counts for the
      next one, so a missed instant stays reported: the result is the record of missed
      updates, the last element being the most recent.
    * Drafts, updates of other plans and updates sent after `as_of` are ignored.
    """
    as_of = require_aware(as_of, "as_of")
    if not isinstance(cadence, UpdateCadence):
        raise ValidationError.single(("cadence",), "expected an UpdateCadence", "type")
    given = tuple(updates)
    for i, u in enumerate(given):
        if not isinstance(u, ProgressUpdate):
            raise ValidationError.single(("updates", i), "expected a ProgressUpdate", "type")
    sent = sorted(
        (
            u.sent_at
            for u in given
            if u.plan_id == cadence.plan_id
            and u.status is UpdateStatus.SENT
            and u.sent_at is not None
            and not earlier(as_of, u.sent_at)
        ),
        key=instant,
    )
    out: list[pendulum.DateTime] = []
    previous = cadence.start
    j = 0  # index of the first sent instant not yet consumed by an earlier window
    for k, due in enumerate(due_instants(cadence, as_of), start=1):
        # skip updates at or before the window's (open) lower bound
        while j < len(sent) and (
            earlier(sent[j], previous) or (k > 1 and not earlier(previous, sent[j]))
        ):
            j += 1
        if j < len(sent) and not earlier(due, sent[j]):
            while j < len(sent) and not earlier(due, sent[j]):
                j += 1
        else:
            out.append(due)
        previous = due
    return tuple(out)
