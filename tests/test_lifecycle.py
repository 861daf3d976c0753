"""The lifecycle engine: tables of actions, role checks, reasons, guards, ordered history."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import pkgutil
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles import (
    Action,
    Actor,
    Consent,
    ConsentKind,
    ConsentStatus,
    Guard,
    InformationCategory,
    Lifecycle,
    Period,
    PermissionDenied,
    Role,
    RolePolicy,
    TransitionError,
    TransitionRecord,
    ValidationError,
)
from careroles._model import Record, model
from careroles.consent import CONSENT_LIFECYCLE
from careroles.errors import Problem
from careroles.lifecycle import check_history

T0 = pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
COORDINATOR = Actor(member_id="m-coord", role=Role.CARE_COORDINATOR)
PATIENT = Actor(member_id="m-pat", role=Role.PATIENT)
CAREGIVER = Actor(member_id="m-care", role=Role.CAREGIVER)


class TicketStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ON_HOLD = "on-hold"
    DONE = "done"
    CANCELLED = "cancelled"


def is_ready(ticket: Any, at: pendulum.DateTime) -> bool:
    return bool(ticket.ready)


TICKET_LIFECYCLE: Lifecycle[TicketStatus] = Lifecycle(
    subject="ticket",
    statuses=TicketStatus,
    initial=TicketStatus.DRAFT,
    actions=(
        Action(
            name="activate",
            sources=frozenset({TicketStatus.DRAFT}),
            target=TicketStatus.ACTIVE,
            roles=frozenset({Role.CARE_COORDINATOR}),
        ),
        Action(
            name="hold",
            sources=frozenset({TicketStatus.ACTIVE}),
            target=TicketStatus.ON_HOLD,
            roles=frozenset({Role.CARE_COORDINATOR}),
            requires_reason=True,
        ),
        Action(
            name="resume",
            sources=frozenset({TicketStatus.ON_HOLD}),
            target=TicketStatus.ACTIVE,
            roles=frozenset({Role.CARE_COORDINATOR}),
        ),
        Action(
            name="complete",
            sources=frozenset({TicketStatus.ACTIVE}),
            target=TicketStatus.DONE,
            roles=frozenset({Role.CARE_COORDINATOR, Role.TREATING_PROVIDER}),
            guards=(Guard("ready", is_ready, "the ticket is not ready"),),
        ),
        Action(
            name="cancel",
            sources=frozenset({TicketStatus.DRAFT, TicketStatus.ACTIVE, TicketStatus.ON_HOLD}),
            target=TicketStatus.CANCELLED,
            roles=frozenset({Role.CARE_COORDINATOR, Role.PATIENT}),
            requires_reason=True,
        ),
    ),
)


@model
class Ticket(Record):
    id: str
    status: TicketStatus = TicketStatus.DRAFT
    ready: bool = False
    history: tuple[TransitionRecord[TicketStatus], ...] = ()

    def _rules(self) -> Iterable[Problem]:
        if not self.id:
            yield Problem(("id",), "must not be empty", "empty")
        yield from check_history(self.status, self.history)


def active_ticket() -> Ticket:
    return TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=COORDINATOR, at=T0)


# --- the happy path -----------------------------------------------------------------------


def test_an_action_changes_the_status_and_appends_a_transition_record() -> None:
    draft = Ticket(id="t-1")
    active = TICKET_LIFECYCLE.apply(draft, "activate", by=COORDINATOR, at=T0, reason="go")
    assert active.status is TicketStatus.ACTIVE
    assert active.history == (
        TransitionRecord(
            action="activate",
            from_status=TicketStatus.DRAFT,
            to_status=TicketStatus.ACTIVE,
            at=T0,
            by=COORDINATOR,
            reason="go",
        ),
    )
    assert draft.status is TicketStatus.DRAFT  # the original is untouched
    assert draft.history == ()


def test_other_field_changes_travel_with_the_action() -> None:
    ticket = TICKET_LIFECYCLE.apply(
        Ticket(id="t-1"), "activate", by=COORDINATOR, at=T0, ready=True
    )
    assert ticket.ready is True


def test_the_new_aggregate_is_validated() -> None:
    with pytest.raises(ValidationError) as info:
        TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=COORDINATOR, at=T0, id="")
    assert info.value.messages == ["must not be empty @ $.id"]


def test_a_stdlib_aware_datetime_is_accepted_as_a_pendulum_one() -> None:
    at: Any = dt.datetime(2026, 3, 9, 14, tzinfo=dt.UTC)
    ticket = TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=COORDINATOR, at=at)
    assert isinstance(ticket.history[0].at, pendulum.DateTime)
    assert ticket.history[0].at == at


# --- refusals -----------------------------------------------------------------------------


def test_a_transition_error_names_status_action_and_allowed_actions() -> None:
    with pytest.raises(TransitionError) as info:
        TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "resume", by=COORDINATOR, at=T0)
    err = info.value
    assert (err.subject, err.status, err.action) == ("ticket", "draft", "resume")
    assert err.allowed == ("activate", "cancel")
    assert str(err) == (
        "cannot 'resume' a ticket in status 'draft': not allowed from status 'draft' "
        "(allowed now: activate, cancel)"
    )


def test_no_action_is_allowed_from_a_terminal_status() -> None:
    cancelled = TICKET_LIFECYCLE.apply(
        active_ticket(), "cancel", by=PATIENT, at=T0.add(hours=1), reason="moved away"
    )
    with pytest.raises(TransitionError) as info:
        TICKET_LIFECYCLE.apply(cancelled, "cancel", by=PATIENT, at=T0.add(hours=2), reason="x")
    assert info.value.allowed == ()
    assert str(info.value).endswith("(allowed now: none)")


def test_an_unknown_action_is_a_transition_error() -> None:
    with pytest.raises(TransitionError) as info:
        TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "teleport", by=COORDINATOR, at=T0)
    assert info.value.reason == "no such action"
    assert info.value.allowed == ("activate", "cancel")


def test_permission_denied_names_the_role_and_the_action_not_the_person() -> None:
    with pytest.raises(PermissionDenied) as info:
        TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=PATIENT, at=T0)
    err = info.value
    assert (err.role, err.subject, err.action) == ("patient", "ticket", "activate")
    assert str(err) == "role 'patient' may not 'activate' a ticket"
    assert "m-pat" not in str(err)


def test_a_reason_is_required_where_the_table_says_so() -> None:
    for reason in (None, "", "   "):
        with pytest.raises(ValidationError) as info:
            TICKET_LIFECYCLE.apply(active_ticket(), "hold", by=COORDINATOR, at=T0, reason=reason)
        assert info.value.messages == ["'hold' requires a reason @ $.reason"]
    held = TICKET_LIFECYCLE.apply(active_ticket(), "hold", by=COORDINATOR, at=T0, reason="waiting")
    assert held.history[-1].reason == "waiting"


def test_a_failing_guard_refuses_the_action_with_its_message() -> None:
    with pytest.raises(TransitionError) as info:
        TICKET_LIFECYCLE.apply(active_ticket(), "complete", by=COORDINATOR, at=T0)
    assert info.value.reason == "the ticket is not ready"
    assert "the ticket is not ready" in str(info.value)
    ready = Ticket(
        id="t-1", status=TicketStatus.ACTIVE, ready=True, history=active_ticket().history
    )
    done = TICKET_LIFECYCLE.apply(ready, "complete", by=COORDINATOR, at=T0)
    assert done.status is TicketStatus.DONE


def test_a_guard_sees_the_aggregate_and_the_instant() -> None:
    seen: list[tuple[Any, pendulum.DateTime]] = []

    def record(obj: Any, at: pendulum.DateTime) -> bool:
        seen.append((obj, at))
        return True

    lifecycle = attrs.evolve(
        TICKET_LIFECYCLE,
        actions=(attrs.evolve(TICKET_LIFECYCLE.actions[0], guards=(Guard("r", record, "m"),)),),
    )
    draft = Ticket(id="t-1")
    lifecycle.apply(draft, "activate", by=COORDINATOR, at=T0)
    assert seen == [(draft, T0)]


def test_an_action_dated_before_the_previous_one_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        TICKET_LIFECYCLE.apply(
            active_ticket(), "hold", by=COORDINATOR, at=T0.subtract(seconds=1), reason="r"
        )
    assert info.value.messages == ["an action cannot be dated before the previous one @ $.at"]
    same_instant = TICKET_LIFECYCLE.apply(
        active_ticket(), "hold", by=COORDINATOR, at=T0.in_timezone("UTC"), reason="r"
    )
    assert same_instant.status is TicketStatus.ON_HOLD


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        TICKET_LIFECYCLE.apply(
            Ticket(id="t-1"), "activate", by=COORDINATOR, at=pendulum.naive(2026, 3, 9, 9)
        )
    assert info.value.messages == ["naive date-time: a time zone is required @ $.at"]
    naive_stdlib: Any = dt.datetime(2026, 3, 9, 9)
    with pytest.raises(ValidationError) as info:
        TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=COORDINATOR, at=naive_stdlib)
    assert info.value.messages == ["naive date-time: a time zone is required @ $.at"]


def test_a_date_is_not_an_instant() -> None:
    with pytest.raises(ValidationError) as info:
        TICKET_LIFECYCLE.apply(
            Ticket(id="t-1"),
            "activate",
            by=COORDINATOR,
            at=pendulum.date(2026, 3, 9),  # type: ignore[arg-type]
        )
    assert info.value.messages == ["expected a time-zone-aware date-time, got Date @ $.at"]


# --- policies -----------------------------------------------------------------------------


def test_a_custom_policy_replaces_rows_without_subclassing() -> None:
    policy = RolePolicy(TICKET_LIFECYCLE.permissions()).replace(
        "ticket", "activate", {Role.PATIENT}, note="self-service"
    )
    ticket = TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=PATIENT, at=T0, policy=policy)
    assert ticket.status is TicketStatus.ACTIVE
    with pytest.raises(PermissionDenied):
        TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=COORDINATOR, at=T0, policy=policy)
    # the other rows are kept
    assert policy.roles_for("ticket", "hold") == frozenset({Role.CARE_COORDINATOR})


def test_an_action_without_a_policy_row_is_denied_by_default() -> None:
    empty = RolePolicy(())
    for actor in (COORDINATOR, PATIENT):
        with pytest.raises(PermissionDenied):
            TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "activate", by=actor, at=T0, policy=empty)
    with pytest.raises(PermissionDenied):  # the library's default policy knows no tickets
        TICKET_LIFECYCLE.apply(
            Ticket(id="t-1"), "activate", by=COORDINATOR, at=T0, policy=careroles.DEFAULT_POLICY
        )


def test_the_role_is_checked_before_the_status() -> None:
    # a role that may never do it learns that, whatever the status
    with pytest.raises(PermissionDenied):
        TICKET_LIFECYCLE.apply(Ticket(id="t-1"), "resume", by=CAREGIVER, at=T0)


# --- introspection ------------------------------------------------------------------------


def test_the_table_describes_itself() -> None:
    assert TICKET_LIFECYCLE.describe() == [
        {
            "action": "activate",
            "from": "draft",
            "to": "active",
            "roles": "care_coordinator",
            "requires": "",
        },
        {
            "action": "hold",
            "from": "active",
            "to": "on-hold",
            "roles": "care_coordinator",
            "requires": "reason",
        },
        {
            "action": "resume",
            "from": "on-hold",
            "to": "active",
            "roles": "care_coordinator",
            "requires": "",
        },
        {
            "action": "complete",
            "from": "active",
            "to": "done",
            "roles": "care_coordinator, treating_provider",
            "requires": "ready",
        },
        {
            "action": "cancel",
            "from": "active, draft, on-hold",
            "to": "cancelled",
            "roles": "care_coordinator, patient",
            "requires": "reason",
        },
    ]


def test_the_table_draws_itself_as_a_mermaid_state_diagram() -> None:
    assert TICKET_LIFECYCLE.mermaid() == "\n".join(
        [
            "stateDiagram-v2",
            "    [*] --> draft",
            "    draft --> active: activate",
            "    active --> on_hold: hold",
            "    on_hold --> active: resume",
            "    active --> done: complete",
            "    draft --> cancelled: cancel",
            "    active --> cancelled: cancel",
            "    on_hold --> cancelled: cancel",
            "    done --> [*]",
            "    cancelled --> [*]",
        ]
    )


def test_reachable_statuses_follow_the_table() -> None:
    assert TICKET_LIFECYCLE.reachable() == frozenset(TicketStatus)
    assert TICKET_LIFECYCLE.reachable(TicketStatus.ON_HOLD) == frozenset(
        {TicketStatus.ON_HOLD, TicketStatus.ACTIVE, TicketStatus.DONE, TicketStatus.CANCELLED}
    )
    assert TICKET_LIFECYCLE.reachable(TicketStatus.DONE) == frozenset({TicketStatus.DONE})
    assert TICKET_LIFECYCLE.terminal_statuses() == frozenset(
        {TicketStatus.DONE, TicketStatus.CANCELLED}
    )


def test_allowed_actions_and_default_permissions_come_from_the_rows() -> None:
    assert TICKET_LIFECYCLE.allowed_actions(TicketStatus.ACTIVE) == ("hold", "complete", "cancel")
    rows = {(p.subject, p.action): p.roles for p in TICKET_LIFECYCLE.permissions()}
    assert rows[("ticket", "cancel")] == frozenset({Role.CARE_COORDINATOR, Role.PATIENT})
    assert TICKET_LIFECYCLE.action("hold") is TICKET_LIFECYCLE.actions[1]
    assert TICKET_LIFECYCLE.action("teleport") is None


def test_a_table_with_a_duplicate_action_name_is_refused() -> None:
    row = TICKET_LIFECYCLE.actions[0]
    with pytest.raises(ValueError, match="duplicate action names"):
        Lifecycle(
            subject="ticket", statuses=TicketStatus, initial=TicketStatus.DRAFT, actions=(row, row)
        )


# --- the history rules --------------------------------------------------------------------


def record(action: str, src: TicketStatus, dst: TicketStatus, at: pendulum.DateTime) -> Any:
    return TransitionRecord(action=action, from_status=src, to_status=dst, at=at, by=COORDINATOR)


def test_a_history_must_be_a_chain_in_time_order_ending_at_the_status() -> None:
    first = record("activate", TicketStatus.DRAFT, TicketStatus.ACTIVE, T0)
    broken = record("resume", TicketStatus.ON_HOLD, TicketStatus.ACTIVE, T0.subtract(hours=1))
    with pytest.raises(ValidationError) as info:
        Ticket(id="t-1", status=TicketStatus.DONE, history=(first, broken))
    assert info.value.messages == [
        "breaks the chain of statuses @ $.history[1].from_status",
        "dated before the previous action @ $.history[1].at",
        "differs from the last recorded transition @ $.status",
    ]


def test_a_status_that_contradicts_the_history_is_refused_on_loading() -> None:
    revoked = consent_for_test().revoke(by=PATIENT, at=T0.add(days=1))
    doc = careroles.unstructure(revoked)
    doc["status"] = "active"
    with pytest.raises(ValidationError) as info:
        careroles.structure(doc, Consent)
    assert info.value.messages == [
        "set exactly when the consent is revoked @ $.revoked_at",
        "differs from the last recorded transition @ $.status",
    ]


def test_a_history_that_the_table_could_not_have_produced_is_refused_on_loading() -> None:
    revoked = consent_for_test().revoke(by=PATIENT, at=T0.add(days=1))
    doc = careroles.unstructure(revoked)
    doc["history"][0]["from_status"] = "rejected"
    with pytest.raises(ValidationError):
        careroles.structure(doc, Consent)


# --- the real consent lifecycle -----------------------------------------------------------


def consent_for_test() -> Consent:
    return Consent(
        id="k-1",
        patient_id="p-1",
        kind=ConsentKind.FAMILY_INVOLVEMENT,
        grantor=PATIENT,
        grantee_id="c-1",
        categories=frozenset({InformationCategory.APPOINTMENTS}),
        period=Period(start=T0),
    )


def test_consent_is_revoked_by_the_patient_side_only() -> None:
    consent = consent_for_test()
    revoked = consent.revoke(by=PATIENT, at=T0.add(days=1), reason="changed my mind")
    assert revoked.status is ConsentStatus.REVOKED
    assert [(r.action, r.from_status, r.to_status) for r in revoked.history] == [
        ("revoke", ConsentStatus.ACTIVE, ConsentStatus.REVOKED)
    ]
    representative = Actor(member_id="m-rep", role=Role.PERSONAL_REPRESENTATIVE)
    assert consent.revoke(by=representative, at=T0.add(days=1)).status is ConsentStatus.REVOKED
    for actor in (COORDINATOR, CAREGIVER):
        with pytest.raises(PermissionDenied) as info:
            consent.revoke(by=actor, at=T0.add(days=1))
        assert (info.value.action, info.value.subject) == ("revoke", "consent")


def test_the_consent_lifecycle_table() -> None:
    assert CONSENT_LIFECYCLE.mermaid() == "\n".join(
        [
            "stateDiagram-v2",
            "    [*] --> active",
            "    active --> revoked: revoke",
            "    revoked --> [*]",
            "    rejected --> [*]",
        ]
    )
    assert CONSENT_LIFECYCLE.reachable() == frozenset(
        {ConsentStatus.ACTIVE, ConsentStatus.REVOKED}
    )
    assert CONSENT_LIFECYCLE.allowed_actions(ConsentStatus.REVOKED) == ()


# --- the property over every lifecycle in careroles ----------------------------------------


def all_lifecycles() -> list[tuple[str, Lifecycle[Any]]]:
    """Every ``*_LIFECYCLE`` defined in a careroles module (found, not listed)."""
    found: dict[int, tuple[str, Lifecycle[Any]]] = {}
    for info in pkgutil.iter_modules(careroles.__path__):
        if info.name in {"strategies", "fhir", "notebook"}:
            continue
        try:
            module = importlib.import_module(f"careroles.{info.name}")
        except ImportError:  # an optional dependency is missing
            continue
        for name, value in vars(module).items():
            if name.endswith("_LIFECYCLE") and isinstance(value, Lifecycle):
                found.setdefault(id(value), (f"{info.name}.{name}", value))
    return sorted(found.values(), key=lambda pair: pair[0])


LIFECYCLES = all_lifecycles()


def test_the_lifecycles_are_found() -> None:
    names = [name for name, _ in LIFECYCLES]
    assert "consent.CONSENT_LIFECYCLE" in names


_STAND_INS: dict[int, type[Record]] = {}


def stand_in_for(lifecycle: Lifecycle[Any]) -> type[Record]:
    """A minimal aggregate with just ``status`` and ``history`` for `lifecycle`'s statuses."""
    if id(lifecycle) not in _STAND_INS:
        statuses = lifecycle.statuses
        namespace = {
            "__annotations__": {
                "status": statuses,
                "history": tuple[TransitionRecord[statuses], ...],  # type: ignore[valid-type]
            },
            "status": lifecycle.initial,
            "history": (),
            "_rules": lambda self: check_history(self.status, self.history),
            "__module__": __name__,
        }
        name = f"StandIn_{lifecycle.subject}"
        _STAND_INS[id(lifecycle)] = model(type(name, (Record,), namespace))
    return _STAND_INS[id(lifecycle)]


