"""Care teams: members in roles over periods, one lead coordinator at a time, actors."""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import given

import careroles
from careroles import (
    Actor,
    CareTeam,
    ChangeRecord,
    Period,
    PermissionDenied,
    Role,
    RolePolicy,
    TeamMember,
    ValidationError,
)
from careroles.care_teams import PERMISSIONS
from careroles.strategies import care_teams, datetimes

T0 = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
COORDINATOR = Actor(member_id="m-coord", role=Role.CARE_COORDINATOR)
PATIENT = Actor(member_id="m-pat", role=Role.PATIENT)
ADVOCATE = Actor(member_id="m-adv", role=Role.PATIENT_ADVOCATE)


def member(member_id: str, role: Role, **changes: Any) -> TeamMember:
    fields: dict[str, Any] = {"member_id": member_id, "role": role, "period": Period(start=T0)}
    fields.update(changes)
    return TeamMember(**fields)


def team(*members: TeamMember) -> CareTeam:
    return CareTeam(id="t-1", patient_id="p-1", members=members)


def standard_team() -> CareTeam:
    return team(
        member("m-coord", Role.CARE_COORDINATOR, lead=True, display_name="Rosa Diaz"),
        member("m-adv", Role.PATIENT_ADVOCATE),
        member("m-pat", Role.PATIENT),
    )


# --- lead coordinator ---------------------------------------------------------------------


def test_a_team_has_at_most_one_lead_coordinator_at_a_time() -> None:
    with pytest.raises(ValidationError) as info:
        team(
            member("m-1", Role.CARE_COORDINATOR, lead=True),
            member("m-2", Role.CARE_COORDINATOR, lead=True, period=Period(start=T0.add(days=30))),
        )
    assert info.value.messages == [
        "a team has at most one lead care coordinator at a time @ $.members[0].lead"
    ]


def test_leads_may_follow_one_another() -> None:
    handover = T0.add(days=30)
    first = member("m-1", Role.CARE_COORDINATOR, lead=True, period=Period(start=T0, end=handover))
    second = member("m-2", Role.CARE_COORDINATOR, lead=True, period=Period(start=handover))
    care_team = team(first, second)
    assert care_team.lead_coordinator(T0) == first
    assert care_team.lead_coordinator(handover) == second
    assert care_team.lead_coordinator(T0.subtract(days=1)) is None


def test_only_a_care_coordinator_can_lead() -> None:
    with pytest.raises(ValidationError) as info:
        member("m-adv", Role.PATIENT_ADVOCATE, lead=True)
    assert info.value.messages == ["only a care coordinator can be the lead @ $.lead"]


def test_adding_a_second_current_lead_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        standard_team().add_member(
            member("m-new", Role.CARE_COORDINATOR, lead=True), by=COORDINATOR, at=T0
        )
    assert info.value.messages == [
        "a team has at most one lead care coordinator at a time @ $.members[0].lead"
    ]


def test_the_same_member_cannot_hold_the_same_role_twice_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        team(member("m-1", Role.CAREGIVER), member("m-1", Role.CAREGIVER))
    assert info.value.messages == [
        "the same member holds the same role twice at once @ $.members[0]"
    ]
    both_roles = team(member("m-1", Role.CAREGIVER), member("m-1", Role.PERSONAL_REPRESENTATIVE))
    assert len(both_roles.members) == 2


# --- actors -------------------------------------------------------------------------------


def test_an_actor_is_obtained_from_the_team() -> None:
    assert standard_team().actor("m-coord", T0) == COORDINATOR
    assert standard_team().actor("m-adv", T0.add(years=1)) == ADVOCATE


def test_actor_refuses_non_members() -> None:
    with pytest.raises(ValidationError) as info:
        standard_team().actor("m-stranger", T0)
    assert info.value.messages == [
        "not an active member in that role at that instant @ $.member_id"
    ]
    assert info.value.problems[0].code == "not_a_member"


