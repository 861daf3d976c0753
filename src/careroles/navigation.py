"""Navigation: education given to the patient, and referrals that remove barriers to access.

* An :class:`EducationRecord` says which resource (about rights, options, a condition) was
  given, in which language, when and by whom.  :func:`education_findings` flags education
  given in a language other than the patient's preferred one (PRODUCT.md: the advocate
  educates about rights and options; language access is a Gravity SDOH domain, SDOH-001).
* A :class:`Referral` sends the patient to a service for the :class:`Barrier` s it addresses.
  Its lifecycle (:data:`REFERRAL_LIFECYCLE`) follows the Gravity Project's referral Task
  statuses (HL7 SDOH Clinical Care IG, SDOH-004) with the real-world outcome statuses of
  findhelp as its business status (SDOH-006); an outbound referral to a community organisation
  needs the patient's consent to share social-needs information (PRIV-013, SDOH-T01).
* :func:`disparities_report` counts barriers by kind and how many were resolved, per group of
  patients, as plain rows a notebook can tabulate.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import pendulum

from careroles._model import Record, model, sensitive
from careroles.audit import ChangeRecord, record_change
from careroles.consent import Consent, InformationCategory, permits
from careroles.errors import PermissionDenied, Problem, ValidationError
from careroles.findings import Finding, Rule, Severity
from careroles.lifecycle import Action, Lifecycle, TransitionRecord
from careroles.patients import Preferences
from careroles.roles import PATIENT_SIDE, Actor, Permission, Role, RolePolicy

__all__ = [
    "PERMISSIONS",
    "REFERRAL_LIFECYCLE",
    "NAVIGATION_RULES",
    "Barrier",
    "EducationRecord",
    "Referral",
    "ReferralOutcome",
    "ReferralStatus",
    "disparities_report",
    "education_findings",
]

SUBJECT: Final = "referral"


class Barrier(enum.StrEnum):
    TRANSPORT = "transport"
    LANGUAGE = "language"
    COST = "cost"
    DIGITAL_ACCESS = "digital_access"
    DISABILITY = "disability"
    HOUSING = "housing"
    FOOD = "food"
    CHILDCARE = "childcare"
    OTHER = "other"


class ReferralStatus(enum.StrEnum):
    """FHIR Task status codes used by the Gravity referral workflow (SDOH-004)."""

    DRAFT = "draft"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    FAILED = "failed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered-in-error"


class ReferralOutcome(enum.StrEnum):
    """What happened for the patient (findhelp referral statuses, SDOH-006)."""

    NOT_UPDATED = "not_updated"
    NEEDS_CLIENT_ACTION = "needs_client_action"
    PENDING = "pending"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    ELIGIBLE = "eligible"
    GOT_HELP = "got_help"
    COULDNT_CONTACT = "couldnt_contact"
    NOT_ELIGIBLE = "not_eligible"
    NO_CAPACITY = "no_capacity"
    COULDNT_GET_HELP = "couldnt_get_help"
    NO_LONGER_INTERESTED = "no_longer_interested"


# --- education -------------------------------------------------------------------------------


@model
class EducationRecord(Record):
    """A resource given to the patient: what, about which topic, in which language, by whom.

    `topic` is a snake_case label (``"appeal_rights"``, ``"medicare_part_d"``).  Aggregate root.
    """

    id: str
    patient_id: str
    resource_id: str
    topic: str
    language: str
    delivered_at: pendulum.DateTime
    delivered_by: Actor
    interpreter_used: bool = False
    note: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id", "resource_id", "topic"):
            if not getattr(self, name).strip():
                yield Problem((name,), "must not be empty", "empty")
        if not self.language or not self.language.replace("-", "").isalnum():
            yield Problem(("language",), "expected a BCP 47 language tag such as 'es'", "format")


NAVIGATION_RULES: Final = (
    Rule(
        code="NAV-001",
        severity=Severity.WARNING,
        summary="education given in a language other than the patient's preferred language",
        source="domain.md SDOH-001 (language-access domain, Gravity SDOH Category value set) "
        "https://build.fhir.org/ig/HL7/fhir-sdoh-clinicalcare/ ; 45 CFR 92.201 "
        "(language assistance, Section 1557) https://www.ecfr.gov/current/title-45/part-92",
    ),
)
_LANGUAGE_RULE: Final = NAVIGATION_RULES[0]


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].casefold()


def education_findings(
    records: Iterable[EducationRecord], preferences: Preferences
) -> tuple[Finding, ...]:
    """Flag records in another language than the preferred one (``es-MX`` matches ``es``).

    A record given through an interpreter is not flagged.
    """
    if not isinstance(preferences, Preferences):
        raise ValidationError.single(("preferences",), "expected Preferences", "type")
    out = []
    for i, r in enumerate(records):
        if not isinstance(r, EducationRecord):
            raise ValidationError.single(("records", i), "expected an EducationRecord", "type")
        if _primary(r.language) != _primary(preferences.language) and not r.interpreter_used:
            out.append(_LANGUAGE_RULE.finding(("records", i, "language")))
    return tuple(out)


# --- referrals -------------------------------------------------------------------------------

#: Requester side (SDOH-004 "requester"): who refers.
_REQUESTERS: Final = frozenset(
    {Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE, Role.TREATING_PROVIDER}
)
#: Who records the performing organisation's responses (it has no role on the team).
_RECORDERS: Final = frozenset({Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE})

_S = ReferralStatus
REFERRAL_LIFECYCLE: Final = Lifecycle(
    subject=SUBJECT,
    statuses=ReferralStatus,
    initial=_S.DRAFT,
    actions=(
        Action(
            name="request",
            sources=frozenset({_S.DRAFT}),
            target=_S.REQUESTED,
            roles=_REQUESTERS,
            note="requester; needs the patient's consent to share social needs (SDOH-T01)",
        ),
        Action(
            name="accept",
            sources=frozenset({_S.REQUESTED}),
            target=_S.ACCEPTED,
            roles=_RECORDERS,
            note="responder's action, recorded on its report",
        ),
        Action(
            name="reject",
            sources=frozenset({_S.REQUESTED}),
            target=_S.REJECTED,
            roles=_RECORDERS,
            requires_reason=True,
            note="responder's action, recorded on its report",
        ),
        Action(
            name="start",
            sources=frozenset({_S.ACCEPTED, _S.ON_HOLD}),
            target=_S.IN_PROGRESS,
            roles=_RECORDERS,
            note="responder's action, recorded on its report",
        ),
        Action(
            name="hold",
            sources=frozenset({_S.ACCEPTED, _S.IN_PROGRESS}),
            target=_S.ON_HOLD,
            roles=_RECORDERS,
            note="responder's action, recorded on its report",
        ),
        Action(
            name="fail",
            sources=frozenset({_S.ACCEPTED, _S.IN_PROGRESS, _S.ON_HOLD}),
            target=_S.FAILED,
            roles=_RECORDERS,
            requires_reason=True,
            note="responder's action, recorded on its report",
        ),
        Action(
            name="complete",
            sources=frozenset({_S.IN_PROGRESS}),
            target=_S.COMPLETED,
            roles=_RECORDERS,
            note="responder's action; the outcome is recorded with it",
        ),
        Action(
            name="cancel",
            sources=frozenset({_S.DRAFT, _S.REQUESTED, _S.ACCEPTED, _S.IN_PROGRESS, _S.ON_HOLD}),
            target=_S.CANCELLED,
            roles=frozenset({*_REQUESTERS, *PATIENT_SIDE}),
            note="either side (SDOH-004); the patient may always decline a referral",
        ),
        Action(
            name="mark_entered_in_error",
            sources=frozenset(set(_S) - {_S.ENTERED_IN_ERROR}),
            target=_S.ENTERED_IN_ERROR,
            roles=_REQUESTERS,
            requires_reason=True,
        ),
    ),
)

#: Rows of the named operations that are not status transitions.
PERMISSIONS: Final = (Permission(subject=SUBJECT, action="record_outcome", roles=_RECORDERS),)

_POLICY: Final = RolePolicy.of(REFERRAL_LIFECYCLE.permissions(), PERMISSIONS)

#: Outcomes that mean the barrier was removed.
_RESOLVED_OUTCOMES: Final = frozenset({ReferralOutcome.GOT_HELP})


@model
class Referral(Record):
    """A referral to a service for the barriers it addresses.  Aggregate root.

    `performer_id` is the organisation asked to help (the grantee of the patient's consent);
    `service` describes the service sought.
    """

    id: str
    patient_id: str
    service: str = sensitive()
    performer_id: str | None = None
    barriers: frozenset[Barrier]
    requested_by: Actor
    created_at: pendulum.DateTime
    outcome: ReferralOutcome = ReferralOutcome.NOT_UPDATED
    status: ReferralStatus = ReferralStatus.DRAFT
    history: tuple[TransitionRecord[ReferralStatus], ...] = ()
    changes: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        if not self.barriers:
            yield Problem(("barriers",), "a referral addresses at least one barrier", "empty")
        if self.requested_by.role not in _REQUESTERS:
            yield Problem(
                ("requested_by", "role"),
                "referred by a care coordinator, patient advocate or treating provider",
                "requester_role",
            )
        if self.performer_id is not None and not self.performer_id:
            yield Problem(("performer_id",), "must not be empty when given", "empty")
        if self.status not in (_S.DRAFT, _S.CANCELLED, _S.ENTERED_IN_ERROR) and not (
            self.performer_id
        ):
            yield Problem(("performer_id",), "a sent referral names who performs it", "missing")
        if self.status is _S.COMPLETED and self.outcome is ReferralOutcome.NOT_UPDATED:
            yield Problem(("outcome",), "a completed referral records its outcome", "missing")
        if self.history and self.history[0].at.timestamp() < self.created_at.timestamp():
            yield Problem(("history", 0, "at"), "dated before the referral was made", "order")
        yield from REFERRAL_LIFECYCLE.check_history(self.status, self.history)

    @property
    def resolved(self) -> bool:
        """Completed, and the patient got help: the barriers it addresses were removed."""
        return self.status is _S.COMPLETED and self.outcome in _RESOLVED_OUTCOMES

    # --- operations ------------------------------------------------------------------------

    def request(
        self,
        *,
        consents: Iterable[Consent],
        by: Actor,
        at: pendulum.DateTime,
        performer_id: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Referral:
        """Send the referral; the performer must hold the patient's consent to receive
        social-needs information (PRIV-013, SDOH-T01)."""
        pol = policy or _POLICY
        pol.require(by, SUBJECT, "request")
        performer = performer_id if performer_id is not None else self.performer_id
        if not performer:
            raise ValidationError.single(
                ("performer_id",), "a sent referral names who performs it", "missing"
            )
        relevant = [c for c in consents if c.patient_id == self.patient_id]
        decision = permits(relevant, performer, InformationCategory.SOCIAL_NEEDS, at)
        if not decision.permitted:
            raise PermissionDenied(
                role=by.role.value,
                subject=SUBJECT,
                action="request",
                reason="no consent from the patient to share social needs with the performer "
                f"({decision.reason.value})",
            )
        return REFERRAL_LIFECYCLE.apply(
            self, "request", by=by, at=at, policy=pol, performer_id=performer
        )

    def accept(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(self, "accept", by=by, at=at, policy=policy or _POLICY)

    def reject(
        self, *, by: Actor, at: pendulum.DateTime, reason: str, policy: RolePolicy | None = None
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(
            self, "reject", by=by, at=at, reason=reason, policy=policy or _POLICY
        )

    def start(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(self, "start", by=by, at=at, policy=policy or _POLICY)

    def hold(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(self, "hold", by=by, at=at, policy=policy or _POLICY)

    def fail(
        self, *, by: Actor, at: pendulum.DateTime, reason: str, policy: RolePolicy | None = None
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(
            self, "fail", by=by, at=at, reason=reason, policy=policy or _POLICY
        )

    def complete(
        self,
        outcome: ReferralOutcome,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(
            self, "complete", by=by, at=at, policy=policy or _POLICY, outcome=outcome
        )

    def cancel(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(
            self, "cancel", by=by, at=at, reason=reason, policy=policy or _POLICY
        )

    def mark_entered_in_error(
        self, *, by: Actor, at: pendulum.DateTime, reason: str, policy: RolePolicy | None = None
    ) -> Referral:
        return REFERRAL_LIFECYCLE.apply(
            self, "mark_entered_in_error", by=by, at=at, reason=reason, policy=policy or _POLICY
        )

    def record_outcome(
        self,
        outcome: ReferralOutcome,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Referral:
        """Update the business status (what happened for the patient) at any time."""
        (policy or _POLICY).require(by, SUBJECT, "record_outcome")
        if self.status is _S.ENTERED_IN_ERROR:
            raise ValidationError.single(
                ("status",), "an entered-in-error referral takes no outcome", "entered_in_error"
            )
        return record_change(
            self, "record_outcome", trail="changes", by=by, at=at, outcome=outcome
        )


# --- the disparities report ------------------------------------------------------------------

GroupBy = Mapping[str, str] | Callable[[str], str]


def _grouper(group_by: GroupBy | None) -> Callable[[str], str]:
    if group_by is None:
        return lambda _patient_id: "all"
    if callable(group_by):
        return group_by
    if isinstance(group_by, Mapping):
        mapping = group_by
        return lambda patient_id: mapping.get(patient_id, "unknown")
    raise ValidationError.single(("group_by",), "expected a mapping or a function", "type")


def disparities_report(
    records_by_patient: Mapping[str, Iterable[Referral]],
    group_by: GroupBy | None = None,
) -> list[dict[str, Any]]:
    """Barriers by kind and how many were resolved, per group of patients.

    `records_by_patient` maps a patient id to that patient's referrals; `group_by` maps a
    patient id to a group label (a mapping, or a function; default: one group ``"all"``;
    patients missing from a mapping fall in ``"unknown"``).  Referrals entered in error are left
    out.  One row per (group, barrier) seen, sorted::

        {"group", "barrier", "patients", "referrals", "resolved", "resolved_share"}

    `resolved_share` is a Decimal (resolved / referrals), rounded to 0.001.
    """
    if not isinstance(records_by_patient, Mapping):
        raise ValidationError.single(
            ("records_by_patient",), "expected a mapping of patient id to referrals", "type"
        )
    group_of = _grouper(group_by)
    counts: dict[tuple[str, Barrier], dict[str, Any]] = {}
    for patient_id, referrals in records_by_patient.items():
        group = str(group_of(patient_id))
        for i, referral in enumerate(referrals):
            if not isinstance(referral, Referral):
                raise ValidationError.single(
                    ("records_by_patient", str(patient_id), i), "expected a Referral", "type"
                )
            if referral.status is _S.ENTERED_IN_ERROR:
                continue
            for barrier in referral.barriers:
                row = counts.setdefault(
                    (group, barrier),
                    {"patients": set(), "referrals": 0, "resolved": 0},
                )
                row["patients"].add(patient_id)
                row["referrals"] += 1
                row["resolved"] += referral.resolved
    out = []
    for (group, barrier), row in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        share = (Decimal(row["resolved"]) / Decimal(row["referrals"])).quantize(Decimal("0.001"))
        out.append(
            {
                "group": group,
                "barrier": barrier.value,
                "patients": len(row["patients"]),
                "referrals": row["referrals"],
                "resolved": row["resolved"],
                "resolved_share": share,
            }
        )
    return out
