"""Patient <-> FHIR Patient; Contact <-> RelatedPerson (and Patient.contact)."""

from __future__ import annotations

import typing
from typing import Any, Final

from careroles.errors import Path, ValidationError
from careroles.fhir._common import (
    BCP47,
    FIELD_PATHS,
    V2_0131,
    V3_ROLE,
    Reader,
    as_list,
    build,
    code_url,
    enum_table,
    ext_url,
    extension,
    fhir_id,
    find_code,
    literal,
    parse_date,
    period_json,
    read_extension,
    read_reference,
)
from careroles.fhir._elements import ELEMENTS
from careroles.patients import (
    Contact,
    ContactChannel,
    ContactPoint,
    Patient,
    Preferences,
    Relationship,
    RepresentativeBasis,
)
from careroles.periods import Period, is_time_zone

INTERPRETER_REQUIRED: Final = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
TIME_ZONE_EXT: Final = "patient-time-zone"
RELATIONSHIP_SYSTEM: Final = code_url("relationship")
BASIS_SYSTEM: Final = code_url("representative-basis")
CHANNEL_EXT: Final = ext_url("contact-channel")

#: Preference fields with no FHIR home: each travels in ``preferences-<field>`` extensions.
_PREFERENCE_EXTENSIONS: Final = (
    "contact_channels",
    "contact_hours",
    "values",
    "goals_in_own_words",
    "declined_treatments",
    "decision_role",
)
_PREFERENCE_HINTS: Final = typing.get_type_hints(Preferences)
_PATIENT_HISTORY: Final = typing.get_type_hints(Patient)["history"]

#: careroles relationship -> the standard coding (v3 RoleCode, or v2-0131 contact role).
RELATIONSHIP_CODES: Final[dict[Relationship, tuple[str, str]]] = {
    Relationship.SPOUSE: (V3_ROLE, "SPS"),
    Relationship.PARTNER: (V3_ROLE, "DOMPART"),
    Relationship.PARENT: (V3_ROLE, "PRN"),
    Relationship.CHILD: (V3_ROLE, "CHILD"),
    Relationship.SIBLING: (V3_ROLE, "SIB"),
    Relationship.OTHER_FAMILY: (V3_ROLE, "FAMMEMB"),
    Relationship.FRIEND: (V3_ROLE, "FRND"),
    Relationship.CAREGIVER: (V2_0131, "CP"),
    Relationship.GUARDIAN: (V3_ROLE, "GUARD"),
    Relationship.OTHER: (V2_0131, "O"),
}
#: Standard relationship codes careroles reads (more specific codes fold into its enum).
_RELATIONSHIP_IMPORT: Final[dict[tuple[str, str], Relationship]] = {
    **{v: k for k, v in RELATIONSHIP_CODES.items()},
    **{(V3_ROLE, c): Relationship.SPOUSE for c in ("SPSE", "HUSB", "WIFE")},
    **{(V3_ROLE, c): Relationship.PARTNER for c in ("SIGOTHR",)},
    **{
        (V3_ROLE, c): Relationship.PARENT for c in ("MTH", "FTH", "NMTH", "NFTH", "NPRN", "STPPRN")
    },
    **{(V3_ROLE, c): Relationship.CHILD for c in ("SON", "DAU", "NCHILD", "CHLDADOPT")},
    **{(V3_ROLE, c): Relationship.SIBLING for c in ("BRO", "SIS", "NSIB")},
    **{(V3_ROLE, c): Relationship.OTHER_FAMILY for c in ("GRPRN", "GRNDCHILD", "AUNT", "UNCLE")},
    (V2_0131, "N"): Relationship.OTHER_FAMILY,
    (V3_ROLE, "NOK"): Relationship.OTHER_FAMILY,
}
#: Representative bases with a v3 RoleCode (the others carry the careroles code only).
BASIS_CODES: Final[dict[RepresentativeBasis, str]] = {
    RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY: "HPOWATT",
    RepresentativeBasis.GUARDIANSHIP: "GUARD",
    RepresentativeBasis.EXECUTOR: "EXCEST",
}
_BASIS_IMPORT: Final = {v: k for k, v in BASIS_CODES.items()}

#: careroles channel -> ContactPoint.system; channels without one use "other" + extension.
CHANNEL_SYSTEMS: Final[dict[ContactChannel, str]] = {
    ContactChannel.PHONE: "phone",
    ContactChannel.SMS: "sms",
    ContactChannel.EMAIL: "email",
    ContactChannel.PORTAL: "url",
}
_SYSTEM_CHANNELS: Final = {v: k for k, v in CHANNEL_SYSTEMS.items()}


# --- export ------------------------------------------------------------------------------------


