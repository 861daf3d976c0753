"""Advocacy cases: matters the patient advocate pursues with a counterparty for the patient.

An :class:`AdvocacyCase` is an insurance appeal, an external review, a billing or surprise-bill
dispute, a records request or amendment, a workplace accommodation, a complaint to a regulator,
a care-quality grievance or benefits navigation, pursued with a :class:`Counterparty` (provider,
insurer, employer, regulator).  It keeps an interaction log (who, when, reference number,
statements), documents by reference, deadlines computed by :mod:`careroles.deadlines`, a
service agreement and the outcome of each decision.

Its lifecycle (:data:`ADVOCACY_CASE_LIFECYCLE`) follows domain.md §3.2, from the CMSA
case-management process and the professional advocates' codes, with these guards:

* ``intake → engaged`` needs a signed service agreement in force, stating scope, fees, term and
  termination criteria (ADV-020, ADV-T07), and the patient's authorization to represent
  (ADV-022);
* ``planned`` needs the coverage regime for insurance matters (ADV-001, ADV-T07) and computed
  deadlines (domain.md §3.2);
* no contact with a counterparty and no filing without the patient's authorization to represent
  (a ``representation`` consent, checked with :func:`careroles.consent.permits`), refused with
  :class:`~careroles.errors.PermissionDenied` naming the role and action (PRODUCT.md);
* a missed decision clock moves an awaited case to ``decision_overdue`` (DL-008, DL-T14);
* the advocate never becomes the decision-maker: whether to pursue the next level or accept a
  decision is the patient's (or personal representative's) call (ADV-030);
* the patient, the personal representative or the advocate may withdraw at any time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import pendulum

from careroles._model import Record, evolve, model, sensitive
from careroles.audit import ChangeRecord, record_change
from careroles.consent import Consent, ConsentKind, InformationCategory, permits
from careroles.deadlines import Clock, CoverageRegime, Deadline, OverdueDecision, escalation_due
from careroles.errors import PermissionDenied, Problem, TransitionError, ValidationError
from careroles.findings import Finding, Rule, Severity
from careroles.lifecycle import Action, Guard, Lifecycle, TransitionRecord
from careroles.patients import ContactPoint
from careroles.periods import Period, earlier, instant, require_aware
from careroles.roles import PATIENT_SIDE, Actor, Permission, Role, RolePolicy

__all__ = [
    "ADVOCACY_CASE_LIFECYCLE",
    "INSURANCE_KINDS",
    "PERMISSIONS",
    "AdvocacyCase",
    "CaseDeadline",
    "CaseKind",
    "CaseOutcome",
    "CaseStatus",
    "Counterparty",
    "CounterpartyKind",
    "DocumentKind",
    "DocumentRef",
    "FeeBasis",
    "Filing",
    "Identifier",
    "Interaction",
    "InteractionChannel",
    "InteractionOutcome",
    "OutcomeResult",
    "ServiceAgreement",
    "ADVOCACY_RULES",
    "case_findings",
    "deadlines_due",
    "decision_overdue",
    "open_case",
    "missed_decision_deadlines",
]

SUBJECT: Final = "advocacy_case"


class CaseKind(enum.StrEnum):
    INSURANCE_APPEAL = "insurance_appeal"
    EXTERNAL_REVIEW = "external_review"
    BILLING_DISPUTE = "billing_dispute"
    SURPRISE_BILL_DISPUTE = "surprise_bill_dispute"
    RECORDS_ACCESS = "records_access"
    RECORDS_AMENDMENT = "records_amendment"
    WORKPLACE_ACCOMMODATION = "workplace_accommodation"
    REGULATORY_COMPLAINT = "regulatory_complaint"
    CARE_QUALITY_GRIEVANCE = "care_quality_grievance"
    BENEFITS_NAVIGATION = "benefits_navigation"


#: Kinds whose deadlines depend on the coverage regime: it must be known before planning
#: (ADV-001: route first, never guess).
INSURANCE_KINDS: Final = frozenset(
    {CaseKind.INSURANCE_APPEAL, CaseKind.EXTERNAL_REVIEW, CaseKind.SURPRISE_BILL_DISPUTE}
)


class CaseStatus(enum.StrEnum):
    INTAKE = "intake"
    ENGAGED = "engaged"
    ASSESSING = "assessing"
    PLANNED = "planned"
    FILED = "filed"
    AWAITING_DECISION = "awaiting_decision"
    MORE_INFO_REQUESTED = "more_info_requested"
    DECISION_OVERDUE = "decision_overdue"
    ESCALATED = "escalated"
    RESOLVED_FAVORABLE = "resolved_favorable"
    RESOLVED_PARTIAL = "resolved_partial"
    RESOLVED_ADVERSE = "resolved_adverse"
    EFFECTUATION_CHECK = "effectuation_check"
    NEXT_LEVEL_DECISION = "next_level_decision"
    CLOSED = "closed"
    DECLINED = "declined"
    REFERRED_OUT = "referred_out"
    WITHDRAWN = "withdrawn"
    ON_HOLD = "on_hold"
    CLOSED_NO_RESPONSE = "closed_no_response"


class CounterpartyKind(enum.StrEnum):
    PROVIDER = "provider"
    INSURER = "insurer"
    EMPLOYER = "employer"
    REGULATOR = "regulator"


class InteractionChannel(enum.StrEnum):
    PHONE = "phone"
    FAX = "fax"
    MAIL = "mail"
    EMAIL = "email"
    PORTAL = "portal"
    IN_PERSON = "in_person"
    VIDEO = "video"


class InteractionOutcome(enum.StrEnum):
    COMPLETED = "completed"
    INFORMATION_RECEIVED = "information_received"
    INFORMATION_REQUESTED = "information_requested"
    CALLBACK_PROMISED = "callback_promised"
    LEFT_MESSAGE = "left_message"
    NO_ANSWER = "no_answer"
    REFUSED = "refused"


class DocumentKind(enum.StrEnum):
    DENIAL_NOTICE = "denial_notice"
    DECISION_NOTICE = "decision_notice"
    APPEAL_LETTER = "appeal_letter"
    CLAIM_FILE = "claim_file"
    PLAN_DOCUMENT = "plan_document"
    MEDICAL_RECORDS = "medical_records"
    BILL = "bill"
    GOOD_FAITH_ESTIMATE = "good_faith_estimate"
    EXPLANATION_OF_BENEFITS = "explanation_of_benefits"
    SERVICE_AGREEMENT = "service_agreement"
    AUTHORIZATION = "authorization"
    PROOF_OF_SUBMISSION = "proof_of_submission"
    INTERIM_NOTICE = "interim_notice"  #: "still working on it; written response by …" (ADV-T08)
    CORRESPONDENCE = "correspondence"
    OTHER = "other"


class FeeBasis(enum.StrEnum):
    PRO_BONO = "pro_bono"
    HOURLY = "hourly"
    FLAT = "flat"
    RETAINER = "retainer"
    PAID_BY_THIRD_PARTY = "paid_by_third_party"


class OutcomeResult(enum.StrEnum):
    FAVORABLE = "favorable"
    PARTIAL = "partial"
    ADVERSE = "adverse"


# --- parts -----------------------------------------------------------------------------------


@model
class Identifier(Record):
    """An identifier of a counterparty in a system: NPI, payer id, EIN, a regulator's docket."""

    system: str
    value: str

    def _rules(self) -> Iterable[Problem]:
        for name in ("system", "value"):
            if not getattr(self, name).strip():
                yield Problem((name,), "must not be empty", "empty")


