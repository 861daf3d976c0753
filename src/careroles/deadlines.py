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
import decimal
import enum
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final

import pendulum

from careroles._model import Record, evolve, model, sensitive
from careroles.audit import ChangeRecord, record_change
from careroles.calendars import add_business_days, is_business_day, us_federal_holidays
from careroles.errors import Problem, ValidationError
from careroles.periods import earlier, is_time_zone, require_aware
from careroles.roles import Actor, Permission, Role, RolePolicy

if TYPE_CHECKING:
    from careroles.deadline_rules import AMOUNT_IN_CONTROVERSY, DEADLINE_RULES

__all__ = [
    "ACCOUNTING_LOOKBACK_YEARS",
    "AMOUNT_IN_CONTROVERSY",
    "DEADLINE_RULES",
    "PERMISSIONS",
    "PPDR_THRESHOLD",
    "AmountInControversy",
    "Clock",
    "SourceConfidence",
    "CoverageRegime",
    "Deadline",
    "DeadlineRule",
    "FilingMeans",
    "GoodCause",
    "HolidayCalendar",
    "MonthEnd",
    "OverdueDecision",
    "Roll",
    "TimeUnit",
    "accounting_lookback_start",
    "add_calendar_months",
    "amount_in_controversy",
    "applicable_rules",
    "compute_deadline",
    "continuation_of_benefits_deadline",
    "continuation_of_benefits_timely",
    "eeoc_charge_deadline",
    "escalation_due",
    "find_rule",
    "meets_amount_in_controversy",
    "ppdr_eligible",
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


class SourceConfidence(enum.StrEnum):
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
    confidence: SourceConfidence
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
    been extended (a rule allows at most one extension).  `escalation` is the rule's
    escalation path for a missed decision clock (DL-008).  `history` holds an audit record of
    every operation.
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
    history: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        if not _RULE_ID.fullmatch(self.rule_id):
            yield Problem(("rule_id",), "must be upper-case words joined by '-'", "format")
        if not _LABEL.fullmatch(self.trigger_event):
            yield Problem(("trigger_event",), "must be a snake_case label", "format")
        if self.triggered_on is None and self.triggered_at is None:
            yield Problem(("triggered_on",), "a deadline needs its trigger", "missing")
        if self.triggered_at is not None and earlier(self.due, self.triggered_at):
            yield Problem(("due",), "a deadline cannot fall before its trigger", "inverted")
        if self.triggered_on is not None and _local_date(self.due) < self.triggered_on:
            yield Problem(("due",), "a deadline cannot fall before its trigger", "inverted")
        if self.original_due is not None and not earlier(self.original_due, self.due):
            yield Problem(("original_due",), "an extension must move the deadline later", "range")
        if self.good_cause is not None and self.clock not in _EXCUSABLE:
            yield Problem(
                ("good_cause",), "good cause excuses only the patient's own windows", "conflict"
            )
        for name in ("label", "citation"):
            if not getattr(self, name).strip():
                yield Problem((name,), "must not be empty", "empty")

    # --- questions ---------------------------------------------------------------------------

    @property
    def zone(self) -> str:
        """The forum's time zone the deadline was computed in."""
        return self.due.timezone_name or "UTC"

    @property
    def due_on(self) -> pendulum.Date:
        """The due day in the forum's zone."""
        return _local_date(self.due)

    def is_met(self) -> bool:
        """Met on time, or met late with a recorded good-cause exception."""
        if self.met_at is None:
            return False
        return not earlier(self.due, self.met_at) or self.good_cause is not None

    def is_missed(self, at: pendulum.DateTime) -> bool:
        """Not met by `due` (as seen at instant `at`), and not excused by good cause."""
        at = require_aware(at, "at")
        if self.met_at is not None:
            return not self.is_met()
        return earlier(self.due, at) and self.good_cause is None

    def days_left(self, at: pendulum.DateTime) -> int:
        """Calendar days from `at`'s day to the due day in the forum's zone (negative if past)."""
        at = require_aware(at, "at")
        today = at.in_timezone(self.zone)
        return (self.due_on - _local_date(today)).days

    # --- operations --------------------------------------------------------------------------

    def mark_met(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        met_at: pendulum.DateTime | None = None,
        policy: RolePolicy | None = None,
    ) -> Deadline:
        """Record when the clock was met (filing received, decision issued); default `at`.

        Met late is still recorded: :meth:`is_met` then needs a good-cause exception.
        """
        at = require_aware(at, "at")
        when = at if met_at is None else require_aware(met_at, "met_at")
        (policy or _POLICY).require(by, "deadline", "mark_met")
        if self.met_at is not None:
            raise ValidationError.single(("met_at",), "already recorded as met", "already_met")
        if earlier(at, when):
            raise ValidationError.single(("met_at",), "cannot be recorded in advance", "future")
        if earlier(when, self._trigger_instant()):
            raise ValidationError.single(
                ("met_at",), "cannot be met before the clock starts", "before_trigger"
            )
        return record_change(self, "mark_met", by=by, at=at, met_at=when)

    def excuse(
        self,
        *,
        reason: str,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Deadline:
        """Record good cause for a late filing (DL-006); returns the excused deadline.

        Only the patient's own windows (filing, continuation) can be excused; a decider's
        decision or effectuation clock cannot.
        """
        at = require_aware(at, "at")
        (policy or _POLICY).require(by, "deadline", "excuse")
        if self.clock not in _EXCUSABLE:
            raise ValidationError.single(
                ("good_cause",), "good cause excuses only the patient's own windows", "conflict"
            )
        if self.good_cause is not None:
            raise ValidationError.single(
                ("good_cause",), "good cause is already recorded", "already_excused"
            )
        cause = GoodCause(reason=reason, recorded_by=by, at=at)
        return record_change(self, "excuse", by=by, at=at, good_cause=cause)

    def extend(
        self,
        *,
        notice_at: pendulum.DateTime,
        by: Actor,
        at: pendulum.DateTime,
        rule: DeadlineRule | None = None,
        holidays: HolidayCalendar | None = None,
        policy: RolePolicy | None = None,
    ) -> Deadline:
        """Apply the rule's one extension, noticed in writing at `notice_at` (ADV-T03).

        Refused when the rule allows no extension (ACA/ERISA appeal decisions, DL-T02), when
        the deadline was already extended (a second extension is invalid), or when the notice
        came after the original deadline.  `rule` defaults to the table row named `rule_id`.
        """
        at = require_aware(at, "at")
        notice_at = require_aware(notice_at, "notice_at")
        (policy or _POLICY).require(by, "deadline", "extend")
        row = rule if rule is not None else find_rule(self.rule_id)
        if row.id != self.rule_id:
            raise ValidationError.single(("rule",), "is not the deadline's rule", "mismatch")
        if row.extension_amount == 0:
            raise ValidationError.single(
                ("original_due",), "the rule allows no extension", "extension_not_allowed"
            )
        if self.original_due is not None:
            raise ValidationError.single(
                ("original_due",), "the rule allows only one extension", "already_extended"
            )
        if earlier(self.due, notice_at):
            raise ValidationError.single(
                ("notice_at",),
                "an extension must be noticed before the original deadline passes",
                "extension_notice_late",
            )
        if earlier(at, notice_at):
            raise ValidationError.single(("notice_at",), "cannot be in the future", "future")
        if row.is_hour_based:
            due = self.due.add(hours=row.extension_amount)
        else:
            day = _advance(self.due_on, row.extension_amount, row.unit, row.month_end, holidays)
            due = _end_of_day(_roll(day, row.roll, holidays), self.zone)
        return record_change(self, "extend", by=by, at=at, original_due=self.due, due=due)

    def _trigger_instant(self) -> pendulum.DateTime:
        if self.triggered_at is not None:
            return self.triggered_at
        assert self.triggered_on is not None  # guaranteed by _rules
        on = self.triggered_on
        return pendulum.datetime(on.year, on.month, on.day, tz=self.zone)


@model
class OverdueDecision(Record):
    """A decider's missed clock (DL-008, DL-T14): the deadline and what the patient may do."""

    code: str = "decision_overdue"
    deadline: Deadline
    escalation: str
    days_overdue: int

    def _rules(self) -> Iterable[Problem]:
        if self.days_overdue < 0:
            yield Problem(("days_overdue",), "must not be negative", "range")
        if self.deadline.clock not in _DECIDERS:
            yield Problem(("deadline", "clock"), "only a decider's clock escalates", "conflict")


@model
class AmountInControversy(Record):
    """The minimum amount in controversy for a Medicare appeal level in a calendar year."""

    level: str
    year: int
    amount: decimal.Decimal
    citation: str
    source_url: str
    confidence: SourceConfidence

    def _rules(self) -> Iterable[Problem]:
        if not _LABEL.fullmatch(self.level):
            yield Problem(("level",), "must be a snake_case label", "format")
        if not 1900 <= self.year <= 9999:
            yield Problem(("year",), "must be a calendar year", "range")
        if not self.amount.is_finite() or self.amount < 0:
            yield Problem(("amount",), "must be a non-negative amount", "range")


#: A decider's clocks: missing one is itself actionable (DL-008).
_DECIDERS: Final = frozenset({Clock.DECISION, Clock.EFFECTUATION})

#: Holiday calendar: a function from a year to the holidays in it.
HolidayCalendar = Callable[[int], Iterable[_dt.date]]


def _local_date(instant: _dt.datetime) -> pendulum.Date:
    return pendulum.Date(instant.year, instant.month, instant.day)


def _end_of_day(day: _dt.date, zone: str) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tz=zone)


# --- calendar arithmetic ---------------------------------------------------------------------


def _holiday_set(holidays: HolidayCalendar | None, year: int) -> frozenset[tuple[int, int, int]]:
    days = us_federal_holidays(year) if holidays is None else holidays(year)
    return frozenset((d.year, d.month, d.day) for d in days)


def _is_business_day(day: pendulum.Date, holidays: HolidayCalendar | None) -> bool:
    if day.weekday() >= 5:
        return False
    if holidays is None:
        return is_business_day(day)
    return (day.year, day.month, day.day) not in _holiday_set(holidays, day.year)


def _add_business_days(
    day: pendulum.Date, n: int, holidays: HolidayCalendar | None
) -> pendulum.Date:
    if holidays is None:
        return add_business_days(day, n)
    while n:
        day = day.add(days=1)
        if _is_business_day(day, holidays):
            n -= 1
    return day


def add_calendar_months(day: _dt.date, months: int, month_end: MonthEnd) -> pendulum.Date:
    """`day` plus `months` calendar months (DL-004).

    When the target month has no such day (Oct 31 + 4 months), `month_end` decides: the last
    day of that month (Feb 28/29) or the first day of the month after (Mar 1).
    """
    start = pendulum.Date(day.year, day.month, day.day)
    landed = start.add(months=months)
    if landed.day != start.day and month_end is MonthEnd.FIRST_DAY_OF_NEXT_MONTH:
        return landed.add(days=1)
    return landed


def _advance(
    day: pendulum.Date,
    amount: int,
    unit: TimeUnit,
    month_end: MonthEnd,
    holidays: HolidayCalendar | None,
) -> pendulum.Date:
    if unit is TimeUnit.CALENDAR_DAYS:
        return day.add(days=amount)
    if unit is TimeUnit.BUSINESS_DAYS:
        return _add_business_days(day, amount, holidays)
    if unit is TimeUnit.CALENDAR_MONTHS:
        return add_calendar_months(day, amount, month_end)
    raise ValidationError.single(("unit",), "hours are not counted in days", "conflict")


def _roll(day: pendulum.Date, roll: Roll, holidays: HolidayCalendar | None) -> pendulum.Date:
    if roll is Roll.NEXT_BUSINESS_DAY:
        while not _is_business_day(day, holidays):
            day = day.add(days=1)
    return day


# --- the engine ------------------------------------------------------------------------------


def find_rule(rule_id: str, rules: Iterable[DeadlineRule] | None = None) -> DeadlineRule:
    """The row of the table (default :data:`DEADLINE_RULES`) with id `rule_id`."""
    if type(rule_id) is not str:
        raise ValidationError.single(
            ("rule",), f"expected a rule id, got {type(rule_id).__name__}", "type"
        )
    for row in _deadline_rules() if rules is None else rules:
        if row.id == rule_id:
            return row
    raise ValidationError.single(("rule",), "no deadline rule has this id", "unknown_rule")


def _as_trigger(trigger: object, zone: str) -> tuple[pendulum.Date, pendulum.DateTime | None]:
    if isinstance(trigger, _dt.datetime):
        if trigger.tzinfo is None or trigger.utcoffset() is None:
            raise ValidationError.single(
                ("trigger",), "naive date-time: a time zone is required", "naive_datetime"
            )
        instant = require_aware(trigger, "trigger")
        return _local_date(instant.in_timezone(zone)), instant.in_timezone(zone)
    if isinstance(trigger, _dt.date):
        return pendulum.Date(trigger.year, trigger.month, trigger.day), None
    raise ValidationError.single(
        ("trigger",), f"expected a date or a date-time, got {type(trigger).__name__}", "type"
    )


_REGIMES: Final = {regime.value: regime for regime in CoverageRegime}


def _as_regime(value: object) -> CoverageRegime:
    """A CoverageRegime from a member or its value (the wire contract), else a careroles error."""
    if isinstance(value, CoverageRegime):
        return value
    regime = _REGIMES.get(value) if isinstance(value, str) else None
    if regime is None:
        raise ValidationError.single(("regime",), "not a coverage regime", "enum")
    return regime


def _check_zone(zone: object) -> str:
    if type(zone) is not str or not is_time_zone(zone):
        raise ValidationError.single(("zone",), "not a known IANA time zone", "time_zone")
    return zone


def compute_deadline(
    rule: str | DeadlineRule,
    trigger: pendulum.Date | pendulum.DateTime,
    *,
    zone: str = "America/New_York",
    holidays: HolidayCalendar | None = None,
    roll: Roll | None = None,
) -> Deadline:
    """Apply a deadline rule (an id from :data:`DEADLINE_RULES`, or a row) to a trigger.

    Day-based clocks: trigger day (a date-time is read in `zone`) + the rule's receipt
    presumption (DL-001) + the amount in the rule's unit (calendar months per its month-end
    policy, DL-004) → rolled forward per the rule (or `roll`, a jurisdiction's override,
    DL-003) → due at the end of that day in `zone`.  Hour-based clocks need a date-time
    trigger and are due exactly that many hours later (DL-005).

    `holidays` (a function from a year to its holidays) defaults to US federal holidays.
    A rule is never applied to a trigger outside its effective dates (DL-007).
    """
    row = rule if isinstance(rule, DeadlineRule) else find_rule(rule)
    zone = _check_zone(zone)
    if roll is not None and not isinstance(roll, Roll):
        raise ValidationError.single(("roll",), "expected a Roll", "type")
    day, instant = _as_trigger(trigger, zone)
    if not row.in_force(day):
        raise ValidationError.single(
            ("trigger",), "the rule is not in force on the trigger day", "rule_not_in_force"
        )
    common: dict[str, Any] = {
        "rule_id": row.id,
        "clock": row.clock,
        "label": row.label,
        "trigger_event": row.trigger,
        "citation": row.citation,
        "escalation": row.escalation,
    }
    if row.is_hour_based:
        if instant is None:
            raise ValidationError.single(
                ("trigger",), "an hour-based clock needs a date-time, not a date", "type"
            )
        due = instant.in_timezone("UTC").add(hours=row.amount).in_timezone(zone)
        return Deadline(triggered_at=instant, due=due, **common)
    start = day.add(days=row.receipt_presumption_days)
    landed = _advance(start, row.amount, row.unit, row.month_end, holidays)
    landed = _roll(landed, row.roll if roll is None else roll, holidays)
    return Deadline(
        triggered_on=day, triggered_at=instant, due=_end_of_day(landed, zone), **common
    )


def applicable_rules(
    regime: CoverageRegime,
    level: str,
    on: pendulum.Date,
    *,
    clock: Clock | None = None,
    expedited: bool | None = None,
    jurisdiction: str = "US",
    rules: Iterable[DeadlineRule] | None = None,
) -> tuple[DeadlineRule, ...]:
    """The rows in force on day `on` for a regime and level (federal rows plus `jurisdiction`'s).

    Never returns a row outside its effective dates.  Narrow with `clock` and `expedited`.
    """
    regime = _as_regime(regime)
    if isinstance(on, _dt.datetime) or not isinstance(on, _dt.date):
        raise ValidationError.single(("on",), f"expected a date, got {type(on).__name__}", "type")
    if type(level) is not str:
        raise ValidationError.single(("level",), "expected a level label", "type")
    if type(jurisdiction) is not str or not _JURISDICTION.fullmatch(jurisdiction):
        raise ValidationError.single(("jurisdiction",), "expected 'US' or 'US-XX'", "format")
    return tuple(
        r
        for r in (_deadline_rules() if rules is None else rules)
        if r.regime is regime
        and r.level == level
        and r.jurisdiction in ("US", jurisdiction)
        and r.in_force(on)
        and (clock is None or r.clock is clock)
        and (expedited is None or r.expedited is expedited)
    )


def escalation_due(
    deadlines: Iterable[Deadline], at: pendulum.DateTime
) -> tuple[OverdueDecision, ...]:
    """The decider's clocks missed as of `at`, each with its escalation path (DL-008, DL-T14).

    Filing clocks are the patient's and never escalate; a decider's clock met in time (or not
    yet due) is not returned.
    """
    at = require_aware(at, "at")
    out = []
    for d in deadlines:
        if not isinstance(d, Deadline):
            raise ValidationError.single(("deadlines",), "expected deadlines", "type")
        if d.clock in _DECIDERS and d.is_missed(at):
            late = d.met_at if d.met_at is not None else at
            days = max(0, (_local_date(late.in_timezone(d.zone)) - d.due_on).days)
            path = d.escalation or "No escalation path is recorded for this rule."
            out.append(OverdueDecision(deadline=d, escalation=path, days_overdue=days))
    return tuple(out)


# --- amount in controversy (Medicare ALJ and court) -------------------------------------------


def amount_in_controversy(level: str, year: int) -> decimal.Decimal:
    """The minimum amount in controversy for `level` in calendar `year` (DL-T07)."""
    if type(year) is not int:
        raise ValidationError.single(("year",), "expected an integer year", "type")
    rows = [r for r in _aic_rows() if r.level == level]
    if not rows:
        raise ValidationError.single(
            ("level",), "no amount-in-controversy threshold for this level", "unknown_level"
        )
    for r in rows:
        if r.year == year:
            return r.amount
    raise ValidationError.single(
        ("year",), "no threshold is recorded for this year", "unknown_year"
    )


def meets_amount_in_controversy(level: str, amount: decimal.Decimal, year: int) -> bool:
    """Whether `amount` reaches the threshold for `level` (``"alj_hearing"``, ``"federal_court"``)
    in calendar `year` (the year the request is filed).  An amount below it must be flagged,
    not silently dropped (DL-T07)."""
    if not isinstance(amount, decimal.Decimal) or not amount.is_finite():
        raise ValidationError.single(("amount",), "expected a decimal amount", "type")
    if amount < 0:
        raise ValidationError.single(("amount",), "must not be negative", "range")
    return amount >= amount_in_controversy(level, year)


# --- functions for rules that are more than one clock -----------------------------------------

_CONTINUATION_RULES: Final = {
    CoverageRegime.MEDICAID_MANAGED_CARE: "MEDICAID-MC-CONTINUATION",
    CoverageRegime.MEDICAID_FFS: "MEDICAID-FFS-CONTINUATION",
}


def _as_date(value: object, field: str) -> pendulum.Date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError.single(
            (field,), f"expected a date, got {type(value).__name__}", "type"
        )
    return pendulum.Date(value.year, value.month, value.day)


def continuation_of_benefits_deadline(
    regime: CoverageRegime,
    *,
    notice_mailed_on: pendulum.Date,
    action_effective_on: pendulum.Date,
    zone: str = "America/New_York",
) -> Deadline:
    """When an appeal (managed care) or hearing request (FFS) must be filed to keep benefits.

    The later of the rule's 10-day window after the notice (FFS: after presumed receipt) and
    the action's intended effective date (42 CFR 438.420(a), 431.231; DL-T12).
    """
    rule_id = _CONTINUATION_RULES.get(_as_regime(regime))
    if rule_id is None:
        raise ValidationError.single(
            ("regime",), "continuation of benefits is a Medicaid rule", "not_applicable"
        )
    notice = _as_date(notice_mailed_on, "notice_mailed_on")
    effective = _as_date(action_effective_on, "action_effective_on")
    window = compute_deadline(rule_id, notice, zone=zone)
    if effective <= window.due_on:
        return window
    return evolve(window, due=_end_of_day(effective, window.zone))


def continuation_of_benefits_timely(
    regime: CoverageRegime,
    *,
    notice_mailed_on: pendulum.Date,
    action_effective_on: pendulum.Date,
    filed_on: pendulum.Date,
    previously_authorized: bool,
    provider_ordered: bool,
    authorization_unexpired: bool,
    continuation_requested: bool,
    zone: str = "America/New_York",
) -> bool:
    """Whether benefits continue pending the appeal (DL-T12, 42 CFR 438.420(b)).

    True only when filed by the later of notice + 10 days and the action's effective date,
    and the service was previously authorized, ordered by a provider, its authorization has
    not expired, and the enrollee asked for continuation.
    """
    flags = {
        "previously_authorized": previously_authorized,
        "provider_ordered": provider_ordered,
        "authorization_unexpired": authorization_unexpired,
        "continuation_requested": continuation_requested,
    }
    for name, flag in flags.items():
        if type(flag) is not bool:
            raise ValidationError.single((name,), "expected true or false", "type")
    filed = _as_date(filed_on, "filed_on")
    deadline = continuation_of_benefits_deadline(
        regime,
        notice_mailed_on=notice_mailed_on,
        action_effective_on=action_effective_on,
        zone=zone,
    )
    return filed <= deadline.due_on and all(flags.values())


#: The No Surprises Act PPDR threshold: billed at least this much over the GFE (ADV-T01).
PPDR_THRESHOLD: Final = decimal.Decimal("400")


def ppdr_eligible(
    *,
    regime: CoverageRegime,
    good_faith_estimate: decimal.Decimal | None,
    billed: decimal.Decimal,
    bill_received_on: pendulum.Date,
    on: pendulum.Date,
) -> bool:
    """No Surprises Act patient-provider dispute resolution eligibility (ADV-T01).

    Uninsured or self-pay; a Good Faith Estimate exists from this provider or facility; the
    bill from that same provider or facility is at least $400 over it; and `on` is within 120
    calendar days of receiving the initial bill (45 CFR 149.620).  Compare one provider or
    facility at a time.
    """
    amounts = {"billed": billed} | (
        {} if good_faith_estimate is None else {"good_faith_estimate": good_faith_estimate}
    )
    for name, value in amounts.items():
        if not isinstance(value, decimal.Decimal) or not value.is_finite():
            raise ValidationError.single((name,), "expected a decimal amount", "type")
        if value < 0:
            raise ValidationError.single((name,), "must not be negative", "range")
    regime = _as_regime(regime)
    today = _as_date(on, "on")
    window = compute_deadline("NSA-PPDR-FILING", _as_date(bill_received_on, "bill_received_on"))
    return (
        regime is CoverageRegime.UNINSURED_SELF_PAY
        and good_faith_estimate is not None
        and billed - good_faith_estimate >= PPDR_THRESHOLD
        and today <= window.due_on
    )


def eeoc_charge_deadline(
    discriminatory_act_on: pendulum.Date,
    *,
    fepa_covers_basis: bool,
    zone: str = "America/New_York",
) -> Deadline:
    """The EEOC charge-filing deadline: 180 days, or 300 where a state or local fair employment
    practices agency covers the basis (ADV-T06).  For age (ADEA) claims only a *state* law
    counts; the caller decides `fepa_covers_basis` accordingly."""
    if type(fepa_covers_basis) is not bool:
        raise ValidationError.single(("fepa_covers_basis",), "expected true or false", "type")
    rule_id = "EEOC-CHARGE-FILING-FEPA" if fepa_covers_basis else "EEOC-CHARGE-FILING"
    return compute_deadline(
        rule_id, _as_date(discriminatory_act_on, "discriminatory_act_on"), zone=zone
    )


#: How far back an accounting of disclosures reaches (45 CFR 164.528(a), ADV-T04).
ACCOUNTING_LOOKBACK_YEARS: Final = 6


def accounting_lookback_start(requested_on: pendulum.Date) -> pendulum.Date:
    """The first day an accounting of disclosures requested on `requested_on` must cover."""
    day = _as_date(requested_on, "requested_on")
    return day.subtract(years=ACCOUNTING_LOOKBACK_YEARS)


# --- the tables (rows in careroles.deadline_rules, loaded on first use) -----------------------


def _deadline_rules() -> tuple[DeadlineRule, ...]:
    from careroles.deadline_rules import DEADLINE_RULES

    return DEADLINE_RULES


def _aic_rows() -> tuple[AmountInControversy, ...]:
    from careroles.deadline_rules import AMOUNT_IN_CONTROVERSY

    return AMOUNT_IN_CONTROVERSY


def __getattr__(name: str) -> Any:
    # The tables live in careroles.deadline_rules, which imports this module's types; loading
    # them lazily keeps either import order working.
    if name == "DEADLINE_RULES":
        return _deadline_rules()
    if name == "AMOUNT_IN_CONTROVERSY":
        return _aic_rows()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
