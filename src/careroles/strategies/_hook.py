"""Hypothesis' entry-point hook: register careroles' own types with ``st.from_type``.

Hypothesis calls the hook while it is being imported.  If that import was started by
``careroles.strategies`` itself (``from careroles.strategies import patients`` before any
``import hypothesis``), the registry does not exist yet; the hook then notes it, and the
module registers its types when it has finished loading.
"""

from __future__ import annotations

import sys

__all__ = ["_hypothesis_setup_hook", "_register_if_pending"]

_pending = False


def _hypothesis_setup_hook() -> None:
    """Register careroles' own types with ``st.from_type`` (and nothing else)."""
    global _pending
    registry = getattr(sys.modules.get("careroles.strategies"), "STRATEGIES", None)
    if registry is None:  # careroles.strategies is still being imported
        _pending = True
        return
    _pending = False
    from hypothesis import strategies as st

    for cls, factory in registry.items():
        st.register_type_strategy(cls, factory())


def _register_if_pending() -> None:
    if _pending:
        _hypothesis_setup_hook()