@model
class Counterparty(Record):
    """Whom the advocate deals with for the patient."""

    id: str
    kind: CounterpartyKind
    name: str = sensitive()
    identifiers: tuple[Identifier, ...] = ()
    contact: tuple[ContactPoint, ...] = sensitive(default=())

    def _rules(self) -> Iterable[Problem]:
        if not self.id:
            yield Problem(("id",), "must not be empty", "empty")


@model
class Interaction(Record):
    """One entry of the call log: when, how, with whom, what was said, what comes next."""

    at: pendulum.DateTime
    channel: InteractionChannel
    by: Actor
    counterparty_id: str | None = None
    party: str | None = sensitive(default=None)
    summary: str = sensitive()
    outcome: InteractionOutcome
    next_step: str | None = sensitive(default=None)
    reference_number: str | None = None
    authorization_basis: str | None = None

    def _rules(self) -> Iterable[Problem]:
        if not self.summary.strip():
            yield Problem(("summary",), "an interaction needs a summary", "empty")


@model
class DocumentRef(Record):
    """A document held elsewhere, by reference (`ref`: a URI or a document-store key).

    `dated` is the date printed on it (notices: the date many clocks start from, DL-001);
    `response_by` is the response date an interim notice promises (ADV-T08).
    """

    id: str
    kind: DocumentKind
    ref: str
    received_at: pendulum.DateTime | None = None
    dated: pendulum.Date | None = None
    response_by: pendulum.Date | None = None

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "ref"):
            if not getattr(self, name).strip():
                yield Problem((name,), "must not be empty", "empty")
        if self.kind is DocumentKind.INTERIM_NOTICE and self.response_by is None:
            yield Problem(
                ("response_by",),
                "an interim notice states when the response will come",
                "missing",
            )


