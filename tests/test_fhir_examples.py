"""The public HL7 examples in shared/fhir-examples as an outside oracle (README.md there).

Every valid example of a resource type careroles maps imports, re-exports to a resource that
validates with the fhir.resources R4B models, and keeps its id, status, patient reference,
instants and codes (compared as parsed values, not strings).  The STU3-shaped negatives are
refused with a careroles ValidationError naming the offending FHIR element.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import careroles
from careroles.fhir import from_fhir, supported_types, to_fhir

R4B = pytest.importorskip("fhir.resources.R4B", reason="FHIR validation needs careroles[fhir]")


def _examples_dir() -> Path | None:
    for candidate in (
        Path(__file__).resolve().parents[2] / "shared" / "fhir-examples",
        Path("/work/shared/fhir-examples"),
    ):
        if candidate.is_dir():
            return candidate
    return None


ROOT = _examples_dir()
pytestmark = pytest.mark.skipif(
    ROOT is None, reason="shared/fhir-examples is not beside the repository (see README)"
)
#: Tasks are read only when careroles wrote them (a careroles task-kind code): see below.
SUPPORTED = (set(supported_types().values()) | {"RelatedPerson"}) - {"Task"}


def _files(invalid: bool, types: set[str]) -> list[Path]:
    if ROOT is None:
        return []
    pattern = "invalid/*/*.json" if invalid else "*/*.json"
    return sorted(
        p
        for p in ROOT.glob(pattern)
        if not p.parent.name.startswith("_")
        and (invalid or p.parent.name != "invalid")
        and json.loads(p.read_text()).get("resourceType") in types
    )


VALID = _files(invalid=False, types=SUPPORTED)
INVALID = _files(invalid=True, types=SUPPORTED)
TASKS = _files(invalid=False, types={"Task"})


def _name(p: Path) -> str:
    return f"{p.parent.name}/{p.name}"


def _model(resource: dict[str, Any]) -> Any:
    return R4B.get_fhir_model_class(resource["resourceType"]).model_validate(
        json.loads(json.dumps(resource))
    )


def _ref_id(ref: Any) -> str | None:
    if ref is None:
        return None
    if ref.reference is not None:
        return str(ref.reference).rstrip("/").split("/")[-1].split(":")[-1].lstrip("#")
    return ref.identifier.value if ref.identifier is not None else None


def _instant(value: Any) -> dt.datetime | None:
    """A parsed FHIR date or dateTime as an aware instant (dates: midnight UTC)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return None  # a partial date (fhir.resources keeps "2020-05" as text)


def _patient_id(resource: dict[str, Any]) -> str | None:
    for key in ("subject", "patient"):
        ref = resource.get(key)
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            return str(ref["reference"]).split("/")[-1].split(":")[-1]
    return None


def test_the_oracle_has_examples_of_every_mapped_resource_type() -> None:
    found = {json.loads(p.read_text())["resourceType"] for p in VALID}
    assert found == SUPPORTED
    assert len(INVALID) == 5


@pytest.mark.parametrize("path", VALID, ids=_name)
def test_a_valid_example_imports_and_re_exports_to_valid_r4_keeping_what_it_maps(
    path: Path,
) -> None:
    original = json.loads(path.read_text())
    imported = from_fhir(original)
    again = to_fhir(imported.value, patient_id=_patient_id(original))
    before, after = _model(original), _model(again)
    rtype = original["resourceType"]
    missing = set(imported.not_carried)

    assert after.id == before.id
    for status in ("status", "lifecycleStatus"):
        if hasattr(before, status) and f"{rtype}.{status}" not in missing:
            assert getattr(after, status) == getattr(before, status)
    for key in ("subject", "patient"):
        if getattr(before, key, None) is not None and f"{rtype}.{key}" not in missing:
            assert _ref_id(getattr(after, key)) == _ref_id(getattr(before, key))
    for key in ("start", "end", "sent"):
        if getattr(before, key, None) is not None:
            assert _instant(getattr(after, key)) == _instant(getattr(before, key))
    if getattr(before, "period", None) is not None and f"{rtype}.period" not in missing:
        assert _instant(after.period.start) == _instant(before.period.start)
    if rtype == "Patient":
        _patient_kept(before, after, missing)
    if rtype == "Goal" and before.achievementStatus is not None:
        code = before.achievementStatus.coding[0].code
        assert after.achievementStatus.coding[0].code == code
    if rtype == "Appointment":
        by_actor = {_ref_id(p.actor): p for p in before.participant if p.actor is not None}
        for p in after.participant:
            kept = by_actor[_ref_id(p.actor)]
            assert p.status == kept.status
    if rtype == "CarePlan":
        statuses = [a.detail.status for a in before.activity or () if a.detail is not None]
        # an activity given only as a reference has no status: careroles says "unknown"
        kept = [a.detail.status for a in after.activity or () if a.detail.status != "unknown"]
        assert all(kept.count(s) <= statuses.count(s) for s in kept)
        assert after.intent == before.intent or f"{rtype}.intent" in missing
    consent_period = rtype == "Consent" and before.provision and before.provision.period
    if consent_period and f"{rtype}.provision.period" not in missing:
        assert _instant(after.provision.period.start) == _instant(before.provision.period.start)
    if rtype == "CareTeam":
        _care_team_kept(before, after)


