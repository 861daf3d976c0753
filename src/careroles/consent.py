"""Consent and authorization: who may receive which information, or act for the patient.

Sources (see docs/consent.md): HIPAA authorization 45 CFR 164.508 (PRIV-005..008), family
involvement 164.510(b) (PRIV-003), personal representatives 164.502(g) (PRIV-004), program
consent (CCM).  Four kinds are kept apart because the law treats them differently
(domain.md §4.2).  Deny by default: :func:`permits` answers with the basis it relied on.

Revocation takes effect from the instant it is *received* (164.508(b)(5)); what was permitted
before that instant stays permitted (reliance).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

import pendulum

from careroles._model import Record, model, sensitive
from careroles.errors import Problem
from careroles.lifecycle import Action, Lifecycle, TransitionRecord
from careroles.periods import Period, earlier, require_aware
from careroles.roles import PATIENT_SIDE, Actor, RolePolicy

__all__ = [
    "Consent",
    "ConsentDecision",
    "ConsentKind",
    "ConsentStatus",
    "DecisionReason",
    "InformationCategory",
    "Purpose",
    "CONSENT_LIFECYCLE",
    "permits",
]


class ConsentKind(enum.StrEnum):
    AUTHORIZATION = "authorization"  # 164.508: lets a covered entity disclose to a recipient
    REPRESENTATION = "representation"  # authorizes an advocate or representative to act
    FAMILY_INVOLVEMENT = "family_involvement"  # 164.510(b): agreement to involve family
    PROGRAM = "program"  # program or service consent (e.g. CCM enrolment)


class InformationCategory(enum.StrEnum):
    """Kinds of information a consent can cover (domain.md §4.3 rows)."""

    DEMOGRAPHICS = "demographics"
    CARE_PLAN = "care_plan"
    APPOINTMENTS = "appointments"
    CLINICAL = "clinical"
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes"
    SUBSTANCE_USE = "substance_use"
    BILLING = "billing"
    SOCIAL_NEEDS = "social_needs"
    ADVOCACY_CASE = "advocacy_case"
    DECISIONS = "decisions"


class Purpose(enum.StrEnum):
    TREATMENT = "treatment"
    PAYMENT = "payment"
    OPERATIONS = "operations"
    FAMILY_INVOLVEMENT = "family_involvement"
    ADVOCACY = "advocacy"
    AT_REQUEST_OF_PATIENT = "at_request_of_patient"


class ConsentStatus(enum.StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    REJECTED = "rejected"  # the patient declined: a recorded "no", not a missing consent


class DecisionReason(enum.StrEnum):
    PERMITTED = "permitted"
    NO_CONSENT = "no_consent"
    CATEGORY_NOT_COVERED = "category_not_covered"
    PURPOSE_NOT_COVERED = "purpose_not_covered"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REJECTED = "rejected"


CONSENT_LIFECYCLE: Final = Lifecycle(
    subject="consent",
    statuses=ConsentStatus,
    initial=ConsentStatus.ACTIVE,
    actions=(
        Action(
            name="revoke",
            sources=frozenset({ConsentStatus.ACTIVE}),
            target=ConsentStatus.REVOKED,
            roles=PATIENT_SIDE,
            note="effective from the instant the revocation is received",
        ),
    ),
)

_POLICY: Final = RolePolicy(CONSENT_LIFECYCLE.permissions())


@model
class ConsentDecision(Record):
    """The answer of :func:`permits`: whether, why, and which consent it rests on."""

    permitted: bool
    reason: DecisionReason
    basis: str | None = None  # the consent id relied on (or that came closest)
    kind: ConsentKind | None = None


@model
class Consent(Record):
    """A consent, authorization or representation grant from the patient's side."""

    id: str
    patient_id: str
    kind: ConsentKind
    grantor: Actor
    grantee_id: str
    categories: frozenset[InformationCategory]
    purposes: frozenset[Purpose] = frozenset()
    period: Period
    status: ConsentStatus = ConsentStatus.ACTIVE
    revoked_at: pendulum.DateTime | None = None
    note: str | None = sensitive(default=None)
    history: tuple[TransitionRecord[ConsentStatus], ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id", "grantee_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        if self.grantor.role not in PATIENT_SIDE:
            yield Problem(
                ("grantor", "role"),
                "only the patient or a personal representative grants consent",
                "grantor_role",
            )
        if not self.categories:
            yield Problem(("categories",), "at least one information category", "empty")
        if InformationCategory.PSYCHOTHERAPY_NOTES in self.categories and len(self.categories) > 1:
            yield Problem(
                ("categories",),
                "psychotherapy notes need an authorization of their own (45 CFR 164.508(a)(2))",
                "psychotherapy_notes_separate",
            )
        if self.kind is ConsentKind.AUTHORIZATION and self.period.end is None:
            yield Problem(
                ("period", "end"),
                "an authorization needs an expiration (45 CFR 164.508(c)(1)(v))",
                "expiry_required",
            )
        if (self.status is ConsentStatus.REVOKED) != (self.revoked_at is not None):
            yield Problem(("revoked_at",), "set exactly when the consent is revoked", "revocation")
        if self.revoked_at is not None and earlier(self.revoked_at, self.period.start):
            yield Problem(("revoked_at",), "revoked before it started", "revocation")
        yield from CONSENT_LIFECYCLE.check_history(self.status, self.history)

    def covers(self, category: InformationCategory) -> bool:
        return category in self.categories

    def decide(
        self,
        grantee_id: str,
        category: InformationCategory,
        at: pendulum.DateTime,
        purpose: Purpose | None = None,
    ) -> ConsentDecision:
        """Whether this consent lets `grantee_id` receive `category` at instant `at`."""
        at = require_aware(at, "at")

        def no(reason: DecisionReason) -> ConsentDecision:
            return ConsentDecision(permitted=False, reason=reason, basis=self.id, kind=self.kind)

        if grantee_id != self.grantee_id:
            return ConsentDecision(permitted=False, reason=DecisionReason.NO_CONSENT)
        if self.status is ConsentStatus.REJECTED:
            return no(DecisionReason.REJECTED)
        if self.revoked_at is not None and not earlier(at, self.revoked_at):
            return no(DecisionReason.REVOKED)
        if earlier(at, self.period.start):
            return no(DecisionReason.NOT_YET_VALID)
        if not self.period.contains(at):
            return no(DecisionReason.EXPIRED)
        if category not in self.categories:
            return no(DecisionReason.CATEGORY_NOT_COVERED)
        if purpose is not None and self.purposes and purpose not in self.purposes:
            return no(DecisionReason.PURPOSE_NOT_COVERED)
        return ConsentDecision(
            permitted=True, reason=DecisionReason.PERMITTED, basis=self.id, kind=self.kind
        )

    def revoke(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        received_at: pendulum.DateTime | None = None,
        reason: str | None = None,
        policy: RolePolicy | None = None,
    ) -> Consent:
        """Revoke; effective from `received_at` (default `at`), never retroactively."""
        effective = require_aware(received_at if received_at is not None else at, "received_at")
        return CONSENT_LIFECYCLE.apply(
            self,
            "revoke",
            by=by,
            at=at,
            reason=reason,
            policy=policy or _POLICY,
            revoked_at=effective,
        )


# How informative a denial is, when no consent permits: the closest one is reported.
_DENIAL_RANK: Final = {
    DecisionReason.NO_CONSENT: 0,
    DecisionReason.CATEGORY_NOT_COVERED: 1,
    DecisionReason.PURPOSE_NOT_COVERED: 2,
    DecisionReason.NOT_YET_VALID: 3,
    DecisionReason.EXPIRED: 4,
    DecisionReason.REJECTED: 5,
    DecisionReason.REVOKED: 6,
}


def permits(
    consents: Iterable[Consent],
    grantee_id: str,
    category: InformationCategory,
    at: pendulum.DateTime,
    *,
    purpose: Purpose | None = None,
    kinds: Iterable[ConsentKind] | None = None,
) -> ConsentDecision:
    """Whether any of `consents` lets `grantee_id` receive `category` at `at` (deny by default).

    A permitting answer names the consent it rests on; a denial names the closest consent and
    why it did not apply.
    """
    wanted = frozenset(kinds) if kinds is not None else None
    best = ConsentDecision(permitted=False, reason=DecisionReason.NO_CONSENT)
    for consent in consents:
        if wanted is not None and consent.kind not in wanted:
            continue
        decision = consent.decide(grantee_id, category, at, purpose)
        if decision.permitted:
            return decision
        if _DENIAL_RANK[decision.reason] > _DENIAL_RANK[best.reason]:
            best = decision
    return best