@model
class ServiceAgreement(Record):
    """The written service agreement: scope, fees, term, termination criteria (ADV-020).

    `disclosures_made` records that credentials, pricing and any financial relationships or
    conflicts were disclosed (ADV-021, APHA Health Advocate Code item 3).
    """

    scope: str = sensitive()
    fee_basis: FeeBasis
    fee_amount: Decimal | None = None
    term: Period
    termination_criteria: tuple[str, ...] = sensitive()
    signed_by: Actor
    signed_at: pendulum.DateTime
    advocate_id: str
    disclosures_made: bool = True

    def _rules(self) -> Iterable[Problem]:
        if not self.scope.strip():
            yield Problem(("scope",), "the agreement states its scope (ADV-020)", "empty")
        if not self.termination_criteria:
            yield Problem(
                ("termination_criteria",), "the agreement states how it ends (ADV-020)", "empty"
            )
        if self.fee_basis is FeeBasis.PRO_BONO:
            if self.fee_amount not in (None, Decimal(0)):
                yield Problem(("fee_amount",), "a pro bono agreement charges nothing", "fees")
        elif self.fee_amount is None:
            yield Problem(("fee_amount",), "the agreement states its fees (ADV-020)", "fees")
        if self.fee_amount is not None and (
            not self.fee_amount.is_finite() or self.fee_amount < 0
        ):
            yield Problem(("fee_amount",), "must be a non-negative amount", "range")
        if self.signed_by.role not in PATIENT_SIDE:
            yield Problem(
                ("signed_by", "role"),
                "signed by the patient or a personal representative",
                "signer_role",
            )
        if not self.advocate_id:
            yield Problem(("advocate_id",), "must not be empty", "empty")
        if not self.disclosures_made:
            yield Problem(
                ("disclosures_made",),
                "credentials, pricing and conflicts are disclosed before engagement (ADV-021)",
                "disclosure_required",
            )

    def in_force(self, at: pendulum.DateTime) -> bool:
        return not earlier(at, self.signed_at) and self.term.contains(at)


@model
class Filing(Record):
    """Proof that something was submitted: when, how, and a confirmation or document.

    "Filed" may mean *received* by the forum (DL-002): keep the forum's confirmation.
    """

    submitted_at: pendulum.DateTime
    channel: InteractionChannel
    level: str | None = None
    confirmation: str | None = None
    document_id: str | None = None
    authorization_basis: str | None = None

    def _rules(self) -> Iterable[Problem]:
        if not self.confirmation and not self.document_id:
            yield Problem(
                ("confirmation",),
                "proof of submission: a confirmation number or a document (domain.md §3.2)",
                "proof_required",
            )


@model
class CaseOutcome(Record):
    """A decision received in the matter (partial decisions are common)."""

    result: OutcomeResult
    decided_at: pendulum.DateTime
    summary: str | None = sensitive(default=None)
    amount: Decimal | None = None
    document_id: str | None = None

    def _rules(self) -> Iterable[Problem]:
        if self.amount is not None and not self.amount.is_finite():
            yield Problem(("amount",), "must be a finite amount", "range")


@model
class CaseDeadline(Record):
    """A deadline of one case, as listed by :func:`deadlines_due`."""

    case_id: str
    kind: CaseKind
    deadline: Deadline


# --- lifecycle -------------------------------------------------------------------------------

_ADVOCATE: Final = frozenset({Role.PATIENT_ADVOCATE})
_TERMINAL: Final = frozenset(
    {
        CaseStatus.CLOSED,
        CaseStatus.DECLINED,
        CaseStatus.REFERRED_OUT,
        CaseStatus.WITHDRAWN,
        CaseStatus.CLOSED_NO_RESPONSE,
    }
)
_OPEN: Final = frozenset(CaseStatus) - _TERMINAL
_RESOLVED: Final = {
    OutcomeResult.FAVORABLE: CaseStatus.RESOLVED_FAVORABLE,
    OutcomeResult.PARTIAL: CaseStatus.RESOLVED_PARTIAL,
    OutcomeResult.ADVERSE: CaseStatus.RESOLVED_ADVERSE,
}


def _agreement_in_force(case: AdvocacyCase, at: pendulum.DateTime) -> bool:
    return case.service_agreement is not None and case.service_agreement.in_force(at)


def _regime_known(case: AdvocacyCase, at: pendulum.DateTime) -> bool:
    return case.kind not in INSURANCE_KINDS or case.coverage_regime is not None


def _has_deadlines(case: AdvocacyCase, at: pendulum.DateTime) -> bool:
    return any(d.met_at is None for d in case.deadlines)


def _decision_missed(case: AdvocacyCase, at: pendulum.DateTime) -> bool:
    return decision_overdue(case, at)


_AGREEMENT: Final = Guard(
    "service_agreement",
    _agreement_in_force,
    "a signed service agreement in force is required (ADV-020)",
)
_REGIME: Final = Guard(
    "coverage_regime",
    _regime_known,
    "an insurance matter needs its coverage regime before planning (ADV-001)",
)
_DEADLINES: Final = Guard(
    "computed_deadlines",
    _has_deadlines,
    "planning needs the computed deadlines of the open clocks (domain.md §3.2)",
)
_MISSED: Final = Guard(
    "decision_deadline_missed",
    _decision_missed,
    "no decision deadline has been missed",
)


def _resolve(result: OutcomeResult) -> Action[CaseStatus]:
    return Action(
        name=f"resolve_{result.value}",
        sources=frozenset(
            {CaseStatus.AWAITING_DECISION, CaseStatus.DECISION_OVERDUE, CaseStatus.ESCALATED}
        ),
        target=_RESOLVED[result],
        roles=_ADVOCATE,
        note="records the decision received (outcome per issue)",
    )


