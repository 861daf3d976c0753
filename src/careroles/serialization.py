"""JSON serialization: one configured cattrs converter and the document envelope.

* Strict: nothing is coerced and unknown keys are refused (see :mod:`careroles._wire`).
* Aggregate roots travel as *documents*: their JSON object carries ``"$type"`` and
  ``"$version"`` (``"MAJOR.MINOR"``).  Older documents are upgraded by registered migrations;
  a newer major version is refused; a newer minor version is refused in strict mode and read in
  lenient mode, which reports every key it ignored.
* Every failure is a :class:`~careroles.errors.ValidationError` listing each problem with its
  JSON path, never a cattrs exception, never the offending value.

The domain modules never import this one; it sits on top of them.
"""

from __future__ import annotations

import decimal
import enum
import functools
import json
import operator
import re
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
    StructureHandlerNotFoundError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from careroles import _model, _wire
from careroles._documents import DOCUMENTS, DocumentType, migrate
from careroles.errors import Path, Problem, ValidationError

__all__ = [
    "Loaded",
    "converter",
    "dumps",
    "loads",
    "loads_lenient",
    "make_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")

TYPE_KEY: Final = "$type"
VERSION_KEY: Final = "$version"


def _origin(tp: Any) -> Any:
    return typing.get_origin(tp) or tp


def _is_attrs(tp: Any) -> bool:
    return isinstance(_origin(tp), type) and attrs.has(_origin(tp))


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _is_seq(tp: Any) -> bool:
    return typing.get_origin(tp) in (tuple, frozenset)


def _is_optional(tp: Any) -> bool:
    """``X | None`` for a single type X."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return False
    args = typing.get_args(tp)
    if len(args) != 2 or type(None) not in args:
        return False
    inner = _optional_inner(tp)
    return not isinstance(inner, TypeVar | str | typing.ForwardRef)


def _optional_inner(tp: Any) -> Any:
    return next(a for a in typing.get_args(tp) if a is not type(None))


def _structure_optional_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs' own optional hook looks the inner hook up on every call; this one, once
    inner_type = _optional_inner(tp)
    inner = conv.get_structure_hook(inner_type)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure_optional


def _structure_seq_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    kind = typing.get_origin(tp)
    item_type = typing.get_args(tp)[0]
    item = conv.get_structure_hook(item_type)

    def structure_seq(value: Any, _: Any) -> Any:
        if type(value) is not list:
            raise ValidationError.single((), f"expected a list, got {_wire._got(value)}", "type")
        out = []
        problems: list[Problem] = []
        for i, v in enumerate(value):
            try:
                out.append(item(v, item_type))
            except Exception as exc:  # every failure becomes problems with this index
                problems.extend(_problems(exc, (i,)))
        if problems:
            raise ValidationError(problems)
        return tuple(out) if kind is tuple else frozenset(out)

    return structure_seq


def _unstructure_seq_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
    args = typing.get_args(tp)
    item = conv.get_unstructure_hook(args[0]) if args else conv.unstructure
    if typing.get_origin(tp) is frozenset:
        # sets travel as sorted lists so that equal values give equal text
        def unstructure_set(value: Any) -> list[Any]:
            return sorted((item(v) for v in value), key=_sort_key)

        return unstructure_set

    def unstructure_tuple(value: Any) -> list[Any]:
        return [item(v) for v in value]

    return unstructure_tuple


def _sort_key(v: Any) -> str:
    return json.dumps(v, sort_keys=True)


def _lazy(build: Callable[[], Callable[[Any, Any], Any]]) -> Callable[[Any, Any], Any]:
    """A structure function built on its first call: cattrs' detailed functions are needed
    only for input the straight path refuses, and compiling one per class is most of the
    cost of a process's first load."""
    built: list[Callable[[Any, Any], Any]] = []

    def structure_detailed(value: Any, cl: Any) -> Any:
        if not built:
            built.append(build())
        return built[0](value, cl)

    return structure_detailed


