"""Review cadences as data: how often a care plan must be reviewed, per program.

A :class:`ReviewCadence` row says *how long* (an amount of a :class:`IntervalUnit`) after *what*
(a :class:`CadenceTrigger`) a review is due, and cites its source (domain.md §5.2, CP-001,
CP-T02, CP-T03).  :data:`REVIEW_CADENCES` holds the program policies careroles ships; apps may
pass a table of their own.

Clock rules (see docs/care-plans.md):

* hour units are exact instants (48 hours after admission is 48 elapsed hours, across DST);
* calendar-day, business-day and calendar-month units are *date* clocks: the review is due by
  the end of the resulting day, in the zone of the instant the clock runs from;
* calendar months keep the day of the month and clamp at month ends (31 January + 1 month =
  28 or 29 February), never "30 days" (domain.md DL-004);
* business days skip weekends and US federal holidays (:mod:`careroles.calendars`).

:func:`next_review_due` is CP-001: the earliest of the program interval since the last review
(or the activation), the event-triggered reviews (admission, assessment, discharge,
significant change, patient request) not yet followed by a review, and the target dates of the
plan's open goals.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

import pendulum

from careroles._model import Record, model
from careroles.calendars import add_business_days
from careroles.errors import Problem, ValidationError
from careroles.periods import earlier, instant, require_aware

if TYPE_CHECKING:
    from careroles.care_plans import CarePlan

__all__ = [
    "CadenceTrigger",
    "IntervalUnit",
    "REVIEW_CADENCES",
    "ReviewCadence",
    "ReviewEvent",
    "ReviewEventKind",
    "TcmComplexity",
    "TcmDueDates",
    "is_review_overdue",
    "next_review_due",
    "review_cadence",
    "transitional_care_due",
]


class IntervalUnit(enum.StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    CALENDAR_MONTHS = "calendar_months"


class CadenceTrigger(enum.StrEnum):
    """What a cadence's clock runs from."""

    LAST_REVIEW = "last_review"  # the plan's last review, or its activation if none since
    ADMISSION = "admission"
    COMPREHENSIVE_ASSESSMENT = "comprehensive_assessment"
    DISCHARGE = "discharge"


class ReviewEventKind(enum.StrEnum):
    """Events that call for a review (domain.md CP-001)."""

    ADMISSION = "admission"
    COMPREHENSIVE_ASSESSMENT = "comprehensive_assessment"
    DISCHARGE = "discharge"
    SIGNIFICANT_CHANGE = "significant_change"  # due at once
    PATIENT_REQUEST = "patient_request"  # due at once


#: Event kinds that call for a review at the instant they happen, whatever the cadence.
_IMMEDIATE: Final = frozenset(
    {ReviewEventKind.SIGNIFICANT_CHANGE, ReviewEventKind.PATIENT_REQUEST}
)


@model
class ReviewEvent(Record):
    """Something that happened to the patient and calls for a plan review."""

    kind: ReviewEventKind
    at: pendulum.DateTime


@model
class ReviewCadence(Record):
    """One program's review policy: `amount` `unit`s after `trigger`, with its source."""

    name: str
    program: str
    amount: int
    unit: IntervalUnit
    trigger: CadenceTrigger
    source: str
    notes: str = ""

    def _rules(self) -> Iterable[Problem]:
        if not self.name or not self.name.replace("_", "").isalnum():
            yield Problem(("name",), "expected a snake_case name", "format")
        if self.amount <= 0:
            yield Problem(("amount",), "must be positive", "range")
        if not self.source:
            yield Problem(("source",), "a cadence cites its source", "empty")

    @property
    def repeats(self) -> bool:
        """Whether the cadence runs again after each review (else it is a one-off)."""
        return self.trigger is CadenceTrigger.LAST_REVIEW

    def due_from(self, start: pendulum.DateTime) -> pendulum.DateTime:
        """The instant by which a review is due when the clock starts at `start`."""
        start = require_aware(start, "start")
        if self.unit is IntervalUnit.HOURS:
            return start.add(hours=self.amount)
        day = start.date()
        if self.unit is IntervalUnit.CALENDAR_DAYS:
            day = day.add(days=self.amount)
        elif self.unit is IntervalUnit.CALENDAR_MONTHS:
            day = day.add(months=self.amount)  # clamps: 31 Jan + 1 month = 28/29 Feb
        else:
            day = add_business_days(day, self.amount)
        return pendulum.datetime(day.year, day.month, day.day, tz=start.timezone).end_of("day")


_CCM: Final = (
    "CMS MLN 909188 Chronic Care Management Services "
    "https://docslib.org/doc/11570542/chronic-care-management-services ; "
    "https://med.noridianmedicare.com/web/jfa/provider-types/opps/chronic-care-management-services"
    " (domain.md §5.2, CP-001, CP-T02)"
)

