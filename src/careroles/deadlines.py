"""Deadlines: cited, effective-dated rules and the engine that turns a trigger into a due instant.

A :class:`DeadlineRule` is one row of a table (:data:`DEADLINE_RULES`, rows in
:mod:`careroles.deadline_rules`): which regime and level it belongs to, whose clock it is
(the patient's *filing* clock or the decider's *decision* clock, DL-008), what event starts it,
how long it runs and in which unit, whether receipt of a notice is presumed some days after
its date (DL-001), what "filed" means (DL-002), whether a due day on a weekend or holiday rolls
to the next business day (DL-003), how calendar months end (DL-004), the dates it is in force
(DL-007), and its citation.  Numbers live in the table, never in code.

:func:`compute_deadline` applies one rule to a trigger and returns a :class:`Deadline`: a value
with the last instant on which the clock is met (end of the due day in the forum's zone for
day-based clocks, the exact instant for hour-based clocks, DL-005).  A late filing is recorded
with a :class:`GoodCause` (DL-006), never rejected outright; a decider's missed deadline is
reported by :func:`escalation_due` with the rule's escalation path (DL-008, DL-T14).

Not legal advice: every row carries its source, its confidence and the date it was last
reviewed; check them before relying on a date.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterable
from typing import Final

import attrs
import pendulum

from careroles._model import Record, model, sensitive
from careroles.errors import Problem, ValidationError
from careroles.periods import require_aware
from careroles.roles import Actor, Permission, Role, RolePolicy

__all__ = [
    "PERMISSIONS",
    "Clock",
    "Confidence",
    "CoverageRegime",
    "Deadline",
    "DeadlineRule",
    "FilingMeans",
    "GoodCause",
    "MonthEnd",
    "Roll",
    "TimeUnit",
]


class Clock(enum.StrEnum):
    """Whose clock a deadline is (DL-008)."""

    FILING = "filing"  #: the patient's (or representative's) window to file or request
    DECISION = "decision"  #: the decider's window to decide
    EFFECTUATION = "effectuation"  #: the decider's window to carry out a reversal
    CONTINUATION = "continuation"  #: the window to keep benefits running while appealing


class TimeUnit(enum.StrEnum):
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    CALENDAR_MONTHS = "calendar_months"
    HOURS = "hours"


class FilingMeans(enum.StrEnum):
    """What counts as "filed" in the forum (DL-002)."""

    RECEIVED = "received"  #: filed when the forum receives it
    POSTMARKED = "postmarked"  #: filed on the postmark date


class Roll(enum.StrEnum):
    """What happens when a day-based deadline falls on a weekend or holiday (DL-003)."""

    NONE = "none"
    NEXT_BUSINESS_DAY = "next_business_day"


class MonthEnd(enum.StrEnum):
    """Where "N calendar months after" lands when the target month has no such day (DL-004)."""

    #: the last day of the target month (Oct 31 + 4 months = Feb 28/29)
    LAST_DAY_OF_MONTH = "last_day_of_month"
    #: the first day of the month after (Oct 31 + 4 months = Mar 1): federal external review [R]
    FIRST_DAY_OF_NEXT_MONTH = "first_day_of_next_month"


class Confidence(enum.StrEnum):
    """How the rule was established (domain.md §0)."""

    PRIMARY = "primary"  #: [P] primary or official text read
    SECONDARY = "secondary"  #: [S] secondary source read
    RECALLED = "recalled"  #: [R] recalled, not found in the sources: verify before relying


class CoverageRegime(enum.StrEnum):
    """Which regime governs a matter (domain.md §2.1, ADV-001)."""

    EMPLOYER_OR_ACA = "employer_or_aca"
    GRANDFATHERED = "grandfathered"
    ORIGINAL_MEDICARE = "original_medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    PART_D = "part_d"
    MEDICAID_FFS = "medicaid_ffs"
    MEDICAID_MANAGED_CARE = "medicaid_managed_care"
    UNINSURED_SELF_PAY = "uninsured_self_pay"
    NOT_APPLICABLE = "not_applicable"  #: records requests, complaints, employment matters


_RULE_ID: Final = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", re.ASCII)
_LABEL: Final = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*", re.ASCII)
_JURISDICTION: Final = re.compile(r"US(?:-[A-Z]{2})?", re.ASCII)


@model
class DeadlineRule(Record):
    """One row of the deadline table: a cited, effective-dated clock.

    `kind` is the advocacy case kind (``"insurance_appeal"``, ``"billing_dispute"``,
    ``"records_request"``, ``"complaint"``, ``"workplace_accommodation"``) and `level` the step
    within it (``"internal_appeal"``, ``"redetermination"``, ``"alj_hearing"``...), both
    snake_case labels.  `effective_to` is the last day the rule is in force (inclusive);
    ``None`` means still in force.  `extension_amount` (same unit) is the one extension the
    rule allows, if any, under `extension_condition`.  `escalation` says what a missed decision
    clock lets the patient do.
    """

    id: str
    regime: CoverageRegime
    kind: str
    level: str
    clock: Clock
    trigger: str
    amount: int
    unit: TimeUnit
    label: str
    receipt_presumption_days: int = 0
    filing_means: FilingMeans = FilingMeans.RECEIVED
    roll: Roll = Roll.NONE
    month_end: MonthEnd = MonthEnd.LAST_DAY_OF_MONTH
    expedited: bool = False
    extension_amount: int = 0
    extension_condition: str = ""
    escalation: str = ""
    jurisdiction: str = "US"
    effective_from: pendulum.Date
    effective_to: pendulum.Date | None = None
    citation: str
    source_url: str
    confidence: Confidence
    domain_refs: tuple[str, ...] = ()
    last_reviewed: pendulum.Date
    notes: str = ""

    def _rules(self) -> Iterable[Problem]:
        if not _RULE_ID.fullmatch(self.id):
            yield Problem(("id",), "must be upper-case words joined by '-'", "format")
        for name in ("kind", "level", "trigger"):
            if not _LABEL.fullmatch(getattr(self, name)):
                yield Problem((name,), "must be a snake_case label", "format")
        if not _JURISDICTION.fullmatch(self.jurisdiction):
            yield Problem(("jurisdiction",), "must be 'US' or 'US-' and a state code", "format")
        if self.amount <= 0:
            yield Problem(("amount",), "must be positive", "range")
        if self.receipt_presumption_days < 0:
            yield Problem(("receipt_presumption_days",), "must not be negative", "range")
        if self.extension_amount < 0:
            yield Problem(("extension_amount",), "must not be negative", "range")
        if self.unit is TimeUnit.HOURS and self.receipt_presumption_days:
            yield Problem(
                ("receipt_presumption_days",),
                "an hour-based clock starts at a timestamp, not a presumed receipt day",
                "conflict",
            )
        if self.unit is TimeUnit.HOURS and self.roll is not Roll.NONE:
            yield Problem(("roll",), "an hour-based clock does not roll", "conflict")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            yield Problem(("effective_to",), "must not be before effective_from", "inverted")
        for name in ("label", "citation"):
            if not getattr(self, name).strip():
                yield Problem((name,), "must not be empty", "empty")
        if not self.source_url.startswith(("https://", "http://")):
            yield Problem(("source_url",), "must be an http(s) address", "format")

    def in_force(self, on: _dt.date) -> bool:
        """Whether the rule applies on day `on` (its effective dates, both inclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def is_hour_based(self) -> bool:
        return self.unit is TimeUnit.HOURS


@model
class GoodCause(Record):
    """Why a late filing should be accepted (DL-006), who recorded it and when."""

    reason: str = sensitive()
    recorded_by: Actor
    at: pendulum.DateTime

    def _rules(self) -> Iterable[Problem]:
        if not self.reason.strip():
            yield Problem(("reason",), "a good-cause exception needs a reason", "empty")


#: Non-lifecycle operations on a deadline (PRODUCT.md: the advocate pursues cases with the
#: patient's authorization; the patient and their representative act in their own right).
PERMISSIONS: Final = (
    Permission(
        subject="deadline",
        action="mark_met",
        roles=frozenset(
            {
                Role.PATIENT,
                Role.PERSONAL_REPRESENTATIVE,
                Role.PATIENT_ADVOCATE,
                Role.CARE_COORDINATOR,
            }
        ),
        note="record the instant a filing was received or a decision was issued",
    ),
    Permission(
        subject="deadline",
        action="excuse",
        roles=frozenset({Role.PATIENT, Role.PERSONAL_REPRESENTATIVE, Role.PATIENT_ADVOCATE}),
        note="record good cause for a late filing (DL-006)",
    ),
    Permission(
        subject="deadline",
        action="extend",
        roles=frozenset({Role.PATIENT, Role.PERSONAL_REPRESENTATIVE, Role.PATIENT_ADVOCATE}),
        note="record the decider's extension notice where the rule allows one",
    ),
)

_POLICY: Final = RolePolicy(PERMISSIONS)

#: Clocks a good-cause exception can excuse (the patient's own windows, not the decider's).
_EXCUSABLE: Final = frozenset({Clock.FILING, Clock.CONTINUATION})


@model
class Deadline(Record):
    """A computed deadline: the last instant on which a clock is met.

    For day-based clocks `due` is the end of the due day (23:59:59.999999) in the forum's zone
    and `triggered_on` is the trigger day; for hour-based clocks `due` is exact and
    `triggered_at` holds the triggering instant.  `original_due` is set once the deadline has
    been extended (a rule allows at most one extension).
    """

    rule_id: str
    clock: Clock
    label: str
    trigger_event: str
    triggered_on: pendulum.Date | None = None
    triggered_at: pendulum.DateTime | None = None
    due: pendulum.DateTime
    citation: str
    escalation: str = ""
    original_due: pendulum.DateTime | None = None
    met_at: pendulum.DateTime | None = None
    good_cause: GoodCause | None = None

    def _rules(self) -> Iterable[Problem]:
        if not _RULE_ID.fullmatch(self.rule_id):
            yield Problem(("rule_id",), "must be upper-case words joined by '-'", "format")
        if self.triggered_on is None and self.triggered_at is None:
            yield Problem(("triggered_on",), "a deadline needs its trigger", "missing")
        if self.triggered_at is not None and self.due < self.triggered_at:
            yield Problem(("due",), "a deadline cannot fall before its trigger", "inverted")
        if self.triggered_on is not None and _local_date(self.due) < self.triggered_on:
            yield Problem(("due",), "a deadline cannot fall before its trigger", "inverted")
        if self.original_due is not None and self.original_due >= self.due:
            yield Problem(("original_due",), "an extension must move the deadline later", "range")
        if self.good_cause is not None and self.clock not in _EXCUSABLE:
            yield Problem(
                ("good_cause",), "good cause excuses only the patient's own windows", "conflict"
            )

    # --- questions ---------------------------------------------------------------------------

    def is_met(self) -> bool:
        """Met on time, or met late with a recorded good-cause exception."""
        if self.met_at is None:
            return False
        return self.met_at <= self.due or self.good_cause is not None

    def is_missed(self, at: pendulum.DateTime) -> bool:
        """Not met by `due` (as seen at instant `at`), and not excused."""
        at = require_aware(at, "at")
        if self.met_at is not None:
            return not self.is_met()
        return at > self.due and self.good_cause is None

    def days_left(self, at: pendulum.DateTime) -> int:
        """Calendar days from `at`'s day to the due day in the forum's zone (negative if past)."""
        at = require_aware(at, "at")
        today = at.in_timezone(self.due.timezone_name or "UTC").date()
        return (_local_date(self.due) - today).days

    # --- operations --------------------------------------------------------------------------

    def mark_met(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        met_at: pendulum.DateTime | None = None,
        policy: RolePolicy | None = None,
    ) -> Deadline:
        """Record when the clock was met (filing received, decision issued); default `at`."""
        at = require_aware(at, "at")
        when = at if met_at is None else require_aware(met_at, "met_at")
        (policy or _POLICY).require(by, "deadline", "mark_met")
        if self.met_at is not None:
            raise ValidationError.single(("met_at",), "already recorded as met", "already_met")
        if when > at:
            raise ValidationError.single(("met_at",), "cannot be recorded in advance", "future")
        return attrs.evolve(self, met_at=when)  # type: ignore[misc]

    def excuse(
        self,
        *,
        reason: str,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Deadline:
        """Record good cause for a late filing (DL-006); returns the excused deadline."""
        at = require_aware(at, "at")
        (policy or _POLICY).require(by, "deadline", "excuse")
        if self.good_cause is not None:
            raise ValidationError.single(
                ("good_cause",), "good cause is already recorded", "already_excused"
            )
        cause = GoodCause(reason=reason, recorded_by=by, at=at)
        return attrs.evolve(self, good_cause=cause)  # type: ignore[misc]


def _local_date(instant: pendulum.DateTime) -> pendulum.Date:
    return pendulum.Date(instant.year, instant.month, instant.day)