def _structure_attrs_factory(
    cls: Any, conv: cattrs.Converter, *, lenient: bool, straight: bool
) -> Callable[[Any, Any], Any]:
    detailed = _lazy(
        lambda: make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=not lenient)
    )
    doc = DOCUMENTS.get(_origin(cls))

    def structure_record(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise ValidationError.single(
                (), f"expected an object, got {_wire._got(value)}", "type"
            )
        if doc is not None:
            value = _open_document(value, doc, lenient=lenient)
        return detailed(value, cls)

    if not straight:
        return structure_record
    # the straight path reads valid input (and a document of the current version) itself,
    # and hands anything else to structure_record
    structure = _straight_structure_fn(cls, conv, structure_record, doc) or structure_record
    names = None if doc is not None else _text_fields(cls)
    if not names:
        return structure
    return _interning(structure, names)


# --- fast paths for valid, complete objects --------------------------------------------------


def _resolved_fields(cls: Any) -> list[tuple[str, Any]] | None:
    """(name, type) of every field of `cls` with type variables substituted, or None when
    the class has a field the straight path does not handle (not in __init__, an alias)."""
    origin = _origin(cls)
    fields = attrs.fields(origin)
    if any(not f.init or f.alias != f.name for f in fields):
        return None
    try:
        hints = _model.field_types(origin)
    except Exception:
        return None
    params = getattr(origin, "__parameters__", ())
    args = typing.get_args(cls)
    subst = dict(zip(params, args, strict=True)) if len(args) == len(params) else {}
    out = []
    for f in fields:
        tp = _substitute(hints[f.name], subst)
        if tp is None:
            return None
        out.append((f.name, tp))
    return out


def _substitute(tp: Any, subst: dict[Any, Any]) -> Any:
    """`tp` with type variables replaced; None if one is left unresolved."""
    if isinstance(tp, TypeVar):
        return subst.get(tp)
    args = typing.get_args(tp)
    if not args or not subst:
        return None if any(isinstance(a, TypeVar) for a in args) else tp
    new = tuple(_substitute(a, subst) if a is not Ellipsis else a for a in args)
    if any(a is None for a in new):
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[new]  # noqa: UP007 - built from a tuple
    return origin[new]


def _settable(cls: Any) -> bool:
    """Whether an instance of `cls` may be built by setting its fields (see _model.passes)."""
    if not (isinstance(cls, type) and issubclass(cls, _model.Record) and attrs.has(cls)):
        return False
    return all(
        f.validator is None
        and (f.converter is None or f.converter in _model.IDENTITY_ON_CHECKED)
        and _slot_setter(cls, f.name) is not None
        for f in attrs.fields(cls)
    )


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None] | None:
    """The setter of slot `name` (a frozen class's own ``__setattr__`` refuses), or None."""
    for klass in cls.__mro__:
        slot = vars(klass).get(name)
        if isinstance(slot, types.MemberDescriptorType):
            return slot.__set__
    return None


#: Field types whose structure hooks return only values of exactly the annotated type (what
#: _model's field checks would accept), so that those checks need not run again.
_HOOK_CHECKED: Final = frozenset(
    {str, bool, int, decimal.Decimal}
    | {pendulum.DateTime, pendulum.Date, pendulum.Time, pendulum.Duration}
)


def _checked_by_hook(tp: Any) -> bool:
    if tp in _HOOK_CHECKED or _is_enum(tp) or _is_attrs(tp):
        return True
    if _is_optional(tp):
        return _checked_by_hook(_optional_inner(tp))
    args = typing.get_args(tp)
    if typing.get_origin(tp) is frozenset or args[1:] == (Ellipsis,):
        return _checked_by_hook(args[0])
    return False


