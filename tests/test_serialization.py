"""The JSON wire format: strict scalars, RFC 9557 date-times, ISO 8601 durations, documents."""

from __future__ import annotations

import decimal
import json
from typing import Any

import pendulum
import pytest
from hypothesis import given

import careroles
from careroles import (
    Actor,
    CareTeam,
    ContactHours,
    ContactPoint,
    Patient,
    Period,
    Preferences,
    Role,
    ValidationError,
)
from careroles._documents import DOCUMENTS, DocumentType
from careroles._model import Record, model, sensitive
from careroles.strategies import datetimes

AT = "2026-03-09T09:00:00-04:00[America/New_York]"


def problems(data: Any, cls: type) -> list[str]:
    """The ``message @ $.path`` lines of loading `data` (a JSON value or text) as `cls`."""
    text = data if isinstance(data, str | bytes) else json.dumps(data)
    with pytest.raises(ValidationError) as info:
        careroles.loads(text, cls)
    return info.value.messages


def patient_doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "$type": "Patient",
        "$version": "1.0",
        "id": "p-1",
        "name": "Ada Lovelace",
        "birth_date": "1815-12-10",
        "time_zone": "Europe/London",
        "preferences": careroles.unstructure(Preferences()),
        "contacts": [],
        "history": [],
    }
    doc.update(changes)
    return doc


# --- strictness ---------------------------------------------------------------------------


def test_the_text_false_is_not_a_boolean() -> None:
    prefs = careroles.unstructure(Preferences()) | {"interpreter_needed": "false"}
    assert problems(prefs, Preferences) == [
        "expected true or false, got str @ $.interpreter_needed"
    ]


def test_a_number_is_not_a_boolean_and_a_boolean_is_not_a_number() -> None:
    prefs = careroles.unstructure(Preferences()) | {"interpreter_needed": 0}
    assert problems(prefs, Preferences) == [
        "expected true or false, got int @ $.interpreter_needed"
    ]
    hours = {"start": "09:00:00", "end": "17:00:00", "days": [True]}
    assert problems(hours, ContactHours) == ["expected an integer, got bool @ $.days[0]"]


def test_a_fraction_is_not_an_integer() -> None:
    hours = {"start": "09:00:00", "end": "17:00:00", "days": [1.9]}
    assert problems(hours, ContactHours) == ["expected an integer, got float @ $.days[0]"]


def test_a_number_is_not_a_string() -> None:
    assert problems({"member_id": 7, "role": "patient"}, Actor) == [
        "expected a string, got int @ $.member_id"
    ]


def test_a_string_is_not_a_list() -> None:
    prefs = careroles.unstructure(Preferences()) | {"contact_channels": "phone"}
    assert problems(prefs, Preferences) == ["expected a list, got str @ $.contact_channels"]


def test_null_is_not_a_string() -> None:
    assert problems({"member_id": None, "role": "patient"}, Actor) == [
        "expected a string, got null @ $.member_id"
    ]


def test_unknown_keys_are_refused() -> None:
    assert problems({"member_id": "m-1", "role": "patient", "nickname": "x"}, Actor) == [
        "unknown keys: nickname @ $"
    ]


def test_a_missing_key_without_a_default_is_refused() -> None:
    assert problems({"role": "patient"}, Actor) == ["required field missing @ $.member_id"]


def test_a_missing_key_with_a_default_takes_the_default() -> None:
    # writers always write every key (null for absent optionals); readers are forgiving here
    assert careroles.loads(json.dumps({"start": AT}), Period).end is None


def test_an_enum_is_read_by_value_only() -> None:
    assert careroles.loads('{"member_id": "m-1", "role": "care_coordinator"}', Actor).role is (
        Role.CARE_COORDINATOR
    )
    assert problems({"member_id": "m-1", "role": "CARE_COORDINATOR"}, Actor) == [
        "unknown Role; expected one of 'patient', 'care_coordinator', 'patient_advocate', "
        "'treating_provider', 'caregiver', 'personal_representative' @ $.role"
    ]


def test_an_enum_is_written_by_value() -> None:
    plain = careroles.unstructure(Actor(member_id="m-1", role=Role.PATIENT_ADVOCATE))
    assert plain == {"member_id": "m-1", "role": "patient_advocate"}
    assert type(plain["role"]) is str


