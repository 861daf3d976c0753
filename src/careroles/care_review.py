"""The overall rule check of one patient's care at an instant: plan, schedule, updates.

:func:`check_care` runs every check careroles has over what an app holds about one patient:

* the care plan's individualization rules (:func:`careroles.care_plans.check_care_plan`,
  including the review cadence of :mod:`careroles.cadences`);
* the appointments' rules, conflicts included (:func:`careroles.appointments.check_appointments`,
  :meth:`careroles.schedules.Schedule.conflicts`);
* the shared-decision records' soft checks (:func:`careroles.decisions.decision_findings`);
* the rules of this module (:data:`CARE_REVIEW_RULES`): progress updates owed on the plan's
  cadence, family recipients whose consent does not (or no longer) cover what they were sent,
  plan activities whose appointment was lost, records of another patient.

:data:`CARE_RULES` is the catalogue of every code :func:`check_care` can return; each is
documented in docs/rule-catalogue.md.  Findings carry JSON paths into the call's arguments
(``$.plan.goals[0].due``, ``$.appointments[3].status``, ``$.updates[1].recipients[0]``,
``$.cadence.due[2]``) and are sorted by severity (errors first), code, then path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

import pendulum

from careroles._model import evolve
from careroles.appointments import (
    APPOINTMENT_RULES,
    Appointment,
    check_appointments,
    reschedule_chain,
)
from careroles.cadences import ReviewEvent
from careroles.care_plans import (
    CARE_PLAN_RULES,
    ActivityStatus,
    CarePlan,
    CoversTreatment,
    check_care_plan,
)
from careroles.care_teams import CareTeam
from careroles.communications import (
    ProgressUpdate,
    RecipientKind,
    UpdateCadence,
    UpdateStatus,
    due_instants,
    updates_due,
)
from careroles.consent import Consent, InformationCategory
from careroles.decisions import DECISION_RULES, TreatmentDecision, decision_findings
from careroles.errors import Path, ValidationError, format_path
from careroles.findings import Finding, Rule, Severity, catalogue
from careroles.patients import Patient
from careroles.periods import instant, require_aware

__all__ = [
    "CARE_REVIEW_RULES",
    "CARE_RULES",
    "check_care",
]

_PRODUCT = "PRODUCT.md (care coordinator: sends regular progress updates to patient and family)"
_CCM_SHARE = (
    "domain.md §5.1 (copy to patient/caregiver, shared timely with others involved in care) "
    "http://infocusonline.net/chronic-care-management/"
)
_FAMILY = (
    "45 CFR 164.510(b) https://www.hhs.gov/hipaa/for-individuals/family-members-friends/index.html"
)

RULE_UPDATE_DUE: Final = Rule(
    code="UPDATE-DUE",
    severity=Severity.WARNING,
    summary="a progress update was due on the plan's cadence and none was sent in its window",
    source=f"{_PRODUCT}; {_CCM_SHARE}; domain.md §5.2 (cadences are program policies)",
)
RULE_UPDATE_CADENCE_MISSING: Final = Rule(
    code="UPDATE-CADENCE-MISSING",
    severity=Severity.INFO,
    summary="a plan in effect has no progress-update cadence",
    source=f"{_PRODUCT}; {_CCM_SHARE}",
)
RULE_UPDATE_SENT_WITHOUT_CONSENT: Final = Rule(
    code="UPDATE-SENT-WITHOUT-CONSENT",
    severity=Severity.ERROR,
    summary="a progress update went to a family recipient without the patient's consent for "
    "a category it contained at the time it was sent",
    source=f"domain.md PRIV-003, PRIV-T05; {_FAMILY}; PRODUCT.md (family only with the "
    "patient's consent for that information)",
)
RULE_UPDATE_FAMILY_CONSENT_MISSING: Final = Rule(
    code="UPDATE-FAMILY-CONSENT-MISSING",
    severity=Severity.WARNING,
    summary="the latest progress update went to a family recipient whose consent no longer "
    "covers a category it contained: leave them off the next update",
    source=f"domain.md PRIV-003, PRIV-008 (revocation is prospective), PRIV-T03, PRIV-T05; "
    f"{_FAMILY}; 45 CFR 164.508(b)(5)",
)
RULE_UPDATE_RECIPIENT_UNKNOWN: Final = Rule(
    code="UPDATE-RECIPIENT-UNKNOWN",
    severity=Severity.WARNING,
    summary="a progress update is addressed to a contact the patient's record does not list",
    source=f"domain.md §4.2 (InvolvementPreference names the person); {_FAMILY}",
)
RULE_ACTIVITY_APPOINTMENT_LOST: Final = Rule(
    code="CARE-ACTIVITY-APPOINTMENT-LOST",
    severity=Severity.WARNING,
    summary="an open plan activity's appointment was cancelled, missed or entered in error "
    "and has not been rebooked",
    source="domain.md §5.1 (planned interventions and the individual responsible), APPT-003, "
    "APPT-004 (no-shows are barrier signals routed to the care team); PRODUCT.md (the "
    "coordinator schedules tests, treatments and supportive services)",
)
RULE_RECORD_MISMATCH: Final = Rule(
    code="CARE-RECORD-MISMATCH",
    severity=Severity.ERROR,
    summary="a record given to the check belongs to another patient or plan",
    source="careroles (inputs of one review are one patient's records); domain.md PRIV-002 "
    "(minimum necessary)",
)

#: The rules of this module (the others come from the modules they check).
CARE_REVIEW_RULES: Final = (
    RULE_UPDATE_DUE,
    RULE_UPDATE_CADENCE_MISSING,
    RULE_UPDATE_SENT_WITHOUT_CONSENT,
    RULE_UPDATE_FAMILY_CONSENT_MISSING,
    RULE_UPDATE_RECIPIENT_UNKNOWN,
    RULE_ACTIVITY_APPOINTMENT_LOST,
    RULE_RECORD_MISMATCH,
)

#: Every rule :func:`check_care` can report, by code.
CARE_RULES: Final[dict[str, Rule]] = catalogue(
    CARE_PLAN_RULES, APPOINTMENT_RULES, DECISION_RULES, CARE_REVIEW_RULES
)

_SEVERITY_ORDER: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_ACTIVITY_OPEN_EXCLUDED: Final = frozenset(
    {
        ActivityStatus.COMPLETED,
        ActivityStatus.CANCELLED,
        ActivityStatus.STOPPED,
        ActivityStatus.ENTERED_IN_ERROR,
    }
)


def _prefixed(findings: Iterable[Finding], prefix: Path) -> Iterator[Finding]:
    head = format_path(prefix)
    for f in findings:
        yield evolve(f, path=head + f.path[1:])


def _require_all(items: tuple[object, ...], cls: type, field: str) -> None:
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise ValidationError.single((field, i), f"expected a {cls.__name__}", "type")


def check_care(
    *,
    patient: Patient,
    plan: CarePlan | None = None,
    appointments: Iterable[Appointment] = (),
    updates: Iterable[ProgressUpdate] = (),
    cadence: UpdateCadence | None = None,
    consents: Iterable[Consent] = (),
    decisions: Iterable[CoversTreatment] = (),
    at: pendulum.DateTime,
    team: CareTeam | None = None,
    events: Iterable[ReviewEvent] = (),
    travel_buffer: pendulum.Duration | None = None,
) -> tuple[Finding, ...]:
    """Every finding about `patient`'s care at instant `at`, sorted (severity, code, path).

    `plan` is checked with the patient's preferences and the treatment `decisions`
    (:func:`~careroles.care_plans.check_care_plan`; `team` and review `events` are passed on);
    `appointments` with :func:`~careroles.appointments.check_appointments` (reminders against
    the patient's contact preferences, conflicts with `travel_buffer`); `decisions` that are
    :class:`~careroles.decisions.TreatmentDecision` records with their soft checks; `updates`,
    `cadence` and `consents` with :data:`CARE_REVIEW_RULES`.  Paths point into these
    arguments.  Nothing here is refused: a wrongly typed argument is a ValidationError.
    """
    at = require_aware(at, "at")
    if not isinstance(patient, Patient):
        raise ValidationError.single(("patient",), "expected a Patient", "type")
    if plan is not None and not isinstance(plan, CarePlan):
        raise ValidationError.single(("plan",), "expected a CarePlan", "type")
    if cadence is not None and not isinstance(cadence, UpdateCadence):
        raise ValidationError.single(("cadence",), "expected an UpdateCadence", "type")
    appts = tuple(appointments)
    _require_all(appts, Appointment, "appointments")
    ups = tuple(updates)
    _require_all(ups, ProgressUpdate, "updates")
    cons = tuple(consents)
    _require_all(cons, Consent, "consents")
    decs = tuple(decisions)

    findings: list[Finding] = []
    findings.extend(_mismatches(patient, plan, appts, ups, cadence, decs))
    if plan is not None:
        findings.extend(
            _prefixed(
                check_care_plan(plan, patient.preferences, at, decs, team=team, events=events),
                ("plan",),
            )
        )
        findings.extend(_lost_appointments(plan, appts))
    findings.extend(
        _prefixed(
            check_appointments(appts, at, patients=(patient,), travel_buffer=travel_buffer),
            ("appointments",),
        )
    )
    for i, d in enumerate(decs):
        if isinstance(d, TreatmentDecision):
            findings.extend(_prefixed(decision_findings(d, at), ("decisions", i)))
    findings.extend(_cadence_findings(plan, ups, cadence, at))
    findings.extend(_update_findings(patient, ups, cons, at))
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.code, f.path, f.message))
    return tuple(findings)


# --- this module's rules ----------------------------------------------------------------------


def _mismatches(
    patient: Patient,
    plan: CarePlan | None,
    appts: tuple[Appointment, ...],
    ups: tuple[ProgressUpdate, ...],
    cadence: UpdateCadence | None,
    decs: tuple[CoversTreatment, ...],
) -> Iterator[Finding]:
    rule = RULE_RECORD_MISMATCH
    if plan is not None and plan.patient_id != patient.id:
        yield rule.finding(("plan", "patient_id"), "the plan belongs to another patient")
    for i, a in enumerate(appts):
        if a.patient_id != patient.id:
            yield rule.finding(
                ("appointments", i, "patient_id"), "the appointment is another patient's"
            )
    for i, u in enumerate(ups):
        if u.patient_id != patient.id:
            yield rule.finding(("updates", i, "patient_id"), "the update is another patient's")
    for i, d in enumerate(decs):
        if isinstance(d, TreatmentDecision) and d.patient_id != patient.id:
            yield rule.finding(("decisions", i, "patient_id"), "the decision is another patient's")
    if cadence is not None and plan is not None and cadence.plan_id != plan.id:
        yield rule.finding(("cadence", "plan_id"), "the cadence is another plan's")


def _lost_appointments(plan: CarePlan, appts: tuple[Appointment, ...]) -> Iterator[Finding]:
    """Open activities whose linked appointments (and their reschedules) are all inactive."""
    if not appts:
        return
    by_id = {a.id: a for a in appts}
    by_activity: dict[str, list[Appointment]] = {}
    for a in appts:
        if a.activity_id is not None:
            by_activity.setdefault(a.activity_id, []).append(a)
    for i, act in enumerate(plan.activities):
        if act.status in _ACTIVITY_OPEN_EXCLUDED:
            continue
        linked = list(by_activity.get(act.id, ()))
        if act.appointment_id is not None and act.appointment_id in by_id:
            linked.append(by_id[act.appointment_id])
        if not linked or any(a.is_active for a in linked):
            continue
        if any(_rebooked(a, appts) for a in linked):
            continue
        yield RULE_ACTIVITY_APPOINTMENT_LOST.finding(("plan", "activities", i))


def _rebooked(appt: Appointment, appts: tuple[Appointment, ...]) -> bool:
    """Whether a later appointment of `appt`'s reschedule chain is active."""
    try:
        chain = reschedule_chain(appts, appt.id)
    except ValidationError:  # a branching or cyclic chain: the appointments module reports it
        return False
    later = [a.id for a in chain].index(appt.id) + 1
    return any(a.is_active for a in chain[later:])


def _cadence_findings(
    plan: CarePlan | None,
    ups: tuple[ProgressUpdate, ...],
    cadence: UpdateCadence | None,
    at: pendulum.DateTime,
) -> Iterator[Finding]:
    if cadence is None:
        if plan is not None and plan.in_effect:
            yield RULE_UPDATE_CADENCE_MISSING.finding(("cadence",))
        return
    if plan is not None and not plan.in_effect:
        return  # updates are owed while the plan is active or on hold
    all_due = due_instants(cadence, at)
    index = {d: i for i, d in enumerate(all_due)}
    for missed in updates_due(cadence, ups, at):
        yield RULE_UPDATE_DUE.finding(("cadence", "due", index[missed]))


def _update_findings(
    patient: Patient,
    ups: tuple[ProgressUpdate, ...],
    cons: tuple[Consent, ...],
    at: pendulum.DateTime,
) -> Iterator[Finding]:
    contact_ids = {c.id for c in patient.contacts}
    latest: dict[str, tuple[float, int]] = {}  # plan id -> (instant(sent_at), index)
    for i, u in enumerate(ups):
        if u.patient_id != patient.id:
            continue
        for j, r in enumerate(u.recipients):
            if r.kind is RecipientKind.CONTACT and r.contact_id not in contact_ids:
                yield RULE_UPDATE_RECIPIENT_UNKNOWN.finding(
                    ("updates", i, "recipients", j, "contact_id")
                )
        if u.status is not UpdateStatus.SENT or u.sent_at is None:
            continue
        for j, categories in _group(u.missing_consent(cons, u.sent_at)):
            yield RULE_UPDATE_SENT_WITHOUT_CONSENT.finding(
                ("updates", i, "recipients", j),
                "sent to a family recipient without the patient's consent for: "
                + ", ".join(c.value for c in categories),
            )
        key = (instant(u.sent_at), i)
        if u.plan_id not in latest or key > latest[u.plan_id]:
            latest[u.plan_id] = key
    for _, i in sorted(latest.values(), key=lambda k: k[1]):
        u = ups[i]
        sent_at = u.sent_at
        assert sent_at is not None  # only sent updates are kept
        then = dict(_group(u.missing_consent(cons, sent_at)))
        for j, categories in _group(u.missing_consent(cons, at)):
            lapsed = [c for c in categories if c not in then.get(j, ())]
            if lapsed:
                yield RULE_UPDATE_FAMILY_CONSENT_MISSING.finding(
                    ("updates", i, "recipients", j),
                    "the patient's consent no longer covers: "
                    + ", ".join(c.value for c in lapsed)
                    + " (leave this family recipient off the next update)",
                )


def _group(
    pairs: Iterable[tuple[int, InformationCategory]],
) -> list[tuple[int, tuple[InformationCategory, ...]]]:
    grouped: dict[int, list[InformationCategory]] = {}
    for j, c in pairs:
        grouped.setdefault(j, []).append(c)
    return [(j, tuple(cs)) for j, cs in sorted(grouped.items())]
