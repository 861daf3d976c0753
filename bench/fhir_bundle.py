"""The benchmark record as the equivalent FHIR R4 Bundle (a dict), for ``fhir.resources`` R4B.

:func:`record_bundle` uses careroles' own FHIR mapping (``careroles.fhir.bundle``) when the
checkout has it, so the comparison is with the Bundle an app would exchange; otherwise it
falls back to :func:`bundle`, the mapping written here, described below.

This measures what a FHIR-model stack costs for the same data, so the bundle carries the same
information as the careroles record, mapped the usual way (research/fhir.md §2):

* Patient (name, birth date, language, contacts with telecom; preferences as extensions);
* CareTeam (participants with role, member reference and period);
* CarePlan with its activities (``activity.detail``) and one Goal resource per goal;
* Appointment per appointment (status, times, participants, cancellation reason);
* the advocacy case as a Task, each interaction a Communication, each deadline a Task with
  ``restriction.period.end``.

Audit histories (status transitions and changes) have no element of their own in these R4
resources; they travel as one complex extension per record (action, from, to, at, by, role,
reason).  That is the cheapest faithful encoding: a Provenance resource per change would cost
FHIR more, so the ratios measured against this bundle are conservative.
"""

from __future__ import annotations

import enum
from typing import Any, Final

import pendulum

__all__ = ["bundle", "record_bundle"]

Json = dict[str, Any]
EXT: Final = "https://careroles.dev/fhir/StructureDefinition/"
CODES: Final = "https://careroles.dev/fhir/CodeSystem/"


def _dt(value: pendulum.DateTime | None) -> str | None:
    return None if value is None else value.isoformat()


def _code(system: str, value: enum.Enum | str) -> Json:
    code = value.value if isinstance(value, enum.Enum) else value
    return {"coding": [{"system": CODES + system, "code": code}]}


def _ref(kind: str, ident: str | None) -> Json | None:
    return None if ident is None else {"reference": f"{kind}/{ident}"}


def _clean(obj: Any) -> Any:
    """Drop ``None`` values and empty lists (FHIR has no nulls)."""
    if isinstance(obj, dict):
        out = {k: _clean(v) for k, v in obj.items() if v is not None}
        return {k: v for k, v in out.items() if v != [] and v != {}}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    return obj


def _history(records: tuple[Any, ...]) -> list[Json]:
    out = []
    for r in records:
        parts: list[Json] = [
            {"url": "action", "valueCode": r.action},
            {"url": "at", "valueDateTime": _dt(r.at)},
            {"url": "by", "valueReference": {"reference": f"Practitioner/{r.by.member_id}"}},
            {"url": "role", "valueCode": r.by.role.value},
        ]
        if hasattr(r, "from_status"):
            parts.append({"url": "from", "valueCode": r.from_status.value})
            parts.append({"url": "to", "valueCode": r.to_status.value})
        if getattr(r, "reason", None):
            parts.append({"url": "reason", "valueString": r.reason})
        if getattr(r, "on_behalf_of_patient", False):
            parts.append({"url": "onBehalfOfPatient", "valueBoolean": True})
        out.append({"url": EXT + "history", "extension": parts})
    return out


