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
# # FHIR R4 at the boundary
#
# careroles speaks FHIR R4 (4.0.1) as plain JSON dicts: a patient's whole record exports as
# a `collection` Bundle whose references resolve, and imports back equal.  Fields FHIR has
# no place for travel in careroles extensions.  Reading someone else's FHIR, careroles says
# exactly which elements it did not carry, by path, never by value: nothing is dropped
# silently.

# %%
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pendulum

import careroles as cr
import careroles.fhir

TZ = "America/Los_Angeles"
t0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)


def step(text: str) -> None:
    print(f"\n== {text}")


# %% [markdown]
# ## A small record
#
# A patient with a contact, her care team, a consent for her son, an active care plan, an
# appointment, a progress update and a concern in her own words.

# %%
pat = cr.Actor(member_id="pat-5", role=cr.Role.PATIENT)
coordinator = cr.Actor(member_id="cc-5", role=cr.Role.CARE_COORDINATOR)
patient = cr.Patient(
    id="pat-5",
    name="June Park",
    time_zone=TZ,
    preferences=cr.Preferences(language="ko", interpreter_needed=True),
    contacts=(cr.Contact(id="c-son", name="Min Park", relationship=cr.Relationship.CHILD),),
)
since = cr.Period(start=t0.subtract(days=10))
team = cr.CareTeam(
    id="team-5",
    patient_id="pat-5",
    members=(
        cr.TeamMember(member_id="pat-5", role=cr.Role.PATIENT, period=since),
        cr.TeamMember(member_id="cc-5", role=cr.Role.CARE_COORDINATOR, period=since, lead=True),
    ),
)
consent = cr.Consent(
    id="k-son",
    patient_id="pat-5",
    kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
    grantor=pat,
    grantee_id="c-son",
    categories=frozenset({cr.InformationCategory.APPOINTMENTS}),
    period=cr.Period(start=t0.subtract(days=5)),
)
plan = (
    cr.CarePlan.draft(
        id="cp-5",
        patient_id="pat-5",
        care_team_id="team-5",
        title="Diabetes self-management",
        by=coordinator,
        at=t0,
        review_cadence="ccm_monthly",
        goals=[
            cr.Goal(
                id="g-a1c",
                description="Keep my sugar steady so I can keep cooking for my family",
                stated_by_patient=True,
                target=cr.Target(measure="HbA1c", detail="below 7 %"),
                due=pendulum.date(2026, 9, 1),
            )
        ],
        activities=[
            cr.Activity(
                id="a-class",
                kind=cr.ActivityKind.EDUCATION,
                description="diabetes education class in Korean",
                responsible_member_id="cc-5",
                goal_ids=("g-a1c",),
            )
        ],
    )
    .record_agreement(by=pat, at=t0.add(minutes=10), method=cr.AgreementMethod.VERBAL)
    .activate(by=coordinator, at=t0.add(minutes=20), preferences=patient.preferences)
)
appointment = cr.Appointment.propose(
    id="appt-5",
    patient_id="pat-5",
    kind=cr.AppointmentKind.SUPPORTIVE_SERVICE,
    service=cr.SupportiveService.NUTRITION,
    start=t0.add(days=3),
    end=t0.add(days=3, hours=1),
    activity_id="a-class",
    by=coordinator,
    at=t0.add(minutes=30),
).book(by=coordinator, at=t0.add(minutes=30))
update = cr.ProgressUpdate(
    id="upd-5",
    patient_id="pat-5",
    plan_id="cp-5",
    author=coordinator,
    recipients=(cr.UpdateRecipient(kind=cr.RecipientKind.CONTACT, contact_id="c-son"),),
    items=(
        cr.UpdateItem(
            section=cr.UpdateSection.UPCOMING_APPOINTMENTS,
            category=cr.InformationCategory.APPOINTMENTS,
            text="The cooking class is on Thursday at 9.",
        ),
    ),
).send(consents=[consent], by=coordinator, at=t0.add(hours=1))

concern = cr.raise_concern(
    id="cn-5",
    patient_id="pat-5",
    topic=cr.ConcernTopic.COMMUNICATION,
    in_own_words="I need the letters in Korean",
    by=pat,
    at=t0.add(hours=2),
)

# %% [markdown]
# ## Export as a Bundle

# %%
bundle = careroles.fhir.bundle(
    patient,
    team=team,
    consents=[consent],
    plans=[plan],
    appointments=[appointment],
    updates=[update],
    concerns=[concern],
)
step("Bundle entries")
for entry in bundle["entry"]:
    resource = entry["resource"]
    print(f"  {resource['resourceType']:<14} {resource['id']}")
text = json.dumps(bundle)
print(f"  {len(bundle['entry'])} entries, {len(text)} characters of JSON")

# %% [markdown]
# ## Import it back
#
# Every value comes back equal, and nothing is reported as not carried.

# %%
report = careroles.fhir.from_bundle(json.loads(text))
step("Imported back")
assert report.patient == patient
print(f"  patient equal: {report.patient == patient}")
for original in (team, consent, plan, appointment, update, concern):
    (back,) = [v for v in report.values if type(v) is type(original) and v == original]
    print(f"  {type(original).__name__:<14} {original.id:<8} equal: {back == original}")
print(f"  not carried: {list(report.not_carried)}")

# %% [markdown]
# ## Reading an official FHIR example
#
# The R4 core package's CarePlan example (`CarePlan/example`) is richer than careroles'
# model.  The import keeps what careroles models and lists every element it did not carry.
# The examples live in the repository's sibling `shared/fhir-examples` folder when it is
# present; otherwise this part is skipped.


# %%
def find_examples() -> Path | None:
    for folder in (Path.cwd(), *Path.cwd().parents):
        candidate = folder / "shared" / "fhir-examples"
        if candidate.is_dir():
            return candidate
    return None


examples = find_examples()
step("An official example: CarePlan/example (FHIR R4 core)")
if examples is None:
    print("  skipped: no shared/fhir-examples folder beside the repository")
else:
    resource = json.loads((examples / "careplan" / "r4core-CarePlan-example.json").read_text())
    imported = careroles.fhir.from_fhir(resource, time_zone="America/New_York")
    value = imported.value
    print(f"  read as {type(value).__name__}, status {value.status.value}")
    print(
        f"  needs {len(value.needs)}, goals {len(value.goals)}, activities {len(value.activities)}"
    )
    print(f"  {len(imported.not_carried)} elements not carried, by top-level element:")
    tops = Counter(path.split(".")[1].split("[")[0] for path in imported.not_carried)
    for element, count in sorted(tops.items()):
        print(f"    CarePlan.{element:<18} {count}")

    step("An STU3-shaped Goal is not R4: refused")
    stu3 = sorted((examples / "invalid" / "goal").glob("*.json"))[0]
    try:
        careroles.fhir.from_fhir(json.loads(stu3.read_text()))
    except cr.ValidationError as error:
        for message in error.messages:
            print(f"  {message}")
