"""Errors careroles raises.

Every error derives from :class:`CareRolesError` and also from the closest builtin, so
``except ValueError`` keeps working for code that predates careroles.  Messages name fields,
rules, roles, actions and statuses, never the values that carry patient data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import attrs

__all__ = [
    "CareRolesError",
    "PermissionDenied",
    "Problem",
    "TransitionError",
    "ValidationError",
    "format_path",
]

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """Render a path as JSON-path text: ``("goals", 2, "due")`` -> ``$.goals[2].due``."""
    out = ["$"]
    for part in path:
        out.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(out)


@attrs.frozen
class Problem:
    """One broken rule: where (`path`), which rule (`code`) and why (`message`).

    The message never contains the offending value: values may be patient data.
    """

    path: Path
    message: str
    code: str = "invalid"

    def prefixed(self, prefix: Path) -> Problem:
        """The same problem seen from an enclosing object."""
        return Problem(prefix + self.path, self.message, self.code)

    def __str__(self) -> str:
        return f"{self.message} @ {format_path(self.path)}"


def _a(subject: str) -> str:
    """``"advocacy_case"`` -> ``"an advocacy case"``: subjects read as words in messages."""
    words = subject.replace("_", " ")
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


class CareRolesError(Exception):
    """Base class of every careroles error."""


class ValidationError(CareRolesError, ValueError):
    """Input broke one or more rules; :attr:`problems` lists every one with its path."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem], *, subject: str = "") -> None:
        self.problems = tuple(problems)
        self.subject = subject
        super().__init__(self._render())

    @classmethod
    def single(cls, path: Path, message: str, code: str = "invalid") -> ValidationError:
        return cls([Problem(path, message, code)])

    @property
    def messages(self) -> list[str]:
        """``"message @ $.path"`` for each problem, ready to show a user."""
        return [str(p) for p in self.problems]

    def prefixed(self, prefix: Path) -> ValidationError:
        return ValidationError([p.prefixed(prefix) for p in self.problems], subject=self.subject)

    def _render(self) -> str:
        head = f"invalid {self.subject}" if self.subject else "invalid input"
        n = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        return f"{head}: {n} problem{'s' if n != 1 else ''}\n{lines}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_validation_error, (self.problems, self.subject))


def _rebuild_validation_error(problems: Sequence[Problem], subject: str) -> ValidationError:
    return ValidationError(problems, subject=subject)


class TransitionError(CareRolesError, ValueError):
    """An action is not possible from the current status (or a guard of the action failed)."""

    def __init__(
        self,
        *,
        subject: str,
        status: str,
        action: str,
        allowed: Sequence[str],
        reason: str = "",
    ) -> None:
        self.subject = subject
        self.status = status
        self.action = action
        self.allowed = tuple(allowed)
        self.reason = reason
        allowed_text = ", ".join(self.allowed) or "none"
        why = reason or f"not allowed from status {status!r}"
        super().__init__(
            f"cannot {action!r} {_a(subject)} in status {status!r}: {why} "
            f"(allowed now: {allowed_text})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_transition_error,
            (self.subject, self.status, self.action, self.allowed, self.reason),
        )


def _rebuild_transition_error(
    subject: str, status: str, action: str, allowed: Sequence[str], reason: str
) -> TransitionError:
    return TransitionError(
        subject=subject, status=status, action=action, allowed=allowed, reason=reason
    )


class PermissionDenied(CareRolesError, PermissionError):
    """The actor's role may not perform the action (deny by default).

    Names the role and the action, never the person.
    """

    def __init__(self, *, role: str, subject: str, action: str, reason: str = "") -> None:
        self.role = role
        self.subject = subject
        self.action = action
        self.reason = reason
        tail = f": {reason}" if reason else ""
        super().__init__(f"role {role!r} may not {action!r} {_a(subject)}{tail}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_permission_denied, (self.role, self.subject, self.action, self.reason))


def _rebuild_permission_denied(
    role: str, subject: str, action: str, reason: str
) -> PermissionDenied:
    return PermissionDenied(role=role, subject=subject, action=action, reason=reason)


ROOT: Final[Path] = ()
