"""careroles -> FHIR R4 -> careroles: lossless, valid R4, and strict about bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

import careroles
from careroles.appointments import Appointment
from careroles.care_plans import CarePlan, Goal
from careroles.care_teams import CareTeam, TeamMember
from careroles.communications import Message, ProgressUpdate
from careroles.consent import Consent, ConsentKind, ConsentStatus, InformationCategory
from careroles.fhir import EXTENSION_BASE, Imported, from_fhir, supported_types, to_fhir
from careroles.patients import Contact, Patient, Preferences, Relationship, RepresentativeBasis
from careroles.periods import Period
from careroles.roles import Actor, Role
from careroles.strategies import STRATEGIES

R4B = pytest.importorskip("fhir.resources.R4B", reason="FHIR validation needs careroles[fhir]")

AT = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
EXPORTED = sorted(supported_types(), key=lambda t: t.__name__)


def validate_r4(resource: dict[str, Any]) -> None:
    """Validate with the fhir.resources R4B model of the resource type (raises if invalid)."""
    model = R4B.get_fhir_model_class(resource["resourceType"])
    model.model_validate(json.loads(json.dumps(resource)))


def same_shape(a: Any, b: Any, path: str = "$") -> None:
    """Equal and of the same types all the way down, date-times in the same named zones."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if attrs.has(type(a)):
        for f in attrs.fields(type(a)):
            same_shape(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_shape(x, y, f"{path}[{i}]")
    elif isinstance(a, pendulum.DateTime):
        assert a.timestamp() == b.timestamp(), f"{path}: different instants"
        assert a.utcoffset() == b.utcoffset(), f"{path}: different offsets"
        assert getattr(a.tzinfo, "name", None) == getattr(b.tzinfo, "name", None), path
    else:
        assert a == b, path


# --- the round trip ------------------------------------------------------------------------------


@st.composite
def valid(draw: st.DrawFn, cls: type) -> Any:
    """A value from the type's registered strategy.

    A strategy that itself builds an invalid value (a bug of the strategy, reported to its
    owner) rejects the example instead of failing this module's tests.
    """
    try:
        return draw(STRATEGIES[cls]())
    except careroles.ValidationError:
        reject()


@pytest.mark.parametrize("cls", EXPORTED, ids=lambda t: t.__name__)
@given(data=st.data())
def test_every_exported_type_comes_back_equal_from_valid_r4(
    cls: type, data: st.DataObject
) -> None:
    value = data.draw(valid(cls), label=cls.__name__)
    resource = to_fhir(value, patient_id="p-1")
    validate_r4(resource)
    imported = from_fhir(resource)
    assert imported.value == value
    same_shape(value, imported.value)
    assert imported.not_carried == ()


def test_every_mapped_type_has_a_strategy_so_the_round_trip_covers_it() -> None:
    assert set(supported_types()) <= set(STRATEGIES)


@pytest.mark.parametrize("cls", EXPORTED, ids=lambda t: t.__name__)
@given(data=st.data())
def test_careroles_extensions_all_live_under_one_namespace(cls: type, data: st.DataObject) -> None:
    resource = to_fhir(data.draw(valid(cls)), patient_id="p-1")
    for url in _extension_urls(resource):
        assert url.startswith((EXTENSION_BASE, "http://hl7.org/fhir/")), url
        if url.startswith(EXTENSION_BASE):
            assert url[len(EXTENSION_BASE) :].replace("-", "").isalnum(), url


def _extension_urls(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for e in node.get("extension", ()):
            out.append(e["url"])  # sub-extensions have relative urls: not walked
        for k, v in node.items():
            if k != "extension":
                out += _extension_urls(v)
    elif isinstance(node, list):
        for v in node:
            out += _extension_urls(v)
    return out


def test_the_mapping_works_without_fhir_resources_installed() -> None:
    code = (
        "import sys; sys.modules['fhir'] = None\n"  # any import of fhir.* now fails
        "import pendulum\n"
        "from careroles.fhir import from_fhir, to_fhir\n"
        "from careroles.periods import Period\n"
        "from careroles.care_teams import CareTeam\n"
        "t = CareTeam(id='t', patient_id='p')\n"
        "assert from_fhir(to_fhir(t)).value == t\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


# --- Patient -------------------------------------------------------------------------------------


def patient() -> Patient:
    return Patient(
        id="p-1",
        name="Rosa Díaz",
        birth_date=pendulum.Date(1948, 5, 2),
        time_zone="America/New_York",
        preferences=Preferences(language="es", interpreter_needed=True),
        contacts=(
            Contact(
                id="c-1",
                name="Ana Díaz",
                relationship=Relationship.CHILD,
                representative_basis=RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY,
                representative_period=Period(start=AT),
            ),
        ),
    )


def test_a_patient_exports_language_preference_and_interpreter_need() -> None:
    resource = to_fhir(patient())
    assert resource["communication"] == [
        {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es"}]}, "preferred": True}
    ]
    assert {
        "url": "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired",
        "valueBoolean": True,
    } in resource["extension"]
    assert resource["name"] == [{"text": "Rosa Díaz"}]
    assert resource["birthDate"] == "1948-05-02"


def test_a_health_care_agent_is_coded_hpowatt_as_patient_contact_and_related_person() -> None:
    p = patient()
    codes = [c["code"] for r in to_fhir(p)["contact"][0]["relationship"] for c in r["coding"]]
    assert "HPOWATT" in codes
    related = to_fhir(p.contacts[0], patient_id=p.id)
    validate_r4(related)
    assert related["patient"] == {"reference": "Patient/p-1"}
    assert "HPOWATT" in [c["code"] for r in related["relationship"] for c in r["coding"]]
    assert from_fhir(related).value == p.contacts[0]


def test_a_guardian_is_coded_guard() -> None:
    contact = Contact(
        id="c-2",
        name="G",
        relationship=Relationship.OTHER,
        representative_basis=RepresentativeBasis.GUARDIANSHIP,
    )
    related = to_fhir(contact, patient_id="p-1")
    assert "GUARD" in [c["code"] for r in related["relationship"] for c in r["coding"]]


def test_a_contact_needs_the_patient_id_to_become_a_related_person() -> None:
    with pytest.raises(careroles.ValidationError, match="patient_id"):
        to_fhir(patient().contacts[0])


def test_a_partial_birth_date_is_reported_not_carried() -> None:
    imported = from_fhir({"resourceType": "Patient", "id": "x", "birthDate": "1948-05"})
    assert imported.value.birth_date is None
    assert "Patient.birthDate" in imported.not_carried


def test_a_foreign_patient_gets_the_given_time_zone_and_reports_what_is_dropped() -> None:
    imported = from_fhir(
        {
            "resourceType": "Patient",
            "id": "x",
            "name": [{"family": "Lee", "given": ["Ann"]}],
            "address": [{"city": "Boston"}, {"city": "Salem"}],
        },
        time_zone="America/Chicago",
    )
    assert isinstance(imported, Imported)
    assert imported.value.name == "Ann Lee"
    assert imported.value.time_zone == "America/Chicago"
    assert "Patient.address[0]" in imported.not_carried
    assert "Patient.address[1]" in imported.not_carried


# --- CareTeam ------------------------------------------------------------------------------------


def team() -> CareTeam:
    return CareTeam(
        id="t-1",
        patient_id="p-1",
        members=(
            TeamMember(
                member_id="m-cc", role=Role.CARE_COORDINATOR, period=Period(start=AT), lead=True
            ),
            TeamMember(member_id="m-pa", role=Role.PATIENT_ADVOCATE, period=Period(start=AT)),
        ),
    )


def test_coordinator_and_advocate_roles_are_coded_in_snomed_ct() -> None:
    resource = to_fhir(team())
    validate_r4(resource)
    snomed = [
        c["code"]
        for p in resource["participant"]
        for c in p["role"][0]["coding"]
        if c["system"] == "http://snomed.info/sct"
    ]
    assert snomed == ["768820003", "429577009"]


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("768820003", Role.CARE_COORDINATOR),
        ("768832004", Role.CARE_COORDINATOR),
        ("429577009", Role.PATIENT_ADVOCATE),
        ("133932002", Role.CAREGIVER),
    ],
)
def test_snomed_roles_from_elsewhere_become_careroles_roles(code: str, role: Role) -> None:
    resource = {
        "resourceType": "CareTeam",
        "id": "t",
        "subject": {"reference": "Patient/p"},
        "participant": [
            {
                "role": [{"coding": [{"system": "http://snomed.info/sct", "code": code}]}],
                "member": {"reference": "Practitioner/x"},
                "period": {"start": "2026-01-05T09:00:00-05:00"},
            }
        ],
    }
    assert from_fhir(resource).value.members[0].role is role


def test_a_participant_without_a_known_start_or_person_is_reported_not_carried() -> None:
    resource = {
        "resourceType": "CareTeam",
        "id": "t",
        "subject": {"reference": "Patient/p"},
        "participant": [
            {"member": {"reference": "Organization/o"}, "period": {"start": "2026-01-05"}},
            {"member": {"reference": "Practitioner/x"}},
        ],
    }
    imported = from_fhir(resource)
    assert imported.value.members == ()
    assert imported.not_carried == ("CareTeam.participant[0]", "CareTeam.participant[1]")


# --- Consent -------------------------------------------------------------------------------------


def consent(**changes: Any) -> Consent:
    base: dict[str, Any] = {
        "id": "k-1",
        "patient_id": "p-1",
        "kind": ConsentKind.FAMILY_INVOLVEMENT,
        "grantor": Actor(member_id="p-1", role=Role.PATIENT),
        "grantee_id": "c-1",
        "categories": frozenset({InformationCategory.APPOINTMENTS}),
        "period": Period(start=AT),
    }
    return Consent(**(base | changes))


def test_a_revoked_consent_is_inactive_and_keeps_its_revocation_instant() -> None:
    revoked = consent().revoke(by=Actor(member_id="p-1", role=Role.PATIENT), at=AT.add(days=3))
    resource = to_fhir(revoked)
    validate_r4(resource)
    assert resource["status"] == "inactive"
    assert from_fhir(resource).value == revoked


def test_a_consent_date_only_period_end_is_inclusive_of_that_day() -> None:
    resource = to_fhir(
        consent(kind=ConsentKind.AUTHORIZATION, period=Period(start=AT, end=AT.add(days=9)))
    )
    resource["provision"]["period"] = {"start": "2026-03-09", "end": "2026-03-31"}
    value = from_fhir(resource, time_zone="America/New_York").value
    assert value.period.start == pendulum.datetime(2026, 3, 9, tz="America/New_York")
    assert value.period.end == pendulum.datetime(2026, 4, 1, tz="America/New_York")


@pytest.mark.parametrize("status", ["draft", "proposed", "entered-in-error"])
def test_a_consent_careroles_has_no_status_for_is_refused(status: str) -> None:
    resource = to_fhir(consent())
    resource["status"] = status
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert [p.path for p in info.value.problems] == [("Consent", "status")]


def test_an_active_deny_consent_imports_as_the_patients_recorded_no() -> None:
    resource = to_fhir(consent())
    resource["provision"]["type"] = "deny"
    assert from_fhir(resource).value.status is ConsentStatus.REJECTED


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        "Patient",
        {},
        {"resourceType": 3},
        {"resourceType": "Observation", "id": "o"},
    ],
)
def test_what_is_not_a_supported_resource_is_refused(bad: Any) -> None:
    with pytest.raises(careroles.ValidationError):
        from_fhir(bad)


