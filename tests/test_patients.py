"""The patient, their preferences in their own words, and the people around them."""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest

import careroles
from careroles import (
    Actor,
    ChangeRecord,
    Contact,
    ContactChannel,
    ContactHours,
    ContactPoint,
    DecisionRole,
    DeclinedTreatment,
    Patient,
    Period,
    PermissionDenied,
    Preferences,
    Relationship,
    RepresentativeBasis,
    Role,
    RolePolicy,
    ValidationError,
)
from careroles.patients import PERMISSIONS

T0 = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
PATIENT = Actor(member_id="m-pat", role=Role.PATIENT)
REPRESENTATIVE = Actor(member_id="m-rep", role=Role.PERSONAL_REPRESENTATIVE)
ADVOCATE = Actor(member_id="m-adv", role=Role.PATIENT_ADVOCATE)
COORDINATOR = Actor(member_id="m-coord", role=Role.CARE_COORDINATOR)
CAREGIVER = Actor(member_id="m-care", role=Role.CAREGIVER)
PROVIDER = Actor(member_id="m-doc", role=Role.TREATING_PROVIDER)


def ada() -> Patient:
    return Patient(id="p-1", name="Ada Lovelace", time_zone="Europe/London")


def spanish() -> Preferences:
    return Preferences(
        language="es",
        interpreter_needed=True,
        contact_channels=(ContactChannel.SMS, ContactChannel.PHONE),
        contact_hours=ContactHours(start=pendulum.Time(9), end=pendulum.Time(17)),
        values=("staying at home",),
        goals_in_own_words=("walk to the market again",),
        decision_role=DecisionRole.PATIENT_DECIDES_AFTER_CLINICIAN_VIEW,
    )


# --- preferences --------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [PATIENT, REPRESENTATIVE])
def test_the_patient_side_records_preferences_in_its_own_right(actor: Actor) -> None:
    patient = ada().record_preferences(spanish(), by=actor, at=T0)
    assert patient.preferences == spanish()
    assert patient.history == (
        ChangeRecord(action="record_preferences", at=T0, by=actor, on_behalf_of_patient=False),
    )


@pytest.mark.parametrize("actor", [ADVOCATE, COORDINATOR])
def test_preferences_recorded_on_the_patients_behalf_are_attributed(actor: Actor) -> None:
    patient = ada().record_preferences(spanish(), by=actor, at=T0, on_behalf_of_patient=True)
    assert patient.history[-1].on_behalf_of_patient is True
    assert patient.history[-1].by == actor


