"""Roles, actors and role policies: deny by default, rows replaced without subclassing."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

import careroles
from careroles import (
    DEFAULT_POLICY,
    Actor,
    Permission,
    PermissionDenied,
    Role,
    RolePolicy,
    ValidationError,
)
from careroles.roles import BOOKERS, PATIENT_SIDE

ADVOCATE = Actor(member_id="m-adv", role=Role.PATIENT_ADVOCATE)
PATIENT = Actor(member_id="m-pat", role=Role.PATIENT)


def row(action: str, *roles: Role, subject: str = "case") -> Permission:
    return Permission(subject=subject, action=action, roles=frozenset(roles))


def test_role_values_are_the_wire_contract() -> None:
    assert [r.value for r in Role] == [
        "patient",
        "care_coordinator",
        "patient_advocate",
        "treating_provider",
        "caregiver",
        "personal_representative",
    ]


def test_the_patient_side_and_the_bookers() -> None:
    assert frozenset({Role.PATIENT, Role.PERSONAL_REPRESENTATIVE}) == PATIENT_SIDE
    assert Role.PATIENT_ADVOCATE not in BOOKERS  # PRODUCT.md: the advocate does not book


def test_an_actor_is_an_id_and_a_role_only() -> None:
    assert (
        repr(ADVOCATE)
        == "Actor(member_id='m-adv', role=<Role.PATIENT_ADVOCATE: 'patient_advocate'>)"
    )


@pytest.mark.parametrize(
    ("kwargs", "messages"),
    [
        ({"member_id": "", "role": Role.PATIENT}, ["must not be empty @ $.member_id"]),
        ({"member_id": 7, "role": Role.PATIENT}, ["expected a string, got int @ $.member_id"]),
        ({"member_id": "m", "role": "patient"}, ["expected Role, got str @ $.role"]),
        (
            {"member_id": None, "role": None},
            [
                "expected a string, got NoneType @ $.member_id",
                "expected Role, got NoneType @ $.role",
            ],
        ),
    ],
)
def test_bad_actors_are_refused_with_every_problem(
    kwargs: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        Actor(**kwargs)
    assert info.value.messages == messages


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({"member_id": "m"}, ["required field missing @ $.role"]),
        ({"member_id": "m", "role": "nurse"}, None),
        ({"member_id": "m", "role": "Patient"}, None),
        ({"member_id": "m", "role": ["patient"]}, None),
        ({"member_id": "m", "role": "patient", "name": "x"}, ["unknown keys: name @ $"]),
    ],
)
def test_bad_actor_json_is_refused(data: dict[str, Any], messages: list[str] | None) -> None:
    with pytest.raises(ValidationError) as info:
        careroles.loads(json.dumps(data), Actor)
    if messages is None:
        assert [m.split(";")[0] for m in info.value.messages] == ["unknown Role"]
        assert info.value.messages[0].endswith("@ $.role")
    else:
        assert info.value.messages == messages


def test_a_permission_row_checks_its_fields() -> None:
    roles: Any = {Role.PATIENT}  # a set is taken as the frozenset it stands for
    assert Permission(subject="case", action="open", roles=roles).roles == frozenset(roles)
    with pytest.raises(ValidationError) as info:
        Permission(subject="case", action="open", roles=frozenset({"patient"}), note=None)  # type: ignore[arg-type]
    assert info.value.messages == [
        "expected Role, got str @ $.roles",
        "expected a string, got NoneType @ $.note",
    ]


# --- the policy ---------------------------------------------------------------------------


def test_a_policy_allows_only_what_its_rows_say() -> None:
    policy = RolePolicy((row("open", Role.PATIENT_ADVOCATE),))
    policy.require(ADVOCATE, "case", "open")
    assert policy.allows(Role.PATIENT_ADVOCATE, "case", "open")
    assert not policy.allows(Role.PATIENT, "case", "open")


def test_anything_without_a_row_is_denied() -> None:
    policy = RolePolicy((row("open", Role.PATIENT_ADVOCATE),))
    with pytest.raises(PermissionDenied) as info:
        policy.require(ADVOCATE, "case", "close")
    assert (info.value.role, info.value.subject, info.value.action) == (
        "patient_advocate",
        "case",
        "close",
    )
    assert str(info.value) == "role 'patient_advocate' may not 'close' a case"
    assert policy.roles_for("case", "close") == frozenset()


def test_permission_denied_never_names_the_person() -> None:
    with pytest.raises(PermissionDenied) as info:
        RolePolicy(()).require(Actor(member_id="Ada Lovelace", role=Role.CAREGIVER), "x", "y")
    assert "Ada" not in str(info.value)


def test_replace_returns_a_new_policy_and_keeps_the_other_rows() -> None:
    policy = RolePolicy((row("open", Role.PATIENT_ADVOCATE), row("close", Role.PATIENT)))
    changed = policy.replace("case", "open", {Role.PATIENT}, note="self-service")
    assert changed.allows(Role.PATIENT, "case", "open")
    assert not changed.allows(Role.PATIENT_ADVOCATE, "case", "open")
    assert changed.allows(Role.PATIENT, "case", "close")
    assert policy.allows(Role.PATIENT_ADVOCATE, "case", "open")  # the original is unchanged


def test_replacing_with_no_roles_forbids_the_action() -> None:
    policy = RolePolicy((row("open", Role.PATIENT_ADVOCATE),)).replace("case", "open", ())
    with pytest.raises(PermissionDenied):
        policy.require(ADVOCATE, "case", "open")


def test_merging_tables_lets_a_later_row_win() -> None:
    merged = RolePolicy.of([row("open", Role.PATIENT)], [row("open", Role.CAREGIVER)])
    assert merged.roles_for("case", "open") == frozenset({Role.CAREGIVER})
    assert len(merged.rows) == 1


def test_a_policy_lists_itself_as_sorted_plain_rows() -> None:
    policy = RolePolicy(
        (
            row("open", Role.PATIENT_ADVOCATE, Role.PATIENT),
            Permission(subject="appointment", action="book", roles=frozenset(), note="nobody"),
        )
    )
    assert policy.table() == [
        {"subject": "appointment", "action": "book", "roles": "", "note": "nobody"},
        {"subject": "case", "action": "open", "roles": "patient, patient_advocate", "note": ""},
    ]


def test_the_default_policy_holds_the_foundation_rows() -> None:
    assert DEFAULT_POLICY.roles_for("consent", "revoke") == PATIENT_SIDE
    assert DEFAULT_POLICY.allows(Role.CARE_COORDINATOR, "care_team", "add_member")
    assert not DEFAULT_POLICY.allows(Role.CAREGIVER, "patient", "record_preferences")
    assert DEFAULT_POLICY.roles_for("patient", "fly_to_the_moon") == frozenset()


def test_errors_survive_pickling() -> None:
    denied = PermissionDenied(role="caregiver", subject="consent", action="revoke")
    again = pickle.loads(pickle.dumps(denied))
    assert (again.role, again.subject, again.action, str(again)) == (
        "caregiver",
        "consent",
        "revoke",
        str(denied),
    )
    assert isinstance(again, PermissionError)
    assert isinstance(again, careroles.CareRolesError)