#: The program review policies careroles ships (domain.md §5.2).
REVIEW_CADENCES: Final[tuple[ReviewCadence, ...]] = (
    ReviewCadence(
        name="ccm_monthly",
        program="chronic_care_management",
        amount=1,
        unit=IntervalUnit.CALENDAR_MONTHS,
        trigger=CadenceTrigger.LAST_REVIEW,
        source=_CCM,
        notes="CPT 99490 etc.: plan established, implemented, revised or monitored; "
        ">= 20 min clinical staff time per calendar month",
    ),
    ReviewCadence(
        name="pcm_monthly",
        program="principal_care_management",
        amount=1,
        unit=IntervalUnit.CALENDAR_MONTHS,
        trigger=CadenceTrigger.LAST_REVIEW,
        source="CPT 99424-99427; "
        "https://www.ngsmedicare.com/web/ngs/care-management?selectedArticleId=3451840 "
        "(domain.md §5.2, CP-001)",
        notes="single high-risk condition; >= 30 min per month",
    ),
    ReviewCadence(
        name="hospice_15_days",
        program="hospice",
        amount=15,
        unit=IntervalUnit.CALENDAR_DAYS,
        trigger=CadenceTrigger.LAST_REVIEW,
        source="42 CFR 418.56 https://curantissolutions.com/the-hospice-plan-of-care "
        "(domain.md §5.2, CP-T02)",
        notes="the interdisciplinary group updates the plan at least every 15 days",
    ),
    ReviewCadence(
        name="home_health_60_days",
        program="home_health",
        amount=60,
        unit=IntervalUnit.CALENDAR_DAYS,
        trigger=CadenceTrigger.LAST_REVIEW,
        source="42 CFR 440.70, 42 CFR 484.60 http://laws9.com/cfr/text/42/440/70 "
        "(domain.md §5.2, CP-T02)",
        notes="plan of care reviewed and recertified at least every 60 days",
    ),
    ReviewCadence(
        name="hcbs_12_months",
        program="medicaid_hcbs",
        amount=12,
        unit=IntervalUnit.CALENDAR_MONTHS,
        trigger=CadenceTrigger.LAST_REVIEW,
        source="42 CFR 441.301(c)(3); 42 CFR 441.468(c)(7) "
        "https://law.lawstack.com/laws/42-cfr_s_441-468_service-plan-elements "
        "(domain.md §5.2, CP-T02)",
        notes="also on significant change in needs or at the individual's request "
        "(pass ReviewEvent rows)",
    ),
    ReviewCadence(
        name="snf_baseline_48_hours",
        program="skilled_nursing_facility",
        amount=48,
        unit=IntervalUnit.HOURS,
        trigger=CadenceTrigger.ADMISSION,
        source="42 CFR 483.21(a) https://lawserver.com/law/country/us/cfr/42_cfr_483-21 "
        "(domain.md §5.2, CP-T02)",
        notes="baseline care plan within 48 hours of admission; summary to the resident "
        "or representative",
    ),
    ReviewCadence(
        name="snf_comprehensive_7_days",
        program="skilled_nursing_facility",
        amount=7,
        unit=IntervalUnit.CALENDAR_DAYS,
        trigger=CadenceTrigger.COMPREHENSIVE_ASSESSMENT,
        source="42 CFR 483.21(b)(2)(i) https://lawserver.com/law/country/us/cfr/42_cfr_483-21 "
        "(domain.md §5.2, CP-T02)",
        notes="comprehensive care plan within 7 days after the comprehensive assessment",
    ),
    ReviewCadence(
        name="tcm_contact_2_business_days",
        program="transitional_care_management",
        amount=2,
        unit=IntervalUnit.BUSINESS_DAYS,
        trigger=CadenceTrigger.DISCHARGE,
        source="CPT 99495/99496 https://www.rvudoc.com/billing/codes/99495 "
        "(domain.md §5.2, CP-T03)",
        notes="interactive contact with the patient or caregiver",
    ),
    ReviewCadence(
        name="tcm_visit_high_7_days",
        program="transitional_care_management",
        amount=7,
        unit=IntervalUnit.CALENDAR_DAYS,
        trigger=CadenceTrigger.DISCHARGE,
        source="CPT 99496 https://www.rvudoc.com/billing/codes/99495 (domain.md §5.2, CP-T03)",
        notes="face-to-face visit, high-complexity medical decision making",
    ),
    ReviewCadence(
        name="tcm_visit_moderate_14_days",
        program="transitional_care_management",
        amount=14,
        unit=IntervalUnit.CALENDAR_DAYS,
        trigger=CadenceTrigger.DISCHARGE,
        source="CPT 99495 https://www.rvudoc.com/billing/codes/99495 (domain.md §5.2, CP-T03)",
        notes="face-to-face visit, moderate-complexity medical decision making",
    ),
)


def review_cadence(
    name: str, cadences: Iterable[ReviewCadence] = REVIEW_CADENCES
) -> ReviewCadence:
    """The cadence called `name` in `cadences`; a ValidationError when there is none."""
    for row in cadences:
        if row.name == name:
            return row
    raise ValidationError.single(("review_cadence",), "no review cadence of this name", "unknown")