def _patient(p: Any) -> Json:
    prefs = p.preferences
    ext: list[Json] = [{"url": EXT + "value", "valueString": v} for v in prefs.values] + [
        {"url": EXT + "goal-in-own-words", "valueString": g} for g in prefs.goals_in_own_words
    ]
    ext.append({"url": EXT + "decision-role", "valueCode": prefs.decision_role.value})
    ext += [{"url": EXT + "contact-channel", "valueCode": c.value} for c in prefs.contact_channels]
    if prefs.contact_hours is not None:
        h = prefs.contact_hours
        ext.append(
            {
                "url": EXT + "contact-hours",
                "extension": [
                    {"url": "start", "valueTime": h.start.isoformat()},
                    {"url": "end", "valueTime": h.end.isoformat()},
                    *({"url": "day", "valueInteger": d} for d in sorted(h.days)),
                ],
            }
        )
    return {
        "resourceType": "Patient",
        "id": p.id,
        "extension": ext + _history(p.history),
        "name": [{"text": p.name}],
        "birthDate": None if p.birth_date is None else p.birth_date.isoformat(),
        "communication": [
            {
                "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": prefs.language}]},
                "preferred": True,
                "extension": [{"url": EXT + "interpreter-needed", "valueBoolean": True}]
                if prefs.interpreter_needed
                else [],
            }
        ],
        "contact": [
            {
                "id": c.id,
                "relationship": [_code("relationship", c.relationship)],
                "name": {"text": c.name},
                "telecom": [
                    {"system": "phone", "value": cp.value, "extension": []}
                    for cp in c.contact_points
                ],
            }
            for c in p.contacts
        ],
    }


def _care_team(t: Any) -> Json:
    return {
        "resourceType": "CareTeam",
        "id": t.id,
        "status": "active",
        "extension": _history(t.history),
        "subject": _ref("Patient", t.patient_id),
        "participant": [
            {
                "role": [_code("role", m.role)],
                "member": {"reference": f"Practitioner/{m.member_id}", "display": m.display_name},
                "period": {"start": _dt(m.period.start), "end": _dt(m.period.end)},
                "extension": [{"url": EXT + "lead", "valueBoolean": True}] if m.lead else [],
            }
            for m in t.members
        ],
    }


def _appointment(a: Any) -> Json:
    participants: list[Json] = [
        {
            "actor": {"reference": f"Patient/{a.patient_id}"},
            "required": "required",
            "status": "accepted",
        }
    ]
    for p in a.participants:
        participants.append(
            {
                "type": [_code("role", p.role)] if p.role is not None else [],
                "actor": {"reference": f"Practitioner/{p.member_id}"}
                if p.member_id is not None
                else {"display": p.external_ref},
                "required": "required" if p.required else "optional",
                "status": p.status.value,
            }
        )
    if a.location is not None:
        participants.append(
            {
                "actor": {"display": a.location.address or a.location.virtual_link or "phone"},
                "required": "information-only",
                "status": "accepted",
            }
        )
    ext = _history(a.history) + _history(a.changes)
    ext += [
        {
            "url": EXT + "reminder",
            "extension": [
                {"url": "at", "valueDateTime": _dt(r.at)},
                {"url": "channel", "valueCode": r.channel.value},
            ],
        }
        for r in a.reminders
    ]
    if a.cancellation is not None:
        ext.append(
            {
                "url": EXT + "cancellation",
                "extension": [
                    {"url": "at", "valueDateTime": _dt(a.cancellation.at)},
                    {"url": "late", "valueBoolean": a.cancellation.late},
                    *(
                        [{"url": "note", "valueString": a.cancellation.note}]
                        if a.cancellation.note
                        else []
                    ),
                ],
            }
        )
    if a.follow_up is not None:
        ext.append(
            {
                "url": EXT + "no-show-follow-up",
                "extension": [{"url": "opened", "valueDateTime": _dt(a.follow_up.opened_at)}],
            }
        )
    for name in ("predecessor_id", "successor_id"):
        if getattr(a, name) is not None:
            ext.append(
                {"url": EXT + name, "valueReference": _ref("Appointment", getattr(a, name))}
            )
    return {
        "resourceType": "Appointment",
        "id": a.id,
        "extension": ext,
        "status": a.status.value,
        "serviceType": [_code("appointment-kind", a.kind)]
        + ([_code("supportive-service", a.service)] if a.service is not None else []),
        "description": a.description,
        "start": _dt(a.start),
        "end": _dt(a.end),
        "cancelationReason": _code("cancellation-reason", a.cancellation.reason)
        if a.cancellation is not None
        else None,
        "basedOn": [{"reference": f"CarePlan/activity/{a.activity_id}"}]
        if a.activity_id is not None
        else [],
        "participant": participants,
    }


