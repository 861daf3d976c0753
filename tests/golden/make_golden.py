"""Golden files: one hand-built, realistic document per aggregate root and version.

``python tests/golden/make_golden.py`` writes ``tests/golden/<Document>-<version>.json`` for
every row of :data:`careroles._documents.DOCUMENTS` that has a builder here and no file yet.
It never overwrites a file: a golden file is a promise that what was written once keeps
loading.  To cover a new root, add one function decorated with ``@builder("<Document>")``
that returns a fixed object (fixed instants, operations rather than faked histories), then
run the script.  ``tests/test_golden.py`` checks every file against its builder.

When a root's version changes, keep the old file (the test then checks that it still loads,
through the migrations) and write the new one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum

import careroles as cr
from careroles._documents import DOCUMENTS

HERE = Path(__file__).parent

#: Builders by document name.
BUILDERS: dict[str, Callable[[], Any]] = {}

TZ = "America/Chicago"
T0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)  # Monday 9 March 2026, 09:00 Chicago
SINCE = cr.Period(start=T0.subtract(days=30))
ROSA = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)
COORDINATOR = cr.Actor(member_id="cc-1", role=cr.Role.CARE_COORDINATOR)
ADVOCATE = cr.Actor(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE)
DOCTOR = cr.Actor(member_id="dr-1", role=cr.Role.TREATING_PROVIDER)


def builder(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register the builder of document `name`."""

    def register(fn: Callable[[], Any]) -> Callable[[], Any]:
        BUILDERS[name] = fn
        return fn

    return register


def golden_text(value: Any) -> str:
    """The golden form: careroles' JSON, indented for people, keys in careroles' order."""
    return json.dumps(json.loads(cr.dumps(value)), indent=2, ensure_ascii=False) + "\n"


def golden_path(name: str, version: str) -> Path:
    return HERE / f"{name}-{version}.json"


# --- builders ---------------------------------------------------------------------------------


@builder("Patient")
def patient() -> cr.Patient:
    daughter = cr.Contact(
        id="c-daughter",
        name="Lucía Delgado",
        relationship=cr.Relationship.CHILD,
        contact_points=(
            cr.ContactPoint(channel=cr.ContactChannel.PHONE, value="+1 312 555 0142"),
            cr.ContactPoint(channel=cr.ContactChannel.EMAIL, value="lucia@example.org"),
        ),
        representative_basis=cr.RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY,
        representative_period=cr.Period(start=T0.subtract(years=1)),
    )
    preferences = cr.Preferences(
        language="es",
        interpreter_needed=True,
        contact_channels=(cr.ContactChannel.PHONE, cr.ContactChannel.SMS),
        contact_hours=cr.ContactHours(
            start=pendulum.time(10), end=pendulum.time(18), days=frozenset({0, 1, 2, 3, 4})
        ),
        values=("Seguir viviendo en mi casa",),
        goals_in_own_words=("Volver a caminar a la iglesia",),
        declined_treatments=(
            cr.DeclinedTreatment(
                code="609588000",
                description="total knee replacement",
                declined_at=T0.subtract(days=3),
            ),
        ),
        decision_role=cr.DecisionRole.SHARED,
    )
    rosa = cr.Patient(
        id="pat-1", name="Rosa Delgado", birth_date=pendulum.date(1958, 4, 2), time_zone=TZ
    )
    rosa = rosa.add_contact(daughter, by=ROSA, at=T0)
    return rosa.record_preferences(
        preferences, by=ADVOCATE, at=T0.add(hours=1), on_behalf_of_patient=True
    )


@builder("CareTeam")
def care_team() -> cr.CareTeam:
    team = cr.CareTeam(
        id="team-1",
        patient_id="pat-1",
        members=(
            cr.TeamMember(member_id="pat-1", role=cr.Role.PATIENT, period=SINCE),
            cr.TeamMember(
                member_id="cc-1",
                role=cr.Role.CARE_COORDINATOR,
                period=SINCE,
                lead=True,
                display_name="Dana Whitfield, RN",
            ),
            cr.TeamMember(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE, period=SINCE),
        ),
    )
    team = team.add_member(
        cr.TeamMember(
            member_id="dr-1", role=cr.Role.TREATING_PROVIDER, period=cr.Period(start=T0)
        ),
        by=COORDINATOR,
        at=T0,
    )
    return team.end_membership("adv-1", cr.Role.PATIENT_ADVOCATE, by=ROSA, at=T0.add(days=20))


@builder("Consent")
def consent() -> cr.Consent:
    granted = cr.Consent(
        id="k-1",
        patient_id="pat-1",
        kind=cr.ConsentKind.AUTHORIZATION,
        grantor=ROSA,
        grantee_id="c-daughter",
        categories=frozenset(
            {cr.InformationCategory.APPOINTMENTS, cr.InformationCategory.CARE_PLAN}
        ),
        purposes=frozenset({cr.Purpose.FAMILY_INVOLVEMENT}),
        period=cr.Period(start=T0, end=T0.add(years=1)),
        note="Solo citas y plan de cuidado; nada sobre la salud mental",
    )
    return granted.revoke(
        by=ROSA, at=T0.add(days=40), received_at=T0.add(days=38), reason="Cambió de opinión"
    )


