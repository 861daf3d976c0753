"""Helpers for patient-data leak tests: find the sensitive texts of a value, or mark them.

Fields declared with :func:`careroles._model.sensitive` hold patient data.  A test can check
that none of their texts shows up in a ``repr``, a log line or an error message:

* :func:`sensitive_texts` collects them from a value (recursively);
* :func:`with_canaries` replaces them, in the value's JSON form, by unique marker strings that
  no message template can contain by chance, so finding one is always a real leak.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from careroles._model import SENSITIVE

__all__ = ["sensitive_texts", "with_canaries"]


def _texts_of(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | frozenset | list):
        for v in value:
            yield from _texts_of(v)
    elif value is not None and not hasattr(type(value), "__attrs_attrs__"):
        yield str(value)  # dates and the like: their text form
        if hasattr(value, "isoformat"):
            yield value.isoformat()


def sensitive_texts(obj: Any, *, min_length: int = 4) -> set[str]:
    """The texts of every sensitive field of `obj`, recursively; shorter ones are skipped."""
    out: set[str] = set()

    def walk(value: Any) -> None:
        fields = getattr(type(value), "__attrs_attrs__", None)
        if fields is not None:
            for f in fields:
                v = getattr(value, f.name)
                if f.metadata.get(SENSITIVE):
                    out.update(t for t in _texts_of(v) if len(t) >= min_length)
                walk(v)
        elif isinstance(value, tuple | frozenset | list):
            for v in value:
                walk(v)

    walk(obj)
    return out


def with_canaries(obj: Any, tree: Any) -> tuple[Any, frozenset[str]]:
    """`tree` (the JSON form of `obj`) with every sensitive text replaced by a unique canary.

    Returns the new tree and its canaries.  Sensitive values that are not text (a birth date)
    are left as they are.
    """
    canaries: list[str] = []

    def canary() -> str:
        canaries.append(f"Qz{len(canaries):04d} canary \u03a9\u00e9")
        return canaries[-1]

    def texts(value: Any, node: Any) -> Any:
        if isinstance(value, str) and isinstance(node, str):
            return canary()
        if isinstance(value, tuple) and isinstance(node, list) and len(value) == len(node):
            return [texts(v, n) for v, n in zip(value, node, strict=True)]
        return node

    def walk(value: Any, node: Any) -> Any:
        fields = getattr(type(value), "__attrs_attrs__", None)
        if fields is not None and isinstance(node, dict):
            out = dict(node)
            for f in fields:
                if f.name in node:
                    v = getattr(value, f.name)
                    marked = f.metadata.get(SENSITIVE)
                    out[f.name] = texts(v, node[f.name]) if marked else walk(v, node[f.name])
            return out
        if isinstance(value, tuple) and isinstance(node, list) and len(value) == len(node):
            return [walk(v, n) for v, n in zip(value, node, strict=True)]
        return node

    return walk(obj, tree), frozenset(canaries)
