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
# # A care coordinator's week
#
# Monday 2 to Friday 6 March 2026, in New York.  The coordinator keeps one patient's care
# moving: a plan in effect, appointments booked and moved (the reschedule chain is kept), a
# missed lab visit followed up, a schedule checked for clashes, reminders timed inside the
# patient's contact hours (across the daylight-saving change of Sunday 8 March), and progress
# updates sent to the patient and her daughter, with the patient's consent.

# %%
from __future__ import annotations

import pendulum

import careroles as cr
from careroles.care_review import check_care

TZ = "America/New_York"


def day(d: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    """An instant in March 2026, New York time."""
    return pendulum.datetime(2026, 3, d, hour, minute, tz=TZ)


def when(instant: pendulum.DateTime | None) -> str:
    return "-" if instant is None else instant.format("ddd D MMM HH:mm zz")


def step(text: str) -> None:
    print(f"\n== {text}")


# %% [markdown]
# ## Monday: the patient, her daughter, the team and the plan

# %%
patient = cr.Patient(
    id="pat-2",
    name="Ana Ruiz",
    time_zone=TZ,
    preferences=cr.Preferences(
        contact_channels=(cr.ContactChannel.PHONE, cr.ContactChannel.SMS),
        contact_hours=cr.ContactHours(start=pendulum.time(9), end=pendulum.time(17)),
    ),
    contacts=(cr.Contact(id="c-daughter", name="Luz Ruiz", relationship=cr.Relationship.CHILD),),
)
since = cr.Period(start=day(1, 0).subtract(months=2))
team = cr.CareTeam(
    id="team-2",
    patient_id="pat-2",
    members=(
        cr.TeamMember(member_id="pat-2", role=cr.Role.PATIENT, period=since),
        cr.TeamMember(member_id="cc-2", role=cr.Role.CARE_COORDINATOR, period=since, lead=True),
        cr.TeamMember(member_id="dr-2", role=cr.Role.TREATING_PROVIDER, period=since),
    ),
)
ana = team.actor("pat-2", day(2, 8))
coordinator = team.actor("cc-2", day(2, 8))

plan = cr.CarePlan.draft(
    id="cp-2",
    patient_id="pat-2",
    care_team_id="team-2",
    title="Heart failure follow-up",
    by=coordinator,
    at=day(2, 8),
    review_cadence="ccm_monthly",
    needs=[cr.Need(id="n-hf", kind=cr.NeedKind.CLINICAL, description="heart failure")],
    goals=[
        cr.Goal(
            id="g-garden",
            description="Work in my garden again",
            stated_by_patient=True,
            target=cr.Target(measure="breathless episodes per week", detail="at most one"),
            due=pendulum.date(2026, 5, 31),
            need_ids=("n-hf",),
        )
    ],
    activities=[
        cr.Activity(
            id="a-cardio",
            kind=cr.ActivityKind.CONSULTATION,
            description="cardiology follow-up",
            responsible_member_id="dr-2",
            goal_ids=("g-garden",),
        ),
        cr.Activity(
            id="a-lab",
            kind=cr.ActivityKind.DIAGNOSTIC_TEST,
            description="kidney function blood test",
            responsible_member_id="cc-2",
            goal_ids=("g-garden",),
        ),
    ],
)
plan = plan.record_agreement(by=ana, at=day(2, 8, 30), method=cr.AgreementMethod.VERBAL)
plan = plan.activate(by=coordinator, at=day(2, 9), preferences=patient.preferences, team=team)
step("Monday 09:00")
print(f"  plan {plan.id} is {plan.status.value}; activities: {len(plan.activities)}")


# %% [markdown]
# ## Monday: two appointments booked


# %%
def book(
    appt_id: str,
    kind: cr.AppointmentKind,
    start: pendulum.DateTime,
    minutes: int,
    activity_id: str | None = None,
    at: pendulum.DateTime | None = None,
    service: cr.SupportiveService | None = None,
) -> cr.Appointment:
    at = at or day(2, 10)
    return cr.Appointment.propose(
        id=appt_id,
        patient_id="pat-2",
        kind=kind,
        service=service,
        start=start,
        end=start.add(minutes=minutes),
        activity_id=activity_id,
        participants=[cr.Participant(member_id="pat-2", role=cr.Role.PATIENT)],
        by=coordinator,
        at=at,
    ).book(by=coordinator, at=at)


cardio = book("appt-cardio-1", cr.AppointmentKind.CONSULTATION, day(4, 14), 45, "a-cardio")
lab = book("appt-lab-1", cr.AppointmentKind.DIAGNOSTIC_TEST, day(4, 8), 30, "a-lab")
plan = plan.change_activity_status(
    "a-cardio", "schedule", by=coordinator, at=day(2, 10), appointment_id=cardio.id
)
plan = plan.change_activity_status(
    "a-lab", "schedule", by=coordinator, at=day(2, 10), appointment_id=lab.id
)
step("Monday 10:00: booked")
for appt in (cardio, lab):
    print(f"  {appt.id:<14} {appt.kind.value:<16} {when(appt.start)}  {appt.status.value}")

# %% [markdown]
# ## Rescheduling keeps the chain
#
# The cardiologist moves the visit twice.  Each move cancels the old appointment with reason
# `rescheduled` (a *late* cancellation when less than 24 hours before its start) and books
# the new one; the chain can be walked from any member, both ways.

# %%
cardio_1, cardio_2 = cardio.reschedule(
    "appt-cardio-2",
    day(5, 14),
    day(5, 14, 45),
    by=coordinator,
    at=day(2, 11),
    reason="cardiologist away on Tuesday",
)
cardio_2, cardio_3 = cardio_2.reschedule(
    "appt-cardio-3",
    day(10, 10),
    day(10, 10, 45),
    by=coordinator,
    at=day(5, 9),
    reason="clinic closed for the afternoon",
)
appointments = [cardio_1, cardio_2, cardio_3, lab]
step("Reschedule chain")
for appt in appointments[:3]:
    c = appt.cancellation
    moved = f"cancelled ({c.reason.value}, late={c.late})" if c else appt.status.value
    print(f"  {appt.id:<14} {when(appt.start)}  {moved}")
from_newest = [a.id for a in cr.reschedule_chain(appointments, "appt-cardio-3")]
from_oldest = [a.id for a in cr.reschedule_chain(appointments, "appt-cardio-1")]
print(f"  walked back from the newest: {' -> '.join(from_newest)}")
print(f"  walked on from the oldest:   {' -> '.join(from_oldest)}")
assert from_newest == from_oldest

# %% [markdown]
# ## Thursday: Wednesday's lab visit was missed
#
# A no-show is marked once the appointment's day is over (until then the patient may still
# call to cancel), and it opens a follow-up that closes only after two documented contact
# attempts (or a clinician's decision).

# %%
lab = lab.mark_no_show(by=coordinator, at=day(5, 8))
lab = lab.record_contact_attempt(
    cr.ContactChannel.PHONE, cr.ContactOutcome.NO_ANSWER, by=coordinator, at=day(5, 9, 30)
)
step("Thursday: the lab visit was missed")
assert lab.follow_up is not None
print(f"  {lab.id} is {lab.status.value}; follow-up open: {lab.follow_up.is_open}")
try:
    lab.close_follow_up(by=coordinator, at=day(5, 10))
except cr.TransitionError as refused:
    print(f"  closing after one attempt is refused: {refused.reason}")
lab = lab.record_contact_attempt(
    cr.ContactChannel.PHONE,
    cr.ContactOutcome.REACHED,
    barrier=cr.NoShowBarrier.TRANSPORT,
    by=coordinator,
    at=day(5, 14),
)
lab = lab.close_follow_up(by=coordinator, at=day(5, 14, 30))
follow_up = lab.follow_up
assert follow_up is not None
print(f"  attempts: {[a.outcome.value for a in follow_up.attempts]}")
print(f"  barrier found: {follow_up.attempts[-1].barrier}")
print(f"  follow-up closed {when(follow_up.closed_at)}")

# The coordinator rebooks the blood test with a ride, for the Tuesday of the cardiology visit.
lab_2 = book(
    "appt-lab-2", cr.AppointmentKind.DIAGNOSTIC_TEST, day(10, 9), 40, "a-lab", at=day(5, 15)
)
ride = book(
    "appt-ride",
    cr.AppointmentKind.SUPPORTIVE_SERVICE,
    day(10, 8),
    30,
    at=day(5, 15),
    service=cr.SupportiveService.TRANSPORT,
)
social = book(
    "appt-social-1",
    cr.AppointmentKind.SUPPORTIVE_SERVICE,
    day(10, 10, 30),
    30,
    at=day(5, 15),
    service=cr.SupportiveService.SOCIAL_WORK,
)
appointments = [cardio_1, cardio_2, cardio_3, lab, lab_2, ride, social]

# %% [markdown]
# ## Thursday afternoon: does next Tuesday clash?
#
# Overlaps, and gaps shorter than a 30-minute travel buffer.  Cancelled and missed
# appointments no longer hold the patient's time.

# %%
BUFFER = pendulum.duration(minutes=30)


def show_conflicts(schedule: cr.Schedule) -> None:
    for conflict in schedule.conflicts(travel_buffer=BUFFER):
        first = schedule.appointment(conflict.first_id)
        second = schedule.appointment(conflict.second_id)
        print(
            f"  {conflict.kind.value:<13} {first.id} {first.start.format('HH:mm')}-"
            f"{first.end.format('HH:mm')} / {second.id} {second.start.format('HH:mm')}-"
            f"{second.end.format('HH:mm')}"
        )


schedule = cr.Schedule(patient_id="pat-2", appointments=tuple(appointments))
step("Tuesday's conflicts (30-minute travel buffer)")
show_conflicts(schedule)

# The social-work call moves to Wednesday; the short gap after the blood test stays.
social, social_2 = social.reschedule(
    "appt-social-2", day(11, 11), day(11, 11, 30), by=coordinator, at=day(5, 16)
)
appointments = [cardio_1, cardio_2, cardio_3, lab, lab_2, ride, social, social_2]
schedule = cr.Schedule(patient_id="pat-2", appointments=tuple(appointments))
step("After moving the social-work call")
show_conflicts(schedule)

# %% [markdown]
# ## Reminder times, in the patient's zone
#
# One and two days before, moved *earlier* into her contact hours (09:00-17:00, Monday to
# Friday).  The clocks change on Sunday 8 March: "one day before" keeps the wall-clock time.

# %%
step("Reminders for next week's appointments")
for appt in schedule.upcoming(day(5, 17), within=pendulum.duration(days=7)):
    times = cr.reminder_times(appt, patient)
    shown = ", ".join(when(t) for t in times)
    print(f"  {appt.id:<13} {when(appt.start)}: remind {shown}")

# %% [markdown]
# ## Friday: a progress update to Ana and her daughter
#
# Family members receive only what the patient agreed to share with them (45 CFR 164.510(b)).
# Ana agreed to share her appointments and care plan with her daughter, not clinical results.

# %%
consent = cr.Consent(
    id="k-daughter",
    patient_id="pat-2",
    kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
    grantor=ana,
    grantee_id="c-daughter",
    categories=frozenset({cr.InformationCategory.APPOINTMENTS, cr.InformationCategory.CARE_PLAN}),
    period=cr.Period(start=day(2, 8)),
)
both = (
    cr.UpdateRecipient(kind=cr.RecipientKind.PATIENT),
    cr.UpdateRecipient(kind=cr.RecipientKind.CONTACT, contact_id="c-daughter"),
)
update = cr.ProgressUpdate(
    id="upd-1",
    patient_id="pat-2",
    plan_id="cp-2",
    author=coordinator,
    recipients=both,
    items=(
        cr.UpdateItem(
            section=cr.UpdateSection.UPCOMING_APPOINTMENTS,
            category=cr.InformationCategory.APPOINTMENTS,
            text="Cardiology and the blood test are both next Tuesday; a ride is booked.",
        ),
    ),
).send(consents=[consent], by=coordinator, at=day(6, 15))
step("Friday 15:00: progress updates")
print(f"  {update.id} {update.status.value} {when(update.sent_at)}, {len(both)} recipients")

results = cr.ProgressUpdate(
    id="upd-2",
    patient_id="pat-2",
    plan_id="cp-2",
    author=coordinator,
    recipients=both,
    items=(
        cr.UpdateItem(
            section=cr.UpdateSection.PLAN_CHANGES,
            category=cr.InformationCategory.CLINICAL,
            text="The diuretic dose changes after the blood test.",
        ),
    ),
)
try:
    results.send(consents=[consent], by=coordinator, at=day(6, 15, 5))
except cr.PermissionDenied as refused:
    print(f"  {results.id} refused: {refused}")
to_ana_only = cr.ProgressUpdate(
    id="upd-3",
    patient_id="pat-2",
    plan_id="cp-2",
    author=coordinator,
    recipients=both[:1],
    items=results.items,
).send(consents=[consent], by=coordinator, at=day(6, 15, 10))
print(f"  {to_ana_only.id} {to_ana_only.status.value}: the clinical news goes to Ana only")

# %% [markdown]
# ## Friday evening: the week's rule check

# %%
weekly = cr.UpdateCadence(plan_id="cp-2", every=pendulum.duration(weeks=1), start=day(2, 9))
at = day(6, 17)
findings = check_care(
    patient=patient,
    plan=plan,
    appointments=appointments,
    updates=[update, to_ana_only],
    cadence=weekly,
    consents=[consent],
    team=team,
    travel_buffer=BUFFER,
    at=at,
)
step(f"check_care, {when(at)}")
for finding in findings:
    print(f"  {finding.severity.value:<7} {finding.code:<28} {finding.path}")
print(f"\n{len(findings)} finding(s) to act on next week.")
