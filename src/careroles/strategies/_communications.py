"""Strategies for team messages, progress updates and update cadences."""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from careroles.care_teams import CareTeam, TeamMember
from careroles.communications import (
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
)
from careroles.consent import Consent, ConsentKind, InformationCategory
from careroles.periods import Period
from careroles.roles import Actor, Role
from careroles.strategies._core import datetimes, identifiers, texts

__all__ = [
    "messages",
    "progress_updates",
    "read_receipts",
    "regardings",
    "update_cadences",
    "update_items",
    "update_recipients",
]

#: Categories an update may carry (psychotherapy notes never travel in an update).
_UPDATE_CATEGORIES = tuple(
    c for c in InformationCategory if c is not InformationCategory.PSYCHOTHERAPY_NOTES
)

_CADENCES = (
    pendulum.duration(days=1),
    pendulum.duration(weeks=1),
    pendulum.duration(weeks=2),
    pendulum.duration(days=10),
    pendulum.duration(months=1),
    pendulum.duration(months=3),
    pendulum.duration(years=1),
    pendulum.duration(weeks=1, hours=12),
)


def regardings() -> st.SearchStrategy[Regarding]:
    return st.builds(Regarding, kind=st.sampled_from(RegardingKind), id=identifiers("r-"))


def read_receipts() -> st.SearchStrategy[ReadReceipt]:
    return st.builds(ReadReceipt, member_id=identifiers("m-"), at=datetimes())


@st.composite
def messages(draw: st.DrawFn) -> Message:
    """Messages sent through :meth:`Message.send` on a team, some read through ``mark_read``."""
    at = draw(datetimes())
    n = draw(st.integers(min_value=1, max_value=5))
    ids = [f"m-{i:08x}" for i in range(n)]
    members = tuple(
        TeamMember(
            member_id=member_id,
            role=draw(st.sampled_from(Role)),
            period=Period(start=at.subtract(days=draw(st.integers(0, 400)))),
        )
        for member_id in ids
    )
    team = CareTeam(
        id=draw(identifiers("t-")), patient_id=draw(identifiers("p-")), members=members
    )
    sender = draw(st.sampled_from(members))
    recipients = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    message = Message.send(
        team,
        id=draw(identifiers("msg-")),
        recipients=recipients,
        subject=draw(texts()),
        body=draw(texts(max_size=200)),
        regarding=draw(st.none() | regardings()),
        in_reply_to=draw(st.none() | identifiers("msg-")),
        by=Actor(member_id=sender.member_id, role=sender.role),
        at=at,
    )
    when = at
    for reader in draw(st.lists(st.sampled_from(recipients), unique=True)):
        when = when.add(minutes=draw(st.integers(0, 3 * 24 * 60)))
        role = next(m.role for m in members if m.member_id == reader)
        message = message.mark_read(reader, by=Actor(member_id=reader, role=role), at=when)
    return message


def update_items() -> st.SearchStrategy[UpdateItem]:
    return st.builds(
        UpdateItem,
        section=st.sampled_from(UpdateSection),
        category=st.sampled_from(_UPDATE_CATEGORIES),
        text=texts(max_size=120),
    )


def update_recipients() -> st.SearchStrategy[UpdateRecipient]:
    return st.one_of(
        st.just(UpdateRecipient(kind=RecipientKind.PATIENT)),
        st.builds(
            UpdateRecipient, kind=st.just(RecipientKind.CONTACT), contact_id=identifiers("c-")
        ),
    )


@st.composite
def progress_updates(draw: st.DrawFn, plan_id: str | None = None) -> ProgressUpdate:
    """Drafts, and updates sent through :meth:`ProgressUpdate.send` with the consents needed."""
    patient_id = draw(identifiers("p-"))
    coordinator = Actor(member_id=draw(identifiers("m-")), role=Role.CARE_COORDINATOR)
    recipients: list[UpdateRecipient] = []
    if draw(st.booleans()):
        recipients.append(UpdateRecipient(kind=RecipientKind.PATIENT))
    n_contacts = draw(st.integers(min_value=0, max_value=3))
    recipients.extend(
        UpdateRecipient(kind=RecipientKind.CONTACT, contact_id=f"c-{i:08x}")
        for i in range(n_contacts)
    )
    items = tuple(draw(st.lists(update_items(), max_size=4)))
    update = ProgressUpdate(
        id=draw(identifiers("u-")),
        patient_id=patient_id,
        plan_id=plan_id if plan_id is not None else draw(identifiers("cp-")),
        author=coordinator,
        recipients=tuple(recipients),
        items=items,
    )
    if not (recipients and items) or not draw(st.booleans()):
        return update
    at = draw(datetimes())
    patient = Actor(member_id=patient_id, role=Role.PATIENT)
    consents = [
        Consent(
            id=f"k-{i:08x}",
            patient_id=patient_id,
            kind=ConsentKind.FAMILY_INVOLVEMENT,
            grantor=patient,
            grantee_id=contact_id,
            categories=update.categories,
            period=Period(start=at.subtract(days=1)),
        )
        for i, contact_id in enumerate(update.contact_ids())
    ]
    return update.send(consents=consents, by=coordinator, at=at)


@st.composite
def update_cadences(draw: st.DrawFn) -> UpdateCadence:
    start = draw(datetimes())
    every = draw(st.sampled_from(_CADENCES))
    until = start.add(days=draw(st.integers(1, 800))) if draw(st.booleans()) else None
    return UpdateCadence(plan_id=draw(identifiers("cp-")), every=every, start=start, until=until)