def _patient_kept(before: Any, after: Any, missing: set[str]) -> None:
    if before.birthDate is not None and "Patient.birthDate" not in missing:
        assert after.birthDate == before.birthDate
    if before.communication:
        chosen = next((c for c in before.communication if c.preferred), before.communication[0])
        assert after.communication[0].language.coding[0].code == chosen.language.coding[0].code
    for e in before.extension or ():
        if e.url.endswith("patient-interpreterRequired"):
            kept = [x for x in after.extension if x.url == e.url]
            assert kept[0].valueBoolean == e.valueBoolean


def _care_team_kept(before: Any, after: Any) -> None:
    snomed = "http://snomed.info/sct"
    known = {"116154003", "223366009"}
    wanted = {
        c.code
        for p in before.participant or ()
        for r in p.role or ()
        for c in r.coding or ()
        if c.system == snomed and c.code in known
    }
    kept = {
        c.code
        for p in after.participant or ()
        for r in p.role or ()
        for c in r.coding or ()
        if c.system == snomed
    }
    assert wanted <= kept


@pytest.mark.parametrize("path", VALID, ids=_name)
def test_what_a_valid_example_loses_is_named_by_fhir_path(path: Path) -> None:
    original = json.loads(path.read_text())
    imported = from_fhir(original)
    rtype = original["resourceType"]
    assert all(p.startswith(f"{rtype}.") for p in imported.not_carried)
    if "text" in original:
        assert f"{rtype}.text" in imported.not_carried  # the narrative is not carried


@pytest.mark.parametrize("path", INVALID, ids=_name)
def test_an_stu3_shaped_example_is_refused_naming_the_element(path: Path) -> None:
    original = json.loads(path.read_text())
    rtype = original["resourceType"]
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(original)
    paths = {p.path for p in info.value.problems}
    if rtype == "Goal":
        assert {("Goal", "subject"), ("Goal", "status")} <= paths
    else:
        assert ("CarePlan", "context") in paths
    assert all(p.path[0] == rtype for p in info.value.problems)


@pytest.mark.parametrize("path", TASKS, ids=_name)
def test_a_task_careroles_did_not_write_is_refused_rather_than_guessed(path: Path) -> None:
    with pytest.raises(careroles.ValidationError) as info:
        from_fhir(json.loads(path.read_text()))
    assert [(p.path, p.code) for p in info.value.problems] == [
        (("Task", "code"), "unsupported_task")
    ]


# --- every code of the official R4 code systems (shared/fhir-examples/_terminology) -----------


def _codes(name: str) -> list[str]:
    if ROOT is None:
        return []
    system = json.loads((ROOT / "_terminology" / f"CodeSystem-{name}.json").read_text())

    def walk(concepts: list[dict[str, Any]]) -> list[str]:
        return [c["code"] for c in concepts] + [
            code for c in concepts for code in walk(c.get("concept", []))
        ]

    return walk(system["concept"])


