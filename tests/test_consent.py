"""Consent and authorization: permits with a basis, revocation from receipt, deny by default."""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles import (
    Actor,
    Consent,
    ConsentDecision,
    ConsentKind,
    ConsentStatus,
    DecisionReason,
    InformationCategory,
    Period,
    PermissionDenied,
    Purpose,
    Role,
    TransitionError,
    ValidationError,
    permits,
)
from careroles.periods import earlier
from careroles.strategies import consents, datetimes

T0 = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
PATIENT = Actor(member_id="m-pat", role=Role.PATIENT)
REPRESENTATIVE = Actor(member_id="m-rep", role=Role.PERSONAL_REPRESENTATIVE)
ADVOCATE = Actor(member_id="m-adv", role=Role.PATIENT_ADVOCATE)
CAREGIVER = Actor(member_id="m-care", role=Role.CAREGIVER)
APPOINTMENTS = InformationCategory.APPOINTMENTS
CLINICAL = InformationCategory.CLINICAL
NOTES = InformationCategory.PSYCHOTHERAPY_NOTES
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
NY = pendulum.timezone("America/New_York")
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=NY, fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=NY, fold=1)


def consent(**changes: Any) -> Consent:
    fields: dict[str, Any] = {
        "id": "k-1",
        "patient_id": "p-1",
        "kind": ConsentKind.FAMILY_INVOLVEMENT,
        "grantor": PATIENT,
        "grantee_id": "c-daughter",
        "categories": frozenset({APPOINTMENTS, InformationCategory.CARE_PLAN}),
        "purposes": frozenset({Purpose.FAMILY_INVOLVEMENT}),
        "period": Period(start=T0, end=T0.add(days=90)),
    }
    fields.update(changes)
    return Consent(**fields)


# --- permits ------------------------------------------------------------------------------


def test_a_permit_names_the_consent_it_rests_on() -> None:
    decision = permits([consent()], "c-daughter", APPOINTMENTS, T0.add(days=1))
    assert decision == ConsentDecision(
        permitted=True,
        reason=DecisionReason.PERMITTED,
        basis="k-1",
        kind=ConsentKind.FAMILY_INVOLVEMENT,
    )


def test_without_any_consent_the_answer_is_no() -> None:
    decision = permits([], "c-daughter", APPOINTMENTS, T0)
    assert decision == ConsentDecision(permitted=False, reason=DecisionReason.NO_CONSENT)
    other = permits([consent()], "c-stranger", APPOINTMENTS, T0)
    assert (other.permitted, other.reason, other.basis) == (
        False,
        DecisionReason.NO_CONSENT,
        None,
    )


@pytest.mark.parametrize(
    ("at", "category", "purpose", "reason"),
    [
        (T0.subtract(seconds=1), APPOINTMENTS, None, DecisionReason.NOT_YET_VALID),
        (T0.add(days=90), APPOINTMENTS, None, DecisionReason.EXPIRED),
        (T0.add(days=1), CLINICAL, None, DecisionReason.CATEGORY_NOT_COVERED),
        (T0.add(days=1), APPOINTMENTS, Purpose.PAYMENT, DecisionReason.PURPOSE_NOT_COVERED),
    ],
)
def test_a_denial_says_why_and_names_the_closest_consent(
    at: pendulum.DateTime,
    category: InformationCategory,
    purpose: Purpose | None,
    reason: DecisionReason,
) -> None:
    decision = permits([consent()], "c-daughter", category, at, purpose=purpose)
    assert (decision.permitted, decision.reason, decision.basis) == (False, reason, "k-1")


def test_the_validity_period_is_half_open() -> None:
    assert permits([consent()], "c-daughter", APPOINTMENTS, T0).permitted
    assert not permits([consent()], "c-daughter", APPOINTMENTS, T0.add(days=90)).permitted


def test_any_permitting_consent_is_enough() -> None:
    expired = consent(id="k-old", period=Period(start=T0.subtract(days=400), end=T0))
    current = consent(id="k-new")
    decision = permits([expired, current], "c-daughter", APPOINTMENTS, T0.add(days=1))
    assert (decision.permitted, decision.basis) == (True, "k-new")


