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
# # Quickstart: one patient's story
#
# Rosa (a fictional patient) has knee osteoarthritis and no ride to the clinic.  Around her
# stand a care team: Rosa herself, a care coordinator, a patient advocate and her doctor.
#
# This notebook follows her for one week: her preferences in her own words, an individualized
# care plan that she agrees to, an appointment for one of its activities, a concern that the
# advocate records for her, a refusal (the advocate may not book appointments), saving and
# loading the record, and the overall rule check.  Every instant is fixed, so the output is
# the same every time.

# %%
from __future__ import annotations

import pendulum

import careroles as cr
from careroles.care_review import check_care

TZ = "America/Chicago"
t0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)  # Monday 9 March 2026, 09:00 in Rosa's zone


def step(text: str) -> None:
    print(f"\n== {text}")


# %% [markdown]
# ## The patient and her care team
#
# careroles keeps only the minimum of personal data, and never shows it: names and birth
# dates are left out of every `repr`, error message and notebook table.  Your app owns
# display.

# %%
patient = cr.Patient(
    id="pat-1",
    name="Rosa Delgado",
    birth_date=pendulum.date(1958, 4, 2),
    time_zone=TZ,
)
since = cr.Period(start=t0.subtract(days=30))
team = cr.CareTeam(
    id="team-1",
    patient_id="pat-1",
    members=(
        cr.TeamMember(member_id="pat-1", role=cr.Role.PATIENT, period=since),
        cr.TeamMember(member_id="cc-1", role=cr.Role.CARE_COORDINATOR, period=since, lead=True),
        cr.TeamMember(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE, period=since),
        cr.TeamMember(member_id="dr-1", role=cr.Role.TREATING_PROVIDER, period=since),
    ),
)
# An Actor is a team member acting in a role at an instant; the team refuses non-members.
rosa = team.actor("pat-1", t0)
coordinator = team.actor("cc-1", t0)
advocate = team.actor("adv-1", t0)
doctor = team.actor("dr-1", t0)

step("The care team")
for member in team.active_members(t0):
    lead = " (lead)" if member.lead else ""
    print(f"  {member.member_id:<6} {member.role.value}{lead}")
print(f"  repr(patient) shows no name or birth date: {repr(patient)[:60]}...")
print("  the app, not careroles, displays the name:", patient.name.split()[0])

# %% [markdown]
# ## Preferences, in her own words
#
# Rosa records her preferences herself.  An advocate or coordinator could record them too,
# but only *on her behalf*, and the audit record would say so.

# %%
patient = patient.record_preferences(
    cr.Preferences(
        language="es",
        interpreter_needed=True,
        contact_channels=(cr.ContactChannel.PHONE,),
        contact_hours=cr.ContactHours(start=pendulum.time(10), end=pendulum.time(18)),
        values=("Seguir viviendo en mi casa",),
        goals_in_own_words=("Volver a caminar a la iglesia",),
        decision_role=cr.DecisionRole.SHARED,
    ),
    by=rosa,
    at=t0,
)
change = patient.history[-1]
step("Preferences recorded")
capacity = "on her behalf" if change.on_behalf_of_patient else "in her own right"
print(f"  by {change.by.role.value}, {capacity}")
prefs = patient.preferences
print(f"  language {prefs.language}, interpreter needed: {prefs.interpreter_needed}")
print(f"  goals in her own words: {len(prefs.goals_in_own_words)} (their text is not printed)")

# %% [markdown]
# ## The coordinator drafts an individualized care plan
#
# A need (clinical and social), a goal *stated by the patient* with a measurable target and a
# due date, and activities each with a responsible member.  Until Rosa agrees, the plan
# cannot be activated: the findings say why.