def _straight_structure_fn(
    cls: Any,
    conv: cattrs.Converter,
    otherwise: Callable[[Any, Any], Any],
    doc: DocumentType | None,
) -> Callable[[Any, Any], Any] | None:
    """A straight-line structure function for the common case: an object with exactly the
    class's keys (and a document's current type and version) whose values are all valid.
    Anything else goes to `otherwise` (cattrs' detailed-validation function behind the
    document checks), which fails the same way and reports every problem with its path: the
    errors are exactly the detailed ones."""
    fields = _resolved_fields(cls)
    if fields is None:
        return None
    origin = _origin(cls)
    env: dict[str, Any] = {"_cl": origin, "_otherwise": otherwise}
    admit = f"type(o) is dict and len(o) == {len(fields)}"
    if doc is not None:
        env["_type"], env["_version"] = doc.name, doc.version
        admit = (
            f"type(o) is dict and len(o) == {len(fields) + 2} and "
            f"o.get({VERSION_KEY!r}) == _version and o.get({TYPE_KEY!r}) == _type"
        )
    values = [(name, _inline(tp, "v", conv, env)) for name, tp in fields]
    if _settable(origin):
        # set the checked values directly, then run what else the class checks as a
        # predicate: the converters in __init__ would only turn these values into themselves
        env["_new"] = object.__new__
        check = _model.passes(origin, typed=all(_checked_by_hook(tp) for _, tp in fields))
        env["_passes"] = check
        build = ["            self = _new(_cl)"]
        for i, (name, expr) in enumerate(values):
            env[f"_s{i}"] = _slot_setter(origin, name)
            build.append(f"            v = o[{name!r}]")
            build.append(f"            _s{i}(self, {expr})")
        build += ["        except Exception:", "            pass", "        else:"]
        if check is None:
            build += ["            return self"]
        else:
            build += ["            if _passes(self):", "                return self"]
    else:
        build = []
        for i, (name, expr) in enumerate(values):
            build.append(f"            v = o[{name!r}]")
            build.append(f"            a{i} = {expr}")
        args = ", ".join(f"{name}=a{i}" for i, (name, _) in enumerate(values))
        build += [
            f"            return _cl({args})",
            "        except Exception:",
            "            pass",
        ]
    source = "\n".join(
        [
            "def structure_straight(o, _):",
            # with every field read by name below, the length rules out any other key
            f"    if {admit}:",
            "        try:",
            *build,
            "    return _otherwise(o, _)",
        ]
    )
    exec(source, env)  # the source is built above from field names and hooks only
    return typing.cast("Callable[[Any, Any], Any]", env["structure_straight"])


def _inline(tp: Any, var: str, conv: cattrs.Converter, env: dict[str, Any]) -> str:
    """An expression giving the structured value of `var` as `tp`'s hook would, which may
    raise anything on input the hook would refuse (the straight path then falls back).

    The common shapes are written out, without a call per value; anything else, and every
    value the written-out test does not admit, goes to the hook itself."""
    n = len(env)
    env[f"_h{n}"] = conv.get_structure_hook(tp)
    env[f"_t{n}"] = tp
    hook = f"_h{n}({var}, _t{n})"
    origin = typing.get_origin(tp)
    if tp is str:
        return f"({var} if type({var}) is str and {var}.isascii() else {hook})"
    if tp is bool:
        return f"({var} if type({var}) is bool else {hook})"
    if tp is int:
        in_range = f"{_model.INT_MIN} <= {var} <= {_model.INT_MAX}"
        return f"({var} if type({var}) is int and {in_range} else {hook})"
    if tp is pendulum.DateTime and env[f"_h{n}"] is _structure_datetime:
        env["_datetimes"] = _DATETIMES  # read already in this call: no call at all
        return f"(_datetimes.get({var}) or {hook})"
    if isinstance(tp, type) and issubclass(tp, enum.StrEnum):
        env[f"_m{n}"] = _wire.enum_members(tp)
        return f"(_m{n}[{var}] if type({var}) is str else {hook})"
    if _is_optional(tp):
        inner = _inline(_optional_inner(tp), var, conv, env)
        return f"(None if {var} is None else {inner})"
    if origin in (tuple, frozenset) and typing.get_args(tp)[1:] in ((), (Ellipsis,)):
        item = f"{var}_"
        inner = _inline(typing.get_args(tp)[0], item, conv, env)
        kind = origin.__name__
        return f"({kind}([{inner} for {item} in {var}]) if type({var}) is list else {hook})"
    return hook


#: Caches of the small all-text records read in the current call (see _interning), and of
#: the date-times read in it (see _structure_datetime).
_INTERNED: Final[list[dict[Any, Any]]] = []
_TEXT_OR_NULL: Final = frozenset({str, type(None)})


