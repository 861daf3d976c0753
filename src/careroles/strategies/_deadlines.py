"""Strategies for deadline rules, computed deadlines and what the engine reports.

Deadlines are drawn the way an app gets them: a row of the table (in force on the trigger day)
applied by :func:`~careroles.deadlines.compute_deadline`, then a legal sequence of operations
(extension, good cause, marking met) by actors whose role the default policy allows.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Final

import pendulum
from hypothesis import strategies as st

from careroles.deadlines import (
    AMOUNT_IN_CONTROVERSY,
    DEADLINE_RULES,
    PERMISSIONS,
    AmountInControversy,
    Clock,
    CoverageRegime,
    Deadline,
    DeadlineRule,
    FilingMeans,
    GoodCause,
    MonthEnd,
    OverdueDecision,
    Roll,
    SourceConfidence,
    TimeUnit,
    compute_deadline,
    escalation_due,
)
from careroles.roles import Actor, Role
from careroles.strategies._core import actors, datetimes, texts, zones

__all__ = [
    "amounts_in_controversy",
    "deadline_rules",
    "deadlines",
    "good_causes",
    "overdue_decisions",
]

_LABELS: Final = st.from_regex(r"[a-z]{3,10}(_[a-z]{2,10}){0,3}", fullmatch=True)
_IDS: Final = st.from_regex(r"[A-Z]{2,8}(-[A-Z0-9]{1,8}){1,4}", fullmatch=True)
_PHRASES: Final = st.sampled_from(
    (
        "File the appeal within the window",
        "The decider answers within the window",
        "45 CFR 147.136",
        "42 CFR 405.942(a)",
        "A state rule",
    )
)
_URLS: Final = st.sampled_from(
    ("https://www.ecfr.gov/current/title-42", "https://www.cms.gov/medicare/appeals-grievances")
)
_NOTES: Final = st.sampled_from(("", "Verify before relying on it.", "Federal floor."))
_EARLIEST: Final = pendulum.date(2000, 1, 1)
_LATEST: Final = pendulum.date(2040, 12, 31)


def _pdates(low: _dt.date, high: _dt.date) -> st.SearchStrategy[pendulum.Date]:
    return st.dates(min_value=low, max_value=high).map(
        lambda d: pendulum.Date(d.year, d.month, d.day)
    )


@st.composite
def _generated_rules(draw: st.DrawFn) -> DeadlineRule:
    unit = draw(st.sampled_from(TimeUnit))
    hours = unit is TimeUnit.HOURS
    since = draw(_pdates(_EARLIEST, pendulum.date(2030, 12, 31)))
    until = draw(st.none() | _pdates(since, _LATEST))
    amount_max = {TimeUnit.CALENDAR_MONTHS: 24, TimeUnit.BUSINESS_DAYS: 60}.get(unit, 400)
    return DeadlineRule(
        id=draw(_IDS),
        regime=draw(st.sampled_from(CoverageRegime)),
        kind=draw(_LABELS),
        level=draw(_LABELS),
        clock=draw(st.sampled_from(Clock)),
        trigger=draw(_LABELS),
        amount=draw(st.integers(1, amount_max)),
        unit=unit,
        label=draw(_PHRASES),
        receipt_presumption_days=0 if hours else draw(st.integers(0, 10)),
        filing_means=draw(st.sampled_from(FilingMeans)),
        roll=Roll.NONE if hours else draw(st.sampled_from(Roll)),
        month_end=draw(st.sampled_from(MonthEnd)),
        expedited=draw(st.booleans()),
        extension_amount=draw(st.integers(0, 30)),
        extension_condition=draw(_NOTES),
        escalation=draw(_NOTES),
        jurisdiction=draw(st.sampled_from(("US", "US-UT", "US-VA"))),
        effective_from=since,
        effective_to=until,
        citation=draw(_PHRASES),
        source_url=draw(_URLS),
        confidence=draw(st.sampled_from(SourceConfidence)),
        domain_refs=tuple(
            draw(
                st.lists(st.sampled_from(("DL-001", "DL-T05", "ADV-T03")), max_size=3, unique=True)
            )
        ),
        last_reviewed=draw(_pdates(_EARLIEST, _LATEST)),
        notes=draw(_NOTES),
    )


def deadline_rules() -> st.SearchStrategy[DeadlineRule]:
    """Rows of the shipped table, and other valid rows an app could add."""
    return st.sampled_from(DEADLINE_RULES) | _generated_rules()


def good_causes() -> st.SearchStrategy[GoodCause]:
    return st.builds(GoodCause, reason=texts(), recorded_by=actors(), at=datetimes())


def _actors_for(action: str) -> st.SearchStrategy[Actor]:
    roles = next(p.roles for p in PERMISSIONS if p.action == action)
    return actors(st.sampled_from(sorted(roles, key=lambda r: r.value)))


@st.composite
def _computed(draw: st.DrawFn, clocks: frozenset[Clock] | None = None) -> Deadline:
    rules = [r for r in DEADLINE_RULES if clocks is None or r.clock in clocks]
    rule = draw(st.sampled_from(rules))
    low = max(rule.effective_from, _EARLIEST)
    high = min(rule.effective_to or _LATEST, _LATEST)
    zone = draw(zones())
    day = draw(_pdates(low, high))
    if rule.is_hour_based or draw(st.booleans()):
        # A date-time trigger on that day in the forum's zone.
        seconds = draw(st.integers(0, 24 * 3600 - 1))
        start = pendulum.datetime(day.year, day.month, day.day, tz=zone).add(seconds=seconds)
        if pendulum.Date(start.year, start.month, start.day) != day:
            start = pendulum.datetime(day.year, day.month, day.day, tz=zone)
        return compute_deadline(rule, start, zone=zone)
    return compute_deadline(rule, day, zone=zone)


def _start(deadline: Deadline) -> pendulum.DateTime:
    if deadline.triggered_at is not None:
        return deadline.triggered_at
    on = deadline.triggered_on
    assert on is not None
    return pendulum.datetime(on.year, on.month, on.day, tz=deadline.zone)


@st.composite
def deadlines(draw: st.DrawFn) -> Deadline:
    """Computed deadlines, then some of: extension, good cause, met (in a legal order)."""
    deadline = draw(_computed())
    span = max(1, int((deadline.due - _start(deadline)).total_seconds()))
    clock = _start(deadline)
    rule = next(r for r in DEADLINE_RULES if r.id == deadline.rule_id)
    if rule.extension_amount and draw(st.booleans()):
        notice = clock.add(seconds=draw(st.integers(0, span)))
        clock = notice.add(seconds=draw(st.integers(0, 3 * 24 * 3600)))
        deadline = deadline.extend(notice_at=notice, by=draw(_actors_for("extend")), at=clock)
        span = max(1, int((deadline.due - _start(deadline)).total_seconds()))
    if deadline.clock in (Clock.FILING, Clock.CONTINUATION) and draw(st.booleans()):
        clock = clock.add(seconds=draw(st.integers(0, 2 * span)))
        deadline = deadline.excuse(reason=draw(texts()), by=draw(_actors_for("excuse")), at=clock)
    if draw(st.booleans()):
        met_at = clock.add(seconds=draw(st.integers(0, 2 * span)))
        clock = met_at.add(seconds=draw(st.integers(0, 7 * 24 * 3600)))
        deadline = deadline.mark_met(by=draw(_actors_for("mark_met")), at=clock, met_at=met_at)
    return deadline


@st.composite
def overdue_decisions(draw: st.DrawFn) -> OverdueDecision:
    """What :func:`escalation_due` reports for a decider's clock seen after it passed."""
    deadline = draw(_computed(frozenset({Clock.DECISION, Clock.EFFECTUATION})))
    at = deadline.due.add(seconds=draw(st.integers(1, 400 * 24 * 3600)))
    if draw(st.booleans()):
        late = deadline.due.add(seconds=draw(st.integers(1, 30 * 24 * 3600)))
        deadline = deadline.mark_met(
            by=draw(actors(st.just(Role.PATIENT_ADVOCATE))), at=max(at, late), met_at=late
        )
        at = max(at, late)
    (overdue,) = escalation_due([deadline], at)
    return overdue


def amounts_in_controversy() -> st.SearchStrategy[AmountInControversy]:
    return st.sampled_from(AMOUNT_IN_CONTROVERSY) | st.builds(
        AmountInControversy,
        level=st.sampled_from(("alj_hearing", "federal_court")),
        year=st.integers(1990, 2100),
        amount=st.decimals(min_value=Decimal(0), max_value=Decimal(10**6), places=2),
        citation=_PHRASES,
        source_url=_URLS,
        confidence=st.sampled_from(SourceConfidence),
    )
