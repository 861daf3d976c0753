"""Deadline engine and rule table: the worked vectors of domain.md §1 and §8, and properties."""

from __future__ import annotations

import datetime as _dt
import json
import pathlib
import subprocess
import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import careroles
from careroles import (
    AMOUNT_IN_CONTROVERSY,
    DEADLINE_RULES,
    Actor,
    Clock,
    CoverageRegime,
    Deadline,
    DeadlineRule,
    GoodCause,
    MonthEnd,
    PermissionDenied,
    Role,
    Roll,
    SourceConfidence,
    TimeUnit,
    ValidationError,
    accounting_lookback_start,
    add_calendar_months,
    amount_in_controversy,
    applicable_rules,
    compute_deadline,
    continuation_of_benefits_deadline,
    continuation_of_benefits_timely,
    eeoc_charge_deadline,
    escalation_due,
    find_rule,
    is_business_day,
    meets_amount_in_controversy,
    ppdr_eligible,
)
from careroles.strategies import deadline_rules, deadlines

NY = "America/New_York"
ADVOCATE = Actor(member_id="m-adv", role=Role.PATIENT_ADVOCATE)
PATIENT = Actor(member_id="m-pat", role=Role.PATIENT)
PROVIDER = Actor(member_id="m-doc", role=Role.TREATING_PROVIDER)
MC = CoverageRegime.MEDICAID_MANAGED_CARE


def d(text: str) -> pendulum.Date:
    value = pendulum.parse(text)
    assert isinstance(value, pendulum.Date)
    return pendulum.Date(value.year, value.month, value.day)


def due_on(rule_id: str, trigger: str, **kw: Any) -> str:
    return compute_deadline(rule_id, d(trigger), **kw).due_on.isoformat()


def codes(info: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.code for p in info.value.problems}


# --- worked test vectors (domain.md §1) ----------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "trigger", "expected"),
    [
        # DL-T01: ACA internal appeal, ABD notice received 2025-01-10 -> 180 days.
        ("ACA-INTERNAL-APPEAL-FILING", "2025-01-10", "2025-07-09"),
        # DL-T05: notice 2025-03-03 -> presumed receipt 03-08 -> +120 = Sunday, no roll.
        ("MEDICARE-REDETERMINATION-FILING", "2025-03-03", "2025-07-06"),
        # DL-T05: Palmetto GBA's worked examples, a Saturday and a Sunday, no roll.
        ("MEDICARE-REDETERMINATION-FILING", "2022-05-15", "2022-09-17"),
        ("MEDICARE-REDETERMINATION-FILING", "2022-08-15", "2022-12-18"),
        # DL-T10: Part D redetermination per CMS guidance, 65 days from the notice.
        ("PART-D-REDETERMINATION-FILING", "2025-06-02", "2025-08-06"),
        # DL-T11: Medicaid MC plan appeal, 60 days: the federal floor does not roll.
        ("MEDICAID-MC-APPEAL-FILING", "2025-05-05", "2025-07-04"),
        # ADV-T01: NSA PPDR, bill received 2025-02-14 -> 120 days.
        ("NSA-PPDR-FILING", "2025-02-14", "2025-06-14"),
    ],
)
def test_the_worked_vectors_of_the_research_notes_hold(
    rule_id: str, trigger: str, expected: str
) -> None:
    assert due_on(rule_id, trigger) == expected


def test_a_medicaid_deadline_on_independence_day_rolls_to_monday_under_a_rolling_policy() -> None:
    deadline = compute_deadline(
        "MEDICAID-MC-APPEAL-FILING", d("2025-05-05"), roll=Roll.NEXT_BUSINESS_DAY
    )
    assert deadline.due_on == d("2025-07-07")  # Fri 4 July holiday, then the weekend


def test_medicare_redetermination_presumes_receipt_five_days_after_the_notice() -> None:
    rule = find_rule("MEDICARE-REDETERMINATION-FILING")
    assert rule.receipt_presumption_days == 5
    assert rule.roll is Roll.NONE
    assert due_on(rule.id, "2025-03-03") == d("2025-03-08").add(days=120).isoformat()


def test_a_day_based_deadline_is_due_at_the_last_instant_of_the_day_in_the_forums_zone() -> None:
    deadline = compute_deadline("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"), zone=NY)
    assert deadline.due == pendulum.datetime(2025, 7, 9, 23, 59, 59, 999999, tz=NY)
    assert deadline.zone == NY
    la = compute_deadline(
        "ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"), zone="America/Los_Angeles"
    )
    assert la.due > deadline.due  # same day, later instant in a western zone


def test_a_date_time_trigger_is_read_as_a_day_in_the_forums_zone() -> None:
    late_evening_utc = pendulum.datetime(2025, 1, 11, 2, tz="UTC")  # 21:00 on 10 Jan in NY
    deadline = compute_deadline("ACA-INTERNAL-APPEAL-FILING", late_evening_utc, zone=NY)
    assert deadline.triggered_on == d("2025-01-10")
    assert deadline.due_on == d("2025-07-09")


def test_an_hour_clock_is_exact_and_counts_real_hours_across_a_dst_change() -> None:
    received = pendulum.datetime(2026, 3, 6, 12, tz=NY)  # DST starts Sunday 8 March
    deadline = compute_deadline("ACA-INTERNAL-APPEAL-DECISION-URGENT", received, zone=NY)
    assert deadline.triggered_at == received
    assert deadline.due == pendulum.datetime(2026, 3, 9, 13, tz=NY)
    assert (deadline.due - received).total_seconds() == 72 * 3600


def test_an_hour_clock_refuses_a_bare_date() -> None:
    with pytest.raises(ValidationError) as info:
        compute_deadline("PART-D-COVERAGE-DETERMINATION-DECISION", d("2025-06-02"))
    assert "type" in codes(info)


