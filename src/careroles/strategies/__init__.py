"""Hypothesis strategies for every public careroles type (install ``careroles[testing]``).

Each strategy draws *valid* values: zoned date-times across DST changes in many zones, periods
that end after they start, histories reached by legal sequences of actions, internally
consistent consents.  Once careroles is installed, ``hypothesis.strategies.from_type(T)`` works
for every type in :data:`STRATEGIES` (registered through Hypothesis' entry point).
"""

from __future__ import annotations

# isort: off
# First: importing hypothesis runs this hook, possibly while this module is still incomplete.
from careroles.strategies._hook import _hypothesis_setup_hook as _hypothesis_setup_hook
from careroles.strategies._hook import _register_if_pending

# isort: on
from collections.abc import Callable
from typing import Any, Final

from hypothesis import strategies as st

from careroles.advocacy import (
    AdvocacyCase,
    CaseDeadline,
    CaseOutcome,
    Counterparty,
    DocumentRef,
    Filing,
    Identifier,
    Interaction,
    ServiceAgreement,
)
from careroles.appointments import (
    Appointment,
    Cancellation,
    ClinicianDecision,
    ContactAttempt,
    Location,
    NoShowFollowUp,
    Participant,
    Reminder,
)
from careroles.audit import ChangeRecord
from careroles.cadences import ReviewCadence, ReviewEvent, TcmDueDates
from careroles.care_plans import Activity, Agreement, CarePlan, Goal, Need, Revision, Target
from careroles.care_teams import CareTeam, TeamMember
from careroles.communications import (
    Message,
    ProgressUpdate,
    ReadReceipt,
    Regarding,
    UpdateCadence,
    UpdateItem,
    UpdateRecipient,
)
from careroles.concerns import Concern
from careroles.consent import Consent, ConsentDecision
from careroles.deadlines import (
    AmountInControversy,
    Deadline,
    DeadlineRule,
    GoodCause,
    OverdueDecision,
)
from careroles.decisions import (
    ClinicianRecommendation,
    CollaborateEncounter,
    ConflictOfInterest,
    ConsideredValue,
    DecisionAid,
    DecisionMaker,
    DecisionOption,
    SureResult,
    TreatmentDecision,
)
from careroles.navigation import EducationRecord, Referral
from careroles.patients import (
    Contact,
    ContactHours,
    ContactPoint,
    DeclinedTreatment,
    Patient,
    Preferences,
)
from careroles.periods import Period
from careroles.roles import Actor, Permission
from careroles.schedules import Conflict, Schedule
from careroles.strategies._advocacy import (
    advocacy_cases,
    case_deadlines,
    case_outcomes,
    clinician_recommendations,
    collaborate_encounters,
    concerns,
    conflicts_of_interest,
    considered_values,
    counterparties,
    counterparty_identifiers,
    decision_aids,
    decision_makers,
    decision_options,
    document_refs,
    education_records,
    filings,
    interactions,
    referrals,
    service_agreements,
    sure_results,
    treatment_decisions,
)
from careroles.strategies._appointments import (
    appointments,
    cancellations,
    clinician_decisions,
    conflicts,
    contact_attempts,
    locations,
    no_show_follow_ups,
    participants,
    reminders,
    schedules,
)
from careroles.strategies._care_plans import (
    activities,
    agreements,
    care_plans,
    goals,
    needs,
    plan_revisions,
    review_cadences,
    review_events,
    targets,
    tcm_due_dates,
)
from careroles.strategies._communications import (
    messages,
    progress_updates,
    read_receipts,
    regardings,
    update_cadences,
    update_items,
    update_recipients,
)
from careroles.strategies._core import (
    ZONES,
    actors,
    dates,
    datetimes,
    identifiers,
    periods,
    texts,
    zones,
)
from careroles.strategies._deadlines import (
    amounts_in_controversy,
    deadline_rules,
    deadlines,
    good_causes,
    overdue_decisions,
)
from careroles.strategies._foundation import (
    care_teams,
    consents,
    contact_hours,
    contacts,
    patients,
    preferences,
    team_members,
)
from careroles.strategies._leaks import sensitive_texts, with_canaries
from careroles.strategies._records import (
    change_records,
    consent_decisions,
    contact_points,
    declined_treatments,
    permissions,
)

