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
# # An advocate's insurance appeal
#
# The patient's employer health plan denied a knee MRI as "not medically necessary"; she
# received the denial notice on Monday 2 February 2026.  Her patient advocate takes the case:
# authorization to represent, a service agreement, the coverage regime (route first), the
# filing and decision clocks computed from cited rules, a call log, the appeal filed with
# proof, and, when the plan misses its decision deadline, the escalation the rule allows.
#
# Deadlines come from a table of cited, effective-dated rules.  Not legal advice.

# %%
from __future__ import annotations

import pendulum

import careroles as cr

TZ = "America/New_York"


def day(month: int, d: int, hour: int = 10, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, d, hour, minute, tz=TZ)


def step(text: str) -> None:
    print(f"\n== {text}")


def show_deadlines(deadlines: tuple[cr.Deadline, ...], at: pendulum.DateTime) -> None:
    for d in deadlines:
        state = "met" if d.met_at is not None else f"{d.days_left(at):+d} days"
        print(f"  {d.rule_id:<42} {d.clock.value:<8} due {d.due_on}  ({state})")
        print(f"    {d.citation}")


patient = cr.Actor(member_id="pat-3", role=cr.Role.PATIENT)
advocate = cr.Actor(member_id="adv-3", role=cr.Role.PATIENT_ADVOCATE)
denial_received = pendulum.date(2026, 2, 2)

# %% [markdown]
# ## Intake: the case is opened
#
# Without the patient's authorization to represent her, the advocate may not contact the
# insurer for her: the refusal names the role and the action, never the person.

# %%
insurer = cr.Counterparty(
    id="payer-1",
    kind=cr.CounterpartyKind.INSURER,
    name="Example Employer Health Plan",
    identifiers=(cr.Identifier(system="https://example.org/payer-id", value="60054"),),
)
case = cr.open_case(
    id="case-3",
    patient_id="pat-3",
    kind=cr.CaseKind.INSURANCE_APPEAL,
    matter="knee MRI denied as not medically necessary",
    by=advocate,
    at=day(2, 9),
    counterparties=[insurer],
)
step("Case opened")
print(f"  {case.id}: {case.kind.value}, status {case.status.value}")

first_call = cr.Interaction(
    at=day(2, 9, 11),
    channel=cr.InteractionChannel.PHONE,
    by=advocate,
    counterparty_id="payer-1",
    summary="asked for the claim file and the criteria used",
    outcome=cr.InteractionOutcome.CALLBACK_PROMISED,
    reference_number="REF-2231",
)
try:
    case.log_interaction(first_call, consents=[], by=advocate, at=day(2, 9, 11))
except cr.PermissionDenied as refused:
    print(f"  PermissionDenied: {refused}")

# %% [markdown]
# ## Authorization and engagement
#
# The patient grants a *representation* consent for advocacy-case information, and signs a
# service agreement (scope, fees, term, how it ends).  Both are needed to engage.

# %%
representation = cr.Consent(
    id="k-rep",
    patient_id="pat-3",
    kind=cr.ConsentKind.REPRESENTATION,
    grantor=patient,
    grantee_id="adv-3",
    categories=frozenset({cr.InformationCategory.ADVOCACY_CASE}),
    period=cr.Period(start=day(2, 9, 14), end=day(2, 9, 14).add(years=1)),
)
agreement = cr.ServiceAgreement(
    scope="internal appeal and, if needed, external review of the MRI denial",
    fee_basis=cr.FeeBasis.PRO_BONO,
    term=cr.Period(start=day(2, 9, 14), end=day(2, 9, 14).add(months=6)),
    termination_criteria=("appeal decided", "either party on 14 days' notice"),
    signed_by=patient,
    signed_at=day(2, 9, 14),
    advocate_id="adv-3",
)
consents = [representation]
case = case.engage(agreement, consents=consents, by=advocate, at=day(2, 9, 15))
case = case.start_assessment(by=advocate, at=day(2, 9, 15, 30))
case = case.log_interaction(first_call, consents=consents, by=advocate, at=day(2, 9, 16))
step("Engaged and assessing")
print(f"  status {case.status.value}")
print(f"  call logged on the authority of consent {case.interactions[-1].authorization_basis}")

# %% [markdown]
# ## Route first, then compute the clocks
#
# An insurance matter cannot be planned until its coverage regime is known: careroles never
# guesses which process governs.  The rules in force for an employer plan's internal appeal
# list the patient's filing clock and the plan's decision clocks.

# %%
filing_clock = cr.compute_deadline("ACA-INTERNAL-APPEAL-FILING", denial_received, zone=TZ)
step("Planning without a coverage regime")
try:
    case.plan(by=advocate, at=day(2, 10), deadlines=[filing_clock])
