"""The machinery every careroles value is built with.

``@model`` makes a frozen, slotted, keyword-only attrs class whose instances check themselves
when built: every field against its annotation (time-zone-aware date-times included), then the
class's own cross-field rules.  All problems are collected and raised together as one
:class:`~careroles.errors.ValidationError`, so a caller sees everything wrong at once.

Fields holding patient data are declared with :func:`sensitive`: they are left out of
``repr()`` and their values never appear in error messages (no message here shows a value).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import functools
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, TypeVar

import attrs
import pendulum

from careroles.errors import Path, Problem, ValidationError

__all__ = ["Record", "evolve", "model", "sensitive", "to_datetime"]

_R = TypeVar("_R", bound="Record")

SENSITIVE: Final = "careroles.sensitive"

#: The integers careroles holds: those JSON writers and readers agree on (signed 64-bit).
INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1

_C = TypeVar("_C", bound=type)

Checker = Callable[[Any, Path], Iterator[Problem]]


def sensitive(**kwargs: Any) -> Any:
    """A field holding patient data: kept out of ``repr`` and of every message."""
    metadata = dict(kwargs.pop("metadata", {}) or {})
    metadata[SENSITIVE] = True
    return attrs.field(repr=False, metadata=metadata, **kwargs)


def is_sensitive(field: attrs.Attribute[Any]) -> bool:
    return bool(field.metadata.get(SENSITIVE))


class Record:
    """Base of careroles values: validates on construction, renders without patient data."""

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        cls = type(self)
        fits = _FITS.get(cls)
        if fits is None:
            fits = _FITS[cls] = _build_fits(cls)
        if fits(self):  # every field certainly has its type: only the class's rules remain
            if cls._rules is Record._rules:
                return
            problems = list(self._rules())
        else:
            problems = list(_check_fields(self))
            if not problems:
                problems.extend(self._rules())
        if problems:
            raise ValidationError(problems, subject=cls.__name__)

    def _rules(self) -> Iterable[Problem]:
        """Cross-field rules of the class; runs only when every field has the right type."""
        return ()

    def _repr_html_(self) -> str:
        """Jupyter's rich display: a summary without patient data (see careroles.notebook)."""
        from careroles.notebook import html_summary

        return html_summary(self)


@typing.dataclass_transform(
    kw_only_default=True, frozen_default=True, field_specifiers=(attrs.field, sensitive)
)
def model(cls: _C) -> _C:
    """Decorate a :class:`Record` subclass: frozen, slotted, keyword-only, self-validating."""
    return attrs.frozen(kw_only=True, field_transformer=_add_converters)(cls)


def evolve(obj: _R, **changes: Any) -> _R:
    """A copy of `obj` with `changes`, validated again (attrs.evolve, typed for @model)."""
    # mypy sees @model through dataclass_transform, not as an attrs class
    return attrs.evolve(obj, **changes)  # type: ignore[misc]


# --- converters added from annotations -------------------------------------------------------


def to_datetime(value: Any) -> Any:
    """Turn a stdlib aware ``datetime`` into a pendulum ``DateTime``; leave anything else.

    Idempotent and cheap (attrs re-runs converters on every ``evolve``).  Naive values are
    left alone so that the field check reports them with their path.
    """
    if type(value) is _dt.datetime and value.tzinfo is not None:
        return pendulum.instance(value, tz=value.tzinfo)
    return value


def _to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _to_frozenset(value: Any) -> Any:
    return frozenset(value) if isinstance(value, set | list | tuple) else value


