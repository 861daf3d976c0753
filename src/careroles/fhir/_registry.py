"""The tables of mappers: careroles type -> exporter, FHIR resourceType -> importer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import attrs

from careroles.advocacy import AdvocacyCase
from careroles.appointments import Appointment
from careroles.care_plans import CarePlan, Goal
from careroles.care_teams import CareTeam
from careroles.communications import Message, ProgressUpdate
from careroles.concerns import Concern
from careroles.consent import Consent
from careroles.decisions import TreatmentDecision
from careroles.errors import ValidationError
from careroles.fhir import (
    _appointment,
    _careplan,
    _careteam,
    _communication,
    _consent,
    _patient,
    _task,
)
from careroles.fhir._common import Imported, Reader, referencing
from careroles.fhir._diff import not_carried
from careroles.patients import Contact, Patient

Exporter = Callable[..., dict[str, Any]]
Importer = Callable[[Reader], Any]


@attrs.frozen
class Mapping:
    """One row: a careroles type, its FHIR resource type, and the two directions."""

    cls: type
    resource_type: str
    export: Exporter
    import_: Importer
    #: other resources exported with it in a Bundle (e.g. a care plan's goals)
    companions: Callable[[Any], list[dict[str, Any]]] | None = None
    needs_patient_id: bool = False


MAPPINGS: Final[list[Mapping]] = [
    Mapping(Patient, "Patient", _patient.patient_to_fhir, _patient.patient_from_fhir),
    Mapping(
        Contact,
        "RelatedPerson",
        _patient.contact_to_fhir,
        _patient.related_person_from_fhir,
        needs_patient_id=True,
    ),
    Mapping(CareTeam, "CareTeam", _careteam.care_team_to_fhir, _careteam.care_team_from_fhir),
    Mapping(Consent, "Consent", _consent.consent_to_fhir, _consent.consent_from_fhir),
    Mapping(CarePlan, "CarePlan", _careplan.care_plan_to_fhir, _careplan.care_plan_from_fhir),
    Mapping(
        Goal,
        "Goal",
        _careplan.goal_to_fhir,
        _careplan.goal_from_fhir,
        needs_patient_id=True,
    ),
    Mapping(
        Appointment,
        "Appointment",
        _appointment.appointment_to_fhir,
        _appointment.appointment_from_fhir,
    ),
    Mapping(
        Message,
        "Communication",
        _communication.message_to_fhir,
        _communication.communication_from_fhir,
    ),
    Mapping(
        ProgressUpdate,
        "Communication",
        _communication.progress_update_to_fhir,
        _communication.communication_from_fhir,
    ),
    Mapping(Concern, "Task", _task.concern_to_fhir, _task.task_from_fhir),
    Mapping(
        AdvocacyCase,
        "Task",
        _task.case_to_fhir,
        _task.task_from_fhir,
        companions=_task.case_communications,
    ),
    Mapping(TreatmentDecision, "Task", _task.decision_to_fhir, _task.task_from_fhir),
]


def by_type(cls: type) -> Mapping | None:
    return next((m for m in MAPPINGS if m.cls is cls), None)


def by_resource(resource_type: str) -> Mapping | None:
    return next((m for m in MAPPINGS if m.resource_type == resource_type), None)


def export(obj: object, *, patient_id: str | None = None) -> dict[str, Any]:
    row = by_type(type(obj))
    if row is None:
        raise ValidationError.single(
            (), f"careroles has no FHIR mapping for {type(obj).__name__}", "unsupported_type"
        )
    if row.needs_patient_id:
        return row.export(obj, patient_id=patient_id)
    return row.export(obj)


def import_(
    resource: Any,
    *,
    time_zone: str = "UTC",
    urls: dict[str, str] | None = None,
    forward: dict[str, str] | None = None,
) -> Imported[Any]:
    """Import one resource; `urls` maps Bundle fullUrls to ``Type/id`` (and back, for the
    not-carried comparison)."""
    if not isinstance(resource, dict):
        raise ValidationError.single((), "expected a FHIR resource (a JSON object)", "type")
    rtype = resource.get("resourceType")
    if not isinstance(rtype, str):
        raise ValidationError.single(("resourceType",), "resourceType is required", "missing")
    row = by_resource(rtype)
    if rtype == "Bundle":
        raise ValidationError.single(
            ("Bundle",), "a Bundle is read with from_bundle, not from_fhir", "bundle"
        )
    if row is None:
        raise ValidationError.single(
            (rtype,),
            f"careroles does not import {rtype} resources "
            f"(supported: {', '.join(sorted({m.resource_type for m in MAPPINGS}))})",
            "unsupported_resource",
        )
    reader = Reader(resource, rtype, time_zone=time_zone, urls=urls)
    value = row.import_(reader)
    if forward:
        with referencing(lambda key: forward.get(key, key)):
            again = export(value, patient_id=reader.context.get("patient_id"))
    else:
        again = export(value, patient_id=reader.context.get("patient_id"))
    if again == resource:  # the common case for careroles' own output: nothing to report
        return Imported(value, ())
    missing = not_carried(resource, again, dropped=reader.dropped, zone=reader.zone)
    return Imported(value, missing)