__all__ = [
    "STRATEGIES",
    "ZONES",
    "activities",
    "actors",
    "advocacy_cases",
    "appointments",
    "cancellations",
    "agreements",
    "care_plans",
    "care_teams",
    "case_deadlines",
    "case_outcomes",
    "change_records",
    "clinician_decisions",
    "clinician_recommendations",
    "collaborate_encounters",
    "concerns",
    "conflicts",
    "conflicts_of_interest",
    "consent_decisions",
    "consents",
    "considered_values",
    "contact_attempts",
    "contact_hours",
    "contact_points",
    "contacts",
    "counterparties",
    "counterparty_identifiers",
    "dates",
    "datetimes",
    "decision_aids",
    "decision_makers",
    "decision_options",
    "declined_treatments",
    "document_refs",
    "education_records",
    "filings",
    "goals",
    "identifiers",
    "interactions",
    "locations",
    "messages",
    "no_show_follow_ups",
    "participants",
    "needs",
    "patients",
    "periods",
    "permissions",
    "plan_revisions",
    "preferences",
    "progress_updates",
    "read_receipts",
    "referrals",
    "regardings",
    "reminders",
    "schedules",
    "review_cadences",
    "review_events",
    "sensitive_texts",
    "service_agreements",
    "sure_results",
    "targets",
    "tcm_due_dates",
    "team_members",
    "texts",
    "treatment_decisions",
    "update_cadences",
    "update_items",
    "update_recipients",
    "with_canaries",
    "zones",
    "amounts_in_controversy",
    "deadline_rules",
    "deadlines",
    "good_causes",
    "overdue_decisions",
]

#: One strategy factory per public type; the round-trip, fuzz and leak tests run over all.
STRATEGIES: Final[dict[type, Callable[[], st.SearchStrategy[Any]]]] = {
    Activity: activities,
    Actor: actors,
    AdvocacyCase: advocacy_cases,
    Appointment: appointments,
    Cancellation: cancellations,
    Agreement: agreements,
    CarePlan: care_plans,
    CareTeam: care_teams,
    CaseDeadline: case_deadlines,
    CaseOutcome: case_outcomes,
    ChangeRecord: change_records,
    ClinicianDecision: clinician_decisions,
    ClinicianRecommendation: clinician_recommendations,
    CollaborateEncounter: collaborate_encounters,
    Concern: concerns,
    Conflict: conflicts,
    ConflictOfInterest: conflicts_of_interest,
    Consent: consents,
    ConsentDecision: consent_decisions,
    ConsideredValue: considered_values,
    Contact: contacts,
    ContactAttempt: contact_attempts,
    ContactHours: contact_hours,
    ContactPoint: contact_points,
    Counterparty: counterparties,
    DecisionAid: decision_aids,
    DecisionMaker: decision_makers,
    DecisionOption: decision_options,
    DeclinedTreatment: declined_treatments,
    DocumentRef: document_refs,
    EducationRecord: education_records,
    Filing: filings,
    Goal: goals,
    Identifier: counterparty_identifiers,
    Interaction: interactions,
    Location: locations,
    Message: messages,
    NoShowFollowUp: no_show_follow_ups,
    Participant: participants,
    Need: needs,
    Patient: patients,
    Period: periods,
    Permission: permissions,
    Preferences: preferences,
    ProgressUpdate: progress_updates,
    ReadReceipt: read_receipts,
    Referral: referrals,
    Regarding: regardings,
    Reminder: reminders,
    Schedule: schedules,
    ReviewCadence: review_cadences,
    ReviewEvent: review_events,
    Revision: plan_revisions,
    ServiceAgreement: service_agreements,
    SureResult: sure_results,
    Target: targets,
    TcmDueDates: tcm_due_dates,
    TeamMember: team_members,
    TreatmentDecision: treatment_decisions,
    UpdateCadence: update_cadences,
    UpdateItem: update_items,
    UpdateRecipient: update_recipients,
    AmountInControversy: amounts_in_controversy,
    Deadline: deadlines,
    DeadlineRule: deadline_rules,
    GoodCause: good_causes,
    OverdueDecision: overdue_decisions,
}


_register_if_pending()  # when this module was what first imported hypothesis
