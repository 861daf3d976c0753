"""The generated extension decoders read exactly what the general decoder reads.

Records without a FHIR home travel as nested extensions.  Each record class has a decoder
generated to read them in the order the encoder writes them; anything else goes to the general
decoder.  Here both read the same resources, as exported and then damaged: they must give the
same value, or the same problems.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

import careroles
from careroles.fhir import _common, from_fhir, supported_types, to_fhir
from careroles.strategies import STRATEGIES

TYPES = sorted(supported_types(), key=lambda t: t.__name__)


def _caches_clear() -> None:
    _common._one_decoder.cache_clear()
    _common._many_decoder.cache_clear()


def _general_only(resource: dict[str, Any]) -> Any:
    """What the general decoder alone reads from `resource`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_common, "_straight_record_decoder", lambda *args: None)
        _caches_clear()
        try:
            return _outcome(resource)
        finally:
            _caches_clear()


def _outcome(resource: dict[str, Any]) -> Any:
    try:
        imported = from_fhir(copy.deepcopy(resource))
    except careroles.ValidationError as exc:
        return [(p.path, p.code, p.message) for p in exc.problems]
    return (repr(imported.value), careroles.unstructure(imported.value), imported.not_carried)


def _extension_lists(node: Any) -> Iterator[list[Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "extension" and isinstance(value, list) and value:
                yield value
            yield from _extension_lists(value)
    elif isinstance(node, list):
        for item in node:
            yield from _extension_lists(item)


JUNK: list[Any] = [None, 1, True, "x", [], {}, {"url": "unknown"}, {"url": "x", "valueString": 7}]


def _damage(data: st.DataObject, resource: dict[str, Any]) -> dict[str, Any]:
    resource = copy.deepcopy(resource)
    lists = list(_extension_lists(resource))
    if not lists:
        reject()
    target = data.draw(st.sampled_from(lists), label="extension list")
    how = data.draw(st.sampled_from(["reverse", "drop", "repeat", "junk", "retype"]))
    i = data.draw(st.integers(0, len(target) - 1), label="index")
    if how == "reverse":
        target.reverse()
    elif how == "drop":
        del target[i]
    elif how == "repeat":
        target.insert(i, copy.deepcopy(target[i]))
    elif how == "junk":
        target.insert(i, data.draw(st.sampled_from(JUNK)))
    elif isinstance(target[i], dict):
        key = next((k for k in target[i] if k.startswith("value")), "url")
        target[i][key] = data.draw(st.sampled_from(JUNK))
    return resource


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_both_decoders_read_a_damaged_resource_alike(cls: type, data: st.DataObject) -> None:
    try:
        value = data.draw(STRATEGIES[cls]())
    except careroles.ValidationError:
        reject()
    resource = _damage(data, to_fhir(value, patient_id="p-1"))
    assert _outcome(resource) == _general_only(resource)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_both_decoders_read_an_exported_resource_alike(cls: type, data: st.DataObject) -> None:
    try:
        value = data.draw(STRATEGIES[cls]())
    except careroles.ValidationError:
        reject()
    resource = to_fhir(value, patient_id="p-1")
    assert _outcome(resource) == _general_only(resource)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key)
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield (*path, i)
            yield from _paths(item, (*path, i))


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: t.__name__)
@given(data=st.data())
def test_junk_anywhere_in_a_resource_is_refused_with_validation_errors_only(
    cls: type, data: st.DataObject
) -> None:
    try:
        value = data.draw(STRATEGIES[cls]())
    except careroles.ValidationError:
        reject()
    resource = to_fhir(value, patient_id="p-1")
    *parent, last = data.draw(st.sampled_from(sorted(_paths(resource), key=repr)), label="at")
    node: Any = resource
    for step in parent:
        node = node[step]
    node[last] = data.draw(st.sampled_from([*JUNK, 5, "x", [[]], {"a": {}}]), label="junk")
    _outcome(resource)  # a value or a ValidationError; anything else fails the test