def test_actor_refuses_before_membership_starts() -> None:
    with pytest.raises(ValidationError) as info:
        standard_team().actor("m-coord", T0.subtract(seconds=1))
    assert info.value.problems[0].code == "not_a_member"


def test_actor_refuses_ended_memberships() -> None:
    ended = standard_team().end_membership(
        "m-adv", Role.PATIENT_ADVOCATE, by=COORDINATOR, at=T0.add(days=10)
    )
    assert ended.actor("m-adv", T0.add(days=9)) == ADVOCATE
    with pytest.raises(ValidationError) as info:
        ended.actor("m-adv", T0.add(days=10))
    assert info.value.problems[0].code == "not_a_member"
    assert not ended.is_active("m-adv", T0.add(days=10))


def test_actor_needs_the_role_when_a_member_holds_several() -> None:
    care_team = team(member("m-1", Role.CAREGIVER), member("m-1", Role.PERSONAL_REPRESENTATIVE))
    with pytest.raises(ValidationError) as info:
        care_team.actor("m-1", T0)
    assert info.value.messages == ["holds several roles at that instant @ $.member_id"]
    assert care_team.actor("m-1", T0, Role.CAREGIVER).role is Role.CAREGIVER
    with pytest.raises(ValidationError):
        care_team.actor("m-1", T0, Role.PATIENT)


def test_actor_refuses_a_naive_instant() -> None:
    with pytest.raises(ValidationError) as info:
        standard_team().actor("m-coord", pendulum.naive(2026, 3, 10))
    assert info.value.messages == ["naive date-time: a time zone is required @ $.at"]


@given(care_teams(), datetimes())
def test_every_active_single_role_member_can_act(
    care_team: CareTeam, at: pendulum.DateTime
) -> None:
    for m in care_team.active_members(at):
        roles = [x.role for x in care_team.active_members(at) if x.member_id == m.member_id]
        if len(roles) == 1:
            assert care_team.actor(m.member_id, at) == Actor(member_id=m.member_id, role=m.role)
    lead = care_team.lead_coordinator(at)
    assert lead is None or (lead.lead and lead.role is Role.CARE_COORDINATOR)


# --- membership operations ----------------------------------------------------------------


def test_members_are_added_and_the_change_is_audited() -> None:
    grown = standard_team().add_member(member("m-care", Role.CAREGIVER), by=PATIENT, at=T0)
    assert grown.is_active("m-care", T0)
    assert grown.history == (ChangeRecord(action="add_member", at=T0, by=PATIENT),)


def test_an_advocate_may_not_change_the_team_by_default() -> None:
    with pytest.raises(PermissionDenied) as info:
        standard_team().add_member(member("m-care", Role.CAREGIVER), by=ADVOCATE, at=T0)
    assert str(info.value) == "role 'patient_advocate' may not 'add_member' a care team"
    with pytest.raises(PermissionDenied):
        standard_team().end_membership("m-pat", Role.PATIENT, by=ADVOCATE, at=T0)


def test_an_app_may_let_the_advocate_add_members() -> None:
    policy = RolePolicy(PERMISSIONS).replace(
        "care_team", "add_member", {Role.PATIENT_ADVOCATE, Role.CARE_COORDINATOR}
    )
    grown = standard_team().add_member(
        member("m-care", Role.CAREGIVER), by=ADVOCATE, at=T0, policy=policy
    )
    assert grown.history[-1].by == ADVOCATE


def test_ending_a_membership_sets_its_end() -> None:
    at = T0.add(days=10)
    ended = standard_team().end_membership("m-adv", Role.PATIENT_ADVOCATE, by=PATIENT, at=at)
    advocate = next(m for m in ended.members if m.member_id == "m-adv")
    assert advocate.period == Period(start=T0, end=at)
    assert ended.history[-1].action == "end_membership"


def test_ending_a_membership_that_is_not_active_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        standard_team().end_membership("m-stranger", Role.CAREGIVER, by=PATIENT, at=T0)
    assert info.value.messages == ["no active membership to end @ $.member_id"]


