"""The deadline table: every cited, effective-dated clock careroles knows (domain.md §1-§3).

Each row is a :class:`~careroles.deadlines.DeadlineRule`.  The numbers come from the project's
research notes (``domain.md``), whose confidence tags are kept on every row:
``primary`` [P] (official text read), ``secondary`` [S] (secondary source read) and
``recalled`` [R] (not found in the sources: verify before relying on it).

Conventions of the table:

* ``effective_from`` is the first day careroles applies the row.  For long-standing rules whose
  start was not checked it is a conservative date named in the row's notes; a trigger before it
  is refused rather than guessed.  ``effective_to`` is the last day (inclusive).
* Federal rows are *floors*: jurisdiction rows (``jurisdiction="US-UT"``) carry a state's own
  roll-forward policy.  Where the sources say nothing about weekends and holidays the row does
  not roll: that gives the earlier, safer date.
* ``last_reviewed`` is the day the row was checked against the research notes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import pendulum

from careroles.deadlines import (
    AmountInControversy,
    Clock,
    CoverageRegime,
    DeadlineRule,
    FilingMeans,
    MonthEnd,
    Roll,
    SourceConfidence,
    TimeUnit,
)

__all__ = ["AMOUNT_IN_CONTROVERSY", "DEADLINE_RULES"]

_REVIEWED: Final = pendulum.date(2026, 11, 27)

P, S, R = SourceConfidence.PRIMARY, SourceConfidence.SECONDARY, SourceConfidence.RECALLED
DAYS, BDAYS, MONTHS, HOURS = (
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.BUSINESS_DAYS,
    TimeUnit.CALENDAR_MONTHS,
    TimeUnit.HOURS,
)
FILING, DECISION, EFFECTUATION, CONTINUATION = (
    Clock.FILING,
    Clock.DECISION,
    Clock.EFFECTUATION,
    Clock.CONTINUATION,
)
ACA = CoverageRegime.EMPLOYER_OR_ACA
GF = CoverageRegime.GRANDFATHERED
OM = CoverageRegime.ORIGINAL_MEDICARE
MA = CoverageRegime.MEDICARE_ADVANTAGE
PD = CoverageRegime.PART_D
FFS = CoverageRegime.MEDICAID_FFS
MC = CoverageRegime.MEDICAID_MANAGED_CARE
SELF_PAY = CoverageRegime.UNINSURED_SELF_PAY
NA = CoverageRegime.NOT_APPLICABLE

APPEAL = "insurance_appeal"

#: Effective-from dates used when a rule's own start date was not checked (see the notes).
ACA_START: Final = pendulum.date(2010, 9, 23)  # ACA 2719 applies to plan years from this date
MEDICARE_START: Final = pendulum.date(2005, 5, 1)  # 42 CFR 405 subpart I appeal rules
PART_C_D_START: Final = pendulum.date(2006, 1, 1)  # MMA: MA and Part D as now constituted
MC_2016_START: Final = pendulum.date(2017, 7, 1)  # 2016 managed-care rule timeframes
PRIVACY_START: Final = pendulum.date(2003, 4, 14)  # HIPAA Privacy Rule compliance date
OMNIBUS_START: Final = pendulum.date(2013, 9, 23)  # HIPAA Omnibus Rule compliance date
LONG_STANDING: Final = pendulum.date(2000, 1, 1)  # in force earlier; earlier dates unchecked
UNCHECKED_START = "In force before effective_from; earlier dates were not checked."

# Source addresses (domain.md).
U_ACA_APPEAL: Final = "https://insuredefense.com/blog/aca-appeal-rights-federal-floor"
U_ACA_URGENT: Final = "https://www.counterclaim.help/guides/aca-expedited-appeal"
U_ACA_EXTERNAL: Final = "https://apellica.com/pillar/external-review-iro-complete-guide"
U_147_136: Final = "http://laws9.com/cfr/text/45/147/136"
U_405_942: Final = "https://law.lawstack.com/cfr/42/405.942/"
U_405_962: Final = "https://law.lawstack.com/cfr/42/405.962/"
U_NGS: Final = (
    "https://ngsmedicare.com/en/web/ngs/levels-of-appeals-and-time-limits-for-filing"
    "?selectedArticleId=2754831"
)
U_CAHA: Final = "https://cahealthadvocates.org/appeals/coverage-payment-appeals/"
U_OMHA: Final = (
    "https://online.documentine.com/timeframe-or-time-frame/1/"
    "chapter-i-7-adjudication-time-frames-table-of-contents.html"
)
U_PALMETTO: Final = "https://palmettogba.com/palmetto/jja.nsf/DIDC/BGWQXG4233~Appeals~Timeliness"
U_478_20: Final = "https://law.lawstack.com/cfr/42/478.20/"
U_MA_RECON: Final = "https://cms.gov/es/node/172521"
U_MA_65: Final = (
    "https://www.attacconsulting.com/"
    "cms-announces-updates-to-medicare-parts-c-d-appeals-guidance-effective-january-1-2025/"
)
U_CMS_0057: Final = "https://signaledi.com/pa-resources/cms-0057/medicare-advantage/"
U_422_618: Final = "https://anthonygarvan.github.io/allregs/html/sections/42CFR422.618.html"
U_PD_CD: Final = "https://q1medicare.com/PartD-CanIAppealMedicareRxPlanDecision.php"
U_423_582: Final = "https://law.lawstack.com/cfr/42/423.582/"
U_PD_REDET: Final = "https://hhs.gov/guidance/document/redetermination-part-d-plan-sponsor"
U_PD_IRE: Final = (
    "https://www.cms.gov/medicare/appeals-grievances/prescription-drug/reconsiderations"
)
U_PD_ALJ: Final = (
    "http://www.cms.gov/Medicare/Appeals-and-Grievances/MedPrescriptDrugApplGriev/ALJHearing.html"
)
U_NC_108D: Final = (
    "https://www.ncleg.gov/EnactedLegislation/Statutes/HTML/BySection/Chapter_108D/GS_108D-13.html"
)
U_438_410: Final = (
    "https://www.govregs.com/regulations/title42_chapterIV-i2_part438_subpartF_section438.410"
)
U_VA_650: Final = "https://law.lis.virginia.gov/admincode/title12/agency30/chapter120/section650"
U_438_420: Final = "https://anthonygarvan.github.io/allregs/html/sections/42CFR438.420.html"
U_438_424: Final = "https://lexbuild.dev/ecfr/title-42/chapter-IV/part-438/section-438.424"
U_431_221: Final = "https://law.lawstack.com/cfr/42/431.221/"
U_431_231: Final = "https://law.lawstack.com/cfr/42/431.231/"
U_431_244: Final = "https://law.lawstack.com/cfr/42/431.244/"
U_UTAH: Final = "https://oepmanuals.dhhs.utah.gov/100/125-1_Fair_Hearing_Requests.htm"
U_PPDR: Final = "https://dev.compliancecosmos.org/print/pdf/node/518836"
U_ACCESS: Final = "https://getmyhealthdata.org/ocr-guidance-timeliness"
U_AMEND: Final = "http://www.hipaagroup.com/pnp/regs/finalprivacy/526.html"
U_ACCOUNTING: Final = (
    "https://dev.compliancecosmos.org/accounting-disclosures-protected-health-information"
)
U_OCR: Final = "https://labce.com/spg3151007_filing_a_hipaa_violation.aspx"
U_EEOC: Final = "https://eeocdeadline.us/learn/180-vs-300-day-rule"
U_AIC: Final = "https://www.govinfo.gov/content/pkg/FR-2025-12-04/html/2025-21879.htm"

# Escalation paths for a decider's missed clock (DL-008).
ESC_ACA: Final = (
    "Deemed exhaustion: the claimant may go straight to external review or court "
    "(45 CFR 147.136(b)(2)(ii)(F)) [R]."
)
ESC_QIC: Final = "The appellant may escalate the appeal to an ALJ at OMHA (DL-008)."
ESC_ALJ: Final = "The appellant may escalate to the Medicare Appeals Council [R]."
ESC_COUNCIL: Final = "The appellant may escalate to federal district court [R]."
ESC_NONE_LISTED: Final = (
    "No escalation right is listed in the sources consulted; ask the decider for the status "
    "in writing and keep the record."
)
ESC_MA_IRE: Final = (
    "An untimely or adverse plan reconsideration is forwarded to the IRE automatically; "
    "confirm the forwarding (42 CFR 422.590)."
)
ESC_PD_IRE: Final = (
    "An untimely decision is forwarded to the Part D IRE [R]; confirm the forwarding."
)
ESC_MC: Final = (
    "Deemed exhaustion: the enrollee may request a state fair hearing (42 CFR 438.408(c)(3))."
)
ESC_FFS: Final = "Complain to the state Medicaid agency; the delay is reviewable [R]."
ESC_OCR: Final = "Complain to HHS OCR (45 CFR 160.306) within 180 days of knowing of the failure."
ESC_IRO: Final = "Ask the plan and the external-review program for the decision in writing."


def _row(
    id: str,  # the column's name
    regime: CoverageRegime,
    kind: str,
    level: str,
    clock: Clock,
    trigger: str,
    amount: int,
    unit: TimeUnit,
    label: str,
    *,
    since: pendulum.Date,
    cite: str,
    url: str,
    conf: SourceConfidence,
    refs: tuple[str, ...],
    **rest: Any,
) -> DeadlineRule:
    return DeadlineRule(
        id=id,
        regime=regime,
        kind=kind,
        level=level,
        clock=clock,
        trigger=trigger,
        amount=amount,
        unit=unit,
        label=label,
        effective_from=since,
        citation=cite,
        source_url=url,
        confidence=conf,
        domain_refs=refs,
        last_reviewed=_REVIEWED,
        **rest,
    )


def _medicare_later_levels(prefix: str, regime: CoverageRegime) -> tuple[DeadlineRule, ...]:
    """ALJ, Council and court filing rows: 60 days from presumed receipt (notice + 5)."""
    common: dict[str, Any] = {
        "receipt_presumption_days": 5,
        "since": MEDICARE_START if regime is OM else PART_C_D_START,
        "notes": UNCHECKED_START,
    }
    return (
        _row(
            f"{prefix}-ALJ-FILING",
            regime,
            APPEAL,
            "alj_hearing",
            FILING,
            "reconsideration_notice_dated",
            60,
            DAYS,
            "Request an ALJ hearing (OMHA): 60 days from receipt of the reconsideration",
            cite="42 CFR 405.1002; amount in controversy per year (DL-T06, DL-T07)",
            url=U_NGS,
            conf=P,
            refs=("DL-001", "DL-T06", "DL-T07"),
            **common,
        ),
        _row(
            f"{prefix}-COUNCIL-FILING",
            regime,
            APPEAL,
            "appeals_council",
            FILING,
            "alj_decision_notice_dated",
            60,
            DAYS,
            "Request Medicare Appeals Council review: 60 days from receipt of the ALJ decision",
            cite="42 CFR 405.1102; no amount in controversy (DL-T06)",
            url=U_NGS,
            conf=P,
            refs=("DL-001", "DL-T06"),
            **common,
        ),
        _row(
            f"{prefix}-COURT-FILING",
            regime,
            APPEAL,
            "federal_court",
            FILING,
            "council_decision_notice_dated",
            60,
            DAYS,
            "File in federal district court: 60 days from receipt of the Council decision",
            cite="42 CFR 405.1130; amount in controversy per year (DL-T06, DL-T07)",
            url=U_NGS,
            conf=P,
            refs=("DL-001", "DL-T06", "DL-T07"),
            **common,
        ),
    )


# fmt: off
_ACA_ROWS: Final = tuple(
    row
    for regime, prefix, extra in (
        (ACA, "ACA", ""),
        (GF, "GRANDFATHERED", " ERISA claims rule (group plans); applies to grandfathered plans."),
    )
    for row in (
        _row(
            f"{prefix}-INTERNAL-APPEAL-FILING", regime, APPEAL, "internal_appeal", FILING,
            "adverse_benefit_determination_notice_received", 180, DAYS,
            "File the internal appeal: 180 days from receipt of the denial notice",
            since=ACA_START, cite="45 CFR 147.136(b)(2)(ii)(B); 29 CFR 2560.503-1(h)(3)(i)",
            url=U_ACA_APPEAL, conf=S, refs=("DL-T01",),
            notes="The plan must allow at least 180 days." + extra,
        ),
        _row(
            f"{prefix}-INTERNAL-APPEAL-DECISION-PRE-SERVICE", regime, APPEAL, "internal_appeal",
            DECISION, "appeal_received", 30, DAYS,
            "Plan decides a pre-service appeal: 30 days from receipt of the appeal",
            since=ACA_START, cite="29 CFR 2560.503-1(i)(2)(ii); 45 CFR 147.136(b)",
            url=U_ACA_APPEAL, conf=S, refs=("DL-T02", "DL-008"), escalation=ESC_ACA,
            notes="No extension on appeal decisions. [R] two-level plans: 15 days per level.",
        ),
        _row(
            f"{prefix}-INTERNAL-APPEAL-DECISION-POST-SERVICE", regime, APPEAL, "internal_appeal",
            DECISION, "appeal_received", 60, DAYS,
            "Plan decides a post-service appeal: 60 days from receipt of the appeal",
            since=ACA_START, cite="29 CFR 2560.503-1(i)(2)(iii); 45 CFR 147.136(b)",
            url=U_ACA_APPEAL, conf=S, refs=("DL-T02", "DL-008"), escalation=ESC_ACA,
            notes="No extension on appeal decisions. [R] two-level plans: 30 days per level.",
        ),
        _row(
            f"{prefix}-INTERNAL-APPEAL-DECISION-URGENT", regime, APPEAL, "internal_appeal",
            DECISION, "appeal_received", 72, HOURS,
            "Plan decides an urgent appeal: 72 hours from receipt",
            since=ACA_START, cite="29 CFR 2560.503-1(i)(2)(i); 45 CFR 147.136(b)",
            url=U_ACA_URGENT, conf=S, refs=("DL-T02", "DL-005", "DL-008"), expedited=True,
            escalation=ESC_ACA,
            notes="Urgent when the standard time could seriously jeopardize life, health or "
            "maximum function, or the treating physician says so.",
        ),
    )
)

_EXTERNAL_REVIEW_ROWS: Final = (
    _row(
        "ACA-EXTERNAL-REVIEW-FILING", ACA, APPEAL, "external_review", FILING,
        "final_adverse_benefit_determination_notice_received", 4, MONTHS,
        "Request external review: 4 calendar months from receipt of the final denial",
        since=ACA_START, cite="45 CFR 147.136(d); DOL Technical Release 2010-01 [R month-end]",
        url=U_147_136, conf=R, refs=("DL-004", "DL-T03"),
        month_end=MonthEnd.FIRST_DAY_OF_NEXT_MONTH, roll=Roll.NEXT_BUSINESS_DAY,
        notes="Calendar months, not 120 days. [R] With no corresponding day four months "
        "later the deadline is the first day of the fifth month; a weekend or holiday "
        "moves it to the next business day. Verify against DOL Technical Release 2010-01.",
    ),
    _row(
        "ACA-EXTERNAL-REVIEW-PRELIMINARY-REVIEW", ACA, APPEAL, "external_review", DECISION,
        "external_review_request_received", 5, BDAYS,
        "Plan completes the preliminary eligibility review: 5 business days",
        since=ACA_START, cite="45 CFR 147.136(d) (federal process)",
        url=U_ACA_EXTERNAL, conf=S, refs=("DL-T04",), escalation=ESC_IRO,
    ),
    _row(
        "ACA-EXTERNAL-REVIEW-DECISION", ACA, APPEAL, "external_review", DECISION,
        "iro_received_request", 45, DAYS,
        "IRO decides: 45 days after it receives the request",
        since=ACA_START, cite="45 CFR 147.136(d) (federal process)",
        url=U_ACA_EXTERNAL, conf=S, refs=("DL-T04", "DL-008"), escalation=ESC_IRO,
        notes="Binding on the plan.",
    ),
    _row(
        "ACA-EXTERNAL-REVIEW-DECISION-EXPEDITED", ACA, APPEAL, "external_review", DECISION,
        "iro_received_request", 72, HOURS,
        "IRO decides an expedited external review: 72 hours",
        since=ACA_START, cite="45 CFR 147.136(d) (federal process)",
        url=U_ACA_EXTERNAL, conf=S, refs=("DL-T04", "DL-005"), expedited=True,
        escalation=ESC_IRO,
        notes="May run alongside an urgent internal appeal. [R] an oral decision is "
        "confirmed in writing within 48 hours.",
    ),
)

_MEDICARE_ROWS: Final = (
    _row(
        "MEDICARE-REDETERMINATION-FILING", OM, APPEAL, "redetermination", FILING,
        "initial_determination_notice_dated", 120, DAYS,
        "Request redetermination (MAC): 120 days from receipt of the MSN or RA",
        since=MEDICARE_START, cite="42 CFR 405.942(a)", url=U_405_942, conf=P,
        refs=("DL-001", "DL-002", "DL-003", "DL-T05"), receipt_presumption_days=5,
        notes="Receipt is presumed 5 days after the notice date; filed when received by the "
        "contractor; no weekend roll (Palmetto GBA's worked examples). " + UNCHECKED_START,
    ),
    _row(
        "MEDICARE-REDETERMINATION-DECISION", OM, APPEAL, "redetermination", DECISION,
        "redetermination_request_received", 60, DAYS,
        "MAC decides the redetermination: 60 days",
        since=MEDICARE_START, cite="42 CFR 405.950", url=U_NGS, conf=P,
        refs=("DL-008",), escalation=ESC_NONE_LISTED, notes=UNCHECKED_START,
    ),
    _row(
        "MEDICARE-RECONSIDERATION-FILING", OM, APPEAL, "reconsideration", FILING,
        "redetermination_notice_dated", 180, DAYS,
        "Request QIC reconsideration: 180 days from receipt of the redetermination",
        since=MEDICARE_START, cite="42 CFR 405.962(a)", url=U_405_962, conf=P,
        refs=("DL-001", "DL-002", "DL-T06"), receipt_presumption_days=5,
        notes="Receipt presumed 5 days after the notice date; filed when received by the QIC. "
        + UNCHECKED_START,
    ),
    _row(
        "MEDICARE-RECONSIDERATION-DECISION", OM, APPEAL, "reconsideration", DECISION,
        "reconsideration_request_received", 60, DAYS,
        "QIC decides the reconsideration: 60 days",
        since=MEDICARE_START, cite="42 CFR 405.970", url=U_CAHA, conf=S,
        refs=("DL-008", "DL-T14"), escalation=ESC_QIC,
        notes="+14 days for each late evidence submission (not modelled as an extension). "
        + UNCHECKED_START,
    ),
    *_medicare_later_levels("MEDICARE", OM),
    _row(
        "MEDICARE-ALJ-DECISION", OM, APPEAL, "alj_hearing", DECISION,
        "alj_request_received", 90, DAYS,
        "ALJ decides: 90 days",
        since=MEDICARE_START, cite="42 CFR 405.1016", url=U_OMHA, conf=S,
        refs=("DL-008",), escalation=ESC_ALJ, notes=UNCHECKED_START,
    ),
    _row(
        "MEDICARE-ALJ-DECISION-ESCALATED", OM, APPEAL, "alj_hearing", DECISION,
        "escalation_received", 180, DAYS,
        "ALJ decides an appeal escalated from the QIC: 180 days",
        since=MEDICARE_START, cite="42 CFR 405.1016(c)", url=U_OMHA, conf=S,
        refs=("DL-008",), escalation=ESC_ALJ, notes=UNCHECKED_START,
    ),
    _row(
        "MEDICARE-COUNCIL-DECISION", OM, APPEAL, "appeals_council", DECISION,
        "council_request_received", 90, DAYS,
        "Medicare Appeals Council decides: 90 days",
        since=MEDICARE_START, cite="42 CFR 405.1100", url=U_NGS, conf=S,
        refs=("DL-008",), escalation=ESC_COUNCIL, notes=UNCHECKED_START,
    ),
    _row(
        "MEDICARE-QIO-RECONSIDERATION-FILING", OM, APPEAL, "qio_reconsideration", FILING,
        "qio_initial_denial_notice_dated", 60, DAYS,
        "Request QIO reconsideration: 60 days from receipt; filed on the postmark date",
        since=LONG_STANDING, cite="42 CFR 478.20(a)", url=U_478_20, conf=P,
        refs=("DL-001", "DL-002"), receipt_presumption_days=5,
        filing_means=FilingMeans.POSTMARKED, notes=UNCHECKED_START,
    ),
)

_MA_ROWS: Final = (
    _row(
        "MA-ORGANIZATION-DETERMINATION-DECISION", MA, APPEAL, "organization_determination",
        DECISION, "request_received", 14, DAYS,
        "Plan decides a standard pre-service request (prior authorization): 14 days",
        since=PART_C_D_START, cite="42 CFR 422.572 [R]; superseded by CMS-0057-F",
        url=U_CMS_0057, conf=S, refs=("DL-007", "DL-T09"),
        effective_to=pendulum.date(2025, 12, 31), escalation=ESC_NONE_LISTED,
        notes=UNCHECKED_START,
    ),
    _row(
        "MA-ORGANIZATION-DETERMINATION-DECISION-2026", MA, APPEAL, "organization_determination",
        DECISION, "request_received", 7, DAYS,
        "Plan decides a standard pre-service request (prior authorization): 7 days",
        since=pendulum.date(2026, 1, 1), cite="CMS-0057-F (Interoperability and Prior "
        "Authorization final rule)", url=U_CMS_0057, conf=S, refs=("DL-007", "DL-T09"),
        escalation=ESC_NONE_LISTED, notes="A specific denial reason is required.",
    ),
    _row(
        "MA-ORGANIZATION-DETERMINATION-DECISION-EXPEDITED", MA, APPEAL,
        "organization_determination", DECISION, "request_received", 72, HOURS,
        "Plan decides an expedited request: 72 hours",
        since=PART_C_D_START, cite="CMS-0057-F; 42 CFR 422.572", url=U_CMS_0057, conf=S,
        refs=("DL-T09",), expedited=True, escalation=ESC_NONE_LISTED, notes=UNCHECKED_START,
    ),
    _row(
        "MA-ORGANIZATION-DETERMINATION-DECISION-PAYMENT", MA, APPEAL,
        "organization_determination", DECISION, "request_received", 60, DAYS,
        "Plan decides a payment request: 60 days",
        since=PART_C_D_START, cite="CMS-0057-F summary; 42 CFR 422.520 [R]", url=U_CMS_0057,
        conf=S, refs=("DL-T09",), escalation=ESC_NONE_LISTED, notes=UNCHECKED_START,
    ),
    _row(
        "MA-RECONSIDERATION-FILING-REGULATION", MA, APPEAL, "plan_reconsideration", FILING,
        "organization_determination_notice_received", 60, DAYS,
        "Request plan reconsideration: 60 days from receipt of the notice (regulation)",
        since=PART_C_D_START, cite="42 CFR 422.582", url=U_MA_RECON, conf=P,
        refs=("DL-007",), effective_to=pendulum.date(2024, 12, 31),
        notes="Replaced from 2025 by CMS guidance stating 65 days from the notice date. "
        + UNCHECKED_START,
    ),
    _row(
        "MA-RECONSIDERATION-FILING", MA, APPEAL, "plan_reconsideration", FILING,
        "organization_determination_notice_dated", 65, DAYS,
        "Request plan reconsideration: 65 calendar days from the date of the notice",
        since=pendulum.date(2025, 1, 1),
        cite="CMS Parts C & D appeals guidance effective 2025-01-01; 42 CFR 422.582",
        url=U_MA_65, conf=S, refs=("DL-007", "DL-T08"),
        notes="Equivalent to 60 days from presumed receipt.",
    ),
    _row(
        "MA-RECONSIDERATION-DECISION-PRE-SERVICE", MA, APPEAL, "plan_reconsideration",
        DECISION, "reconsideration_request_received", 30, DAYS,
        "Plan decides a standard pre-service reconsideration: 30 days",
        since=PART_C_D_START, cite="42 CFR 422.590(a)", url=U_MA_RECON, conf=P,
        refs=("DL-T08", "DL-008"), escalation=ESC_MA_IRE, extension_amount=14,
        extension_condition="[S] the enrollee asks, or the plan justifies the need",
        notes="An adverse decision is auto-forwarded to the IRE: the enrollee files nothing.",
    ),
    _row(
        "MA-RECONSIDERATION-DECISION-PART-B-DRUG", MA, APPEAL, "plan_reconsideration",
        DECISION, "reconsideration_request_received", 7, DAYS,
        "Plan decides a Part B drug reconsideration: 7 days",
        since=PART_C_D_START, cite="42 CFR 422.590(c)", url=U_MA_RECON, conf=P,
        refs=("DL-T08",), escalation=ESC_MA_IRE, notes="[R] No extension. " + UNCHECKED_START,
    ),
    _row(
        "MA-RECONSIDERATION-DECISION-PAYMENT", MA, APPEAL, "plan_reconsideration", DECISION,
        "reconsideration_request_received", 60, DAYS,
        "Plan decides a payment reconsideration: 60 days",
        since=PART_C_D_START, cite="42 CFR 422.590(b)", url=U_MA_RECON, conf=P,
        refs=("DL-T08",), escalation=ESC_MA_IRE, notes=UNCHECKED_START,
    ),
    _row(
        "MA-RECONSIDERATION-DECISION-EXPEDITED", MA, APPEAL, "plan_reconsideration", DECISION,
        "reconsideration_request_received", 72, HOURS,
        "Plan decides an expedited reconsideration: 72 hours",
        since=PART_C_D_START, cite="42 CFR 422.590(e)", url=U_MA_RECON, conf=P,
        refs=("DL-T08", "DL-005"), expedited=True, escalation=ESC_MA_IRE,
        notes="Must be expedited when a physician asks; the request may be oral.",
    ),
    _row(
        "MA-EFFECTUATION-IRE-REVERSAL", MA, APPEAL, "plan_reconsideration", EFFECTUATION,
        "ire_reversal_notice_received", 72, HOURS,
        "Plan authorizes a service after the IRE reverses it: 72 hours",
        since=PART_C_D_START, cite="42 CFR 422.618(b)", url=U_422_618, conf=P,
        refs=("DL-008",), escalation=ESC_NONE_LISTED,
        notes="The service itself must be provided within 14 days of the notice.",
    ),
    *_medicare_later_levels("MA", MA),
)

_PART_D_ROWS: Final = (
    _row(
        "PART-D-COVERAGE-DETERMINATION-DECISION", PD, APPEAL, "coverage_determination",
        DECISION, "request_received", 72, HOURS,
        "Plan decides a standard coverage determination: 72 hours",
        since=PART_C_D_START, cite="42 CFR 423.568", url=U_PD_CD, conf=S,
        refs=("DL-T10", "DL-005"), escalation=ESC_PD_IRE,
        notes="For an exception request the clock starts when the prescriber's supporting "
        "statement is received: use that instant as the trigger.",
    ),
    _row(
        "PART-D-COVERAGE-DETERMINATION-DECISION-EXPEDITED", PD, APPEAL,
        "coverage_determination", DECISION, "request_received", 24, HOURS,
        "Plan decides an expedited coverage determination: 24 hours",
        since=PART_C_D_START, cite="42 CFR 423.572", url=U_PD_CD, conf=S,
        refs=("DL-T10", "DL-005"), expedited=True, escalation=ESC_PD_IRE,
        notes="Exceptions: the clock starts at the prescriber's supporting statement.",
    ),
    _row(
        "PART-D-REDETERMINATION-FILING-REGULATION", PD, APPEAL, "redetermination", FILING,
        "coverage_determination_notice_dated", 60, DAYS,
        "Request redetermination: 60 days from receipt of the coverage determination",
        since=PART_C_D_START, cite="42 CFR 423.582(b)", url=U_423_582, conf=P,
        refs=("DL-001", "DL-002"), receipt_presumption_days=5,
        effective_to=pendulum.date(2024, 12, 31),
        notes="Receipt presumed 5 days after the notice date; filed when the plan receives it. "
        + UNCHECKED_START,
    ),
    _row(
        "PART-D-REDETERMINATION-FILING", PD, APPEAL, "redetermination", FILING,
        "coverage_determination_notice_dated", 65, DAYS,
        "Request redetermination: 65 calendar days from the date of the notice",
        since=pendulum.date(2025, 1, 1), cite="CMS guidance (2025); 42 CFR 423.582(b)",
        url=U_PD_REDET, conf=P, refs=("DL-007", "DL-T10"),
        notes="Equivalent to 60 days from presumed receipt; filed when the plan receives it.",
    ),
    _row(
        "PART-D-REDETERMINATION-DECISION", PD, APPEAL, "redetermination", DECISION,
        "redetermination_request_received", 7, DAYS,
        "Plan decides a standard redetermination: 7 days",
        since=PART_C_D_START, cite="42 CFR 423.590(a)", url=U_PD_REDET, conf=P,
        refs=("DL-T10",), escalation=ESC_PD_IRE, notes=UNCHECKED_START,
    ),
    _row(
        "PART-D-REDETERMINATION-DECISION-PAYMENT", PD, APPEAL, "redetermination", DECISION,
        "redetermination_request_received", 14, DAYS,
        "Plan decides a payment redetermination: 14 days",
        since=PART_C_D_START, cite="42 CFR 423.590(b)", url=U_PD_REDET, conf=P,
        refs=("DL-T10",), escalation=ESC_PD_IRE, notes=UNCHECKED_START,
    ),
    _row(
        "PART-D-REDETERMINATION-DECISION-EXPEDITED", PD, APPEAL, "redetermination", DECISION,
        "redetermination_request_received", 72, HOURS,
        "Plan decides an expedited redetermination: 72 hours",
        since=PART_C_D_START, cite="42 CFR 423.590(d)", url=U_PD_REDET, conf=P,
        refs=("DL-T10", "DL-005"), expedited=True, escalation=ESC_PD_IRE,
        notes="Not for payment requests; oral notice needs written follow-up within 3 days.",
    ),
    _row(
        "PART-D-IRE-FILING-REGULATION", PD, APPEAL, "ire_reconsideration", FILING,
        "redetermination_notice_dated", 60, DAYS,
        "Request IRE reconsideration: 60 days from receipt of the redetermination",
        since=PART_C_D_START, cite="42 CFR 423.600(a) [R]", url=U_PD_IRE, conf=R,
        refs=("DL-001", "DL-007"), receipt_presumption_days=5,
        effective_to=pendulum.date(2024, 12, 31), notes=UNCHECKED_START,
    ),
    _row(
        "PART-D-IRE-FILING", PD, APPEAL, "ire_reconsideration", FILING,
        "redetermination_notice_dated", 65, DAYS,
        "Request IRE reconsideration: 65 calendar days from the redetermination notice",
        since=pendulum.date(2025, 1, 1), cite="CMS Part D reconsiderations page; 42 CFR 423.600",
        url=U_PD_IRE, conf=P, refs=("DL-007", "DL-T10"),
        notes="In writing (fax accepted); by the enrollee, a representative or the prescriber.",
    ),
    _row(
        "PART-D-IRE-DECISION", PD, APPEAL, "ire_reconsideration", DECISION,
        "ire_request_received", 7, DAYS,
        "IRE decides a standard reconsideration: 7 days",
        since=PART_C_D_START, cite="42 CFR 423.600", url=U_PD_IRE, conf=P,
        refs=("DL-T10",), escalation=ESC_NONE_LISTED, notes=UNCHECKED_START,
    ),
    _row(
        "PART-D-IRE-DECISION-PAYMENT", PD, APPEAL, "ire_reconsideration", DECISION,
        "ire_request_received", 14, DAYS,
        "IRE decides a payment reconsideration: 14 days",
        since=PART_C_D_START, cite="42 CFR 423.600", url=U_PD_IRE, conf=P,
        refs=("DL-T10",), escalation=ESC_NONE_LISTED, notes=UNCHECKED_START,
    ),
    _row(
        "PART-D-IRE-DECISION-EXPEDITED", PD, APPEAL, "ire_reconsideration", DECISION,
        "ire_request_received", 72, HOURS,
        "IRE decides an expedited reconsideration: 72 hours",
        since=PART_C_D_START, cite="42 CFR 423.600", url=U_PD_IRE, conf=P,
        refs=("DL-T10", "DL-005"), expedited=True, escalation=ESC_NONE_LISTED,
        notes=UNCHECKED_START,
    ),
    *_medicare_later_levels("PART-D", PD),
    _row(
        "PART-D-ALJ-DECISION", PD, APPEAL, "alj_hearing", DECISION,
        "alj_request_received", 90, DAYS,
        "ALJ decides a Part D appeal: 90 days",
        since=PART_C_D_START, cite="42 CFR 423.2016", url=U_PD_ALJ, conf=P,
        refs=("DL-008",), escalation="Part D has no escalation at the ALJ level.",
        notes=UNCHECKED_START,
    ),
    _row(
        "PART-D-ALJ-DECISION-EXPEDITED", PD, APPEAL, "alj_hearing", DECISION,
        "alj_request_received", 10, DAYS,
        "ALJ decides an expedited Part D appeal: 10 days",
        since=PART_C_D_START, cite="42 CFR 423.2016", url=U_PD_ALJ, conf=P,
        refs=("DL-008",), expedited=True,
        escalation="Part D has no escalation at the ALJ level.", notes=UNCHECKED_START,
    ),
)

_MEDICAID_ROWS: Final = (
    _row(
        "MEDICAID-MC-APPEAL-FILING", MC, APPEAL, "plan_appeal", FILING,
        "adverse_benefit_determination_notice_dated", 60, DAYS,
        "File the plan appeal: 60 calendar days from the date on the notice",
        since=MC_2016_START, cite="42 CFR 438.402(c)(2)(ii)", url=U_NC_108D, conf=S,
        refs=("DL-T11",),
        notes="Oral or written. Federal floor: no roll; a state's policy may roll (DL-003).",
    ),
    _row(
        "MEDICAID-MC-APPEAL-DECISION", MC, APPEAL, "plan_appeal", DECISION,
        "appeal_received", 30, DAYS,
        "Plan resolves a standard appeal: 30 calendar days",
        since=MC_2016_START, cite="42 CFR 438.408(b)(2), (c)", url=U_NC_108D, conf=S,
        refs=("DL-T11", "DL-008", "DL-T14"), escalation=ESC_MC, extension_amount=14,
        extension_condition="the enrollee asks, or the plan shows the need and that the delay "
        "is in the enrollee's interest (written reason when plan-initiated)",
    ),
    _row(
        "MEDICAID-MC-APPEAL-DECISION-EXPEDITED", MC, APPEAL, "plan_appeal", DECISION,
        "appeal_received", 72, HOURS,
        "Plan resolves an expedited appeal: 72 hours",
        since=MC_2016_START, cite="42 CFR 438.408(b)(3), 438.410", url=U_438_410, conf=P,
        refs=("DL-T11", "DL-005", "DL-008"), expedited=True, escalation=ESC_MC,
        extension_amount=336,
        extension_condition="up to 14 calendar days (336 hours), as for standard appeals",
        notes="If the plan denies expediting, the appeal moves to the standard timeframe.",
    ),
    _row(
        "MEDICAID-MC-STATE-FAIR-HEARING-FILING", MC, APPEAL, "state_fair_hearing", FILING,
        "appeal_resolution_notice_dated", 120, DAYS,
        "Request a state fair hearing: 120 calendar days from the appeal resolution notice",
        since=MC_2016_START, cite="42 CFR 438.408(f)(2)", url=U_VA_650, conf=S,
        refs=("DL-T11",),
    ),
    _row(
        "VA-MEDICAID-MC-STATE-FAIR-HEARING-FILING", MC, APPEAL, "state_fair_hearing", FILING,
        "appeal_resolution_notice_dated", 120, DAYS,
        "Virginia: request a state fair hearing within 120 days, rolled to a business day",
        since=MC_2016_START, cite="12VAC30-120-650(E); 42 CFR 438.408(f)(2)", url=U_VA_650,
        conf=P, refs=("DL-003", "DL-T11"), jurisdiction="US-VA",
        roll=Roll.NEXT_BUSINESS_DAY,
    ),
    _row(
        "MEDICAID-MC-CONTINUATION", MC, APPEAL, "continuation_of_benefits", CONTINUATION,
        "notice_mailed", 10, DAYS,
        "File to keep benefits: 10 days after the notice is mailed, or the action date if later",
        since=MC_2016_START, cite="42 CFR 438.420(a)-(b)", url=U_438_420, conf=P,
        refs=("DL-T12",),
        notes="Use continuation_of_benefits_deadline for the later-of rule.",
    ),
    _row(
        "MEDICAID-MC-EFFECTUATION", MC, APPEAL, "plan_appeal", EFFECTUATION,
        "reversal_notice_dated", 72, HOURS,
        "Plan authorizes or provides a reversed service: 72 hours from the reversal notice",
        since=MC_2016_START, cite="42 CFR 438.424(a)", url=U_438_424, conf=P,
        refs=("DL-008",), escalation=ESC_MC,
    ),
    _row(
        "MEDICAID-MC-GRIEVANCE-DECISION", MC, APPEAL, "grievance", DECISION,
        "grievance_received", 90, DAYS,
        "Plan resolves a grievance: 90 days",
        since=MC_2016_START, cite="42 CFR 438.408(b)(1)", url=U_NC_108D, conf=P,
        refs=("DL-008",), escalation=ESC_NONE_LISTED,
    ),
    _row(
        "MEDICAID-FFS-HEARING-FILING", FFS, APPEAL, "state_fair_hearing", FILING,
        "notice_mailed", 90, DAYS,
        "Request a fair hearing: a state-set time of at most 90 days from the notice mailing",
        since=LONG_STANDING, cite="42 CFR 431.221(d)", url=U_431_221, conf=P,
        refs=("DL-T13",),
        notes="Federal ceiling: a state may set a shorter window (jurisdiction rows). "
        + UNCHECKED_START,
    ),
    _row(
        "UT-MEDICAID-FFS-HEARING-FILING", FFS, APPEAL, "state_fair_hearing", FILING,
        "notice_mailed", 90, DAYS,
        "Utah: request a fair hearing within 90 days, by close of the next business day",
        since=LONG_STANDING, cite="Utah Medicaid manual 125-1; 42 CFR 431.221(d)", url=U_UTAH,
        conf=P, refs=("DL-003", "DL-T13"), jurisdiction="US-UT",
        roll=Roll.NEXT_BUSINESS_DAY, notes=UNCHECKED_START,
    ),
    _row(
        "MEDICAID-FFS-HEARING-DECISION", FFS, APPEAL, "state_fair_hearing", DECISION,
        "hearing_request_received", 90, DAYS,
        "Agency takes final administrative action: ordinarily 90 days from the request",
        since=LONG_STANDING, cite="42 CFR 431.244(f)(1)", url=U_431_244, conf=P,
        refs=("DL-008",), escalation=ESC_FFS,
        notes="Managed care: from the date the plan appeal was filed, not counting the "
        "enrollee's days to request the hearing. " + UNCHECKED_START,
    ),
    _row(
        "MEDICAID-FFS-HEARING-DECISION-EXPEDITED", FFS, APPEAL, "state_fair_hearing", DECISION,
        "case_file_received", 3, BDAYS,
        "Agency decides an expedited service hearing: 3 working days",
        since=MC_2016_START, cite="42 CFR 431.244(f)(2)", url=U_431_244, conf=P,
        refs=("DL-008",), expedited=True, escalation=ESC_FFS,
        notes="Eligibility and nursing-facility claims: 7 working days.",
    ),
    _row(
        "MEDICAID-FFS-CONTINUATION", FFS, APPEAL, "continuation_of_benefits", CONTINUATION,
        "notice_mailed", 10, DAYS,
        "Request a hearing to keep benefits: 10 days from receipt of the notice (notice + 5)",
        since=LONG_STANDING, cite="42 CFR 431.230, 431.231(c)", url=U_431_231, conf=P,
        refs=("DL-001", "DL-T12"), receipt_presumption_days=5,
        notes="Or before the action date if later. " + UNCHECKED_START,
    ),
)

_OTHER_ROWS: Final = (
    _row(
        "NSA-PPDR-FILING", SELF_PAY, "billing_dispute", "ppdr", FILING,
        "initial_bill_received", 120, DAYS,
        "Start patient-provider dispute resolution: 120 days from receiving the initial bill",
        since=pendulum.date(2022, 1, 1), cite="45 CFR 149.620", url=U_PPDR, conf=P,
        refs=("ADV-T01",),
        notes="Only when billed at least $400 over the Good Faith Estimate (ppdr_eligible); "
        "$25 fee; collections paused while pending.",
    ),
    _row(
        "HIPAA-ACCESS-RESPONSE", NA, "records_request", "right_of_access", DECISION,
        "request_received", 30, DAYS,
        "Covered entity acts on an access request: 30 days (one 30-day extension)",
        since=OMNIBUS_START, cite="45 CFR 164.524(b)(2)", url=U_ACCESS, conf=P,
        refs=("ADV-T03",), extension_amount=30,
        extension_condition="written notice with the reason and a completion date, given "
        "within the first 30 days",
        escalation=ESC_OCR,
        notes="The pre-2013 60-day off-site allowance no longer applies.",
    ),
    _row(
        "HIPAA-AMENDMENT-RESPONSE", NA, "records_request", "amendment", DECISION,
        "request_received", 60, DAYS,
        "Covered entity acts on an amendment request: 60 days (one 30-day extension)",
        since=PRIVACY_START, cite="45 CFR 164.526(b)(2)", url=U_AMEND, conf=P,
        refs=("ADV-T04",), extension_amount=30,
        extension_condition="written notice with the reason and a completion date",
        escalation=ESC_OCR,
    ),
    _row(
        "HIPAA-ACCOUNTING-RESPONSE", NA, "records_request", "accounting_of_disclosures",
        DECISION, "request_received", 60, DAYS,
        "Covered entity provides an accounting of disclosures: 60 days (one 30-day extension)",
        since=PRIVACY_START, cite="45 CFR 164.528(c)", url=U_ACCOUNTING, conf=P,
        refs=("ADV-T04",), extension_amount=30,
        extension_condition="written notice with the reason and a completion date",
        escalation=ESC_OCR, notes="Covers the 6 years before the request.",
    ),
    _row(
        "HIPAA-OCR-COMPLAINT-FILING", NA, "complaint", "ocr_complaint", FILING,
        "knew_or_should_have_known", 180, DAYS,
        "Complain to HHS OCR: 180 days from when the act was or should have been known",
        since=PRIVACY_START, cite="45 CFR 160.306(b)(3)", url=U_OCR, conf=S,
        refs=("ADV-T02",), notes="OCR may waive the limit for good cause (record it).",
    ),
    _row(
        "EEOC-CHARGE-FILING", NA, "workplace_accommodation", "eeoc_charge", FILING,
        "discriminatory_act", 180, DAYS,
        "File an EEOC charge: 180 calendar days from the discriminatory act",
        since=LONG_STANDING, cite="42 U.S.C. 2000e-5(e)(1); 29 CFR 1601.13", url=U_EEOC,
        conf=S, refs=("ADV-T06",),
        notes="Harassment: from the last incident. No roll assumed. " + UNCHECKED_START,
    ),
    _row(
        "EEOC-CHARGE-FILING-FEPA", NA, "workplace_accommodation", "eeoc_charge", FILING,
        "discriminatory_act", 300, DAYS,
        "File an EEOC charge: 300 days where a state or local FEPA covers the basis",
        since=LONG_STANDING, cite="42 U.S.C. 2000e-5(e)(1); 29 CFR 1601.13", url=U_EEOC,
        conf=S, refs=("ADV-T06",),
        notes="ADEA: only a state law extends the window. " + UNCHECKED_START,
    ),
)
# fmt: on

#: Every deadline rule careroles knows, federal floors first then jurisdiction rows.
DEADLINE_RULES: Final[tuple[DeadlineRule, ...]] = (
    *_ACA_ROWS,
    *_EXTERNAL_REVIEW_ROWS,
    *_MEDICARE_ROWS,
    *_MA_ROWS,
    *_PART_D_ROWS,
    *_MEDICAID_ROWS,
    *_OTHER_ROWS,
)


def _aic(level: str, year: int, amount: str, conf: SourceConfidence) -> AmountInControversy:
    return AmountInControversy(
        level=level,
        year=year,
        amount=Decimal(amount),
        citation="42 CFR 405.1006; annual Federal Register notice",
        source_url=U_AIC,
        confidence=conf,
    )


#: Medicare amount-in-controversy thresholds by calendar year (DL-T07).
AMOUNT_IN_CONTROVERSY: Final[tuple[AmountInControversy, ...]] = (
    _aic("alj_hearing", 2022, "180", S),
    _aic("alj_hearing", 2023, "180", S),
    _aic("alj_hearing", 2024, "180", S),
    _aic("alj_hearing", 2025, "190", P),
    _aic("alj_hearing", 2026, "200", P),
    _aic("federal_court", 2025, "1900", P),
    _aic("federal_court", 2026, "1960", P),
)
