"""The default role policy: every lifecycle's rows and every named operation's rows.

This is PRODUCT.md's "default division of responsibility" as one table.  Apps start from it and
replace rows (``DEFAULT_POLICY.replace("appointment", "book", {...})``), then pass their policy
to any operation as ``policy=``.
"""

from __future__ import annotations

from typing import Final

from careroles import (
    advocacy,
    appointments,
    care_plans,
    care_teams,
    communications,
    concerns,
    consent,
    deadlines,
    decisions,
    navigation,
    patients,
)
from careroles.roles import RolePolicy

__all__ = ["DEFAULT_POLICY"]

#: The default role policy (deny by default: an action without a row is refused).
DEFAULT_POLICY: Final = RolePolicy.of(
    patients.PERMISSIONS,
    care_teams.PERMISSIONS,
    appointments.PERMISSIONS,
    appointments.APPOINTMENT_LIFECYCLE.permissions(),
    consent.CONSENT_LIFECYCLE.permissions(),
    care_plans.PERMISSIONS,
    care_plans.CARE_PLAN_LIFECYCLE.permissions(),
    care_plans.GOAL_LIFECYCLE.permissions(),
    care_plans.ACTIVITY_LIFECYCLE.permissions(),
    communications.PERMISSIONS,
    communications.PROGRESS_UPDATE_LIFECYCLE.permissions(),
    deadlines.PERMISSIONS,
    decisions.PERMISSIONS,
    decisions.DECISION_LIFECYCLE.permissions(),
    concerns.PERMISSIONS,
    concerns.CONCERN_LIFECYCLE.permissions(),
    advocacy.PERMISSIONS,
    advocacy.ADVOCACY_CASE_LIFECYCLE.permissions(),
    navigation.PERMISSIONS,
    navigation.REFERRAL_LIFECYCLE.permissions(),
)