def _appointment(status: str) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "id": "a",
        "status": status,
        "start": "2026-03-09T09:00:00-04:00",
        "end": "2026-03-09T09:30:00-04:00",
        "participant": [
            {"actor": {"reference": "Patient/p"}, "status": "accepted"},
            {"actor": {"reference": "Practitioner/d"}, "status": "needs-action"},
        ],
    }


@pytest.mark.parametrize("code", _codes("appointmentstatus"))
def test_every_r4_appointment_status_imports_as_itself(code: str) -> None:
    value = from_fhir(_appointment(code)).value
    assert value.status.value == code
    assert value.history == ()


@pytest.mark.parametrize("code", _codes("participationstatus"))
def test_every_r4_participation_status_imports_as_itself(code: str) -> None:
    resource = _appointment("booked")
    resource["participant"][1]["status"] = code
    assert from_fhir(resource).value.participants[0].status.value == code


def _goal(**changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "Goal",
        "id": "g",
        "lifecycleStatus": "active",
        "description": {"text": "Walk daily"},
        "subject": {"reference": "Patient/p"},
        **changes,
    }


@pytest.mark.parametrize("code", _codes("goal-status"))
def test_every_r4_goal_status_imports_as_itself(code: str) -> None:
    assert from_fhir(_goal(lifecycleStatus=code)).value.status.value == code


@pytest.mark.parametrize("code", _codes("goal-achievement"))
def test_every_r4_goal_achievement_imports_as_itself(code: str) -> None:
    concept = {
        "coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": code}
        ]
    }
    value = from_fhir(_goal(achievementStatus=concept)).value
    assert value.achievement is not None
    assert value.achievement.value == code


def _plan(status: str, activity_status: str = "not-started") -> dict[str, Any]:
    return {
        "resourceType": "CarePlan",
        "id": "cp",
        "status": status,
        "intent": "plan",
        "subject": {"reference": "Patient/p"},
        "activity": [{"detail": {"status": activity_status, "description": "Walk"}}],
    }


@pytest.mark.parametrize("code", _codes("request-status"))
def test_every_r4_care_plan_status_imports_as_itself_except_unknown(code: str) -> None:
    if code == "unknown":  # "the source does not know": not a state careroles can hold
        with pytest.raises(careroles.ValidationError):
            from_fhir(_plan(code))
    else:
        assert from_fhir(_plan(code)).value.status.value == code


@pytest.mark.parametrize("code", _codes("care-plan-activity-status"))
def test_every_r4_activity_status_imports_as_itself(code: str) -> None:
    assert from_fhir(_plan("active", code)).value.activities[0].status.value == code


@pytest.mark.parametrize("code", _codes("consent-state-codes"))
def test_every_r4_consent_state_imports_or_is_refused_by_name(code: str) -> None:
    resource = {
        "resourceType": "Consent",
        "id": "k",
        "status": code,
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"reference": "Patient/p"},
        "provision": {
            "period": {"start": "2026-01-01", "end": "2026-12-31"},
            "actor": [
                {
                    "role": {"text": "recipient"},
                    "reference": {"reference": "RelatedPerson/c"},
                }
            ],
        },
    }
    expected = {"active": "active", "inactive": "revoked", "rejected": "rejected"}
    if code in expected:
        assert from_fhir(resource).value.status.value == expected[code]
    else:
        with pytest.raises(careroles.ValidationError) as info:
            from_fhir(resource)
        assert [p.code for p in info.value.problems] == ["unsupported_status"]


@pytest.mark.parametrize("code", _codes("task-status"))
def test_every_r4_task_status_of_a_careroles_concern_imports_except_entered_in_error(
    code: str,
) -> None:
    resource = {
        "resourceType": "Task",
        "id": "t",
        "status": code,
        "intent": "order",
        "code": {
            "coding": [
                {"system": "https://careroles.dev/fhir/CodeSystem/task-kind", "code": "concern"}
            ]
        },
        "description": "The bill is wrong",
        "for": {"reference": "Patient/p"},
        "authoredOn": "2026-03-09T09:00:00-04:00",
        "requester": {"reference": "Patient/p"},
    }
    if code == "entered-in-error":
        with pytest.raises(careroles.ValidationError):
            from_fhir(resource)
    else:
        assert from_fhir(resource).value.status is not None
