"""Notebook helpers: HTML summaries, plain rows for pandas, and a timeline picture.

Every careroles value renders in Jupyter as a small HTML table (status, key dates, counts).
Patient data never shows: sensitive fields are left out, and identifiers (``id``,
``patient_id`` …) are masked unless you opt in with :func:`show_identifiers`.
"""

from __future__ import annotations

import contextvars
import enum
import html
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import pendulum

from careroles._model import is_sensitive

__all__ = ["html_summary", "rows", "show_identifiers", "timeline"]

_SHOW_IDS: contextvars.ContextVar[bool] = contextvars.ContextVar("show_ids", default=False)


@contextmanager
def show_identifiers(show: bool = True) -> Iterator[None]:
    """Show identifiers in HTML summaries and rows inside this ``with`` block."""
    token = _SHOW_IDS.set(show)
    try:
        yield
    finally:
        _SHOW_IDS.reset(token)


def _is_identifier(name: str) -> bool:
    return name == "id" or name.endswith(("_id", "_ids"))


def _scalar(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, pendulum.DateTime):
        return value.to_iso8601_string()
    if isinstance(value, pendulum.Date | pendulum.Time):
        return value.isoformat()
    if isinstance(value, pendulum.Duration):
        return value.in_words()
    return value


def _summary(obj: Any) -> dict[str, Any]:
    """Top-level fields as display values: scalars as text, collections as counts."""
    show_ids = _SHOW_IDS.get()
    out: dict[str, Any] = {}
    for f in attrs.fields(type(obj)):
        if is_sensitive(f) or (_is_identifier(f.name) and not show_ids):
            continue
        value = getattr(obj, f.name)
        if isinstance(value, tuple | frozenset):
            out[f"{f.name} (count)"] = len(value)
        elif attrs.has(type(value)):
            if f.name == "period":
                out["period start"] = _scalar(value.start)
                out["period end"] = _scalar(value.end) if value.end is not None else None
            elif hasattr(value, "role"):
                out[f"{f.name} role"] = _scalar(value.role)
            continue
        else:
            out[f.name] = _scalar(value)
    return out


def html_summary(obj: Any) -> str:
    """An HTML table of `obj`'s summary, without patient data (used by ``_repr_html_``)."""
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape('' if v is None else str(v))}</td></tr>"
        for k, v in _summary(obj).items()
    )
    title = html.escape(type(obj).__name__)
    return f"<table class='careroles'><caption>{title}</caption>{cells}</table>"


def rows(objects: Iterable[Any]) -> list[dict[str, Any]]:
    """Plain rows (one dict per object) for ``pandas.DataFrame(rows(...))``.

    Same content as the HTML summary: no sensitive fields, identifiers only when shown.
    """
    return [{"type": type(o).__name__, **_summary(o)} for o in objects]


def timeline(
    *,
    appointments: Iterable[Any] = (),
    reviews: Iterable[pendulum.DateTime] = (),
    deadlines: Iterable[Any] = (),
    title: str = "Timeline",
) -> Any:
    """A matplotlib figure of appointments, plan review dates and case deadlines.

    Needs the ``careroles[plot]`` extra.  Shows kinds, statuses and dates only.
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("timeline() needs matplotlib: pip install 'careroles[plot]'") from exc

    lanes: list[tuple[str, list[tuple[Any, str]]]] = [
        (
            "appointments",
            [(a.start, f"{_scalar(a.kind)} ({_scalar(a.status)})") for a in appointments],
        ),
        ("plan reviews", [(r, "review") for r in reviews]),
        ("deadlines", [(d.due, str(_scalar(d.clock))) for d in deadlines]),
    ]
    fig, ax = plt.subplots(figsize=(10, 3))
    for y, (_, points) in enumerate(lanes):
        color = f"C{y}"  # one colour per lane
        for when, label in points:
            # matplotlib plots naive wall-clock date-times (its stubs know only numbers)
            x: Any = when.naive() if isinstance(when, pendulum.DateTime) else when
            ax.plot([x], [y], marker="o", color=color)
            ax.annotate(
                label, (x, y), textcoords="offset points", xytext=(0, 6), fontsize=7, rotation=20
            )
    ax.set_yticks(range(len(lanes)), [name for name, _ in lanes])
    ax.set_ylim(-0.5, len(lanes) - 0.5)
    ax.set_title(title)
    fig.autofmt_xdate()
    return fig
