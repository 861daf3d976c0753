"""Appointment <-> FHIR R4 Appointment (fhir.md §1.1, §2.5).

R4 Appointment has no subject: the patient is the participant whose actor is a literal
``Patient/<id>`` reference.  careroles participants are logical references (member ids) or,
for an outside party, a display-only reference.
"""

from __future__ import annotations

from typing import Any, Final

import pendulum

from careroles.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Cancellation,
    CancellationReason,
    NoShowFollowUp,
    Participant,
    ParticipationStatus,
    SupportiveService,
    is_late_cancellation,
)
from careroles.errors import ValidationError
from careroles.fhir._common import (
    FIELD_PATHS,
    RESOURCE_ROLE,
    ROLE_RESOURCE,
    Reader,
    as_dict,
    as_list,
    build,
    code_url,
    enum_table,
    fhir_id,
    find_code,
    literal,
    member_reference,
    put_instant,
    read_rest,
    reference_at,
    rest_extensions,
    split_reference,
)
from careroles.fhir._elements import ELEMENTS

KIND_SYSTEM: Final = code_url("appointment-kind")
SERVICE_SYSTEM: Final = code_url("supportive-service")
CANCELLATION_SYSTEM: Final = code_url("cancellation-reason")
_HANDLED: Final = frozenset(
    {
        "id",
        "patient_id",
        "kind",
        "service",
        "description",
        "participants",
        "start",
        "end",
        "status",
    }
)
#: FHIR participantrequired -> careroles ``required`` (information-only is not required).
REQUIRED_CODES: Final = {"required": True, "optional": False, "information-only": False}
#: Actor types that are places or things, not people: not careroles participants.
_NOT_PEOPLE: Final = frozenset({"Location", "HealthcareService", "Device"})


def _participant(p: Participant) -> dict[str, Any]:
    if p.member_id is not None:
        rtype = ROLE_RESOURCE[p.role] if p.role is not None else None
        actor = member_reference(p.member_id, rtype, role=p.role)
    else:
        actor = {"display": p.external_ref}
    return {
        "actor": actor,
        "required": "required" if p.required else "optional",
        "status": p.status.value,
    }


def appointment_to_fhir(appt: Appointment) -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": "Appointment", "id": fhir_id(appt.id, ("id",))}
    if exts := rest_extensions(appt, "appointment", _HANDLED):
        out["extension"] = exts
    out["status"] = appt.status.value
    if appt.status is AppointmentStatus.CANCELLED and appt.cancellation is not None:
        out["cancelationReason"] = {
            "coding": [{"system": CANCELLATION_SYSTEM, "code": appt.cancellation.reason.value}]
        }
    if appt.service is not None:
        out["serviceType"] = [{"coding": [{"system": SERVICE_SYSTEM, "code": appt.service.value}]}]
    out["appointmentType"] = {"coding": [{"system": KIND_SYSTEM, "code": appt.kind.value}]}
    if appt.description:
        out["description"] = appt.description
    put_instant(out, "start", appt.start)
    put_instant(out, "end", appt.end)
    patient = {
        "actor": literal("Patient", fhir_id(appt.patient_id, ("patient_id",))),
        "required": "required",
        "status": "accepted",
    }
    out["participant"] = [patient, *(_participant(p) for p in appt.participants)]
    return out


def appointment_from_fhir(r: Reader) -> Appointment:
    root = r.root
    r.check_elements(ELEMENTS["Appointment"], ("status", "participant"))
    aid = r.string(root, "id", (), required=True)
    status = r.code(root, "status", (), enum_table(AppointmentStatus))
    start = r.instant(root, "start", ())
    end = r.instant(root, "end", ())
    if start is None or end is None:
        r.problem(("start",), "careroles needs both start and end (app-2, app-3)", "missing")
    patient_id = None
    participants = []
    for path, p in r.items(root, "participant", (), required=True):
        pstatus = r.code(p, "status", path, enum_table(ParticipationStatus), required=True)
        required = REQUIRED_CODES.get(str(p.get("required", "required")), True)
        actor = as_dict(p.get("actor"))
        text = actor.get("reference")
        if isinstance(text, str):
            text = r.urls.get(text, text)
        if patient_id is None and isinstance(text, str):
            found_type, found_id = split_reference(text)
            if (found_type or actor.get("type")) == "Patient":
                patient_id = found_id
                continue
        if not actor or pstatus is None:
            r.drop(path)  # a participant with only a type: not carried
            continue
        if "reference" not in actor and "identifier" not in actor and actor.get("display"):
            participants.append(
                Participant(external_ref=str(actor["display"]), required=required, status=pstatus)
            )
            continue
        rtype, member, role = reference_at(r, actor, (*path, "actor"))
        role = role or RESOURCE_ROLE.get(rtype or "")
        if rtype in _NOT_PEOPLE or member is None or role is None:
            r.drop(path)
            continue
        participants.append(
            Participant(member_id=member, role=role, required=required, status=pstatus)
        )
    if patient_id is None:
        r.problem(
            ("participant",), "careroles needs a participant whose actor is a Patient", "missing"
        )
    kind = find_code(root.get("appointmentType"), KIND_SYSTEM, enum_table(AppointmentKind))
    service = None
    for concept in as_list(root.get("serviceType")):
        service = service or find_code(concept, SERVICE_SYSTEM, enum_table(SupportiveService))
    rest = read_rest(r, root, Appointment, "appointment", _HANDLED, ())
    description = root.get("description") if isinstance(root.get("description"), str) else None
    r.fail_if_problems()
    assert start is not None
    assert end is not None
    if status is AppointmentStatus.CANCELLED and "cancellation" not in rest:
        rest["cancellation"] = _cancellation(r, start)
    if status is AppointmentStatus.NOSHOW and "follow_up" not in rest:
        # a no-show opens a follow-up (APPT-003); from elsewhere: opened at the end
        rest["follow_up"] = NoShowFollowUp(opened_at=end)
    return build(
        r,
        Appointment,
        id=aid,
        patient_id=patient_id,
        kind=kind or AppointmentKind.CONSULTATION,
        service=service,
        description=description,
        participants=tuple(participants),
        start=start,
        end=end,
        status=status,
        **rest,
    )


def _cancellation(r: Reader, start: pendulum.DateTime) -> Cancellation:
    """A cancellation from elsewhere: its reason code; the instant is unknown, so the
    resource's ``meta.lastUpdated`` is used, else the start (docs/fhir.md)."""
    reason = find_code(
        r.root.get("cancelationReason"), CANCELLATION_SYSTEM, enum_table(CancellationReason)
    )
    at = r.instant(as_dict(r.root.get("meta")), "lastUpdated", ("meta",)) or start
    try:
        return Cancellation(
            reason=reason or CancellationReason.OTHER,
            at=at,
            late=is_late_cancellation(start, at),
        )
    except ValidationError as exc:  # pragma: no cover - the values come from parsed instants
        raise exc.prefixed((r.type,)) from None


FIELD_PATHS[Appointment] = {
    "start": ("start",),
    "end": ("end",),
    "patient_id": ("participant",),
    "participants": ("participant",),
    "description": ("description",),
    "kind": ("appointmentType",),
    "service": ("serviceType",),
    "cancellation": ("cancelationReason",),
    "status": ("status",),
}
