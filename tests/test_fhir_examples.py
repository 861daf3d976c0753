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
        assert {_ref_id(p.actor) for p in after.participant} <= {
            _ref_id(p.actor) for p in before.participant
        }
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