def test_the_most_informative_denial_is_reported() -> None:
    narrow = consent(id="k-narrow", categories=frozenset({InformationCategory.BILLING}))
    expired = consent(id="k-expired", period=Period(start=T0.subtract(days=400), end=T0))
    decision = permits([narrow, expired], "c-daughter", APPOINTMENTS, T0.add(days=1))
    assert (decision.reason, decision.basis) == (DecisionReason.EXPIRED, "k-expired")


def test_kinds_restrict_which_consents_count() -> None:
    decision = permits(
        [consent()],
        "c-daughter",
        APPOINTMENTS,
        T0.add(days=1),
        kinds=[ConsentKind.AUTHORIZATION],
    )
    assert decision.reason is DecisionReason.NO_CONSENT


def test_a_consent_without_purposes_covers_any_purpose() -> None:
    open_purpose = consent(purposes=frozenset())
    decision = permits([open_purpose], "c-daughter", APPOINTMENTS, T0, purpose=Purpose.PAYMENT)
    assert decision.permitted


def test_a_recorded_refusal_is_a_no_with_its_basis() -> None:
    refused = consent(status=ConsentStatus.REJECTED)
    decision = permits([refused], "c-daughter", APPOINTMENTS, T0.add(days=1))
    assert (decision.reason, decision.basis) == (DecisionReason.REJECTED, "k-1")


def test_permits_refuses_a_naive_instant() -> None:
    with pytest.raises(ValidationError) as info:
        permits([consent()], "c-daughter", APPOINTMENTS, pendulum.naive(2026, 3, 10))
    assert info.value.messages == ["naive date-time: a time zone is required @ $.at"]


# --- revocation ---------------------------------------------------------------------------


def test_revocation_is_effective_from_receipt_and_reliance_before_it_stands() -> None:
    received = T0.add(days=10)
    recorded = T0.add(days=12)  # written down two days after the letter arrived
    revoked = consent().revoke(by=PATIENT, at=recorded, received_at=received, reason="moved")
    assert revoked.status is ConsentStatus.REVOKED
    assert revoked.revoked_at == received
    assert revoked.history[-1].at == recorded
    before = permits([revoked], "c-daughter", APPOINTMENTS, received.subtract(seconds=1))
    assert (before.permitted, before.basis) == (True, "k-1")
    after = permits([revoked], "c-daughter", APPOINTMENTS, received)
    assert (after.permitted, after.reason, after.basis) == (False, DecisionReason.REVOKED, "k-1")


def test_revocation_defaults_to_the_instant_it_is_recorded() -> None:
    revoked = consent().revoke(by=REPRESENTATIVE, at=T0.add(days=3))
    assert revoked.revoked_at == T0.add(days=3)
    assert revoked.history[-1].by == REPRESENTATIVE


def test_a_revoked_consent_cannot_be_revoked_again() -> None:
    revoked = consent().revoke(by=PATIENT, at=T0.add(days=3))
    with pytest.raises(TransitionError) as info:
        revoked.revoke(by=PATIENT, at=T0.add(days=4))
    assert (info.value.status, info.value.action, info.value.allowed) == ("revoked", "revoke", ())


def test_a_rejected_consent_cannot_be_revoked() -> None:
    with pytest.raises(TransitionError) as info:
        consent(status=ConsentStatus.REJECTED).revoke(by=PATIENT, at=T0)
    assert info.value.status == "rejected"


@pytest.mark.parametrize("actor", [ADVOCATE, CAREGIVER])
def test_only_the_patient_side_revokes(actor: Actor) -> None:
    with pytest.raises(PermissionDenied) as info:
        consent().revoke(by=actor, at=T0.add(days=1))
    assert str(info.value) == f"role '{actor.role.value}' may not 'revoke' a consent"


def test_a_revocation_cannot_take_effect_before_the_consent_started() -> None:
    with pytest.raises(ValidationError) as info:
        consent().revoke(by=PATIENT, at=T0.add(days=1), received_at=T0.subtract(days=1))
    assert info.value.messages == ["revoked before it started @ $.revoked_at"]


