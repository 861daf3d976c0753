"""Consent <-> FHIR R4 Consent (fhir.md §2.8)."""

from __future__ import annotations

import typing
from typing import Any, Final

from careroles.consent import Consent, ConsentKind, ConsentStatus, InformationCategory, Purpose
from careroles.fhir._common import (
    FIELD_PATHS,
    LOINC,
    RESOURCE_ROLE,
    V3_ACT_REASON,
    V3_PARTICIPATION,
    Reader,
    actor_reference,
    as_dict,
    build,
    code_url,
    codings_of,
    enum_table,
    extension,
    fhir_id,
    find_code,
    literal,
    member_reference,
    period_json,
    put_instant,
    read_extension,
    read_reference,
    reference_at,
)
from careroles.fhir._elements import ELEMENTS
from careroles.periods import Period
from careroles.roles import Actor, Role

SCOPE_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
KIND_SYSTEM: Final = code_url("consent-kind")
CATEGORY_SYSTEM: Final = code_url("information-category")
PURPOSE_SYSTEM: Final = code_url("purpose")

#: careroles status <-> consent-state-codes.  FHIR draft, proposed and entered-in-error have
#: no careroles status and are refused on import.
STATUS_CODES: Final[dict[ConsentStatus, str]] = {
    ConsentStatus.ACTIVE: "active",
    ConsentStatus.REVOKED: "inactive",
    ConsentStatus.REJECTED: "rejected",
}
_STATUS_IMPORT: Final = {v: k for k, v in STATUS_CODES.items()}

#: kind -> (consentscope code, LOINC category code).
KIND_CODES: Final[dict[ConsentKind, tuple[str, str]]] = {
    ConsentKind.AUTHORIZATION: ("patient-privacy", "64292-6"),
    ConsentKind.REPRESENTATION: ("patient-privacy", "59284-0"),
    ConsentKind.FAMILY_INVOLVEMENT: ("patient-privacy", "59284-0"),
    ConsentKind.PROGRAM: ("treatment", "59284-0"),
}
#: kind -> the regulation the consent rests on (Consent.policy.uri; ppc-1 needs a policy).
KIND_POLICY: Final[dict[ConsentKind, str]] = {
    ConsentKind.AUTHORIZATION: "https://www.ecfr.gov/current/title-45/section-164.508",
    ConsentKind.REPRESENTATION: "https://www.ecfr.gov/current/title-45/section-164.502",
    ConsentKind.FAMILY_INVOLVEMENT: "https://www.ecfr.gov/current/title-45/section-164.510",
    ConsentKind.PROGRAM: "https://careroles.dev/fhir/policy/program-consent",
}
#: purpose -> v3 ActReason (advocacy has none: careroles code only).
PURPOSE_CODES: Final[dict[Purpose, tuple[str, str]]] = {
    Purpose.TREATMENT: (V3_ACT_REASON, "TREAT"),
    Purpose.PAYMENT: (V3_ACT_REASON, "HPAYMT"),
    Purpose.OPERATIONS: (V3_ACT_REASON, "HOPERAT"),
    Purpose.FAMILY_INVOLVEMENT: (V3_ACT_REASON, "FAMRQT"),
    Purpose.AT_REQUEST_OF_PATIENT: (V3_ACT_REASON, "PATRQT"),
    Purpose.ADVOCACY: (PURPOSE_SYSTEM, "advocacy"),
}
_PURPOSE_IMPORT: Final = {
    **{v: k for k, v in PURPOSE_CODES.items()},
    **{(PURPOSE_SYSTEM, p.value): p for p in Purpose},
    (V3_ACT_REASON, "ETREAT"): Purpose.TREATMENT,
}
_HINTS: Final = typing.get_type_hints(Consent)


def consent_to_fhir(consent: Consent) -> dict[str, Any]:
    scope, loinc = KIND_CODES[consent.kind]
    provision: dict[str, Any] = {
        "type": "permit",
        "period": period_json(consent.period),
        "actor": [
            {
                "role": {"coding": [{"system": V3_PARTICIPATION, "code": "IRCP"}]},
                "reference": member_reference(consent.grantee_id, "Practitioner"),
            }
        ],
    }
    if consent.purposes:
        provision["purpose"] = [
            {"system": s, "code": c} for s, c in sorted(PURPOSE_CODES[p] for p in consent.purposes)
        ]
    provision["code"] = [
        {"coding": [{"system": CATEGORY_SYSTEM, "code": c.value}]}
        for c in sorted(consent.categories)
    ]
    exts = [
        *extension("consent-revoked-at", consent.revoked_at, _HINTS["revoked_at"]),
        *extension("consent-note", consent.note, _HINTS["note"]),
        *extension("history", consent.history, _HINTS["history"]),
    ]
    out: dict[str, Any] = {"resourceType": "Consent", "id": fhir_id(consent.id, ("id",))}
    if exts:
        out["extension"] = exts
    out["status"] = STATUS_CODES[consent.status]
    out["scope"] = {"coding": [{"system": SCOPE_SYSTEM, "code": scope}]}
    out["category"] = [
        {"coding": [{"system": LOINC, "code": loinc}]},
        {"coding": [{"system": KIND_SYSTEM, "code": consent.kind.value}]},
    ]
    out["patient"] = literal("Patient", fhir_id(consent.patient_id, ("patient_id",)))
    put_instant(out, "dateTime", consent.period.start)
    out["performer"] = [actor_reference(consent.grantor)]
    out["policy"] = [{"uri": KIND_POLICY[consent.kind]}]
    out["provision"] = provision
    return out