ADVOCACY_CASE_LIFECYCLE: Final = Lifecycle(
    subject=SUBJECT,
    statuses=CaseStatus,
    initial=CaseStatus.INTAKE,
    actions=(
        Action(
            name="engage",
            sources=frozenset({CaseStatus.INTAKE}),
            target=CaseStatus.ENGAGED,
            roles=_ADVOCATE,
            guards=(_AGREEMENT,),
            note="service agreement (ADV-020) and authorization to represent (ADV-022)",
        ),
        Action(
            name="decline",
            sources=frozenset({CaseStatus.INTAKE}),
            target=CaseStatus.DECLINED,
            roles=_ADVOCATE,
            requires_reason=True,
        ),
        Action(
            name="refer_out",
            sources=frozenset({CaseStatus.INTAKE, CaseStatus.ENGAGED, CaseStatus.ASSESSING}),
            target=CaseStatus.REFERRED_OUT,
            roles=_ADVOCATE,
            requires_reason=True,
        ),
        Action(
            name="start_assessment",
            sources=frozenset({CaseStatus.ENGAGED}),
            target=CaseStatus.ASSESSING,
            roles=_ADVOCATE,
        ),
        Action(
            name="plan",
            sources=frozenset({CaseStatus.ASSESSING}),
            target=CaseStatus.PLANNED,
            roles=_ADVOCATE,
            guards=(_REGIME, _DEADLINES),
        ),
        Action(
            name="file",
            sources=frozenset({CaseStatus.PLANNED}),
            target=CaseStatus.FILED,
            roles=_ADVOCATE,
            note="only with the patient's authorization to represent; keeps proof of submission",
        ),
        Action(
            name="await_decision",
            sources=frozenset({CaseStatus.FILED, CaseStatus.ESCALATED}),
            target=CaseStatus.AWAITING_DECISION,
            roles=_ADVOCATE,
        ),
        Action(
            name="record_info_request",
            sources=frozenset({CaseStatus.AWAITING_DECISION}),
            target=CaseStatus.MORE_INFO_REQUESTED,
            roles=_ADVOCATE,
        ),
        Action(
            name="supply_info",
            sources=frozenset({CaseStatus.MORE_INFO_REQUESTED}),
            target=CaseStatus.FILED,
            roles=_ADVOCATE,
            note="only with the patient's authorization to represent",
        ),
        Action(
            name="mark_decision_overdue",
            sources=frozenset({CaseStatus.AWAITING_DECISION}),
            target=CaseStatus.DECISION_OVERDUE,
            roles=frozenset({Role.PATIENT_ADVOCATE, *PATIENT_SIDE}),
            guards=(_MISSED,),
            note="the decider missed its decision clock (DL-008, DL-T14)",
        ),
        Action(
            name="escalate",
            sources=frozenset({CaseStatus.DECISION_OVERDUE}),
            target=CaseStatus.ESCALATED,
            roles=_ADVOCATE,
            note="deemed exhaustion, QIC to ALJ escalation, complaint; with authorization",
        ),
        *(_resolve(r) for r in OutcomeResult),
        Action(
            name="check_effectuation",
            sources=frozenset({CaseStatus.RESOLVED_FAVORABLE, CaseStatus.RESOLVED_PARTIAL}),
            target=CaseStatus.EFFECTUATION_CHECK,
            roles=_ADVOCATE,
            note="is the favourable decision carried out (e.g. 72 h after a reversal)?",
        ),
        Action(
            name="consider_next_level",
            sources=frozenset(
                {
                    CaseStatus.RESOLVED_PARTIAL,
                    CaseStatus.RESOLVED_ADVERSE,
                    CaseStatus.EFFECTUATION_CHECK,
                }
            ),
            target=CaseStatus.NEXT_LEVEL_DECISION,
            roles=frozenset({Role.PATIENT_ADVOCATE, *PATIENT_SIDE}),
        ),
        Action(
            name="pursue_next_level",
            sources=frozenset({CaseStatus.NEXT_LEVEL_DECISION}),
            target=CaseStatus.PLANNED,
            roles=PATIENT_SIDE,
            guards=(_REGIME, _DEADLINES),
            note="the patient's decision, never the advocate's (ADV-030)",
        ),
        Action(
            name="accept_outcome",
            sources=frozenset({CaseStatus.NEXT_LEVEL_DECISION}),
            target=CaseStatus.CLOSED,
            roles=PATIENT_SIDE,
            note="the patient's decision, never the advocate's (ADV-030)",
        ),
        Action(
            name="close",
            sources=frozenset({CaseStatus.EFFECTUATION_CHECK}),
            target=CaseStatus.CLOSED,
            roles=frozenset({Role.PATIENT_ADVOCATE, *PATIENT_SIDE}),
        ),
        Action(
            name="withdraw",
            sources=_OPEN,
            target=CaseStatus.WITHDRAWN,
            roles=frozenset({Role.PATIENT_ADVOCATE, *PATIENT_SIDE}),
            note="always possible while the case is open",
        ),
        Action(
            name="put_on_hold",
            sources=_OPEN - {CaseStatus.ON_HOLD},
            target=CaseStatus.ON_HOLD,
            roles=frozenset({Role.PATIENT_ADVOCATE, *PATIENT_SIDE}),
            requires_reason=True,
        ),
        Action(
            name="resume",
            sources=frozenset({CaseStatus.ON_HOLD}),
            target=CaseStatus.ASSESSING,
            roles=frozenset({Role.PATIENT_ADVOCATE, *PATIENT_SIDE}),
            guards=(_AGREEMENT,),
            note="back to assessing: deadlines may have moved while on hold",
        ),
        Action(
            name="close_no_response",
            sources=_OPEN,
            target=CaseStatus.CLOSED_NO_RESPONSE,
            roles=_ADVOCATE,
            requires_reason=True,
        ),
    ),
)