def test_text_that_is_not_json_is_a_validation_error() -> None:
    assert problems("{", Actor) == ["not valid JSON text @ $"]
    assert problems(b"\xff\xfe", Actor) == ["not valid JSON text @ $"]


def test_lone_surrogates_are_refused_because_they_cannot_be_written_back() -> None:
    assert problems('{"member_id": "m-\\ud800", "role": "patient"}', Actor) == [
        "expected valid Unicode text (no lone surrogates) @ $.member_id"
    ]


def test_bytes_are_accepted_as_json_text() -> None:
    actor = Actor(member_id="m-1", role=Role.PATIENT)
    assert careroles.loads(careroles.dumps(actor).encode(), Actor) == actor


# --- date-times: RFC 9557 -----------------------------------------------------------------


def dt_text(value: pendulum.DateTime) -> str:
    text = careroles.unstructure(value)
    assert isinstance(text, str)
    return text


def read_dt(text: str) -> pendulum.DateTime:
    return careroles.structure(text, pendulum.DateTime)


def test_a_date_time_travels_with_its_offset_and_zone_name() -> None:
    at = pendulum.datetime(2026, 3, 8, 9, tz="America/New_York")
    assert dt_text(at) == "2026-03-08T09:00:00-04:00[America/New_York]"
    back = read_dt(dt_text(at))
    assert back.timezone_name == "America/New_York"
    assert back.utcoffset() == at.utcoffset()


@pytest.mark.parametrize(
    ("zone", "wall", "first", "second"),
    [
        ("Europe/Paris", (2024, 10, 27, 2, 30), "+02:00", "+01:00"),
        ("America/New_York", (2024, 11, 3, 1, 30), "-04:00", "-05:00"),
        ("Australia/Lord_Howe", (2024, 4, 7, 1, 45), "+11:00", "+10:30"),
    ],
)
def test_both_folds_of_an_ambiguous_wall_time_survive_the_round_trip(
    zone: str, wall: tuple[int, int, int, int, int], first: str, second: str
) -> None:
    y, mo, d, h, mi = wall
    earlier = pendulum.datetime(y, mo, d, h, mi, tz=zone, fold=0)
    later = pendulum.datetime(y, mo, d, h, mi, tz=zone, fold=1)
    assert later.timestamp() > earlier.timestamp()
    iso = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00"
    assert dt_text(earlier) == f"{iso}{first}[{zone}]"
    assert dt_text(later) == f"{iso}{second}[{zone}]"
    for value in (earlier, later):
        back = read_dt(dt_text(value))
        # == compares wall times within one zone and ignores the fold: compare instants
        assert back.timestamp() == value.timestamp()
        assert back.utcoffset() == value.utcoffset()
        assert back.fold == value.fold
        assert back.timezone_name == zone


@given(datetimes())
def test_any_date_time_keeps_instant_offset_and_zone(value: pendulum.DateTime) -> None:
    back = read_dt(dt_text(value))
    assert (back.timestamp(), back.utcoffset(), back.timezone_name) == (
        value.timestamp(),
        value.utcoffset(),
        value.timezone_name,
    )


def test_an_offset_that_does_not_match_the_zone_is_refused() -> None:
    assert problems({"start": "2026-03-09T09:00:00+05:00[America/New_York]"}, Period) == [
        "the offset does not match the named time zone @ $.start"
    ]


def test_a_time_that_does_not_exist_in_the_zone_is_refused() -> None:
    # 02:30 on 2026-03-08 was skipped in New York: no offset can match it
    for offset in ("-05:00", "-04:00"):
        text = f"2026-03-08T02:30:00{offset}[America/New_York]"
        assert problems({"start": text}, Period) == [
            "the offset does not match the named time zone @ $.start"
        ]


def test_z_is_accepted_as_utc() -> None:
    period = careroles.loads('{"start": "2026-03-09T13:00:00Z", "end": null}', Period)
    assert period.start.utcoffset() == pendulum.duration(0)
    assert period.start == pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")
    assert dt_text(period.start) == "2026-03-09T13:00:00+00:00[UTC]"