# --- DL-T02 .. DL-T14 ----------------------------------------------------------------------


def test_aca_appeal_decisions_are_30_days_pre_service_60_post_service_72_hours_urgent() -> None:
    received = pendulum.datetime(2025, 2, 3, 10, tz=NY)
    pre = compute_deadline("ACA-INTERNAL-APPEAL-DECISION-PRE-SERVICE", received)
    post = compute_deadline("ACA-INTERNAL-APPEAL-DECISION-POST-SERVICE", received)
    urgent = compute_deadline("ACA-INTERNAL-APPEAL-DECISION-URGENT", received)
    assert pre.due_on == d("2025-03-05")
    assert post.due_on == d("2025-04-04")
    assert urgent.due == received.add(hours=72)
    assert {pre.clock, post.clock, urgent.clock} == {Clock.DECISION}


def test_an_aca_appeal_decision_cannot_be_extended() -> None:
    received = pendulum.datetime(2025, 2, 3, 10, tz=NY)
    pre = compute_deadline("ACA-INTERNAL-APPEAL-DECISION-PRE-SERVICE", received)
    with pytest.raises(ValidationError) as info:
        pre.extend(notice_at=received.add(days=2), by=ADVOCATE, at=received.add(days=3))
    assert codes(info) == {"extension_not_allowed"}


def test_external_review_counts_four_calendar_months_not_120_days() -> None:
    # 2025-03-01 + 4 months = 2025-07-01; + 120 days would be 2025-06-29.
    assert due_on("ACA-EXTERNAL-REVIEW-FILING", "2025-03-01") == "2025-07-01"
    assert d("2025-03-01").add(days=120) == d("2025-06-29")


def test_external_review_with_no_matching_day_ends_on_the_first_of_the_fifth_month() -> None:
    # 2025-10-31 + 4 months: no 31 February -> 1 March 2026, a Sunday -> Monday 2 March.
    rule = find_rule("ACA-EXTERNAL-REVIEW-FILING")
    assert rule.month_end is MonthEnd.FIRST_DAY_OF_NEXT_MONTH
    assert rule.confidence is SourceConfidence.RECALLED  # [R]: to verify (domain.md §9)
    assert add_calendar_months(d("2025-10-31"), 4, rule.month_end) == d("2026-03-01")
    assert due_on(rule.id, "2025-10-31") == "2026-03-02"


def test_calendar_months_clamp_to_the_month_end_under_the_default_policy() -> None:
    assert add_calendar_months(d("2025-10-31"), 4, MonthEnd.LAST_DAY_OF_MONTH) == d("2026-02-28")
    assert add_calendar_months(d("2023-10-31"), 4, MonthEnd.LAST_DAY_OF_MONTH) == d("2024-02-29")
    assert add_calendar_months(d("2025-01-15"), 4, MonthEnd.FIRST_DAY_OF_NEXT_MONTH) == d(
        "2025-05-15"
    )


def test_the_iro_decides_in_45_days_or_72_hours_expedited() -> None:
    received = pendulum.datetime(2025, 4, 1, 9, tz=NY)
    assert compute_deadline("ACA-EXTERNAL-REVIEW-DECISION", received).due_on == d("2025-05-16")
    fast = compute_deadline("ACA-EXTERNAL-REVIEW-DECISION-EXPEDITED", received)
    assert fast.due == received.add(hours=72)


def test_the_preliminary_external_review_counts_business_days() -> None:
    # Friday 2025-07-03 + 5 business days, skipping the weekend and Friday 4 July.
    assert due_on("ACA-EXTERNAL-REVIEW-PRELIMINARY-REVIEW", "2025-07-03") == "2025-07-11"


@pytest.mark.parametrize(
    ("rule_id", "days"),
    [
        ("MEDICARE-RECONSIDERATION-FILING", 180),
        ("MEDICARE-ALJ-FILING", 60),
        ("MEDICARE-COUNCIL-FILING", 60),
        ("MEDICARE-COURT-FILING", 60),
        ("MA-ALJ-FILING", 60),
        ("PART-D-COURT-FILING", 60),
    ],
)
def test_later_medicare_levels_run_from_presumed_receipt(rule_id: str, days: int) -> None:
    notice = d("2025-03-03")
    assert compute_deadline(rule_id, notice).due_on == notice.add(days=5 + days)


@pytest.mark.parametrize(
    ("rule_id", "days"),
    [
        ("MEDICARE-REDETERMINATION-DECISION", 60),
        ("MEDICARE-RECONSIDERATION-DECISION", 60),
        ("MEDICARE-ALJ-DECISION", 90),
        ("MEDICARE-COUNCIL-DECISION", 90),
    ],
)
def test_medicare_decision_clocks_are_60_60_90_90_days(rule_id: str, days: int) -> None:
    received = d("2025-03-10")
    deadline = compute_deadline(rule_id, received)
    assert deadline.clock is Clock.DECISION
    assert deadline.due_on == received.add(days=days)


@pytest.mark.parametrize(
    ("level", "year", "threshold"),
    [
        ("alj_hearing", 2022, "180"),
        ("alj_hearing", 2024, "180"),
        ("alj_hearing", 2025, "190"),
        ("alj_hearing", 2026, "200"),
        ("federal_court", 2025, "1900"),
        ("federal_court", 2026, "1960"),
    ],
)
def test_the_amount_in_controversy_depends_on_the_filing_year(
    level: str, year: int, threshold: str
) -> None:
    amount = Decimal(threshold)
    assert amount_in_controversy(level, year) == amount
    assert meets_amount_in_controversy(level, amount, year)
    assert not meets_amount_in_controversy(level, amount - Decimal("0.01"), year)