def patient_to_fhir(patient: Patient) -> dict[str, Any]:
    prefs = patient.preferences
    exts: list[dict[str, Any]] = [
        {"url": INTERPRETER_REQUIRED, "valueBoolean": prefs.interpreter_needed},
        *extension(TIME_ZONE_EXT, patient.time_zone, str),
    ]
    for name in _PREFERENCE_EXTENSIONS:
        exts += extension(_pref_ext(name), getattr(prefs, name), _PREFERENCE_HINTS[name])
    exts += extension("history", patient.history, _PATIENT_HISTORY)
    out: dict[str, Any] = {
        "resourceType": "Patient",
        "id": fhir_id(patient.id, ("id",)),
        "extension": exts,
    }
    if patient.name:
        out["name"] = [{"text": patient.name}]
    if patient.birth_date is not None:
        out["birthDate"] = patient.birth_date.isoformat()
    if patient.contacts:
        out["contact"] = [_contact_element(c) for c in patient.contacts]
    out["communication"] = [
        {"language": {"coding": [{"system": BCP47, "code": prefs.language}]}, "preferred": True}
    ]
    return out


def _pref_ext(field: str) -> str:
    return "preferences-" + field.replace("_", "-")


def _relationships(contact: Contact) -> list[dict[str, Any]]:
    system, code = RELATIONSHIP_CODES[contact.relationship]
    out = [
        {
            "coding": [
                {"system": system, "code": code},
                {"system": RELATIONSHIP_SYSTEM, "code": contact.relationship.value},
            ]
        }
    ]
    basis = contact.representative_basis
    if basis is not None:
        codings = [{"system": BASIS_SYSTEM, "code": basis.value}]
        if basis in BASIS_CODES:
            codings.insert(0, {"system": V3_ROLE, "code": BASIS_CODES[basis]})
        out.append({"coding": codings})
    return out


def _telecom(points: tuple[ContactPoint, ...]) -> list[dict[str, Any]]:
    out = []
    for p in points:
        system = CHANNEL_SYSTEMS.get(p.channel)
        item: dict[str, Any] = {}
        if system is None:
            item["extension"] = [{"url": CHANNEL_EXT, "valueCode": p.channel.value}]
            system = "other"
        item["system"] = system
        if p.value:
            item["value"] = p.value
        out.append(item)
    return out


def _contact_body(contact: Contact) -> dict[str, Any]:
    out: dict[str, Any] = {"relationship": _relationships(contact)}
    if contact.contact_points:
        out["telecom"] = _telecom(contact.contact_points)
    if contact.representative_period is not None:
        out["period"] = period_json(contact.representative_period)
    return out


def _contact_element(contact: Contact) -> dict[str, Any]:
    body = _contact_body(contact)
    name = {"name": {"text": contact.name}} if contact.name else {}
    return {"id": contact.id, **name, **body}


def contact_to_fhir(contact: Contact, *, patient_id: str | None) -> dict[str, Any]:
    if patient_id is None:
        raise ValidationError.single(
            ("patient_id",), "a RelatedPerson needs the patient's id: pass patient_id=", "missing"
        )
    out: dict[str, Any] = {
        "resourceType": "RelatedPerson",
        "id": fhir_id(contact.id, ("id",)),
        "patient": literal("Patient", fhir_id(patient_id, ("patient_id",))),
    }
    body = _contact_body(contact)
    out["relationship"] = body.pop("relationship")
    if contact.name:
        out["name"] = [{"text": contact.name}]
    out.update(body)
    return out


# --- import ------------------------------------------------------------------------------------


def patient_from_fhir(r: Reader) -> Patient:
    root = r.root
    r.check_elements(ELEMENTS["Patient"], ())
    pid = r.string(root, "id", (), required=True)
    zone = read_extension(r, root, TIME_ZONE_EXT, str, (), default=None)
    if zone is not None and not is_time_zone(zone):
        r.problem(("extension",), "time-zone extension is not an IANA time-zone name", "time_zone")
        zone = None
    if zone is not None:
        r.zone = zone
    name = _human_name(r, root, "name", ())
    birth_text = r.string(root, "birthDate", ())
    birth = parse_date(birth_text) if birth_text is not None else None  # partial: not carried
    interpreter = False
    for e in as_list(root.get("extension")):
        if isinstance(e, dict) and e.get("url") == INTERPRETER_REQUIRED:
            interpreter = e.get("valueBoolean") is True
    language = "en"
    comms = r.items(root, "communication", ())
    chosen = next((c for c in comms if c[1].get("preferred") is True), comms[0] if comms else None)
    if chosen is not None:
        path, comm = chosen
        code = next(
            (c for s, c in _codings(comm.get("language")) if s == BCP47 and isinstance(c, str)),
            None,
        )
        if code is None:
            r.problem(
                (*path, "language"), "a BCP 47 (urn:ietf:bcp:47) coding is required", "missing"
            )
        else:
            language = code
    prefs: dict[str, Any] = {"language": language, "interpreter_needed": interpreter}
    for field in _PREFERENCE_EXTENSIONS:
        value = read_extension(r, root, _pref_ext(field), _PREFERENCE_HINTS[field], (), None)
        if value is not None:
            prefs[field] = value
    contacts = []
    for i, (path, element) in enumerate(r.items(root, "contact", ())):
        raw_id = element.get("id")
        cid = raw_id if isinstance(raw_id, str) else f"contact-{i}"
        cname = _name_text(element.get("name"))
        contact = _contact(r, element, path, cid, cname or "")
        if contact is not None:
            contacts.append(contact)
    history = read_extension(r, root, "history", _PATIENT_HISTORY, ())
    r.fail_if_problems()
    preferences = build(r, Preferences, **prefs)
    return build(
        r,
        Patient,
        id=pid,
        name=name or "",
        birth_date=birth,
        time_zone=r.zone,
        preferences=preferences,
        contacts=tuple(contacts),
        history=history,
    )