def _text_fields(cls: Any) -> tuple[str, ...] | None:
    """The field names of a record whose fields are all text or text enums (or None)."""
    fields = _resolved_fields(cls)
    if not fields:
        return None
    for _, tp in fields:
        if _is_optional(tp):
            tp = _optional_inner(tp)
        if not (tp is str or (isinstance(tp, type) and issubclass(tp, enum.StrEnum))):
            return None
    return tuple(name for name, _ in fields)


def _interning(
    structure: Callable[[Any, Any], Any], names: tuple[str, ...]
) -> Callable[[Any, Any], Any]:
    """Read each distinct small all-text record once per call: an actor appears in hundreds
    of history entries of one record.  The cache is keyed by the exact strings (no other
    type is ever looked up), holds only records that loaded without error, and is emptied
    at the start of every top-level call, so a result never outlives the call that read it
    and a value is equal to what structuring it again would give."""
    cache: dict[tuple[Any, ...], Any] = {}
    _INTERNED.append(cache)
    get = operator.itemgetter(*names)
    count = len(names)

    def structure_interned(value: Any, cl: Any) -> Any:
        key = None
        if type(value) is dict and len(value) == count:
            try:
                got = get(value)
            except KeyError:
                got = None
            if got is not None:
                key = got if count > 1 else (got,)
                if not _TEXT_OR_NULL.issuperset(map(type, key)):
                    key = None
                elif (hit := cache.get(key)) is not None:
                    return hit
        result = structure(value, cl)
        if key is not None and len(cache) < 4096:
            cache[key] = result
        return result

    return structure_interned


_DATETIMES: Final[dict[str, pendulum.DateTime]] = {}
_INTERNED.append(_DATETIMES)


def _structure_datetime(value: Any, _: Any) -> pendulum.DateTime:
    """Read each distinct date-time text once per call: records repeat their instants (an
    action's time in the history and in the change that made it).  Keyed by the exact
    string; a DateTime is immutable, so sharing one is sharing an equal value."""
    if type(value) is str:
        hit = _DATETIMES.get(value)
        if hit is None:
            hit = _wire.parse_datetime(value)
            if len(_DATETIMES) < 16384:
                _DATETIMES[value] = hit
        return hit
    return _wire.parse_datetime(value)


def _open_document(value: dict[str, Any], doc: DocumentType, *, lenient: bool) -> dict[str, Any]:
    problems = []
    if value.get(TYPE_KEY) != doc.name:
        problems.append(
            Problem((TYPE_KEY,), f"expected document type {doc.name!r}", "document_type")
        )
    version = value.get(VERSION_KEY)
    parsed = doc.parse_version(version)
    if parsed is None:
        problems.append(
            Problem((VERSION_KEY,), 'expected a version such as "1.0"', "document_version")
        )
    if problems:
        raise ValidationError(problems)
    assert parsed is not None
    major, minor = parsed
    if major > doc.major or (major == doc.major and minor > doc.minor and not lenient):
        raise ValidationError.single(
            (VERSION_KEY,),
            f"document version {major}.{minor} is newer than this careroles reads "
            f"({doc.version}); upgrade careroles"
            + ("" if major > doc.major else " or load it with loads_lenient"),
            "document_too_new",
        )
    body = value.copy()  # both envelope keys are present: they were checked above
    del body[TYPE_KEY], body[VERSION_KEY]
    if (major, minor) < (doc.major, doc.minor):
        body = migrate(doc, major, minor, body)
    return body