@functools.cache
def _optional(conv: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return None if value is None else conv(value)

    return convert


#: The converters added above leave a value of the field's exact type as it is.
_ADDED: Final = (to_datetime, _to_tuple, _to_frozenset)
IDENTITY_ON_CHECKED: Final = frozenset((*_ADDED, *map(_optional, _ADDED)))


def _converter_for(tp: Any) -> Callable[[Any], Any] | None:
    origin = typing.get_origin(tp)
    if tp is pendulum.DateTime:
        return to_datetime
    if origin is tuple:
        return _to_tuple
    if origin is frozenset:
        return _to_frozenset
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and (conv := _converter_for(args[0])) is not None:
            return _optional(conv)
    return None


def _add_converters(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    out = []
    hints = _hints(cls, fields)
    for f in fields:
        conv = _converter_for(hints.get(f.name, f.type))
        if conv is not None and f.converter is None:
            f = f.evolve(converter=conv)
        out.append(f)
    return out


def _hints(cls: type, fields: list[attrs.Attribute[Any]]) -> dict[str, Any]:
    # the module's own namespace (no copy per class) and compiled annotations (the same few
    # strings recur in every module): class creation is most of `import careroles`
    namespace = vars(__import__(cls.__module__, fromlist=["_"]))
    local = {cls.__name__: cls}
    out: dict[str, Any] = {}
    for f in fields:
        tp = f.type
        if isinstance(tp, str):
            try:
                tp = eval(_compiled(tp), namespace, local)
            except NameError:
                tp = _shape_of(tp)
        out[f.name] = tp
    return out


@functools.lru_cache(maxsize=2048)
def _compiled(text: str) -> types.CodeType:
    return compile(text, "<annotation>", "eval")


def _shape_of(text: str) -> Any:
    """Enough of an unresolvable annotation (a forward reference) to pick its converter."""
    for prefix, shape in (("tuple[", tuple[Any, ...]), ("frozenset[", frozenset[Any])):
        if text.startswith(prefix):
            return shape
    return Any


def field_types(cls: type) -> dict[str, Any]:
    """The resolved annotation of every field of attrs class `cls`.

    ``attrs.resolve_types`` evaluates the annotation strings once per class and keeps the
    result on the fields (cattrs asks for it too): ``get_type_hints`` would compile every
    string again on each call.
    """
    return {f.name: f.type for f in attrs.fields(attrs.resolve_types(cls))}


# --- field checks derived from annotations ---------------------------------------------------

_CHECKERS: dict[type, tuple[tuple[str, Checker], ...]] = {}


def _check_fields(obj: Record) -> Iterator[Problem]:
    cls = type(obj)
    checkers = _CHECKERS.get(cls)
    if checkers is None:
        checkers = _CHECKERS[cls] = _build_checkers(cls)
    for name, check in checkers:
        yield from check(getattr(obj, name), (name,))


def _build_checkers(cls: type) -> tuple[tuple[str, Checker], ...]:
    hints = field_types(cls)
    return tuple((f.name, checker_for(hints[f.name])) for f in attrs.fields(cls))


# --- the fast path: one compiled predicate per class ------------------------------------------
#
# Checking every field with the checkers above costs a generator per field.  Most objects are
# valid, so each class also gets a predicate compiled from its annotations that answers "every
# field certainly passes" with plain type tests.  It is conservative: whenever it says False
# (a wrong value, or a shape it does not know), the checkers run and report the problems, so
# the messages and paths are exactly theirs.

_FITS: dict[type, Callable[[Any], bool]] = {}
_KNOWN_ZONES: Final = (pendulum.Timezone, pendulum.FixedTimezone)  # utcoffset() never None


def _is_utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _passes(check: Checker, value: Any) -> bool:
    return next(iter(check(value, ())), None) is None


def _fits_expr(tp: Any, var: str, env: dict[str, Any], depth: int) -> str:
    """A Python expression true only if `var` certainly passes ``checker_for(tp)``."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return "True"
    if tp is str:
        return f"(type({var}) is str and ({var}.isascii() or _is_utf8({var})))"
    if tp is int:
        return f"(type({var}) is int and {INT_MIN} <= {var} <= {INT_MAX})"
    if tp is bool:
        return f"type({var}) is bool"
    if tp is pendulum.DateTime:
        return f"(type({var}) is _DateTime and type({var}.tzinfo) in _KNOWN_ZONES)"
    if tp is pendulum.Date:
        return f"type({var}) is _Date"
    if isinstance(tp, TypeVar):
        return f"isinstance({var}, _Enum)"
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            return f"({var} is None or {_fits_expr(rest[0], var, env, depth)})"
    elif origin in (tuple, frozenset):
        args = typing.get_args(tp)
        if origin is frozenset or (len(args) == 2 and args[1] is Ellipsis):
            item = f"_x{depth}"
            inner = _fits_expr(args[0], item, env, depth + 1)
            kind = origin.__name__
            if inner == "True":
                return f"type({var}) is {kind}"
            return f"(type({var}) is {kind} and all({inner} for {item} in {var}))"
    elif origin is not None and attrs.has(origin):
        name = f"_T{len(env)}"
        env[name] = origin
        return f"isinstance({var}, {name})"
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        name = f"_T{len(env)}"
        env[name] = tp
        return f"type({var}) is {name}"
    elif origin is None and isinstance(tp, type):
        name = f"_T{len(env)}"
        env[name] = tp
        return f"isinstance({var}, {name})"
    name = f"_T{len(env)}"  # anything else: ask the checker itself
    env[name] = checker_for(tp)
    return f"_passes({name}, {var})"


def _build_fits(cls: type) -> Callable[[Any], bool]:
    try:
        hints = field_types(cls)
        env: dict[str, Any] = {
            "_is_utf8": _is_utf8,
            "_passes": _passes,
            "_DateTime": pendulum.DateTime,
            "_Date": pendulum.Date,
            "_KNOWN_ZONES": _KNOWN_ZONES,
            "_Enum": enum.Enum,
        }
        lines = ["def fits(obj):"]
        for f in attrs.fields(cls):
            lines.append(f"    v = obj.{f.name}")
            lines.append(f"    if not ({_fits_expr(hints[f.name], 'v', env, 0)}):")
            lines.append("        return False")
        lines.append("    return True")
        exec("\n".join(lines), env)  # the source is built above from annotations only
    except Exception:  # a shape the compiler cannot handle: always use the checkers
        return _never
    return typing.cast("Callable[[Any], bool]", env["fits"])


def _never(obj: Any) -> bool:
    return False


def passes(cls: type[Record], *, typed: bool = False) -> Callable[[Any], bool] | None:
    """A predicate true when an instance of `cls` passes every check its ``__init__`` runs,
    or None when there is nothing to check.

    For builders that set the fields of a new instance directly (the serializer's fast path
    for input it has already checked): when the predicate says False they build the object
    again through ``cls(...)``, which raises the problems with their paths.  `typed`: the
    builder has checked every field against its annotation, so only the class's rules remain.
    """
    rules = None if cls._rules is Record._rules else cls._rules
    if typed:
        return None if rules is None else functools.partial(_keeps, rules)
    fits = _FITS.get(cls)
    if fits is None:
        fits = _FITS[cls] = _build_fits(cls)
    if rules is None:
        return fits
    return functools.partial(_fits_and_keeps, fits, rules)


def _keeps(rules: Callable[[Any], Iterable[Problem]], obj: Any) -> bool:
    for _ in rules(obj):
        return False
    return True


def _fits_and_keeps(
    fits: Callable[[Any], bool], rules: Callable[[Any], Iterable[Problem]], obj: Any
) -> bool:
    return fits(obj) and _keeps(rules, obj)


def _type_name(tp: Any) -> str:
    if tp is type(None):
        return "null"
    if isinstance(tp, type):
        return {
            str: "a string",
            int: "an integer",
            bool: "true or false",
            decimal.Decimal: "a decimal number",
            pendulum.DateTime: "a time-zone-aware date-time",
            pendulum.Date: "a date",
            pendulum.Time: "a time of day",
            pendulum.Duration: "a duration",
        }.get(tp, tp.__name__)
    return str(tp)


def _got(value: Any) -> str:
    return f"got {type(value).__name__}"


def checker_for(tp: Any) -> Checker:
    """A function yielding the problems of a value against annotation `tp`."""
    origin = typing.get_origin(tp)
    if isinstance(tp, TypeVar):
        return _instance_checker(enum.Enum, "a status")
    if tp is Any:
        return _no_check
    if origin is typing.Literal:
        allowed = typing.get_args(tp)

        def check_literal(value: Any, path: Path) -> Iterator[Problem]:
            if value not in allowed:
                yield Problem(path, f"expected one of {list(allowed)}", "type")

        return check_literal
    if origin in (typing.Union, types.UnionType):
        return _union_checker(typing.get_args(tp))
    if origin is tuple:
        args = typing.get_args(tp)
        return _collection_checker(tuple, "a list", checker_for(args[0]))
    if origin is frozenset:
        return _collection_checker(frozenset, "a set", checker_for(typing.get_args(tp)[0]))
    if origin is not None and attrs.has(origin):
        return _instance_checker(origin, origin.__name__)
    if tp is bool:
        return _exact_checker(bool)
    if tp is str:
        return _str_checker
    if tp is int:
        return _int_checker
    if tp is pendulum.DateTime:
        return _datetime_checker
    if tp is pendulum.Date:
        return _date_checker
    if isinstance(tp, type):
        return _instance_checker(tp, _type_name(tp))
    return _no_check


def _no_check(value: Any, path: Path) -> Iterator[Problem]:
    return iter(())


def _instance_checker(tp: type, name: str) -> Checker:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if not isinstance(value, tp):
            yield Problem(path, f"expected {name}, {_got(value)}", "type")

    return check


def _exact_checker(tp: type) -> Checker:
    name = _type_name(tp)

    def check(value: Any, path: Path) -> Iterator[Problem]:
        if type(value) is not tp:
            yield Problem(path, f"expected {name}, {_got(value)}", "type")

    return check


def _str_checker(value: Any, path: Path) -> Iterator[Problem]:
    if not isinstance(value, str):
        yield Problem(path, f"expected a string, {_got(value)}", "type")
        return
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield Problem(path, "expected valid Unicode text (no lone surrogates)", "unicode")


def _int_checker(value: Any, path: Path) -> Iterator[Problem]:
    if type(value) is not int:
        yield Problem(path, f"expected an integer, {_got(value)}", "type")
    elif not INT_MIN <= value <= INT_MAX:
        yield Problem(path, "integer out of range (signed 64-bit)", "range")


def _datetime_checker(value: Any, path: Path) -> Iterator[Problem]:
    if isinstance(value, _dt.datetime) and value.tzinfo is None:
        yield Problem(path, "naive date-time: a time zone is required", "naive_datetime")
    elif not isinstance(value, pendulum.DateTime):
        yield Problem(path, f"expected a time-zone-aware date-time, {_got(value)}", "type")
    elif value.tzinfo is None or value.utcoffset() is None:
        yield Problem(path, "naive date-time: a time zone is required", "naive_datetime")


def _date_checker(value: Any, path: Path) -> Iterator[Problem]:
    if not isinstance(value, pendulum.Date) or isinstance(value, _dt.datetime):
        yield Problem(path, f"expected a date, {_got(value)}", "type")


def _collection_checker(kind: type, name: str, item: Checker) -> Checker:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if not isinstance(value, kind):
            yield Problem(path, f"expected {name}, {_got(value)}", "type")
            return
        items = typing.cast("Iterable[Any]", value)
        if kind is tuple:
            for i, v in enumerate(items):
                yield from item(v, (*path, i))
        else:
            for v in items:
                yield from item(v, path)

    return check


def _union_checker(args: tuple[Any, ...]) -> Checker:
    optional = type(None) in args
    rest = [a for a in args if a is not type(None)]
    if len(rest) == 1:
        inner = checker_for(rest[0])

        def check_optional(value: Any, path: Path) -> Iterator[Problem]:
            if value is None and optional:
                return
            yield from inner(value, path)

        return check_optional
    checkers = [checker_for(a) for a in rest]
    names = " or ".join(_type_name(a) for a in rest)

    def check_union(value: Any, path: Path) -> Iterator[Problem]:
        if value is None and optional:
            return
        for c in checkers:
            if not any(True for _ in c(value, path)):
                return
        yield Problem(path, f"expected {names}, {_got(value)}", "type")

    return check_union