#: Actions that need the patient's authorization to represent: they contact a counterparty or
#: file for the patient (PRODUCT.md; ADV-022; 45 CFR 164.508 for an independent advocate).
_NEEDS_AUTHORIZATION: Final = frozenset(
    {"engage", "file", "supply_info", "escalate", "contact_counterparty"}
)

#: Rows of the named operations that are not status transitions.
PERMISSIONS: Final = (
    Permission(
        subject=SUBJECT,
        action="open",
        roles=_ADVOCATE,
        note="intake; pursuing the case needs the patient's authorization to represent",
    ),
    Permission(
        subject=SUBJECT,
        action="contact_counterparty",
        roles=_ADVOCATE,
        note="only with the patient's authorization to represent",
    ),
    Permission(subject=SUBJECT, action="log_interaction", roles=_ADVOCATE),
    Permission(subject=SUBJECT, action="add_counterparty", roles=_ADVOCATE),
    Permission(
        subject=SUBJECT,
        action="add_document",
        roles=frozenset({Role.PATIENT_ADVOCATE, *PATIENT_SIDE}),
    ),
    Permission(subject=SUBJECT, action="record_deadlines", roles=_ADVOCATE),
    Permission(subject=SUBJECT, action="set_coverage_regime", roles=_ADVOCATE),
)

_POLICY: Final = RolePolicy.of(ADVOCACY_CASE_LIFECYCLE.permissions(), PERMISSIONS)


# --- the aggregate ---------------------------------------------------------------------------