def _goal(g: Any, patient_id: str) -> Json:
    return {
        "resourceType": "Goal",
        "id": g.id,
        "extension": _history(g.history)
        + (
            [{"url": EXT + "stated-by-patient", "valueBoolean": True}]
            if g.stated_by_patient
            else []
        ),
        "lifecycleStatus": g.status.value,
        "achievementStatus": _code("goal-achievement", g.achievement)
        if g.achievement is not None
        else None,
        "description": {"text": g.description},
        "subject": _ref("Patient", patient_id),
        "target": [
            {
                "measure": {"text": g.target.measure},
                "detailString": g.target.detail,
                "dueDate": None if g.due is None else g.due.isoformat(),
            }
        ]
        if g.target is not None
        else [],
        "addresses": [{"reference": f"Condition/{n}"} for n in g.need_ids],
    }


def _care_plan(plan: Any) -> Json:
    activities = []
    for a in plan.activities:
        activities.append(
            {
                "extension": _history(a.history),
                "detail": {
                    "kind": "Task",
                    "code": _code("activity-kind", a.kind),
                    "status": a.status.value,
                    "description": a.description,
                    "performer": [{"reference": f"Practitioner/{a.responsible_member_id}"}]
                    if a.responsible_member_id is not None
                    else [],
                    "goal": [{"reference": f"Goal/{g}"} for g in a.goal_ids],
                    "reasonReference": [{"reference": f"Condition/{n}"} for n in a.need_ids],
                    "scheduledString": None if a.due is None else a.due.isoformat(),
                },
                "reference": _ref("Appointment", a.appointment_id),
            }
        )
    revisions = [
        {
            "url": EXT + "revision",
            "extension": [
                {"url": "action", "valueCode": r.action},
                {"url": "at", "valueDateTime": _dt(r.at)},
                {"url": "by", "valueReference": {"reference": f"Practitioner/{r.by.member_id}"}},
                {"url": "role", "valueCode": r.by.role.value},
                *([{"url": "item", "valueString": r.item_id}] if r.item_id else []),
            ],
        }
        for r in plan.revisions
    ]
    return {
        "resourceType": "CarePlan",
        "id": plan.id,
        "extension": _history(plan.history) + revisions,
        "status": plan.status.value,
        "intent": "plan",
        "title": plan.title,
        "subject": _ref("Patient", plan.patient_id),
        "period": {"start": _dt(plan.period.start), "end": _dt(plan.period.end)}
        if plan.period is not None
        else None,
        "careTeam": [_ref("CareTeam", plan.care_team_id)],
        "addresses": [
            {"reference": f"Condition/{n.id}", "display": n.description} for n in plan.needs
        ],
        "goal": [{"reference": f"Goal/{g.id}"} for g in plan.goals],
        "activity": activities,
    }


def _consent(c: Any) -> Json:
    return {
        "resourceType": "Consent",
        "id": c.id,
        "status": c.status.value,
        "scope": _code("consent-kind", c.kind),
        "category": [_code("information-category", cat) for cat in sorted(c.categories)],
        "patient": _ref("Patient", c.patient_id),
        "performer": [{"reference": f"Patient/{c.grantor.member_id}"}],
        "provision": {
            "period": {"start": _dt(c.period.start), "end": _dt(c.period.end)},
            "actor": [
                {
                    "role": _code("role", "grantee"),
                    "reference": {"reference": f"Practitioner/{c.grantee_id}"},
                }
            ],
        },
    }