def _codings(node: Any) -> list[tuple[Any, Any]]:
    """(system, code) of each coding whose system and code are text."""
    if not isinstance(node, dict):
        return []
    codings = [c for c in as_list(node.get("coding")) if isinstance(c, dict)]
    pairs = [(c.get("system"), c.get("code")) for c in codings]
    return [(s, c) for s, c in pairs if isinstance(s, str) and isinstance(c, str)]


def _name_text(name: Any) -> str | None:
    if not isinstance(name, dict):
        return None
    if isinstance(name.get("text"), str):
        return str(name["text"])
    parts = [*(as_list(name.get("given"))), name.get("family")]
    text = " ".join(p for p in parts if isinstance(p, str))
    return text or None


def _human_name(r: Reader, node: dict[str, Any], key: str, path: Path) -> str | None:
    names = r.items(node, key, path)
    if not names:
        return None
    chosen = next((n for _, n in names if n.get("use") in ("official", "usual")), names[0][1])
    return _name_text(chosen)


def _contact(
    r: Reader, element: dict[str, Any], path: Path, cid: str, name: str
) -> Contact | None:
    own = standard = basis = own_basis = None
    for _, concept in r.items(element, "relationship", path):
        own = own or find_code(concept, RELATIONSHIP_SYSTEM, enum_table(Relationship))
        standard = standard or next(
            (
                _RELATIONSHIP_IMPORT[(s, c)]
                for s, c in _codings(concept)
                if isinstance(c, str) and (s, c) in _RELATIONSHIP_IMPORT
            ),
            None,
        )
        own_basis = own_basis or find_code(concept, BASIS_SYSTEM, enum_table(RepresentativeBasis))
        basis = basis or next(
            (
                _BASIS_IMPORT[c]
                for s, c in _codings(concept)
                if s == V3_ROLE and c in _BASIS_IMPORT
            ),
            None,
        )
    relationship = own or standard or Relationship.OTHER
    # careroles' own codes say everything; a foreign HPOWATT/GUARD/EXCEST code implies a basis
    basis = own_basis if own is not None else (own_basis or basis)
    points = []
    for tpath, t in r.items(element, "telecom", path):
        system = t.get("system")
        channel = _SYSTEM_CHANNELS.get(system) if isinstance(system, str) else None
        extensions = t.get("extension")
        for e in extensions if isinstance(extensions, list) else ():
            if isinstance(e, dict) and e.get("url") == CHANNEL_EXT:
                code = e.get("valueCode")
                if isinstance(code, str) and code in enum_table(ContactChannel):
                    channel = ContactChannel(code)
        if channel is None:
            r.drop(tpath)
            continue
        points.append(ContactPoint(channel=channel, value=t.get("value") or ""))
    period = None
    if basis is not None and "period" in element:
        start, end = r.period(element, "period", path)
        if start is None:
            r.problem(
                (*path, "period", "start"), "a representative period needs a start", "missing"
            )
        else:
            period = Period(start=start, end=end)
    try:
        return Contact(
            id=cid,
            name=name,
            relationship=relationship,
            contact_points=tuple(points),
            representative_basis=basis,
            representative_period=period,
        )
    except ValidationError as exc:
        r.problems.extend(p.prefixed((r.type, *path)) for p in exc.problems)
        return None


def related_person_from_fhir(r: Reader) -> Contact:
    root = r.root
    r.check_elements(ELEMENTS["RelatedPerson"], ("patient",))
    cid = r.string(root, "id", (), required=True)
    _, patient_id, _ = read_reference(r, root, "patient", (), required=True)
    r.context["patient_id"] = patient_id
    name = _human_name(r, root, "name", ())
    contact = _contact(r, root, (), cid or "", name or "")
    r.fail_if_problems()
    assert contact is not None
    return contact


FIELD_PATHS[Patient] = {
    "name": ("name",),
    "birth_date": ("birthDate",),
    "contacts": ("contact",),
    "preferences": ("communication",),
}
FIELD_PATHS[Contact] = {"name": ("name",), "relationship": ("relationship",)}