@builder("CarePlan")
def care_plan() -> Any:
    plan = cr.CarePlan.draft(
        id="cp-1",
        patient_id="pat-1",
        care_team_id="team-1",
        title="Volver a caminar",
        by=COORDINATOR,
        at=T0.add(hours=1),
        review_cadence="ccm_monthly",
        needs=[
            cr.Need(id="n-knee", kind=cr.NeedKind.CLINICAL, description="knee pain when walking"),
            cr.Need(
                id="n-ride",
                kind=cr.NeedKind.SOCIAL,
                description="no ride to the clinic",
                category=cr.SdohCategory.TRANSPORTATION_INSECURITY,
            ),
        ],
        goals=[
            cr.Goal(
                id="g-church",
                description="Volver a caminar a la iglesia",
                stated_by_patient=True,
                target=cr.Target(measure="walking distance", detail="800 m without resting"),
                due=pendulum.date(2026, 6, 30),
                need_ids=("n-knee", "n-ride"),
            )
        ],
        activities=[
            cr.Activity(
                id="a-physio",
                kind=cr.ActivityKind.TREATMENT,
                description="physiotherapy twice a week",
                responsible_member_id="dr-1",
                goal_ids=("g-church",),
                need_ids=("n-knee",),
            ),
            cr.Activity(
                id="a-ride",
                kind=cr.ActivityKind.SUPPORTIVE_SERVICE,
                description="arrange transport to physiotherapy",
                responsible_member_id="cc-1",
                goal_ids=("g-church",),
                need_ids=("n-ride",),
            ),
        ],
    )
    plan = plan.record_agreement(by=ROSA, at=T0.add(hours=2), method=cr.AgreementMethod.VERBAL)
    plan = plan.activate(by=COORDINATOR, at=T0.add(hours=3), preferences=patient().preferences)
    return plan.change_activity_status(
        "a-physio", "schedule", by=COORDINATOR, at=T0.add(hours=4), appointment_id="appt-1"
    )


@builder("Appointment")
def appointment() -> Any:
    return cr.Appointment.propose(
        id="appt-1",
        patient_id="pat-1",
        kind=cr.AppointmentKind.TREATMENT,
        start=pendulum.datetime(2026, 3, 16, 11, tz=TZ),
        end=pendulum.datetime(2026, 3, 16, 12, tz=TZ),
        participants=[
            cr.Participant(member_id="pat-1", role=cr.Role.PATIENT),
            cr.Participant(member_id="dr-1", role=cr.Role.TREATING_PROVIDER),
        ],
        location=cr.Location(kind=cr.LocationKind.IN_PERSON, address="Clinic, 2nd floor"),
        activity_id="a-physio",
        by=COORDINATOR,
        at=T0.add(hours=4),
    ).book(by=COORDINATOR, at=T0.add(hours=4))


@builder("Concern")
def concern() -> Any:
    return cr.raise_concern(
        id="cn-1",
        patient_id="pat-1",
        topic=cr.ConcernTopic.APPOINTMENT,
        in_own_words="Me da miedo no tener cómo volver a casa después de la terapia",
        by=ADVOCATE,
        at=T0.add(days=1),
        on_behalf_of_patient=True,
    )


def _team_for_messages() -> cr.CareTeam:
    return cr.CareTeam(
        id="team-1",
        patient_id="pat-1",
        members=(
            cr.TeamMember(member_id="pat-1", role=cr.Role.PATIENT, period=SINCE),
            cr.TeamMember(member_id="cc-1", role=cr.Role.CARE_COORDINATOR, period=SINCE),
            cr.TeamMember(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE, period=SINCE),
            cr.TeamMember(member_id="dr-1", role=cr.Role.TREATING_PROVIDER, period=SINCE),
        ),
    )


@builder("Message")
def message() -> Any:
    sent = cr.Message.send(
        _team_for_messages(),
        id="msg-1",
        recipients=("dr-1", "adv-1"),
        subject="Transporte a fisioterapia",
        body="Rosa no tiene cómo llegar el lunes; ¿podemos mover la cita a las 11?",
        by=COORDINATOR,
        at=T0.add(hours=5),
    )
    return sent.mark_read("dr-1", by=DOCTOR, at=T0.add(hours=6))


@builder("ProgressUpdate")
def progress_update() -> Any:
    from careroles.communications import (
        RecipientKind,
        UpdateItem,
        UpdateRecipient,
        UpdateSection,
    )

    update = cr.ProgressUpdate(
        id="u-1",
        patient_id="pat-1",
        plan_id="cp-1",
        author=COORDINATOR,
        recipients=(
            UpdateRecipient(kind=RecipientKind.PATIENT),
            UpdateRecipient(kind=RecipientKind.CONTACT, contact_id="c-daughter"),
        ),
        items=(
            UpdateItem(
                section=UpdateSection.UPCOMING_APPOINTMENTS,
                category=cr.InformationCategory.APPOINTMENTS,
                text="Fisioterapia el lunes 16 a las 11:00, segundo piso",
            ),
        ),
    )
    family = cr.Consent(
        id="k-family",
        patient_id="pat-1",
        kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
        grantor=ROSA,
        grantee_id="c-daughter",
        categories=frozenset({cr.InformationCategory.APPOINTMENTS}),
        period=cr.Period(start=T0.subtract(days=10)),
    )
    return update.send(consents=[family], by=COORDINATOR, at=T0.add(days=2))


