"""Write the small intersphinx inventories the docs build uses offline.

CI builds the docs without network access, so instead of downloading the full inventories of
Python, attrs and cattrs, we keep the entries our docs link to, with their real URLs.  Run
``python docs/_inventories/make_inventories.py`` after adding a cross-reference target.
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).parent

INVENTORIES: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "python": (
        "Python",
        "3",
        [
            ("ValueError", "py:exception", "library/exceptions.html#$"),
            ("PermissionError", "py:exception", "library/exceptions.html#$"),
            ("Exception", "py:exception", "library/exceptions.html#$"),
            ("KeyError", "py:exception", "library/exceptions.html#$"),
            ("TypeError", "py:exception", "library/exceptions.html#$"),
            ("str", "py:class", "library/stdtypes.html#$"),
            ("int", "py:class", "library/functions.html#$"),
            ("bool", "py:class", "library/functions.html#$"),
            ("tuple", "py:class", "library/stdtypes.html#$"),
            ("frozenset", "py:class", "library/stdtypes.html#$"),
            ("dict", "py:class", "library/stdtypes.html#$"),
            ("list", "py:class", "library/stdtypes.html#$"),
            ("object", "py:class", "library/functions.html#$"),
            ("datetime.datetime", "py:class", "library/datetime.html#$"),
            ("datetime.date", "py:class", "library/datetime.html#$"),
            ("datetime.tzinfo", "py:class", "library/datetime.html#$"),
            ("decimal.Decimal", "py:class", "library/decimal.html#$"),
            ("enum.Enum", "py:class", "library/enum.html#$"),
            ("enum.StrEnum", "py:class", "library/enum.html#$"),
            ("typing.Protocol", "py:class", "library/typing.html#$"),
            ("typing.Any", "py:data", "library/typing.html#$"),
            ("collections.abc.Iterable", "py:class", "library/collections.abc.html#$"),
            ("collections.abc.Mapping", "py:class", "library/collections.abc.html#$"),
            ("collections.abc.Callable", "py:class", "library/collections.abc.html#$"),
        ],
    ),
    "attrs": (
        "attrs",
        "26",
        [
            ("attrs.frozen", "py:function", "api.html#$"),
            ("attrs.define", "py:function", "api.html#$"),
            ("attrs.field", "py:function", "api.html#$"),
            ("attrs.evolve", "py:function", "api.html#$"),
            ("attrs.Attribute", "py:class", "api.html#$"),
        ],
    ),
    "cattrs": (
        "cattrs",
        "26",
        [
            ("cattrs.Converter", "py:class", "cattrs.html#$"),
            ("cattrs.BaseConverter", "py:class", "cattrs.html#$"),
            ("cattrs.transform_error", "py:function", "cattrs.html#$"),
        ],
    ),
}


def write(name: str, project: str, version: str, entries: list[tuple[str, str, str]]) -> None:
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    body = "".join(f"{obj} {role} 1 {uri} -\n" for obj, role, uri in entries).encode()
    (HERE / f"{name}.inv").write_bytes(header + zlib.compress(body))


if __name__ == "__main__":
    for name, (project, version, entries) in INVENTORIES.items():
        write(name, project, version, entries)
