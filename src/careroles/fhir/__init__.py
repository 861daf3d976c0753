"""FHIR R4 (4.0.1) import and export of careroles values, as plain JSON dicts.

* :func:`to_fhir` turns a careroles value into one R4 resource; :func:`from_fhir` reads one
  resource back as an :class:`Imported` (the value, plus the FHIR paths of every input element
  it does not carry).  careroles-only fields travel in extensions under
  :data:`EXTENSION_BASE`, so careroles -> FHIR -> careroles gives back an equal value.
* :func:`bundle` exports a patient's whole record as a ``collection`` Bundle whose internal
  references resolve; :func:`from_bundle` reads one back as an :class:`ImportReport`.
* Invalid input (missing required elements, wrong shapes, elements that are not R4 such as
  STU3's ``CarePlan.context``) is refused with a :class:`~careroles.errors.ValidationError`
  whose problem paths start with the resource type (``$.Goal.subject``).

No import of ``fhir.resources`` is needed; it is used by the tests only (``careroles[fhir]``).
See docs/fhir.md for the mapping tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from careroles.advocacy import AdvocacyCase
from careroles.appointments import Appointment
from careroles.care_plans import CarePlan
from careroles.care_teams import CareTeam
from careroles.communications import Message, ProgressUpdate
from careroles.concerns import Concern
from careroles.consent import Consent
from careroles.decisions import TreatmentDecision
from careroles.fhir._bundle import ImportReport, full_url
from careroles.fhir._bundle import bundle as _bundle
from careroles.fhir._bundle import from_bundle as _from_bundle
from careroles.fhir._common import CODE_SYSTEM_BASE, EXTENSION_BASE, MEMBER_ID_SYSTEM, Imported
from careroles.fhir._registry import MAPPINGS, export, import_
from careroles.patients import Patient

__all__ = [
    "CODE_SYSTEM_BASE",
    "EXTENSION_BASE",
    "MEMBER_ID_SYSTEM",
    "ImportReport",
    "Imported",
    "NotCarried",
    "bundle",
    "from_bundle",
    "from_fhir",
    "full_url",
    "supported_types",
    "to_fhir",
]

#: The FHIR paths of input content a careroles value does not carry (see :class:`Imported`).
NotCarried = tuple[str, ...]


def to_fhir(obj: object, *, patient_id: str | None = None) -> dict[str, Any]:
    """The FHIR R4 resource (JSON dict) for a careroles value.

    `patient_id` is needed only for values that do not name their patient themselves
    (a :class:`~careroles.patients.Contact` becomes a RelatedPerson of that patient).

    Raises:
        ValidationError: the type has no FHIR mapping, or an id is not a valid FHIR id.
    """
    return export(obj, patient_id=patient_id)


def from_fhir(resource: dict[str, Any], *, time_zone: str = "UTC") -> Imported[Any]:
    """Read one FHIR R4 resource (JSON dict) as a careroles value.

    Date-only and partial FHIR dates that land in careroles instants are read as the start of
    that day, month or year in `time_zone` (the patient's zone when known; for a Patient, its
    careroles time-zone extension wins).  A FHIR date-time with a time but no UTC offset is
    refused, as FHIR itself requires the offset.

    Raises:
        ValidationError: the resource is invalid, not R4, or of an unsupported type; every
            problem names its FHIR path.
    """
    return import_(resource, time_zone=time_zone)


def bundle(
    patient: Patient,
    *,
    team: CareTeam | None = None,
    consents: Iterable[Consent] = (),
    plans: Iterable[CarePlan] = (),
    appointments: Iterable[Appointment] = (),
    messages: Iterable[Message] = (),
    updates: Iterable[ProgressUpdate] = (),
    concerns: Iterable[Concern] = (),
    cases: Iterable[AdvocacyCase] = (),
    decisions: Iterable[TreatmentDecision] = (),
    others: Iterable[object] = (),
) -> dict[str, Any]:
    """The patient's record as a FHIR ``collection`` Bundle with resolvable references.

    The Bundle holds the Patient, a RelatedPerson per contact, then every value given, in the
    order of the arguments (an advocacy case is followed by one Communication per logged
    interaction).  `others` takes any value of a type :func:`supported_types` lists.

    Raises:
        ValidationError: a value references a resource outside the Bundle (another patient,
            a care team or plan not given), two values share a type and id, or a value has no
            FHIR mapping.
    """
    objects: list[object] = []
    if team is not None:
        objects.append(team)
    for group in (consents, plans, appointments, messages, updates, concerns, cases, decisions):
        objects += group
    objects += others
    return _bundle(patient, objects)


def from_bundle(data: dict[str, Any], *, time_zone: str | None = None) -> ImportReport:
    """Read a Bundle back: the patient, every supported value, and what was not carried."""
    return _from_bundle(data, time_zone=time_zone)


def supported_types() -> dict[type, str]:
    """careroles type -> FHIR resource type, for every mapping."""
    return {m.cls: m.resource_type for m in MAPPINGS}
