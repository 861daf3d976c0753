"""Team messages, progress updates to patient and family, update cadences."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles as cr
from careroles._model import evolve
from careroles.communications import (
    DISCLOSURE_KINDS,
    PERMISSIONS,
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
    due_instants,
    updates_due,
)
from careroles.periods import earlier
from careroles.strategies import messages, progress_updates, update_cadences

TZ = "America/New_York"
T0 = pendulum.datetime(2026, 3, 9, 9, tz=TZ)
SECRET = "Mrs Quinonez hates the new insulin"
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(TZ), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(TZ), fold=1)

Category = cr.InformationCategory


def member(
    member_id: str,
    role: cr.Role,
    end: pendulum.DateTime | None = None,
) -> cr.TeamMember:
    start = T0.subtract(days=30)
    return cr.TeamMember(member_id=member_id, role=role, period=cr.Period(start=start, end=end))


TEAM = cr.CareTeam(
    id="team-1",
    patient_id="pat-1",
    members=(
        member("coord-1", cr.Role.CARE_COORDINATOR),
        member("adv-1", cr.Role.PATIENT_ADVOCATE),
        member("doc-1", cr.Role.TREATING_PROVIDER),
        member("pat-1", cr.Role.PATIENT),
        member("former-1", cr.Role.CAREGIVER, end=T0.subtract(days=1)),
    ),
)
COORD = cr.Actor(member_id="coord-1", role=cr.Role.CARE_COORDINATOR)
ADVOCATE = cr.Actor(member_id="adv-1", role=cr.Role.PATIENT_ADVOCATE)
DOCTOR = cr.Actor(member_id="doc-1", role=cr.Role.TREATING_PROVIDER)
PATIENT = cr.Actor(member_id="pat-1", role=cr.Role.PATIENT)


def send_message(
    by: cr.Actor = COORD,
    recipients: tuple[str, ...] = ("doc-1", "adv-1"),
    at: pendulum.DateTime = T0,
    **kw: Any,
) -> Message:
    return Message.send(
        TEAM, id="msg-1", recipients=recipients, subject="Insulin", body=SECRET, by=by, at=at, **kw
    )


# --- messages ---------------------------------------------------------------------------------


def test_a_coordinator_sends_a_message_to_active_members_and_it_is_audited() -> None:
    msg = send_message(regarding=Regarding(kind=RegardingKind.PLAN, id="plan-1"))
    assert msg.care_team_id == "team-1"
    assert msg.sender == COORD
    assert msg.recipients == ("doc-1", "adv-1")
    assert msg.sent_at == T0
    assert [(h.action, h.by, h.at) for h in msg.history] == [("send", COORD, T0)]
    assert msg.unread() == ("doc-1", "adv-1")


def test_an_active_advocate_may_send_a_team_message() -> None:
    msg = send_message(by=ADVOCATE, recipients=("coord-1",))
    assert msg.sender.role is cr.Role.PATIENT_ADVOCATE


def test_every_role_may_send_a_team_message_by_default() -> None:
    for role in cr.Role:
        assert cr.DEFAULT_POLICY.allows(role, "message", "send")


def test_a_former_member_cannot_send_a_message() -> None:
    former = cr.Actor(member_id="former-1", role=cr.Role.CAREGIVER)
    with pytest.raises(cr.PermissionDenied) as err:
        send_message(by=former, recipients=("coord-1",))
    assert err.value.role == "caregiver"
    assert err.value.action == "send"
    assert "former-1" not in str(err.value)


def test_a_member_cannot_send_in_a_role_they_do_not_hold() -> None:
    posing = cr.Actor(member_id="adv-1", role=cr.Role.CARE_COORDINATOR)
    with pytest.raises(cr.PermissionDenied):
        send_message(by=posing, recipients=("coord-1",))


def test_a_stranger_cannot_send_a_message() -> None:
    stranger = cr.Actor(member_id="nobody", role=cr.Role.CARE_COORDINATOR)
    with pytest.raises(cr.PermissionDenied):
        send_message(by=stranger)


def test_a_policy_can_forbid_a_role_to_send_messages() -> None:
    policy = cr.DEFAULT_POLICY.replace("message", "send", {cr.Role.CARE_COORDINATOR})
    with pytest.raises(cr.PermissionDenied):
        send_message(by=ADVOCATE, recipients=("coord-1",), policy=policy)


def test_a_non_member_recipient_is_refused_by_index_not_by_name() -> None:
    with pytest.raises(cr.ValidationError) as err:
        send_message(recipients=("doc-1", "outsider-7", "former-1"))
    assert [(p.path, p.code) for p in err.value.problems] == [
        (("recipients", 1), "not_a_member"),
        (("recipients", 2), "not_a_member"),
    ]
    assert "outsider-7" not in str(err.value)
    assert "former-1" not in str(err.value)


def test_a_message_needs_a_recipient_and_no_duplicates() -> None:
    with pytest.raises(cr.ValidationError) as err:
        send_message(recipients=())
    assert err.value.problems[0].path == ("recipients",)
    with pytest.raises(cr.ValidationError) as err:
        send_message(recipients=("doc-1", "doc-1"))
    assert err.value.problems[0].code == "duplicate"


def test_recipients_given_as_one_string_are_refused() -> None:
    with pytest.raises(cr.ValidationError):
        Message.send(TEAM, id="m", recipients="doc-1", subject="s", body="b", by=COORD, at=T0)


def test_a_naive_send_instant_is_refused() -> None:
    with pytest.raises(cr.ValidationError) as err:
        send_message(at=dt.datetime(2026, 3, 9, 9))  # type: ignore[arg-type]
    assert err.value.problems[0].path == ("at",)


def test_a_recipient_marks_a_message_read() -> None:
    msg = send_message()
    later = T0.add(hours=2)
    read = msg.mark_read("doc-1", by=DOCTOR, at=later)
    assert read.read_by("doc-1") == ReadReceipt(member_id="doc-1", at=later)
    assert read.read_by("adv-1") is None
    assert read.unread() == ("adv-1",)
    assert read.history[-1].action == "mark_read"
    assert msg.read_receipts == ()  # the original is unchanged


def test_marking_read_twice_keeps_the_first_receipt() -> None:
    msg = send_message().mark_read("doc-1", by=DOCTOR, at=T0.add(hours=1))
    again = msg.mark_read("doc-1", by=DOCTOR, at=T0.add(hours=5))
    assert again == msg


def test_only_a_recipient_marks_a_message_read() -> None:
    msg = send_message(recipients=("doc-1",))
    with pytest.raises(cr.ValidationError) as err:
        msg.mark_read("adv-1", by=ADVOCATE, at=T0.add(hours=1))
    assert err.value.problems[0].code == "not_a_recipient"


def test_nobody_marks_a_message_read_for_someone_else() -> None:
    msg = send_message()
    with pytest.raises(cr.PermissionDenied):
        msg.mark_read("doc-1", by=COORD, at=T0.add(hours=1))


def test_a_message_cannot_be_read_before_it_was_sent() -> None:
    msg = send_message()
    with pytest.raises(cr.ValidationError) as err:
        msg.mark_read("doc-1", by=DOCTOR, at=T0.subtract(minutes=1))
    assert err.value.problems[0].code == "out_of_order"


def test_a_read_receipt_in_the_repeated_hour_after_sending_is_accepted() -> None:
    read = send_message(at=EDT_0159).mark_read("doc-1", by=DOCTOR, at=EST_0130)
    assert read.read_by("doc-1") == ReadReceipt(member_id="doc-1", at=EST_0130)


def test_a_message_with_inconsistent_receipts_is_refused() -> None:
    msg = send_message()
    with pytest.raises(cr.ValidationError) as err:
        evolve(
            msg,
            read_receipts=(
                ReadReceipt(member_id="coord-1", at=T0),
                ReadReceipt(member_id="doc-1", at=T0.subtract(hours=1)),
                ReadReceipt(member_id="doc-1", at=T0.add(hours=1)),
            ),
        )
    codes = {p.code for p in err.value.problems}
    assert {"not_a_recipient", "out_of_order", "duplicate"} <= codes


def test_message_subject_and_body_never_appear_in_repr_or_errors() -> None:
    msg = send_message()
    assert SECRET not in repr(msg)
    with pytest.raises(cr.ValidationError) as err:
        Message.send(
            TEAM, id="", recipients=("doc-1",), subject=SECRET, body=SECRET, by=COORD, at=T0
        )
    assert SECRET not in str(err.value)


def test_bad_message_input_is_a_validation_error() -> None:
    with pytest.raises(cr.ValidationError) as err:
        Message(
            id=1,  # type: ignore[arg-type]
            care_team_id="",
            sender=COORD,
            recipients=("doc-1",),
            subject="s",
            body="b",
            sent_at=dt.datetime(2026, 3, 9, 9),  # type: ignore[arg-type]
        )
    paths = {p.path for p in err.value.problems}
    assert {("id",), ("sent_at",)} <= paths
    with pytest.raises(cr.ValidationError):
        Regarding(kind="invoice", id="x")  # type: ignore[arg-type]
    with pytest.raises(cr.ValidationError):
        Regarding(kind=RegardingKind.CASE, id="")
    with pytest.raises(cr.ValidationError):
        ReadReceipt(member_id="", at=T0)
    with pytest.raises(cr.ValidationError):
        Message.send(
            TEAM,
            id="m",
            recipients=("doc-1",),
            subject="s",
            body="b",
            by=COORD,
            at=T0,
            in_reply_to="",
        )


def test_an_unknown_regarding_kind_is_refused_on_load() -> None:
    data = json.loads(cr.dumps(send_message(regarding=Regarding(kind=RegardingKind.PLAN, id="p"))))
    data["regarding"]["kind"] = "invoice"
    with pytest.raises(cr.ValidationError):
        cr.loads(json.dumps(data), Message)


def test_a_message_round_trips_as_a_document() -> None:
    msg = send_message(in_reply_to="msg-0").mark_read("adv-1", by=ADVOCATE, at=T0.add(hours=1))
    text = cr.dumps(msg)
    assert json.loads(text)["$type"] == "Message"
    assert cr.loads(text, Message) == msg


@given(messages())
def test_drawn_messages_have_receipts_only_from_recipients_after_sending(msg: Message) -> None:
    for receipt in msg.read_receipts:
        assert receipt.member_id in msg.recipients
        assert not earlier(receipt.at, msg.sent_at)
    assert set(msg.unread()) | {r.member_id for r in msg.read_receipts} == set(msg.recipients)


# --- progress updates -------------------------------------------------------------------------


def consent(
    grantee: str,
    categories: set[cr.InformationCategory],
    kind: cr.ConsentKind = cr.ConsentKind.FAMILY_INVOLVEMENT,
    patient_id: str = "pat-1",
    end: pendulum.DateTime | None = None,
) -> cr.Consent:
    start = T0.subtract(days=10)
    return cr.Consent(
        id=f"k-{grantee}-{kind.value}",
        patient_id=patient_id,
        kind=kind,
        grantor=PATIENT,
        grantee_id=grantee,
        categories=frozenset(categories),
        period=cr.Period(start=start, end=end),
    )


DAUGHTER = UpdateRecipient(kind=RecipientKind.CONTACT, contact_id="daughter-1")
SELF = UpdateRecipient(kind=RecipientKind.PATIENT)


def draft(
    recipients: tuple[UpdateRecipient, ...] = (SELF, DAUGHTER),
    items: tuple[UpdateItem, ...] | None = None,
) -> ProgressUpdate:
    if items is None:
        items = (
            UpdateItem(
                section=UpdateSection.PLAN_CHANGES, category=Category.CARE_PLAN, text=SECRET
            ),
            UpdateItem(
                section=UpdateSection.UPCOMING_APPOINTMENTS,
                category=Category.APPOINTMENTS,
                text="Cardiology on Tuesday",
            ),
        )
    return ProgressUpdate(
        id="u-1",
        patient_id="pat-1",
        plan_id="plan-1",
        author=COORD,
        recipients=recipients,
        items=items,
    )


def test_a_new_update_is_a_draft_with_the_categories_of_its_items() -> None:
    update = draft()
    assert update.status is UpdateStatus.DRAFT
    assert update.sent_at is None
    assert update.categories == {Category.CARE_PLAN, Category.APPOINTMENTS}
    assert update.contact_ids() == ("daughter-1",)


def test_a_coordinator_sends_an_update_to_family_with_consent_for_every_category() -> None:
    consents = [consent("daughter-1", {Category.CARE_PLAN, Category.APPOINTMENTS})]
    sent = draft().send(consents=consents, by=COORD, at=T0)
    assert sent.status is UpdateStatus.SENT
    assert sent.sent_at == T0
    assert [(h.action, h.from_status, h.to_status, h.by) for h in sent.history] == [
        ("send", UpdateStatus.DRAFT, UpdateStatus.SENT, COORD)
    ]


def test_the_patient_needs_no_consent_to_receive_an_update() -> None:
    sent = draft(recipients=(SELF,)).send(by=COORD, at=T0)
    assert sent.status is UpdateStatus.SENT


def test_family_without_consent_for_one_category_is_refused_naming_that_category() -> None:
    consents = [consent("daughter-1", {Category.CARE_PLAN})]
    with pytest.raises(cr.PermissionDenied) as err:
        draft().send(consents=consents, by=COORD, at=T0)
    text = str(err.value)
    assert "appointments" in text
    assert "$.recipients[1]" in text
    assert "care_plan" not in text.split("cover", 1)[1]
    assert err.value.role == "care_coordinator"
    assert err.value.action == "send"
    assert "daughter-1" not in text
    assert SECRET not in text


def test_missing_consent_lists_every_recipient_and_category() -> None:
    son = UpdateRecipient(kind=RecipientKind.CONTACT, contact_id="son-1")
    update = draft(recipients=(DAUGHTER, SELF, son))
    consents = [consent("daughter-1", {Category.CARE_PLAN})]
    assert update.missing_consent(consents, T0) == (
        (0, Category.APPOINTMENTS),
        (2, Category.APPOINTMENTS),
        (2, Category.CARE_PLAN),
    )


def test_consent_is_checked_at_the_instant_of_sending() -> None:
    consents = [
        consent("daughter-1", {Category.CARE_PLAN, Category.APPOINTMENTS}, end=T0.add(days=1))
    ]
    assert draft().send(consents=consents, by=COORD, at=T0).status is UpdateStatus.SENT
    with pytest.raises(cr.PermissionDenied) as err:
        draft().send(consents=consents, by=COORD, at=T0.add(days=2))
    assert "care_plan" in str(err.value)


def test_a_revoked_consent_no_longer_lets_family_receive_updates() -> None:
    granted = consent("daughter-1", {Category.CARE_PLAN, Category.APPOINTMENTS})
    revoked = granted.revoke(by=PATIENT, at=T0.subtract(hours=1))
    with pytest.raises(cr.PermissionDenied):
        draft().send(consents=[revoked], by=COORD, at=T0)


def test_another_patients_consent_does_not_count() -> None:
    other = consent("daughter-1", {Category.CARE_PLAN, Category.APPOINTMENTS}, patient_id="pat-2")
    with pytest.raises(cr.PermissionDenied):
        draft().send(consents=[other], by=COORD, at=T0)


def test_a_program_consent_does_not_let_family_receive_updates() -> None:
    program = consent(
        "daughter-1", {Category.CARE_PLAN, Category.APPOINTMENTS}, kind=cr.ConsentKind.PROGRAM
    )
    assert cr.ConsentKind.PROGRAM not in DISCLOSURE_KINDS
    with pytest.raises(cr.PermissionDenied):
        draft().send(consents=[program], by=COORD, at=T0)


@pytest.mark.parametrize("actor", [ADVOCATE, DOCTOR, PATIENT])
def test_only_a_care_coordinator_sends_progress_updates(actor: cr.Actor) -> None:
    with pytest.raises(cr.PermissionDenied) as err:
        draft(recipients=(SELF,)).send(by=actor, at=T0)
    assert err.value.role == actor.role.value


def test_the_role_is_checked_before_the_consent() -> None:
    with pytest.raises(cr.PermissionDenied) as err:
        draft().send(by=ADVOCATE, at=T0)
    assert err.value.reason == ""


def test_an_update_is_sent_once() -> None:
    sent = draft(recipients=(SELF,)).send(by=COORD, at=T0)
    with pytest.raises(cr.TransitionError):
        sent.send(by=COORD, at=T0.add(hours=1))


def test_an_update_without_recipients_or_items_cannot_be_sent() -> None:
    with pytest.raises(cr.TransitionError) as err:
        draft(recipients=()).send(by=COORD, at=T0)
    assert "recipient" in err.value.reason
    with pytest.raises(cr.TransitionError) as err:
        draft(recipients=(SELF,), items=()).send(by=COORD, at=T0)
    assert "item" in err.value.reason


def test_update_send_policy_row_is_in_the_default_policy() -> None:
    assert cr.DEFAULT_POLICY.roles_for("progress_update", "send") == {cr.Role.CARE_COORDINATOR}
    assert PROGRESS_UPDATE_LIFECYCLE.permissions()[0].action == "send"
    assert {(p.subject, p.action) for p in PERMISSIONS} == {
        ("message", "send"),
        ("message", "mark_read"),
    }


def test_bad_update_input_is_a_validation_error() -> None:
    with pytest.raises(cr.ValidationError) as err:
        ProgressUpdate(
            id="",
            patient_id="pat-1",
            plan_id="plan-1",
            author=COORD,
            recipients=(SELF, SELF),
            status=UpdateStatus.SENT,
        )
    codes = {(p.path, p.code) for p in err.value.problems}
    assert (("id",), "empty") in codes
    assert (("recipients", 1), "duplicate") in codes
    assert (("sent_at",), "sent_at") in codes
    with pytest.raises(cr.ValidationError):
        UpdateRecipient(kind=RecipientKind.CONTACT)
    with pytest.raises(cr.ValidationError):
        UpdateRecipient(kind=RecipientKind.PATIENT, contact_id="c-1")
    with pytest.raises(cr.ValidationError):
        UpdateItem(section="news", category=Category.CLINICAL, text="x")  # type: ignore[arg-type]
    with pytest.raises(cr.ValidationError):
        ProgressUpdate(
            id="u",
            patient_id="p",
            plan_id="cp",
            author=COORD,
            sent_at=dt.datetime(2026, 1, 1),  # type: ignore[arg-type]
        )


def test_a_sent_update_with_a_forged_history_is_refused() -> None:
    sent = draft(recipients=(SELF,)).send(by=COORD, at=T0)
    with pytest.raises(cr.ValidationError):
        evolve(sent, sent_at=T0.add(days=1))
    with pytest.raises(cr.ValidationError):
        evolve(sent, history=())


def test_an_unknown_update_category_is_refused_on_load() -> None:
    data = json.loads(cr.dumps(draft()))
    data["items"][0]["category"] = "gossip"
    with pytest.raises(cr.ValidationError):
        cr.loads(json.dumps(data), ProgressUpdate)


def test_update_text_never_appears_in_repr() -> None:
    assert SECRET not in repr(draft())
    assert SECRET not in repr(draft().items[0])


@given(progress_updates())
def test_drawn_sent_updates_have_a_consistent_history(update: ProgressUpdate) -> None:
    if update.status is UpdateStatus.SENT:
        assert update.history[-1].at == update.sent_at
        assert update.recipients
        assert update.items
    else:
        assert update.history == ()
        assert update.sent_at is None


# --- cadence and updates_due ------------------------------------------------------------------

WEEKLY = UpdateCadence(plan_id="plan-1", every=pendulum.duration(weeks=1), start=T0)


def sent_update(at: pendulum.DateTime, plan_id: str = "plan-1", n: int = 0) -> ProgressUpdate:
    return ProgressUpdate(
        id=f"u-{n}",
        patient_id="pat-1",
        plan_id=plan_id,
        author=COORD,
        recipients=(SELF,),
        items=draft().items,
    ).send(by=COORD, at=at)


def test_nothing_is_due_before_the_first_interval_has_passed() -> None:
    assert updates_due(WEEKLY, [], T0.add(days=6, hours=23)) == ()


def test_a_due_instant_with_no_update_in_its_window_is_reported() -> None:
    assert updates_due(WEEKLY, [], T0.add(weeks=1)) == (T0.add(weeks=1),)
    assert updates_due(WEEKLY, [], T0.add(weeks=3, days=1)) == (
        T0.add(weeks=1),
        T0.add(weeks=2),
        T0.add(weeks=3),
    )


def test_an_update_in_the_window_covers_the_due_instant() -> None:
    updates = [sent_update(T0.add(days=3))]
    assert updates_due(WEEKLY, updates, T0.add(weeks=1, days=1)) == ()


def test_an_update_sent_exactly_at_the_due_instant_is_on_time() -> None:
    updates = [sent_update(T0.add(weeks=1))]
    assert updates_due(WEEKLY, updates, T0.add(weeks=2)) == (T0.add(weeks=2),)


def test_an_update_sent_at_the_start_covers_the_first_due_instant() -> None:
    assert updates_due(WEEKLY, [sent_update(T0)], T0.add(weeks=1)) == ()


def test_a_late_update_counts_for_the_next_due_instant_and_the_miss_stays() -> None:
    updates = [sent_update(T0.add(weeks=1, days=1))]
    assert updates_due(WEEKLY, updates, T0.add(weeks=2)) == (T0.add(weeks=1),)


def test_two_updates_in_one_window_cover_only_that_window() -> None:
    updates = [sent_update(T0.add(days=1), n=1), sent_update(T0.add(days=2), n=2)]
    assert updates_due(WEEKLY, updates, T0.add(weeks=2)) == (T0.add(weeks=2),)


def test_drafts_other_plans_and_future_updates_do_not_cover() -> None:
    updates = [
        draft(),
        sent_update(T0.add(days=2), plan_id="plan-2"),
        sent_update(T0.add(days=9)),
    ]
    assert updates_due(WEEKLY, updates, T0.add(days=8)) == (T0.add(weeks=1),)


def test_an_update_before_the_cadence_starts_does_not_cover() -> None:
    assert updates_due(WEEKLY, [sent_update(T0.subtract(hours=1))], T0.add(weeks=1)) == (
        T0.add(weeks=1),
    )


def test_a_weekly_cadence_keeps_the_wall_clock_time_across_dst() -> None:
    start = pendulum.datetime(2026, 3, 2, 9, tz=TZ)  # DST starts 2026-03-08
    cadence = UpdateCadence(plan_id="plan-1", every=pendulum.duration(weeks=1), start=start)
    due = due_instants(cadence, start.add(weeks=2))
    assert [d.hour for d in due] == [9, 9]
    assert due[0] - start != pendulum.duration(weeks=1)  # 167 elapsed hours, not 168


def test_a_monthly_cadence_clamps_at_month_ends_without_drifting() -> None:
    start = pendulum.datetime(2026, 1, 31, 9, tz=TZ)
    cadence = UpdateCadence(plan_id="plan-1", every=pendulum.duration(months=1), start=start)
    due = due_instants(cadence, pendulum.datetime(2026, 4, 30, 12, tz=TZ))
    assert [(d.month, d.day) for d in due] == [(2, 28), (3, 31), (4, 30)]


def test_the_cadence_ends_at_until() -> None:
    cadence = UpdateCadence(
        plan_id="plan-1", every=pendulum.duration(weeks=1), start=T0, until=T0.add(weeks=2)
    )
    assert updates_due(cadence, [], T0.add(weeks=5)) == (T0.add(weeks=1),)


def test_an_update_sent_in_the_repeated_hour_before_the_due_instant_covers_it() -> None:
    start = pendulum.datetime(2026, 10, 31, 1, 30, tz=TZ)
    cadence = UpdateCadence(plan_id="plan-1", every=pendulum.duration(days=1), start=start)
    due = cadence.due_at(1)  # 01:30 EST on 1 November
    sent = EDT_0159.subtract(minutes=9)  # 01:50 EDT: 40 minutes before it
    assert due.timestamp() - sent.timestamp() == 40 * 60
    as_of = due.add(hours=1)
    assert updates_due(cadence, [], as_of) == (due,)
    assert updates_due(cadence, [sent_update(sent)], as_of) == ()


def test_a_cadence_ending_in_the_repeated_hour_owes_nothing_after_it_ends() -> None:
    until = EDT_0159.subtract(minutes=9)  # 01:50 EDT, 40 minutes before 01:30 EST
    cadence = UpdateCadence(
        plan_id="plan-1",
        every=pendulum.duration(days=1),
        start=pendulum.datetime(2026, 10, 31, 1, 30, tz=TZ),
        until=until,
    )
    assert due_instants(cadence, until.add(days=1)) == ()


def test_bad_cadences_are_refused() -> None:
    for every in (
        pendulum.duration(hours=23),
        pendulum.duration(days=0),
        pendulum.duration(days=-7),
    ):
        with pytest.raises(cr.ValidationError) as err:
            UpdateCadence(plan_id="plan-1", every=every, start=T0)
        assert err.value.problems[0].path == ("every",)
    with pytest.raises(cr.ValidationError):
        UpdateCadence(
            plan_id="plan-1", every=pendulum.duration(weeks=1), start=T0, until=T0.subtract(days=1)
        )
    with pytest.raises(cr.ValidationError):
        UpdateCadence(plan_id="", every=pendulum.duration(weeks=1), start=dt.datetime(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(cr.ValidationError):
        updates_due(WEEKLY, [], dt.datetime(2026, 5, 1))  # type: ignore[arg-type]


@given(
    update_cadences(),
    st.lists(st.integers(0, 60 * 24 * 400), max_size=8),
    st.integers(0, 60 * 24 * 400),
)
def test_updates_due_matches_the_window_definition(
    cadence: UpdateCadence, offsets: list[int], horizon: int
) -> None:
    as_of = cadence.start.add(minutes=horizon)
    updates = [
        sent_update(cadence.start.add(minutes=m), plan_id=cadence.plan_id, n=i)
        for i, m in enumerate(offsets)
    ]
    sent = [cadence.start.add(minutes=m) for m in offsets]
    expected = []
    for k, d in enumerate(due_instants(cadence, as_of), start=1):
        low = cadence.due_at(k - 1)
        in_window = [
            t
            for t in sent
            if (not earlier(t, low) if k == 1 else earlier(low, t)) and not earlier(d, t)
        ]
        if not in_window:
            expected.append(d)
    assert updates_due(cadence, updates, as_of) == tuple(expected)


def test_a_cadence_with_a_malformed_duration_or_naive_start_is_refused_on_load() -> None:
    data = json.loads(cr.dumps(WEEKLY))
    assert cr.loads(json.dumps(data), UpdateCadence) == WEEKLY
    for key, value in (("every", "P1X"), ("start", "2026-03-09T09:00:00"), ("every", "PT1H")):
        bad = dict(data, **{key: value})
        with pytest.raises(cr.ValidationError):
            cr.loads(json.dumps(bad), UpdateCadence)


def test_unknown_recipient_kind_or_status_is_refused_on_load() -> None:
    data = json.loads(cr.dumps(draft()))
    for patch in ({"status": "archived"}, {"recipients": [{"kind": "neighbour"}]}):
        with pytest.raises(cr.ValidationError):
            cr.loads(json.dumps(dict(data, **patch)), ProgressUpdate)


def test_wrongly_typed_arguments_to_operations_are_validation_errors() -> None:
    with pytest.raises(cr.ValidationError):
        Message.send(
            "team-1",  # type: ignore[arg-type]
            id="m",
            recipients=("doc-1",),
            subject="s",
            body="b",
            by=COORD,
            at=T0,
        )
    with pytest.raises(cr.ValidationError):
        draft().send(consents=["consent-1"], by=COORD, at=T0)  # type: ignore[list-item]
    with pytest.raises(cr.ValidationError):
        updates_due(WEEKLY, ["u-1"], T0.add(weeks=2))  # type: ignore[list-item]
    with pytest.raises(cr.ValidationError):
        due_instants("weekly", T0)  # type: ignore[arg-type]
