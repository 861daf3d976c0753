"""Generic tests over every registered type (careroles.strategies.STRATEGIES).

A type added to STRATEGIES is covered here with no further work: JSON round trips that keep
every field's type, document envelopes for aggregate roots, no patient data in repr/str, and
``st.from_type``.  A public attrs class without a STRATEGIES entry fails
:func:`test_every_public_data_class_has_a_strategy`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles._documents import DOCUMENTS
from careroles.strategies import STRATEGIES, sensitive_texts, with_canaries

TYPES = sorted(STRATEGIES, key=lambda t: t.__name__)
ROOTS = sorted(DOCUMENTS, key=lambda t: t.__name__)

#: Public attrs classes that are not data (no JSON form of their own), so need no strategy.
NOT_DATA = {
    careroles.Action,  # a lifecycle table row: holds Guard callables, lives in code
    careroles.Guard,  # a named predicate (a callable): code, not data
    careroles.Lifecycle,  # a table of Action rows: code, not data
    careroles.Loaded,  # the result wrapper of loads_lenient
    careroles.Problem,  # an error's detail (careroles.errors), not a stored value
    careroles.RolePolicy,  # an app's policy object, built from Permission rows
    # Generic in its status type: it has no JSON form until parametrized
    # (TransitionRecord[ConsentStatus]) and is round-tripped inside every aggregate's history.
    careroles.TransitionRecord,
}


def assert_same_shape(a: Any, b: Any, path: str = "$") -> None:
    """`a` and `b` are equal *and* of the same types all the way down.

    ``==`` alone is not enough: a StrEnum member equals its string, a pendulum Duration of one
    year equals one of 365 days, and two date-times in the same zone compare by wall time,
    ignoring the DST fold.
    """
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if attrs.has(type(a)):
        for f in attrs.fields(type(a)):
            assert_same_shape(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, tuple):
        assert len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same_shape(x, y, f"{path}[{i}]")
    elif isinstance(a, frozenset):
        assert a == b, path
        by_value = {x: x for x in b}
        for x in a:
            assert_same_shape(x, by_value[x], f"{path}{{}}")
    elif isinstance(a, pendulum.DateTime):
        assert a.timestamp() == b.timestamp(), f"{path}: different instants"
        assert a.utcoffset() == b.utcoffset(), f"{path}: different offsets"
        assert type(a.tzinfo) is type(b.tzinfo), f"{path}: different kinds of zone"
        assert getattr(a.tzinfo, "name", None) == getattr(b.tzinfo, "name", None), path
        assert a.fold == b.fold or a.utcoffset() == b.utcoffset(), path
    elif isinstance(a, pendulum.Duration):
        assert (a.years, a.months, a.as_timedelta()) == (b.years, b.months, b.as_timedelta())
    else:
        assert a == b, path


def draw(data: st.DataObject, cls: type) -> Any:
    value = data.draw(STRATEGIES[cls](), label=cls.__name__)
    assert type(value) is cls
    return value


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_every_type_round_trips_with_the_same_field_types_and_its_envelope(
    cls: type, data: st.DataObject
) -> None:
    # one test, several properties: drawing values is the expensive part
    value = draw(data, cls)
    # JSON text: loads(dumps(x)) == x, field types included
    text = careroles.dumps(value)
    again: Any = careroles.loads(text, cls)
    assert again == value
    assert_same_shape(value, again)
    # equal values are written as the same text
    assert careroles.dumps(again) == text
    # plain data: structure(unstructure(x)) == x, and the plain form is JSON data only
    plain = careroles.unstructure(value)
    assert json.loads(json.dumps(plain)) == plain
    assert json.loads(text) == plain
    rebuilt: Any = careroles.structure(plain, cls)
    assert rebuilt == value
    assert_same_shape(value, rebuilt)
    # only aggregate roots carry a document type and version, first
    doc = DOCUMENTS.get(cls)
    if doc is None:
        assert "$type" not in plain
        assert "$version" not in plain
    else:
        assert list(plain)[:2] == ["$type", "$version"]
        assert (plain["$type"], plain["$version"]) == (doc.name, doc.version)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_repr_and_str_never_show_a_sensitive_field(cls: type, data: st.DataObject) -> None:
    value = draw(data, cls)
    # Canaries: the value rebuilt with every sensitive text replaced by a marker that nothing
    # else can produce, so any marker in repr is a leak.
    marked_tree, canaries = with_canaries(value, json.loads(careroles.dumps(value)))
    try:
        marked: Any = careroles.loads(json.dumps(marked_tree), cls)
    except careroles.ValidationError:  # a rule on a sensitive text's content
        marked = value
        canaries = frozenset()
    shown = repr(marked) + str(marked)
    assert not [c for c in canaries if c in shown]
    # The drawn texts themselves (length >= 4), unless they occur in the repr of the marked
    # value too, where they cannot come from a sensitive field (e.g. the text "patient").
    innocent = repr(marked) + str(marked)
    leaked = [
        s for s in sensitive_texts(value) if s in repr(value) + str(value) and s not in innocent
    ]
    assert not leaked


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_from_type_draws_every_registered_type(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    assert type(value) is cls


def test_every_public_data_class_has_a_strategy() -> None:
    missing = [
        name
        for name in careroles.__all__
        if isinstance(obj := getattr(careroles, name), type)
        and attrs.has(obj)
        and obj not in NOT_DATA
        and obj not in STRATEGIES
    ]
    assert missing == [], f"add a strategy to careroles.strategies.STRATEGIES for {missing}"


def test_every_aggregate_root_has_a_strategy_and_a_unique_document_name() -> None:
    assert [t.__name__ for t in ROOTS if t not in STRATEGIES] == []
    names = [d.name for d in DOCUMENTS.values()]
    assert len(names) == len(set(names))
    for doc in DOCUMENTS.values():
        assert doc.parse_version(doc.version) == (doc.major, doc.minor)


def test_the_exclusions_are_still_public_classes() -> None:
    exported = {id(getattr(careroles, n)) for n in careroles.__all__}
    assert all(id(cls) in exported for cls in NOT_DATA)
    assert not NOT_DATA & set(STRATEGIES)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
def test_every_type_refuses_an_empty_object_with_a_validation_error(cls: type) -> None:
    text = "{}"
    required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
    if not required and cls not in DOCUMENTS:
        # every field has a default: the defaults may or may not satisfy the class's rules
        try:
            loaded: Any = careroles.loads(text, cls)
        except careroles.ValidationError as exc:
            messages = exc.messages
        else:
            messages = []
            assert type(loaded) is cls
        assert not [m for m in messages if "required field missing" in m]
        return
    with pytest.raises(careroles.ValidationError) as info:
        careroles.loads(text, cls)
    if cls in DOCUMENTS:
        assert "expected document type" in info.value.messages[0]
    else:
        expected = {f"required field missing @ $.{name}" for name in required}
        assert expected <= set(info.value.messages)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("text", ["[]", '"x"', "1", "null", "true", "not json"])
def test_every_type_refuses_a_non_object_with_a_validation_error(cls: type, text: str) -> None:
    with pytest.raises(careroles.ValidationError) as info:
        careroles.loads(text, cls)
    assert len(info.value.messages) == 1
    assert info.value.messages[0].endswith(" @ $")


def test_strategies_can_be_imported_before_hypothesis() -> None:
    # Hypothesis runs careroles' entry-point hook while it is imported; when careroles.strategies
    # is what imports it, the hook must wait for the module instead of failing.
    code = (
        "import warnings\n"
        "from careroles.strategies import STRATEGIES\n"
        "from hypothesis import strategies as st\n"
        "import careroles\n"
        "warnings.simplefilter('ignore')\n"
        "assert type(st.from_type(careroles.Actor).example()) is careroles.Actor\n"
        "assert careroles.Patient in STRATEGIES\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
