"""What every FHIR mapper shares: URLs, instants, references, the extension codec, the reader.

Nothing here imports ``fhir.resources``: the mapping works on plain R4 JSON dicts.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, Generic, TypeVar

import attrs
import pendulum

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
    return dt.isoformat()


def zone_name(dt: pendulum.DateTime) -> str | None:
    """The IANA zone of `dt`, or None for a fixed offset."""
    tz = dt.tzinfo
    if isinstance(tz, pendulum.Timezone) and not isinstance(tz, pendulum.FixedTimezone):
        return tz.name
    return None


def put_instant(target: dict[str, Any], key: str, dt: pendulum.DateTime) -> None:
    """Set ``target[key]`` and, for a named zone, the primitive extension ``_key`` carrying it."""
    target[key] = format_instant(dt)
    name = zone_name(dt)
    if name is not None:
        target["_" + key] = {"extension": [{"url": ZONE_EXT, "valueCode": name}]}


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
        return pendulum.instance(parsed, tz=parsed.tzinfo), ""
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

    def __init__(self, resource: Any, resource_type: str, *, time_zone: str = "UTC") -> None:
        self.type = resource_type
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
        return value.in_timezone(zone) if zone is not None else value

    def period(
        self, node: Any, key: str, path: Path
    ) -> tuple[pendulum.DateTime | None, pendulum.DateTime | None]:
        p = self.obj(node, key, path)
        where = (*path, key)
        return self.instant(p, "start", where), self.instant(p, "end", where, end=True)


def _zone_of(primitive_ext: Any) -> str | None:
    if not isinstance(primitive_ext, dict):
        return None
    for e in primitive_ext.get("extension") or ():
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


def literal(resource_type: str, rid: str) -> dict[str, Any]:
    return {"reference": f"{resource_type}/{rid}"}


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
    for e in ref.get("extension") or ():
        if isinstance(e, dict) and e.get("url") == ROLE_EXT and e.get("valueCode") in _ROLES:
            role = Role(e["valueCode"])
    rtype = ref.get("type") if isinstance(ref.get("type"), str) else None
    text = r.string(ref, "reference", where)
    if text is not None:
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
    for c in node.get("coding") or ():
        if isinstance(c, dict):
            yield c.get("system"), c.get("code")


def find_code(node: Any, system: str, table: Mapping[str, T]) -> T | None:
    for s, c in codings_of(node):
        if s == system and isinstance(c, str) and c in table:
            return table[c]
    return None


E = TypeVar("E", bound=enum.Enum)


def enum_table(cls: type[E]) -> dict[str, E]:
    return {str(m.value): m for m in cls}


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (shapes are checked elsewhere)."""
    return value if isinstance(value, dict) else {}


# --- the extension codec: careroles-only fields carried losslessly -------------------------------


def extension(name: str, value: Any, tp: Any) -> list[dict[str, Any]]:
    """The extensions ``EXTENSION_BASE + name`` carrying `value` of annotation `tp`.

    Records become complex extensions (one sub-extension per field, named for the field);
    tuples and sets become repeated extensions; None and empty collections become nothing.
    """
    return _encode(ext_url(name), value, tp)


def _encode(url: str, value: Any, tp: Any) -> list[dict[str, Any]]:
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if value is None:
        return []
    if origin in (tuple, frozenset):
        (item_tp, *_) = typing.get_args(tp)
        items = value if origin is tuple else sorted(value, key=_sort_key)
        return [e for v in items for e in _encode(url, v, item_tp)]
    cls = origin or tp
    if isinstance(cls, type) and attrs.has(cls):
        subs: list[dict[str, Any]] = []
        hints = _resolved_hints(tp)
        for f in attrs.fields(cls):
            subs.extend(_encode(f.name, getattr(value, f.name), hints[f.name]))
        return [{"url": url, "extension": subs}] if subs else []
    if isinstance(value, enum.Enum):
        return [{"url": url, "valueCode": str(value.value)}]
    if isinstance(value, bool):
        return [{"url": url, "valueBoolean": value}]
    if isinstance(value, int):
        return [{"url": url, "valueInteger": value}]
    if isinstance(value, str):
        return [{"url": url, "valueString": value}] if value else []
    if isinstance(value, decimal.Decimal):
        return [{"url": url, "valueString": str(value)}]
    if isinstance(value, pendulum.DateTime):
        if (zone := zone_name(value)) is not None:  # the zone rides along (ext-1: no value)
            return [
                {
                    "url": url,
                    "extension": [
                        {"url": "instant", "valueDateTime": format_instant(value)},
                        {"url": "zone", "valueCode": zone},
                    ],
                }
            ]
        return [{"url": url, "valueDateTime": format_instant(value)}]
    if isinstance(value, pendulum.Date):
        return [{"url": url, "valueDate": value.isoformat()}]
    if isinstance(value, pendulum.Time):
        return [{"url": url, "valueTime": value.strftime("%H:%M:%S")}]
    if isinstance(value, pendulum.Duration):
        from careroles._wire import format_duration

        return [{"url": url, "valueString": format_duration(value)}]
    raise TypeError(f"no extension encoding for {type(value).__name__}")  # pragma: no cover


