"""The public face: every name importable from ``careroles``, each module loaded on first use."""

from __future__ import annotations

import ast
import importlib
import pathlib
import subprocess
import sys

import pytest

import careroles

INIT = pathlib.Path(careroles.__file__)


def _type_checking_imports() -> dict[str, str]:
    """Name -> module of the imports mypy sees in careroles/__init__.py."""
    tree = ast.parse(INIT.read_text())
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
    )
    return {
        alias.name: node.module.removeprefix("careroles.")
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names
    }


def test_all_is_sorted_and_lists_exactly_the_names_with_a_home() -> None:
    assert careroles.__all__ == sorted(careroles.__all__)
    assert set(careroles.__all__) == set(careroles._HOME)


def test_the_names_mypy_sees_are_the_names_loaded_at_run_time() -> None:
    assert _type_checking_imports() == careroles._HOME


@pytest.mark.parametrize("name", careroles.__all__)
def test_every_public_name_is_the_object_its_module_defines(name: str) -> None:
    module = importlib.import_module(f"careroles.{careroles._HOME[name]}")
    assert getattr(careroles, name) is getattr(module, name)


def test_dir_lists_every_public_name_before_it_is_loaded() -> None:
    assert set(careroles.__all__) <= set(dir(careroles))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'CarePlane'"):
        getattr(careroles, "CarePlane")  # noqa: B009 - the name is the point


LOADED = "print(sorted(m for m in sys.modules if m.startswith('careroles.')))"


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_careroles_loads_none_of_its_modules() -> None:
    loaded = _fresh(f"import sys, careroles; {LOADED}")
    assert loaded == "[]"


def test_asking_for_one_name_loads_only_what_that_name_needs() -> None:
    loaded = _fresh(f"import sys, careroles; careroles.Consent; {LOADED}")
    assert "careroles.consent" in loaded
    assert "careroles.advocacy" not in loaded
    assert "careroles.serialization" not in loaded


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from careroles import *", namespace)
    assert set(careroles.__all__) <= set(namespace)
