"""Write the comparison models (plain attrs, pydantic v2, msgspec) from the careroles classes.

The benchmark compares *the same record* in several libraries.  Writing those models by hand
would drift from careroles as it grows, so they are generated from the careroles classes
reachable from :class:`bench.workload.Record` and committed as readable source files:

* ``bench/models_enums.py``: copies of every enum (same member names and values), so that the
  generated modules import neither careroles nor each other's libraries;
* ``bench/models_attrs.py``: a *plain* attrs + cattrs + pendulum model, the straightforward
  way to write it (cattrs' preconfigured json converter, ``pendulum.parse``); it is the
  baseline of the cold-start target;
* ``bench/models_pydantic.py``: pydantic v2 ``BaseModel`` classes, frozen, strict, extra keys
  forbidden;
* ``bench/models_msgspec.py``: ``msgspec.Struct`` classes, frozen, unknown fields forbidden.

Every field of every class is generated with the same name and the closest type the library
has.  Differences (documented in bench/RESULTS.md): pydantic and msgspec keep date-times as
stdlib ``datetime`` with a fixed UTC offset (neither keeps an IANA zone name), and none of the
three runs careroles' cross-field rules (``_rules``); they check types only.

``python -m bench`` regenerates the files (rewriting only those whose text changed), so the
models always follow the careroles classes of the checkout being measured.
"""

from __future__ import annotations

import decimal
import enum
import json
import keyword
import pathlib
import types
import typing
from collections.abc import Iterator
from typing import Any

import attrs
import pendulum

__all__ = ["generate", "main"]

HERE = pathlib.Path(__file__).parent

Key = tuple[type, tuple[Any, ...]]


# --- walking the careroles type graph --------------------------------------------------------


class _Graph:
    """Every model class (with generic arguments) and enum reachable from a root, in order."""

    def __init__(self) -> None:
        self.models: dict[Key, str] = {}  # insertion order = dependencies first
        self.fields: dict[Key, list[tuple[str, Any]]] = {}
        self.enums: dict[type[enum.Enum], str] = {}
        self._taken: set[str] = set()

    def _name(self, base: str) -> str:
        name, n = base, 2
        while name in self._taken:
            name, n = f"{base}{n}", n + 1
        self._taken.add(name)
        return name

    def add(self, tp: Any) -> None:
        for t in _leaves(tp):
            if isinstance(t, type) and issubclass(t, enum.Enum):
                if t not in self.enums:
                    self.enums[t] = self._name(t.__name__)
            elif _model_key(t) is not None:
                self._add_model(_model_key(t))  # type: ignore[arg-type]

    def _add_model(self, key: Key) -> None:
        if key in self.models or key in self.fields:
            return
        cls, args = key
        params = getattr(cls, "__parameters__", ())
        subst = dict(zip(params, args, strict=True)) if args else {}
        hints = typing.get_type_hints(cls)
        fields = [(f.name, _substitute(hints[f.name], subst)) for f in attrs.fields(cls)]
        self.fields[key] = fields  # mark as in progress (no cycles in careroles)
        for _, tp in fields:
            self.add(tp)
        suffix = "".join(getattr(a, "__name__", "") for a in args)
        self.models[key] = self._name(cls.__name__ + suffix)


def _model_key(tp: Any) -> Key | None:
    origin = typing.get_origin(tp)
    if origin is not None and isinstance(origin, type) and attrs.has(origin):
        return origin, typing.get_args(tp)
    if isinstance(tp, type) and attrs.has(tp):
        return tp, ()
    return None


def _leaves(tp: Any) -> Iterator[Any]:
    origin = typing.get_origin(tp)
    if origin in (tuple, frozenset, typing.Union, types.UnionType):
        for a in typing.get_args(tp):
            if a is not Ellipsis:
                yield from _leaves(a)
    else:
        yield tp
        if _model_key(tp) is not None:
            yield from (a for a in typing.get_args(tp) if isinstance(a, type))


