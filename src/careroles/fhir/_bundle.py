"""A patient's whole record as one FHIR Bundle (type ``collection``), and back.

Every entry has ``fullUrl = urn:uuid:<uuid5 of "Type/id">`` (stable across exports) and every
literal reference between entries is rewritten to that fullUrl, so it resolves inside the
Bundle.  People careroles knows by id only (team members, grantees) are logical references
(``identifier`` in the careroles member-id system) and need no entry.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from careroles.errors import Problem, ValidationError
from careroles.fhir import _registry
from careroles.fhir._common import (
    Imported,
    as_list,
    code_url,
    no_cyclic_gc,
    referencing,
    split_reference,
)
from careroles.patients import Contact, Patient

#: Namespace of the entry UUIDs (uuid5 of ``"<resourceType>/<id>"``).
ENTRY_NAMESPACE: Final = uuid.UUID("9b0e7a52-5d57-4c55-9d54-6a0a8f1e6c11")


@functools.lru_cache(maxsize=65536)
def full_url(resource_type: str, rid: str) -> str:
    """The Bundle entry URL of a resource: ``urn:uuid:`` + uuid5 of ``"Type/id"``."""
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'{resource_type}/{rid}')}"


def _url_of_key(key: str) -> str:
    resource_type, _, rid = key.partition("/")
    return full_url(resource_type, rid)


@attrs.frozen
class ImportReport:
    """What :func:`from_bundle` read: the patient, every other value, what was not carried.

    `not_carried` holds FHIR paths inside the Bundle (``Bundle.entry[3].resource.address[0]``);
    an entry of a resource type careroles does not import is reported as a whole.
    """

    patient: Patient | None
    values: tuple[object, ...] = ()
    not_carried: tuple[str, ...] = ()

    def of_type(self, cls: type[Any]) -> tuple[Any, ...]:
        """The imported values of one careroles type, in Bundle order."""
        return tuple(v for v in self.values if type(v) is cls)


def bundle(patient: Patient, objects: Iterable[object]) -> dict[str, Any]:
    with no_cyclic_gc(), referencing(_url_of_key) as referenced:
        resources: list[dict[str, Any]] = [_registry.export(patient)]
        resources += [_registry.export(c, patient_id=patient.id) for c in patient.contacts]
        for obj in objects:
            row = _registry.by_type(type(obj))
            resources.append(_registry.export(obj, patient_id=patient.id))
            if row is not None and row.companions is not None:
                resources += row.companions(obj)
    keys: set[str] = set()
    problems = []
    entries: list[dict[str, Any]] = []
    for i, res in enumerate(resources):
        key = f"{res['resourceType']}/{res['id']}"
        if key in keys:
            problems.append(Problem(("entry", i), "two entries share a type and id", "duplicate"))
        keys.add(key)
        entries.append({"fullUrl": full_url(res["resourceType"], res["id"]), "resource": res})
    if any(k not in keys for k in referenced):  # rare: find where, for the message
        targets = {e["fullUrl"] for e in entries}
        for i, res in enumerate(resources):
            for path in _unresolved(res, targets):
                problems.append(
                    Problem(
                        ("entry", i, "resource", *path),
                        "references a resource outside this patient's Bundle",
                        "unresolved_reference",
                    )
                )
    if problems:
        raise ValidationError(problems, subject="FHIR Bundle")
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _unresolved(
    node: Any, targets: set[str], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[str | int, ...]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "reference" and isinstance(v, str) and v not in targets and v[:1] != "#":
                yield (*path, k)
            else:
                yield from _unresolved(v, targets, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _unresolved(v, targets, (*path, i))


def _derived(res: dict[str, Any], tasks: set[str], urls: dict[str, str]) -> bool:
    if res.get("resourceType") != "Communication":
        return False
    kinds = {
        c.get("code")
        for concept in as_list(res.get("category"))
        if isinstance(concept, dict)
        for c in as_list(concept.get("coding"))
        if isinstance(c, dict) and c.get("system") == code_url("communication-kind")
    }
    about = {
        urls.get(a["reference"], a["reference"])
        for a in as_list(res.get("about"))
        if isinstance(a, dict) and isinstance(a.get("reference"), str)
    }
    return "case-interaction" in kinds and bool(about & tasks)


def from_bundle(data: Any, *, time_zone: str | None = None) -> ImportReport:
    with no_cyclic_gc():
        return _from_bundle(data, time_zone=time_zone)


def _from_bundle(data: Any, *, time_zone: str | None) -> ImportReport:
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise ValidationError.single(("resourceType",), "expected a FHIR Bundle", "type")
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise ValidationError.single(("Bundle", "entry"), "expected a JSON array", "type")
    problems = []
    resources: list[tuple[int, dict[str, Any]]] = []
    back: dict[str, str] = {}
    for i, e in enumerate(entries):
        res = e.get("resource") if isinstance(e, dict) else None
        if not isinstance(res, dict):
            problems.append(
                Problem(("Bundle", "entry", i, "resource"), "expected a resource", "missing")
            )
            continue
        resources.append((i, res))
        url = e.get("fullUrl")
        if isinstance(url, str) and isinstance(res.get("id"), str):
            back[url] = f"{res.get('resourceType')}/{res['id']}"
    if problems:
        raise ValidationError(problems, subject="FHIR Bundle")
    forward = {v: k for k, v in back.items()}
    tasks = {f"Task/{res.get('id')}" for _, res in resources if res.get("resourceType") == "Task"}
    # an advocacy case's interaction log is carried by the case's Task: its Communications
    # are a derived view, not read again
    resources = [(i, res) for i, res in resources if not _derived(res, tasks, back)]
    # the patient first: its time zone reads every date-only value of the others
    resources.sort(key=lambda item: item[1].get("resourceType") != "Patient")
    patient: Patient | None = None
    values: list[tuple[int, object]] = []
    missing: list[tuple[int, str]] = []
    for i, res in resources:
        zone = time_zone or (patient.time_zone if patient is not None else "UTC")
        if _registry.by_resource(str(res.get("resourceType"))) is None:
            missing.append((i, f"Bundle.entry[{i}]"))
            continue
        try:
            imported: Imported[Any] = _registry.import_(
                res, time_zone=zone, urls=back, forward=forward
            )
        except ValidationError as exc:
            problems.extend(p.prefixed(("Bundle", "entry", i, "resource")) for p in exc.problems)
            continue
        prefix = f"Bundle.entry[{i}].resource"
        missing += [
            (i, prefix + p[p.index(".") :] if "." in p else prefix) for p in imported.not_carried
        ]
        value = imported.value
        if isinstance(value, Patient) and patient is None:
            patient = value
        elif (
            isinstance(value, Contact)
            and patient is not None
            and any(c.id == value.id for c in patient.contacts)
        ):
            continue  # the same contact as in Patient.contact
        else:
            values.append((i, value))
    if problems:
        raise ValidationError(problems, subject="FHIR Bundle")
    values.sort(key=lambda item: item[0])
    missing.sort(key=lambda item: item[0])
    return ImportReport(
        patient=patient,
        values=tuple(v for _, v in values),
        not_carried=tuple(m for _, m in missing),
    )


__all__ = ["ImportReport", "bundle", "from_bundle", "full_url", "split_reference"]
