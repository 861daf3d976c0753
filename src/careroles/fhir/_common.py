"""What every FHIR mapper shares: URLs, instants, references, the extension codec, the reader.

Nothing here imports ``fhir.resources``: the mapping works on plain R4 JSON dicts.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import decimal
import enum
import functools
import gc
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, Generic, TypeVar

import attrs
import pendulum

from careroles import _wire
from careroles.errors import Path, Problem, ValidationError
from careroles.periods import Period, is_time_zone
from careroles.roles import Actor, Role

__all__ = [
    "CODE_SYSTEM_BASE",
    "EXTENSION_BASE",
    "MEMBER_ID_SYSTEM",
    "Imported",
    "Reader",
    "code_url",
    "ext_url",
]

T = TypeVar("T")

#: Every careroles-specific extension is ``EXTENSION_BASE + <name>``.
EXTENSION_BASE: Final = "https://careroles.dev/fhir/StructureDefinition/"
#: careroles' own code systems are ``CODE_SYSTEM_BASE + <name>`` (codes = enum values).
CODE_SYSTEM_BASE: Final = "https://careroles.dev/fhir/CodeSystem/"
#: Identifier system of careroles member ids (people referenced by id only).
MEMBER_ID_SYSTEM: Final = "https://careroles.dev/fhir/NamingSystem/member-id"

SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
BCP47: Final = "urn:ietf:bcp:47"
V3_ROLE: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V2_0131: Final = "http://terminology.hl7.org/CodeSystem/v2-0131"
V3_ACT_REASON: Final = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
V3_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_PARTICIPATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"


def ext_url(name: str) -> str:
    return EXTENSION_BASE + name


def code_url(name: str) -> str:
    return CODE_SYSTEM_BASE + name


ZONE_EXT: Final = ext_url("time-zone")
ROLE_EXT: Final = ext_url("role")
HISTORY_EXT: Final = ext_url("history")

_FHIR_ID: Final = re.compile(r"[A-Za-z0-9\-.]{1,64}")


def fhir_id(value: str, path: Path) -> str:
    """`value` as a FHIR resource id, or a ValidationError (ids are not patient data)."""
    if not _FHIR_ID.fullmatch(value):
        raise ValidationError.single(path, "not a valid FHIR id ([A-Za-z0-9-.]{1,64})", "fhir_id")
    return value


@attrs.frozen
class Imported(Generic[T]):
    """A careroles value read from FHIR, and the FHIR paths of the content it does not carry.

    `not_carried` lists, as FHIR paths (``Patient.address[0]``, ``Consent.provision.actor``),
    every element of the input that the careroles value cannot give back: nothing is dropped
    silently.  Its entries name elements, never their values.
    """

    value: T
    not_carried: tuple[str, ...] = ()


# --- instants ----------------------------------------------------------------------------------

_DATE_TIME: Final = re.compile(
    r"(?P<y>[0-9]{4})(-(?P<m>0[1-9]|1[0-2])(-(?P<d>0[1-9]|[12][0-9]|3[01])"
    r"(?P<time>T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?",
    re.ASCII,
)


def format_instant(dt: pendulum.DateTime) -> str:
    """FHIR ``dateTime``/``instant`` text with the UTC offset (seconds always present)."""
    return _wire.isoformat(dt)


def zone_name(dt: pendulum.DateTime) -> str | None:
    """The IANA zone of `dt`, or None for a fixed offset."""
    return _wire.zone_key(dt)


def put_instant(target: dict[str, Any], key: str, dt: pendulum.DateTime) -> None:
    """Set ``target[key]`` and, for a named zone, the primitive extension ``_key`` carrying it."""
    target[key] = format_instant(dt)
    name = zone_name(dt)
    if name is not None:
        target["_" + key] = {"extension": [{"url": ZONE_EXT, "valueCode": name}]}


@functools.lru_cache(maxsize=256)
def _tz(name: str) -> pendulum.Timezone:
    return pendulum.timezone(name)


@functools.lru_cache(maxsize=256)
def _fixed(seconds: int) -> pendulum.FixedTimezone:
    return pendulum.FixedTimezone(seconds)


def _pendulum(parsed: _dt.datetime, zone: str | None) -> pendulum.DateTime:
    """`parsed` (aware) as a pendulum DateTime in `zone` (else in its own fixed offset)."""
    if zone is not None:
        tz: _dt.tzinfo = _tz(zone)
        local = parsed.astimezone(tz)
    else:
        offset = parsed.utcoffset()
        tz = _fixed(int(offset.total_seconds()) if offset is not None else 0)
        local = parsed
    return _wire.as_pendulum(local, tz)


def parse_instant(text: str, zone: str | None = None) -> pendulum.DateTime | None:
    """A full FHIR dateTime with offset, in `zone` when given (fast path, no partial dates)."""
    if len(text) < 20 or text[10] != "T":
        return None
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return _pendulum(parsed, zone)


def parse_date_time(
    text: str, *, zone: str, end: bool = False
) -> tuple[pendulum.DateTime | None, str]:
    """Parse a FHIR date, dateTime or instant.  Returns (instant or None, error code).

    * A full date-time must have an offset (FHIR requires one when a time is given).
    * A date or partial date (``2020``, ``2020-05``, ``2020-05-07``) is the start of that
      year, month or day in `zone`; with ``end=True`` it is the start of the *next* one, so a
      FHIR period end (inclusive of any matching time) becomes careroles' exclusive end.
    """
    m = _DATE_TIME.fullmatch(text)
    if m is None:
        return None, "datetime_format"
    if m["time"] is not None:
        if m["zone"] is None:
            return None, "naive_datetime"
        try:
            parsed = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None, "datetime_format"
        return _pendulum(parsed, None), ""
    year, month, day = int(m["y"]), int(m["m"] or 1), int(m["d"] or 1)
    try:
        start = pendulum.datetime(year, month, day, tz=zone)
    except ValueError:
        return None, "datetime_format"
    if end:
        if m["d"] is not None:
            start = start.add(days=1)
        elif m["m"] is not None:
            start = start.add(months=1)
        else:
            start = start.add(years=1)
    return start, ""


def parse_date(text: str) -> pendulum.Date | None:
    """A full FHIR date as a Date; None for a partial one (``1944``, ``1944-11``)."""
    m = _DATE_TIME.fullmatch(text)
    if m is None or m["d"] is None or m["time"] is not None:
        return None
    try:
        return pendulum.Date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


# --- the reader: typed access to input JSON that collects problems with FHIR paths ---------------


class Reader:
    """Reads one resource, collecting every problem with its FHIR path before failing."""

    def __init__(
        self,
        resource: Any,
        resource_type: str,
        *,
        time_zone: str = "UTC",
        urls: Mapping[str, str] | None = None,
    ) -> None:
        self.type = resource_type
        #: Bundle entry fullUrl -> "Type/id", so that references between entries resolve
        self.urls: Mapping[str, str] = urls or {}
        self.zone = time_zone
        self.problems: list[Problem] = []
        self.root: dict[str, Any] = resource if isinstance(resource, dict) else {}
        self.dropped: set[Path] = set()
        self.context: dict[str, Any] = {}

    def drop(self, path: Path) -> None:
        """Mark an input list element the mapper leaves out (reported as not carried)."""
        self.dropped.add(path)

    def problem(self, path: Path, message: str, code: str = "invalid") -> None:
        full = (self.type, *path)
        if all(p.path != full for p in self.problems):  # one problem per element
            self.problems.append(Problem(full, message, code))

    def fail_if_problems(self) -> None:
        if self.problems:
            raise ValidationError(self.problems, subject=f"FHIR {self.type}")

    def check_elements(self, allowed: frozenset[str], required: tuple[str, ...]) -> None:
        for key in self.root:
            name = key[1:] if key.startswith("_") else key
            if name not in allowed:
                self.problem((key,), f"{self.type}.{name} is not an R4 element", "unknown_element")
        for key in required:
            if key not in self.root:
                self.problem((key,), f"{self.type}.{key} is required", "missing")

    # typed getters; each returns a safe default after recording a problem

    def obj(self, node: Any, key: str, path: Path, *, required: bool = False) -> dict[str, Any]:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.problem((*path, key), f"{key} is required", "missing")
            return {}
        if not isinstance(value, dict):
            self.problem((*path, key), "expected a JSON object", "type")
            return {}
        return value

    def items(
        self, node: Any, key: str, path: Path, *, required: bool = False
    ) -> list[tuple[Path, dict[str, Any]]]:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.problem((*path, key), f"{key} is required", "missing")
            return []
        if not isinstance(value, list) or not value:
            self.problem((*path, key), "expected a non-empty JSON array", "type")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(((*path, key, i), item))
            else:
                self.problem((*path, key, i), "expected a JSON object", "type")
        return out

    def string(self, node: Any, key: str, path: Path, *, required: bool = False) -> str | None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.problem((*path, key), f"{key} is required", "missing")
            return None
        if not isinstance(value, str) or not value:
            self.problem((*path, key), "expected a non-empty string", "type")
            return None
        return value

    def boolean(self, node: Any, key: str, path: Path) -> bool | None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem((*path, key), "expected true or false", "type")
            return None
        return value

    def code(
        self, node: Any, key: str, path: Path, table: Mapping[str, T], *, required: bool = False
    ) -> T | None:
        text = self.string(node, key, path, required=required)
        if text is None:
            return None
        if text not in table:
            self.problem(
                (*path, key),
                f"{key} code is not one careroles maps (expected one of {sorted(table)})",
                "code",
            )
            return None
        return table[text]

    def instant(
        self, node: Any, key: str, path: Path, *, required: bool = False, end: bool = False
    ) -> pendulum.DateTime | None:
        text = self.string(node, key, path, required=required)
        if text is None:
            return None
        value, error = parse_date_time(text, zone=self.zone, end=end)
        if value is None:
            message = (
                "a date-time with a time needs a UTC offset (FHIR requires one)"
                if error == "naive_datetime"
                else "expected a FHIR date or dateTime"
            )
            self.problem((*path, key), message, error)
            return None
        zone = _zone_of(node.get("_" + key) if isinstance(node, dict) else None)
        if zone is None:
            return value
        return parse_instant(text, zone) or value.in_timezone(zone)

    def period(
        self, node: Any, key: str, path: Path
    ) -> tuple[pendulum.DateTime | None, pendulum.DateTime | None]:
        p = self.obj(node, key, path)
        where = (*path, key)
        return self.instant(p, "start", where), self.instant(p, "end", where, end=True)


def _zone_of(primitive_ext: Any) -> str | None:
    if not isinstance(primitive_ext, dict):
        return None
    for e in as_list(primitive_ext.get("extension")):
        if isinstance(e, dict) and e.get("url") == ZONE_EXT:
            name = e.get("valueCode")
            if isinstance(name, str) and is_time_zone(name):
                return name
    return None


def period_json(period: Period) -> dict[str, Any]:
    out: dict[str, Any] = {}
    put_instant(out, "start", period.start)
    if period.end is not None:
        put_instant(out, "end", period.end)
    return out


# --- references --------------------------------------------------------------------------------

#: The FHIR resource type that stands for a person in each careroles role.
ROLE_RESOURCE: Final[Mapping[Role, str]] = {
    Role.PATIENT: "Patient",
    Role.PERSONAL_REPRESENTATIVE: "RelatedPerson",
    Role.CAREGIVER: "RelatedPerson",
    Role.CARE_COORDINATOR: "Practitioner",
    Role.PATIENT_ADVOCATE: "Practitioner",
    Role.TREATING_PROVIDER: "Practitioner",
}
#: The role assumed for a referenced person of a type when nothing says more.
RESOURCE_ROLE: Final[Mapping[str, Role]] = {
    "Patient": Role.PATIENT,
    "RelatedPerson": Role.CAREGIVER,
    "Practitioner": Role.TREATING_PROVIDER,
    "PractitionerRole": Role.TREATING_PROVIDER,
}


#: While a Bundle is written (or an entry re-exported for comparison): how a ``Type/id`` key
#: becomes the reference text, and the keys referenced so far.
_REFERENCING: Final[contextvars.ContextVar[tuple[Callable[[str], str], list[str]] | None]] = (
    contextvars.ContextVar("careroles_fhir_referencing", default=None)
)


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a Bundle is built or read.

    Both allocate hundreds of thousands of *acyclic* dicts, lists and records (reference
    counting frees them); the generational collector would rescan them over and over, which
    made large Bundles quadratic.  The collector's previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def referencing(to_text: Callable[[str], str]) -> Iterator[list[str]]:
    """Within the block, :func:`literal` writes ``to_text("Type/id")`` and records each key."""
    seen: list[str] = []
    token = _REFERENCING.set((to_text, seen))
    try:
        yield seen
    finally:
        _REFERENCING.reset(token)


def literal(resource_type: str, rid: str) -> dict[str, Any]:
    """A literal reference ``Type/id`` (inside a Bundle: the entry's fullUrl)."""
    key = f"{resource_type}/{rid}"
    context = _REFERENCING.get()
    if context is None:
        return {"reference": key}
    to_text, seen = context
    seen.append(key)
    return {"reference": to_text(key)}


def member_reference(
    member_id: str,
    resource_type: str | None,
    *,
    role: Role | None = None,
    display: str | None = None,
) -> dict[str, Any]:
    """A logical reference to a person careroles knows by id only."""
    out: dict[str, Any] = {}
    if role is not None:
        out["extension"] = [{"url": ROLE_EXT, "valueCode": role.value}]
    if resource_type is not None:
        out["type"] = resource_type
    out["identifier"] = {"system": MEMBER_ID_SYSTEM, "value": member_id}
    if display:
        out["display"] = display
    return out


def actor_reference(actor: Actor) -> dict[str, Any]:
    return member_reference(actor.member_id, ROLE_RESOURCE[actor.role], role=actor.role)


_CONDITIONAL: Final = re.compile(r"(?P<type>[A-Za-z]+)\?identifier=(?:[^|]*\|)?(?P<value>.+)")


def split_reference(text: str) -> tuple[str | None, str]:
    """(type or None, id) of a literal reference: relative, absolute, urn:uuid, #contained."""
    if text.startswith(("urn:uuid:", "urn:oid:")):
        return None, text.rsplit(":", 1)[1]
    if text.startswith("#"):
        return None, text[1:]
    if m := _CONDITIONAL.fullmatch(text):
        return m["type"], m["value"]
    parts = [p for p in text.split("/") if p]
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    if len(parts) >= 2:
        return parts[-2], parts[-1]
    return None, text


def read_reference(
    r: Reader, node: Any, key: str, path: Path, *, required: bool = False
) -> tuple[str | None, str | None, Role | None]:
    """(resource type, id, careroles role) of a reference: literal or logical (identifier)."""
    ref = r.obj(node, key, path, required=required)
    if not ref:
        return None, None, None
    return reference_at(r, ref, (*path, key))


_ROLES: Final = frozenset(r.value for r in Role)


def reference_at(
    r: Reader, ref: dict[str, Any], where: Path
) -> tuple[str | None, str | None, Role | None]:
    role = None
    for e in as_list(ref.get("extension")):
        code = e.get("valueCode") if isinstance(e, dict) and e.get("url") == ROLE_EXT else None
        if isinstance(code, str) and code in _ROLES:
            role = Role(code)
    rtype = ref.get("type") if isinstance(ref.get("type"), str) else None
    text = r.string(ref, "reference", where)
    if text is not None:
        text = r.urls.get(text, text)
        found_type, rid = split_reference(text)
        return rtype or found_type, rid, role
    ident = r.obj(ref, "identifier", where)
    value = r.string(ident, "value", (*where, "identifier"))
    if value is None:
        r.problem(where, "a reference needs a reference or an identifier value", "missing")
    return rtype, value, role


# --- codings -----------------------------------------------------------------------------------


def concept(*codings: tuple[str, str], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [{"system": s, "code": c} for s, c in codings]}
    if text:
        out["text"] = text
    return out


def codings_of(node: Any) -> Iterator[tuple[Any, Any]]:
    """(system, code) of each coding of a CodeableConcept (bad shapes yield nothing)."""
    if not isinstance(node, dict):
        return
    for c in as_list(node.get("coding")):
        if isinstance(c, dict):
            yield c.get("system"), c.get("code")


def find_code(node: Any, system: str, table: Mapping[str, T]) -> T | None:
    for s, c in codings_of(node):
        if s == system and isinstance(c, str) and c in table:
            return table[c]
    return None


E = TypeVar("E", bound=enum.Enum)


_ENUM_TABLES: Final[dict[type, dict[str, Any]]] = {}


def enum_table(cls: type[E]) -> dict[str, E]:
    """code -> member of a StrEnum (built once per enum)."""
    table = _ENUM_TABLES.get(cls)
    if table is None:
        table = _ENUM_TABLES[cls] = {str(m.value): m for m in cls}
    return table


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (shapes are checked elsewhere)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` if it is a JSON array, else an empty one (shapes are checked elsewhere)."""
    return value if isinstance(value, list) else []


# --- the extension codec: careroles-only fields carried losslessly -------------------------------
#
# Records become complex extensions (one sub-extension per field, named for the field); tuples
# and sets become repeated extensions; None and empty collections become nothing; an empty
# string is absent (FHIR has no empty strings); a date-time in a named zone is a complex
# extension of its ``instant`` and its ``zone`` (ext-1: an extension has a value or
# sub-extensions, not both).  Encoders and decoders are compiled once per annotation.

Encoder = Callable[[str, Any], list[dict[str, Any]]]
OneDecoder = Callable[[Reader, dict[str, Any], Path], Any]


def extension(name: str, value: Any, tp: Any) -> list[dict[str, Any]]:
    """The extensions ``EXTENSION_BASE + name`` carrying `value` of annotation `tp`."""
    return _encoder(tp)(ext_url(name), value)


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


@functools.cache
def hints_of(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints`` of a class, computed once (it is slow)."""
    return typing.get_type_hints(cls)


@functools.cache
def _resolved_hints(tp: Any) -> dict[str, Any]:
    """Field annotations of a (possibly parametrised) attrs class, type variables bound."""
    cls = typing.get_origin(tp) or tp
    hints = hints_of(cls)
    args = typing.get_args(tp)
    params = getattr(cls, "__parameters__", ())
    if args and params:
        binding = dict(zip(params, args, strict=False))
        hints = {k: binding.get(v, v) for k, v in hints.items()}
    return hints


def _sort_key(v: Any) -> str:
    return repr(v.value) if isinstance(v, enum.Enum) else repr(v)


def _instant_ext(url: str, value: pendulum.DateTime) -> list[dict[str, Any]]:
    zone = zone_name(value)
    if zone is None:
        return [{"url": url, "valueDateTime": format_instant(value)}]
    return [
        {
            "url": url,
            "extension": [
                {"url": "instant", "valueDateTime": format_instant(value)},
                {"url": "zone", "valueCode": zone},
            ],
        }
    ]


def _format_duration(value: pendulum.Duration) -> str:
    from careroles._wire import format_duration

    return format_duration(value)


_PRIMITIVE_ENCODERS: Final[Mapping[Any, Callable[[str, Any], list[dict[str, Any]]]]] = {
    bool: lambda url, v: [{"url": url, "valueBoolean": v}],
    int: lambda url, v: [{"url": url, "valueInteger": v}],
    str: lambda url, v: [{"url": url, "valueString": v}] if v else [],
    decimal.Decimal: lambda url, v: [{"url": url, "valueString": str(v)}],
    pendulum.DateTime: _instant_ext,
    pendulum.Date: lambda url, v: [{"url": url, "valueDate": v.isoformat()}],
    pendulum.Time: lambda url, v: [{"url": url, "valueTime": v.strftime("%H:%M:%S")}],
    pendulum.Duration: lambda url, v: [{"url": url, "valueString": _format_duration(v)}],
}


@functools.cache
def _encoder(tp: Any) -> Encoder:
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if origin in (tuple, frozenset):
        item = _encoder(typing.get_args(tp)[0])
        ordered = origin is frozenset

        def encode_many(url: str, value: Any) -> list[dict[str, Any]]:
            if not value:
                return []
            items = sorted(value, key=_sort_key) if ordered else value
            return [e for v in items for e in item(url, v)]

        return encode_many
    cls = origin or tp
    if isinstance(cls, type) and attrs.has(cls):
        return _record_encoder(tp, cls)
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return lambda url, v: [] if v is None else [{"url": url, "valueCode": str(v._value_)}]
    if cls in _PRIMITIVE_ENCODERS:
        primitive = _PRIMITIVE_ENCODERS[cls]
        return lambda url, v: [] if v is None else primitive(url, v)
    return _encode_dynamic


def _record_encoder(tp: Any, cls: type) -> Encoder:
    """An encoder generated for one record class (like attrs and cattrs do): strings, enum
    codes and booleans inline, other fields through their own encoders."""
    hints = _resolved_hints(tp)
    namespace: dict[str, Any] = {}
    lines = [
        "def encode_record(url, value):",
        "    if value is None:",
        "        return []",
        "    subs = []",
        "    append = subs.append",
    ]
    for i, f in enumerate(attrs.fields(cls)):
        ftp = _strip_optional(hints[f.name])
        name = f.name
        get = f"    v = value.{name}"
        if ftp is str:
            lines += [get, "    if v:", f"        append({{'url': {name!r}, 'valueString': v}})"]
        elif isinstance(ftp, type) and issubclass(ftp, enum.StrEnum):
            lines += [
                get,
                "    if v is not None:",
                f"        append({{'url': {name!r}, 'valueCode': v._value_}})",
            ]
        elif ftp is bool:
            lines += [
                get,
                "    if v is not None:",
                f"        append({{'url': {name!r}, 'valueBoolean': v}})",
            ]
        else:
            namespace[f"e{i}"] = _encoder(hints[f.name])
            lines.append(f"    subs += e{i}({name!r}, value.{name})")
    lines.append("    return [{'url': url, 'extension': subs}] if subs else []")
    exec("\n".join(lines), namespace)
    encode: Encoder = namespace["encode_record"]
    return encode


def _encode_dynamic(url: str, value: Any) -> list[dict[str, Any]]:
    """For annotations the codec cannot resolve (a bare type variable): by the value's type."""
    if value is None:
        return []
    if isinstance(value, enum.Enum):
        return [{"url": url, "valueCode": str(value.value)}]
    for kind in (bool, int, str, decimal.Decimal, pendulum.DateTime, pendulum.Date):
        if isinstance(value, kind):
            return _PRIMITIVE_ENCODERS[kind](url, value)
    raise TypeError(f"no extension encoding for {type(value).__name__}")  # pragma: no cover


_ABSENT: Final = object()


def read_extension(
    r: Reader, node: Any, name: str, tp: Any, path: Path, default: Any = None
) -> Any:
    """Decode what :func:`extension` wrote (``default`` when absent)."""
    url = ext_url(name)
    found = [
        (i, e)
        for i, e in enumerate(as_list(node.get("extension")) if isinstance(node, dict) else ())
        if isinstance(e, dict) and e.get("url") == url
    ]
    return _many_decoder(tp)(r, found, (*path, "extension"), default)


ManyDecoder = Callable[[Reader, list[tuple[int, dict[str, Any]]], Path, Any], Any]


@functools.cache
def _many_decoder(tp: Any) -> ManyDecoder:
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if origin in (tuple, frozenset):
        one = _one_decoder(typing.get_args(tp)[0])
        kind = tuple if origin is tuple else frozenset

        def decode_many(
            r: Reader, found: list[tuple[int, dict[str, Any]]], path: Path, default: Any
        ) -> Any:
            return kind(one(r, e, (*path, i)) for i, e in found)

        return decode_many
    one = _one_decoder(tp)

    def decode_last(
        r: Reader, found: list[tuple[int, dict[str, Any]]], path: Path, default: Any
    ) -> Any:
        if not found:
            return default
        i, e = found[-1]
        return one(r, e, (*path, i))

    return decode_last


_VALUE_KEYS: Final[Mapping[Any, str]] = {
    bool: "valueBoolean",
    int: "valueInteger",
    str: "valueString",
    decimal.Decimal: "valueString",
    pendulum.DateTime: "valueDateTime",
    pendulum.Date: "valueDate",
    pendulum.Time: "valueTime",
    pendulum.Duration: "valueString",
}


@functools.cache
def _one_decoder(tp: Any) -> OneDecoder:
    tp = _strip_optional(tp)
    cls = typing.get_origin(tp) or tp
    if isinstance(cls, type) and attrs.has(cls):
        return _record_decoder(tp, cls)
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        members = {str(m.value): m for m in cls}
        name = cls.__name__

        def decode_enum(r: Reader, e: dict[str, Any], path: Path) -> Any:
            code = e.get("valueCode")
            if isinstance(code, str) and code in members:
                return members[code]
            r.problem((*path, "valueCode"), f"not a {name} code", "code")
            return None

        return decode_enum
    key = _VALUE_KEYS.get(cls)
    if key is None:
        raise TypeError(f"no extension decoding for {tp!r}")  # pragma: no cover
    primitive = _PRIMITIVE_DECODERS[cls]

    def decode_primitive(r: Reader, e: dict[str, Any], path: Path) -> Any:
        if cls is pendulum.DateTime and "extension" in e:
            return _zoned_instant(r, e, path)
        raw = e.get(key)
        value = primitive(r, raw) if raw is not None else None
        if value is None:
            r.problem(path, "extension value missing or of the wrong type", "type")
        return value

    return decode_primitive


def _fast_kind(tp: Any) -> tuple[str, Mapping[str, Any] | None]:
    """How a field's single value is read without a decoder call: a string, an enum code or
    a boolean (anything else: "")."""
    tp = _strip_optional(tp)
    if tp is str:
        return "valueString", None
    if tp is bool:
        return "valueBoolean", None
    if isinstance(tp, type) and issubclass(tp, enum.StrEnum):
        return "valueCode", {str(m.value): m for m in tp}
    return "", None


def _record_decoder(tp: Any, cls: type) -> OneDecoder:
    hints = _resolved_hints(tp)
    fields = [
        (
            f.name,
            _many_decoder(hints[f.name]),
            f.default is attrs.NOTHING,
            _strip_optional(hints[f.name]) is str,
            *_fast_kind(hints[f.name]),
        )
        for f in attrs.fields(cls)
    ]

    def decode_record(r: Reader, e: dict[str, Any], path: Path) -> Any:
        by_url = _by_url(e)
        kwargs: dict[str, Any] = {}
        complete = True
        where = (*path, "extension")
        for name, decode, required, is_str, key, members in fields:
            found = by_url.get(name)
            if found is not None and key:  # fast path: one primitive value
                raw = found[-1][1].get(key)
                if members is not None:
                    if type(raw) is str and raw in members:
                        kwargs[name] = members[raw]
                        continue
                elif key == "valueBoolean":
                    if type(raw) is bool:
                        kwargs[name] = raw
                        continue
                elif type(raw) is str:
                    kwargs[name] = raw
                    continue
            value = decode(r, found or [], where, _ABSENT)
            if value is _ABSENT:
                if required and is_str:
                    value = ""  # empty strings travel as absent values (FHIR has no "")
                elif required:
                    r.problem(where, f"sub-extension {name} is missing", "missing")
                    complete = False
                    continue
                else:
                    continue
            kwargs[name] = value
        if not complete:
            return None
        try:
            return cls(**kwargs)
        except ValidationError as exc:
            r.problems.extend(p.prefixed((r.type, *path)) for p in exc.problems)
            return None

    return _straight_record_decoder(tp, cls, decode_record) or decode_record


def _by_url(node: Any) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """The sub-extensions of `node` by url, with their indexes (a url that is not text
    names nothing careroles reads: the not-carried report shows it)."""
    by_url: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    extensions = node.get("extension") if isinstance(node, dict) else None
    for i, s in enumerate(extensions if isinstance(extensions, list) else ()):
        if type(s) is dict and type(url := s.get("url")) is str:
            by_url.setdefault(url, []).append((i, s))
    return by_url


def _straight_record_decoder(tp: Any, cls: type, slow: OneDecoder) -> OneDecoder | None:
    """A decoder generated for one record class, mirroring :func:`_record_encoder`: it reads
    the sub-extensions in the order the encoder writes them, strings, codes and booleans
    inline.  Anything else (another order, an unknown or repeated url, a wrong value, a
    problem recorded, a record its class refuses) goes to `slow`, the general decoder, which
    reads the same input again from the start and reports every problem: the results are
    exactly its own."""
    hints = _resolved_hints(tp)
    namespace: dict[str, Any] = {"_cl": cls, "_slow": functools.partial(_restart, slow)}
    lines = [
        "def decode_straight(r, e, path):",
        "    problems = len(r.problems)",
        "    try:",
        "        subs = e['extension']",
        "        if type(subs) is not list:",
        "            return _slow(r, e, path, problems)",
        "        n = len(subs)",
        "        j = 0",
        "        kw = {}",
    ]
    for i, f in enumerate(attrs.fields(cls)):
        name, full = f.name, hints[f.name]
        ftp = _strip_optional(full)
        origin = typing.get_origin(ftp)
        at = f"        if j < n and subs[j]['url'] == {name!r}:"
        absent = ["        else:", "            return _slow(r, e, path, problems)"]
        key, members = _fast_kind(full)
        if key:  # a string, a code or a boolean, read inline
            kind = "bool" if key == "valueBoolean" else "str"
            value = "v" if members is None else f"_m{i}[v]"
            namespace[f"_m{i}"] = members
            lines += [
                at,
                f"            v = subs[j][{key!r}]",
                f"            if type(v) is not {kind}:",
                "                return _slow(r, e, path, problems)",
                f"            kw[{name!r}] = {value}",
                "            j += 1",
            ]
            if ftp is str:  # empty strings travel as absent values (FHIR has no "")
                absent = ["        else:", f"            kw[{name!r}] = ''"]
        elif origin in (tuple, frozenset):
            try:
                namespace[f"_d{i}"] = _one_decoder(typing.get_args(ftp)[0])
            except TypeError:
                return None
            lines += [
                "        items = []",
                f"        while j < n and subs[j]['url'] == {name!r}:",
                f"            items.append(_d{i}(r, subs[j], (*path, 'extension', j)))",
                "            j += 1",
                f"        kw[{name!r}] = {origin.__name__}(items)",
            ]
            continue
        else:
            try:
                namespace[f"_d{i}"] = _one_decoder(full)
            except TypeError:
                return None
            lines += [
                at,
                f"            kw[{name!r}] = _d{i}(r, subs[j], (*path, 'extension', j))",
                "            j += 1",
            ]
        if f.default is attrs.NOTHING:
            lines += absent
    lines += [
        "        if j != n or len(r.problems) != problems:",
        "            return _slow(r, e, path, problems)",
        "        return _cl(**kw)",
        "    except Exception:",
        "        return _slow(r, e, path, problems)",
    ]
    exec("\n".join(lines), namespace)  # the source is built above from field names only
    decode: OneDecoder = namespace["decode_straight"]
    return decode


def _restart(slow: OneDecoder, r: Reader, e: dict[str, Any], path: Path, problems: int) -> Any:
    """Read `e` again with `slow`, dropping what the straight decoder recorded of it."""
    del r.problems[problems:]
    return slow(r, e, path)


def _zoned_instant(r: Reader, e: dict[str, Any], path: Path) -> pendulum.DateTime | None:
    parts = {
        url: s
        for s in as_list(e.get("extension"))
        if isinstance(s, dict) and isinstance(url := s.get("url"), str)
    }
    text = parts.get("instant", {}).get("valueDateTime")
    zone = parts.get("zone", {}).get("valueCode")
    if not isinstance(zone, str) or not is_time_zone(zone) or not isinstance(text, str):
        value = None
    else:
        value = parse_instant(text, zone)
    if value is None:
        r.problem((*path, "extension"), "expected an instant and its IANA zone", "type")
    return value


def _decimal(r: Reader, v: Any) -> decimal.Decimal | None:
    try:
        return decimal.Decimal(v) if isinstance(v, str) else None
    except decimal.InvalidOperation:
        return None


def _time(r: Reader, v: Any) -> pendulum.Time | None:
    if not isinstance(v, str) or not re.fullmatch(r"[0-9]{2}:[0-9]{2}:[0-9]{2}", v):
        return None
    try:
        t = _dt.time.fromisoformat(v)
    except ValueError:
        return None
    return pendulum.Time(t.hour, t.minute, t.second)


def _duration(r: Reader, v: Any) -> pendulum.Duration | None:
    from careroles._wire import parse_duration

    try:
        return parse_duration(v)
    except ValidationError:
        return None


_PRIMITIVE_DECODERS: Final[Mapping[Any, Callable[[Reader, Any], Any]]] = {
    bool: lambda r, v: v if isinstance(v, bool) else None,
    int: lambda r, v: v if type(v) is int else None,
    str: lambda r, v: v if isinstance(v, str) else None,
    decimal.Decimal: _decimal,
    pendulum.DateTime: lambda r, v: (
        parse_date_time(v, zone=r.zone)[0] if isinstance(v, str) else None
    ),
    pendulum.Date: lambda r, v: parse_date(v) if isinstance(v, str) else None,
    pendulum.Time: _time,
    pendulum.Duration: _duration,
}


def history_extension(obj: Any, tp: Any) -> list[dict[str, Any]]:
    """The audit trail (``history``) of an aggregate, as ``history`` extensions."""
    return extension("history", obj.history, tp)


#: careroles field -> the FHIR element it comes from, per type: a broken careroles rule is
#: reported at the FHIR path (``$.Task.description``), not at the careroles field name.
FIELD_PATHS: Final[dict[type, dict[str, Path]]] = {}


def build(r: Reader, cls: Callable[..., T], **kwargs: Any) -> T:
    """Construct the careroles value once the reader has no problems; careroles rule
    violations are reported at the FHIR element each field comes from."""
    r.fail_if_problems()
    if isinstance(cls, type) and attrs.has(cls):
        # a required field whose extension is absent (the mappers fill in the others)
        paths = FIELD_PATHS.get(cls, {})
        for f in attrs.fields(cls):
            if f.init and f.default is attrs.NOTHING and f.alias not in kwargs:
                at = paths.get(f.name, ("extension",))
                r.problem(at, f"careroles needs {f.name}: its extension is missing", "missing")
        r.fail_if_problems()
    try:
        return cls(**kwargs)
    except ValidationError as exc:
        paths = FIELD_PATHS.get(cls, {}) if isinstance(cls, type) else {}
        problems = []
        for p in exc.problems:
            head, rest = (p.path[0], p.path[1:]) if p.path else ("", ())
            where = paths.get(str(head))
            if where is None:
                problems.append(p.prefixed((r.type,)))
            else:
                problems.append(Problem((r.type, *where, *rest), p.message, p.code))
        raise ValidationError(problems, subject=f"FHIR {r.type}") from None


# --- the rest of a record: every field without a FHIR home, one extension each ----------------


def kebab(name: str) -> str:
    return name.replace("_", "-")


@functools.cache
def _rest_plan(
    cls: type, prefix: str, handled: frozenset[str]
) -> tuple[tuple[str, str, Any, attrs.Attribute[Any]], ...]:
    """(extension url, field name, annotation, field) of every field not in `handled`."""
    hints = hints_of(cls)
    return tuple(
        (ext_url(f"{prefix}-{kebab(f.name)}"), f.name, hints[f.name], f)
        for f in attrs.fields(cls)
        if f.name not in handled
    )


def rest_extensions(obj: Any, prefix: str, handled: frozenset[str]) -> list[dict[str, Any]]:
    """Extensions ``<prefix>-<field>`` for every field of `obj` not in `handled`."""
    out: list[dict[str, Any]] = []
    cls: Any = type(obj)
    for url, name, tp, _ in _rest_plan(cls, prefix, handled):
        out += _encoder(tp)(url, getattr(obj, name))
    return out


def read_rest(
    r: Reader, node: Any, cls: type, prefix: str, handled: frozenset[str], path: Path
) -> dict[str, Any]:
    """Keyword arguments decoded from what :func:`rest_extensions` wrote (absent: omitted)."""
    by_url = _by_url(node)
    out: dict[str, Any] = {}
    where = (*path, "extension")
    for url, name, tp, f in _rest_plan(cls, prefix, handled):
        value = _many_decoder(tp)(r, by_url.get(url, []), where, _ABSENT)
        if value is _ABSENT:
            continue
        if isinstance(value, tuple | frozenset) and not value and f.default is not attrs.NOTHING:
            continue
        out[name] = value
    return out
