"""Sphinx configuration for the careroles documentation."""

from __future__ import annotations

import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "careroles"
author = "careroles developers"
copyright = "2026, careroles developers"
release = _version("careroles")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinxcontrib.mermaid",
    "careroles_docs",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "careroles"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
nitpicky = False
suppress_warnings = ["myst.xref_missing"]
# Offline inventories (CI has no network): the entries our pages link to, with real URLs.
# Regenerate with docs/_inventories/make_inventories.py.
_INV = Path(__file__).parent / "_inventories"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", str(_INV / "python.inv")),
    "attrs": ("https://www.attrs.org/en/stable", str(_INV / "attrs.inv")),
    "cattrs": ("https://catt.rs/en/stable", str(_INV / "cattrs.inv")),
}
