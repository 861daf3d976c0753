"""careroles: a typed domain model for care coordination and patient advocacy.

Patients, care teams and roles, consent, care plans, appointments, advocacy cases, deadlines and
treatment decisions: frozen values whose lifecycles and role policies are enforced and audited,
with lossless JSON (and FHIR R4 at the boundary).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from careroles.audit import ChangeRecord
from careroles.care_teams import CareTeam, TeamMember
from careroles.communications import (
    PROGRESS_UPDATE_LIFECYCLE,
    Message,
    ProgressUpdate,
    ReadReceipt,
    RecipientKind,
    Regarding,
    RegardingKind,
    UpdateCadence,
    UpdateItem,
    UpdateRecipient,
    UpdateSection,
    UpdateStatus,
    updates_due,
)
from careroles.consent import (
    Consent,
    ConsentDecision,
    ConsentKind,
    ConsentStatus,
    DecisionReason,
    InformationCategory,
    Purpose,
    permits,
)
from careroles.errors import (
    CareRolesError,
    PermissionDenied,
    Problem,
    TransitionError,
    ValidationError,
)
from careroles.lifecycle import Action, Guard, Lifecycle, TransitionRecord
from careroles.patients import (
    Contact,
    ContactChannel,
    ContactHours,
    ContactPoint,
    DecisionRole,
    DeclinedTreatment,
    Patient,
    Preferences,
    Relationship,
    RepresentativeBasis,
)
from careroles.periods import Period
from careroles.policy import DEFAULT_POLICY
from careroles.roles import Actor, Permission, Role, RolePolicy
from careroles.serialization import (
    Loaded,
    converter,
    dumps,
    loads,
    loads_lenient,
    structure,
    unstructure,
)

try:
    __version__ = version("careroles")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "DEFAULT_POLICY",
    "PROGRESS_UPDATE_LIFECYCLE",
    "Action",
    "Actor",
    "CareRolesError",
    "CareTeam",
    "ChangeRecord",
    "Consent",
    "ConsentDecision",
    "ConsentKind",
    "ConsentStatus",
    "Contact",
    "ContactChannel",
    "ContactHours",
    "ContactPoint",
    "DecisionReason",
    "DecisionRole",
    "DeclinedTreatment",
    "Guard",
    "InformationCategory",
    "Lifecycle",
    "Loaded",
    "Message",
    "Patient",
    "Period",
    "Permission",
    "PermissionDenied",
    "Preferences",
    "Problem",
    "ProgressUpdate",
    "Purpose",
    "ReadReceipt",
    "RecipientKind",
    "Regarding",
    "RegardingKind",
    "Relationship",
    "RepresentativeBasis",
    "Role",
    "RolePolicy",
    "TeamMember",
    "TransitionError",
    "TransitionRecord",
    "UpdateCadence",
    "UpdateItem",
    "UpdateRecipient",
    "UpdateSection",
    "UpdateStatus",
    "ValidationError",
    "converter",
    "dumps",
    "loads",
    "loads_lenient",
    "permits",
    "structure",
    "unstructure",
    "updates_due",
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
