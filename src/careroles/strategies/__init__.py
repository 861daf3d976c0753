"""Hypothesis strategies for every public careroles type (install ``careroles[testing]``).

Each strategy draws *valid* values: zoned date-times across DST changes in many zones, periods
that end after they start, histories reached by legal sequences of actions, internally
consistent consents.  Once careroles is installed, ``hypothesis.strategies.from_type(T)`` works
for every type in :data:`STRATEGIES` (registered through Hypothesis' entry point).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from hypothesis import strategies as st

from careroles.audit import ChangeRecord
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
from careroles.consent import Consent, ConsentDecision
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
    "actors",
    "care_teams",
    "change_records",
    "consent_decisions",
    "consents",
    "contact_hours",
    "contact_points",
    "contacts",
    "dates",
    "datetimes",
    "declined_treatments",
    "identifiers",
    "messages",
    "patients",
    "periods",
    "permissions",
    "preferences",
    "progress_updates",
    "read_receipts",
    "regardings",
    "sensitive_texts",
    "team_members",
    "texts",
    "update_cadences",
    "update_items",
    "update_recipients",
    "with_canaries",
    "zones",
]

#: One strategy factory per public type; the round-trip, fuzz and leak tests run over all.
STRATEGIES: Final[dict[type, Callable[[], st.SearchStrategy[Any]]]] = {
    Actor: actors,
    CareTeam: care_teams,
    ChangeRecord: change_records,
    Consent: consents,
    ConsentDecision: consent_decisions,
    Contact: contacts,
    ContactHours: contact_hours,
    ContactPoint: contact_points,
    DeclinedTreatment: declined_treatments,
    Message: messages,
    Patient: patients,
    Period: periods,
    Permission: permissions,
    Preferences: preferences,
    ProgressUpdate: progress_updates,
    ReadReceipt: read_receipts,
    Regarding: regardings,
    TeamMember: team_members,
    UpdateCadence: update_cadences,
    UpdateItem: update_items,
    UpdateRecipient: update_recipients,
}


def _hypothesis_setup_hook() -> None:
    """Register careroles' own types with ``st.from_type`` (and nothing else)."""
    for cls, factory in STRATEGIES.items():
        st.register_type_strategy(cls, factory())
