"""Lifecycles as tables, and the one function that moves an aggregate through one.

A :class:`Lifecycle` lists its statuses and its :class:`Action` rows (from-statuses, to-status,
roles allowed by default, whether a reason is required, named guards).  :meth:`Lifecycle.apply`
checks the row, the role policy and the guards, then returns a new frozen aggregate with the new
status and a :class:`TransitionRecord` appended to its ``history``.  Nothing else changes an
aggregate's status, so the history is a complete audit trail.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

import attrs
import pendulum

from careroles._model import Record, model, sensitive
from careroles.errors import Problem, TransitionError, ValidationError
from careroles.periods import earlier, out_of_order, require_aware
from careroles.roles import Actor, Permission, Role, RolePolicy

__all__ = ["Action", "Guard", "Lifecycle", "TransitionRecord", "check_history"]

S = TypeVar("S", bound=enum.Enum)
A = TypeVar("A", bound="Stateful[Any]")


@model
class TransitionRecord(Record, Generic[S]):
    """One applied action: what, from which status to which, when, by whom, and why."""

    action: str
    from_status: S
    to_status: S
    at: pendulum.DateTime
    by: Actor
    reason: str | None = sensitive(default=None)


class Stateful(Protocol[S]):
    """What :meth:`Lifecycle.apply` needs of an aggregate."""

    @property
    def status(self) -> S: ...
    @property
    def history(self) -> tuple[TransitionRecord[S], ...]: ...


@attrs.frozen
class Guard:
    """A named precondition of an action, checked against the aggregate and the instant."""

    name: str
    check: Callable[[Any, pendulum.DateTime], bool]
    message: str


@attrs.frozen
class Action(Generic[S]):
    """One row of a lifecycle table."""

    name: str
    sources: frozenset[S]
    target: S
    roles: frozenset[Role]
    requires_reason: bool = False
    guards: tuple[Guard, ...] = ()
    note: str = ""


@attrs.frozen
class Lifecycle(Generic[S]):
    """A lifecycle table for one kind of aggregate (its `subject`, e.g. ``"care_plan"``)."""

    subject: str
    statuses: type[S]
    initial: S
    actions: tuple[Action[S], ...]
    _by_name: Mapping[str, Action[S]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_name = {a.name: a for a in self.actions}
        if len(by_name) != len(self.actions):
            raise ValueError(f"{self.subject}: duplicate action names in lifecycle table")
        object.__setattr__(self, "_by_name", by_name)

    # --- introspection -----------------------------------------------------------------

    def action(self, name: str) -> Action[S] | None:
        return self._by_name.get(name)

    def allowed_actions(self, status: S) -> tuple[str, ...]:
        """Names of the actions possible from `status` (for any role)."""
        return tuple(a.name for a in self.actions if status in a.sources)

    def terminal_statuses(self) -> frozenset[S]:
        return frozenset(s for s in self.statuses if not self.allowed_actions(s))

    def reachable(self, start: S | None = None) -> frozenset[S]:
        """Statuses reachable from `start` (default: the initial status) by table actions."""
        seen = {self.initial if start is None else start}
        frontier = list(seen)
        while frontier:
            status = frontier.pop()
            for a in self.actions:
                if status in a.sources and a.target not in seen:
                    seen.add(a.target)
                    frontier.append(a.target)
        return frozenset(seen)

    def permissions(self) -> tuple[Permission, ...]:
        """The default role policy rows of this lifecycle."""
        return tuple(
            Permission(subject=self.subject, action=a.name, roles=a.roles, note=a.note)
            for a in self.actions
        )

    def describe(self) -> list[dict[str, str]]:
        """The table as plain rows, for docs and notebooks."""
        return [
            {
                "action": a.name,
                "from": ", ".join(sorted(s.value for s in a.sources)),
                "to": a.target.value,
                "roles": ", ".join(sorted(r.value for r in a.roles)),
                "requires": ", ".join(
                    (["reason"] if a.requires_reason else []) + [g.name for g in a.guards]
                ),
            }
            for a in self.actions
        ]

    def mermaid(self) -> str:
        """A Mermaid ``stateDiagram-v2`` of the table (the docs render these)."""

        def node(s: S) -> str:
            return str(s.value).replace("-", "_")

        lines = ["stateDiagram-v2", f"    [*] --> {node(self.initial)}"]
        for a in self.actions:
            for src in sorted(a.sources, key=lambda s: list(self.statuses).index(s)):
                lines.append(f"    {node(src)} --> {node(a.target)}: {a.name}")
        for s in sorted(self.terminal_statuses(), key=lambda s: list(self.statuses).index(s)):
            lines.append(f"    {node(s)} --> [*]")
        return "\n".join(lines)

    def check_history(
        self, status: S, history: Sequence[TransitionRecord[Any]]
    ) -> Iterable[Problem]:
        """:func:`check_history`, plus: every record is a row of this table.

        Aggregates call this in their rules, so a stored history the table could not have
        produced is refused on loading.  The first record may start anywhere: imported
        records keep the status they arrived in, with an empty history.
        """
        yield from check_history(status, history)
        by_name = self._by_name
        for i, record in enumerate(history):
            row = by_name.get(record.action)
            if row is None:
                yield Problem(
                    ("history", i, "action"), "not an action of this lifecycle", "action"
                )
            elif record.from_status not in row.sources or record.to_status is not row.target:
                yield Problem(
                    ("history", i), "this action cannot make this transition", "transition"
                )

    # --- the operation -----------------------------------------------------------------

    def apply(
        self,
        aggregate: A,
        action: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str | None = None,
        policy: RolePolicy | None = None,
        **changes: Any,
    ) -> A:
        """Apply `action` to `aggregate`; return the new aggregate or raise.

        Raises:
            TransitionError: unknown action, not allowed from the current status, or a guard
                failed.
            PermissionDenied: `by`'s role may not perform the action under `policy` (default:
                the table's own roles).
            ValidationError: a missing reason, a naive or out-of-order `at`, or the new
                aggregate breaks one of its rules.
        """
        status: S = aggregate.status
        row = self.action(action)
        if row is None:
            raise TransitionError(
                subject=self.subject,
                status=status.value,
                action=action,
                allowed=self.allowed_actions(status),
                reason="no such action",
            )
        (policy or RolePolicy(self.permissions())).require(by, self.subject, action)
        if status not in row.sources:
            raise TransitionError(
                subject=self.subject,
                status=status.value,
                action=action,
                allowed=self.allowed_actions(status),
            )
        at = require_aware(at, "at")
        if row.requires_reason and not (reason and reason.strip()):
            raise ValidationError.single(
                ("reason",), f"{action!r} requires a reason", "reason_required"
            )
        history = aggregate.history
        if history and earlier(at, history[-1].at):
            raise ValidationError.single(
                ("at",), "an action cannot be dated before the previous one", "out_of_order"
            )
        for guard in row.guards:
            if not guard.check(aggregate, at):
                raise TransitionError(
                    subject=self.subject,
                    status=status.value,
                    action=action,
                    allowed=self.allowed_actions(status),
                    reason=guard.message,
                )
        record = TransitionRecord(
            action=action, from_status=status, to_status=row.target, at=at, by=by, reason=reason
        )
        return attrs.evolve(  # type: ignore[misc]
            aggregate, status=row.target, history=(*history, record), **changes
        )


def check_history(
    status: enum.Enum, history: Sequence[TransitionRecord[Any]]
) -> Iterable[Problem]:
    """The rules every aggregate's history obeys: a chain, in time order, ending at `status`."""
    late = set(out_of_order(history))
    for i in range(1, len(history)):
        if history[i].from_status != history[i - 1].to_status:
            yield Problem(("history", i, "from_status"), "breaks the chain of statuses", "chain")
        if i in late:
            yield Problem(("history", i, "at"), "dated before the previous action", "out_of_order")
    if history and history[-1].to_status != status:
        yield Problem(("status",), "differs from the last recorded transition", "chain")