def _sort_key(v: Any) -> str:
    return repr(v.value) if isinstance(v, enum.Enum) else repr(v)


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _resolved_hints(tp: Any) -> dict[str, Any]:
    """Field annotations of a (possibly parametrised) attrs class, type variables bound."""
    cls = typing.get_origin(tp) or tp
    hints = typing.get_type_hints(cls)
    args = typing.get_args(tp)
    params = getattr(cls, "__parameters__", ())
    if args and params:
        binding = dict(zip(params, args, strict=False))
        hints = {k: binding.get(v, v) for k, v in hints.items()}
    return hints


def read_extension(
    r: Reader, node: Any, name: str, tp: Any, path: Path, default: Any = None
) -> Any:
    """Decode what :func:`extension` wrote (``default`` when absent)."""
    url = ext_url(name)
    found = [
        (i, e)
        for i, e in enumerate(node.get("extension") or () if isinstance(node, dict) else ())
        if isinstance(e, dict) and e.get("url") == url
    ]
    return _decode_many(r, found, tp, (*path, "extension"), default)


def _decode_many(
    r: Reader, found: list[tuple[int, dict[str, Any]]], tp: Any, path: Path, default: Any
) -> Any:
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if origin in (tuple, frozenset):
        (item_tp, *_) = typing.get_args(tp)
        values = [_decode_one(r, e, item_tp, (*path, i)) for i, e in found]
        return tuple(values) if origin is tuple else frozenset(values)
    if not found:
        return default
    i, e = found[-1]
    return _decode_one(r, e, tp, (*path, i))


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


def _decode_one(r: Reader, e: dict[str, Any], tp: Any, path: Path) -> Any:
    tp = _strip_optional(tp)
    cls = typing.get_origin(tp) or tp
    if isinstance(cls, type) and attrs.has(cls):
        subs = [(i, s) for i, s in enumerate(e.get("extension") or ()) if isinstance(s, dict)]
        hints = _resolved_hints(tp)
        kwargs: dict[str, Any] = {}
        for f in attrs.fields(cls):
            mine = [(i, s) for i, s in subs if s.get("url") == f.name]
            ftp = hints[f.name]
            missing = object()
            value = _decode_many(r, mine, ftp, (*path, "extension"), missing)
            if value is missing:
                if _strip_optional(ftp) is str and f.default is attrs.NOTHING:
                    value = ""  # empty strings travel as absent values (FHIR has no "")
                elif f.default is attrs.NOTHING:
                    r.problem(
                        (*path, "extension"), f"sub-extension {f.name} is missing", "missing"
                    )
                    continue
                else:
                    continue
            kwargs[f.name] = value
        try:
            return cls(**kwargs)
        except ValidationError as exc:
            r.problems.extend(p.prefixed((r.type, *path)) for p in exc.problems)
            return None
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        code = e.get("valueCode")
        try:
            return cls(code)
        except ValueError:
            r.problem((*path, "valueCode"), f"not a {cls.__name__} code", "code")
            return None
    if cls is pendulum.DateTime and "extension" in e:
        return _zoned_instant(r, e, path)
    key = _VALUE_KEYS.get(cls)
    raw = e.get(key) if key else None
    if key is None or raw is None:
        r.problem(path, "extension value missing or of the wrong type", "type")
        return None
    return _decode_primitive(r, raw, cls, (*path, key))


