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
# # A shared treatment decision
#
# Last year the patient said no to a knee replacement, and her record says so.  Her pain has
# grown, and she wants to think again.  Her surgeon lays out the options (waiting among
# them), her advocate gives her a decision aid and records what matters to her, and she
# decides.  Only she decides: the advocate supports, never decides.  Her care plan may then
# include the operation she once declined, because her decision covers it.

# %%
from __future__ import annotations

import pendulum

import careroles as cr

TZ = "America/Denver"
KNEE_REPLACEMENT = "609588000"  # SNOMED CT: total knee replacement


def day(month: int, d: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, d, hour, tz=TZ)


def step(text: str) -> None:
    print(f"\n== {text}")


patient = cr.Patient(
    id="pat-4",
    name="Mae Thompson",
    time_zone=TZ,
    preferences=cr.Preferences(
        values=("Stay independent at home", "Avoid a long hospital stay"),
        goals_in_own_words=("Get down on the floor to play with my grandchildren",),
        declined_treatments=(
            cr.DeclinedTreatment(
                code=KNEE_REPLACEMENT,
                description="knee replacement",
                declined_at=pendulum.datetime(2025, 5, 12, 10, tz=TZ),
            ),
        ),
        decision_role=cr.DecisionRole.SHARED,
    ),
)
mae = cr.Actor(member_id="pat-4", role=cr.Role.PATIENT)
surgeon = cr.Actor(member_id="dr-4", role=cr.Role.TREATING_PROVIDER)
advocate = cr.Actor(member_id="adv-4", role=cr.Role.PATIENT_ADVOCATE)
coordinator = cr.Actor(member_id="cc-4", role=cr.Role.CARE_COORDINATOR)

# %% [markdown]
# ## The options, waiting among them
#
# Every option carries its benefits and harms; a decision without a "do nothing or wait"
# option is refused.

# %%
options = (
    cr.DecisionOption(
        id="replace",
        label="Total knee replacement",
        treatment_code=KNEE_REPLACEMENT,
        benefits=("less pain walking", "more movement in the knee"),
        harms=("infection or clot risk", "some pain remains for 1 in 5"),
        burdens=("3 nights in hospital", "6 weeks of rehabilitation"),
    ),
    cr.DecisionOption(
        id="injection",
        label="Steroid injection",
        benefits=("relief for some weeks",),
        harms=("relief fades", "repeated injections may harm cartilage"),
    ),
    cr.DecisionOption(
        id="wait",
        label="Physiotherapy and wait",
        is_do_nothing=True,
        benefits=("no operation",),
        harms=("pain may continue or worsen",),
    ),
)
step("A decision without a waiting option")
try:
    cr.TreatmentDecision(
        id="dec-x",
        patient_id="pat-4",
        question="Should I have my knee replaced?",
        decision_maker=cr.DecisionMaker(member_id="pat-4", role=cr.Role.PATIENT),
        options=options[:2],
    )
except cr.ValidationError as error:
    print(f"  ValidationError: {error.messages}")

decision = cr.TreatmentDecision(
    id="dec-4",
    patient_id="pat-4",
    question="Should I have my knee replaced this spring?",
    decision_maker=cr.DecisionMaker(member_id="pat-4", role=cr.Role.PATIENT),
    participants=(mae, surgeon, advocate),
    options=options,
    preferred_role=cr.DecisionRole.SHARED,
    deadline=day(4, 30, 17),
)
decision = decision.present_options(by=surgeon, at=day(4, 1))
step("Options presented")
for option in decision.options:
    kind = "waiting" if option.is_do_nothing else (option.treatment_code or "no code")
    print(
        f"  {option.id:<10} {kind:<10} benefits {len(option.benefits)}, harms {len(option.harms)}"
    )

# %% [markdown]
# ## Support: a decision aid, her values, the SURE test
#
# The advocate gives a versioned decision aid and records the values Mae named, pointing at
# her own preferences.  SURE (four yes/no questions) screens for decisional conflict: 3 or
# less is a positive screen.

