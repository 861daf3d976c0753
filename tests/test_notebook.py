"""Notebook display: summaries and rows never show patient data or identifiers by default."""

from __future__ import annotations

import pendulum
import pytest

import careroles as cr
from careroles.notebook import html_summary, rows, show_identifiers


def _patient() -> cr.Patient:
    return cr.Patient(
        id="pat-4411",
        name="Rosa Delgado",
        birth_date=pendulum.date(1958, 4, 2),
        time_zone="America/Chicago",
        contacts=(cr.Contact(id="c-1", name="Lucia Delgado", relationship=cr.Relationship.CHILD),),
    )


def test_the_html_summary_shows_no_name_birth_date_or_identifier() -> None:
    html = _patient()._repr_html_()
    for secret in ("Rosa", "Delgado", "1958", "pat-4411"):
        assert secret not in html
    assert "America/Chicago" in html
    assert "contacts (count)" in html


def test_identifiers_show_only_when_the_user_opts_in() -> None:
    patient = _patient()
    with show_identifiers():
        assert "pat-4411" in html_summary(patient)
    assert "pat-4411" not in html_summary(patient)


def test_rows_are_plain_dicts_with_counts_and_status_values() -> None:
    start = pendulum.datetime(2026, 3, 1, 10, tz="America/Chicago")
    patient = cr.Actor(member_id="pat-4411", role=cr.Role.PATIENT)
    consent = cr.Consent(
        id="k-1",
        patient_id="pat-4411",
        kind=cr.ConsentKind.FAMILY_INVOLVEMENT,
        grantor=patient,
        grantee_id="c-1",
        categories=frozenset({cr.InformationCategory.CARE_PLAN}),
        period=cr.Period(start=start),
    ).revoke(by=patient, at=start.add(days=1))
    (row,) = rows([consent])
    assert row["type"] == "Consent"
    assert row["status"] == "revoked"
    assert row["history (count)"] == 1
    assert row["period start"] == "2026-03-01T10:00:00-06:00"
    assert "id" not in row
    assert "patient_id" not in row


def test_the_timeline_draws_appointments_reviews_and_deadlines_without_patient_data() -> None:
    matplotlib = pytest.importorskip("matplotlib")  # the careroles[plot] extra
    from careroles.notebook import timeline

    at = pendulum.datetime(2026, 3, 2, 9, tz="America/New_York")
    coordinator = cr.Actor(member_id="cc-1", role=cr.Role.CARE_COORDINATOR)
    appointment = cr.Appointment.propose(
        id="a-1",
        patient_id="pat-4411",
        kind=cr.AppointmentKind.FOLLOW_UP,
        start=at.add(days=3),
        end=at.add(days=3, hours=1),
        by=coordinator,
        at=at,
        description="Knee check with Dr. Rivera",
    )
    deadline = cr.compute_deadline("ACA-INTERNAL-APPEAL-FILING", pendulum.date(2026, 3, 1))
    figure = timeline(
        appointments=[appointment],
        reviews=[at.add(days=30)],
        deadlines=[deadline],
        title="Patient timeline",
    )
    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == ["appointments", "plan reviews", "deadlines"]
    texts = [t.get_text() for t in axes.texts]
    assert texts == ["follow_up (proposed)", "review", "filing"]
    assert all("Rivera" not in t for t in texts)
    matplotlib.pyplot.close(figure)