def test_an_alj_request_of_195_dollars_meets_2025_but_not_2026() -> None:
    assert meets_amount_in_controversy("alj_hearing", Decimal("195"), 2025)
    assert not meets_amount_in_controversy("alj_hearing", Decimal("195"), 2026)


@pytest.mark.parametrize(
    ("level", "amount", "year", "code"),
    [
        ("alj_hearing", Decimal("200"), 2019, "unknown_year"),
        ("appeals_council", Decimal("200"), 2026, "unknown_level"),
        ("alj_hearing", Decimal("-1"), 2026, "range"),
        ("alj_hearing", 200.0, 2026, "type"),
        ("alj_hearing", Decimal("NaN"), 2026, "type"),
        ("alj_hearing", Decimal("200"), "2026", "type"),
    ],
)
def test_amount_in_controversy_refuses_what_it_cannot_answer(
    level: str, amount: Any, year: Any, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        meets_amount_in_controversy(level, amount, year)
    assert codes(info) == {code}


@pytest.mark.parametrize(
    ("rule_id", "hours_or_days", "unit"),
    [
        ("MA-RECONSIDERATION-DECISION-PRE-SERVICE", 30, TimeUnit.CALENDAR_DAYS),
        ("MA-RECONSIDERATION-DECISION-PART-B-DRUG", 7, TimeUnit.CALENDAR_DAYS),
        ("MA-RECONSIDERATION-DECISION-PAYMENT", 60, TimeUnit.CALENDAR_DAYS),
        ("MA-RECONSIDERATION-DECISION-EXPEDITED", 72, TimeUnit.HOURS),
        ("PART-D-COVERAGE-DETERMINATION-DECISION", 72, TimeUnit.HOURS),
        ("PART-D-COVERAGE-DETERMINATION-DECISION-EXPEDITED", 24, TimeUnit.HOURS),
        ("PART-D-REDETERMINATION-DECISION", 7, TimeUnit.CALENDAR_DAYS),
        ("PART-D-REDETERMINATION-DECISION-PAYMENT", 14, TimeUnit.CALENDAR_DAYS),
        ("PART-D-REDETERMINATION-DECISION-EXPEDITED", 72, TimeUnit.HOURS),
        ("MEDICAID-MC-APPEAL-DECISION", 30, TimeUnit.CALENDAR_DAYS),
        ("MEDICAID-MC-APPEAL-DECISION-EXPEDITED", 72, TimeUnit.HOURS),
        ("MEDICAID-MC-EFFECTUATION", 72, TimeUnit.HOURS),
        ("MEDICAID-FFS-HEARING-DECISION", 90, TimeUnit.CALENDAR_DAYS),
    ],
)
def test_decision_clocks_match_the_catalogue(
    rule_id: str, hours_or_days: int, unit: TimeUnit
) -> None:  # DL-T08, DL-T10, DL-T11
    received = pendulum.datetime(2025, 6, 2, 15, 30, tz=NY)
    deadline = compute_deadline(rule_id, received)
    if unit is TimeUnit.HOURS:
        assert deadline.due == received.add(hours=hours_or_days)
    else:
        assert deadline.due_on == d("2025-06-02").add(days=hours_or_days)


def test_an_adverse_ma_reconsideration_escalates_by_auto_forwarding_to_the_ire() -> None:
    rule = find_rule("MA-RECONSIDERATION-DECISION-PRE-SERVICE")
    assert "IRE" in rule.escalation
    assert "auto-forwarded" in rule.notes


def test_the_ma_filing_window_follows_the_rule_in_force_on_the_notice_day() -> None:  # DL-007
    def filing_rows(on: str) -> tuple[DeadlineRule, ...]:
        return applicable_rules(
            CoverageRegime.MEDICARE_ADVANTAGE, "plan_reconsideration", d(on), clock=Clock.FILING
        )

    in_2024, in_2025 = filing_rows("2024-12-31"), filing_rows("2025-01-01")
    assert [r.id for r in in_2024] == ["MA-RECONSIDERATION-FILING-REGULATION"]
    assert [r.id for r in in_2025] == ["MA-RECONSIDERATION-FILING"]
    assert due_on("MA-RECONSIDERATION-FILING", "2025-06-02") == "2025-08-06"


@pytest.mark.parametrize(
    ("received", "rule_id", "days"),
    [
        ("2025-12-31", "MA-ORGANIZATION-DETERMINATION-DECISION", 14),
        ("2026-01-01", "MA-ORGANIZATION-DETERMINATION-DECISION-2026", 7),
    ],
)
def test_ma_prior_authorization_is_14_days_before_2026_and_7_days_from_it(
    received: str, rule_id: str, days: int
) -> None:  # DL-T09
    rows = applicable_rules(
        CoverageRegime.MEDICARE_ADVANTAGE,
        "organization_determination",
        d(received),
        clock=Clock.DECISION,
        expedited=False,
    )
    standard = [r for r in rows if "PAYMENT" not in r.id]
    assert [r.id for r in standard] == [rule_id]
    assert compute_deadline(rule_id, d(received)).due_on == d(received).add(days=days)


def test_a_rule_is_not_applied_outside_its_effective_dates() -> None:
    with pytest.raises(ValidationError) as info:
        compute_deadline("MA-ORGANIZATION-DETERMINATION-DECISION", d("2026-01-01"))
    assert codes(info) == {"rule_not_in_force"}
    with pytest.raises(ValidationError):
        compute_deadline("MA-ORGANIZATION-DETERMINATION-DECISION-2026", d("2025-12-31"))


def test_part_d_ire_requests_are_due_65_days_after_the_redetermination_notice() -> None:
    assert due_on("PART-D-IRE-FILING", "2025-06-02") == "2025-08-06"
    # The regulation's 60 days from presumed receipt gave the same day before 2025.
    assert due_on("PART-D-IRE-FILING-REGULATION", "2024-06-02") == "2024-08-06"


def test_a_medicaid_plan_may_extend_a_standard_appeal_once_by_14_days() -> None:
    received = pendulum.datetime(2025, 5, 12, 9, tz=NY)
    deadline = compute_deadline("MEDICAID-MC-APPEAL-DECISION", received)
    extended = deadline.extend(
        notice_at=received.add(days=20), by=ADVOCATE, at=received.add(days=21)
    )
    assert extended.due_on == d("2025-06-25")  # 30 + 14 days
    assert extended.original_due == deadline.due
    assert [h.action for h in extended.history] == ["extend"]


def test_a_medicaid_state_fair_hearing_is_requested_within_120_days_of_the_resolution() -> None:
    assert due_on("MEDICAID-MC-STATE-FAIR-HEARING-FILING", "2025-07-01") == "2025-10-29"


def test_virginia_rolls_a_fair_hearing_deadline_to_the_next_business_day() -> None:
    rows = applicable_rules(MC, "state_fair_hearing", d("2025-07-01"), jurisdiction="US-VA")
    assert {r.id for r in rows} == {
        "MEDICAID-MC-STATE-FAIR-HEARING-FILING",
        "VA-MEDICAID-MC-STATE-FAIR-HEARING-FILING",
    }
    federal_rows = applicable_rules(MC, "state_fair_hearing", d("2025-07-01"))
    assert [r.id for r in federal_rows] == ["MEDICAID-MC-STATE-FAIR-HEARING-FILING"]
    # 2025-06-07 + 120 days = Sunday 2025-10-05: the federal floor stays, Virginia rolls.
    assert due_on("MEDICAID-MC-STATE-FAIR-HEARING-FILING", "2025-06-07") == "2025-10-05"
    assert due_on("VA-MEDICAID-MC-STATE-FAIR-HEARING-FILING", "2025-06-07") == "2025-10-06"


def test_medicaid_ffs_hearing_window_is_at_most_90_days_and_utah_rolls_it() -> None:  # DL-T13
    assert due_on("MEDICAID-FFS-HEARING-FILING", "2025-04-07") == "2025-07-06"  # a Sunday
    assert due_on("UT-MEDICAID-FFS-HEARING-FILING", "2025-04-07") == "2025-07-07"


def test_continuation_is_timely_until_ten_days_after_the_notice_or_the_later_action_date() -> None:
    early_action = continuation_of_benefits_deadline(
        MC, notice_mailed_on=d("2025-05-05"), action_effective_on=d("2025-05-01")
    )
    assert early_action.due_on == d("2025-05-15")
    late_action = continuation_of_benefits_deadline(
        MC, notice_mailed_on=d("2025-05-05"), action_effective_on=d("2025-05-20")
    )
    assert late_action.due_on == d("2025-05-20")
    assert late_action.clock is Clock.CONTINUATION


def test_fee_for_service_continuation_counts_from_presumed_receipt() -> None:
    deadline = continuation_of_benefits_deadline(
        CoverageRegime.MEDICAID_FFS,
        notice_mailed_on=d("2025-05-05"),
        action_effective_on=d("2025-05-01"),
    )
    assert deadline.due_on == d("2025-05-20")


FLAGS = ("previously_authorized", "provider_ordered", "authorization_unexpired")


@pytest.mark.parametrize("missing", [None, *FLAGS, "continuation_requested"])
@pytest.mark.parametrize(("filed", "in_time"), [("2025-05-15", True), ("2025-05-16", False)])
def test_benefits_continue_only_when_filed_in_time_for_an_authorized_ordered_service(
    missing: str | None, filed: str, in_time: bool
) -> None:  # DL-T12
    timely = continuation_of_benefits_timely(
        MC,
        notice_mailed_on=d("2025-05-05"),
        action_effective_on=d("2025-05-10"),
        filed_on=d(filed),
        previously_authorized=missing != "previously_authorized",
        provider_ordered=missing != "provider_ordered",
        authorization_unexpired=missing != "authorization_unexpired",
        continuation_requested=missing != "continuation_requested",
    )
    assert timely is (in_time and missing is None)


def test_continuation_of_benefits_is_a_medicaid_rule_only() -> None:
    with pytest.raises(ValidationError) as info:
        continuation_of_benefits_deadline(
            CoverageRegime.PART_D,
            notice_mailed_on=d("2025-05-05"),
            action_effective_on=d("2025-05-10"),
        )
    assert codes(info) == {"not_applicable"}


def _deadline(rule_id: str, trigger: pendulum.Date | pendulum.DateTime) -> Deadline:
    return compute_deadline(rule_id, trigger)


def test_a_missed_decision_clock_is_reported_with_its_escalation_path() -> None:  # DL-T14
    received = pendulum.datetime(2025, 5, 12, 9, tz=NY)
    decision = _deadline("MEDICAID-MC-APPEAL-DECISION", received)
    filing = _deadline("MEDICAID-MC-APPEAL-FILING", d("2025-03-01"))
    qic = _deadline("MEDICARE-RECONSIDERATION-DECISION", d("2025-01-02"))
    at = pendulum.datetime(2025, 6, 13, 9, tz=NY)  # one day after the 30-day clock ran out
    overdue = escalation_due([decision, filing, qic], at)
    assert [o.deadline.rule_id for o in overdue] == [decision.rule_id, qic.rule_id]
    assert overdue[0].code == "decision_overdue"
    assert "state fair hearing" in overdue[0].escalation
    assert overdue[0].days_overdue == 2
    assert "ALJ" in overdue[1].escalation


def test_a_decision_issued_in_time_or_not_yet_due_does_not_escalate() -> None:
    received = pendulum.datetime(2025, 5, 12, 9, tz=NY)
    decision = _deadline("MEDICAID-MC-APPEAL-DECISION", received)
    decided = decision.mark_met(
        by=ADVOCATE, at=received.add(days=40), met_at=received.add(days=29)
    )
    assert escalation_due([decision], received.add(days=29)) == ()
    assert escalation_due([decided], received.add(days=60)) == ()


def test_a_decision_issued_late_still_counts_as_overdue() -> None:
    received = pendulum.datetime(2025, 5, 12, 9, tz=NY)
    decision = _deadline("MEDICAID-MC-APPEAL-DECISION", received)
    late = decision.mark_met(by=ADVOCATE, at=received.add(days=40), met_at=received.add(days=35))
    (overdue,) = escalation_due([late], received.add(days=90))
    assert overdue.days_overdue == 5


# --- other advocacy (ADV-T01 .. ADV-T06) -----------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "gfe", "billed", "on", "eligible"),
    [
        (CoverageRegime.UNINSURED_SELF_PAY, "1000", "1400", "2025-06-14", True),
        (CoverageRegime.UNINSURED_SELF_PAY, "1000", "1399.99", "2025-03-01", False),
        (CoverageRegime.UNINSURED_SELF_PAY, "1000", "1400", "2025-06-15", False),
        (CoverageRegime.UNINSURED_SELF_PAY, None, "1400", "2025-03-01", False),
        (CoverageRegime.EMPLOYER_OR_ACA, "1000", "5000", "2025-03-01", False),
    ],
)
def test_ppdr_needs_self_pay_a_gfe_400_dollars_over_and_120_days(
    regime: CoverageRegime, gfe: str | None, billed: str, on: str, eligible: bool
) -> None:  # ADV-T01
    assert (
        ppdr_eligible(
            regime=regime,
            good_faith_estimate=None if gfe is None else Decimal(gfe),
            billed=Decimal(billed),
            bill_received_on=d("2025-02-14"),
            on=d(on),
        )
        is eligible
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"billed": 1400},
        {"billed": Decimal("-1")},
        {"good_faith_estimate": Decimal("Infinity")},
        {"regime": "insured"},
        {"on": pendulum.datetime(2025, 3, 1, tz=NY)},
    ],
)
def test_ppdr_eligibility_refuses_bad_input(kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {
        "regime": CoverageRegime.UNINSURED_SELF_PAY,
        "good_faith_estimate": Decimal("1000"),
        "billed": Decimal("1400"),
        "bill_received_on": d("2025-02-14"),
        "on": d("2025-03-01"),
    } | kwargs
    with pytest.raises(ValidationError):
        ppdr_eligible(**args)


def test_an_ocr_complaint_filed_late_needs_good_cause() -> None:  # ADV-T02
    knew = d("2025-01-15")
    deadline = _deadline("HIPAA-OCR-COMPLAINT-FILING", knew)
    assert deadline.due_on == d("2025-07-14")
    filed_late = pendulum.datetime(2025, 7, 15, 10, tz=NY)
    late = deadline.mark_met(by=ADVOCATE, at=filed_late)
    assert not late.is_met()
    assert late.is_missed(filed_late)
    excused = late.excuse(reason="hospitalised for three weeks", by=PATIENT, at=filed_late)
    assert excused.is_met()
    assert not excused.is_missed(filed_late)
    assert excused.good_cause is not None
    assert excused.good_cause.recorded_by == PATIENT
    assert [h.action for h in excused.history] == ["mark_met", "excuse"]


def test_a_records_request_may_be_extended_once_with_notice_within_30_days() -> None:  # ADV-T03
    received = pendulum.datetime(2026, 3, 2, 9, tz=NY)
    deadline = _deadline("HIPAA-ACCESS-RESPONSE", received)
    assert deadline.due_on == d("2026-04-01")
    notice_on_day_30 = pendulum.datetime(2026, 4, 1, 16, tz=NY)
    extended = deadline.extend(notice_at=notice_on_day_30, by=ADVOCATE, at=notice_on_day_30)
    assert extended.due_on == d("2026-05-01")  # receipt + 60 days
    with pytest.raises(ValidationError) as second:
        extended.extend(notice_at=notice_on_day_30, by=ADVOCATE, at=notice_on_day_30)
    assert codes(second) == {"already_extended"}
    notice_on_day_31 = pendulum.datetime(2026, 4, 2, 9, tz=NY)
    with pytest.raises(ValidationError) as late:
        deadline.extend(notice_at=notice_on_day_31, by=ADVOCATE, at=notice_on_day_31)
    assert codes(late) == {"extension_notice_late"}


@pytest.mark.parametrize("rule_id", ["HIPAA-AMENDMENT-RESPONSE", "HIPAA-ACCOUNTING-RESPONSE"])
def test_amendment_and_accounting_take_60_days_plus_one_30_day_extension(rule_id: str) -> None:
    received = pendulum.datetime(2026, 3, 2, 9, tz=NY)  # ADV-T04
    deadline = _deadline(rule_id, received)
    assert deadline.due_on == d("2026-05-01")
    extended = deadline.extend(
        notice_at=received.add(days=10), by=PATIENT, at=received.add(days=10)
    )
    assert extended.due_on == d("2026-05-31")


def test_an_accounting_looks_back_six_years() -> None:
    assert accounting_lookback_start(d("2026-03-09")) == d("2020-03-09")
    assert accounting_lookback_start(d("2024-02-29")) == d("2018-02-28")


@pytest.mark.parametrize(("fepa", "due"), [(False, "2025-08-30"), (True, "2025-12-28")])
def test_an_eeoc_charge_is_due_in_180_days_or_300_where_a_fepa_covers_the_basis(
    fepa: bool, due: str
) -> None:  # ADV-T06
    deadline = eeoc_charge_deadline(d("2025-03-03"), fepa_covers_basis=fepa)
    assert deadline.due_on == d(due)


# --- the Deadline value ----------------------------------------------------------------------


def test_days_left_counts_calendar_days_in_the_forums_zone() -> None:
    deadline = _deadline("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"))
    assert deadline.days_left(pendulum.datetime(2025, 7, 1, 12, tz=NY)) == 8
    assert deadline.days_left(pendulum.datetime(2025, 7, 10, 3, tz="UTC")) == 0  # 9 Jul in NY
    assert deadline.days_left(pendulum.datetime(2025, 7, 11, 12, tz=NY)) == -2


# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(NY), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(NY), fold=1)


def _due_at_0159_edt(rule_id: str) -> Deadline:
    deadline = _deadline(rule_id, EDT_0159.subtract(hours=72))
    assert deadline.due.timestamp() == EDT_0159.timestamp()
    return deadline


def test_an_hour_clock_due_in_the_repeated_hour_is_missed_at_the_later_instant() -> None:
    deadline = _due_at_0159_edt("ACA-INTERNAL-APPEAL-DECISION-URGENT")
    assert not deadline.is_missed(EDT_0159)
    assert deadline.is_missed(EST_0130)
    assert [o.deadline.rule_id for o in escalation_due([deadline], EST_0130)] == [deadline.rule_id]


def test_a_decision_issued_in_the_repeated_hour_after_the_clock_ran_out_is_late() -> None:
    met = _due_at_0159_edt("ACA-INTERNAL-APPEAL-DECISION-URGENT").mark_met(
        by=ADVOCATE, at=EST_0130
    )
    assert not met.is_met()
    assert met.is_missed(EST_0130)


def test_a_met_time_later_in_the_repeated_hour_than_its_recording_is_refused() -> None:
    deadline = _due_at_0159_edt("ACA-INTERNAL-APPEAL-DECISION-URGENT")
    with pytest.raises(ValidationError) as info:
        deadline.mark_met(by=ADVOCATE, at=EDT_0159, met_at=EST_0130)
    assert codes(info) == {"future"}


