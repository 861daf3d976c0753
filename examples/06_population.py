# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A population notebook
#
# An analyst's view over many patients: which care-plan reviews are overdue, which case
# deadlines fall due this week, and which barriers to access were removed for whom.
#
# The patients are generated, deterministically, with `random.Random(2026)` and careroles'
# public constructors and operations (every history is reached by legal operations).  The
# generator is biased on purpose, so that the disparities report has something to show: it
# is a demonstration, not data.  pandas and matplotlib are optional (`careroles[pandas]`,
# `careroles[plot]`).

# %%
from __future__ import annotations

import importlib.util
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pendulum

import careroles as cr
from careroles.notebook import rows, show_identifiers

AS_OF = pendulum.datetime(2026, 3, 16, 9, tz="America/New_York")  # Monday 16 March 2026
WEEK = pendulum.duration(days=7)
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
LANGUAGES = ("en", "en", "en", "es", "es", "zh", "vi")
BARRIERS = (
    cr.Barrier.TRANSPORT,
    cr.Barrier.FOOD,
    cr.Barrier.COST,
    cr.Barrier.HOUSING,
    cr.Barrier.DIGITAL_ACCESS,
    cr.Barrier.CHILDCARE,
)


def table(records: list[dict[str, Any]], columns: list[str] | None = None) -> None:
    """Print rows as a plain text table."""
    if not records:
        print("  (none)")
        return
    columns = columns or list(records[0])
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in records]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    for line in (columns, ["-" * w for w in widths], *cells):
        print("  " + "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


# %% [markdown]
# ## Generating the population

# %%
rng = random.Random(2026)


def make_plan(pid: str, zone: str, coordinator: cr.Actor, me: cr.Actor) -> cr.CarePlan:
    start = pendulum.datetime(2026, 1, 5, 9, tz=zone).add(days=rng.randrange(0, 60))
    plan = (
        cr.CarePlan.draft(
            id=f"cp-{pid}",
            patient_id=pid,
            care_team_id=f"team-{pid}",
            title="Care plan",
            by=coordinator,
            at=start,
            review_cadence="ccm_monthly",
            goals=[
                cr.Goal(
                    id="g-1",
                    description="A goal in the patient's own words",
                    stated_by_patient=True,
                    target=cr.Target(measure="measure", detail="target"),
                    due=start.date().add(months=6),
                )
            ],
            activities=[
                cr.Activity(
                    id="a-1",
                    kind=rng.choice(list(cr.ActivityKind)),
                    description="an activity",
                    responsible_member_id=coordinator.member_id,
                    goal_ids=("g-1",),
                )
            ],
        )
        .record_agreement(by=me, at=start.add(minutes=5), method=cr.AgreementMethod.VERBAL)
        .activate(by=coordinator, at=start.add(minutes=10), preferences=cr.Preferences())
    )
    review = start.add(days=rng.randrange(20, 45))
    if review < AS_OF and rng.random() < 0.6:
        plan = plan.record_review(by=coordinator, at=review)
    return plan


def make_appointments(pid: str, zone: str, coordinator: cr.Actor) -> list[cr.Appointment]:
    out = []
    for n in range(rng.randrange(1, 4)):
        start = pendulum.datetime(2026, 3, 9, 8, tz=zone).add(
            days=rng.randrange(0, 14), hours=rng.randrange(0, 9)
        )
        booked_at = start.subtract(days=10)
        appt = cr.Appointment.propose(
            id=f"appt-{pid}-{n}",
            patient_id=pid,
            kind=rng.choice(list(cr.AppointmentKind)),
            service=cr.SupportiveService.TRANSPORT,
            start=start,
            end=start.add(minutes=45),
            by=coordinator,
            at=booked_at,
        ).book(by=coordinator, at=booked_at)
        if start.add(days=1) < AS_OF:
            if rng.random() < 0.2:
                appt = appt.mark_no_show(by=coordinator, at=start.add(days=1))
            else:
                appt = appt.fulfil(by=coordinator, at=start.add(hours=1))
        out.append(appt)
    return out


def make_case(pid: str, advocate: cr.Actor, me: cr.Actor, n: int) -> cr.AdvocacyCase:
    """A records request or an insurance appeal, planned with its computed clock."""
    if rng.random() < 0.5:
        kind, rule, regime = cr.CaseKind.RECORDS_ACCESS, "HIPAA-ACCESS-RESPONSE", None
        trigger = AS_OF.subtract(days=rng.randrange(20, 40)).date()
    else:
        kind, rule = cr.CaseKind.INSURANCE_APPEAL, "ACA-INTERNAL-APPEAL-FILING"
        regime = cr.CoverageRegime.EMPLOYER_OR_ACA
        trigger = AS_OF.subtract(days=rng.randrange(172, 188)).date()
    opened = pendulum.datetime(trigger.year, trigger.month, trigger.day, 10, tz="America/New_York")
    consent = cr.Consent(
        id=f"k-{pid}",
        patient_id=pid,
        kind=cr.ConsentKind.REPRESENTATION,
        grantor=me,
        grantee_id=advocate.member_id,
        categories=frozenset({cr.InformationCategory.ADVOCACY_CASE}),
        period=cr.Period(start=opened),
    )
    agreement = cr.ServiceAgreement(
        scope="the matter",
        fee_basis=cr.FeeBasis.PRO_BONO,
        term=cr.Period(start=opened),
        termination_criteria=("matter decided",),
        signed_by=me,
        signed_at=opened,
        advocate_id=advocate.member_id,
    )
    return (
        cr.open_case(
            id=f"case-{n:03d}",
            patient_id=pid,
            kind=kind,
            matter="the matter",
            by=advocate,
            at=opened,
        )
        .engage(agreement, consents=[consent], by=advocate, at=opened)
        .start_assessment(by=advocate, at=opened)
        .plan(
            by=advocate,
            at=opened.add(hours=1),
            deadlines=[cr.compute_deadline(rule, trigger)],
            coverage_regime=regime,
        )
    )


def make_referrals(
    pid: str, language: str, coordinator: cr.Actor, me: cr.Actor
) -> list[cr.Referral]:
    out = []
    got_help = 0.75 if language == "en" else 0.45  # the generator's bias, on purpose
    for n in range(rng.randrange(0, 3)):
        at = pendulum.datetime(2026, 1, 12, 10, tz="America/New_York").add(days=rng.randrange(50))
        performer = f"org-{rng.randrange(5)}"
        sharing = cr.Consent(
            id=f"k-{pid}-{n}",
            patient_id=pid,
            kind=cr.ConsentKind.AUTHORIZATION,
            grantor=me,
            grantee_id=performer,
            categories=frozenset({cr.InformationCategory.SOCIAL_NEEDS}),
            period=cr.Period(start=at, end=at.add(years=1)),
        )
        referral = cr.Referral(
            id=f"ref-{pid}-{n}",
            patient_id=pid,
            service="a community service",
            barriers=frozenset(rng.sample(BARRIERS, rng.randrange(1, 3))),
            requested_by=coordinator,
            created_at=at,
        ).request(consents=[sharing], by=coordinator, at=at, performer_id=performer)
        referral = referral.accept(by=coordinator, at=at.add(days=1))
        referral = referral.start(by=coordinator, at=at.add(days=2))
        outcome = (
            cr.ReferralOutcome.GOT_HELP
            if rng.random() < got_help
            else rng.choice([cr.ReferralOutcome.COULDNT_CONTACT, cr.ReferralOutcome.NO_CAPACITY])
        )
        out.append(referral.complete(outcome, by=coordinator, at=at.add(days=9)))
    return out


patients: list[cr.Patient] = []
plans: list[cr.CarePlan] = []
appointments: list[cr.Appointment] = []
cases: list[cr.AdvocacyCase] = []
referrals: dict[str, list[cr.Referral]] = {}
for i in range(60):
    pid = f"pat-{i:03d}"
    zone, language = rng.choice(ZONES), rng.choice(LANGUAGES)
    coordinator = cr.Actor(member_id=f"cc-{i % 4}", role=cr.Role.CARE_COORDINATOR)
    advocate = cr.Actor(member_id=f"adv-{i % 2}", role=cr.Role.PATIENT_ADVOCATE)
    me = cr.Actor(member_id=pid, role=cr.Role.PATIENT)
    patients.append(
        cr.Patient(
            id=pid,
            name=f"Generated patient {i}",
            time_zone=zone,
            preferences=cr.Preferences(language=language),
        )
    )
    plans.append(make_plan(pid, zone, coordinator, me))
    appointments += make_appointments(pid, zone, coordinator)
    if rng.random() < 0.3:
        cases.append(make_case(pid, advocate, me, len(cases)))
    referrals[pid] = make_referrals(pid, language, coordinator, me)

language_of = {p.id: p.preferences.language for p in patients}
print(
    f"{len(patients)} patients, {len(plans)} plans, {len(appointments)} appointments, "
    f"{len(cases)} advocacy cases, {sum(map(len, referrals.values()))} referrals"
)
print("languages:", dict(sorted(Counter(language_of.values()).items())))

# %% [markdown]
# ## What `rows` gives a notebook
#
# `careroles.notebook.rows` turns records into plain rows: no patient data, identifiers
# masked unless you opt in with `show_identifiers()`.

# %%
print("Appointments by status (from rows):")
status_counts = Counter(row["status"] for row in rows(appointments))
table([{"status": s, "appointments": n} for s, n in sorted(status_counts.items())])
print("\nThe first three plans, as rows:")
table(rows(plans[:3]), ["type", "status", "review_cadence", "last_reviewed_at"])

# %% [markdown]
# ## Overdue plan reviews
#
# The `ccm_monthly` cadence makes a review due one calendar month after the last review (or
# the activation), by the end of that day in the plan's zone.

# %%
overdue = [p for p in plans if cr.is_review_overdue(p, AS_OF)]
print(
    f"\nOverdue reviews as of {AS_OF.format('ddd D MMM YYYY HH:mm zz')}: "
    f"{len(overdue)} of {len(plans)} plans"
)
by_coordinator: dict[str, list[int]] = defaultdict(lambda: [0, 0])
for plan in plans:
    owner = plan.activities[0].responsible_member_id or "?"
    by_coordinator[owner][0] += 1
    by_coordinator[owner][1] += plan in overdue
table(
    [
        {"coordinator": cc, "plans": n, "overdue": late, "share": f"{late / n:.0%}"}
        for cc, (n, late) in sorted(by_coordinator.items())
    ]
)
# An overdue plan always has a due instant; keep the pairs so it is computed once.
due_dates = [
    (p, review_due) for p in overdue if (review_due := cr.next_review_due(p, at=AS_OF)) is not None
]
oldest_due = sorted(due_dates, key=lambda pair: pair[1])[:5]
oldest = [p for p, _ in oldest_due]
print("\nLongest overdue (identifiers shown: a worklist needs them):")
with show_identifiers():
    table(
        [
            {
                "plan": row["id"],
                "review was due": str(review_due.date()),
                "last reviewed": row["last_reviewed_at"] or "never",
            }
            for (_, review_due), row in zip(oldest_due, rows(oldest), strict=True)
        ]
    )

# %% [markdown]
# ## Case deadlines due this week
#
# The unmet deadlines of open cases due within seven days (overdue ones included), soonest
# first, each with its rule and citation.

# %%
due = cr.deadlines_due(cases, as_of=AS_OF, within=WEEK)
print(f"\nDeadlines due by {(AS_OF + WEEK).format('ddd D MMM')}: {len(due)}")
table(
    [
        {
            "case": row.case_id,
            "kind": row.kind.value,
            "rule": row.deadline.rule_id,
            "due": str(row.deadline.due_on),
            "days left": row.deadline.days_left(AS_OF),
        }
        for row in due
    ]
)
print("\nSources:")
for rule_id, citation in sorted({(r.deadline.rule_id, r.deadline.citation) for r in due}):
    print(f"  {rule_id}: {citation}")

# %% [markdown]
# ## Barriers and disparities
#
# `disparities_report` counts barriers by kind, and how many were resolved (the referral was
# completed and the patient got help), per group: here, the patient's preferred language.

# %%
report = cr.disparities_report(referrals, group_by=language_of)
print("\nBarriers by preferred language:")
table(report)

resolved: dict[str, list[int]] = defaultdict(lambda: [0, 0])
for r in report:
    resolved[r["group"]][0] += r["resolved"]
    resolved[r["group"]][1] += r["referrals"]
print("\nResolved share by language (all barriers):")
table(
    [
        {"language": g, "resolved": a, "barrier referrals": b, "share": f"{a / b:.0%}"}
        for g, (a, b) in sorted(resolved.items())
    ]
)

# %% [markdown]
# ## With pandas (optional)

# %%
try:
    import pandas as pd
except ImportError:
    print("pandas is not installed: pip install 'careroles[pandas]' for DataFrames")
else:
    frame = pd.DataFrame(report)
    print(frame.pivot_table(index="barrier", columns="group", values="resolved", aggfunc="sum"))

# %% [markdown]
# ## A timeline (optional)
#
# One patient's appointments, next plan review and case deadlines, drawn with matplotlib
# and saved under `build/figures/`.  Skipped when matplotlib is not installed.

# %%
if importlib.util.find_spec("matplotlib") is None:
    print("matplotlib is not installed: pip install 'careroles[plot]' for the timeline")
else:
    from careroles.notebook import timeline

    case = cases[0]
    who = case.patient_id
    plan = next(p for p in plans if p.patient_id == who)
    review = cr.next_review_due(plan, at=AS_OF)
    figure = timeline(
        appointments=[a for a in appointments if a.patient_id == who],
        reviews=[review] if review is not None else [],
        deadlines=case.deadlines,
        title="One patient's timeline",
    )
    root = next(
        (p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").exists()),
        Path.cwd(),
    )
    out = root / "build" / "figures" / "06_population_timeline.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out)
    print(f"timeline saved to {out.relative_to(root)}")