# %%
plan = cr.CarePlan.draft(
    id="cp-1",
    patient_id="pat-1",
    care_team_id="team-1",
    title="Volver a caminar",
    by=coordinator,
    at=t0.add(hours=1),
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
step("Draft plan findings")
for finding in cr.check_care_plan(plan, patient.preferences, t0.add(hours=1), team=team):
    print(f"  {finding.severity.value:<7} {finding.code:<16} {finding.path}")
try:
    plan.activate(by=coordinator, at=t0.add(hours=1), preferences=patient.preferences)
except cr.ValidationError as error:
    print(f"  activation refused: {[p.code for p in error.problems]}")

# %% [markdown]
# ## Rosa agrees; the coordinator activates the plan

# %%
plan = plan.record_agreement(by=rosa, at=t0.add(hours=2), method=cr.AgreementMethod.VERBAL)
plan = plan.activate(
    by=coordinator, at=t0.add(hours=3), preferences=patient.preferences, team=team
)
step("Plan activated")
assert plan.agreement is not None
print(f"  status {plan.status.value}, agreed by {plan.agreement.by.role.value}")
review_due = cr.next_review_due(plan, at=t0.add(hours=3))
assert review_due is not None
print(f"  next review due by {review_due.format('ddd D MMM YYYY HH:mm zz')} (ccm_monthly)")

# %% [markdown]
# ## The coordinator books an appointment for the physiotherapy activity
#
# Appointments follow the FHIR R4 status lifecycle.  The activity records its appointment.

# %%
physio = cr.Appointment.propose(
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
    by=coordinator,
    at=t0.add(hours=4),
).book(by=coordinator, at=t0.add(hours=4))
plan = plan.change_activity_status(
    "a-physio", "schedule", by=coordinator, at=t0.add(hours=4), appointment_id="appt-1"
)
step("Appointment booked")
starts = physio.start.format("ddd D MMM HH:mm zz")
print(f"  {physio.id}: {physio.kind.value}, {physio.status.value}, starts {starts}")
print(f"  activity a-physio is now {plan.activity('a-physio').status.value}")

# %% [markdown]
# ## The advocate may not book
#
# Booking is the coordinator's, the patient's or the treating provider's job, never the
# advocate's.  The refusal names the role and the action, never the person.

# %%
ride = cr.Appointment.propose(
    id="appt-2",
    patient_id="pat-1",
    kind=cr.AppointmentKind.SUPPORTIVE_SERVICE,
    service=cr.SupportiveService.TRANSPORT,
    start=pendulum.datetime(2026, 3, 16, 10, 15, tz=TZ),
    end=pendulum.datetime(2026, 3, 16, 10, 45, tz=TZ),
    activity_id="a-ride",
    by=coordinator,
    at=t0.add(hours=5),
)
step("The advocate tries to book the ride")
try:
    ride.book(by=advocate, at=t0.add(hours=5))
except cr.PermissionDenied as refused:
    print(f"  PermissionDenied: {refused}")
    print(f"  role={refused.role} action={refused.action}")

# %% [markdown]
# ## A concern, in Rosa's words, recorded by the advocate on her behalf
#
# Concerns are routed by topic: care-journey matters go to the coordinator, representation
# matters (billing, insurers, providers) to the advocate.

# %%
concern = cr.raise_concern(
    id="cn-1",
    patient_id="pat-1",
    topic=cr.ConcernTopic.APPOINTMENT,
    in_own_words="Me da miedo no tener cómo volver a casa después de la terapia",
    by=advocate,
    at=t0.add(days=1),
    on_behalf_of_patient=True,
)
step("Concern raised")
print(f"  topic {concern.topic.value}, routed to {concern.routed_to.value}")
print(f"  raised by {concern.raised_by.role.value} on her behalf: {concern.on_behalf_of_patient}")
print(f"  her words stay out of repr: {'miedo' not in repr(concern)}")

# %% [markdown]
# ## Save and load the record
#
# Every aggregate serializes to strict, versioned JSON and comes back equal.

# %%
record = {
    "patient": patient,
    "team": team,
    "plan": plan,
    "appointment": physio,
    "concern": concern,
}
step("Saved and loaded back")
for name, value in record.items():
    text = cr.dumps(value)
    loaded = cr.loads(text, type(value))
    assert loaded == value
    print(f"  {name:<12} {len(text):>6} characters of JSON, loaded back equal: {loaded == value}")

# %% [markdown]
# ## The overall rule check
#
# `check_care` runs every rule careroles has over what the app holds about Rosa: the plan,
# the appointments, decisions and progress updates.  Each finding has a stable code, a
# severity, a path into the arguments and the source of the rule.

# %%
at = t0.add(days=2)
findings = check_care(patient=patient, plan=plan, appointments=[physio, ride], team=team, at=at)
step(f"check_care on {at.format('ddd D MMM YYYY HH:mm zz')}")
for finding in findings:
    print(f"  {finding.severity.value:<7} {finding.code:<24} {finding.path}")
    print(f"          {finding.message}")
print(f"\n{len(findings)} finding(s); the story ends here.")