def test_a_membership_cannot_end_at_its_start() -> None:
    with pytest.raises(ValidationError) as info:
        standard_team().end_membership("m-adv", Role.PATIENT_ADVOCATE, by=PATIENT, at=T0)
    assert info.value.messages == ["a period must end after it starts @ $.end"]


# --- bad input ----------------------------------------------------------------------------


def make(cls: Any, **kwargs: Any) -> Any:
    """Call a constructor with deliberately ill-typed arguments (mypy would refuse them)."""
    return cls(**kwargs)


@pytest.mark.parametrize(
    ("build", "messages"),
    [
        (
            lambda: make(TeamMember, member_id="", role=Role.CAREGIVER, period=Period(start=T0)),
            ["must not be empty @ $.member_id"],
        ),
        (
            lambda: make(TeamMember, member_id="m", role="nurse", period=T0, lead=1),
            [
                "expected Role, got str @ $.role",
                "expected Period, got DateTime @ $.period",
                "expected true or false, got int @ $.lead",
            ],
        ),
        (
            lambda: make(
                TeamMember,
                member_id="m",
                role=Role.CAREGIVER,
                period=Period(start=T0),
                display_name=3,
            ),
            ["expected a string, got int @ $.display_name"],
        ),
        (
            lambda: make(CareTeam, id="", patient_id=""),
            ["must not be empty @ $.id", "must not be empty @ $.patient_id"],
        ),
        (
            lambda: make(CareTeam, id="t", patient_id="p", members=[member("m", Role.PATIENT), 5]),
            ["expected TeamMember, got int @ $.members[1]"],
        ),
        (
            lambda: make(CareTeam, id="t", patient_id="p", members=member("m", Role.PATIENT)),
            ["expected a list, got TeamMember @ $.members"],
        ),
    ],
)
def test_bad_arguments_are_validation_errors(build: Any, messages: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        build()
    assert info.value.messages == messages


def team_json(**changes: Any) -> str:
    doc = careroles.unstructure(
        standard_team().add_member(member("m-care", Role.CAREGIVER), by=PATIENT, at=T0)
    )
    for key, value in changes.items():
        node = doc
        *parents, last = key.split("__")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is KeyError:
            del node[last]
        else:
            node[last] = value
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"members": {}}, ["expected a list, got dict @ $.members"]),
        ({"members__1__role": "lawyer"}, None),
        (
            {"members__1__lead": True},
            ["only a care coordinator can be the lead @ $.members[1].lead"],
        ),
        ({"members__0__period": None}, ["expected an object, got null @ $.members[0].period"]),
        ({"members__2__member_id": KeyError}, ["required field missing @ $.members[2].member_id"]),
        (
            {"members__0__period__end": "2026-03-01T09:00:00-05:00[America/New_York]"},
            ["a period must end after it starts @ $.members[0].period.end"],
        ),
        (
            {"history__0__on_behalf_of_patient": "yes"},
            ["expected true or false, got str @ $.history[0].on_behalf_of_patient"],
        ),
        ({"$type": "Team"}, ["expected document type 'CareTeam' @ $.$type"]),
        ({"patient_id": ""}, ["must not be empty @ $.patient_id"]),
    ],
)
def test_bad_team_json_is_refused_with_exact_paths(
    changes: dict[str, Any], messages: list[str] | None
) -> None:
    with pytest.raises(ValidationError) as info:
        careroles.loads(team_json(**changes), CareTeam)
    if messages is None:
        assert len(info.value.messages) == 1
        assert info.value.messages[0].startswith("unknown Role;")
    else:
        assert info.value.messages == messages


def test_display_names_stay_out_of_repr_but_travel_on_the_wire() -> None:
    care_team = standard_team()
    assert "Rosa" not in repr(care_team)
    assert "Rosa Diaz" in careroles.dumps(care_team)
    assert careroles.loads(careroles.dumps(care_team), CareTeam) == care_team
