"""Benchmark :func:`careroles.care_review.check_care` on a large record (seeded, plain script).

One patient: an active care plan with 100 activities (20 goals), 300 appointments over a year
(some cancelled or rescheduled, some overlapping), reviewed after 26 weeks of weekly progress
updates to the patient and two family members, their consents (one revoked since), a weekly
update cadence.

Run ``python bench/bench_review.py`` (``--repeat N``, ``--seed S``); it prints the median time
of one ``check_care`` call and the number of findings.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import pendulum

import careroles as cr
from careroles.appointments import Appointment, AppointmentKind, CancellationReason
from careroles.care_plans import (
    Activity,
    ActivityKind,
    AgreementMethod,
    CarePlan,
    Goal,
    Target,
)
from careroles.care_review import check_care
from careroles.communications import (
    ProgressUpdate,
    RecipientKind,
    UpdateCadence,
    UpdateItem,
    UpdateRecipient,
    UpdateSection,
)

TZ = "America/New_York"
START = pendulum.datetime(2026, 1, 5, 9, tz=TZ)
AT = START.add(weeks=26, days=3)  # the review instant: half the appointments are ahead
COORD = cr.Actor(member_id="coord-1", role=cr.Role.CARE_COORDINATOR)
PROVIDER = cr.Actor(member_id="doc-1", role=cr.Role.TREATING_PROVIDER)
PATIENT = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)
CATEGORIES = (
    cr.InformationCategory.CARE_PLAN,
    cr.InformationCategory.APPOINTMENTS,
    cr.InformationCategory.CLINICAL,
)


def build(seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    patient = cr.Patient(
        id="pat-1",
        name="Bench Patient",
        time_zone=TZ,
        contacts=(
            cr.Contact(id="c-1", name="Daughter", relationship=cr.Relationship.CHILD),
            cr.Contact(id="c-2", name="Partner", relationship=cr.Relationship.PARTNER),
        ),
    )
    goals = [
        Goal(
            id=f"g-{g}",
            description=f"Goal {g}",
            stated_by_patient=g == 0,
            target=Target(measure="measure", detail="detail"),
            due=pendulum.Date(2027, 6, 1),
        )
        for g in range(20)
    ]
    activities = [
        Activity(
            id=f"a-{i}",
            kind=rng.choice(list(ActivityKind)),
            description=f"Activity {i}",
            responsible_member_id=rng.choice(["coord-1", "doc-1"]),
            goal_ids=(f"g-{rng.randrange(20)}",),
        )
        for i in range(100)
    ]
    plan = CarePlan.draft(
        id="plan-1",
        patient_id="pat-1",
        care_team_id="team-1",
        title="Bench plan",
        by=COORD,
        at=START,
        goals=goals,
        activities=activities,
        review_cadence="ccm_monthly",
    )
    plan = plan.record_agreement(by=PATIENT, at=START, method=AgreementMethod.WRITTEN)
    plan = plan.activate(by=COORD, at=START, preferences=patient.preferences)

    appointments: list[Appointment] = []
    for n in range(300):
        begin = START.add(days=rng.randrange(1, 365), hours=rng.randrange(0, 8))
        appt = Appointment.propose(
            id=f"ap-{n}",
            patient_id="pat-1",
            kind=rng.choice([AppointmentKind.TREATMENT, AppointmentKind.FOLLOW_UP]),
            start=begin,
            end=begin.add(minutes=rng.choice([30, 60, 90])),
            activity_id=f"a-{n % 100}",
            by=COORD,
            at=START,
        ).book(by=COORD, at=START)
        roll = rng.random()
        if roll < 0.08:
            appt = appt.cancel(reason=CancellationReason.COST, by=COORD, at=begin.subtract(days=3))
        elif roll < 0.13:
            old, new = appt.reschedule(
                f"ap-{n}-r",
                begin.add(days=14),
                begin.add(days=14, hours=1),
                by=COORD,
                at=begin.subtract(days=2),
            )
            appointments.append(new)
            appt = old
        elif roll < 0.9 and appt.end < AT:
            appt = appt.fulfil(by=PROVIDER, at=appt.end)
        appointments.append(appt)

    consents = [
        cr.Consent(
            id=f"k-{c}",
            patient_id="pat-1",
            kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
            grantor=PATIENT,
            grantee_id=f"c-{c}",
            categories=frozenset(CATEGORIES),
            period=cr.Period(start=START.subtract(days=1)),
        )
        for c in (1, 2)
    ]
    updates = []
    recipients = (
        UpdateRecipient(kind=RecipientKind.PATIENT),
        UpdateRecipient(kind=RecipientKind.CONTACT, contact_id="c-1"),
        UpdateRecipient(kind=RecipientKind.CONTACT, contact_id="c-2"),
    )
    for w in range(26):
        if rng.random() < 0.1:
            continue  # a missed week
        items = tuple(
            UpdateItem(section=rng.choice(list(UpdateSection)), category=c, text=f"item {w}")
            for c in rng.sample(CATEGORIES, k=rng.randint(1, 3))
        )
        update = ProgressUpdate(
            id=f"u-{w}",
            patient_id="pat-1",
            plan_id="plan-1",
            author=COORD,
            recipients=recipients,
            items=items,
        )
        updates.append(
            update.send(consents=consents, by=COORD, at=START.add(weeks=w, days=rng.randrange(7)))
        )
    consents[1] = consents[1].revoke(by=PATIENT, at=START.add(weeks=26))
    return {
        "patient": patient,
        "plan": plan,
        "appointments": tuple(appointments),
        "updates": tuple(updates),
        "cadence": UpdateCadence(plan_id="plan-1", every=pendulum.duration(weeks=1), start=START),
        "consents": tuple(consents),
        "at": AT,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--seed", type=int, default=20260309)
    args = parser.parse_args()
    record = build(args.seed)
    n_appts = len(record["appointments"])  # type: ignore[arg-type]
    times = []
    findings: tuple[object, ...] = ()
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        findings = check_care(**record)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t0)
    print(
        f"check_care: 100 activities, {n_appts} appointments, "
        f"{len(record['updates'])} updates: "  # type: ignore[arg-type]
        f"median {statistics.median(times) * 1000:.1f} ms over {args.repeat} runs "
        f"(min {min(times) * 1000:.1f} ms), {len(findings)} findings"
    )


if __name__ == "__main__":
    main()
