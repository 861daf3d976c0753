"""Golden files: what careroles once wrote keeps loading, equal, and is written the same way.

The files live in tests/golden/ and are made by tests/golden/make_golden.py from hand-built
objects (one ``@builder`` per aggregate root).  The script never overwrites a file.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pendulum
import pytest

import careroles
from careroles._documents import DOCUMENTS

GOLDEN = Path(__file__).parent / "golden"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "careroles_make_golden", GOLDEN / "make_golden.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_golden = _load_generator()
BY_NAME = {doc.name: (cls, doc) for cls, doc in DOCUMENTS.items()}
FILES = sorted(GOLDEN.glob("*.json"))


def split_name(path: Path) -> tuple[str, str]:
    name, _, version = path.stem.rpartition("-")
    return name, version


def same_types(a: Any, b: Any, path: str = "$") -> None:
    """Equal values of the same types all the way down (== forgives StrEnum vs str)."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if attrs.has(type(a)):
        for f in attrs.fields(type(a)):
            same_types(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, tuple):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_types(x, y, f"{path}[{i}]")
    elif isinstance(a, pendulum.DateTime):
        assert (a.timestamp(), a.utcoffset(), a.timezone_name) == (
            b.timestamp(),
            b.utcoffset(),
            b.timezone_name,
        ), path


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_golden_file_loads_equal_to_its_builder_and_writes_back_the_same(path: Path) -> None:
    name, version = split_name(path)
    assert name in BY_NAME, f"{path.name}: no document type {name!r} in DOCUMENTS"
    cls, doc = BY_NAME[name]
    text = path.read_text(encoding="utf-8")
    loaded: Any = careroles.loads(text, cls)
    assert type(loaded) is cls
    if version != doc.version:
        return  # an older version: it must still load (through its migrations), that is all
    built = make_golden.BUILDERS[name]()
    assert loaded == built
    same_types(loaded, built)
    assert make_golden.golden_text(loaded) == text


def test_every_document_has_a_golden_file_for_its_current_version() -> None:
    missing = [
        f"{doc.name}-{doc.version}.json"
        for doc in DOCUMENTS.values()
        if not make_golden.golden_path(doc.name, doc.version).exists()
    ]
    assert missing == [], f"add a @builder to tests/golden/make_golden.py and run it for {missing}"


def test_every_builder_is_for_a_document_and_builds_its_type() -> None:
    for name, build in make_golden.BUILDERS.items():
        assert name in BY_NAME, f"builder {name!r} names no document"
        assert type(build()) is BY_NAME[name][0]


def test_golden_files_are_plain_indented_json_with_the_envelope_first() -> None:
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert list(data)[:2] == ["$type", "$version"], path.name
        assert (data["$type"], data["$version"]) == split_name(path), path.name
        assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n", path.name


def test_the_generator_never_overwrites_a_golden_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(make_golden, "HERE", tmp_path)
    first = make_golden.main()
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert written == sorted(
        f"{doc.name}-{doc.version}.json"
        for doc in DOCUMENTS.values()
        if doc.name in make_golden.BUILDERS
    )
    target = tmp_path / written[0]
    target.write_text("edited by hand\n", encoding="utf-8")
    second = make_golden.main()
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
    assert "kept" in capsys.readouterr().out
    assert first == second


def test_the_golden_files_carry_patient_data_only_in_sensitive_fields() -> None:
    # the files are realistic: names and words are there (the wire carries them) ...
    text = (GOLDEN / "Patient-1.0.json").read_text(encoding="utf-8")
    assert "Rosa Delgado" in text
    # ... and the loaded value does not show them
    patient = careroles.loads(text, careroles.Patient)
    assert "Rosa" not in repr(patient)