def appointment_resource() -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "id": "a-1",
        "status": "booked",
        "start": "2026-03-09T09:00:00-04:00",
        "end": "2026-03-09T09:30:00-04:00",
        "participant": [{"actor": {"reference": "Patient/p-1"}, "status": "accepted"}],
    }


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"start": "2026-03-09T09:00:00"}, ("Appointment", "start"), "naive_datetime"),
        ({"start": "09/03/2026"}, ("Appointment", "start"), "datetime_format"),
        ({"status": "bogus"}, ("Appointment", "status"), "code"),
        ({"status": 3}, ("Appointment", "status"), "type"),
        ({"participant": {"actor": {}}}, ("Appointment", "participant"), "type"),
        ({"participant": None}, ("Appointment", "participant"), "missing"),
        ({"reasonCodes": []}, ("Appointment", "reasonCodes"), "unknown_element"),
        ({"id": None}, ("Appointment", "id"), "missing"),
    ],
)
def test_invalid_resources_are_refused_naming_the_fhir_path(
    change: dict[str, Any], path: tuple[str, ...], code: str
) -> None:
    resource = appointment_resource() | change
    resource = {k: v for k, v in resource.items() if v is not None}
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert (path, code) in [(p.path, p.code) for p in info.value.problems]


def test_error_messages_never_show_the_input_values() -> None:
    resource = appointment_resource() | {"start": "2026-03-09T09:00:00", "description": 5}
    resource["participant"][0]["actor"] = {"reference": "Patient/secret-person-id"}
    resource["status"] = "secret-status"
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert "secret" not in str(info.value)
    assert "2026-03-09T09:00:00" not in str(info.value)