except cr.TransitionError as refused:
    print(f"  TransitionError: {refused.reason}")

regime = cr.CoverageRegime.EMPLOYER_OR_ACA
step(f"Rules in force for {regime.value} / internal_appeal on {denial_received}")
for rule in cr.applicable_rules(regime, "internal_appeal", denial_received):
    print(f"  {rule.id:<42} {rule.clock.value:<8} {rule.amount} {rule.unit.value}")
    print(f"    {rule.citation}")

case = case.plan(
    by=advocate,
    at=day(2, 10),
    deadlines=[filing_clock],
    coverage_regime=regime,
    level="internal_appeal",
)
step("Planned")
show_deadlines(case.deadlines, day(2, 10))

# %% [markdown]
# ## The appeal is filed, with proof; the plan's decision clock starts
#
# "Filed" may mean *received*: the filing keeps the insurer's confirmation number.  The
# filing clock is met, and the pre-service decision clock (30 days) joins the case.

# %%
received = day(2, 17, 14)
filing = cr.Filing(
    submitted_at=received,
    channel=cr.InteractionChannel.PORTAL,
    level="internal_appeal",
    confirmation="APL-55821",
)
case = case.file(filing, consents=consents, by=advocate, at=received)
decision_clock = cr.compute_deadline(
    "ACA-INTERNAL-APPEAL-DECISION-PRE-SERVICE", received.date(), zone=TZ
)
case = case.record_deadlines(
    [filing_clock.mark_met(by=advocate, at=received), decision_clock],
    by=advocate,
    at=received,
)
case = case.await_decision(by=advocate, at=received.add(minutes=5))
step("Filed")
print(
    f"  status {case.status.value}; filing rests on consent {case.filings[-1].authorization_basis}"
)
show_deadlines(case.deadlines, received)

# %% [markdown]
# ## Following up: the call log
#
# Every contact is logged: when, how, the outcome and the reference number.  Summaries are
# patient data and stay out of `repr`.

# %%
for at, outcome, ref in (
    (day(3, 2), cr.InteractionOutcome.INFORMATION_RECEIVED, "REF-2290"),
    (day(3, 16), cr.InteractionOutcome.CALLBACK_PROMISED, "REF-2377"),
):
    call = cr.Interaction(
        at=at,
        channel=cr.InteractionChannel.PHONE,
        by=advocate,
        counterparty_id="payer-1",
        summary="asked when the appeal will be decided",
        outcome=outcome,
        reference_number=ref,
    )
    case = case.log_interaction(call, consents=consents, by=advocate, at=at)
step("Call log")
for entry in case.interactions:
    stamp = entry.at.format("D MMM HH:mm")
    print(f"  {stamp:<13} {entry.channel.value:<6} {entry.outcome.value:<22}", end="")
    print(f" ref {entry.reference_number}")
print(f"  summaries kept out of repr: {'claim file' not in repr(case)}")

# %% [markdown]
# ## The plan misses its decision deadline
#
# On Monday 23 March no decision has come.  The due list shows the missed clock; the case
# query finds it with the escalation path its rule allows, the case's soft checks report it,
# and the advocate escalates.

# %%
today = day(3, 23, 9)
step(f"Due as of {today.format('ddd D MMM YYYY')}")
for row in cr.deadlines_due([case], as_of=today):
    print(
        f"  {row.case_id} {row.deadline.rule_id} due {row.deadline.due_on}"
        f" ({row.deadline.days_left(today):+d} days)"
    )
print(f"  decision overdue: {cr.decision_overdue(case, today)}")
for overdue in cr.missed_decision_deadlines(case, today):
    print(f"  {overdue.code}: {overdue.deadline.rule_id}, {overdue.days_overdue} days late")
    print(f"    escalation: {overdue.escalation}")

for finding in cr.case_findings(case, today, consents):
    print(f"  finding {finding.code} ({finding.severity.value}) at {finding.path}")

case = case.mark_decision_overdue(by=advocate, at=today)
case = case.escalate(
    consents=consents,
    by=advocate,
    at=today.add(hours=2),
    reason="deemed exhaustion: requesting external review",
    filing=cr.Filing(
        submitted_at=today.add(hours=2),
        channel=cr.InteractionChannel.PORTAL,
        level="external_review",
        confirmation="ER-10417",
    ),
)
step("Escalated")
for t in case.history:
    moved = f"{t.from_status.value} -> {t.to_status.value}"
    print(f"  {t.at.format('D MMM HH:mm'):<13} {t.action:<22} {moved}")
