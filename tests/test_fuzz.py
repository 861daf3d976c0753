"""Quick fuzzing in the suite: whatever comes in, ``careroles.loads`` raises only ValidationError.

The long run is ``python -m bench.fuzz --count 1000000`` (bench/fuzz.py).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles.strategies import STRATEGIES, with_canaries

TYPES = sorted(STRATEGIES, key=lambda t: t.__name__)

Json = Any

json_values: st.SearchStrategy[Json] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "2026-03-09T09:00:00-04:00[America/New_York]",
            "2026-03-09T09:00:00",
            "P1Y",
            "400.00",
            "patient",
            "$type",
            "1.0",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "$type", "$version", "start", "end", "role", "extra"])
            | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)

corrupt_date_times = st.sampled_from(
    [
        "2026-03-09T09:00:00",  # naive
        "2026-03-09T09:00:00+05:00[America/New_York]",  # offset and zone disagree
        "2026-03-08T02:30:00-05:00[America/New_York]",  # did not exist
        "2026-03-09T09:00:00-04:00[Nowhere/Land]",
        "2026-02-30T09:00:00Z",
        "9999-12-31T23:59:59-05:00[America/New_York]",
        "0001-01-01T00:00:00+14:00",
        "2026-03-09 09:00:00Z",
        "2026-03-09",
        "",
    ]
)


def paths(tree: Json, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.extend(paths(v, (*prefix, k)))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out.extend(paths(v, (*prefix, i)))
    return out


def replaced(tree: Json, path: tuple[Any, ...], new: Json) -> Json:
    if not path:
        return new
    copy: Any = dict(tree) if isinstance(tree, dict) else list(tree)
    copy[path[0]] = replaced(tree[path[0]], path[1:], new)
    return copy


def node_at(tree: Json, path: tuple[Any, ...]) -> Json:
    for part in path:
        tree = tree[part]
    return tree


@st.composite
def mutated(draw: st.DrawFn, tree: Json, secrets: frozenset[str]) -> Json:
    """`tree` with one to three mutations: drop a key, change a type, add a key, corrupt."""
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(tree)))
        node = node_at(tree, path)
        kind = draw(st.sampled_from(["drop", "type", "insert", "datetime", "secret", "wrap"]))
        if kind == "drop" and isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            new: Json = {k: v for k, v in node.items() if k != key}
        elif kind == "insert" and isinstance(node, dict):
            new = {**node, draw(st.sampled_from(["extra", "nickname", "$type"])): 1}
        elif kind == "datetime":
            new = draw(corrupt_date_times)
        elif kind == "secret" and secrets:
            new = draw(st.sampled_from(sorted(secrets)))
        elif kind == "wrap":
            new = [node]
        else:
            new = draw(json_values)
        tree = replaced(tree, path, new)
    return tree


def load_only_validation_errors(text: str, cls: type) -> list[str]:
    """Load `text`; anything but success or a ValidationError fails the test.

    Returns the rendered error (empty when the text loaded).  What loads must also be written
    back and load again equal: careroles never accepts what it cannot write.
    """
    error: careroles.ValidationError | None = None
    value: Any = None
    try:
        value = careroles.loads(text, cls)
    except careroles.ValidationError as exc:
        error = exc
    if error is None:
        assert careroles.loads(careroles.dumps(value), cls) == value
        return []
    assert error.problems, "a ValidationError always lists its problems"
    swallowed = [m for m in error.messages if m.startswith("invalid value @")]
    assert not swallowed, "an internal error was swallowed into the catch-all message"
    return [str(error)]


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(value=json_values)
def test_arbitrary_json_never_crashes_loads(cls: type, value: Json) -> None:
    load_only_validation_errors(json.dumps(value), cls)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(text=st.text(max_size=40) | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
def test_arbitrary_text_never_crashes_loads(cls: type, text: str) -> None:
    load_only_validation_errors(text, cls)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_mutated_documents_raise_only_validation_errors_without_their_secrets(
    cls: type, data: st.DataObject
) -> None:
    value = data.draw(STRATEGIES[cls](), label="valid")
    tree, secrets = with_canaries(value, json.loads(careroles.dumps(value)))
    try:
        careroles.loads(json.dumps(tree), cls)
    except careroles.ValidationError:  # a rule looks at a sensitive text: no canaries then
        tree, secrets = json.loads(careroles.dumps(value)), frozenset()
    bad = data.draw(mutated(tree, secrets), label="mutated")
    for rendered in load_only_validation_errors(json.dumps(bad), cls):
        assert not [s for s in secrets if s in rendered]


def test_the_fuzz_bench_runs_and_finds_nothing() -> None:
    path = Path(__file__).parents[1] / "bench" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("careroles_bench_fuzz", path)
    assert spec is not None
    assert spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    report = fuzz.fuzz(count=300, seed=7, per_type=1)
    assert report["inputs"] == 300
    assert report["examples"] == []
    failures = ("crashes", "opaque", "leaks", "redump", "disagree")
    assert {k: report[k] for k in failures} == dict.fromkeys(failures, 0)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_lenient_loading_of_mutated_documents_raises_only_validation_errors(
    cls: type, data: st.DataObject
) -> None:
    value = data.draw(STRATEGIES[cls](), label="valid")
    tree = json.loads(careroles.dumps(value))
    if isinstance(tree, dict) and "$version" in tree:
        tree["$version"] = "1.9"  # a newer minor version: lenient reading applies
    bad = data.draw(mutated(tree, frozenset()), label="mutated")
    messages: list[str] = []
    try:
        loaded: careroles.Loaded[Any] = careroles.loads_lenient(json.dumps(bad), cls)
    except careroles.ValidationError as exc:
        messages = exc.messages
    else:
        assert type(loaded.value) is cls
        assert all(path.startswith("$") for path in loaded.ignored)
    assert not [m for m in messages if m.startswith("invalid value @")]