def test_an_appointment_date_only_start_is_midnight_in_the_given_zone() -> None:
    resource = appointment_resource() | {"start": "2026-03-09", "end": "2026-03-10"}
    value = from_fhir(resource, time_zone="Europe/Paris").value
    assert value.start == pendulum.datetime(2026, 3, 9, tz="Europe/Paris")


def test_imported_appointments_may_jump_states_with_an_empty_history() -> None:
    value = from_fhir(appointment_resource() | {"status": "fulfilled"}).value
    assert isinstance(value, Appointment)
    assert value.status.value == "fulfilled"
    assert value.history == ()


def test_a_cancelled_appointment_from_elsewhere_gets_a_cancellation_record() -> None:
    value = from_fhir(appointment_resource() | {"status": "cancelled"}).value
    assert value.cancellation is not None
    assert value.cancellation.reason.value == "other"


def test_an_extension_with_a_wrong_value_type_is_refused() -> None:
    resource = to_fhir(patient())
    for e in resource["extension"]:
        if e["url"] == EXTENSION_BASE + "patient-time-zone":
            e["valueString"] = 7
    with pytest.raises(careroles.ValidationError):
        from_fhir(resource)


def test_an_id_that_is_not_a_fhir_id_is_refused_on_export() -> None:
    with pytest.raises(careroles.ValidationError, match="FHIR id"):
        to_fhir(CareTeam(id="team one", patient_id="p-1"))


