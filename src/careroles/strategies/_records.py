"""Strategies for the small foundation records: audit entries, policy rows, consent answers."""

from __future__ import annotations

from hypothesis import strategies as st

from careroles.audit import ChangeRecord
from careroles.consent import ConsentDecision, ConsentKind, DecisionReason
from careroles.patients import ContactChannel, ContactPoint, DeclinedTreatment
from careroles.roles import Permission, Role
from careroles.strategies._core import actors, datetimes, identifiers, texts

__all__ = [
    "change_records",
    "consent_decisions",
    "contact_points",
    "declined_treatments",
    "permissions",
]

_ACTIONS = st.from_regex(r"[a-z]{3,12}(_[a-z]{3,12}){0,2}", fullmatch=True)


def change_records() -> st.SearchStrategy[ChangeRecord]:
    return st.builds(
        ChangeRecord,
        action=_ACTIONS,
        at=datetimes(),
        by=actors(),
        on_behalf_of_patient=st.booleans(),
    )


def permissions() -> st.SearchStrategy[Permission]:
    return st.builds(
        Permission,
        subject=_ACTIONS,
        action=_ACTIONS,
        roles=st.frozensets(st.sampled_from(Role)),
        note=st.just("") | st.sampled_from(("on the patient's behalf only", "default row")),
    )


@st.composite
def consent_decisions(draw: st.DrawFn) -> ConsentDecision:
    """Answers as :func:`careroles.permits` gives them: a permit always names its basis."""
    reason = draw(st.sampled_from(DecisionReason))
    if reason is DecisionReason.NO_CONSENT:
        return ConsentDecision(permitted=False, reason=reason)
    return ConsentDecision(
        permitted=reason is DecisionReason.PERMITTED,
        reason=reason,
        basis=draw(identifiers("k-")),
        kind=draw(st.sampled_from(ConsentKind)),
    )


def contact_points() -> st.SearchStrategy[ContactPoint]:
    return st.builds(ContactPoint, channel=st.sampled_from(ContactChannel), value=texts())


def declined_treatments() -> st.SearchStrategy[DeclinedTreatment]:
    return st.builds(
        DeclinedTreatment,
        code=st.from_regex(r"[0-9]{6,9}", fullmatch=True),
        description=texts(),
        declined_at=st.none() | datetimes(),
    )
