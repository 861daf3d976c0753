"""Concern, AdvocacyCase and TreatmentDecision <-> FHIR R4 Task (fhir.md §2.6, §2.13).

Following the Patient Request for Corrections IG pattern: ``Task.status`` holds the coarse
FHIR lifecycle and ``Task.businessStatus`` the exact careroles status (a coding in the
careroles ``<kind>-status`` code system); ``Task.code`` (careroles ``task-kind``) says which
careroles type the Task is.  An advocacy case's interaction log is also exported, in a Bundle,
as one Communication per interaction (``about`` the Task).

A treatment decision is a Task too: deciding is a workflow with an owner (the decision maker),
a question (``description``), a deadline (``restriction.period.end``), and an outcome (the
chosen option in ``output``, ``executionPeriod.end`` = when it was decided).  A Task careroles
did not write (no careroles ``task-kind`` code) has no careroles form and is refused.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Final

import attrs

from careroles.advocacy import AdvocacyCase, CaseStatus, Interaction, InteractionChannel
from careroles.concerns import Concern, ConcernPriority, ConcernStatus, ConcernTopic
from careroles.decisions import DecisionStatus, TreatmentDecision
from careroles.fhir._common import (
    FIELD_PATHS,
    RESOURCE_ROLE,
    ROLE_RESOURCE,
    Reader,
    actor_reference,
    as_dict,
    as_list,
    build,
    code_url,
    enum_table,
    extension,
    fhir_id,
    find_code,
    literal,
    member_reference,
    put_instant,
    read_rest,
    reference_at,
    rest_extensions,
)
from careroles.fhir._elements import ELEMENTS
from careroles.roles import Actor, Role

TASK_KIND_SYSTEM: Final = code_url("task-kind")
INTERACTION_KIND: Final = "case-interaction"
PARTICIPATION_MODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
OUTPUT_SYSTEM: Final = code_url("task-output")

_TERMINAL_ANY: Final = {"entered-in-error": None}

CONCERN_TASK_STATUS: Final[dict[ConcernStatus, str]] = {
    ConcernStatus.RAISED: "requested",
    ConcernStatus.ACKNOWLEDGED: "received",
    ConcernStatus.IN_REVIEW: "in-progress",
    ConcernStatus.ADDRESSED: "completed",
    ConcernStatus.ESCALATED: "in-progress",
    ConcernStatus.CLOSED: "completed",
}
#: task-status -> careroles status, when a Task has no careroles businessStatus.
CONCERN_FROM_TASK: Final[dict[str, ConcernStatus]] = {
    "draft": ConcernStatus.RAISED,
    "requested": ConcernStatus.RAISED,
    "received": ConcernStatus.ACKNOWLEDGED,
    "accepted": ConcernStatus.ACKNOWLEDGED,
    "ready": ConcernStatus.ACKNOWLEDGED,
    "in-progress": ConcernStatus.IN_REVIEW,
    "on-hold": ConcernStatus.IN_REVIEW,
    "completed": ConcernStatus.CLOSED,
    "rejected": ConcernStatus.CLOSED,
    "cancelled": ConcernStatus.CLOSED,
    "failed": ConcernStatus.CLOSED,
}
CASE_TASK_STATUS: Final[dict[CaseStatus, str]] = {
    **dict.fromkeys(CaseStatus, "in-progress"),
    CaseStatus.INTAKE: "requested",
    CaseStatus.ENGAGED: "accepted",
    CaseStatus.ON_HOLD: "on-hold",
    CaseStatus.CLOSED: "completed",
    CaseStatus.CLOSED_NO_RESPONSE: "failed",
    CaseStatus.DECLINED: "rejected",
    CaseStatus.REFERRED_OUT: "cancelled",
    CaseStatus.WITHDRAWN: "cancelled",
}
CASE_FROM_TASK: Final[dict[str, CaseStatus]] = {
    "draft": CaseStatus.INTAKE,
    "requested": CaseStatus.INTAKE,
    "received": CaseStatus.INTAKE,
    "ready": CaseStatus.ENGAGED,
    "accepted": CaseStatus.ENGAGED,
    "in-progress": CaseStatus.ASSESSING,
    "on-hold": CaseStatus.ON_HOLD,
    "completed": CaseStatus.CLOSED,
    "failed": CaseStatus.CLOSED_NO_RESPONSE,
    "rejected": CaseStatus.DECLINED,
    "cancelled": CaseStatus.WITHDRAWN,
}
DECISION_TASK_STATUS: Final[dict[DecisionStatus, str]] = {
    DecisionStatus.OPEN: "requested",
    DecisionStatus.OPTIONS_PRESENTED: "in-progress",
    DecisionStatus.DELIBERATING: "in-progress",
    DecisionStatus.DECIDED: "completed",
    DecisionStatus.REVISITED: "in-progress",
}
DECISION_FROM_TASK: Final[dict[str, DecisionStatus]] = {
    "draft": DecisionStatus.OPEN,
    "requested": DecisionStatus.OPEN,
    "received": DecisionStatus.OPEN,
    "accepted": DecisionStatus.OPEN,
    "ready": DecisionStatus.OPEN,
    "in-progress": DecisionStatus.DELIBERATING,
    "on-hold": DecisionStatus.DELIBERATING,
    "completed": DecisionStatus.DECIDED,
}
#: careroles concern priority -> request-priority (the exact value also travels in an
#: extension: ``low`` and ``routine`` share ``routine``).
CONCERN_PRIORITY: Final[dict[ConcernPriority, str]] = {
    ConcernPriority.LOW: "routine",
    ConcernPriority.ROUTINE: "routine",
    ConcernPriority.HIGH: "urgent",
    ConcernPriority.URGENT: "asap",
}
_PRIORITY_IMPORT: Final = {
    "routine": ConcernPriority.ROUTINE,
    "urgent": ConcernPriority.HIGH,
    "asap": ConcernPriority.URGENT,
    "stat": ConcernPriority.URGENT,
}
#: interaction channel -> v3 ParticipationMode (Communication.medium).
CHANNEL_MODES: Final[dict[InteractionChannel, str]] = {
    InteractionChannel.PHONE: "PHONE",
    InteractionChannel.FAX: "FAXWRIT",
    InteractionChannel.MAIL: "MAILWRIT",
    InteractionChannel.EMAIL: "EMAILWRIT",
    InteractionChannel.PORTAL: "ELECTRONIC",
    InteractionChannel.IN_PERSON: "FACE",
    InteractionChannel.VIDEO: "VIDEOCONF",
}


@attrs.frozen
class TaskKind:
    """One careroles type carried as a Task: its code, status tables and handled fields."""

    cls: type
    code: str
    to_task: dict[Any, str]
    from_task: dict[str, Any]
    statuses: type[enum.Enum]
    handled: frozenset[str]


CONCERN: Final = TaskKind(
    Concern,
    "concern",
    dict(CONCERN_TASK_STATUS),
    dict(CONCERN_FROM_TASK),
    ConcernStatus,
    frozenset({"id", "patient_id", "raised_by", "raised_at", "topic", "in_own_words", "status"}),
)
CASE: Final = TaskKind(
    AdvocacyCase,
    "advocacy-case",
    dict(CASE_TASK_STATUS),
    dict(CASE_FROM_TASK),
    CaseStatus,
    frozenset({"id", "patient_id", "advocate_id", "matter", "opened_at", "status"}),
)
DECISION: Final = TaskKind(
    TreatmentDecision,
    "treatment-decision",
    dict(DECISION_TASK_STATUS),
    dict(DECISION_FROM_TASK),
    DecisionStatus,
    frozenset({"id", "patient_id", "question", "status", "deadline", "decided_at"}),
)
KINDS: Final = (CONCERN, CASE, DECISION)


def _status_system(kind: TaskKind) -> str:
    return code_url(f"{kind.code}-status")


def _task(kind: TaskKind, obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": "Task", "id": fhir_id(obj.id, ("id",))}
    if exts := rest_extensions(obj, kind.code, kind.handled):
        out["extension"] = exts
    out["status"] = kind.to_task[obj.status]
    out["businessStatus"] = {
        "coding": [{"system": _status_system(kind), "code": obj.status.value}],
        "text": obj.status.value.replace("_", " "),
    }
    out["intent"] = "order"
    out["code"] = {"coding": [{"system": TASK_KIND_SYSTEM, "code": kind.code}]}
    out["for"] = literal("Patient", fhir_id(obj.patient_id, ("patient_id",)))
    return out


def concern_to_fhir(concern: Concern) -> dict[str, Any]:
    out = _task(CONCERN, concern)
    out["priority"] = CONCERN_PRIORITY[concern.priority]
    if concern.in_own_words:
        out["description"] = concern.in_own_words
    put_instant(out, "authoredOn", concern.raised_at)
    out["requester"] = actor_reference(concern.raised_by)
    out["reasonCode"] = {
        "coding": [{"system": code_url("concern-topic"), "code": concern.topic.value}]
    }
    return _ordered(out)


def case_to_fhir(case: AdvocacyCase) -> dict[str, Any]:
    out = _task(CASE, case)
    if case.matter:
        out["description"] = case.matter
    put_instant(out, "authoredOn", case.opened_at)
    out["owner"] = member_reference(case.advocate_id, "Practitioner", role=Role.PATIENT_ADVOCATE)
    return _ordered(out)


def decision_to_fhir(decision: TreatmentDecision) -> dict[str, Any]:
    out = _task(DECISION, decision)
    if decision.question:
        out["description"] = decision.question
    if decision.decided_at is not None:
        out["executionPeriod"] = {}
        put_instant(out["executionPeriod"], "end", decision.decided_at)
    maker = decision.decision_maker
    out["owner"] = member_reference(maker.member_id, ROLE_RESOURCE[maker.role], role=maker.role)
    if decision.deadline is not None:
        period: dict[str, Any] = {}
        put_instant(period, "end", decision.deadline)
        out["restriction"] = {"period": period}
    if decision.chosen_option_id is not None:
        out["output"] = [
            {
                "type": {"coding": [{"system": OUTPUT_SYSTEM, "code": "chosen-option"}]},
                "valueString": decision.chosen_option_id,
            }
        ]
    return _ordered(out)


_ORDER: Final = (
    "resourceType",
    "id",
    "extension",
    "status",
    "businessStatus",
    "intent",
    "priority",
    "code",
    "description",
    "for",
    "executionPeriod",
    "authoredOn",
    "requester",
    "owner",
    "reasonCode",
    "restriction",
    "output",
)


def _ordered(task: dict[str, Any]) -> dict[str, Any]:
    return {k: task[k] for key in _ORDER for k in (key, "_" + key) if k in task}


# --- the interaction log as Communications ----------------------------------------------------


def interaction_id(case_id: str, index: int) -> str:
    return f"{case_id}-interaction-{index + 1}"


def case_communications(case: AdvocacyCase) -> list[dict[str, Any]]:
    """One Communication per logged interaction, ``about`` the case's Task (Bundle only)."""
    out = []
    for i, step in enumerate(case.interactions):
        comm: dict[str, Any] = {
            "resourceType": "Communication",
            "id": fhir_id(interaction_id(case.id, i), ("interactions", i)),
            "extension": extension("interaction", step, Interaction),
            "partOf": [literal("Task", case.id)],
            "status": "completed",
            "category": [
                {"coding": [{"system": code_url("communication-kind"), "code": INTERACTION_KIND}]}
            ],
            "medium": [
                {"coding": [{"system": PARTICIPATION_MODE, "code": CHANNEL_MODES[step.channel]}]}
            ],
            "subject": literal("Patient", case.patient_id),
            "about": [literal("Task", case.id)],
        }
        put_instant(comm, "sent", step.at)
        comm["sender"] = actor_reference(step.by)
        if step.summary:
            comm["payload"] = [{"contentString": step.summary}]
        out.append(comm)
    return out