def test_a_consent_starting_in_the_repeated_hour_permits_an_instant_later_on_the_time_line() -> (
    None
):
    started = consent(period=Period(start=EDT_0159, end=EDT_0159.add(days=90)))
    decision = permits([started], "c-daughter", APPOINTMENTS, EST_0130)
    assert (decision.permitted, decision.basis) == (True, "k-1")


def test_a_revocation_received_in_the_repeated_hour_after_the_start_takes_effect_at_receipt() -> (
    None
):
    started = consent(period=Period(start=EDT_0159, end=EDT_0159.add(days=90)))
    revoked = started.revoke(by=PATIENT, at=EST_0130.add(hours=1), received_at=EST_0130)
    assert revoked.revoked_at == EST_0130
    assert permits([revoked], "c-daughter", APPOINTMENTS, EDT_0159).permitted
    after = permits([revoked], "c-daughter", APPOINTMENTS, EST_0130)
    assert (after.permitted, after.reason) == (False, DecisionReason.REVOKED)


def test_a_naive_receipt_time_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        consent().revoke(by=PATIENT, at=T0, received_at=pendulum.naive(2026, 3, 10))
    assert info.value.messages == ["naive date-time: a time zone is required @ $.received_at"]


@given(consents(), datetimes())
def test_a_revoked_consent_never_permits_after_receipt(
    drawn: Consent, at: pendulum.DateTime
) -> None:
    decision = drawn.decide(drawn.grantee_id, next(iter(drawn.categories)), at)
    if drawn.revoked_at is not None and not earlier(at, drawn.revoked_at):
        assert not decision.permitted
    if decision.permitted:
        assert drawn.period.contains(at)
        assert decision.basis == drawn.id


# --- the rules of a consent ---------------------------------------------------------------


def test_psychotherapy_notes_need_an_authorization_of_their_own() -> None:
    with pytest.raises(ValidationError) as info:
        consent(kind=ConsentKind.AUTHORIZATION, categories=frozenset({NOTES, CLINICAL}))
    assert info.value.messages == [
        "psychotherapy notes need an authorization of their own (45 CFR 164.508(a)(2))"
        " @ $.categories"
    ]
    alone = consent(kind=ConsentKind.AUTHORIZATION, categories=frozenset({NOTES}))
    assert permits([alone], "c-daughter", NOTES, T0).permitted
    assert not permits([consent()], "c-daughter", NOTES, T0).permitted


def test_an_authorization_needs_an_expiry() -> None:
    with pytest.raises(ValidationError) as info:
        consent(kind=ConsentKind.AUTHORIZATION, period=Period(start=T0))
    assert info.value.messages == [
        "an authorization needs an expiration (45 CFR 164.508(c)(1)(v)) @ $.period.end"
    ]
    assert consent(kind=ConsentKind.FAMILY_INVOLVEMENT, period=Period(start=T0)).period.end is None


