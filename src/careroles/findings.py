"""Findings: the results of rule checks, and the catalogue of rules that produce them.

A rule is a row (:class:`Rule`): a stable code, a severity, what it means and the source it
comes from.  A check returns :class:`Finding` values that point at a rule by its code, with the
path of what it is about and a message that never carries patient data.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from careroles._model import Record, model
from careroles.errors import Path, Problem, format_path

__all__ = ["Finding", "Rule", "Severity", "catalogue"]


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@model
class Rule(Record):
    """One rule of the catalogue, with the source it is taken from."""

    code: str
    severity: Severity
    summary: str
    source: str

    def _rules(self) -> Iterable[Problem]:
        if not self.code or self.code != self.code.strip():
            yield Problem(("code",), "a rule needs a stable code", "empty")

    def finding(self, path: Path, message: str | None = None) -> Finding:
        """A finding of this rule about the object at `path`."""
        return Finding(
            code=self.code,
            severity=self.severity,
            path=format_path(path),
            message=message or self.summary,
            source=self.source,
        )


@model
class Finding(Record):
    """A rule check's result: stable code, severity, JSON path, message, source of the rule."""

    code: str
    severity: Severity
    path: str
    message: str
    source: str


def catalogue(*tables: Iterable[Rule]) -> dict[str, Rule]:
    """Index rule tables by code; a code may appear only once across all tables."""
    out: dict[str, Rule] = {}
    for table in tables:
        for rule in table:
            if rule.code in out:
                raise ValueError(f"rule code {rule.code} is defined twice")
            out[rule.code] = rule
    return out
