"""Sphinx directives that render careroles' own tables, so the docs never drift from code.

``{policy-table}``            the default role policy (careroles.DEFAULT_POLICY)
``{lifecycle-table} DOTTED``  a lifecycle's rows (DOTTED names a Lifecycle object)
``{lifecycle-diagram} DOTTED`` its Mermaid state diagram
``{rule-table} DOTTED``       a table of Rule rows, or a dict of them
"""

from __future__ import annotations

import importlib
from pathlib import Path
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinxcontrib.mermaid import mermaid


def _resolve(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _table(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> nodes.table:
    table = nodes.table(classes=["careroles-table"])
    group = nodes.tgroup(cols=len(columns))
    table += group
    for _ in columns:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for col in columns:
        row += nodes.entry("", nodes.paragraph(text=col))
    head += row
    body = nodes.tbody()
    group += body
    for item in rows:
        row = nodes.row()
        for col in columns:
            row += nodes.entry("", nodes.paragraph(text=str(item.get(col, ""))))
        body += row
    return table


class PolicyTable(Directive):
    def run(self) -> list[nodes.Node]:
        policy = _resolve("careroles.DEFAULT_POLICY")
        return [_table(policy.table(), ["subject", "action", "roles", "note"])]


class LifecycleTable(Directive):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        lifecycle = _resolve(self.arguments[0])
        return [_table(lifecycle.describe(), ["action", "from", "to", "roles", "requires"])]


class LifecycleDiagram(Directive):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        lifecycle = _resolve(self.arguments[0])
        node = mermaid()
        node["code"] = lifecycle.mermaid()
        node["options"] = {}
        return [node]


class RuleTable(Directive):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        rules = _resolve(self.arguments[0])
        items: Iterable[Any] = rules.values() if isinstance(rules, Mapping) else rules
        rows = [
            {
                "code": r.code,
                "severity": r.severity.value,
                "summary": r.summary,
                "source": r.source,
            }
            for r in sorted(items, key=lambda r: r.code)
        ]
        return [_table(rows, ["code", "severity", "summary", "source"])]


def _draw_timeline(app: Sphinx) -> None:
    """Render the example timeline figure the notebooks page shows (docs/_generated/)."""
    import pendulum

    import careroles as cr
    from careroles.notebook import timeline

    at = pendulum.datetime(2026, 3, 2, 9, tz="America/New_York")
    coordinator = cr.Actor(member_id="cc-1", role=cr.Role.CARE_COORDINATOR)
    appointments = []
    for day, kind in (
        (3, cr.AppointmentKind.DIAGNOSTIC_TEST),
        (10, cr.AppointmentKind.TREATMENT),
        (24, cr.AppointmentKind.FOLLOW_UP),
    ):
        appointment = cr.Appointment.propose(
            id=f"a-{day}",
            patient_id="pat-1",
            kind=kind,
            start=at.add(days=day),
            end=at.add(days=day, hours=1),
            by=coordinator,
            at=at,
        )
        appointments.append(appointment.book(by=coordinator, at=at))
    deadlines = [
        cr.compute_deadline("ACA-INTERNAL-APPEAL-FILING", pendulum.date(2026, 1, 20)),
    ]
    figure = timeline(
        appointments=appointments,
        reviews=[at.add(days=14), at.add(days=44)],
        deadlines=deadlines,
        title="One patient's next months",
    )
    out = Path(app.srcdir) / "_generated"
    out.mkdir(exist_ok=True)
    figure.savefig(out / "timeline.png", dpi=96, bbox_inches="tight")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _draw_timeline)
    app.add_directive("policy-table", PolicyTable)
    app.add_directive("lifecycle-table", LifecycleTable)
    app.add_directive("lifecycle-diagram", LifecycleDiagram)
    app.add_directive("rule-table", RuleTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
