"""The serializer's fast paths read exactly what the plain paths read, and fail the same way.

``loads`` parses with orjson when it is installed and falls back to ``json`` for whatever
orjson refuses or might read differently (integers beyond 64 bits, NaN, lone surrogates, a
byte-order mark); enums go straight to the enum hook; ``X | None`` fields resolve their inner
hook once.  None of this may change a value or an error.
"""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles import Actor, Period, Role
from careroles.serialization import _parse_json
from careroles.strategies import STRATEGIES

NY = "America/New_York"


def _same(a: Any, b: Any) -> bool:
    """Equal with the same types all the way down (1 is not 1.0, NaN equals NaN)."""
    return repr(a) == repr(b)


TEXTS = [
    '{"a": 1, "a": 2}',
    '{"big": 123456789012345678901234567890}',
    '{"neg": -9223372036854775809}',
    "[9223372036854775807, 18446744073709551615]",
    "[NaN, Infinity, -Infinity, 1e400]",
    '["\\ud800", "\\udfff\\ud800"]',
    '"caf\\u00e9 \\ud83d\\ude00"',
    "[0.1, -0.0, 1E-7, 123.456e2]",
    " [ ] ",
    '{"nested": [[[{"x": null}]]]}',
]


@pytest.mark.parametrize("text", TEXTS)
def test_parsing_gives_what_json_gives(text: str) -> None:
    assert _same(_parse_json(text, object), json.loads(text))
    assert _same(_parse_json(text.encode(), object), json.loads(text.encode()))


def test_a_byte_order_mark_is_read_from_bytes_as_json_reads_it() -> None:
    assert _parse_json(b"\xef\xbb\xbf{}", object) == {}


@pytest.mark.parametrize("text", ["", "{", "[1,]", "\ufeff{}", "{}\x00", "nul", '"\x1f"'])
def test_invalid_json_text_is_one_validation_error_at_the_root(text: str) -> None:
    with pytest.raises(careroles.ValidationError) as info:
        _parse_json(text, object)
    assert [(p.path, p.code) for p in info.value.problems] == [((), "json")]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(value=json_values)
def test_any_json_value_reads_back_as_json_reads_it(value: Any) -> None:
    text = json.dumps(value)
    assert _same(_parse_json(text, object), json.loads(text))


def test_a_wrong_optional_date_time_names_its_field() -> None:
    start = careroles.dumps(pendulum.datetime(2026, 3, 9, 9, tz=NY))
    text = f'{{"start": {start}, "end": 5}}'
    with pytest.raises(careroles.ValidationError) as info:
        careroles.loads(text, Period)
    assert [(p.path, p.code) for p in info.value.problems] == [(("end",), "type")]


def test_an_absent_optional_value_loads_as_none() -> None:
    start = careroles.dumps(pendulum.datetime(2026, 3, 9, 9, tz=NY))
    assert careroles.loads(f'{{"start": {start}, "end": null}}', Period).end is None


@pytest.mark.parametrize("role", ['"surgeon"', "true", "1", '["patient"]', "null"])
def test_an_unknown_or_mistyped_enum_value_is_an_enum_problem_at_its_field(role: str) -> None:
    with pytest.raises(careroles.ValidationError) as info:
        careroles.loads(f'{{"member_id": "m-1", "role": {role}}}', Actor)
    assert [(p.path, p.code) for p in info.value.problems] == [(("role",), "enum")]


def test_an_enum_value_loads_as_its_member() -> None:
    actor = careroles.loads('{"member_id": "m-1", "role": "patient_advocate"}', Actor)
    assert actor.role is Role.PATIENT_ADVOCATE


def test_every_wrong_value_of_a_complete_object_is_reported() -> None:
    with pytest.raises(careroles.ValidationError) as info:
        careroles.loads('{"start": 5, "end": "soon"}', Period)
    assert sorted((p.path, p.code) for p in info.value.problems) == [
        (("end",), "datetime_format"),
        (("start",), "type"),
    ]


def test_a_repeated_actor_is_checked_each_time_it_is_not_the_same_text() -> None:
    good = {"member_id": "m-1", "role": "patient"}
    sneaky = {"member_id": "m-1", "role": Role.PATIENT}  # a member, not its JSON text
    with pytest.raises(careroles.ValidationError) as info:
        careroles.structure([good, good, sneaky], tuple[Actor, ...])
    assert [(p.path, p.code) for p in info.value.problems] == [((2, "role"), "enum")]
    first, second = careroles.structure([good, good], tuple[Actor, ...])
    assert first == second == Actor(member_id="m-1", role=Role.PATIENT)


JUNK_VALUES: list[Any] = [None, "", "x", 1, True, 1.5, [], {}, ["x"], {"x": 1}, "2026-13-01"]


@pytest.fixture(scope="module")
def plain_converter() -> Any:
    """A converter built without the fast paths: cattrs' detailed functions only."""
    from careroles import serialization

    return serialization._build_converter(lenient=False, straight=False)


def _problems_of(conv: Any, data: Any, cls: type) -> list[tuple[Any, str, str]]:
    from careroles.serialization import _structure

    try:
        _structure(conv, data, cls)
    except careroles.ValidationError as exc:
        return [(p.path, p.code, p.message) for p in exc.problems]
    return []


TYPES = sorted(STRATEGIES, key=lambda t: t.__name__)


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: getattr(t, "__name__", str(t)))
@given(data=st.data())
def test_the_fast_paths_report_what_the_detailed_functions_report(
    cls: type, data: Any, plain_converter: Any
) -> None:
    from careroles.serialization import converter

    obj = data.draw(STRATEGIES[cls]())
    doc = converter.unstructure(obj)
    if isinstance(doc, dict) and doc:
        key = data.draw(st.sampled_from(sorted(doc)))
        doc = {**doc, key: data.draw(st.sampled_from(JUNK_VALUES))}
    got = _problems_of(converter, doc, type(obj))
    assert got == _problems_of(plain_converter, doc, type(obj))


@pytest.mark.parametrize("cls", TYPES, ids=lambda t: getattr(t, "__name__", str(t)))
@given(data=st.data())
def test_the_fast_paths_build_what_the_detailed_functions_build(
    cls: type, data: Any, plain_converter: Any
) -> None:
    from careroles.serialization import _structure, converter

    obj = data.draw(STRATEGIES[cls]())
    doc = converter.unstructure(obj)
    fast = _structure(converter, doc, type(obj))
    plain = _structure(plain_converter, doc, type(obj))
    assert fast == plain == obj
    assert _same(fast, plain)


def test_a_date_time_read_twice_in_one_call_is_the_same_instant_both_times() -> None:
    # the repeated hour of a fall-back: the same wall clock twice, told apart by the offset
    first = "2026-11-01T01:30:00-04:00[America/New_York]"
    second = "2026-11-01T01:30:00-05:00[America/New_York]"
    read = careroles.structure([first, second, first, second], tuple[pendulum.DateTime, ...])
    assert [d.fold for d in read] == [0, 1, 0, 1]
    assert read[0] == read[2]
    assert read[1] == read[3]
    assert read[1].timestamp() - read[0].timestamp() == 3600
    assert [careroles.unstructure(d) for d in read] == [first, second, first, second]