def _zoned_instant(r: Reader, e: dict[str, Any], path: Path) -> pendulum.DateTime | None:
    parts = {s.get("url"): s for s in e.get("extension") or () if isinstance(s, dict)}
    text = parts.get("instant", {}).get("valueDateTime")
    zone = parts.get("zone", {}).get("valueCode")
    value = parse_date_time(text, zone=r.zone)[0] if isinstance(text, str) else None
    if value is None or not isinstance(zone, str) or not is_time_zone(zone):
        r.problem((*path, "extension"), "expected an instant and its IANA zone", "type")
        return None
    return value.in_timezone(zone)


def _decode_primitive(r: Reader, raw: Any, cls: Any, path: Path) -> Any:
    decoders: dict[Any, Callable[[Any], Any]] = {
        bool: lambda v: v if isinstance(v, bool) else None,
        int: lambda v: v if type(v) is int else None,
        str: lambda v: v if isinstance(v, str) else None,
        decimal.Decimal: _decimal,
        pendulum.DateTime: lambda v: (
            parse_date_time(v, zone=r.zone)[0] if isinstance(v, str) else None
        ),
        pendulum.Date: lambda v: parse_date(v) if isinstance(v, str) else None,
        pendulum.Time: _time,
        pendulum.Duration: _duration,
    }
    value = decoders[cls](raw)
    if value is None:
        r.problem(path, "extension value of the wrong type", "type")
    return value


def _decimal(v: Any) -> decimal.Decimal | None:
    try:
        return decimal.Decimal(v) if isinstance(v, str) else None
    except decimal.InvalidOperation:
        return None


def _time(v: Any) -> pendulum.Time | None:
    if not isinstance(v, str) or not re.fullmatch(r"[0-9]{2}:[0-9]{2}:[0-9]{2}", v):
        return None
    try:
        t = _dt.time.fromisoformat(v)
    except ValueError:
        return None
    return pendulum.Time(t.hour, t.minute, t.second)


def _duration(v: Any) -> pendulum.Duration | None:
    from careroles._wire import parse_duration

    try:
        return parse_duration(v)
    except ValidationError:
        return None


def history_extension(obj: Any, tp: Any) -> list[dict[str, Any]]:
    """The audit trail (``history``) of an aggregate, as ``history`` extensions."""
    return extension("history", obj.history, tp)


def build(r: Reader, cls: Callable[..., T], **kwargs: Any) -> T:
    """Construct the careroles value once the reader has no problems; prefix model errors."""
    r.fail_if_problems()
    try:
        return cls(**kwargs)
    except ValidationError as exc:
        raise ValidationError(
            [p.prefixed((r.type,)) for p in exc.problems], subject=f"FHIR {r.type}"
        ) from None


# --- the rest of a record: every field without a FHIR home, one extension each ----------------


def kebab(name: str) -> str:
    return name.replace("_", "-")


def rest_extensions(obj: Any, prefix: str, handled: frozenset[str]) -> list[dict[str, Any]]:
    """Extensions ``<prefix>-<field>`` for every field of `obj` not in `handled`."""
    hints = typing.get_type_hints(type(obj))
    out: list[dict[str, Any]] = []
    for f in attrs.fields(type(obj)):
        if f.name not in handled:
            out += extension(f"{prefix}-{kebab(f.name)}", getattr(obj, f.name), hints[f.name])
    return out


_ABSENT: Final = object()


def read_rest(
    r: Reader, node: Any, cls: type, prefix: str, handled: frozenset[str], path: Path
) -> dict[str, Any]:
    """Keyword arguments decoded from what :func:`rest_extensions` wrote (absent: omitted)."""
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if f.name in handled:
            continue
        value = read_extension(r, node, f"{prefix}-{kebab(f.name)}", hints[f.name], path, _ABSENT)
        if value is _ABSENT:
            continue
        if isinstance(value, tuple | frozenset) and not value and f.default is not attrs.NOTHING:
            continue
        out[f.name] = value
    return out
