"""Strategies for the patient side: patients, preferences, contacts, consents, care teams."""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from careroles.care_teams import CareTeam, TeamMember
from careroles.consent import (
    Consent,
    ConsentKind,
    ConsentStatus,
    InformationCategory,
    Purpose,
)
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
from careroles.roles import PATIENT_SIDE, Actor, Role
from careroles.strategies._core import actors, dates, datetimes, identifiers, periods, texts, zones

__all__ = [
    "care_teams",
    "consents",
    "contact_hours",
    "contacts",
    "patients",
    "preferences",
    "team_members",
]

_LANGUAGES = ("en", "es", "zh-Hant", "vi", "ar", "fr-CA", "ht")


@st.composite
def contact_hours(draw: st.DrawFn) -> ContactHours:
    start = draw(st.integers(min_value=0, max_value=22))
    end = draw(st.integers(min_value=start + 1, max_value=23))
    days = draw(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
    return ContactHours(start=pendulum.Time(start), end=pendulum.Time(end), days=days)


@st.composite
def preferences(draw: st.DrawFn) -> Preferences:
    channels = draw(
        st.one_of(
            st.just((ContactChannel.DO_NOT_CONTACT,)),
            st.lists(
                st.sampled_from(
                    [c for c in ContactChannel if c is not ContactChannel.DO_NOT_CONTACT]
                ),
                unique=True,
                max_size=3,
            ).map(tuple),
        )
    )
    return Preferences(
        language=draw(st.sampled_from(_LANGUAGES)),
        interpreter_needed=draw(st.booleans()),
        contact_channels=channels,
        contact_hours=draw(st.none() | contact_hours()),
        values=tuple(draw(st.lists(texts(), max_size=3))),
        goals_in_own_words=tuple(draw(st.lists(texts(), max_size=3))),
        declined_treatments=tuple(
            draw(
                st.lists(
                    st.builds(
                        DeclinedTreatment,
                        code=st.from_regex(r"[0-9]{6,9}", fullmatch=True),
                        description=texts(),
                        declined_at=st.none() | datetimes(),
                    ),
                    max_size=2,
                )
            )
        ),
        decision_role=draw(st.sampled_from(DecisionRole)),
    )


@st.composite
def contacts(draw: st.DrawFn, contact_id: str | None = None) -> Contact:
    basis = draw(st.none() | st.sampled_from(RepresentativeBasis))
    return Contact(
        id=contact_id if contact_id is not None else draw(identifiers("c-")),
        name=draw(texts()),
        relationship=draw(st.sampled_from(Relationship)),
        contact_points=tuple(
            draw(
                st.lists(
                    st.builds(
                        ContactPoint,
                        channel=st.sampled_from(ContactChannel),
                        value=texts(),
                    ),
                    max_size=2,
                )
            )
        ),
        representative_basis=basis,
        representative_period=draw(st.none() | periods()) if basis is not None else None,
    )


@st.composite
def patients(draw: st.DrawFn) -> Patient:
    n = draw(st.integers(min_value=0, max_value=3))
    return Patient(
        id=draw(identifiers("p-")),
        name=draw(texts()),
        birth_date=draw(st.none() | dates()),
        time_zone=draw(zones()),
        preferences=draw(preferences()),
        contacts=tuple(draw(contacts(contact_id=f"c-{i}")) for i in range(n)),
    )


@st.composite
def team_members(draw: st.DrawFn, role: Role | None = None, lead: bool = False) -> TeamMember:
    return TeamMember(
        member_id=draw(identifiers("m-")),
        role=role if role is not None else draw(st.sampled_from(Role)),
        period=draw(periods()),
        lead=lead,
        display_name=draw(st.none() | texts()),
    )


@st.composite
def care_teams(draw: st.DrawFn) -> CareTeam:
    members = draw(st.lists(team_members(), max_size=5, unique_by=lambda m: m.member_id))
    if draw(st.booleans()):
        members.append(draw(team_members(role=Role.CARE_COORDINATOR, lead=True)))
    return CareTeam(
        id=draw(identifiers("t-")), patient_id=draw(identifiers("p-")), members=tuple(members)
    )


@st.composite
def consents(draw: st.DrawFn) -> Consent:
    """Internally consistent consents, some revoked through the operation itself."""
    kind = draw(st.sampled_from(ConsentKind))
    start = draw(datetimes())
    needs_end = kind is ConsentKind.AUTHORIZATION
    end = start.add(days=draw(st.integers(1, 800))) if needs_end or draw(st.booleans()) else None
    notes_only = draw(st.booleans())
    categories = (
        frozenset({InformationCategory.PSYCHOTHERAPY_NOTES})
        if notes_only
        else draw(
            st.frozensets(
                st.sampled_from(
                    [
                        c
                        for c in InformationCategory
                        if c is not InformationCategory.PSYCHOTHERAPY_NOTES
                    ]
                ),
                min_size=1,
            )
        )
    )
    grantor = draw(actors(st.sampled_from(sorted(PATIENT_SIDE))))
    consent = Consent(
        id=draw(identifiers("k-")),
        patient_id=draw(identifiers("p-")),
        kind=kind,
        grantor=grantor,
        grantee_id=draw(identifiers("g-")),
        categories=categories,
        purposes=draw(st.frozensets(st.sampled_from(Purpose), max_size=2)),
        period=Period(start=start, end=end),
        status=ConsentStatus.REJECTED if draw(st.integers(0, 9)) == 0 else ConsentStatus.ACTIVE,
        note=draw(st.none() | texts()),
    )
    if consent.status is ConsentStatus.ACTIVE and draw(st.booleans()):
        at = start.add(hours=draw(st.integers(0, 5000)))
        by = Actor(member_id=grantor.member_id, role=grantor.role)
        consent = consent.revoke(by=by, at=at, reason=draw(st.none() | texts()))
    return consent