def test_an_offset_without_a_zone_is_kept_as_a_fixed_offset() -> None:
    start = careroles.loads('{"start": "2026-03-09T09:00:00+05:30", "end": null}', Period).start
    assert start.utcoffset() == pendulum.duration(hours=5, minutes=30)
    assert dt_text(start) == "2026-03-09T09:00:00+05:30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2026-03-09T09:00:00",
            "expected an RFC 9557 date-time with an offset, "
            "e.g. 2026-03-08T09:00:00-04:00[America/New_York]",
        ),
        (
            "2026-03-09T09:00:00[America/New_York]",
            "expected an RFC 9557 date-time with an offset, "
            "e.g. 2026-03-08T09:00:00-04:00[America/New_York]",
        ),
        ("2026-02-30T09:00:00Z", "not a valid calendar date-time"),
        ("2026-03-09T09:00:00-04:00[Mars/Olympus_Mons]", "unknown IANA time zone"),
        ("9999-12-31T23:00:00-05:00", "date-time out of range"),
        (
            "2026-03-09",
            "expected an RFC 9557 date-time with an offset, "
            "e.g. 2026-03-08T09:00:00-04:00[America/New_York]",
        ),
    ],
)
def test_bad_date_times_are_refused_with_a_reason(text: str, message: str) -> None:
    assert problems({"start": text}, Period) == [f"{message} @ $.start"]


def test_a_date_time_that_is_not_text_is_refused() -> None:
    assert problems({"start": 1741510800}, Period) == [
        "expected a date-time string, got int @ $.start"
    ]


def test_dates_and_times_of_day_travel_as_iso_text() -> None:
    hours = ContactHours(start=pendulum.Time(9), end=pendulum.Time(17, 30), days=frozenset({4, 0}))
    assert careroles.unstructure(hours) == {
        "start": "09:00:00",
        "end": "17:30:00",
        "days": [0, 4],  # sets travel as sorted lists
    }
    assert careroles.structure("1815-12-10", pendulum.Date) == pendulum.Date(1815, 12, 10)
    assert problems(patient_doc(birth_date="10/12/1815"), Patient) == [
        "not a valid calendar date (YYYY-MM-DD) @ $.birth_date"
    ]
    assert problems(patient_doc(birth_date="1815-12-10T00:00:00Z"), Patient) == [
        "expected a date string YYYY-MM-DD, got str @ $.birth_date"
    ]


# --- durations: ISO 8601 ------------------------------------------------------------------


def same_duration(a: pendulum.Duration, b: pendulum.Duration) -> bool:
    # Duration.__eq__ ignores calendar units (one year == 365 days): compare them too
    return (a.years, a.months, a.as_timedelta()) == (b.years, b.months, b.as_timedelta())


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (pendulum.duration(years=1), "P1Y"),
        (pendulum.duration(months=1), "P1M"),
        (pendulum.duration(days=365), "P365D"),
        (pendulum.duration(minutes=45), "PT45M"),
        (pendulum.duration(weeks=2), "P14D"),
        (
            pendulum.duration(years=1, months=2, days=3, hours=4, minutes=5, seconds=6),
            "P1Y2M3DT4H5M6S",
        ),
        (pendulum.duration(seconds=1, microseconds=500000), "PT1.5S"),
        (pendulum.duration(), "PT0S"),
    ],
)
def test_durations_travel_as_iso_8601_and_keep_calendar_units(
    duration: pendulum.Duration, text: str
) -> None:
    assert careroles.unstructure(duration) == text
    back = careroles.structure(text, pendulum.Duration)
    assert same_duration(back, duration)


def test_a_year_is_not_read_back_as_365_days() -> None:
    year = careroles.structure("P1Y", pendulum.Duration)
    days = careroles.structure("P365D", pendulum.Duration)
    assert (year.years, days.years) == (1, 0)
    assert not same_duration(year, days)


def test_weeks_are_read() -> None:
    assert same_duration(careroles.structure("P2W", pendulum.Duration), pendulum.duration(days=14))