def test_a_type_without_a_mapping_is_refused_on_export() -> None:
    with pytest.raises(careroles.ValidationError, match="no FHIR mapping"):
        to_fhir(Period(start=AT))


@pytest.mark.parametrize(
    "cls", [CarePlan, Goal, Message, ProgressUpdate, Appointment], ids=lambda t: t.__name__
)
def test_the_resource_types_of_the_other_mappings(cls: type) -> None:
    assert supported_types()[cls] in {"CarePlan", "Goal", "Communication", "Appointment"}


# --- the other mappings: what lands where ----------------------------------------------------

CC = Actor(member_id="m-cc", role=Role.CARE_COORDINATOR)
ME = Actor(member_id="p-1", role=Role.PATIENT)


def booked_appointment() -> Appointment:
    from careroles.appointments import AppointmentKind, Participant

    return Appointment.propose(
        id="ap-1",
        patient_id="p-1",
        kind=AppointmentKind.FOLLOW_UP,
        start=AT.add(days=7),
        end=AT.add(days=7, minutes=30),
        by=CC,
        at=AT,
        participants=(Participant(member_id="m-dr", role=Role.TREATING_PROVIDER),),
    ).book(by=CC, at=AT.add(hours=1))


def test_an_appointment_names_the_patient_as_participant_and_keeps_zoned_times() -> None:
    resource = to_fhir(booked_appointment())
    validate_r4(resource)
    assert resource["status"] == "booked"
    assert resource["participant"][0]["actor"] == {"reference": "Patient/p-1"}
    doctor = resource["participant"][1]["actor"]
    assert doctor["identifier"]["value"] == "m-dr"
    assert doctor["type"] == "Practitioner"
    assert resource["start"] == "2026-03-16T09:00:00-04:00"  # after the DST change
    assert resource["_start"]["extension"][0]["valueCode"] == "America/New_York"
    back = from_fhir(resource).value
    assert back == booked_appointment()
    assert back.start.timezone_name == "America/New_York"


def test_a_care_plan_contains_its_needs_and_goals_and_links_activities_to_them() -> None:
    from careroles.care_plans import Activity, ActivityKind, Need, NeedKind, SdohCategory

    plan = CarePlan.draft(
        id="cp-1",
        patient_id="p-1",
        care_team_id="t-1",
        title="Housing",
        by=CC,
        at=AT,
        needs=(
            Need(
                id="n-1",
                kind=NeedKind.SOCIAL,
                description="Behind on rent",
                category=SdohCategory.HOUSING_INSTABILITY,
            ),
        ),
        goals=(Goal(id="g-1", description="Keep my home", stated_by_patient=True),),
        activities=(
            Activity(
                id="a-1",
                kind=ActivityKind.REFERRAL,
                description="Legal aid",
                goal_ids=("g-1",),
                need_ids=("n-1",),
            ),
        ),
    )
    resource = to_fhir(plan)
    validate_r4(resource)
    assert [(c["resourceType"], c["id"]) for c in resource["contained"]] == [
        ("Condition", "n-1"),
        ("Goal", "g-1"),
    ]
    assert resource["goal"] == [{"reference": "#g-1"}]
    assert resource["careTeam"] == [{"reference": "CareTeam/t-1"}]
    detail = resource["activity"][0]["detail"]
    assert detail["goal"] == [{"reference": "#g-1"}]
    assert detail["reasonReference"] == [{"reference": "#n-1"}]
    assert detail["status"] == "not-started"
    assert resource["contained"][1]["expressedBy"] == {"reference": "Patient/p-1"}
    assert from_fhir(resource).value == plan