# --- import ------------------------------------------------------------------------------------


def task_from_fhir(r: Reader) -> Any:
    root = r.root
    r.check_elements(ELEMENTS["Task"], ("status", "intent"))
    code = None
    for s, c in (
        (x.get("system"), x.get("code"))
        for x in as_list(as_dict(root.get("code")).get("coding"))
        if isinstance(x, dict)
    ):
        if s == TASK_KIND_SYSTEM:
            code = c
    kind = next((k for k in KINDS if k.code == code), None)
    if kind is None:
        r.problem(
            ("code",),
            "careroles reads only the Tasks it writes (a Task.code in the careroles task-kind "
            "code system: concern, advocacy-case, treatment-decision)",
            "unsupported_task",
        )
        r.fail_if_problems()
        raise AssertionError("unreachable")  # pragma: no cover
    tid = r.string(root, "id", (), required=True)
    status = _status(r, kind)
    patient_id = None
    if ref := r.obj(root, "for", (), required=True):
        _, patient_id, _ = reference_at(r, ref, ("for",))
    raw = root.get("description")
    description = raw if isinstance(raw, str) else ""
    rest = read_rest(r, root, kind.cls, kind.code, kind.handled, ())
    readers: dict[str, Callable[[Reader, dict[str, Any]], dict[str, Any]]] = {
        "concern": _concern_fields,
        "advocacy-case": _case_fields,
        "treatment-decision": _decision_fields,
    }
    fields = readers[kind.code](r, rest)
    r.fail_if_problems()
    return build(
        r,
        kind.cls,
        id=tid,
        patient_id=patient_id,
        status=status,
        **{**fields, **rest, **_description(kind, description)},
    )