def test_an_extension_noticed_in_the_repeated_hour_after_the_deadline_is_refused() -> None:
    deadline = _due_at_0159_edt("MEDICAID-MC-APPEAL-DECISION-EXPEDITED")
    with pytest.raises(ValidationError) as info:
        deadline.extend(notice_at=EST_0130, by=ADVOCATE, at=EST_0130.add(minutes=5))
    assert codes(info) == {"extension_notice_late"}
    extended = deadline.extend(notice_at=EDT_0159, by=ADVOCATE, at=EST_0130)
    assert extended.original_due == deadline.due


def test_a_deadline_is_missed_only_after_its_last_instant() -> None:
    deadline = _deadline("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"))
    assert not deadline.is_missed(pendulum.datetime(2025, 7, 9, 23, 59, 59, tz=NY))
    assert deadline.is_missed(pendulum.datetime(2025, 7, 10, 0, 0, 0, tz=NY))
    assert not deadline.is_met()


def test_a_filing_received_on_the_last_day_meets_the_deadline() -> None:
    deadline = _deadline("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"))
    filed = pendulum.datetime(2025, 7, 9, 23, 30, tz=NY)
    met = deadline.mark_met(by=ADVOCATE, at=filed)
    assert met.is_met()
    assert not met.is_missed(pendulum.datetime(2026, 1, 1, tz=NY))