def _substitute(tp: Any, subst: dict[Any, Any]) -> Any:
    if isinstance(tp, typing.TypeVar):
        return subst.get(tp, tp)
    origin = typing.get_origin(tp)
    if origin is None or not subst:
        return tp
    args = tuple(_substitute(a, subst) for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return typing.Union[args]  # noqa: UP007 - built from a tuple
    return origin[args]


# --- rendering types --------------------------------------------------------------------------

_SCALARS: dict[str, dict[Any, str]] = {
    "attrs": {
        pendulum.DateTime: "pendulum.DateTime",
        pendulum.Date: "pendulum.Date",
        pendulum.Time: "pendulum.Time",
        pendulum.Duration: "pendulum.Duration",
    },
    "pydantic": {
        pendulum.DateTime: "AwareDatetime",
        pendulum.Date: "datetime.date",
        pendulum.Time: "datetime.time",
        pendulum.Duration: "datetime.timedelta",
    },
    "msgspec": {
        pendulum.DateTime: "AwareDatetime",
        pendulum.Date: "datetime.date",
        pendulum.Time: "datetime.time",
        pendulum.Duration: "datetime.timedelta",
    },
}
_PLAIN = {str: "str", int: "int", bool: "bool", float: "float", decimal.Decimal: "Decimal"}


def _render(tp: Any, graph: _Graph, lib: str) -> str:
    if tp in _PLAIN:
        return _PLAIN[tp]
    if tp in _SCALARS[lib]:
        return _SCALARS[lib][tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return graph.enums[tp]
    key = _model_key(tp)
    if key is not None:
        return graph.models[key]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is tuple:
        return f"tuple[{_render(args[0], graph, lib)}, ...]"
    if origin is frozenset:
        return f"frozenset[{_render(args[0], graph, lib)}]"
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_render(a, graph, lib) for a in args)
    if tp is type(None):
        return "None"
    raise TypeError(f"no {lib} rendering for {tp!r}")


def _field_name(name: str) -> str:
    return f"{name}_" if keyword.iskeyword(name) else name


# --- the modules ------------------------------------------------------------------------------

_HEADER = '"""GENERATED by ``python -m bench.codegen`` from the careroles classes: do not edit.'


def _enums_module(graph: _Graph) -> str:
    lines = [
        _HEADER,
        "",
        "Copies of the careroles enums (same members and values) for the comparison models.",
        '"""',
        "",
        "import enum",
        "",
    ]
    for cls, name in graph.enums.items():
        lines += ["", f"class {name}(enum.StrEnum):"]
        for member in cls:
            lines.append(f"    {member.name} = {json.dumps(member.value)}")
        lines.append("")
    lines += ["", "__all__ = [", *(f'    "{n}",' for n in sorted(graph.enums.values())), "]"]
    return "\n".join(lines) + "\n"


def _import_enums(graph: _Graph) -> list[str]:
    names = sorted(graph.enums.values())
    return ["from bench.models_enums import (", *(f"    {n}," for n in names), ")"]


def _class_lines(graph: _Graph, lib: str, head: str) -> list[str]:
    lines: list[str] = []
    for key, name in graph.models.items():
        lines += ["", "", head.format(name=name)]
        fields = graph.fields[key]
        if not fields:
            lines.append("    pass")
        for fname, tp in fields:
            lines.append(f"    {_field_name(fname)}: {_render(tp, graph, lib)}")
    return lines


def _attrs_module(graph: _Graph) -> str:
    lines = [
        _HEADER,
        "",
        "A plain attrs + cattrs + pendulum model of the benchmark record: the straightforward",
        "implementation (cattrs' preconfigured json converter, pendulum.parse), the",
        "baseline of the cold-start target.  It reads careroles' JSON without the document",
        'envelope keys ("$type", "$version").',
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from decimal import Decimal",
        "from typing import Any",
        "",
        "import attrs",
        "import pendulum",
        "from cattrs.preconf.json import make_converter",
        "",
        *_import_enums(graph),
    ]
    lines += _class_lines(graph, "attrs", "@attrs.frozen(kw_only=True)\nclass {name}:")
    lines += [
        "",
        "",
        "def _parse_datetime(value: Any, _: Any) -> pendulum.DateTime:",
        '    text, _, zone = value.partition("[")',
        "    parsed = pendulum.parse(text)",
        "    return parsed.in_timezone(zone[:-1]) if zone else parsed",
        "",
        "",
        "def _format_datetime(value: pendulum.DateTime) -> str:",
        "    name = value.timezone_name",
        '    return f"{value.isoformat()}[{name}]" if name and "/" in name else value.isoformat()',
        "",
        "",
        "converter = make_converter(forbid_extra_keys=True)",
        "converter.register_structure_hook(pendulum.DateTime, _parse_datetime)",
        "converter.register_unstructure_hook(pendulum.DateTime, _format_datetime)",
        "converter.register_structure_hook(pendulum.Date, lambda v, _: pendulum.parse(v).date())",
        "converter.register_unstructure_hook(pendulum.Date, lambda v: v.isoformat())",
        "converter.register_structure_hook(pendulum.Time, lambda v, _: pendulum.parse(v).time())",
        "converter.register_unstructure_hook(pendulum.Time, lambda v: v.isoformat())",
        "converter.register_structure_hook(pendulum.Duration, lambda v, _: pendulum.parse(v))",
        "converter.register_unstructure_hook(pendulum.Duration, lambda v: v.in_words())",
        "converter.register_structure_hook(Decimal, lambda v, _: Decimal(v))",
        "converter.register_unstructure_hook(Decimal, str)",
        "",
        "",
        "def loads(text: str | bytes) -> Record:",
        "    return converter.loads(text, Record)",
        "",
        "",
        "def dumps(value: Record) -> str:",
        "    return converter.dumps(value)",
    ]
    return "\n".join(lines) + "\n"


def _pydantic_module(graph: _Graph) -> str:
    lines = [
        _HEADER,
        "",
        "The benchmark record in pydantic v2: frozen, strict (no coercion), extra keys forbidden.",
        "Date-times are ``AwareDatetime`` with a fixed offset (pydantic keeps no zone name).",
        '"""',
        "",
        "import datetime",
        "from decimal import Decimal",
        "",
        "from pydantic import AwareDatetime, BaseModel, ConfigDict",
        "",
        *_import_enums(graph),
        "",
        "",
        "class _Base(BaseModel):",
        '    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)',
    ]
    lines += _class_lines(graph, "pydantic", "class {name}(_Base):")
    lines += [
        "",
        "",
        "def loads(text: str | bytes) -> Record:",
        "    return Record.model_validate_json(text)",
        "",
        "",
        "def dumps(value: Record) -> bytes:",
        "    return value.__pydantic_serializer__.to_json(value)",
    ]
    return "\n".join(lines) + "\n"


def _msgspec_module(graph: _Graph) -> str:
    lines = [
        _HEADER,
        "",
        "The benchmark record in msgspec: frozen structs, unknown fields forbidden, aware",
        "date-times required (a fixed offset: msgspec keeps no zone name).",
        '"""',
        "",
        "import datetime",
        "from decimal import Decimal",
        "from typing import Annotated",
        "",
        "import msgspec",
        "",
        *_import_enums(graph),
        "",
        "AwareDatetime = Annotated[datetime.datetime, msgspec.Meta(tz=True)]",
        "",
        "",
        "class _Base(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):",
        "    pass",
    ]
    lines += _class_lines(graph, "msgspec", "class {name}(_Base, frozen=True):")
    lines += [
        "",
        "",
        "_decoder = msgspec.json.Decoder(Record)",
        "_encoder = msgspec.json.Encoder()",
        "",
        "",
        "def loads(text: str | bytes) -> Record:",
        "    return _decoder.decode(text)",
        "",
        "",
        "def dumps(value: Record) -> bytes:",
        "    return _encoder.encode(value)",
    ]
    return "\n".join(lines) + "\n"


def generate(root: type) -> dict[str, str]:
    """The generated modules' text by file name, for the model graph under `root`."""
    graph = _Graph()
    graph.add(root)
    if graph.models.get((root, ())) != "Record":
        raise ValueError("the root class must be named Record")
    return {
        "models_enums.py": _enums_module(graph),
        "models_attrs.py": _attrs_module(graph),
        "models_pydantic.py": _pydantic_module(graph),
        "models_msgspec.py": _msgspec_module(graph),
    }


def main() -> list[str]:
    """Write the generated modules next to this file; return the names that changed."""
    from bench.workload import Record

    changed = []
    for name, text in generate(Record).items():
        path = HERE / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            changed.append(name)
    return changed


if __name__ == "__main__":
    print("rewrote:", ", ".join(main()) or "nothing")
