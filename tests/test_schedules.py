"""Schedules: conflicts (against a brute-force oracle), upcoming, DST-safe reminder times."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careroles
from careroles import (
    Actor,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CancellationReason,
    Conflict,
    ConflictKind,
    ContactChannel,
    ContactHours,
    Patient,
    Preferences,
    Role,
    Schedule,
    ValidationError,
    reminder_times,
)
from careroles.appointments import Cancellation, NoShowFollowUp, is_late_cancellation
from careroles.periods import earlier, instant
from careroles.schedules import IGNORED_STATUSES
from careroles.strategies import contact_hours, schedules, zones

NY = "America/New_York"
PARIS = "Europe/Paris"
BASE = pendulum.datetime(2026, 3, 9, 9, tz=NY)
# The repeated hour of the 2026 fall-back: 01:30 EST is 31 minutes after 01:59 EDT.
EDT_0159 = pendulum.DateTime(2026, 11, 1, 1, 59, tzinfo=pendulum.timezone(NY), fold=0)
EST_0130 = pendulum.DateTime(2026, 11, 1, 1, 30, tzinfo=pendulum.timezone(NY), fold=1)
CC = Actor(member_id="m-cc", role=Role.CARE_COORDINATOR)
P = "p-1"


def appt(
    ident: str,
    start: pendulum.DateTime,
    minutes: int = 60,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
) -> Appointment:
    """A stored appointment (built directly, as when loading) in any status."""
    extra: dict[str, Any] = {}
    if status is AppointmentStatus.CANCELLED:
        at = start.subtract(hours=30)
        extra["cancellation"] = Cancellation(
            reason=CancellationReason.OTHER, at=at, late=is_late_cancellation(start, at)
        )
    if status is AppointmentStatus.NOSHOW:
        extra["follow_up"] = NoShowFollowUp(opened_at=start.add(minutes=minutes))
    return Appointment(
        id=ident,
        patient_id=P,
        kind=AppointmentKind.TREATMENT,
        start=start,
        end=start.add(minutes=minutes),
        status=status,
        **extra,
    )


def pairs(conflicts: tuple[Conflict, ...]) -> set[tuple[str, str, ConflictKind]]:
    return {(c.first_id, c.second_id, c.kind) for c in conflicts}


# --- conflicts -------------------------------------------------------------------------------


def test_overlapping_appointments_conflict_and_back_to_back_ones_do_not() -> None:
    a = appt("a", BASE)
    b = appt("b", BASE.add(minutes=30))
    c = appt("c", BASE.add(hours=1))  # starts when a ends
    schedule = Schedule(patient_id=P, appointments=(c, b, a))
    assert schedule.conflicts() == (
        Conflict(first_id="a", second_id="b", kind=ConflictKind.OVERLAP),
        Conflict(first_id="b", second_id="c", kind=ConflictKind.OVERLAP),
    )


def test_a_travel_buffer_reports_appointments_too_close_together() -> None:
    a = appt("a", BASE)
    c = appt("c", BASE.add(minutes=80))  # 20 minutes after a ends
    schedule = Schedule(patient_id=P, appointments=(a, c))
    assert schedule.conflicts() == ()
    assert pairs(schedule.conflicts(pendulum.duration(minutes=30))) == {
        ("a", "c", ConflictKind.TRAVEL_BUFFER)
    }
    assert schedule.conflicts(pendulum.duration(minutes=20)) == ()


def test_appointments_in_different_zones_are_compared_as_instants() -> None:
    a = appt("a", BASE)  # 09:00 New York = 14:00 Paris (13:00 UTC)
    b = appt("b", pendulum.datetime(2026, 3, 9, 14, 30, tz=PARIS))
    assert pairs(Schedule(patient_id=P, appointments=(a, b)).conflicts()) == {
        ("a", "b", ConflictKind.OVERLAP)
    }


@pytest.mark.parametrize("status", sorted(IGNORED_STATUSES))
def test_cancelled_no_show_and_entered_in_error_appointments_never_conflict(
    status: AppointmentStatus,
) -> None:
    schedule = Schedule(
        patient_id=P, appointments=(appt("a", BASE), appt("b", BASE, status=status))
    )
    assert schedule.conflicts() == ()


def test_every_pair_in_a_pile_up_is_reported_once() -> None:
    pile = tuple(appt(f"a{i}", BASE.add(minutes=i), minutes=120) for i in range(5))
    got = Schedule(patient_id=P, appointments=pile).conflicts()
    assert len(got) == 10
    assert len({(c.first_id, c.second_id) for c in got}) == 10


def test_a_travel_buffer_must_be_a_plain_non_negative_duration() -> None:
    schedule = Schedule(patient_id=P, appointments=(appt("a", BASE),))
    for bad in (pendulum.duration(minutes=-5), pendulum.duration(months=1), 30):
        with pytest.raises(ValidationError):
            schedule.conflicts(bad)  # type: ignore[arg-type]


STATUSES = st.sampled_from(list(AppointmentStatus))


@st.composite
def piles(draw: st.DrawFn) -> tuple[list[Appointment], pendulum.Duration | None]:
    n = draw(st.integers(min_value=0, max_value=14))
    zone = draw(zones())
    base = pendulum.datetime(2026, 3, 7, 22, tz=zone)
    items = [
        appt(
            f"a{i:02d}",
            # quarter-hour grid: touching and equal starts and ends are common
            base.add(minutes=15 * draw(st.integers(min_value=0, max_value=4 * 24))),
            minutes=15 * draw(st.integers(min_value=1, max_value=12)),
            status=draw(STATUSES),
        )
        for i in range(n)
    ]
    buffer = draw(
        st.none()
        | st.integers(min_value=0, max_value=8).map(lambda q: pendulum.duration(minutes=15 * q))
    )
    return items, buffer


def oracle(
    items: list[Appointment], buffer: pendulum.Duration | None
) -> set[tuple[str, str, ConflictKind]]:
    """All pairs, compared the slow way."""
    pad = buffer or pendulum.duration()
    counted = [a for a in items if a.status not in IGNORED_STATUSES]
    out = set()
    for i, a in enumerate(counted):
        for b in counted[i + 1 :]:
            if earlier(a.start, b.end + pad) and earlier(b.start, a.end + pad):
                first, second = sorted(
                    (a, b), key=lambda x: (instant(x.start), instant(x.end), x.id)
                )
                overlap = earlier(a.start, b.end) and earlier(b.start, a.end)
                kind = ConflictKind.OVERLAP if overlap else ConflictKind.TRAVEL_BUFFER
                out.add((first.id, second.id, kind))
    return out


@given(piles())
def test_conflicts_are_exactly_the_pairs_a_brute_force_comparison_finds(
    pile: tuple[list[Appointment], pendulum.Duration | None],
) -> None:
    items, buffer = pile
    got = Schedule(patient_id=P, appointments=tuple(items)).conflicts(buffer)
    assert len(got) == len(set(got))
    assert pairs(got) == oracle(items, buffer)
    by_id = {a.id: a for a in items}
    order = [
        (instant(by_id[c.second_id].start), instant(by_id[c.second_id].end), c.second_id)
        for c in got
    ]
    assert order == sorted(order)


# --- the schedule value ----------------------------------------------------------------------


def test_a_schedule_holds_one_patients_appointments_with_unique_ids() -> None:
    other = Appointment(
        id="x", patient_id="p-2", kind=AppointmentKind.TREATMENT, start=BASE, end=BASE.add(hours=1)
    )
    with pytest.raises(ValidationError) as err:
        Schedule(patient_id=P, appointments=(appt("a", BASE), appt("a", BASE), other))
    assert {p.code for p in err.value.problems} == {"duplicate", "patient"}
    with pytest.raises(ValidationError):
        Schedule(patient_id="", appointments=())
    with pytest.raises(ValidationError):
        Schedule(patient_id=P, appointments=["a"])  # type: ignore[arg-type]


def test_a_schedule_loads_back_equal_and_refuses_unknown_keys() -> None:
    schedule = Schedule(patient_id=P, appointments=(appt("a", BASE),))
    text = careroles.dumps(schedule)
    assert careroles.loads(text, Schedule) == schedule
    with pytest.raises(ValidationError):
        careroles.loads(text.replace('"patient_id"', '"patient"', 1), Schedule)


def test_upcoming_lists_what_is_still_to_come_in_start_order() -> None:
    items = (
        appt("later", BASE.add(days=5)),
        appt("soon", BASE.add(hours=2), status=AppointmentStatus.PROPOSED),
        appt("past", BASE.subtract(days=1), status=AppointmentStatus.FULFILLED),
        appt("gone", BASE.add(days=1), status=AppointmentStatus.CANCELLED),
        appt("now", BASE),
        appt("arrived", BASE.add(hours=1), status=AppointmentStatus.ARRIVED),
    )
    schedule = Schedule(patient_id=P, appointments=items)
    assert [a.id for a in schedule.upcoming(BASE)] == ["now", "soon", "later"]
    assert [a.id for a in schedule.upcoming(BASE, within=pendulum.duration(days=1))] == [
        "now",
        "soon",
    ]
    with pytest.raises(ValidationError):
        schedule.upcoming(pendulum.naive(2026, 3, 9))


def test_the_chain_of_a_schedule_appointment_is_found() -> None:
    first = Appointment.propose(
        id="a",
        patient_id=P,
        kind=AppointmentKind.TREATMENT,
        start=BASE,
        end=BASE.add(hours=1),
        by=CC,
        at=BASE.subtract(days=3),
    )
    old, new = first.reschedule(
        "b", BASE.add(days=1), BASE.add(days=1, hours=1), by=CC, at=BASE.subtract(days=2)
    )
    schedule = Schedule(patient_id=P, appointments=(new, old))
    assert [a.id for a in schedule.chain("b")] == ["a", "b"]
    assert schedule.appointment("a") == old
    with pytest.raises(ValidationError):
        schedule.appointment("zz")


# --- reminder times --------------------------------------------------------------------------


def patient(zone: str = NY, hours: ContactHours | None = None, **prefs: Any) -> Patient:
    return Patient(
        id=P,
        name="Ana Lopez",
        time_zone=zone,
        preferences=Preferences(contact_hours=hours, **prefs),
    )


EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))


def hours(start: int, end: int, days: frozenset[int] = EVERY_DAY) -> ContactHours:
    return ContactHours(start=pendulum.Time(start), end=pendulum.Time(end), days=days)


def at(
    zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=zone)


def test_reminders_one_and_two_days_before_keep_the_wall_clock_across_spring_forward() -> None:
    # New York springs forward at 02:00 on Sunday 2026-03-08
    start = at(NY, 2026, 3, 9, 9)
    got = reminder_times(appt("a", start), patient(hours=hours(8, 18)))
    assert got == (at(NY, 2026, 3, 7, 9), at(NY, 2026, 3, 8, 9))
    assert [t.utcoffset().total_seconds() / 3600 for t in got] == [-5, -4]  # type: ignore[union-attr]
    assert all(t.timezone_name == NY for t in got)


def test_reminders_keep_the_wall_clock_across_fall_back() -> None:
    # New York falls back at 02:00 on Sunday 2026-11-01
    start = at(NY, 2026, 11, 2, 9)
    got = reminder_times(appt("a", start), patient(hours=hours(8, 18)))
    assert got == (at(NY, 2026, 10, 31, 9), at(NY, 2026, 11, 1, 9))
    assert got[1] - got[0] == pendulum.duration(hours=25)


def test_a_reminder_never_lands_on_a_wall_time_skipped_by_spring_forward() -> None:
    # contact hours 02:00-03:00 do not exist on 2026-03-08 in New York
    start = at(NY, 2026, 3, 9, 2, 30)
    got = reminder_times(
        appt("a", start), patient(hours=hours(2, 3)), (pendulum.duration(days=1),)
    )
    assert got == (at(NY, 2026, 3, 7, 2, 30),)


def test_a_reminder_in_the_repeated_hour_of_fall_back_is_inside_hours() -> None:
    start = at(NY, 2026, 11, 2, 1, 30)
    (got,) = reminder_times(
        appt("a", start), patient(hours=hours(1, 2)), (pendulum.duration(days=1),)
    )
    assert (got.date(), got.hour, got.minute) == (pendulum.date(2026, 11, 1), 1, 30)


def test_reminders_before_a_start_in_the_repeated_hour_are_kept_earliest_first() -> None:
    leads = (pendulum.duration(minutes=20), pendulum.duration(minutes=45))
    got = reminder_times(appt("a", EST_0130), patient(), leads)  # 01:45 EDT, then 01:10 EST
    assert [t.timestamp() - EST_0130.timestamp() for t in got] == [-45 * 60, -20 * 60]


def test_two_reminders_in_the_repeated_hour_come_in_time_line_order() -> None:
    start = EST_0130.add(hours=1)  # 02:30 EST
    leads = (pendulum.duration(minutes=45), pendulum.duration(minutes=100))
    got = reminder_times(appt("a", start), patient(), leads)  # 01:50 EDT, then 01:45 EST
    assert [t.timestamp() - start.timestamp() for t in got] == [-100 * 60, -45 * 60]


def test_two_reminders_an_hour_apart_on_one_wall_clock_are_both_kept() -> None:
    start = EST_0130.add(hours=1)  # 02:30 EST
    leads = (pendulum.duration(minutes=60), pendulum.duration(minutes=120))
    got = reminder_times(appt("a", start), patient(), leads)  # 01:30 EDT and 01:30 EST
    assert [t.timestamp() - start.timestamp() for t in got] == [-120 * 60, -60 * 60]
    assert [t.fold for t in got] == [0, 1]


def test_not_before_in_the_repeated_hour_keeps_only_the_later_instants() -> None:
    leads = (pendulum.duration(minutes=20), pendulum.duration(minutes=45))
    got = reminder_times(appt("a", EST_0130), patient(), leads, not_before=EDT_0159)
    assert [t.timestamp() for t in got] == [EST_0130.subtract(minutes=20).timestamp()]


def test_a_reminder_outside_hours_moves_earlier_to_the_latest_slot() -> None:
    # Tuesday 08:00 appointment: Monday 08:00 is before hours, so Friday 16:30
    start = at(NY, 2026, 3, 10, 8)
    got = reminder_times(
        appt("a", start), patient(hours=hours(9, 17, WEEKDAYS)), (pendulum.duration(days=1),)
    )
    assert got == (at(NY, 2026, 3, 6, 16, 30),)
    late_evening = reminder_times(
        appt("b", at(NY, 2026, 3, 11, 20)),
        patient(hours=hours(9, 17, WEEKDAYS)),
        (pendulum.duration(days=1),),
    )
    assert late_evening == (at(NY, 2026, 3, 10, 16, 30),)


def test_paris_weekend_reminders_across_its_dst_change_move_to_friday_once() -> None:
    # Paris springs forward on Sunday 2026-03-29; the appointment is Monday 08:00
    start = at(PARIS, 2026, 3, 30, 8)
    got = reminder_times(appt("a", start), patient(PARIS, hours(9, 18, WEEKDAYS)))
    assert got == (at(PARIS, 2026, 3, 27, 17, 30),)
    assert got[0].utcoffset() == pendulum.duration(hours=1)


def test_reminders_are_in_the_patients_zone_not_the_appointments() -> None:
    start = at(NY, 2026, 3, 31, 9)  # 15:00 in Paris
    got = reminder_times(
        appt("a", start), patient(PARIS, hours(9, 18)), (pendulum.duration(days=1),)
    )
    assert got == (at(PARIS, 2026, 3, 30, 15),)
    assert got[0].timezone_name == PARIS


def test_a_short_contact_window_uses_its_start() -> None:
    start = at(NY, 2026, 3, 12, 7)
    window = ContactHours(start=pendulum.Time(9), end=pendulum.Time(9, 15), days=EVERY_DAY)
    assert reminder_times(
        appt("a", start), patient(hours=window), (pendulum.duration(days=1),)
    ) == (at(NY, 2026, 3, 10, 9),)


def test_no_reminders_for_a_patient_who_chose_do_not_contact() -> None:
    who = patient(hours=hours(8, 18), contact_channels=(ContactChannel.DO_NOT_CONTACT,))
    assert reminder_times(appt("a", BASE), who) == ()


def test_no_reminders_for_an_appointment_no_longer_to_come() -> None:
    for status in (
        AppointmentStatus.CANCELLED,
        AppointmentStatus.FULFILLED,
        AppointmentStatus.NOSHOW,
    ):
        assert reminder_times(appt("a", BASE, status=status), patient()) == ()


def test_without_contact_hours_the_naive_times_are_returned_and_not_before_filters() -> None:
    got = reminder_times(
        appt("a", BASE), patient(), (pendulum.duration(hours=2), pendulum.duration(days=1))
    )
    assert got == (at(NY, 2026, 3, 8, 9), at(NY, 2026, 3, 9, 7))
    later = reminder_times(appt("a", BASE), patient(), not_before=at(NY, 2026, 3, 8, 12))
    assert later == ()


def test_reminder_times_refuse_bad_input() -> None:
    a = appt("a", BASE)
    for leads in (
        (pendulum.duration(),),
        (pendulum.duration(days=-1),),
        (pendulum.duration(months=1),),
    ):
        with pytest.raises(ValidationError):
            reminder_times(a, patient(), leads)
    with pytest.raises(ValidationError):
        reminder_times(a, patient(), slot=pendulum.duration())
    other = Patient(id="p-2", name="B", time_zone=NY)
    with pytest.raises(ValidationError, match="another patient"):
        reminder_times(a, other)
    with pytest.raises(ValidationError):
        reminder_times("a", patient())  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        reminder_times(a, patient(), not_before=pendulum.naive(2026, 3, 1))
    schedule = Schedule(patient_id=P, appointments=(a,))
    with pytest.raises(ValidationError, match="not an appointment of this schedule"):
        schedule.reminder_times(appt("b", BASE), patient())
    assert schedule.reminder_times(a, patient()) == reminder_times(a, patient())


@given(
    zones(),
    zones(),
    contact_hours(),
    st.integers(min_value=0, max_value=365 * 24 * 4),
    st.lists(st.integers(min_value=1, max_value=7 * 24 * 60), min_size=1, max_size=3),
)
def test_reminders_always_fall_in_contact_hours_before_the_start(
    appt_zone: str, patient_zone: str, window: ContactHours, quarter_hours: int, leads: list[int]
) -> None:
    start = pendulum.datetime(2026, 1, 1, tz=appt_zone).add(minutes=15 * quarter_hours)
    got = reminder_times(
        appt("a", start),
        patient(patient_zone, window),
        [pendulum.duration(minutes=m) for m in leads],
    )
    assert list(got) == sorted(set(got), key=instant)
    assert len(got) <= len(leads)
    for t in got:
        assert earlier(t, start)
        assert t.timezone_name == patient_zone
        assert window.allows(t)


@given(schedules())
def test_drawn_schedules_check_without_error(schedule: Schedule) -> None:
    for conflict in schedule.conflicts():
        assert conflict.first_id != conflict.second_id