def test_a_treating_provider_may_not_record_good_cause() -> None:
    deadline = _deadline("MEDICARE-REDETERMINATION-FILING", d("2025-03-03"))
    with pytest.raises(PermissionDenied):
        deadline.excuse(reason="x", by=PROVIDER, at=pendulum.datetime(2025, 8, 1, tz=NY))


def test_good_cause_cannot_excuse_a_deciders_clock() -> None:
    deadline = _deadline("MEDICAID-MC-APPEAL-DECISION", d("2025-03-03"))
    with pytest.raises(ValidationError) as info:
        deadline.excuse(reason="busy", by=ADVOCATE, at=pendulum.datetime(2025, 8, 1, tz=NY))
    assert codes(info) == {"conflict"}


def test_good_cause_is_recorded_once_and_its_reason_stays_out_of_repr() -> None:
    deadline = _deadline("MEDICARE-REDETERMINATION-FILING", d("2025-03-03"))
    at = pendulum.datetime(2025, 8, 1, tz=NY)
    excused = deadline.excuse(reason="Zelda was in intensive care", by=PATIENT, at=at)
    assert "Zelda" not in repr(excused)
    assert "Zelda" not in careroles.dumps(excused.good_cause).split('"reason"')[0]
    with pytest.raises(ValidationError) as info:
        excused.excuse(reason="again", by=PATIENT, at=at)
    assert codes(info) == {"already_excused"}


@pytest.mark.parametrize(
    ("met_offset_days", "at_offset_days", "code"),
    [(5, 4, "future"), (-1, 4, "before_trigger")],
)
def test_marking_met_refuses_impossible_instants(
    met_offset_days: int, at_offset_days: int, code: str
) -> None:
    start = pendulum.datetime(2025, 3, 3, 9, tz=NY)
    deadline = _deadline("ACA-INTERNAL-APPEAL-DECISION-URGENT", start)
    with pytest.raises(ValidationError) as info:
        deadline.mark_met(
            by=ADVOCATE, at=start.add(days=at_offset_days), met_at=start.add(days=met_offset_days)
        )
    assert codes(info) == {code}


def test_a_deadline_is_marked_met_only_once() -> None:
    start = pendulum.datetime(2025, 3, 3, 9, tz=NY)
    met = _deadline("ACA-INTERNAL-APPEAL-DECISION-URGENT", start).mark_met(
        by=ADVOCATE, at=start.add(hours=1)
    )
    with pytest.raises(ValidationError) as info:
        met.mark_met(by=ADVOCATE, at=start.add(hours=2))
    assert codes(info) == {"already_met"}


