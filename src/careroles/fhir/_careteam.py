"""CareTeam <-> FHIR CareTeam, roles coded in SNOMED CT (fhir.md §4.3)."""

from __future__ import annotations

import typing
from typing import Any, Final

from careroles.care_teams import CareTeam, TeamMember
from careroles.errors import ValidationError
from careroles.fhir._common import (
    FIELD_PATHS,
    RESOURCE_ROLE,
    ROLE_RESOURCE,
    SNOMED,
    Reader,
    as_dict,
    as_list,
    build,
    code_url,
    enum_table,
    ext_url,
    extension,
    fhir_id,
    find_code,
    literal,
    member_reference,
    period_json,
    read_extension,
    read_reference,
)
from careroles.fhir._elements import ELEMENTS
from careroles.periods import Period
from careroles.roles import Role

ROLE_SYSTEM: Final = code_url("role")
LEAD_EXT: Final = ext_url("lead")

#: careroles role -> SNOMED CT code and display (fhir.md §4.3; HRex ConceptMap, US Core).
ROLE_SNOMED: Final[dict[Role, tuple[str, str]]] = {
    Role.CARE_COORDINATOR: ("768820003", "Care coordinator (occupation)"),
    Role.PATIENT_ADVOCATE: ("429577009", "Patient advocate (person)"),
    Role.CAREGIVER: ("133932002", "Caregiver (person)"),
    Role.PATIENT: ("116154003", "Patient (person)"),
    Role.TREATING_PROVIDER: ("223366009", "Healthcare professional (occupation)"),
}
#: SNOMED CT codes careroles reads, including neighbours that fold into its roles.
SNOMED_ROLES: Final[dict[str, Role]] = {
    **{code: role for role, (code, _) in ROLE_SNOMED.items()},
    "768821004": Role.CARE_COORDINATOR,  # care team coordinator
    "768832004": Role.CARE_COORDINATOR,  # case manager
    "768836001": Role.CARE_COORDINATOR,  # patient navigator
    "453231000124104": Role.TREATING_PROVIDER,  # primary care provider
}
_HISTORY: Final = typing.get_type_hints(CareTeam)["history"]


def role_concept(role: Role) -> dict[str, Any]:
    codings = [{"system": ROLE_SYSTEM, "code": role.value}]
    if role in ROLE_SNOMED:
        code, display = ROLE_SNOMED[role]
        codings.insert(0, {"system": SNOMED, "code": code, "display": display})
    return {"coding": codings, "text": role.value.replace("_", " ")}


def care_team_to_fhir(team: CareTeam) -> dict[str, Any]:
    participants = []
    for m in team.members:
        p: dict[str, Any] = {}
        if m.lead:
            p["extension"] = [{"url": LEAD_EXT, "valueBoolean": True}]
        p["role"] = [role_concept(m.role)]
        p["member"] = member_reference(m.member_id, ROLE_RESOURCE[m.role], display=m.display_name)
        p["period"] = period_json(m.period)
        participants.append(p)
    out: dict[str, Any] = {
        "resourceType": "CareTeam",
        "id": fhir_id(team.id, ("id",)),
        "subject": literal("Patient", fhir_id(team.patient_id, ("patient_id",))),
    }
    history = extension("history", team.history, _HISTORY)
    if history:
        out["extension"] = history
    if participants:
        out["participant"] = participants
    return out


def care_team_from_fhir(r: Reader) -> CareTeam:
    root = r.root
    r.check_elements(ELEMENTS["CareTeam"], ())
    tid = r.string(root, "id", (), required=True)
    _, patient_id, _ = read_reference(r, root, "subject", (), required=True)
    team_start, team_end = r.period(root, "period", ())
    contained = {
        c.get("id"): c.get("resourceType")
        for c in as_list(root.get("contained"))
        if isinstance(c, dict)
    }
    members = []
    for path, p in r.items(root, "participant", ()):
        rtype, member_id, ref_role = read_reference(r, p, "member", path, required=True)
        member = as_dict(p.get("member"))
        if rtype is None and str(member.get("reference", "")).startswith("#"):
            rtype = contained.get(member_id)
        role = None
        for concept in as_list(p.get("role")):
            role = find_code(concept, ROLE_SYSTEM, enum_table(Role)) or role
            if role is None:
                role = find_code(concept, SNOMED, SNOMED_ROLES)
        role = role or ref_role or (RESOURCE_ROLE.get(rtype) if rtype else None)
        if "period" in p:
            start, end = r.period(p, "period", path)
            start = start or team_start
        else:
            start, end = team_start, team_end
        if role is None or member_id is None or start is None:
            r.drop(path)  # an organisation, an unknown role or no known start: not carried
            continue
        lead = any(
            isinstance(e, dict) and e.get("url") == LEAD_EXT and e.get("valueBoolean") is True
            for e in as_list(p.get("extension"))
        )
        display = member.get("display") if isinstance(member.get("display"), str) else None
        try:
            members.append(
                TeamMember(
                    member_id=member_id,
                    role=role,
                    period=Period(start=start, end=end),
                    lead=lead,
                    display_name=display,
                )
            )
        except ValidationError as exc:
            r.problems.extend(q.prefixed((r.type, *path)) for q in exc.problems)
    history = read_extension(r, root, "history", _HISTORY, ())
    return build(
        r, CareTeam, id=tid, patient_id=patient_id or "", members=tuple(members), history=history
    )


FIELD_PATHS[CareTeam] = {"patient_id": ("subject",), "members": ("participant",)}
