"""Message and ProgressUpdate <-> FHIR R4 Communication (fhir.md §2.7).

Both become a Communication; a category coding in the careroles ``communication-kind`` code
system tells them apart on import.  A Communication from elsewhere is read as a Message.
"""

from __future__ import annotations

from typing import Any, Final

from careroles.communications import (
    Message,
    ProgressUpdate,
    RecipientKind,
    Regarding,
    RegardingKind,
    UpdateItem,
    UpdateRecipient,
    UpdateSection,
    UpdateStatus,
)
from careroles.consent import InformationCategory
from careroles.fhir._common import (
    FIELD_PATHS,
    RESOURCE_ROLE,
    Reader,
    actor_reference,
    as_dict,
    as_list,
    build,
    code_url,
    enum_table,
    ext_url,
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

KIND_SYSTEM: Final = code_url("communication-kind")
SECTION_EXT: Final = ext_url("update-item-section")
CATEGORY_EXT: Final = ext_url("update-item-category")

#: What a message is about -> the FHIR resource type of ``Communication.about``.
REGARDING_TYPES: Final[dict[RegardingKind, str]] = {
    RegardingKind.PLAN: "CarePlan",
    RegardingKind.APPOINTMENT: "Appointment",
    RegardingKind.CONCERN: "Task",
    RegardingKind.CASE: "Task",
}
_REGARDING_EXT: Final = ext_url("regarding-kind")
#: careroles update status -> event-status.
UPDATE_STATUS: Final = {UpdateStatus.DRAFT: "preparation", UpdateStatus.SENT: "completed"}
_UPDATE_STATUS_IMPORT: Final = {v: k for k, v in UPDATE_STATUS.items()}

_MESSAGE_HANDLED: Final = frozenset(
    {"id", "sender", "recipients", "subject", "body", "regarding", "in_reply_to", "sent_at"}
)
_UPDATE_HANDLED: Final = frozenset(
    {"id", "patient_id", "plan_id", "author", "recipients", "items", "sent_at", "status"}
)
#: event-status codes a Message (which is always sent) is read from.
_MESSAGE_STATUSES: Final = frozenset({"completed", "in-progress", "unknown"})


def _kind(kind: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": KIND_SYSTEM, "code": kind}]}]


def message_to_fhir(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": "Communication", "id": fhir_id(message.id, ("id",))}
    if exts := rest_extensions(message, "message", _MESSAGE_HANDLED):
        out["extension"] = exts
    if message.in_reply_to is not None:
        out["inResponseTo"] = [literal("Communication", message.in_reply_to)]
    out["status"] = "completed"
    out["category"] = _kind("message")
    if message.subject:
        out["topic"] = {"text": message.subject}
    if message.regarding is not None:
        about = literal(REGARDING_TYPES[message.regarding.kind], message.regarding.id)
        about["extension"] = [{"url": _REGARDING_EXT, "valueCode": message.regarding.kind.value}]
        out["about"] = [about]
    put_instant(out, "sent", message.sent_at)
    out["recipient"] = [member_reference(m, None) for m in message.recipients]
    out["sender"] = actor_reference(message.sender)
    if message.body:
        out["payload"] = [{"contentString": message.body}]
    return out


def progress_update_to_fhir(update: ProgressUpdate) -> dict[str, Any]:
    pid = fhir_id(update.patient_id, ("patient_id",))
    out: dict[str, Any] = {"resourceType": "Communication", "id": fhir_id(update.id, ("id",))}
    if exts := rest_extensions(update, "progress-update", _UPDATE_HANDLED):
        out["extension"] = exts
    out["status"] = UPDATE_STATUS[update.status]
    out["category"] = _kind("progress_update")
    out["subject"] = literal("Patient", pid)
    out["about"] = [literal("CarePlan", fhir_id(update.plan_id, ("plan_id",)))]
    if update.sent_at is not None:
        put_instant(out, "sent", update.sent_at)
    if update.recipients:
        out["recipient"] = [
            literal("Patient", pid)
            if r.kind is RecipientKind.PATIENT
            else literal("RelatedPerson", str(r.contact_id))
            for r in update.recipients
        ]
    out["sender"] = actor_reference(update.author)
    if update.items:
        out["payload"] = [
            {
                "extension": [
                    {"url": SECTION_EXT, "valueCode": i.section.value},
                    {"url": CATEGORY_EXT, "valueCode": i.category.value},
                ],
                **({"contentString": i.text} if i.text else {"contentString": " "}),
            }
            for i in update.items
        ]
    return out


def communication_from_fhir(r: Reader) -> Message | ProgressUpdate:
    r.check_elements(ELEMENTS["Communication"], ("status",))
    kind = None
    for concept in as_list(r.root.get("category")):
        kind = kind or find_code(
            concept, KIND_SYSTEM, {"message": 1, "progress_update": 2, "case-interaction": 3}
        )
    if kind == 2:
        return _update(r)
    if kind == 3:
        r.problem(
            ("category",),
            "an advocacy case's interaction: it is carried by the case's Task, import that",
            "derived_resource",
        )
        r.fail_if_problems()
    return _message(r)


def _sender(r: Reader) -> Actor | None:
    ref = r.obj(r.root, "sender", ())
    if not ref:
        return None
    rtype, member, role = reference_at(r, ref, ("sender",))
    if member is None:
        return None
    # a sender careroles cannot place (a device, an office, an untyped identifier) is taken as
    # the clinical side: a treating provider (docs/fhir.md)
    role = role or RESOURCE_ROLE.get(rtype or "", Role.TREATING_PROVIDER)
    return Actor(member_id=member, role=role)


def _message(r: Reader) -> Message:
    root = r.root
    mid = r.string(root, "id", (), required=True)
    status = r.string(root, "status", ())
    if status is not None and status not in _MESSAGE_STATUSES:
        r.problem(
            ("status",),
            "careroles imports only sent communications as messages "
            f"(status one of {sorted(_MESSAGE_STATUSES)})",
            "unsupported_status",
        )
    sent = r.instant(root, "sent", (), required=True)
    sender = _sender(r)
    if sender is None:
        r.problem(("sender",), "careroles needs the sender of a message (a person)", "missing")
    recipients = []
    for path, ref in r.items(root, "recipient", (), required=True):
        rtype, member, _ = reference_at(r, ref, path)
        if member is None or rtype in ("Group", "CareTeam", "Organization"):
            r.drop(path)
        else:
            recipients.append(member)
    body = ""
    for path, p in r.items(root, "payload", ()):
        text = p.get("contentString")
        if isinstance(text, str) and not body:
            body = text
        else:
            r.drop(path)
    regarding = None
    for path, ref in r.items(root, "about", ()):
        rtype, rid, _ = reference_at(r, ref, path)
        kind = None
        for e in as_list(ref.get("extension")):
            if isinstance(e, dict) and e.get("url") == _REGARDING_EXT:
                kind = enum_table(RegardingKind).get(str(e.get("valueCode")))
        if kind is None:
            kind = {"CarePlan": RegardingKind.PLAN, "Appointment": RegardingKind.APPOINTMENT}.get(
                str(rtype)
            )
        if regarding is None and kind is not None and rid:
            regarding = Regarding(kind=kind, id=rid)
        else:
            r.drop(path)
    reply = None
    for path, ref in r.items(root, "inResponseTo", ()):
        _, reply, _ = reference_at(r, ref, path)
        break
    topic = as_dict(root.get("topic")).get("text")
    rest = read_rest(r, root, Message, "message", _MESSAGE_HANDLED, ())
    # careroles requires the team; a message from elsewhere may not name one (docs/fhir.md)
    rest.setdefault("care_team_id", "unassigned")
    r.fail_if_problems()
    return build(
        r,
        Message,
        id=mid,
        sender=sender,
        recipients=tuple(recipients),
        subject=topic if isinstance(topic, str) else "",
        body=body,
        regarding=regarding,
        in_reply_to=reply,
        sent_at=sent,
        **rest,
    )


def _update(r: Reader) -> ProgressUpdate:
    root = r.root
    uid = r.string(root, "id", (), required=True)
    status = r.code(root, "status", (), _UPDATE_STATUS_IMPORT)
    patient_id = None
    subject = r.obj(root, "subject", (), required=True)
    if subject:
        _, patient_id, _ = reference_at(r, subject, ("subject",))
    plan_id = None
    for path, ref in r.items(root, "about", (), required=True):
        _, plan_id, _ = reference_at(r, ref, path)
        break
    sent = r.instant(root, "sent", ())
    author = _sender(r)
    if author is None:
        r.problem(("sender",), "careroles needs the author of a progress update", "missing")
    recipients = []
    for path, ref in r.items(root, "recipient", ()):
        rtype, rid, _ = reference_at(r, ref, path)
        if rtype == "Patient":
            recipients.append(UpdateRecipient(kind=RecipientKind.PATIENT))
        elif rtype == "RelatedPerson":
            recipients.append(UpdateRecipient(kind=RecipientKind.CONTACT, contact_id=rid))
        else:
            r.drop(path)
    items = []
    for path, p in r.items(root, "payload", ()):
        section = category = None
        for e in as_list(p.get("extension")):
            if isinstance(e, dict) and e.get("url") == SECTION_EXT:
                section = enum_table(UpdateSection).get(str(e.get("valueCode")))
            if isinstance(e, dict) and e.get("url") == CATEGORY_EXT:
                category = enum_table(InformationCategory).get(str(e.get("valueCode")))
        text = p.get("contentString")
        if section is None or category is None or not isinstance(text, str):
            r.drop(path)
            continue
        items.append(
            UpdateItem(section=section, category=category, text="" if text == " " else text)
        )
    rest = read_rest(r, root, ProgressUpdate, "progress-update", _UPDATE_HANDLED, ())
    r.fail_if_problems()
    return build(
        r,
        ProgressUpdate,
        id=uid,
        patient_id=patient_id,
        plan_id=plan_id,
        author=author,
        recipients=tuple(recipients),
        items=tuple(items),
        sent_at=sent,
        status=status,
        **rest,
    )


FIELD_PATHS[Message] = {
    "sender": ("sender",),
    "recipients": ("recipient",),
    "subject": ("topic",),
    "body": ("payload",),
    "regarding": ("about",),
    "in_reply_to": ("inResponseTo",),
    "sent_at": ("sent",),
}
FIELD_PATHS[ProgressUpdate] = {
    "patient_id": ("subject",),
    "plan_id": ("about",),
    "author": ("sender",),
    "recipients": ("recipient",),
    "items": ("payload",),
    "sent_at": ("sent",),
    "status": ("status",),
}