def test_a_custom_holiday_calendar_changes_where_a_deadline_rolls() -> None:
    def state_holidays(year: int) -> Iterable[_dt.date]:
        return {_dt.date(2025, 7, 7)}

    def rolled(trigger: str) -> pendulum.Date:
        return compute_deadline(
            "MEDICAID-MC-APPEAL-FILING",
            d(trigger),
            roll=Roll.NEXT_BUSINESS_DAY,
            holidays=state_holidays,
        ).due_on

    assert rolled("2025-05-05") == d("2025-07-04")  # 4 July is not a holiday here
    assert rolled("2025-05-06") == d("2025-07-08")  # Saturday, Sunday, then the 7 July holiday


def test_the_table_has_unique_ids_and_every_row_is_cited() -> None:
    ids = [r.id for r in DEADLINE_RULES]
    assert len(ids) == len(set(ids))
    for rule in DEADLINE_RULES:
        assert rule.citation
        assert rule.source_url.startswith("http")
        assert rule.domain_refs, rule.id
    assert {r.level for r in AMOUNT_IN_CONTROVERSY} == {"alj_hearing", "federal_court"}


def test_the_rule_table_loads_whichever_module_is_imported_first() -> None:
    code = "import careroles.deadline_rules as r; print(len(r.DEADLINE_RULES))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(DEADLINE_RULES)


# --- properties ------------------------------------------------------------------------------


@st.composite
def rule_and_trigger(draw: st.DrawFn) -> tuple[DeadlineRule, pendulum.Date]:
    rule = draw(st.sampled_from([r for r in DEADLINE_RULES if not r.is_hour_based]))
    low = max(rule.effective_from, d("2000-01-01"))
    high = min(rule.effective_to or d("2040-12-31"), d("2040-12-31"))
    day = draw(st.dates(min_value=low, max_value=high))
    return rule, pendulum.Date(day.year, day.month, day.day)


@given(rule_and_trigger())
def test_a_deadline_never_falls_before_its_trigger(
    case: tuple[DeadlineRule, pendulum.Date],
) -> None:
    rule, day = case
    deadline = compute_deadline(rule, day)
    assert deadline.due_on > day
    assert deadline.due_on >= day.add(days=rule.receipt_presumption_days + 1)


@given(
    st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2040, 12, 31)),
    st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2040, 12, 31)),
    st.integers(0, 36),
    st.sampled_from(MonthEnd),
)
def test_calendar_month_arithmetic_is_monotonic_in_the_trigger(
    a: _dt.date, b: _dt.date, months: int, policy: MonthEnd
) -> None:
    early, late = sorted((a, b))
    assert add_calendar_months(early, months, policy) <= add_calendar_months(late, months, policy)


@given(deadline_rules(), st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2060, 1, 1)))
def test_a_rule_outside_its_effective_dates_is_never_applied(
    rule: DeadlineRule, day: _dt.date
) -> None:
    on = pendulum.Date(day.year, day.month, day.day)
    found = applicable_rules(
        rule.regime, rule.level, on, jurisdiction=rule.jurisdiction, rules=[rule]
    )
    assert bool(found) is rule.in_force(on)
    if rule.in_force(on):
        return
    trigger: pendulum.Date | pendulum.DateTime = (
        pendulum.datetime(on.year, on.month, on.day, 12, tz=NY) if rule.is_hour_based else on
    )
    with pytest.raises(ValidationError) as info:
        compute_deadline(rule, trigger)
    assert codes(info) == {"rule_not_in_force"}


@given(rule_and_trigger(), st.sampled_from(["America/New_York", "Pacific/Honolulu", "UTC"]))
def test_a_rolled_deadline_never_lands_on_a_weekend_or_holiday(
    case: tuple[DeadlineRule, pendulum.Date], zone: str
) -> None:
    rule, day = case
    deadline = compute_deadline(rule, day, zone=zone, roll=Roll.NEXT_BUSINESS_DAY)
    assert is_business_day(deadline.due_on)
    unrolled = compute_deadline(rule, day, zone=zone, roll=Roll.NONE)
    assert 0 <= (deadline.due_on - unrolled.due_on).days <= 5


def test_four_calendar_months_differ_from_120_days_for_some_trigger() -> None:
    rule = find_rule("ACA-EXTERNAL-REVIEW-FILING")
    no_roll = attrs.evolve(rule, roll=Roll.NONE)  # type: ignore[misc]
    days = [d("2025-01-01").add(days=i) for i in range(365)]
    differ = [x for x in days if compute_deadline(no_roll, x).due_on != x.add(days=120)]
    assert differ
    assert d("2025-03-01") in differ


@given(deadlines())
def test_drawn_deadlines_are_consistent(deadline: Deadline) -> None:
    assert deadline.due_on >= (deadline.triggered_on or deadline.due_on)
    if deadline.good_cause is not None:
        assert deadline.clock in (Clock.FILING, Clock.CONTINUATION)
    assert careroles.loads(careroles.dumps(deadline), Deadline) == deadline


@given(deadlines(), st.integers(-400, 400))
def test_is_missed_and_days_left_agree(deadline: Deadline, offset: int) -> None:
    assume(deadline.met_at is None and deadline.good_cause is None)
    at = deadline.due.add(days=offset)
    if deadline.is_missed(at):
        assert deadline.days_left(at) <= 0
    else:
        assert deadline.days_left(at) >= 0


# --- bad input -------------------------------------------------------------------------------


def _rule_json(**changes: Any) -> str:
    plain = careroles.unstructure(find_rule("ACA-INTERNAL-APPEAL-FILING"))
    plain.update(changes)
    return json.dumps({k: v for k, v in plain.items() if v is not ...})