@model
class AdvocacyCase(Record):
    """A matter the advocate pursues for the patient.  Aggregate root."""

    id: str
    patient_id: str
    advocate_id: str
    kind: CaseKind
    matter: str = sensitive()
    opened_at: pendulum.DateTime
    coverage_regime: CoverageRegime | None = None
    level: str | None = None
    counterparties: tuple[Counterparty, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    documents: tuple[DocumentRef, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    service_agreement: ServiceAgreement | None = None
    filings: tuple[Filing, ...] = ()
    outcomes: tuple[CaseOutcome, ...] = ()
    status: CaseStatus = CaseStatus.INTAKE
    history: tuple[TransitionRecord[CaseStatus], ...] = ()
    changes: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id", "advocate_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        ids = [c.id for c in self.counterparties]
        if len(ids) != len(set(ids)):
            yield Problem(("counterparties",), "two counterparties share an id", "duplicate")
        for i, interaction in enumerate(self.interactions):
            cp = interaction.counterparty_id
            if cp is not None and cp not in ids:
                yield Problem(
                    ("interactions", i, "counterparty_id"),
                    "not a counterparty of the case",
                    "unknown_counterparty",
                )
        docs = [d.id for d in self.documents]
        if len(docs) != len(set(docs)):
            yield Problem(("documents",), "two documents share an id", "duplicate")
        sa = self.service_agreement
        if sa is not None and sa.advocate_id != self.advocate_id:
            yield Problem(
                ("service_agreement", "advocate_id"),
                "the agreement is with another advocate",
                "advocate",
            )
        target = {v: k for k, v in _RESOLVED.items()}.get(self.status)
        if target is not None and (not self.outcomes or self.outcomes[-1].result is not target):
            yield Problem(
                ("outcomes",), "a resolved case records the decision it received", "missing"
            )
        if self.history and self.history[0].at.timestamp() < self.opened_at.timestamp():
            yield Problem(("history", 0, "at"), "dated before the case was opened", "order")
        yield from ADVOCACY_CASE_LIFECYCLE.check_history(self.status, self.history)

    # --- queries -------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN

    @property
    def outcome(self) -> CaseOutcome | None:
        """The latest decision received, if any."""
        return self.outcomes[-1] if self.outcomes else None

    def counterparty(self, counterparty_id: str) -> Counterparty:
        for c in self.counterparties:
            if c.id == counterparty_id:
                return c
        raise ValidationError.single(
            ("counterparties",), "no counterparty with this id", "not_found"
        )

    # --- lifecycle operations ------------------------------------------------------------

    def engage(
        self,
        agreement: ServiceAgreement,
        *,
        consents: Iterable[Consent],
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Take the case on: a signed service agreement and the authorization to represent."""
        pol = policy or _POLICY
        pol.require(by, SUBJECT, "engage")
        self._require_status("engage")
        self._require_authorization(consents, by, at, "engage")
        staged = evolve(self, service_agreement=agreement)
        return ADVOCACY_CASE_LIFECYCLE.apply(staged, "engage", by=by, at=at, policy=pol)

    def decline(
        self, *, by: Actor, at: pendulum.DateTime, reason: str, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("decline", by, at, policy, reason=reason)

    def refer_out(
        self, *, by: Actor, at: pendulum.DateTime, reason: str, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("refer_out", by, at, policy, reason=reason)

    def start_assessment(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("start_assessment", by, at, policy)

    def plan(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        deadlines: Iterable[Deadline] | None = None,
        coverage_regime: CoverageRegime | None = None,
        level: str | None = None,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Plan the matter: coverage regime (insurance kinds) and computed deadlines needed."""
        return self._apply_staged("plan", by, at, policy, deadlines, coverage_regime, level)

    def file(
        self,
        filing: Filing,
        *,
        consents: Iterable[Consent],
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """File for the patient, with proof of submission; needs authorization to represent."""
        return self._file("file", filing, consents, by, at, policy)

    def await_decision(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("await_decision", by, at, policy)

    def record_info_request(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        deadlines: Iterable[Deadline] = (),
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """The decider asked for more information (with any new deadline to answer it)."""
        extra = tuple(deadlines)
        return self._apply(
            "record_info_request", by, at, policy, deadlines=(*self.deadlines, *extra)
        )

    def supply_info(
        self,
        filing: Filing,
        *,
        consents: Iterable[Consent],
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Send the information asked for; needs authorization to represent."""
        return self._file("supply_info", filing, consents, by, at, policy)

    def mark_decision_overdue(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        """The decider missed a decision clock (see :func:`decision_overdue`)."""
        return self._apply("mark_decision_overdue", by, at, policy)

    def escalate(
        self,
        *,
        consents: Iterable[Consent],
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        filing: Filing | None = None,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Escalate after a missed decision (deemed exhaustion, QIC→ALJ, complaint)."""
        pol = policy or _POLICY
        pol.require(by, SUBJECT, "escalate")
        self._require_status("escalate")
        basis = self._require_authorization(consents, by, at, "escalate")
        changes: dict[str, Any] = {}
        if filing is not None:
            stamped = evolve(filing, authorization_basis=basis)
            changes["filings"] = (*self.filings, stamped)
        return ADVOCACY_CASE_LIFECYCLE.apply(
            self, "escalate", by=by, at=at, reason=reason, policy=pol, **changes
        )

    def record_decision(
        self,
        outcome: CaseOutcome,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Record the decision received: resolved favourable, partial or adverse."""
        return self._apply(
            f"resolve_{outcome.result.value}", by, at, policy, outcomes=(*self.outcomes, outcome)
        )

    def check_effectuation(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("check_effectuation", by, at, policy)

    def consider_next_level(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("consider_next_level", by, at, policy)

    def pursue_next_level(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        deadlines: Iterable[Deadline] | None = None,
        level: str | None = None,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """The patient decides to go on to the next level (the advocate may not decide this)."""
        return self._apply_staged("pursue_next_level", by, at, policy, deadlines, None, level)

    def accept_outcome(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        """The patient accepts the decision and the case closes (never the advocate's call)."""
        return self._apply("accept_outcome", by, at, policy)

    def close(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("close", by, at, policy)

    def withdraw(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Withdraw the case: the patient, representative or advocate, from any open status."""
        return self._apply("withdraw", by, at, policy, reason=reason)

    def put_on_hold(
        self, *, by: Actor, at: pendulum.DateTime, reason: str, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("put_on_hold", by, at, policy, reason=reason)

    def resume(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("resume", by, at, policy)

    def close_no_response(
        self, *, by: Actor, at: pendulum.DateTime, reason: str, policy: RolePolicy | None = None
    ) -> AdvocacyCase:
        return self._apply("close_no_response", by, at, policy, reason=reason)

    # --- other operations ----------------------------------------------------------------

    def log_interaction(
        self,
        interaction: Interaction,
        *,
        consents: Iterable[Consent] = (),
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Add an entry to the call log.  Contact with a counterparty needs the patient's
        authorization to represent; the entry keeps the consent it rests on."""
        pol = policy or _POLICY
        pol.require(by, SUBJECT, "log_interaction")
        self._require_open("log_interaction")
        if interaction.counterparty_id is not None:
            pol.require(by, SUBJECT, "contact_counterparty")
            self.counterparty(interaction.counterparty_id)
            basis = self._require_authorization(consents, by, at, "contact_counterparty")
            interaction = evolve(interaction, authorization_basis=basis)
        return record_change(
            self,
            "log_interaction",
            trail="changes",
            by=by,
            at=at,
            interactions=(*self.interactions, interaction),
        )

    def add_counterparty(
        self,
        counterparty: Counterparty,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        (policy or _POLICY).require(by, SUBJECT, "add_counterparty")
        self._require_open("add_counterparty")
        return record_change(
            self,
            "add_counterparty",
            trail="changes",
            by=by,
            at=at,
            counterparties=(*self.counterparties, counterparty),
        )

    def add_document(
        self,
        document: DocumentRef,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        (policy or _POLICY).require(by, SUBJECT, "add_document")
        self._require_open("add_document")
        return record_change(
            self,
            "add_document",
            trail="changes",
            by=by,
            at=at,
            documents=(*self.documents, document),
        )

    def record_deadlines(
        self,
        deadlines: Iterable[Deadline],
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Replace the case's deadlines (computed with :mod:`careroles.deadlines`)."""
        (policy or _POLICY).require(by, SUBJECT, "record_deadlines")
        self._require_open("record_deadlines")
        return record_change(
            self, "record_deadlines", trail="changes", by=by, at=at, deadlines=tuple(deadlines)
        )

    def set_coverage_regime(
        self,
        regime: CoverageRegime,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> AdvocacyCase:
        """Record which regime governs the matter (route first, ADV-001)."""
        (policy or _POLICY).require(by, SUBJECT, "set_coverage_regime")
        self._require_open("set_coverage_regime")
        return record_change(
            self, "set_coverage_regime", trail="changes", by=by, at=at, coverage_regime=regime
        )

    # --- helpers -------------------------------------------------------------------------

    def _apply(
        self,
        action: str,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None,
        reason: str | None = None,
        **changes: Any,
    ) -> AdvocacyCase:
        return ADVOCACY_CASE_LIFECYCLE.apply(
            self, action, by=by, at=at, reason=reason, policy=policy or _POLICY, **changes
        )

    def _apply_staged(
        self,
        action: str,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None,
        deadlines: Iterable[Deadline] | None,
        regime: CoverageRegime | None,
        level: str | None,
    ) -> AdvocacyCase:
        """Apply an action whose guards look at fields given with it."""
        pol = policy or _POLICY
        pol.require(by, SUBJECT, action)
        self._require_status(action)
        staged: dict[str, Any] = {}
        if deadlines is not None:
            staged["deadlines"] = tuple(deadlines)
        if regime is not None:
            staged["coverage_regime"] = regime
        if level is not None:
            staged["level"] = level
        case = evolve(self, **staged) if staged else self
        result: AdvocacyCase = ADVOCACY_CASE_LIFECYCLE.apply(
            case, action, by=by, at=at, policy=pol
        )
        return result

    def _file(
        self,
        action: str,
        filing: Filing,
        consents: Iterable[Consent],
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None,
    ) -> AdvocacyCase:
        pol = policy or _POLICY
        pol.require(by, SUBJECT, action)
        self._require_status(action)
        basis = self._require_authorization(consents, by, at, action)
        stamped = evolve(filing, authorization_basis=basis)
        return ADVOCACY_CASE_LIFECYCLE.apply(
            self, action, by=by, at=at, policy=pol, filings=(*self.filings, stamped)
        )

    def _require_status(self, action: str) -> None:
        """Refuse an action not allowed from the current status before checking anything else
        (the same TransitionError the lifecycle would raise)."""
        row = ADVOCACY_CASE_LIFECYCLE.action(action)
        if row is not None and self.status not in row.sources:
            raise TransitionError(
                subject=SUBJECT,
                status=self.status.value,
                action=action,
                allowed=ADVOCACY_CASE_LIFECYCLE.allowed_actions(self.status),
            )

    def _require_authorization(
        self, consents: Iterable[Consent], by: Actor, at: pendulum.DateTime, action: str
    ) -> str | None:
        """The consent id that authorizes `by` to represent the patient, or PermissionDenied.

        The patient and a personal representative act in their own right.
        """
        at = require_aware(at, "at")
        if by.role in PATIENT_SIDE:
            return None
        relevant = [c for c in consents if c.patient_id == self.patient_id]
        decision = permits(
            relevant,
            by.member_id,
            InformationCategory.ADVOCACY_CASE,
            at,
            kinds=[ConsentKind.REPRESENTATION],
        )
        if not decision.permitted:
            raise PermissionDenied(
                role=by.role.value,
                subject=SUBJECT,
                action=action,
                reason="no authorization from the patient to represent them "
                f"({decision.reason.value})",
            )
        return decision.basis

    def _require_open(self, action: str) -> None:
        if not self.is_open:
            raise ValidationError.single(
                ("status",),
                f"a {self.status.value} case cannot {action.replace('_', ' ')}",
                "closed",
            )


def open_case(
    *,
    id: str,
    patient_id: str,
    kind: CaseKind,
    matter: str,
    by: Actor,
    at: pendulum.DateTime,
    coverage_regime: CoverageRegime | None = None,
    counterparties: Iterable[Counterparty] = (),
    policy: RolePolicy | None = None,
) -> AdvocacyCase:
    """Open a case at intake; the acting advocate is the case's advocate."""
    (policy or _POLICY).require(by, SUBJECT, "open")
    at = require_aware(at, "at")
    return AdvocacyCase(
        id=id,
        patient_id=patient_id,
        advocate_id=by.member_id,
        kind=kind,
        matter=matter,
        opened_at=at,
        coverage_regime=coverage_regime,
        counterparties=tuple(counterparties),
    )


# --- queries over cases ----------------------------------------------------------------------


def missed_decision_deadlines(
    case: AdvocacyCase, at: pendulum.DateTime
) -> tuple[OverdueDecision, ...]:
    """The decider's decision clocks of `case` missed as seen at `at`, each with its escalation
    path (from :func:`careroles.deadlines.escalation_due`; DL-008, DL-T14)."""
    if not isinstance(case, AdvocacyCase):
        raise ValidationError.single(("case",), "expected an AdvocacyCase", "type")
    return escalation_due([d for d in case.deadlines if d.clock is Clock.DECISION], at)


def decision_overdue(case: AdvocacyCase, at: pendulum.DateTime) -> bool:
    """Whether a case awaiting a decision has a missed decision clock (feeds
    ``mark_decision_overdue``; DL-T14)."""
    return case.status is CaseStatus.AWAITING_DECISION and bool(
        missed_decision_deadlines(case, at)
    )


def deadlines_due(
    cases: Iterable[AdvocacyCase],
    as_of: pendulum.DateTime,
    within: pendulum.Duration | None = None,
) -> tuple[CaseDeadline, ...]:
    """The open deadlines of open cases due by ``as_of + within`` (default 14 days), overdue
    ones included, soonest first."""
    as_of = require_aware(as_of, "as_of")
    if within is not None and not isinstance(within, pendulum.Duration):
        raise ValidationError.single(("within",), "expected a duration", "type")
    cases = tuple(cases)
    for i, case in enumerate(cases):
        if not isinstance(case, AdvocacyCase):
            raise ValidationError.single(("cases", i), "expected an AdvocacyCase", "type")
    horizon = as_of + (within if within is not None else pendulum.duration(days=14))
    rows = [
        CaseDeadline(case_id=case.id, kind=case.kind, deadline=d)
        for case in cases
        if case.is_open
        for d in case.deadlines
        if d.met_at is None and not earlier(horizon, d.due)
    ]
    rows.sort(key=lambda r: (instant(r.deadline.due), r.case_id, r.deadline.rule_id))
    return tuple(rows)


# --- findings --------------------------------------------------------------------------------

ADVOCACY_RULES: Final = (
    Rule(
        code="ADV-T08",
        severity=Severity.WARNING,
        summary="a grievance unresolved after 7 days needs an interim notice with a response date",
        source="domain.md ADV-T08 §3.1; 42 CFR 482.13(a)(2), CMS State Operations Manual "
        "Appendix A, A-0123 https://www.ecfr.gov/current/title-42/section-482.13",
    ),
    Rule(
        code="ADV-T05",
        severity=Severity.WARNING,
        summary="filed more than a year after the representative appointment was signed",
        source="domain.md ADV-010, ADV-T05; 42 CFR 405.910, CMS-1696 "
        "https://med.noridianmedicare.com/web/jadme/claims-appeals/appeals/aor",
    ),
    Rule(
        code="DL-T14",
        severity=Severity.WARNING,
        summary="the decider missed its decision clock: mark the decision overdue and escalate",
        source="domain.md DL-008, DL-T14; 42 CFR 438.408(c)(3) (deemed exhaustion) "
        "https://www.ecfr.gov/current/title-42/section-438.408",
    ),
)
_ADV_RULE: Final = {r.code: r for r in ADVOCACY_RULES}
_MEDICARE: Final = frozenset(
    {
        CoverageRegime.ORIGINAL_MEDICARE,
        CoverageRegime.MEDICARE_ADVANTAGE,
        CoverageRegime.PART_D,
    }
)
_GRIEVANCE_DAYS: Final = 7


def case_findings(
    case: AdvocacyCase, at: pendulum.DateTime, consents: Iterable[Consent] = ()
) -> tuple[Finding, ...]:
    """Soft checks of a case at instant `at` (nothing here is refused).

    * ADV-T08: a care-quality grievance filed more than 7 days ago, still without a decision,
      needs an interim notice stating when the written response will come;
    * ADV-T05: in a Medicare matter, a filing made more than a year after the representation
      consent it rests on began (a CMS-1696 appointment lasts a year from the later signature;
      pass the `consents` the filings rest on);
    * DL-T14: a case still awaiting a decision whose decision clock was missed.
    """
    if not isinstance(case, AdvocacyCase):
        raise ValidationError.single(("case",), "expected an AdvocacyCase", "type")
    at = require_aware(at, "at")
    out: list[Finding] = []
    if (
        case.kind is CaseKind.CARE_QUALITY_GRIEVANCE
        and case.is_open
        and case.filings
        and not case.outcomes
        and earlier(case.filings[0].submitted_at.add(days=_GRIEVANCE_DAYS), at)
        and not any(d.kind is DocumentKind.INTERIM_NOTICE for d in case.documents)
    ):
        out.append(_ADV_RULE["ADV-T08"].finding(("documents",)))
    if case.coverage_regime in _MEDICARE:
        by_id = {c.id: c for c in consents}
        for i, filing in enumerate(case.filings):
            consent = by_id.get(filing.authorization_basis or "")
            if consent is not None and earlier(
                consent.period.start.add(years=1), filing.submitted_at
            ):
                out.append(_ADV_RULE["ADV-T05"].finding(("filings", i, "authorization_basis")))
    if decision_overdue(case, at):
        out.append(_ADV_RULE["DL-T14"].finding(("deadlines",)))
    return tuple(out)
