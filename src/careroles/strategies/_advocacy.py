"""Strategies for the advocacy side: treatment decisions, concerns, advocacy cases, navigation.

Statuses and histories are reached by applying legal sequences of each aggregate's own
operations (lifecycle actions and named changes, by actors whose role the default policy
allows, at instants that only move forward), never by writing history directly.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Final

import pendulum
from hypothesis import strategies as st

from careroles.advocacy import (
    INSURANCE_KINDS,
    AdvocacyCase,
    CaseDeadline,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    Counterparty,
    CounterpartyKind,
    DocumentKind,
    DocumentRef,
    FeeBasis,
    Filing,
    Identifier,
    Interaction,
    InteractionChannel,
    InteractionOutcome,
    OutcomeResult,
    ServiceAgreement,
    open_case,
)
from careroles.concerns import Concern, ConcernPriority, ConcernStatus, ConcernTopic, raise_concern
from careroles.consent import Consent, ConsentKind, InformationCategory
from careroles.deadlines import DEADLINE_RULES, Clock, CoverageRegime, Deadline, compute_deadline
from careroles.decisions import (
    ClinicianRecommendation,
    CollaborateEncounter,
    ConflictOfInterest,
    ConflictOfInterestKind,
    ConsideredValue,
    DecisionAid,
    DecisionMaker,
    DecisionOption,
    DecisionStatus,
    DecisionUrgency,
    SureResult,
    TreatmentDecision,
    ValueSource,
    sure_score,
)
from careroles.navigation import (
    Barrier,
    EducationRecord,
    Referral,
    ReferralOutcome,
    ReferralStatus,
)
from careroles.patients import DECISION_AUTHORITY, DecisionRole
from careroles.periods import Period
from careroles.roles import PATIENT_SIDE, Actor, Role
from careroles.strategies._core import actors, datetimes, identifiers, texts, zones
from careroles.strategies._records import contact_points

__all__ = [
    "advocacy_cases",
    "case_deadlines",
    "case_outcomes",
    "clinician_recommendations",
    "collaborate_encounters",
    "concerns",
    "conflicts_of_interest",
    "considered_values",
    "counterparties",
    "counterparty_identifiers",
    "decision_aids",
    "decision_makers",
    "decision_options",
    "document_refs",
    "education_records",
    "filings",
    "interactions",
    "referrals",
    "service_agreements",
    "sure_results",
    "treatment_decisions",
]

_LOW: Final = _dt.datetime(2026, 1, 1)  # noqa: DTZ001 - hypothesis bounds are naive
_HIGH: Final = _dt.datetime(2036, 12, 31)  # noqa: DTZ001 - likewise
_CODES: Final = st.from_regex(r"[0-9]{6,9}", fullmatch=True)
_LEVELS: Final = st.sampled_from(
    ("internal_appeal", "external_review", "redetermination", "reconsideration", "alj_hearing")
)
_SYSTEMS: Final = st.sampled_from(
    (
        "http://hl7.org/fhir/sid/us-npi",
        "urn:oid:2.16.840.1.113883.4.4",  # EIN
        "https://example.org/payer-id",
    )
)
_TOPICS: Final = st.sampled_from(
    ("appeal_rights", "medicare_part_d", "surprise_billing", "records_access", "advance_directive")
)
_LANGUAGES: Final = st.sampled_from(("en", "es", "es-MX", "zh-Hant", "vi", "ar", "ht"))


def _after(
    start: pendulum.DateTime, max_hours: int = 24 * 30
) -> st.SearchStrategy[pendulum.DateTime]:
    return st.integers(0, max_hours * 3600).map(lambda s: _later(start, s))


def _later(start: pendulum.DateTime, seconds: int) -> pendulum.DateTime:
    """`seconds` after `start` on the time line, in `start`'s zone, and never earlier on the wall
    clock either: two instants in one zone compare by wall time (Python's intra-zone rule), so
    an instant inside a DST fold is moved on until its wall time has not gone back."""
    zone = start.timezone_name or "UTC"
    utc = start.in_timezone("UTC").add(seconds=seconds)
    later = utc.in_timezone(zone)
    while later.naive() < start.naive():
        utc = utc.add(minutes=30)
        later = utc.in_timezone(zone)
    return later


def _text_tuple(min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(), min_size=min_size, max_size=3).map(tuple)


def _role_actor(*roles: Role) -> st.SearchStrategy[Actor]:
    return actors(st.sampled_from(sorted(roles, key=lambda r: r.value)))


# --- decisions -------------------------------------------------------------------------------


@st.composite
def decision_options(
    draw: st.DrawFn, option_id: str | None = None, do_nothing: bool | None = None
) -> DecisionOption:
    nothing = draw(st.booleans()) if do_nothing is None else do_nothing
    return DecisionOption(
        id=option_id if option_id is not None else draw(identifiers("o-")),
        label=draw(texts()),
        treatment_code=None if nothing and draw(st.booleans()) else draw(st.none() | _CODES),
        is_do_nothing=nothing,
        benefits=draw(_text_tuple(1)),
        harms=draw(_text_tuple(1)),
        burdens=draw(_text_tuple()),
    )


def decision_aids(
    given_at: st.SearchStrategy[pendulum.DateTime] | None = None,
    aid_id: str | None = None,
) -> st.SearchStrategy[DecisionAid]:
    return st.builds(
        DecisionAid,
        id=st.just(aid_id) if aid_id is not None else identifiers("aid-"),
        version=st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True),
        given_at=given_at if given_at is not None else datetimes(),
    )


@st.composite
def considered_values(draw: st.DrawFn) -> ConsideredValue:
    source = draw(st.sampled_from(ValueSource))
    return ConsideredValue(
        text=draw(texts()),
        source=source,
        index=None if source is ValueSource.STATED_IN_DISCUSSION else draw(st.integers(0, 5)),
        importance=draw(st.none() | st.integers(1, 5)),
    )


@st.composite
def decision_makers(draw: st.DrawFn, member_id: str | None = None) -> DecisionMaker:
    mid = member_id if member_id is not None else draw(identifiers("m-"))
    if draw(st.booleans()):
        return DecisionMaker(member_id=mid, role=Role.PATIENT)
    return DecisionMaker(
        member_id=mid,
        role=Role.PERSONAL_REPRESENTATIVE,
        authority_basis=draw(st.sampled_from(sorted(DECISION_AUTHORITY))),
        also_patient_advocate=draw(st.booleans()),
    )


def conflicts_of_interest() -> st.SearchStrategy[ConflictOfInterest]:
    return st.builds(
        ConflictOfInterest,
        member_id=identifiers("m-"),
        kind=st.sampled_from(ConflictOfInterestKind),
        recorded_at=datetimes(),
        note=st.none() | texts(),
    )


def clinician_recommendations() -> st.SearchStrategy[ClinicianRecommendation]:
    return st.builds(
        ClinicianRecommendation,
        option_id=identifiers("o-"),
        by_member_id=identifiers("m-"),
        at=datetimes(),
        rationale=st.none() | texts(),
    )


def sure_results() -> st.SearchStrategy[SureResult]:
    return st.builds(sure_score, st.booleans(), st.booleans(), st.booleans(), st.booleans())


def collaborate_encounters() -> st.SearchStrategy[CollaborateEncounter]:
    item = st.none() | st.integers(0, 9)
    return st.builds(CollaborateEncounter, understand=item, listen=item, include=item)


@st.composite
def treatment_decisions(draw: st.DrawFn) -> TreatmentDecision:
    """Decisions opened, then moved along by a legal sequence of their own operations."""
    at = draw(datetimes(min_value=_LOW, max_value=_HIGH))
    maker = draw(decision_makers())
    maker_actor = Actor(member_id=maker.member_id, role=maker.role)
    others = st.lists(actors().filter(lambda a: a.member_id != maker.member_id), max_size=3)
    participants = [maker_actor, *draw(others)]
    conflicts: tuple[ConflictOfInterest, ...] = ()
    if maker.also_patient_advocate:
        participants.append(Actor(member_id=maker.member_id, role=Role.PATIENT_ADVOCATE))
        conflicts = (
            ConflictOfInterest(
                member_id=maker.member_id,
                kind=ConflictOfInterestKind.ADVOCATE_HOLDS_DECISION_AUTHORITY,
                recorded_at=at,
                note=draw(st.none() | texts()),
            ),
        )
    n = draw(st.integers(2, 4))
    options = [draw(decision_options(option_id=f"o-{i}", do_nothing=i == 0)) for i in range(n)]
    drafted = draw(st.booleans())
    decision = TreatmentDecision(
        id=draw(identifiers("d-")),
        patient_id=draw(identifiers("p-")),
        question=draw(texts()),
        condition_ref=draw(st.none() | identifiers("cond-")),
        urgency=draw(st.sampled_from(DecisionUrgency)),
        deadline=draw(st.none() | _after(at, 24 * 90)),
        options=tuple(options) if drafted else (),
        participants=tuple(participants),
        preferred_role=draw(st.none() | st.sampled_from(DecisionRole)),
        decision_maker=maker,
        conflicts=conflicts,
    )
    supporter = _role_actor(Role.TREATING_PROVIDER, Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE)
    steps = draw(st.integers(0, 9))
    for _ in range(steps):
        at = draw(_after(at, 24 * 10))
        status = decision.status
        choice = draw(st.integers(0, 5))
        if choice == 0:
            decision = decision.give_decision_aid(
                draw(decision_aids(st.just(at), aid_id=f"aid-{len(decision.decision_aids)}")),
                by=draw(supporter),
                at=at,
            )
        elif choice == 1 and status is not DecisionStatus.DECIDED and draw(st.booleans()):
            by = draw(actors(st.sampled_from(sorted(PATIENT_SIDE | {Role.PATIENT_ADVOCATE}))))
            decision = decision.record_values(
                draw(st.lists(considered_values(), max_size=3)),
                by=by,
                at=at,
                on_behalf_of_patient=by.role not in PATIENT_SIDE,
            )
        elif choice == 2 and decision.options:
            option = draw(st.sampled_from(decision.options))
            rec = ClinicianRecommendation(
                option_id=option.id,
                by_member_id=draw(identifiers("m-")),
                at=at,
                rationale=draw(st.none() | texts()),
            )
            decision = decision.record_recommendation(
                rec, by=draw(_role_actor(Role.TREATING_PROVIDER)), at=at
            )
        elif choice == 3:
            decision = decision.record_sure(
                draw(sure_results()), after=draw(st.booleans()), by=draw(supporter), at=at
            )
        elif status is DecisionStatus.OPEN:
            presented = None if decision.options else options
            decision = decision.present_options(presented, by=draw(supporter), at=at)
        elif status is DecisionStatus.OPTIONS_PRESENTED:
            decision = decision.start_deliberation(by=maker_actor, at=at)
        elif status is DecisionStatus.DELIBERATING:
            option = draw(st.sampled_from(decision.options))
            decision = decision.decide(
                option.id,
                by=maker_actor,
                at=at,
                actual_role=draw(st.none() | st.sampled_from(DecisionRole)),
                rationale=draw(st.none() | texts()),
            )
        elif status is DecisionStatus.DECIDED:
            decision = decision.revisit(by=maker_actor, at=at, reason=draw(texts()))
        else:
            decision = decision.resume_deliberation(by=maker_actor, at=at)
    return decision


# --- concerns --------------------------------------------------------------------------------


@st.composite
def concerns(draw: st.DrawFn) -> Concern:
    """Concerns raised by someone allowed to, then handled by a legal sequence of operations."""
    at = draw(datetimes(min_value=_LOW, max_value=_HIGH))
    by = draw(
        actors(
            st.sampled_from(
                [
                    Role.PATIENT,
                    Role.PERSONAL_REPRESENTATIVE,
                    Role.CAREGIVER,
                    Role.PATIENT_ADVOCATE,
                    Role.CARE_COORDINATOR,
                ]
            )
        )
    )
    concern = raise_concern(
        id=draw(identifiers("cn-")),
        patient_id=draw(identifiers("p-")),
        topic=draw(st.sampled_from(ConcernTopic)),
        in_own_words=draw(texts()),
        priority=draw(st.sampled_from(ConcernPriority)),
        by=by,
        at=at,
        on_behalf_of_patient=by.role in (Role.PATIENT_ADVOCATE, Role.CARE_COORDINATOR)
        or draw(st.booleans()),
    )
    handler = _role_actor(Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE)
    patient = _role_actor(*PATIENT_SIDE)
    for _ in range(draw(st.integers(0, 6))):
        at = draw(_after(at, 24 * 7))
        status = concern.status
        if status is ConcernStatus.CLOSED:
            break
        choice = draw(st.integers(0, 4))
        if choice == 0 and concern.became_case_id is None:
            concern = concern.convert_to_case(
                draw(identifiers("case-")), by=draw(_role_actor(Role.PATIENT_ADVOCATE)), at=at
            )
        elif choice == 1 and concern.plan_change_id is None:
            concern = concern.link_plan_change(
                draw(identifiers("plan-")), by=draw(_role_actor(Role.CARE_COORDINATOR)), at=at
            )
        elif choice == 2:
            to = draw(st.sampled_from([Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE]))
            concern = concern.reroute(to, by=draw(handler), at=at)
        elif choice == 3 and status is not ConcernStatus.ADDRESSED:
            concern = concern.withdraw(by=draw(patient), at=at, reason=draw(st.none() | texts()))
        elif status is ConcernStatus.RAISED:
            concern = concern.acknowledge(by=draw(handler), at=at)
        elif status is ConcernStatus.ACKNOWLEDGED:
            if draw(st.booleans()):
                concern = concern.start_review(by=draw(handler), at=at)
            else:
                concern = concern.escalate(by=draw(handler), at=at, reason=draw(texts()))
        elif status is ConcernStatus.IN_REVIEW:
            if draw(st.booleans()):
                concern = concern.address(draw(texts()), by=draw(handler), at=at)
            else:
                concern = concern.escalate(by=draw(handler), at=at, reason=draw(texts()))
        else:
            concern = concern.close(by=draw(st.one_of(handler, patient)), at=at)
    return concern


# --- advocacy cases --------------------------------------------------------------------------


def counterparty_identifiers() -> st.SearchStrategy[Identifier]:
    return st.builds(Identifier, system=_SYSTEMS, value=identifiers())


@st.composite
def counterparties(draw: st.DrawFn, counterparty_id: str | None = None) -> Counterparty:
    return Counterparty(
        id=counterparty_id if counterparty_id is not None else draw(identifiers("cp-")),
        kind=draw(st.sampled_from(CounterpartyKind)),
        name=draw(texts()),
        identifiers=tuple(draw(st.lists(counterparty_identifiers(), max_size=2))),
        contact=tuple(draw(st.lists(contact_points(), max_size=2))),
    )


@st.composite
def interactions(
    draw: st.DrawFn,
    at: pendulum.DateTime | None = None,
    counterparty_ids: tuple[str, ...] | None = None,
) -> Interaction:
    ids = counterparty_ids
    cp = draw(st.none() | st.sampled_from(ids)) if ids else None
    if ids is None:
        cp = draw(st.none() | identifiers("cp-"))
    return Interaction(
        at=at if at is not None else draw(datetimes()),
        channel=draw(st.sampled_from(InteractionChannel)),
        by=draw(_role_actor(Role.PATIENT_ADVOCATE)),
        counterparty_id=cp,
        party=draw(st.none() | texts()),
        summary=draw(texts()),
        outcome=draw(st.sampled_from(InteractionOutcome)),
        next_step=draw(st.none() | texts()),
        reference_number=draw(st.none() | identifiers("ref-")),
        authorization_basis=None if at is not None else draw(st.none() | identifiers("k-")),
    )


@st.composite
def document_refs(
    draw: st.DrawFn,
    received_at: st.SearchStrategy[pendulum.DateTime] | None = None,
    document_id: str | None = None,
) -> DocumentRef:
    kind = draw(st.sampled_from(DocumentKind))
    days = st.dates(min_value=_dt.date(2000, 1, 1), max_value=_dt.date(2040, 12, 31)).map(
        lambda d: pendulum.Date(d.year, d.month, d.day)
    )
    response_by = draw(days) if kind is DocumentKind.INTERIM_NOTICE else draw(st.none() | days)
    return DocumentRef(
        id=document_id if document_id is not None else draw(identifiers("doc-")),
        kind=kind,
        ref=draw(identifiers("store://documents/")),
        received_at=draw(st.none() | (received_at if received_at is not None else datetimes())),
        dated=draw(st.none() | days),
        response_by=response_by,
    )


@st.composite
def service_agreements(
    draw: st.DrawFn,
    start: pendulum.DateTime | None = None,
    advocate_id: str | None = None,
) -> ServiceAgreement:
    begin = start if start is not None else draw(datetimes())
    basis = draw(st.sampled_from(FeeBasis))
    amount = (
        draw(st.none() | st.just(Decimal(0)))
        if basis is FeeBasis.PRO_BONO
        else draw(st.decimals(min_value=Decimal(0), max_value=Decimal(100000), places=2))
    )
    end = draw(st.none() | st.integers(30, 800).map(lambda d: begin.add(days=d)))
    return ServiceAgreement(
        scope=draw(texts()),
        fee_basis=basis,
        fee_amount=amount,
        term=Period(start=begin, end=end),
        termination_criteria=draw(_text_tuple(1)),
        signed_by=draw(_role_actor(*PATIENT_SIDE)),
        signed_at=begin,
        advocate_id=advocate_id if advocate_id is not None else draw(identifiers("m-")),
    )


@st.composite
def filings(draw: st.DrawFn, submitted_at: pendulum.DateTime | None = None) -> Filing:
    confirmation = draw(st.none() | identifiers("conf-"))
    document = (
        draw(identifiers("doc-"))
        if confirmation is None
        else draw(st.none() | identifiers("doc-"))
    )
    return Filing(
        submitted_at=submitted_at if submitted_at is not None else draw(datetimes()),
        channel=draw(st.sampled_from(InteractionChannel)),
        level=draw(st.none() | _LEVELS),
        confirmation=confirmation,
        document_id=document,
        authorization_basis=None if submitted_at is not None else draw(st.none() | identifiers()),
    )


@st.composite
def case_outcomes(draw: st.DrawFn, decided_at: pendulum.DateTime | None = None) -> CaseOutcome:
    return CaseOutcome(
        result=draw(st.sampled_from(OutcomeResult)),
        decided_at=decided_at if decided_at is not None else draw(datetimes()),
        summary=draw(st.none() | texts()),
        amount=draw(
            st.none() | st.decimals(min_value=Decimal(0), max_value=Decimal(10**6), places=2)
        ),
        document_id=draw(st.none() | identifiers("doc-")),
    )


@st.composite
def _computed_deadline(
    draw: st.DrawFn, trigger: pendulum.DateTime, clock: Clock, zone: str
) -> Deadline | None:
    local = trigger.in_timezone(zone)
    day = pendulum.Date(local.year, local.month, local.day)
    rules = [r for r in DEADLINE_RULES if r.clock is clock and r.in_force(day)]
    if not rules:
        return None
    rule = draw(st.sampled_from(rules))
    return compute_deadline(rule, local, zone=zone)


@st.composite
def case_deadlines(draw: st.DrawFn) -> CaseDeadline:
    trigger = draw(datetimes(min_value=_LOW, max_value=_HIGH))
    deadline = draw(_computed_deadline(trigger, draw(st.sampled_from(Clock)), draw(zones())))
    if deadline is None:  # pragma: no cover - every clock has rules in force from 2026
        deadline = draw(_computed_deadline(trigger, Clock.FILING, "UTC"))
    assert deadline is not None
    return CaseDeadline(
        case_id=draw(identifiers("case-")), kind=draw(st.sampled_from(CaseKind)), deadline=deadline
    )


_OPEN_ENDINGS: Final = ("withdraw", "put_on_hold", "close_no_response")


@st.composite
def advocacy_cases(draw: st.DrawFn) -> AdvocacyCase:
    """Cases opened at intake and taken along the lifecycle by legal operations: engagement
    under a service agreement and a representation consent, planning with computed deadlines,
    filing, waiting, overdue decisions and escalation, decisions, the patient's choice about the
    next level, holds and withdrawals."""
    at = draw(datetimes(min_value=_LOW, max_value=_HIGH))
    zone = draw(zones())
    advocate = draw(_role_actor(Role.PATIENT_ADVOCATE))
    patient = draw(_role_actor(Role.PATIENT))
    patient_side = st.sampled_from(
        [patient, Actor(member_id=patient.member_id + "-pr", role=Role.PERSONAL_REPRESENTATIVE)]
    )
    kind = draw(st.sampled_from(CaseKind))
    n = draw(st.integers(0, 2))
    parties = [draw(counterparties(counterparty_id=f"cp-{i}")) for i in range(n)]
    case = open_case(
        id=draw(identifiers("case-")),
        patient_id=draw(identifiers("p-")),
        kind=kind,
        matter=draw(texts()),
        by=advocate,
        at=at,
        coverage_regime=draw(st.none() | st.sampled_from(CoverageRegime)),
        counterparties=parties,
    )
    consent = Consent(
        id=draw(identifiers("k-")),
        patient_id=case.patient_id,
        kind=ConsentKind.REPRESENTATION,
        grantor=patient,
        grantee_id=advocate.member_id,
        categories=frozenset({InformationCategory.ADVOCACY_CASE}),
        period=Period(start=at),
    )
    consents = [consent]
    ids = tuple(p.id for p in parties)
    for _ in range(draw(st.integers(0, 20))):
        at = draw(_after(at, 24 * 5))
        status = case.status
        if not case.is_open:
            break
        choice = draw(st.integers(0, 9))
        if choice == 0:
            case = case.log_interaction(
                draw(interactions(at=at, counterparty_ids=ids)),
                consents=consents,
                by=advocate,
                at=at,
            )
        elif choice == 1:
            by = draw(st.sampled_from([advocate, patient]))
            doc = draw(document_refs(st.just(at), document_id=f"doc-{len(case.documents)}"))
            case = case.add_document(doc, by=by, at=at)
        elif choice == 2 and draw(st.integers(0, 3)) == 0:
            action = draw(st.sampled_from(_OPEN_ENDINGS))
            if action == "withdraw":
                by = draw(st.sampled_from([advocate, patient]) | patient_side)
                case = case.withdraw(by=by, at=at, reason=draw(st.none() | texts()))
            elif action == "put_on_hold" and status is not CaseStatus.ON_HOLD:
                case = case.put_on_hold(by=advocate, at=at, reason=draw(texts()))
            elif action == "close_no_response":
                case = case.close_no_response(by=advocate, at=at, reason=draw(texts()))
        elif status is CaseStatus.INTAKE:
            if draw(st.integers(0, 9)) == 0:
                case = case.decline(by=advocate, at=at, reason=draw(texts()))
            else:
                agreement = draw(service_agreements(start=at, advocate_id=advocate.member_id))
                case = case.engage(agreement, consents=consents, by=advocate, at=at)
        elif status is CaseStatus.ENGAGED:
            case = case.start_assessment(by=advocate, at=at)
        elif status is CaseStatus.ASSESSING:
            if draw(st.integers(0, 6)) == 0:
                case = case.refer_out(by=advocate, at=at, reason=draw(texts()))
                continue
            filing = draw(_computed_deadline(at, Clock.FILING, zone))
            regime = case.coverage_regime
            if regime is None and kind in INSURANCE_KINDS:
                regime = draw(st.sampled_from(CoverageRegime))
            if filing is not None:
                case = case.plan(
                    by=advocate,
                    at=at,
                    deadlines=[filing],
                    coverage_regime=regime,
                    level=draw(st.none() | _LEVELS),
                )
        elif status is CaseStatus.PLANNED:
            case = case.file(draw(filings(submitted_at=at)), consents=consents, by=advocate, at=at)
        elif status is CaseStatus.FILED:
            decision = draw(_computed_deadline(at, Clock.DECISION, zone))
            if decision is not None:
                case = case.record_deadlines([*case.deadlines, decision], by=advocate, at=at)
            case = case.await_decision(by=advocate, at=at)
        elif status is CaseStatus.AWAITING_DECISION:
            step = draw(st.integers(0, 2))
            missed = [d for d in case.deadlines if d.clock is Clock.DECISION and d.met_at is None]
            if step == 0:
                case = case.record_info_request(by=advocate, at=at)
            elif step == 1 and missed:
                at = max(at, _later(max(d.due for d in missed), 1))
                case = case.mark_decision_overdue(by=advocate, at=at)
            else:
                case = case.record_decision(draw(case_outcomes(decided_at=at)), by=advocate, at=at)
        elif status is CaseStatus.MORE_INFO_REQUESTED:
            case = case.supply_info(
                draw(filings(submitted_at=at)), consents=consents, by=advocate, at=at
            )
        elif status is CaseStatus.DECISION_OVERDUE:
            case = case.escalate(consents=consents, by=advocate, at=at)
        elif status is CaseStatus.ESCALATED:
            if draw(st.booleans()):
                case = case.await_decision(by=advocate, at=at)
            else:
                case = case.record_decision(draw(case_outcomes(decided_at=at)), by=advocate, at=at)
        elif status is CaseStatus.RESOLVED_FAVORABLE:
            case = case.check_effectuation(by=advocate, at=at)
        elif status in (CaseStatus.RESOLVED_PARTIAL, CaseStatus.RESOLVED_ADVERSE):
            case = case.consider_next_level(by=draw(st.sampled_from([advocate, patient])), at=at)
        elif status is CaseStatus.EFFECTUATION_CHECK:
            if draw(st.booleans()):
                case = case.close(by=advocate, at=at)
            else:
                case = case.consider_next_level(by=advocate, at=at)
        elif status is CaseStatus.NEXT_LEVEL_DECISION:
            if draw(st.booleans()):
                case = case.accept_outcome(by=draw(patient_side), at=at)
            else:
                filing = draw(_computed_deadline(at, Clock.FILING, zone))
                if filing is not None:
                    case = case.pursue_next_level(
                        by=draw(patient_side),
                        at=at,
                        deadlines=[filing],
                        level=draw(st.none() | _LEVELS),
                    )
        elif (
            status is CaseStatus.ON_HOLD
            and case.service_agreement is not None
            and case.service_agreement.in_force(at)
        ):
            case = case.resume(by=advocate, at=at)
    return case


# --- navigation ------------------------------------------------------------------------------


def education_records() -> st.SearchStrategy[EducationRecord]:
    return st.builds(
        EducationRecord,
        id=identifiers("ed-"),
        patient_id=identifiers("p-"),
        resource_id=identifiers("res-"),
        topic=_TOPICS,
        language=_LANGUAGES,
        delivered_at=datetimes(),
        delivered_by=_role_actor(Role.PATIENT_ADVOCATE, Role.CARE_COORDINATOR),
        interpreter_used=st.booleans(),
        note=st.none() | texts(),
    )


@st.composite
def referrals(draw: st.DrawFn) -> Referral:
    """Referrals drafted, then moved along the Gravity Task lifecycle by legal operations."""
    at = draw(datetimes(min_value=_LOW, max_value=_HIGH))
    requester = _role_actor(Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE, Role.TREATING_PROVIDER)
    recorder = _role_actor(Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE)
    patient = draw(_role_actor(Role.PATIENT))
    performer = draw(identifiers("org-"))
    referral = Referral(
        id=draw(identifiers("ref-")),
        patient_id=draw(identifiers("p-")),
        service=draw(texts()),
        performer_id=draw(st.none() | st.just(performer)),
        barriers=draw(st.frozensets(st.sampled_from(Barrier), min_size=1, max_size=3)),
        requested_by=draw(requester),
        created_at=at,
    )
    consent = Consent(
        id=draw(identifiers("k-")),
        patient_id=referral.patient_id,
        kind=ConsentKind.AUTHORIZATION,
        grantor=patient,
        grantee_id=performer,
        categories=frozenset({InformationCategory.SOCIAL_NEEDS}),
        period=Period(start=at, end=at.add(years=5)),
    )
    s = ReferralStatus
    for _ in range(draw(st.integers(0, 10))):
        at = draw(_after(at, 24 * 7))
        status = referral.status
        if status in (s.REJECTED, s.FAILED, s.COMPLETED, s.CANCELLED, s.ENTERED_IN_ERROR):
            break
        choice = draw(st.integers(0, 6))
        if choice == 0:
            referral = referral.record_outcome(
                draw(st.sampled_from(ReferralOutcome)), by=draw(recorder), at=at
            )
        elif choice == 1 and draw(st.booleans()):
            referral = referral.cancel(by=draw(requester), at=at)
        elif choice == 2 and draw(st.integers(0, 3)) == 0:
            referral = referral.mark_entered_in_error(
                by=draw(requester), at=at, reason=draw(texts())
            )
        elif status is s.DRAFT:
            referral = referral.request(
                consents=[consent], by=draw(requester), at=at, performer_id=performer
            )
        elif status is s.REQUESTED:
            if draw(st.integers(0, 4)) == 0:
                referral = referral.reject(by=draw(recorder), at=at, reason=draw(texts()))
            else:
                referral = referral.accept(by=draw(recorder), at=at)
        elif status in (s.ACCEPTED, s.ON_HOLD):
            referral = referral.start(by=draw(recorder), at=at)
        elif status is s.IN_PROGRESS:
            step = draw(st.integers(0, 3))
            if step == 0:
                referral = referral.hold(by=draw(recorder), at=at)
            elif step == 1:
                referral = referral.fail(by=draw(recorder), at=at, reason=draw(texts()))
            else:
                outcome = draw(
                    st.sampled_from(
                        [o for o in ReferralOutcome if o is not ReferralOutcome.NOT_UPDATED]
                    )
                )
                referral = referral.complete(outcome, by=draw(recorder), at=at)
    return referral