@pytest.mark.parametrize(
    "changes",
    [
        {"unit": "fortnights"},
        {"regime": "medicare"},
        {"clock": "appeal"},
        {"roll": "previous_business_day"},
        {"amount": "180"},
        {"amount": 0},
        {"id": "aca internal"},
        {"level": "Internal Appeal"},
        {"effective_from": "2025-02-30"},
        {"effective_to": "2001-01-01"},
        {"source_url": "ftp://example.org"},
        {"citation": " "},
        {"jurisdiction": "Utah"},
        {"citation": ...},
        {"last_reviewed": "2025-01-01T00:00:00Z"},
    ],
)
def test_a_bad_rule_row_is_refused_with_a_validation_error(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        careroles.loads(_rule_json(**changes), DeadlineRule)


def test_an_hour_clock_row_cannot_presume_receipt_or_roll() -> None:
    with pytest.raises(ValidationError) as info:
        careroles.loads(
            _rule_json(unit="hours", receipt_presumption_days=5, roll="next_business_day"),
            DeadlineRule,
        )
    assert codes(info) == {"conflict"}


def _deadline_kwargs(**changes: Any) -> dict[str, Any]:
    return {
        "rule_id": "ACA-INTERNAL-APPEAL-FILING",
        "clock": Clock.FILING,
        "label": "File the internal appeal",
        "trigger_event": "notice_received",
        "triggered_on": d("2025-01-10"),
        "due": pendulum.datetime(2025, 7, 9, 23, 59, 59, 999999, tz=NY),
        "citation": "45 CFR 147.136",
    } | changes


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"due": _dt.datetime(2025, 7, 9, 23, 59)}, "naive_datetime"),
        ({"due": pendulum.datetime(2025, 1, 9, tz=NY)}, "inverted"),
        ({"triggered_on": None}, "missing"),
        ({"triggered_on": "2025-01-10"}, "type"),
        ({"clock": "filing_window"}, "type"),
        ({"rule_id": ""}, "format"),
        ({"original_due": pendulum.datetime(2025, 8, 1, tz=NY)}, "range"),
        (
            {
                "clock": Clock.DECISION,
                "good_cause": GoodCause(
                    reason="r", recorded_by=ADVOCATE, at=pendulum.datetime(2025, 8, 1, tz=NY)
                ),
            },
            "conflict",
        ),
    ],
)
def test_a_bad_deadline_is_refused_with_a_validation_error(
    changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        Deadline(**_deadline_kwargs(**changes))
    assert code in codes(info)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reason": ""},
        {"reason": 3},
        {"at": _dt.datetime(2025, 8, 1)},
        {"recorded_by": "m-adv"},
    ],
)
def test_a_bad_good_cause_is_refused(kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {
        "reason": "ill",
        "recorded_by": ADVOCATE,
        "at": pendulum.datetime(2025, 8, 1, tz=NY),
    }
    with pytest.raises(ValidationError):
        GoodCause(**(args | kwargs))


def test_loading_a_deadline_with_an_unknown_clock_is_refused() -> None:
    plain = careroles.unstructure(_deadline("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10")))
    plain["clock"] = "deadline_of_doom"
    with pytest.raises(ValidationError):
        careroles.loads(json.dumps(plain), Deadline)


@pytest.mark.parametrize(
    ("rule", "trigger", "kwargs", "code"),
    [
        ("NO-SUCH-RULE", d("2025-01-10"), {}, "unknown_rule"),
        (42, d("2025-01-10"), {}, "type"),
        ("ACA-INTERNAL-APPEAL-FILING", "2025-01-10", {}, "type"),
        ("ACA-INTERNAL-APPEAL-FILING", _dt.datetime(2025, 1, 10), {}, "naive_datetime"),
        ("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"), {"zone": "Mars/Olympus"}, "time_zone"),
        ("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"), {"roll": "sometimes"}, "type"),
        ("ACA-INTERNAL-APPEAL-FILING", d("2009-01-10"), {}, "rule_not_in_force"),
    ],
)
def test_compute_deadline_refuses_bad_input(
    rule: Any, trigger: Any, kwargs: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        compute_deadline(rule, trigger, **kwargs)
    assert codes(info) == {code}


@pytest.mark.parametrize(
    ("regime", "on", "kwargs"),
    [
        ("medicare", d("2025-01-01"), {}),
        (MC, pendulum.datetime(2025, 1, 1, tz=NY), {}),
        (MC, d("2025-01-01"), {"jurisdiction": "Virginia"}),
    ],
)
def test_applicable_rules_refuses_bad_input(regime: Any, on: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        applicable_rules(regime, "plan_appeal", on, **kwargs)


def test_questions_about_a_deadline_need_an_aware_instant() -> None:
    deadline = _deadline("ACA-INTERNAL-APPEAL-FILING", d("2025-01-10"))
    with pytest.raises(ValidationError):
        deadline.is_missed(_dt.datetime(2025, 8, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        deadline.days_left(_dt.datetime(2025, 8, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        escalation_due([deadline], _dt.datetime(2025, 8, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        escalation_due(["not a deadline"], pendulum.datetime(2025, 8, 1, tz=NY))  # type: ignore[list-item]


def test_the_eeoc_helper_refuses_a_non_boolean_fepa_flag() -> None:
    with pytest.raises(ValidationError):
        eeoc_charge_deadline(d("2025-03-03"), fepa_covers_basis="yes")  # type: ignore[arg-type]


def test_the_deadlines_page_lists_every_rule_with_its_citation() -> None:
    page = (pathlib.Path(__file__).parent.parent / "docs" / "deadlines.md").read_text("utf-8")
    for rule in DEADLINE_RULES:
        line = next((ln for ln in page.splitlines() if f"| `{rule.id}`" in ln), None)
        assert line is not None, f"docs/deadlines.md lacks {rule.id}"
        assert rule.citation in line
        assert rule.effective_from.isoformat() in line
