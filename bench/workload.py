"""The benchmark workload: one realistic patient record, built deterministically from a seed.

A :class:`Record` is a small container defined here for the benchmark (it is not part of
careroles): the patient, their care team, their care plan, their appointments and one
advocacy case with its deadlines.  Each part is a careroles aggregate root and travels as a
careroles document (``"$type"``/``"$version"``), exactly as an app would store it; the
container lets every library decode the whole record from *one* JSON text in one call, which
is the fair unit of comparison (one decode, one validated object graph).

Everything is built through the public constructors and named operations, so every history is
a legal one: each appointment is proposed and then reaches its status by 2 to 4 lifecycle
operations (book, arrive, check in, fulfil, cancel, mark no-show ...), with audit records.

Sizes (the counts of the medium record are the issue's):

=========  ====  =====  ==========  ============  ============  =========
size       team  goals  activities  appointments  interactions  deadlines
=========  ====  =====  ==========  ============  ============  =========
small      6     2      10          30            5             1
medium     6     20     100         300           50            5
large      6     20     100         3000          50            5
=========  ====  =====  ==========  ============  ============  =========

The team stays at 6 in every size (a team does not shrink with the volume of a record); the
*batch* is 1,000 small records, each with its own seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Final

import attrs
import pendulum

from careroles import advocacy as adv
from careroles import appointments as ap
from careroles import care_plans as cp
from careroles._model import Record as _Base
from careroles._model import model, sensitive
from careroles.care_teams import CareTeam, TeamMember
from careroles.consent import Consent, ConsentKind, InformationCategory
from careroles.deadlines import CoverageRegime, compute_deadline
from careroles.patients import (
    Contact,
    ContactChannel,
    ContactHours,
    ContactPoint,
    DecisionRole,
    Patient,
    Preferences,
    Relationship,
)
from careroles.periods import Period
from careroles.roles import Actor, Role

__all__ = ["SIZES", "Record", "Sizes", "batch", "build"]

ZONE: Final = "America/New_York"
START: Final = pendulum.datetime(2026, 1, 5, 9, tz=ZONE)


@attrs.frozen
class Sizes:
    goals: int
    activities: int
    appointments: int
    interactions: int
    deadlines: int
    team: int = 6


SIZES: Final = {
    "small": Sizes(goals=2, activities=10, appointments=30, interactions=5, deadlines=1),
    "medium": Sizes(goals=20, activities=100, appointments=300, interactions=50, deadlines=5),
    "large": Sizes(goals=20, activities=100, appointments=3000, interactions=50, deadlines=5),
}


@model
class Record(_Base):
    """The benchmark's unit: one patient's record, decoded and encoded as one JSON text."""

    patient: Patient
    team: CareTeam
    consents: tuple[Consent, ...]
    plan: cp.CarePlan
    appointments: tuple[ap.Appointment, ...]
    case: adv.AdvocacyCase
    note: str = sensitive(default="")


# --- text -------------------------------------------------------------------------------------

_PROSE: Final = (
    "patient prefers morning visits after the school run and asks for written summaries "
    "transport from the clinic was late twice follow up with the pharmacy about the refill "
    "daughter will attend and interpret discuss side effects of the new dose before deciding "
    "insurance asked for the letter again billing statement shows a duplicate charge café "
    "naïve señora Zoë résumé"
)
_WORDS: Final = tuple(_PROSE.split())


def _text(rng: random.Random, lo: int = 4, hi: int = 14) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))).capitalize() + "."


# --- the parts --------------------------------------------------------------------------------


def _patient(rng: random.Random, n: int, at: pendulum.DateTime) -> tuple[Patient, Actor]:
    patient = Patient(
        id=f"pat-{n:05d}",
        name=rng.choice(("Ana María Ruiz", "Li Wei", "Sam O'Neil", "Zoë Dubois")),
        birth_date=pendulum.date(
            1950 + rng.randint(0, 50), rng.randint(1, 12), rng.randint(1, 28)
        ),
        time_zone=ZONE,
    )
    me = Actor(member_id=patient.id, role=Role.PATIENT)
    preferences = Preferences(
        language=rng.choice(("en", "es", "fr")),
        interpreter_needed=rng.random() < 0.3,
        contact_channels=(ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.PORTAL),
        contact_hours=ContactHours(start=pendulum.time(9), end=pendulum.time(17)),
        values=tuple(_text(rng) for _ in range(3)),
        goals_in_own_words=tuple(_text(rng) for _ in range(2)),
        decision_role=rng.choice(list(DecisionRole)),
    )
    patient = patient.record_preferences(preferences, by=me, at=at)
    for i, relationship in enumerate((Relationship.CHILD, Relationship.FRIEND)):
        contact = Contact(
            id=f"con-{i}",
            name=rng.choice(("Maria Ruiz", "Tom Lee", "Ada King")),
            relationship=relationship,
            contact_points=(
                ContactPoint(
                    channel=ContactChannel.PHONE, value=f"+1-555-01{rng.randint(10, 99)}"
                ),
            ),
        )
        patient = patient.add_contact(contact, by=me, at=at.add(minutes=i + 1))
    return patient, me


_TEAM_ROLES: Final = (
    Role.CARE_COORDINATOR,
    Role.PATIENT_ADVOCATE,
    Role.TREATING_PROVIDER,
    Role.TREATING_PROVIDER,
    Role.TREATING_PROVIDER,
    Role.CAREGIVER,
)


def _team(
    rng: random.Random, patient: Patient, me: Actor, at: pendulum.DateTime, size: int
) -> CareTeam:
    team = CareTeam(id=f"team-{patient.id}", patient_id=patient.id)
    for i in range(size):
        role = _TEAM_ROLES[i % len(_TEAM_ROLES)]
        member = TeamMember(
            member_id=f"mem-{i:02d}",
            role=role,
            period=Period(start=at),
            lead=i == 0,
            display_name=rng.choice(("Dr. Okafor", "Nurse Kim", "J. Alvarez", "R. Singh")),
        )
        team = team.add_member(member, by=me, at=at.add(minutes=10 + i))
    return team


def _actors(team: CareTeam, at: pendulum.DateTime) -> dict[Role, list[Actor]]:
    out: dict[Role, list[Actor]] = {}
    for m in team.active_members(at):
        out.setdefault(m.role, []).append(team.actor(m.member_id, at, m.role))
    return out


# appointment histories: 2 to 4 lifecycle operations after the proposal
Step = Callable[[ap.Appointment, Actor, pendulum.DateTime], ap.Appointment]


def _cancel(a: ap.Appointment, by: Actor, at: pendulum.DateTime) -> ap.Appointment:
    return a.cancel(reason=ap.CancellationReason.TRANSPORT_UNAVAILABLE, by=by, at=at, note="Ride")


_PATHS: Final[tuple[tuple[tuple[str, int], ...], ...]] = (
    # (operation, hours relative to the start: negative = before)
    (("request", -200), ("book", -150)),
    (("book", -300), ("arrive", -1), ("fulfil", 1)),
    (("book", -300), ("check_in", 0), ("fulfil", 1)),
    (("request", -400), ("book", -300), ("arrive", -1), ("fulfil", 1)),
    (("request", -300), ("waitlist", -250), ("book", -100), ("check_in", 0)),
    (("book", -300), ("cancel", -30)),
    (("request", -300), ("book", -250), ("mark_no_show", 2)),
)


def _appointments(
    rng: random.Random, patient: Patient, actors: dict[Role, list[Actor]], n: int
) -> tuple[ap.Appointment, ...]:
    coordinator = actors[Role.CARE_COORDINATOR][0]
    providers = actors[Role.TREATING_PROVIDER]
    out = []
    for i in range(n):
        start = START.add(days=20 + i // 3, hours=rng.randint(0, 7))
        provider = rng.choice(providers)
        kind = rng.choice(list(ap.AppointmentKind))
        appt = ap.Appointment.propose(
            id=f"{patient.id}-appt-{i:05d}",
            patient_id=patient.id,
            kind=kind,
            service=ap.SupportiveService.TRANSPORT
            if kind is ap.AppointmentKind.SUPPORTIVE_SERVICE
            else None,
            description=_text(rng),
            participants=(
                ap.Participant(member_id=coordinator.member_id, role=Role.CARE_COORDINATOR),
                ap.Participant(member_id=provider.member_id, role=Role.TREATING_PROVIDER),
            ),
            location=ap.Location(kind=ap.LocationKind.IN_PERSON, address="12 Main St"),
            start=start,
            end=start.add(minutes=rng.choice((30, 45, 60))),
            by=coordinator,
            at=start.subtract(hours=500),
        )
        for op, hours in rng.choice(_PATHS):
            at = start.add(hours=hours)
            by = (
                provider if op in ("arrive", "check_in", "fulfil", "mark_no_show") else coordinator
            )
            appt = _cancel(appt, by, at) if op == "cancel" else getattr(appt, op)(by=by, at=at)
        out.append(appt)
    return tuple(out)


def _plan(
    rng: random.Random,
    patient: Patient,
    me: Actor,
    team: CareTeam,
    actors: dict[Role, list[Actor]],
    sizes: Sizes,
    at: pendulum.DateTime,
) -> cp.CarePlan:
    coordinator = actors[Role.CARE_COORDINATOR][0]
    providers = actors[Role.TREATING_PROVIDER]
    needs = (
        cp.Need(id="need-1", kind=cp.NeedKind.CLINICAL, description=_text(rng), code="E11.9"),
        cp.Need(
            id="need-2",
            kind=cp.NeedKind.SOCIAL,
            description=_text(rng),
            code="Z59.82",
            category=cp.SdohCategory.TRANSPORTATION_INSECURITY,
        ),
    )
    goals = tuple(
        cp.Goal(
            id=f"goal-{i:03d}",
            description=_text(rng),
            stated_by_patient=i % 4 == 0,
            target=cp.Target(measure=("HbA1c", "Steps a day")[i % 2], detail="below 7 %"),
            due=START.date().add(days=30 + 7 * i),
            need_ids=(needs[i % 2].id,),
        )
        for i in range(sizes.goals)
    )
    activities = tuple(
        cp.Activity(
            id=f"act-{i:04d}",
            kind=rng.choice(list(cp.ActivityKind)),
            description=_text(rng),
            responsible_member_id=rng.choice(providers).member_id,
            goal_ids=(goals[i % len(goals)].id,),
            need_ids=(needs[i % 2].id,),
            due=START.date().add(days=10 + i),
        )
        for i in range(sizes.activities)
    )
    plan = cp.CarePlan.draft(
        id=f"plan-{patient.id}",
        patient_id=patient.id,
        care_team_id=team.id,
        title=_text(rng, 3, 6),
        needs=needs,
        goals=goals,
        activities=activities,
        by=coordinator,
        at=at,
    )
    t = at.add(hours=1)
    plan = plan.record_agreement(by=me, at=t, method=cp.AgreementMethod.WRITTEN)
    plan = plan.activate(by=coordinator, at=t.add(minutes=5), preferences=patient.preferences)
    t = t.add(hours=1)
    for i, goal in enumerate(goals):  # 0 to 2 transitions each
        for action in (("accept", "start"), ("accept",), ())[i % 3]:
            t = t.add(minutes=3)
            by = me if action == "accept" else coordinator
            plan = plan.change_goal_status(goal.id, action, by=by, at=t)
    for i, act in enumerate(activities):  # 1 to 3 transitions each
        provider = next(a for a in providers if a.member_id == act.responsible_member_id)
        for action in (("schedule",), ("schedule", "complete"), ("start", "hold", "resume"))[
            i % 3
        ]:
            t = t.add(minutes=2)
            reason = "Waiting for the transport benefit." if action == "hold" else None
            plan = plan.change_activity_status(act.id, action, by=provider, at=t, reason=reason)
    return plan


_DEADLINE_RULES: Final = (
    "ACA-INTERNAL-APPEAL-FILING",
    "ACA-INTERNAL-APPEAL-DECISION-PRE-SERVICE",
    "ACA-INTERNAL-APPEAL-DECISION-URGENT",
    "ACA-EXTERNAL-REVIEW-FILING",
    "ACA-EXTERNAL-REVIEW-DECISION",
)


def _case(
    rng: random.Random,
    patient: Patient,
    me: Actor,
    actors: dict[Role, list[Actor]],
    sizes: Sizes,
    at: pendulum.DateTime,
) -> tuple[Consent, adv.AdvocacyCase]:
    advocate = actors[Role.PATIENT_ADVOCATE][0]
    consent = Consent(
        id=f"consent-{patient.id}",
        patient_id=patient.id,
        kind=ConsentKind.REPRESENTATION,
        grantor=me,
        grantee_id=advocate.member_id,
        categories=frozenset({InformationCategory.ADVOCACY_CASE}),
        period=Period(start=at),
    )
    consents = (consent,)
    insurer = adv.Counterparty(
        id="cp-insurer",
        kind=adv.CounterpartyKind.INSURER,
        name="Acme Health Plan",
        identifiers=(adv.Identifier(system="payer-id", value=f"P{rng.randint(10000, 99999)}"),),
    )
    t = at.add(hours=2)
    case = adv.open_case(
        id=f"case-{patient.id}",
        patient_id=patient.id,
        kind=adv.CaseKind.INSURANCE_APPEAL,
        matter=_text(rng),
        coverage_regime=CoverageRegime.EMPLOYER_OR_ACA,
        counterparties=(insurer,),
        by=advocate,
        at=t,
    )
    agreement = adv.ServiceAgreement(
        scope=_text(rng),
        fee_basis=adv.FeeBasis.HOURLY,
        fee_amount=Decimal("85.00"),
        term=Period(start=t),
        termination_criteria=("Either party, in writing.", "The appeal is decided."),
        signed_by=me,
        signed_at=t,
        advocate_id=advocate.member_id,
    )
    case = case.engage(agreement, consents=consents, by=advocate, at=t.add(minutes=5))
    case = case.start_assessment(by=advocate, at=t.add(minutes=10))
    denial = t.add(days=-3)
    deadlines = tuple(
        compute_deadline(rule, denial if rule.endswith("URGENT") else denial.date(), zone=ZONE)
        for rule in _DEADLINE_RULES[: sizes.deadlines]
    )
    t = t.add(hours=1)
    half = sizes.interactions // 2
    for i in range(sizes.interactions):
        if i == half:
            case = case.plan(by=advocate, at=t, deadlines=deadlines, level="internal_appeal")
            filing = adv.Filing(
                submitted_at=t,
                channel=adv.InteractionChannel.FAX,
                level="internal_appeal",
                confirmation=f"FAX-{rng.randint(100000, 999999)}",
            )
            case = case.file(filing, consents=consents, by=advocate, at=t.add(minutes=1))
            case = case.await_decision(by=advocate, at=t.add(minutes=2))
            t = t.add(minutes=3)
        t = t.add(hours=rng.randint(1, 30))
        interaction = adv.Interaction(
            at=t,
            channel=rng.choice(list(adv.InteractionChannel)),
            by=advocate,
            counterparty_id=insurer.id,
            party=rng.choice(("J. Smith, appeals", "Claims desk", None)),
            summary=_text(rng, 8, 30),
            outcome=rng.choice(list(adv.InteractionOutcome)),
            next_step=_text(rng) if rng.random() < 0.5 else None,
            reference_number=f"REF-{rng.randint(100000, 999999)}",
        )
        case = case.log_interaction(interaction, consents=consents, by=advocate, at=t)
    return consent, case


# --- the record -------------------------------------------------------------------------------


def build(size: str = "medium", seed: int = 20260309, n: int = 1) -> Record:
    """The record of `size` ("small", "medium", "large") for `seed`; `n` numbers the patient."""
    sizes = SIZES[size]
    rng = random.Random(f"{seed}-{size}-{n}")
    at = START.subtract(days=30)
    patient, me = _patient(rng, n, at)
    team = _team(rng, patient, me, at, sizes.team)
    actors = _actors(team, at.add(days=1))
    plan = _plan(rng, patient, me, team, actors, sizes, at.add(days=1))
    consent, case = _case(rng, patient, me, actors, sizes, at.add(days=2))
    return Record(
        patient=patient,
        team=team,
        consents=(consent,),
        plan=plan,
        appointments=_appointments(rng, patient, actors, sizes.appointments),
        case=case,
        note=_text(rng),
    )


def batch(count: int = 1000, seed: int = 20260309) -> tuple[Record, ...]:
    """`count` small records, each for its own patient."""
    return tuple(build("small", seed, n) for n in range(count))
