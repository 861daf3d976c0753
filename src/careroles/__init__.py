"""careroles: a typed domain model for care coordination and patient advocacy.

Patients, care teams and roles, consent, care plans, appointments, advocacy cases, deadlines and
treatment decisions: frozen values whose lifecycles and role policies are enforced and audited,
with lossless JSON (and FHIR R4 at the boundary).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from careroles.audit import ChangeRecord
from careroles.cadences import (
    REVIEW_CADENCES,
    CadenceTrigger,
    IntervalUnit,
    ReviewCadence,
    ReviewEvent,
    ReviewEventKind,
    TcmComplexity,
    TcmDueDates,
    is_review_overdue,
    next_review_due,
    transitional_care_due,
)
from careroles.calendars import add_business_days, is_business_day, us_federal_holidays
from careroles.care_plans import (
    ACTIVITY_LIFECYCLE,
    CARE_PLAN_LIFECYCLE,
    CARE_PLAN_RULES,
    GOAL_LIFECYCLE,
    Activity,
    ActivityKind,
    ActivityStatus,
    Agreement,
    AgreementMethod,
    CarePlan,
    CarePlanStatus,
    CoversTreatment,
    Goal,
    GoalAchievement,
    GoalStatus,
    Need,
    NeedKind,
    Revision,
    SdohCategory,
    Target,
    check_care_plan,
)
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
    "ACTIVITY_LIFECYCLE",
    "CARE_PLAN_LIFECYCLE",
    "CARE_PLAN_RULES",
    "DEFAULT_POLICY",
    "GOAL_LIFECYCLE",
    "PROGRESS_UPDATE_LIFECYCLE",
    "REVIEW_CADENCES",
    "Action",
    "Activity",
    "ActivityKind",
    "ActivityStatus",
    "Actor",
    "Agreement",
    "AgreementMethod",
    "CadenceTrigger",
    "CarePlan",
    "CarePlanStatus",
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
    "CoversTreatment",
    "DecisionReason",
    "DecisionRole",
    "DeclinedTreatment",
    "Goal",
    "GoalAchievement",
    "GoalStatus",
    "Guard",
    "InformationCategory",
    "IntervalUnit",
    "Lifecycle",
    "Loaded",
    "Message",
    "Need",
    "NeedKind",
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
    "ReviewCadence",
    "ReviewEvent",
    "ReviewEventKind",
    "Revision",
    "Role",
    "RolePolicy",
    "SdohCategory",
    "Target",
    "TcmComplexity",
    "TcmDueDates",
    "TeamMember",
    "TransitionError",
    "TransitionRecord",
    "UpdateCadence",
    "UpdateItem",
    "UpdateRecipient",
    "UpdateSection",
    "UpdateStatus",
    "ValidationError",
    "add_business_days",
    "check_care_plan",
    "converter",
    "dumps",
    "is_business_day",
    "is_review_overdue",
    "loads",
    "loads_lenient",
    "next_review_due",
    "permits",
    "structure",
    "transitional_care_due",
    "unstructure",
    "updates_due",
    "us_federal_holidays",
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