@pytest.mark.parametrize("actor", [ADVOCATE, COORDINATOR])
def test_an_advocate_or_coordinator_without_on_behalf_is_refused(actor: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        ada().record_preferences(spanish(), by=actor, at=T0)
    assert info.value.messages == [
        f"a {actor.role.value} records this only on the patient's behalf: "
        "pass on_behalf_of_patient=True @ $.on_behalf_of_patient"
    ]


@pytest.mark.parametrize("actor", [CAREGIVER, PROVIDER])
def test_a_caregiver_or_provider_may_not_record_preferences(actor: Actor) -> None:
    with pytest.raises(PermissionDenied) as info:
        ada().record_preferences(spanish(), by=actor, at=T0, on_behalf_of_patient=True)
    assert (info.value.role, info.value.subject, info.value.action) == (
        actor.role.value,
        "patient",
        "record_preferences",
    )


def test_an_app_policy_can_let_a_caregiver_record_preferences_on_behalf() -> None:
    policy = RolePolicy(PERMISSIONS).replace(
        "patient", "record_preferences", {Role.PATIENT, Role.CAREGIVER}
    )
    patient = ada().record_preferences(
        spanish(), by=CAREGIVER, at=T0, on_behalf_of_patient=True, policy=policy
    )
    assert patient.history[-1].by == CAREGIVER
    with pytest.raises(PermissionDenied):  # the replaced row dropped the advocate
        ada().record_preferences(
            spanish(), by=ADVOCATE, at=T0, on_behalf_of_patient=True, policy=policy
        )


def test_changes_must_be_recorded_in_time_order() -> None:
    patient = ada().record_preferences(spanish(), by=PATIENT, at=T0)
    with pytest.raises(ValidationError) as info:
        patient.record_preferences(Preferences(), by=PATIENT, at=T0.subtract(minutes=1))
    assert info.value.messages == ["a change cannot be dated before the previous one @ $.at"]
    with pytest.raises(ValidationError) as info:
        patient.record_preferences(Preferences(), by=PATIENT, at=pendulum.naive(2026, 3, 10))
    assert info.value.messages == ["naive date-time: a time zone is required @ $.at"]


def test_preferences_answer_what_the_patient_declines() -> None:
    prefs = Preferences(
        declined_treatments=(DeclinedTreatment(code="387713003", description="surgery"),)
    )
    assert prefs.declines("387713003")
    assert not prefs.declines("0")


def test_contact_hours_are_wall_clock_times_in_the_patients_zone() -> None:
    hours = ContactHours(start=pendulum.Time(9), end=pendulum.Time(17), days=frozenset({0}))
    patient = Patient(id="p-1", name="Ada", time_zone="America/Los_Angeles")
    monday_9_am_in_new_york = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
    assert not hours.allows(patient.local(monday_9_am_in_new_york))  # 06:00 in LA
    assert hours.allows(patient.local(monday_9_am_in_new_york.add(hours=3)))
    assert not hours.allows(patient.local(monday_9_am_in_new_york.add(days=1, hours=3)))


# --- contacts and representatives ---------------------------------------------------------


def daughter(**changes: Any) -> Contact:
    fields: dict[str, Any] = {
        "id": "c-1",
        "name": "Anne Isabella",
        "relationship": Relationship.CHILD,
        "contact_points": (ContactPoint(channel=ContactChannel.PHONE, value="+44 20 7946 0000"),),
        "representative_basis": RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY,
        "representative_period": Period(start=T0, end=T0.add(years=1)),
    }
    fields.update(changes)
    return Contact(**fields)


def test_a_contact_is_a_representative_only_within_its_period() -> None:
    contact = daughter()
    assert contact.is_representative(T0)
    assert not contact.is_representative(T0.subtract(days=1))
    assert not contact.is_representative(T0.add(years=1))
    assert contact.has_decision_authority
    assert not daughter(representative_basis=None, representative_period=None).is_representative(
        T0
    )


def test_an_appeal_representative_has_no_decision_authority() -> None:
    contact = daughter(representative_basis=RepresentativeBasis.ERISA_AUTHORIZED_REPRESENTATIVE)
    assert contact.is_representative(T0)
    assert not contact.has_decision_authority


def test_contacts_are_added_by_the_patient_side_or_a_coordinator() -> None:
    patient = ada().add_contact(daughter(), by=PATIENT, at=T0)
    assert patient.contact("c-1") == daughter()
    assert patient.representatives(T0) == (daughter(),)
    assert patient.history[-1].action == "add_contact"
    with pytest.raises(PermissionDenied):
        ada().add_contact(daughter(), by=ADVOCATE, at=T0)


def test_two_contacts_may_not_share_an_id() -> None:
    patient = ada().add_contact(daughter(), by=PATIENT, at=T0)
    with pytest.raises(ValidationError) as info:
        patient.add_contact(daughter(name="Ada Jr"), by=PATIENT, at=T0)
    assert info.value.messages == ["two contacts share an id @ $.contacts"]


def test_an_unknown_contact_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        ada().contact("c-404")
    assert info.value.messages == ["no contact with this id @ $.contacts"]


# --- bad input to every constructor -------------------------------------------------------


def make(cls: Any, **kwargs: Any) -> Any:
    """Call a constructor with deliberately ill-typed arguments (mypy would refuse them)."""
    return cls(**kwargs)


@pytest.mark.parametrize(
    ("build", "messages"),
    [
        (
            lambda: make(Patient, id="", name="Ada", time_zone="Mars/Base"),
            ["must not be empty @ $.id", "expected an IANA time-zone name @ $.time_zone"],
        ),
        (
            lambda: make(Patient, id=1, name=None, time_zone="UTC", birth_date="1815-12-10"),
            [
                "expected a string, got int @ $.id",
                "expected a string, got NoneType @ $.name",
                "expected a date, got str @ $.birth_date",
            ],
        ),
        (
            lambda: make(
                Patient,
                id="p",
                name="A",
                time_zone="UTC",
                birth_date=pendulum.datetime(1815, 12, 10),
            ),
            ["expected a date, got DateTime @ $.birth_date"],
        ),
        (
            lambda: make(Patient, id="p", name="A", time_zone="UTC", contacts=[daughter(), "x"]),
            ["expected Contact, got str @ $.contacts[1]"],
        ),
        (
            lambda: make(Preferences, language="", contact_channels=(ContactChannel.SMS,) * 2),
            [
                "expected a BCP 47 language tag such as 'es' @ $.language",
                "a channel is listed twice @ $.contact_channels",
            ],
        ),
        (
            lambda: make(
                Preferences, contact_channels=(ContactChannel.DO_NOT_CONTACT, ContactChannel.MAIL)
            ),
            ["do_not_contact excludes every other channel @ $.contact_channels"],
        ),
        (
            lambda: make(Preferences, interpreter_needed="false", contact_channels=("sms",)),
            [
                "expected true or false, got str @ $.interpreter_needed",
                "expected ContactChannel, got str @ $.contact_channels[0]",
            ],
        ),
        (
            lambda: make(Preferences, values="walking"),
            ["expected a list, got str @ $.values"],
        ),
        (
            lambda: make(
                ContactHours, start=pendulum.Time(17), end=pendulum.Time(9), days=frozenset({7})
            ),
            [
                "contact hours must end after they start @ $.end",
                "days are 0 (Monday) to 6 (Sunday) @ $.days",
            ],
        ),
        (
            lambda: make(
                ContactHours, start=pendulum.Time(9), end=pendulum.Time(17), days=frozenset()
            ),
            ["at least one day is required @ $.days"],
        ),
        (
            lambda: make(ContactHours, start="09:00", end=pendulum.Time(17)),
            ["expected a time of day, got str @ $.start"],
        ),
        (
            lambda: make(ContactPoint, channel="phone", value=5),
            [
                "expected ContactChannel, got str @ $.channel",
                "expected a string, got int @ $.value",
            ],
        ),
        (
            lambda: make(
                DeclinedTreatment,
                code="1",
                description="surgery",
                declined_at=pendulum.naive(2026, 1, 1),
            ),
            ["naive date-time: a time zone is required @ $.declined_at"],
        ),
        (
            lambda: daughter(id="", representative_basis=None),
            [
                "must not be empty @ $.id",
                "a representative period needs a representative basis @ $.representative_period",
            ],
        ),
        (
            lambda: daughter(relationship="daughter"),
            ["expected Relationship, got str @ $.relationship"],
        ),
    ],
)
def test_bad_arguments_are_validation_errors_listing_every_problem(
    build: Any, messages: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        build()
    assert info.value.messages == messages


def patient_json(**changes: Any) -> str:
    doc = careroles.unstructure(ada().add_contact(daughter(), by=PATIENT, at=T0))
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is KeyError:
            del node[last]
        else:
            node[last] = value
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"id": 7}, ["expected a string, got int @ $.id"]),
        ({"name": KeyError}, ["required field missing @ $.name"]),
        ({"time_zone": "Europe/Lundon"}, ["expected an IANA time-zone name @ $.time_zone"]),
        (
            {"birth_date": "1815-02-30"},
            ["not a valid calendar date (YYYY-MM-DD) @ $.birth_date"],
        ),
        (
            {"preferences__interpreter_needed": "no"},
            ["expected true or false, got str @ $.preferences.interpreter_needed"],
        ),
        (
            {"preferences__decision_role": "doctor_knows_best"},
            [
                "unknown DecisionRole; expected one of 'patient_decides', "
                "'patient_decides_after_clinician_view', 'shared', "
                "'clinician_decides_after_patient_view', 'clinician_decides' "
                "@ $.preferences.decision_role"
            ],
        ),
        (
            {"contacts__0__representative_period__end": "2026-03-09T08:00:00-04:00"},
            ["a period must end after it starts @ $.contacts[0].representative_period.end"],
        ),
        (
            {"contacts__0__representative_period__start": "2026-03-09T09:00:00"},
            [
                "expected an RFC 9557 date-time with an offset, e.g. "
                "2026-03-08T09:00:00-04:00[America/New_York] "
                "@ $.contacts[0].representative_period.start"
            ],
        ),
        (
            {"contacts__0__contact_points__0__channel": "pigeon"},
            [
                "unknown ContactChannel; expected one of 'phone', 'sms', 'email', 'portal', "
                "'mail', 'in_person', 'do_not_contact' @ $.contacts[0].contact_points[0].channel"
            ],
        ),
        ({"contacts__0__nickname": "Annie"}, ["unknown keys: nickname @ $.contacts[0]"]),
        (
            {"history__0__at": "2026-03-09T09:00:00+01:00[America/New_York]"},
            ["the offset does not match the named time zone @ $.history[0].at"],
        ),
        (
            {"history__0__by__role": "admin"},
            [
                "unknown Role; expected one of 'patient', 'care_coordinator', "
                "'patient_advocate', 'treating_provider', 'caregiver', "
                "'personal_representative' @ $.history[0].by.role"
            ],
        ),
    ],
)
def test_bad_patient_json_is_refused_with_exact_paths(
    changes: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        careroles.loads(patient_json(**changes), Patient)
    assert info.value.messages == messages


def test_a_patient_round_trips_through_json() -> None:
    patient = ada().add_contact(daughter(), by=PATIENT, at=T0)
    patient = patient.record_preferences(spanish(), by=ADVOCATE, at=T0, on_behalf_of_patient=True)
    assert careroles.loads(careroles.dumps(patient), Patient) == patient


def test_patient_data_stays_out_of_repr() -> None:
    patient = ada().add_contact(daughter(), by=PATIENT, at=T0)
    patient = patient.record_preferences(spanish(), by=PATIENT, at=T0)
    shown = repr(patient)
    for secret in ("Ada Lovelace", "Anne Isabella", "7946", "staying at home", "market"):
        assert secret not in shown
    assert "p-1" in shown  # identifiers are not patient data


def test_an_audit_record_checks_its_fields() -> None:
    with pytest.raises(ValidationError) as info:
        make(
            ChangeRecord,
            action=1,
            at=pendulum.naive(2026, 1, 1),
            by="m",
            on_behalf_of_patient=None,
        )
    assert info.value.messages == [
        "expected a string, got int @ $.action",
        "naive date-time: a time zone is required @ $.at",
        "expected Actor, got str @ $.by",
        "expected true or false, got NoneType @ $.on_behalf_of_patient",
    ]


def test_a_stored_change_history_out_of_time_order_is_refused_on_loading() -> None:
    import careroles

    at = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
    advocate = careroles.Actor(member_id="adv-1", role=careroles.Role.PATIENT_ADVOCATE)
    patient = careroles.Patient(id="p-1", name="Ann Example", time_zone="America/New_York")
    for day in (1, 2):
        patient = patient.record_preferences(
            careroles.Preferences(), by=advocate, at=at.add(days=day), on_behalf_of_patient=True
        )
    doc = careroles.unstructure(patient)
    doc["history"][0]["at"], doc["history"][1]["at"] = (
        doc["history"][1]["at"],
        doc["history"][0]["at"],
    )
    with pytest.raises(careroles.ValidationError) as info:
        careroles.structure(doc, careroles.Patient)
    assert info.value.messages == ["dated before the previous change @ $.history[1].at"]


def test_a_naive_stdlib_datetime_given_as_at_is_named_naive() -> None:
    import datetime

    import careroles

    patient = careroles.Patient(id="p-1", name="Ann Example", time_zone="UTC")
    advocate = careroles.Actor(member_id="adv-1", role=careroles.Role.PATIENT_ADVOCATE)
    with pytest.raises(careroles.ValidationError) as info:
        patient.record_preferences(
            careroles.Preferences(),
            by=advocate,
            at=datetime.datetime(2026, 3, 9, 9),  # type: ignore[arg-type]  # naive on purpose
            on_behalf_of_patient=True,
        )
    assert info.value.messages == ["naive date-time: a time zone is required @ $.at"]