@pytest.mark.parametrize("grantor", [ADVOCATE, CAREGIVER])
def test_only_the_patient_side_grants_consent(grantor: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        consent(grantor=grantor)
    assert info.value.messages == [
        "only the patient or a personal representative grants consent @ $.grantor.role"
    ]


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"id": "", "patient_id": "", "grantee_id": ""},
            [
                "must not be empty @ $.id",
                "must not be empty @ $.patient_id",
                "must not be empty @ $.grantee_id",
            ],
        ),
        ({"categories": frozenset()}, ["at least one information category @ $.categories"]),
        (
            {"status": ConsentStatus.REVOKED},
            ["set exactly when the consent is revoked @ $.revoked_at"],
        ),
        (
            {"revoked_at": T0.add(days=1)},
            ["set exactly when the consent is revoked @ $.revoked_at"],
        ),
        ({"kind": "authorization"}, ["expected ConsentKind, got str @ $.kind"]),
        (
            {"categories": frozenset({"clinical"})},
            ["expected InformationCategory, got str @ $.categories"],
        ),
        ({"period": T0}, ["expected Period, got DateTime @ $.period"]),
        ({"grantor": "m-pat"}, ["expected Actor, got str @ $.grantor"]),
        (
            {"revoked_at": pendulum.naive(2026, 3, 10), "status": ConsentStatus.REVOKED},
            ["naive date-time: a time zone is required @ $.revoked_at"],
        ),
        ({"note": 42}, ["expected a string, got int @ $.note"]),
    ],
)
def test_bad_consents_are_refused_with_every_problem(
    changes: dict[str, Any], messages: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        consent(**changes)
    assert info.value.messages == messages


def consent_json(**changes: Any) -> str:
    doc = careroles.unstructure(consent().revoke(by=PATIENT, at=T0.add(days=1), reason="moved"))
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
        ({"kind": "verbal"}, None),
        ({"categories": "clinical"}, ["expected a list, got str @ $.categories"]),
        ({"categories": ["clinical", "gossip"]}, None),
        (
            {"period__end": KeyError, "kind": "authorization"},
            ["an authorization needs an expiration (45 CFR 164.508(c)(1)(v)) @ $.period.end"],
        ),
        (
            {"period__start": "2026-03-09T09:00:00"},
            [
                "expected an RFC 9557 date-time with an offset, e.g. "
                "2026-03-08T09:00:00-04:00[America/New_York] @ $.period.start"
            ],
        ),
        (
            {"history__0__to_status": "active"},
            [
                "differs from the last recorded transition @ $.status",
                "this action cannot make this transition @ $.history[0]",
            ],
        ),
        (
            {"grantor__role": "caregiver"},
            ["only the patient or a personal representative grants consent @ $.grantor.role"],
        ),
        ({"revoked_at": None}, ["set exactly when the consent is revoked @ $.revoked_at"]),
        (
            {"$version": "1.9"},
            [
                "document version 1.9 is newer than this careroles reads (1.0); upgrade careroles"
                " or load it with loads_lenient @ $.$version"
            ],
        ),
        ({"history__0__reason": 5}, ["expected a string, got int @ $.history[0].reason"]),
    ],
)
def test_bad_consent_json_is_refused_with_exact_paths(
    changes: dict[str, Any], messages: list[str] | None
) -> None:
    with pytest.raises(ValidationError) as info:
        careroles.loads(consent_json(**changes), Consent)
    if messages is None:
        assert len(info.value.messages) == 1
        assert info.value.messages[0].startswith("unknown ")
    else:
        assert info.value.messages == messages


def test_a_revoked_consent_round_trips_with_its_history() -> None:
    revoked = consent().revoke(by=PATIENT, at=T0.add(days=1), reason="moved away")
    again = careroles.loads(careroles.dumps(revoked), Consent)
    assert again == revoked
    assert again.history[0].from_status is ConsentStatus.ACTIVE


def test_the_reason_and_note_stay_out_of_repr() -> None:
    revoked = consent(note="her brother must not know").revoke(
        by=PATIENT, at=T0.add(days=1), reason="family conflict"
    )
    assert "brother" not in repr(revoked)
    assert "conflict" not in repr(revoked)


@given(st.from_type(Consent))
def test_drawn_consents_obey_their_own_rules(drawn: Consent) -> None:
    assert careroles.loads(careroles.dumps(drawn), Consent) == drawn
    assert (drawn.status is ConsentStatus.REVOKED) == (drawn.revoked_at is not None)


def test_a_consent_decision_checks_its_fields() -> None:
    bad: Any = {"permitted": "yes", "reason": "permitted", "basis": 5, "kind": "x"}
    with pytest.raises(ValidationError) as info:
        ConsentDecision(**bad)
    assert info.value.messages == [
        "expected true or false, got str @ $.permitted",
        "expected DecisionReason, got str @ $.reason",
        "expected a string, got int @ $.basis",
        "expected ConsentKind, got str @ $.kind",
    ]
    with pytest.raises(ValidationError) as info:
        careroles.loads(
            '{"permitted": 1, "reason": "maybe", "basis": null, "kind": null}', ConsentDecision
        )
    assert info.value.messages[0] == "expected true or false, got int @ $.permitted"
    assert info.value.messages[1].startswith("unknown DecisionReason; expected one of ")
