"""Which parts of an input resource a careroles value does not carry.

The imported value is exported again and compared with the input: every input element that
does not come back (missing, or a different value) is reported by its FHIR path.  Date-times
are compared as instants; elements a mapper dropped on purpose (an unmappable list item) are
reported as a whole and left out of the list alignment.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from careroles.errors import Path
from careroles.fhir._common import parse_date_time


def not_carried(
    original: dict[str, Any], exported: dict[str, Any], *, dropped: set[Path], zone: str
) -> tuple[str, ...]:
    name = str(original.get("resourceType", "Resource"))
    return tuple(_walk(original, exported, name, (), dropped, zone, key=""))


def _walk(
    orig: Any, exp: Any, text: str, path: Path, dropped: set[Path], zone: str, key: str
) -> Iterator[str]:
    if isinstance(orig, dict):
        if not isinstance(exp, dict):
            yield text
            return
        for k, v in orig.items():
            if k == "resourceType" and not path:
                continue
            sub = f"{text}.{k}"
            if k not in exp:
                if isinstance(v, list):
                    yield from (f"{sub}[{i}]" for i in range(len(v)))
                else:
                    yield sub
                continue
            yield from _walk(v, exp[k], sub, (*path, k), dropped, zone, k)
        return
    if isinstance(orig, list):
        if not isinstance(exp, list):
            yield from (f"{text}[{i}]" for i in range(len(orig)))
            return
        kept = []
        for i, item in enumerate(orig):
            if (*path, i) in dropped:
                yield f"{text}[{i}]"
            else:
                kept.append((i, item))
        used: set[int] = set()
        for position, (i, item) in enumerate(kept):
            j = _match(item, exp, used, position)
            if j is None:
                yield f"{text}[{i}]"
                continue
            used.add(j)
            yield from _walk(item, exp[j], f"{text}[{i}]", (*path, i), dropped, zone, key)
        return
    if orig != exp and not _same_instant(orig, exp, zone, end=key == "end"):
        yield text


def _match(item: Any, exp: list[Any], used: set[int], position: int) -> int | None:
    """The exported element an input list element corresponds to."""
    if isinstance(item, dict):
        if "resourceType" in item:
            return next(
                (
                    j
                    for j, e in enumerate(exp)
                    if j not in used
                    and isinstance(e, dict)
                    and (e.get("resourceType"), e.get("id"))
                    == (item["resourceType"], item.get("id"))
                ),
                None,
            )
        for field in ("url", "system"):
            if field in item:
                for j, e in enumerate(exp):
                    if (
                        j not in used
                        and isinstance(e, dict)
                        and e.get(field) == item[field]
                        and e.get("code") == item.get("code")
                    ):
                        return j
                return None
    if position < len(exp) and position not in used:
        return position
    return None


def _same_instant(a: Any, b: Any, zone: str, *, end: bool) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    x, _ = parse_date_time(a, zone=zone, end=end)
    y, _ = parse_date_time(b, zone=zone, end=end)
    return x is not None and y is not None and x == y