def _description(kind: TaskKind, text: str) -> dict[str, str]:
    name = {
        "concern": "in_own_words",
        "advocacy-case": "matter",
        "treatment-decision": "question",
    }[kind.code]
    return {name: text}


def _status(r: Reader, kind: TaskKind) -> Any:
    exact = find_code(
        r.root.get("businessStatus"), _status_system(kind), enum_table(kind.statuses)
    )
    coarse = r.string(r.root, "status", ())
    if exact is not None:
        return exact
    if coarse is not None and coarse not in kind.from_task:
        r.problem(
            ("status",),
            f"careroles has no {kind.code} status for this task status",
            "unsupported_status",
        )
    return kind.from_task.get(coarse or "")


def _actor(r: Reader, key: str) -> Actor | None:
    ref = r.obj(r.root, key, (), required=True)
    if not ref:
        return None
    rtype, member, role = reference_at(r, ref, (key,))
    role = role or RESOURCE_ROLE.get(rtype or "")
    if member is None or role is None:
        r.problem((key,), f"{key} must be a person careroles can place in a role", "missing")
        return None
    return Actor(member_id=member, role=role)


def _concern_fields(r: Reader, rest: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "raised_by": _actor(r, "requester"),
        "raised_at": r.instant(r.root, "authoredOn", (), required=True),
        "topic": find_code(
            r.root.get("reasonCode"), code_url("concern-topic"), enum_table(ConcernTopic)
        )
        or ConcernTopic.ACCESS,
    }
    if "priority" not in rest and isinstance(r.root.get("priority"), str):
        out["priority"] = _PRIORITY_IMPORT.get(r.root["priority"], ConcernPriority.ROUTINE)
    return out