def _unstructure_attrs_factory(cls: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
    inner = make_dict_unstructure_fn(cls, conv)
    doc = DOCUMENTS.get(_origin(cls))
    if doc is None:
        return inner

    def unstructure_document(value: Any) -> dict[str, Any]:
        return {TYPE_KEY: doc.name, VERSION_KEY: doc.version, **inner(value)}

    return unstructure_document


def _enum_value(member: enum.Enum) -> Any:
    return member._value_  # what .value returns, without the descriptor's cost


def make_converter(*, lenient: bool = False) -> cattrs.Converter:
    """Build a careroles converter.  Use the module's :data:`converter`; build one only for
    a different mode (never ``copy()`` a converter: it drops union hooks)."""
    return _build_converter(lenient=lenient, straight=True)


def _build_converter(*, lenient: bool, straight: bool) -> cattrs.Converter:
    """`straight`: with the fast paths; without them only the detailed functions read, for
    checking that both read alike (tests/test_serialization_fast_paths.py, bench/fuzz.py)."""
    conv = cattrs.Converter(forbid_extra_keys=not lenient, detailed_validation=True)
    # simplest types first: later factories look these up
    conv.register_structure_hook(str, _wire.structure_str)
    conv.register_structure_hook(int, _wire.structure_int)
    conv.register_structure_hook(bool, _wire.structure_bool)
    conv.register_structure_hook(float, _wire.structure_float)
    conv.register_structure_hook(decimal.Decimal, _wire.structure_decimal)
    conv.register_unstructure_hook(decimal.Decimal, _wire.unstructure_decimal)
    conv.register_structure_hook_func(_is_enum, _wire.structure_enum)
    for base in (enum.StrEnum, enum.IntEnum):  # straight to the enum hook, not via str / int
        conv.register_structure_hook(base, _wire.structure_enum)
    conv.register_unstructure_hook_func(_is_enum, _enum_value)
    for base in (enum.StrEnum, enum.IntEnum):  # else the str / int identity hook wins
        conv.register_unstructure_hook(base, _enum_value)
    conv.register_structure_hook(
        pendulum.DateTime, _structure_datetime if straight else _wire.parse_datetime
    )
    conv.register_unstructure_hook(pendulum.DateTime, _wire.format_datetime)
    conv.register_structure_hook(pendulum.Date, _wire.structure_date)
    conv.register_unstructure_hook(pendulum.Date, lambda d: d.isoformat())
    conv.register_structure_hook(pendulum.Time, _wire.structure_time)
    conv.register_unstructure_hook(pendulum.Time, _wire.unstructure_time)
    conv.register_structure_hook(pendulum.Duration, _wire.parse_duration)
    conv.register_unstructure_hook(pendulum.Duration, _wire.format_duration)
    conv.register_structure_hook_factory(_is_optional, _structure_optional_factory)
    conv.register_structure_hook_factory(_is_seq, _structure_seq_factory)
    conv.register_unstructure_hook_factory(_is_seq, _unstructure_seq_factory)
    conv.register_structure_hook_factory(
        _is_attrs,
        functools.partial(_structure_attrs_factory, lenient=lenient, straight=straight),
    )
    conv.register_unstructure_hook_factory(_is_attrs, _unstructure_attrs_factory)
    return conv


#: The careroles converter: strict, unknown keys refused, detailed errors.
converter: Final = make_converter()
_lenient: Final = make_converter(lenient=True)


# --- errors as data ---------------------------------------------------------------------------


def _problems(exc: BaseException, prefix: Path) -> list[Problem]:
    """Flatten any exception raised while structuring into problems with full paths."""
    if isinstance(exc, ValidationError):
        return [p.prefixed(prefix) for p in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Problem(prefix, _unknown_keys(exc.extra_fields), "unknown_key")]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[Problem] = []
        for sub in exc.exceptions:
            out.extend(_problems(sub, prefix + _note_path(sub)))
        return out
    if isinstance(exc, KeyError) and _note_path(exc):
        return [Problem(prefix, "required field missing", "missing")]
    if isinstance(exc, StructureHandlerNotFoundError):
        message = "not a type careroles can load (give a generic its parameter)"
        return [Problem(prefix, message, "unsupported_type")]
    return [Problem(prefix, "invalid value", "invalid")]


#: What a key of a careroles schema looks like; other unknown keys are counted, not shown
#: (a writer that keys a mapping by names would otherwise put patient data in the message).
_SCHEMA_KEY: Final = re.compile(r"[$A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)


def _unknown_keys(keys: Iterable[str]) -> str:
    shown = sorted(k for k in keys if _SCHEMA_KEY.fullmatch(k))
    hidden = len(set(keys)) - len(shown)
    text = ", ".join(shown)
    if hidden:
        text += f"{' and ' if shown else ''}{hidden} not shown (not key names)"
    return f"unknown keys: {text}"


def _note_path(exc: BaseException) -> Path:
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return (note.name,)
        if isinstance(note, IterableValidationNote):
            return (note.index,)
    return ()


# --- the public functions ---------------------------------------------------------------------


def unstructure(obj: Any) -> Any:
    """The JSON-ready form of a careroles value (dicts, lists, strings, numbers)."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """Build a `cls` from its JSON-ready form, or raise :class:`ValidationError`."""
    return _structure(converter, data, cls)


def _structure(conv: cattrs.Converter, data: Any, cls: type[T]) -> T:
    _forget_reads()
    try:
        return conv.structure(data, cls)
    except Exception as exc:
        problems = _problems(exc, ())
        raise ValidationError(problems, subject=getattr(cls, "__name__", str(cls))) from None
    finally:
        _forget_reads()


def _forget_reads() -> None:
    """Empty the per-call caches (_interning, _structure_datetime): nothing read is kept."""
    for cache in _INTERNED:
        cache.clear()


def _dumps_text(data: Any) -> str:
    if _orjson is not None:
        return _orjson.dumps(data).decode()  # type: ignore[no-any-return]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def dumps(obj: Any) -> str:
    """Serialize a careroles value to JSON text."""
    return _dumps_text(unstructure(obj))


#: Maps every byte to "0" (a digit) or " ": a run of 19 digits is an integer orjson may not
#: keep exact (it reads integers beyond 64 bits as floats), so that text goes to json.
_DIGITS: Final = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))
_LONG_NUMBER: Final = b"0" * 19


def _parse_json(data: str | bytes, cls: type[Any]) -> Any:
    if _orjson is not None and (type(data) is str or type(data) is bytes):
        try:
            raw = data.encode() if isinstance(data, str) else data
        except UnicodeEncodeError:  # lone surrogates: json reads them, the hooks refuse them
            raw = b""
        if raw and raw.translate(_DIGITS).find(_LONG_NUMBER) < 0:
            try:
                return _orjson.loads(raw)
            except ValueError:  # json has the last word: it reads NaN, a BOM, UTF-16...
                pass
    try:
        return json.loads(data)
    except (ValueError, TypeError, RecursionError):
        raise ValidationError.single((), "not valid JSON text", "json") from None


def loads(data: str | bytes, cls: type[T]) -> T:
    """Load a `cls` from JSON text produced by :func:`dumps` (or a compatible writer)."""
    return _structure(converter, _parse_json(data, cls), cls)


@attrs.frozen
class Loaded(typing.Generic[T]):
    """What :func:`loads_lenient` read, and the JSON paths of the keys it ignored."""

    value: T
    ignored: tuple[str, ...]


def loads_lenient(data: str | bytes, cls: type[T]) -> Loaded[T]:
    """Like :func:`loads`, but accept a newer minor version's extra keys and report them."""
    raw = _parse_json(data, cls)
    value = _structure(_lenient, raw, cls)
    ignored = tuple(_extra_paths(raw, converter.unstructure(value), "$"))
    return Loaded(value, ignored)


def _extra_paths(raw: Any, known: Any, path: str) -> list[str]:
    if isinstance(raw, dict) and isinstance(known, dict):
        out = []
        for k, v in raw.items():
            if k == VERSION_KEY:
                continue
            if k not in known:
                out.append(f"{path}.{k}")
            else:
                out.extend(_extra_paths(v, known[k], f"{path}.{k}"))
        return out
    if isinstance(raw, list) and isinstance(known, list) and len(raw) == len(known):
        return [
            p
            for i, (r, k) in enumerate(zip(raw, known, strict=True))
            for p in _extra_paths(r, k, f"{path}[{i}]")
        ]
    return []


def _load_orjson() -> Any:
    try:
        import orjson
    except ImportError:
        return None
    return orjson


_orjson: Final = _load_orjson()