@pytest.mark.parametrize("text", ["P", "PT", "-P1D", "P1.5D", "1D", "PT0.0000001S", "P1DT"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        careroles.structure(text, pendulum.Duration)
    assert info.value.messages == ["expected an ISO 8601 duration such as P1M or PT45M @ $"]


def test_a_duration_too_long_to_represent_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        careroles.structure("P99999999999999999999Y", pendulum.Duration)
    assert info.value.messages == ["duration out of range @ $"]


# --- decimals -----------------------------------------------------------------------------


def test_decimals_travel_as_strings() -> None:
    assert careroles.unstructure(decimal.Decimal("400.00")) == "400.00"
    assert careroles.structure("400.00", decimal.Decimal) == decimal.Decimal("400.00")
    assert str(careroles.structure("-0.5", decimal.Decimal)) == "-0.5"


@pytest.mark.parametrize("value", [400.0, 400, "4e2", "NaN", "01", " 1", "1.", ""])
def test_decimals_that_are_numbers_or_odd_text_are_refused(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        careroles.structure(value, decimal.Decimal)
    assert info.value.messages == [
        'expected a decimal number written as a string, e.g. "400.00" @ $'
    ]


# --- the document envelope ----------------------------------------------------------------


def test_a_root_is_written_with_its_document_type_and_version_first() -> None:
    patient = Patient(id="p-1", name="Ada Lovelace", time_zone="Europe/London")
    plain = careroles.unstructure(patient)
    assert list(plain)[:2] == ["$type", "$version"]
    assert (plain["$type"], plain["$version"]) == ("Patient", DOCUMENTS[Patient].version)


def test_a_part_of_a_root_has_no_envelope() -> None:
    assert "$type" not in careroles.unstructure(Preferences())


def test_a_document_of_another_type_is_refused() -> None:
    assert problems(patient_doc(**{"$type": "CareTeam"}), Patient) == [
        "expected document type 'Patient' @ $.$type"
    ]


def test_a_document_without_envelope_is_refused() -> None:
    doc = patient_doc()
    del doc["$type"], doc["$version"]
    assert problems(doc, Patient) == [
        "expected document type 'Patient' @ $.$type",
        'expected a version such as "1.0" @ $.$version',
    ]


@pytest.mark.parametrize("version", ["1", "1.0.0", 1.0, "v1.0", None])
def test_a_malformed_version_is_refused(version: Any) -> None:
    assert problems(patient_doc(**{"$version": version}), Patient) == [
        'expected a version such as "1.0" @ $.$version'
    ]


def test_a_newer_major_version_is_refused_even_leniently() -> None:
    doc = patient_doc(**{"$version": "2.0"})
    message = (
        "document version 2.0 is newer than this careroles reads (1.0); upgrade careroles"
        " @ $.$version"
    )
    assert problems(doc, Patient) == [message]
    with pytest.raises(ValidationError) as info:
        careroles.loads_lenient(json.dumps(doc), Patient)
    assert info.value.messages == [message]


def test_a_newer_minor_version_is_refused_strictly_and_read_leniently() -> None:
    doc = patient_doc(**{"$version": "1.1", "pronouns": "she/her"})
    doc["preferences"] = doc["preferences"] | {"mood": "calm"}
    doc["contacts"] = [
        {
            "id": "c-1",
            "name": "Mary Somerville",
            "relationship": "friend",
            "contact_points": [
                {"channel": "email", "value": "mary@example.org", "verified": True}
            ],
            "representative_basis": None,
            "representative_period": None,
        }
    ]
    assert problems(doc, Patient) == [
        "document version 1.1 is newer than this careroles reads (1.0); upgrade careroles"
        " or load it with loads_lenient @ $.$version"
    ]
    loaded = careroles.loads_lenient(json.dumps(doc), Patient)
    assert loaded.value.contacts[0].contact_points[0].value == "mary@example.org"
    assert sorted(loaded.ignored) == [
        "$.contacts[0].contact_points[0].verified",
        "$.preferences.mood",
        "$.pronouns",
    ]


def test_lenient_loading_of_a_current_document_ignores_nothing() -> None:
    loaded = careroles.loads_lenient(json.dumps(patient_doc()), Patient)
    assert loaded.ignored == ()
    assert loaded.value == careroles.loads(json.dumps(patient_doc()), Patient)


def test_lenient_loading_still_refuses_bad_values() -> None:
    doc = patient_doc(**{"$version": "1.1", "time_zone": 5})
    with pytest.raises(ValidationError) as info:
        careroles.loads_lenient(json.dumps(doc), Patient)
    assert info.value.messages == ["expected a string, got int @ $.time_zone"]


# --- migrations (a test-only document type; the global table is restored afterwards) -------


def widget_class() -> type[Record]:
    """A fresh root class per test: the converter caches hooks per class."""

    @model
    class Widget(Record):
        name: str
        size: int

    return Widget


def rename_title(body: dict[str, Any]) -> dict[str, Any]:
    body["name"] = body.pop("title")
    return body


def add_size(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "size": 1}


@pytest.fixture
def widget(monkeypatch: pytest.MonkeyPatch) -> type[Record]:
    cls = widget_class()
    doc = DocumentType("Widget", "2.0", migrations={(1, 0): rename_title, (1, 1): add_size})
    monkeypatch.setitem(DOCUMENTS, cls, doc)
    return cls


def test_an_older_document_is_upgraded_by_its_migrations(widget: type[Any]) -> None:
    old = {"$type": "Widget", "$version": "1.0", "title": "gear"}
    assert careroles.loads(json.dumps(old), widget) == widget(name="gear", size=1)
    newer = {"$type": "Widget", "$version": "1.1", "name": "gear"}
    assert careroles.loads(json.dumps(newer), widget) == widget(name="gear", size=1)


def test_a_current_document_is_not_migrated(widget: type[Any]) -> None:
    current = {"$type": "Widget", "$version": "2.0", "name": "gear", "size": 3}
    assert careroles.loads(json.dumps(current), widget) == widget(name="gear", size=3)
    assert careroles.unstructure(widget(name="gear", size=3)) == current


def test_a_version_without_a_migration_is_refused(widget: type[Any]) -> None:
    old = {"$type": "Widget", "$version": "0.9", "title": "gear"}
    assert problems(old, widget) == ["no migration from version 0.9 @ $.$version"]


def test_a_migrated_body_is_still_checked_strictly(widget: type[Any]) -> None:
    old = {"$type": "Widget", "$version": "1.0", "title": 7, "colour": "red"}
    assert problems(old, widget) == [
        "expected a string, got int @ $.name",
        "unknown keys: colour @ $",
    ]


def test_the_test_document_type_is_gone_after_the_test() -> None:
    assert "Widget" not in {d.name for d in DOCUMENTS.values()}


# --- errors: every problem, with its path, never a value -----------------------------------


def team_doc(members: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$type": "CareTeam",
        "$version": "1.0",
        "id": "t-1",
        "patient_id": "p-1",
        "members": members,
        "history": [],
    }


def member(member_id: str, role: str, **changes: Any) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "role": role,
        "period": {"start": AT, "end": None},
        "lead": False,
        "display_name": None,
    } | changes


def test_every_problem_is_listed_with_its_path_including_list_indexes() -> None:
    members = [
        member("m-1", "care_coordinator", lead=True, display_name="Rosa Parks"),
        member("m-2", "nurse"),
        member("m-3", "patient", lead="yes", display_name="Ada Byron"),
        member("m-4", "patient", nickname="Bo"),
    ]
    del members[2]["member_id"]
    members[2]["period"]["end"] = "2026-03-09T09:00:00-05:00[America/New_York]"
    assert problems(team_doc(members), CareTeam) == [
        "unknown Role; expected one of 'patient', 'care_coordinator', 'patient_advocate', "
        "'treating_provider', 'caregiver', 'personal_representative' @ $.members[1].role",
        "required field missing @ $.members[2].member_id",
        "the offset does not match the named time zone @ $.members[2].period.end",
        "expected true or false, got str @ $.members[2].lead",
        "unknown keys: nickname @ $.members[3]",
    ]


def test_class_rules_are_reported_with_the_path_of_the_field_they_concern() -> None:
    members = [
        member("m-1", "care_coordinator", lead=True),
        member("m-4", "patient", lead=True),
        member("m-5", "patient", period={"start": AT, "end": "2026-03-09T08:00:00-04:00"}),
    ]
    assert problems(team_doc(members), CareTeam) == [
        "only a care coordinator can be the lead @ $.members[1].lead",
        "a period must end after it starts @ $.members[2].period.end",
    ]


def test_rules_of_the_root_are_reported_at_the_root() -> None:
    lead = member("m-1", "care_coordinator", lead=True)
    assert problems(team_doc([lead, lead]), CareTeam) == [
        "a team has at most one lead care coordinator at a time @ $.members[0].lead",
        "the same member holds the same role twice at once @ $.members[0]",
    ]


def test_the_error_names_the_type_and_counts_the_problems() -> None:
    with pytest.raises(ValidationError) as info:
        careroles.loads('{"member_id": 1, "role": 2}', Actor)
    assert str(info.value) == (
        "invalid Actor: 2 problems\n"
        "  expected a string, got int @ $.member_id\n"
        "  unknown Role; expected one of 'patient', 'care_coordinator', 'patient_advocate', "
        "'treating_provider', 'caregiver', 'personal_representative' @ $.role"
    )
    assert [p.path for p in info.value.problems] == [("member_id",), ("role",)]


SECRET = "Wilhelmina Quackenbush 555-0199"


@pytest.mark.parametrize(
    "changes",
    [
        {"time_zone": SECRET},
        {"id": [SECRET]},
        {"birth_date": SECRET},
        {"name": {"text": SECRET}},
        {SECRET: SECRET},
        {"contacts": [{"id": "c-1", "name": SECRET, "relationship": SECRET}]},
        {"preferences": {"values": SECRET, "decision_role": SECRET, "language": SECRET}},
        {"history": [{"action": SECRET, "at": SECRET, "by": SECRET}]},
    ],
)
def test_error_messages_never_contain_the_values_they_refuse(changes: dict[str, Any]) -> None:
    doc = patient_doc(**changes)
    messages = problems(doc, Patient)
    assert messages
    assert not [m for m in messages if "Wilhelmina" in m or "555" in m]


def test_unknown_keys_are_named_only_when_they_look_like_key_names() -> None:
    # key names are the writer's schema: named so they can be fixed; anything else is counted
    doc = {"channel": "email", "value": "x", "verified": True, "Ada Byron 555-0199": 1}
    assert problems(doc, ContactPoint) == [
        "unknown keys: verified and 1 not shown (not key names) @ $"
    ]


def test_loading_an_unparametrized_generic_is_a_clear_validation_error() -> None:
    record = {
        "action": "revoke",
        "from_status": "active",
        "to_status": "revoked",
        "at": AT,
        "by": {"member_id": "m-1", "role": "patient"},
        "reason": None,
    }
    assert problems(record, careroles.TransitionRecord) == [
        "not a type careroles can load (give a generic its parameter) @ $"
    ]
    loaded = careroles.structure(record, careroles.TransitionRecord[careroles.ConsentStatus])
    assert loaded.to_status is careroles.ConsentStatus.REVOKED


# --- the writer ---------------------------------------------------------------------------


@model
class _Secretive(Record):
    code: str
    note: str | None = sensitive(default=None)


def test_optional_values_are_written_as_null_and_always_present() -> None:
    assert careroles.unstructure(Period(start=pendulum.datetime(2026, 3, 9, tz="UTC"))) == {
        "start": "2026-03-09T00:00:00+00:00[UTC]",
        "end": None,
    }
    assert careroles.unstructure(_Secretive(code="x")) == {"code": "x", "note": None}


def test_dumps_writes_compact_json_and_keeps_non_ascii_text() -> None:
    text = careroles.dumps(_Secretive(code="x", note="Zoë 李"))
    assert text == '{"code":"x","note":"Zoë 李"}'
    assert careroles.loads(text, _Secretive) == _Secretive(code="x", note="Zoë 李")


def test_sensitive_fields_travel_on_the_wire_but_not_in_repr() -> None:
    value = _Secretive(code="x", note="Wilhelmina")
    assert "Wilhelmina" in careroles.dumps(value)
    assert "Wilhelmina" not in repr(value)


def test_the_converter_is_the_public_one() -> None:
    assert careroles.converter is careroles.serialization.converter
    assert careroles.loads(careroles.dumps(Preferences()), Preferences) == Preferences()


def test_integers_beyond_64_bits_are_refused_because_they_cannot_be_written_back() -> None:
    hours = {"start": "09:00:00", "end": "17:00:00", "days": [2**64]}
    assert problems(hours, ContactHours) == ["integer out of range (signed 64-bit) @ $.days[0]"]
    with pytest.raises(ValidationError) as info:
        careroles.structure(-(2**63) - 1, int)
    assert info.value.messages == ["integer out of range (signed 64-bit) @ $"]
    assert careroles.structure(2**63 - 1, int) == 2**63 - 1