def _case_fields(r: Reader, rest: dict[str, Any]) -> dict[str, Any]:
    owner = _actor(r, "owner")
    return {
        "advocate_id": owner.member_id if owner is not None else None,
        "opened_at": r.instant(r.root, "authoredOn", (), required=True),
    }


def _decision_fields(r: Reader, rest: dict[str, Any]) -> dict[str, Any]:
    restriction = as_dict(r.root.get("restriction"))
    return {
        "deadline": r.instant(
            as_dict(restriction.get("period")), "end", ("restriction", "period")
        ),
        "decided_at": r.instant(
            as_dict(r.root.get("executionPeriod")), "end", ("executionPeriod",)
        ),
        "chosen_option_id": next(
            (
                o.get("valueString")
                for o in as_list(r.root.get("output"))
                if isinstance(o, dict) and isinstance(o.get("valueString"), str)
            ),
            None,
        ),
    }


FIELD_PATHS[Concern] = {
    "in_own_words": ("description",),
    "raised_by": ("requester",),
    "raised_at": ("authoredOn",),
    "topic": ("reasonCode",),
    "patient_id": ("for",),
    "status": ("businessStatus",),
}
FIELD_PATHS[AdvocacyCase] = {
    "matter": ("description",),
    "advocate_id": ("owner",),
    "opened_at": ("authoredOn",),
    "patient_id": ("for",),
    "status": ("businessStatus",),
}
FIELD_PATHS[TreatmentDecision] = {
    "question": ("description",),
    "decision_maker": ("owner",),
    "deadline": ("restriction", "period", "end"),
    "decided_at": ("executionPeriod", "end"),
    "chosen_option_id": ("output",),
    "patient_id": ("for",),
    "status": ("businessStatus",),
}