def _clock_start(plan: CarePlan) -> pendulum.DateTime | None:
    started = plan.activated_at
    if started is None and plan.period is not None:
        started = plan.period.start
    if plan.last_reviewed_at is not None and (
        started is None or earlier(started, plan.last_reviewed_at)
    ):
        return plan.last_reviewed_at
    return started


def _reviewed_since(plan: CarePlan, since: pendulum.DateTime) -> bool:
    return plan.last_reviewed_at is not None and not earlier(plan.last_reviewed_at, since)


def next_review_due(
    plan: CarePlan,
    *,
    at: pendulum.DateTime,
    events: Iterable[ReviewEvent] = (),
    cadences: Iterable[ReviewCadence] = REVIEW_CADENCES,
) -> pendulum.DateTime | None:
    """When the plan's next review is due, as known at instant `at` (CP-001).

    The earliest of: the plan's cadence from its last review (or activation); each triggering
    event before `at` (of the cadence's trigger kind, or a significant change or patient
    request) not yet followed by a review; each open goal's target date (due by the end of
    that day in `at`'s zone) not yet followed by a review on or after that day.  ``None`` when
    the plan is not in effect (draft, completed, revoked, entered in error) or nothing is due.
    """
    at = require_aware(at, "at")
    events = tuple(events)
    for i, event in enumerate(events):
        if not isinstance(event, ReviewEvent):
            raise ValidationError.single(("events", i), "expected a ReviewEvent", "type")
    if not plan.in_effect:
        return None
    due: list[pendulum.DateTime] = []
    cadence = (
        review_cadence(plan.review_cadence, cadences) if plan.review_cadence is not None else None
    )
    if cadence is not None and cadence.repeats:
        start = _clock_start(plan)
        if start is not None:
            due.append(cadence.due_from(start))
    for event in events:
        if earlier(at, event.at) or _reviewed_since(plan, event.at):
            continue
        if event.kind in _IMMEDIATE:
            due.append(event.at)
        elif cadence is not None and event.kind.value == cadence.trigger.value:
            due.append(cadence.due_from(event.at))
    for day in plan.open_goal_due_dates():
        reached = pendulum.datetime(day.year, day.month, day.day, tz=at.timezone)
        if not _reviewed_since(plan, reached):
            due.append(reached.end_of("day"))
    return min(due, key=instant) if due else None


def is_review_overdue(
    plan: CarePlan,
    at: pendulum.DateTime,
    *,
    events: Iterable[ReviewEvent] = (),
    cadences: Iterable[ReviewCadence] = REVIEW_CADENCES,
) -> bool:
    """Whether the plan's next review was due before instant `at`."""
    due = next_review_due(plan, at=at, events=events, cadences=cadences)
    return due is not None and earlier(due, at)


# --- transitional care management ------------------------------------------------------------


class TcmComplexity(enum.StrEnum):
    """Medical decision making of the TCM service: 99496 (high) or 99495 (moderate)."""

    HIGH = "high"
    MODERATE = "moderate"


@model
class TcmDueDates(Record):
    """The TCM clocks of one discharge (domain.md §5.2, CP-T03)."""

    discharge_date: pendulum.Date
    complexity: TcmComplexity
    contact_by: pendulum.Date  # discharge + 2 business days
    face_to_face_by: pendulum.Date  # discharge + 7 (high) or 14 (moderate) calendar days
    medication_reconciliation_by: pendulum.Date  # no later than the face-to-face visit
    service_period_end: pendulum.Date  # last day of the 30-day period starting at discharge

    def _rules(self) -> Iterable[Problem]:
        if not (
            self.discharge_date
            < self.contact_by
            <= self.face_to_face_by
            >= self.medication_reconciliation_by
        ):
            yield Problem(("contact_by",), "TCM dates out of order", "order")
        if self.face_to_face_by > self.service_period_end:
            yield Problem(("service_period_end",), "TCM dates out of order", "order")


def transitional_care_due(discharge_date: pendulum.Date, complexity: TcmComplexity) -> TcmDueDates:
    """The TCM due dates for a discharge on `discharge_date` (the date in the patient's zone).

    Interactive contact within 2 business days after discharge (weekends and federal holidays
    skipped); face-to-face visit within 7 (high complexity, 99496) or 14 (moderate, 99495)
    calendar days; medication reconciliation no later than the visit; one TCM per 30-day
    period beginning on the discharge date.
    """
    if not isinstance(complexity, TcmComplexity):
        raise ValidationError.single(("complexity",), "expected high or moderate", "type")
    contact = add_business_days(discharge_date, 2)
    day = pendulum.Date(discharge_date.year, discharge_date.month, discharge_date.day)
    visit = day.add(days=7 if complexity is TcmComplexity.HIGH else 14)
    return TcmDueDates(
        discharge_date=day,
        complexity=complexity,
        contact_by=contact,
        face_to_face_by=visit,
        medication_reconciliation_by=visit,
        service_period_end=day.add(days=29),
    )