def with_switchable_guards(lifecycle: Lifecycle[Any], switch: dict[str, bool]) -> Lifecycle[Any]:
    """The same table, each guard (same name and message) answering from `switch`.

    Real guards read domain fields the stand-in does not have; the switch lets the property
    exercise both a passing and a failing guard on every guarded row.
    """
    return attrs.evolve(
        lifecycle,
        actions=tuple(
            attrs.evolve(
                a,
                guards=tuple(
                    Guard(g.name, lambda _obj, _at: switch["ok"], g.message) for g in a.guards
                ),
            )
            for a in lifecycle.actions
        ),
    )


@pytest.mark.parametrize(("name", "lifecycle"), LIFECYCLES, ids=[n for n, _ in LIFECYCLES])
@given(data=st.data())
def test_any_sequence_of_attempts_keeps_the_aggregate_consistent_with_the_table(
    name: str, lifecycle: Lifecycle[Any], data: st.DataObject
) -> None:
    switch = {"ok": True}
    table = with_switchable_guards(lifecycle, switch)
    aggregate: Any = stand_in_for(lifecycle)()
    action_names = [a.name for a in lifecycle.actions] + ["no_such_action"]
    # starts just before New York's clocks go back: steps of an hour cross the repeated hour
    at = pendulum.datetime(2026, 11, 1, 0, 30, tz="America/New_York")
    last: pendulum.DateTime | None = None
    succeeded: list[str] = []
    n = data.draw(st.integers(0, 25), label="attempts")
    for _ in range(n):
        action = data.draw(st.sampled_from(action_names), label="action")
        role = data.draw(st.sampled_from(list(Role)), label="role")
        reason = data.draw(st.sampled_from([None, "", "  ", "because"]), label="reason")
        at = at.add(seconds=data.draw(st.sampled_from([-3600, 0, 60, 3600, 86400]), label="dt"))
        switch["ok"] = data.draw(st.booleans(), label="guards pass")
        expected = oracle(
            lifecycle, aggregate.status, action, role, reason, at, last, switch["ok"]
        )
        before_status, before_history = aggregate.status, aggregate.history
        by = Actor(member_id="m-1", role=role)
        refused: Exception | None = None
        try:
            after = table.apply(aggregate, action, by=by, at=at, reason=reason)
        except (TransitionError, PermissionDenied, ValidationError) as exc:
            refused = exc
        if refused is not None:
            assert type(refused) is expected, f"{action} by {role}: {type(refused).__name__}"
            # a refused action changes nothing
            assert aggregate.status is before_status
            assert aggregate.history is before_history
            continue
        assert expected is None, f"{action} by {role} should have raised {expected}"
        row = lifecycle.action(action)
        assert row is not None
        assert after.status is row.target
        assert after.history[:-1] == before_history
        assert after.history[-1].action == action
        succeeded.append(action)
        aggregate, last = after, at
    assert aggregate.status in lifecycle.reachable()
    assert [r.action for r in aggregate.history] == succeeded
    assert type(aggregate)(status=aggregate.status, history=aggregate.history) == aggregate


def oracle(
    lifecycle: Lifecycle[Any],
    status: Any,
    action: str,
    role: Role,
    reason: str | None,
    at: pendulum.DateTime,
    last: pendulum.DateTime | None,
    guards_pass: bool,
) -> type[Exception] | None:
    """What the table says should happen (None: success)."""
    row = lifecycle.action(action)
    if row is None:
        return TransitionError
    if role not in row.roles:
        return PermissionDenied
    if status not in row.sources:
        return TransitionError
    if row.requires_reason and not (reason and reason.strip()):
        return ValidationError
    if last is not None and at.timestamp() < last.timestamp():  # instants, not wall clocks
        return ValidationError
    if row.guards and not guards_pass:
        return TransitionError
    return None


def test_a_transition_record_checks_its_fields() -> None:
    bad: Any = {
        "action": "revoke",
        "from_status": "active",
        "to_status": ConsentStatus.REVOKED,
        "at": T0,
        "by": PATIENT,
        "reason": 3,
    }
    with pytest.raises(ValidationError) as info:
        TransitionRecord(**bad)
    assert info.value.messages == [
        "expected a status, got str @ $.from_status",
        "expected a string, got int @ $.reason",
    ]