def _case(case: Any) -> list[Json]:
    sa = case.service_agreement
    task: Json = {
        "resourceType": "Task",
        "id": case.id,
        "extension": _history(case.history) + _history(case.changes),
        "status": "in-progress",
        "businessStatus": _code("case-status", case.status),
        "intent": "order",
        "code": _code("case-kind", case.kind),
        "description": case.matter,
        "for": _ref("Patient", case.patient_id),
        "owner": _ref("Practitioner", case.advocate_id),
        "authoredOn": _dt(case.opened_at),
        "input": [{"type": {"text": "coverage-regime"}, "valueCode": case.coverage_regime.value}]
        if case.coverage_regime is not None
        else [],
        "note": [{"text": sa.scope}] if sa is not None else [],
    }
    out = [task]
    for c in case.counterparties:
        out.append(
            {
                "resourceType": "Organization",
                "id": c.id,
                "name": c.name,
                "type": [_code("counterparty-kind", c.kind)],
                "identifier": [{"system": i.system, "value": i.value} for i in c.identifiers],
            }
        )
    for i, x in enumerate(case.interactions):
        out.append(
            {
                "resourceType": "Communication",
                "id": f"{case.id}-interaction-{i}",
                "status": "completed",
                "partOf": [{"reference": f"Task/{case.id}"}],
                "medium": [_code("channel", x.channel)],
                "sent": _dt(x.at),
                "sender": {"reference": f"Practitioner/{x.by.member_id}"},
                "recipient": [
                    {"reference": f"Organization/{x.counterparty_id}", "display": x.party}
                ]
                if x.counterparty_id is not None
                else [],
                "payload": [{"contentString": x.summary}]
                + ([{"contentString": x.next_step}] if x.next_step else []),
                "identifier": [{"value": x.reference_number}] if x.reference_number else [],
                "statusReason": _code("interaction-outcome", x.outcome),
            }
        )
    for i, d in enumerate(case.deadlines):
        out.append(
            {
                "resourceType": "Task",
                "id": f"{case.id}-deadline-{i}",
                "status": "completed" if d.met_at is not None else "requested",
                "intent": "plan",
                "partOf": [{"reference": f"Task/{case.id}"}],
                "code": {"coding": [{"system": CODES + "deadline-rule", "code": d.rule_id}]},
                "description": d.label,
                "authoredOn": _dt(d.triggered_at) if d.triggered_at is not None else None,
                "restriction": {"period": {"end": _dt(d.due)}},
                "input": [
                    {"type": {"text": "clock"}, "valueCode": d.clock.value},
                    {"type": {"text": "trigger"}, "valueCode": d.trigger_event},
                    {"type": {"text": "citation"}, "valueString": d.citation},
                ]
                + (
                    [{"type": {"text": "triggered-on"}, "valueDate": d.triggered_on.isoformat()}]
                    if d.triggered_on is not None
                    else []
                ),
                "extension": _history(d.history),
            }
        )
    return out


def bundle(record: Any) -> Json:
    """The FHIR R4 ``collection`` Bundle of a :class:`bench.workload.Record`."""
    resources: list[Json] = [_patient(record.patient), _care_team(record.team)]
    resources += [_consent(c) for c in record.consents]
    resources.append(_care_plan(record.plan))
    resources += [_goal(g, record.patient.id) for g in record.plan.goals]
    resources += [_appointment(a) for a in record.appointments]
    resources += _case(record.case)
    return _clean(
        {
            "resourceType": "Bundle",
            "id": f"record-{record.patient.id}",
            "type": "collection",
            "entry": [
                {"fullUrl": f"urn:careroles:{r['resourceType']}/{r['id']}", "resource": r}
                for r in resources
            ],
        }
    )


def record_bundle(record: Any) -> tuple[Json, str]:
    """The record's Bundle and which mapping made it."""
    try:
        from careroles.fhir import bundle as careroles_bundle
    except ImportError:
        return bundle(record), "bench/fhir_bundle.py"
    made = careroles_bundle(
        record.patient,
        team=record.team,
        consents=record.consents,
        plans=[record.plan],
        appointments=record.appointments,
        cases=[record.case],
    )
    return made, "careroles.fhir.bundle"