# %%
decision = decision.give_decision_aid(
    cr.DecisionAid(id="knee-oa-aid", version="3.0", given_at=day(4, 1, 11)),
    by=advocate,
    at=day(4, 1, 11),
)
decision = decision.record_values(
    [
        cr.ConsideredValue(
            text="Stay independent at home",
            source=cr.ValueSource.PREFERENCES_VALUE,
            index=0,
            importance=5,
        ),
        cr.ConsideredValue(
            text="Get down on the floor to play with my grandchildren",
            source=cr.ValueSource.GOAL_IN_OWN_WORDS,
            index=0,
            importance=4,
        ),
        cr.ConsideredValue(text="Be home before my daughter's visit", importance=3),
    ],
    by=advocate,
    at=day(4, 1, 11),
    on_behalf_of_patient=True,
)
before = cr.sure_score(
    sure_of_myself=False,
    understand_information=True,
    risk_benefit_clear=False,
    encouragement=True,
)
decision = decision.record_sure(before, after=False, by=advocate, at=day(4, 1, 12))
decision = decision.record_recommendation(
    cr.ClinicianRecommendation(option_id="replace", by_member_id="dr-4", at=day(4, 1, 12)),
    by=surgeon,
    at=day(4, 1, 12),
)
decision = decision.start_deliberation(by=mae, at=day(4, 2))
step("Deliberating")
print(f"  decision aids: {[(a.id, a.version) for a in decision.decision_aids]}")
recorded = next(c for c in decision.changes if c.action == "record_values")
print(
    f"  values considered: {len(decision.values_considered)}, "
    f"recorded by the {recorded.by.role.value} on her behalf: {recorded.on_behalf_of_patient}"
)
print(f"  SURE before: {before.score}/4, positive screen: {before.positive_screen}")
recommendation = decision.clinician_recommendation
assert recommendation is not None
print(f"  the surgeon recommends: {recommendation.option_id} (kept apart from her choice)")

# %% [markdown]
# ## Only the patient decides
#
# The advocate cannot be made the decision-maker, and cannot decide.

# %%
step("Making the advocate the decision-maker")
try:
    decision.change_decision_maker(
        cr.DecisionMaker(member_id="adv-4", role=cr.Role.PATIENT_ADVOCATE),
        by=advocate,
        at=day(4, 3),
    )
except cr.ValidationError as error:
    print(f"  ValidationError {[p.code for p in error.problems]}: {error.problems[0].message}")
try:  # nor may the advocate change who decides at all
    decision.change_decision_maker(decision.decision_maker, by=advocate, at=day(4, 3))
except cr.PermissionDenied as refused:
    print(f"  PermissionDenied: {refused}")
try:
    decision.decide("replace", by=advocate, at=day(4, 3))
except cr.PermissionDenied as refused:
    print(f"  PermissionDenied: {refused}")

decision = decision.decide("replace", by=mae, at=day(4, 9), actual_role=cr.DecisionRole.SHARED)
after = cr.sure_score(True, True, True, True)
decision = decision.record_sure(after, after=True, by=advocate, at=day(4, 9, 11))
step("Decided")
print(
    f"  status {decision.status.value}, chosen {decision.chosen_option_id}, "
    f"by {decision.history[-1].by.role.value}"
)
print(f"  SURE after: {after.score}/4, positive screen: {after.positive_screen}")
print(f"  covers the knee replacement: {decision.covers(KNEE_REPLACEMENT)}")
print(f"  soft-check findings: {[f.code for f in cr.decision_findings(decision, day(4, 9, 12))]}")

# %% [markdown]
# ## The care plan may now include the declined treatment
#
# Mae's record still says she declined a knee replacement.  A plan activity for it is an
# error finding, and activation is refused, unless a decision in effect covers it.

# %%
plan = cr.CarePlan.draft(
    id="cp-4",
    patient_id="pat-4",
    care_team_id="team-4",
    title="Knee replacement and recovery",
    by=coordinator,
    at=day(4, 10),
    review_cadence="ccm_monthly",
    goals=[
        cr.Goal(
            id="g-floor",
            description="Get down on the floor to play with my grandchildren",
            stated_by_patient=True,
            target=cr.Target(measure="knee flexion", detail="at least 110 degrees"),
            due=pendulum.date(2026, 9, 30),
        )
    ],
    activities=[
        cr.Activity(
            id="a-surgery",
            kind=cr.ActivityKind.TREATMENT,
            description="total knee replacement",
            treatment_code=KNEE_REPLACEMENT,
            decision_id="dec-4",
            responsible_member_id="dr-4",
            goal_ids=("g-floor",),
        )
    ],
)
plan = plan.record_agreement(by=mae, at=day(4, 10, 11), method=cr.AgreementMethod.WRITTEN)
at = day(4, 10, 12)
step("Plan findings without and with the decision")
print(f"  without: {[f.code for f in cr.check_care_plan(plan, patient.preferences, at)]}")
print(
    f"  with:    {[f.code for f in cr.check_care_plan(plan, patient.preferences, at, [decision])]}"
)
try:
    plan.activate(by=coordinator, at=at, preferences=patient.preferences)
except cr.ValidationError as error:
    print(f"  activation without the decision refused: {[p.code for p in error.problems]}")
plan = plan.activate(by=coordinator, at=at, preferences=patient.preferences, decisions=[decision])
print(f"  activation with the decision: {plan.status.value}")