@builder("TreatmentDecision")
def treatment_decision() -> Any:
    from careroles.decisions import DecisionMaker, DecisionOption

    options = (
        DecisionOption(
            id="physio",
            label="Physiotherapy and weight-bearing exercise",
            treatment_code="91251008",
            benefits=("less pain when walking",),
            harms=("sore muscles at first",),
        ),
        DecisionOption(
            id="wait",
            label="Wait and review in three months",
            is_do_nothing=True,
            benefits=("no new appointments",),
            harms=("pain may get worse",),
        ),
    )
    decision = cr.TreatmentDecision(
        id="dec-1",
        patient_id="pat-1",
        question="¿Fisioterapia ahora o esperar?",
        decision_maker=DecisionMaker(member_id="pat-1", role=cr.Role.PATIENT),
        options=options,
    )
    return (
        decision.present_options(by=DOCTOR, at=T0)
        .start_deliberation(by=ROSA, at=T0.add(hours=1))
        .decide("physio", by=ROSA, at=T0.add(hours=2))
    )


@builder("AdvocacyCase")
def advocacy_case() -> Any:
    from careroles.advocacy import (
        CaseKind,
        Counterparty,
        CounterpartyKind,
        FeeBasis,
        Identifier,
        ServiceAgreement,
        open_case,
    )

    insurer = Counterparty(
        id="cp-1",
        kind=CounterpartyKind.INSURER,
        name="Acme Health Plan",
        identifiers=(Identifier(system="https://example.org/payer-id", value="60054"),),
    )
    representation = cr.Consent(
        id="k-rep",
        patient_id="pat-1",
        kind=cr.ConsentKind.REPRESENTATION,
        grantor=ROSA,
        grantee_id="adv-1",
        categories=frozenset({cr.InformationCategory.ADVOCACY_CASE}),
        period=cr.Period(start=T0),
    )
    agreement = ServiceAgreement(
        scope="internal appeal of the physiotherapy denial",
        fee_basis=FeeBasis.HOURLY,
        fee_amount=Decimal("95.00"),
        term=cr.Period(start=T0, end=T0.add(months=6)),
        termination_criteria=("appeal decided", "either party on 14 days' notice"),
        signed_by=ROSA,
        signed_at=T0,
        advocate_id="adv-1",
    )
    return (
        open_case(
            id="case-1",
            patient_id="pat-1",
            kind=CaseKind.INSURANCE_APPEAL,
            matter="El seguro negó la fisioterapia que pidió el doctor",
            by=ADVOCATE,
            at=T0,
            counterparties=[insurer],
        )
        .engage(agreement, consents=[representation], by=ADVOCATE, at=T0.add(hours=1))
        .start_assessment(by=ADVOCATE, at=T0.add(hours=2))
    )


@builder("Referral")
def referral() -> Any:
    from careroles.navigation import Barrier, Referral

    sharing = cr.Consent(
        id="k-cbo",
        patient_id="pat-1",
        kind=cr.ConsentKind.AUTHORIZATION,
        grantor=ROSA,
        grantee_id="org-rides",
        categories=frozenset({cr.InformationCategory.SOCIAL_NEEDS}),
        period=cr.Period(start=T0, end=T0.add(years=1)),
    )
    draft = Referral(
        id="ref-1",
        patient_id="pat-1",
        service="Volunteer rides to physiotherapy on Mondays",
        barriers=frozenset({Barrier.TRANSPORT}),
        requested_by=COORDINATOR,
        created_at=T0,
    )
    return draft.request(
        consents=[sharing], by=COORDINATOR, at=T0, performer_id="org-rides"
    ).accept(by=COORDINATOR, at=T0.add(days=1))


@builder("EducationRecord")
def education_record() -> Any:
    from careroles.navigation import EducationRecord

    return EducationRecord(
        id="ed-1",
        patient_id="pat-1",
        resource_id="res-appeal-rights",
        topic="appeal_rights",
        language="es",
        delivered_at=T0.add(days=1),
        delivered_by=ADVOCATE,
        interpreter_used=False,
    )


# --- the script -------------------------------------------------------------------------------


def main() -> int:
    missing = []
    for cls, doc in DOCUMENTS.items():
        path = golden_path(doc.name, doc.version)
        if path.exists():
            print(f"kept     {path.name} (golden files are never overwritten)")
            continue
        build = BUILDERS.get(doc.name)
        if build is None:
            missing.append(doc.name)
            print(f"MISSING  {path.name}: add a @builder({doc.name!r}) function")
            continue
        value = build()
        if type(value) is not cls:
            raise TypeError(f"builder {doc.name} returned {type(value).__name__}")
        path.write_text(golden_text(value), encoding="utf-8")
        print(f"wrote    {path.name}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