def consent_from_fhir(r: Reader) -> Consent:
    root = r.root
    r.check_elements(ELEMENTS["Consent"], ("status", "scope", "category"))
    cid = r.string(root, "id", (), required=True)
    status_code = r.string(root, "status", ())
    status = _STATUS_IMPORT.get(status_code) if status_code else None
    if status_code is not None and status is None:
        r.problem(
            ("status",),
            "careroles has no status for this consent state (draft, proposed and "
            "entered-in-error consents permit nothing and are not imported)",
            "unsupported_status",
        )
    _, patient_id, _ = read_reference(r, root, "patient", (), required=True)
    kind = _kind(r)
    provision = r.obj(root, "provision", ())
    start, end = r.period(provision, "period", ("provision",))
    if start is None:
        start = r.instant(root, "dateTime", ())
    if start is None and "period" not in provision:
        r.problem(
            ("dateTime",), "careroles needs a start: provision.period.start or dateTime", "missing"
        )
    grantee = None
    for path, actor in r.items(provision, "actor", ("provision",)):
        _, grantee, _ = read_reference(r, actor, "reference", path, required=True)
        break
    if grantee is None:
        for path, org in r.items(root, "organization", ()):
            _, grantee, _ = reference_at(r, org, path)
            break
    if grantee is None:
        r.problem(
            ("provision", "actor"),
            "careroles needs a grantee: provision.actor or organization",
            "missing",
        )
    grantor = Actor(member_id=patient_id or "-", role=Role.PATIENT)
    for path, performer in r.items(root, "performer", ()):
        rtype, gid, role = reference_at(r, performer, path)
        if gid is not None:
            role = role or RESOURCE_ROLE.get(rtype or "")
            if role is Role.CAREGIVER:
                role = Role.PERSONAL_REPRESENTATIVE  # a RelatedPerson consenting represents
            grantor = Actor(member_id=gid, role=role or Role.PATIENT)
        break
    categories = frozenset(
        c
        for _, concept in r.items(provision, "code", ("provision",))
        if (c := find_code(concept, CATEGORY_SYSTEM, enum_table(InformationCategory)))
    )
    purposes = frozenset(
        _PURPOSE_IMPORT[(str(p.get("system")), str(p.get("code")))]
        for _, p in r.items(provision, "purpose", ("provision",))
        if (str(p.get("system")), str(p.get("code"))) in _PURPOSE_IMPORT
    )
    revoked_at = read_extension(r, root, "consent-revoked-at", _HINTS["revoked_at"], ())
    note = read_extension(r, root, "consent-note", _HINTS["note"], ())
    history = read_extension(r, root, "history", _HINTS["history"], ())
    if provision.get("type") == "deny" and status is ConsentStatus.ACTIVE:
        status = ConsentStatus.REJECTED  # an active "deny" is the patient's recorded no
    if status is ConsentStatus.REVOKED and revoked_at is None:
        revoked_at = end  # inactive: revoked at the period end, when nothing says more
        if revoked_at is None:
            r.problem(
                ("status",),
                "an inactive consent needs the revoked-at extension or a provision.period.end",
                "missing",
            )
    r.fail_if_problems()
    assert start is not None
    assert status is not None
    assert kind is not None
    return build(
        r,
        Consent,
        id=cid,
        patient_id=patient_id,
        kind=kind,
        grantor=grantor,
        grantee_id=grantee,
        # a consent from elsewhere names no careroles category: it covers the clinical record
        categories=categories or frozenset({InformationCategory.CLINICAL}),
        purposes=purposes,
        period=Period(start=start, end=end),
        status=status,
        revoked_at=revoked_at,
        note=note,
        history=history,
    )


def _kind(r: Reader) -> ConsentKind | None:
    for _, concept in r.items(r.root, "category", (), required=True):
        kind = find_code(concept, KIND_SYSTEM, enum_table(ConsentKind))
        if kind is not None:
            return kind
    scope = next((c for s, c in codings_of(r.root.get("scope")) if s == SCOPE_SYSTEM), None)
    period = as_dict(as_dict(r.root.get("provision")).get("period"))
    if scope == "patient-privacy":
        # HIPAA authorizations expire (164.508(c)(1)(v)); an open-ended privacy consent is an
        # opt-in/opt-out programme consent (OPTIN/OPTOUT policy rules)
        return ConsentKind.AUTHORIZATION if "end" in period else ConsentKind.PROGRAM
    if scope == "adr":
        return ConsentKind.REPRESENTATION
    if scope in ("treatment", "research"):
        return ConsentKind.PROGRAM
    r.problem(("scope",), "expected a consentscope coding", "code")
    return None


FIELD_PATHS[Consent] = {
    "patient_id": ("patient",),
    "kind": ("category",),
    "grantor": ("performer",),
    "grantee_id": ("provision", "actor"),
    "categories": ("provision", "code"),
    "purposes": ("provision", "purpose"),
    "period": ("provision", "period"),
    "status": ("status",),
}