def test_a_care_plan_in_unknown_status_is_refused() -> None:
    resource = {
        "resourceType": "CarePlan",
        "id": "x",
        "status": "unknown",
        "intent": "plan",
        "subject": {"reference": "Patient/p"},
    }
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert [(p.path, p.code) for p in info.value.problems] == [(("CarePlan", "status"), "code")]


def concern() -> Any:
    from careroles.concerns import Concern, ConcernPriority, ConcernTopic

    return Concern(
        id="con-1",
        patient_id="p-1",
        raised_by=ME,
        raised_at=AT,
        topic=ConcernTopic.BILLING,
        priority=ConcernPriority.LOW,
        in_own_words="The bill is wrong",
    )


def test_a_concern_is_a_task_with_its_exact_status_in_business_status() -> None:
    resource = to_fhir(concern())
    validate_r4(resource)
    assert resource["status"] == "requested"
    assert resource["businessStatus"]["coding"][0]["code"] == "raised"
    assert resource["code"]["coding"][0]["code"] == "concern"
    assert resource["description"] == "The bill is wrong"
    assert resource["for"] == {"reference": "Patient/p-1"}
    assert resource["priority"] == "routine"  # low: the exact value rides in an extension
    assert from_fhir(resource).value == concern()


def test_a_task_without_business_status_takes_its_status_from_task_status() -> None:
    resource = to_fhir(concern())
    del resource["businessStatus"]
    resource["status"] = "in-progress"
    assert from_fhir(resource).value.status.value == "in_review"


@pytest.mark.parametrize("status", ["entered-in-error", "bogus"])
def test_a_task_status_careroles_cannot_place_is_refused(status: str) -> None:
    resource = to_fhir(concern())
    del resource["businessStatus"]
    resource["status"] = status
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert ("Task", "status") in [p.path for p in info.value.problems]


def test_a_treatment_decision_is_a_task_owned_by_the_decision_maker() -> None:
    from careroles.decisions import DecisionMaker, DecisionOption, TreatmentDecision

    options = (
        DecisionOption(id="o-1", label="Start insulin", benefits=("a",), harms=("b",)),
        DecisionOption(id="o-2", label="Wait", is_do_nothing=True, benefits=("c",), harms=("d",)),
    )
    decision = TreatmentDecision(
        id="d-1",
        patient_id="p-1",
        question="Start insulin now?",
        deadline=AT.add(days=14),
        decision_maker=DecisionMaker(member_id="p-1", role=Role.PATIENT),
        options=options,
    )
    resource = to_fhir(decision)
    validate_r4(resource)
    assert resource["code"]["coding"][0]["code"] == "treatment-decision"
    assert resource["owner"]["identifier"]["value"] == "p-1"
    assert resource["restriction"]["period"]["end"] == "2026-03-23T09:00:00-04:00"
    assert from_fhir(resource).value == decision


def test_a_message_is_a_communication_with_body_and_subject_as_text() -> None:
    message = Message(
        id="msg-1",
        care_team_id="t-1",
        sender=CC,
        recipients=("m-pa",),
        subject="Rent",
        body="Behind on rent",
        sent_at=AT,
    )
    resource = to_fhir(message)
    validate_r4(resource)
    assert resource["payload"] == [{"contentString": "Behind on rent"}]
    assert resource["topic"] == {"text": "Rent"}
    assert resource["status"] == "completed"
    assert from_fhir(resource).value == message


def test_a_communication_without_a_sender_is_refused() -> None:
    resource = {
        "resourceType": "Communication",
        "id": "x",
        "status": "completed",
        "sent": "2026-03-09T09:00:00-04:00",
        "recipient": [{"reference": "Practitioner/y"}],
    }
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert [p.path for p in info.value.problems] == [("Communication", "sender")]


def test_a_goal_without_a_description_is_refused() -> None:
    resource = to_fhir(Goal(id="g", description="Walk"), patient_id="p-1")
    del resource["description"]
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert [p.path for p in info.value.problems] == [("Goal", "description")]


def test_a_broken_careroles_rule_is_reported_at_the_fhir_element() -> None:
    resource = to_fhir(concern())
    del resource["description"]  # a concern needs the patient's words
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert [p.path for p in info.value.problems] == [("Task", "description")]


def test_an_appointment_ending_before_it_starts_is_refused_at_end() -> None:
    resource = appointment_resource() | {"end": "2026-03-09T08:00:00-04:00"}
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(resource)
    assert [p.path for p in info.value.problems] == [("Appointment", "end")]


def test_a_bundle_given_to_from_fhir_points_to_from_bundle() -> None:
    with pytest.raises(careroles.ValidationError, match="from_bundle"):
        from_fhir({"resourceType": "Bundle", "type": "collection"})
