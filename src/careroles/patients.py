"""The patient, their preferences in their own words, and the people around them.

Preferences are the patient's: only the patient or a personal representative records them in
their own right; an advocate or coordinator may record them *on the patient's behalf*, and the
record says so (PRODUCT.md, default division of responsibility).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

import attrs
import pendulum

from careroles._model import Record, model, sensitive
from careroles.audit import ChangeRecord, check_changes, record_change
from careroles.errors import Problem, ValidationError
from careroles.periods import Period, is_time_zone
from careroles.roles import PATIENT_SIDE, Actor, Permission, Role, RolePolicy

__all__ = [
    "Contact",
    "ContactChannel",
    "ContactHours",
    "ContactPoint",
    "DeclinedTreatment",
    "DecisionRole",
    "Patient",
    "Preferences",
    "Relationship",
    "RepresentativeBasis",
    "PERMISSIONS",
]


class ContactChannel(enum.StrEnum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    PORTAL = "portal"
    MAIL = "mail"
    IN_PERSON = "in_person"
    DO_NOT_CONTACT = "do_not_contact"


class DecisionRole(enum.StrEnum):
    """The Control Preferences Scale: how involved the patient wants to be (domain.md §6.2)."""

    PATIENT_DECIDES = "patient_decides"
    PATIENT_DECIDES_AFTER_CLINICIAN_VIEW = "patient_decides_after_clinician_view"
    SHARED = "shared"
    CLINICIAN_DECIDES_AFTER_PATIENT_VIEW = "clinician_decides_after_patient_view"
    CLINICIAN_DECIDES = "clinician_decides"


class Relationship(enum.StrEnum):
    SPOUSE = "spouse"
    PARTNER = "partner"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    OTHER_FAMILY = "other_family"
    FRIEND = "friend"
    CAREGIVER = "caregiver"
    GUARDIAN = "guardian"
    OTHER = "other"


class RepresentativeBasis(enum.StrEnum):
    """The legal basis that makes a contact a personal representative (domain.md §2.4, §4.2)."""

    HEALTH_CARE_POWER_OF_ATTORNEY = "health_care_power_of_attorney"
    GUARDIANSHIP = "guardianship"
    PARENT_OF_MINOR = "parent_of_minor"
    EXECUTOR = "executor"
    STATE_SURROGATE = "state_surrogate"
    MEDICARE_APPOINTED_REPRESENTATIVE = "medicare_appointed_representative"
    MEDICAID_AUTHORIZED_REPRESENTATIVE = "medicaid_authorized_representative"
    ERISA_AUTHORIZED_REPRESENTATIVE = "erisa_authorized_representative"


#: Bases that carry authority over health-care decisions (not only over a forum's appeal).
DECISION_AUTHORITY: Final = frozenset(
    {
        RepresentativeBasis.HEALTH_CARE_POWER_OF_ATTORNEY,
        RepresentativeBasis.GUARDIANSHIP,
        RepresentativeBasis.PARENT_OF_MINOR,
        RepresentativeBasis.STATE_SURROGATE,
    }
)


@model
class ContactPoint(Record):
    """A way to reach someone.  The value is contact detail: never shown in reprs."""

    channel: ContactChannel
    value: str = sensitive()


@model
class ContactHours(Record):
    """When the patient is happy to be contacted, as wall-clock times in their own zone."""

    start: pendulum.Time
    end: pendulum.Time
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # ISO weekday - 1: Monday = 0

    def _rules(self) -> Iterable[Problem]:
        if self.end <= self.start:
            yield Problem(("end",), "contact hours must end after they start", "period_inverted")
        if not self.days:
            yield Problem(("days",), "at least one day is required", "empty")
        if any(d < 0 or d > 6 for d in self.days):
            yield Problem(("days",), "days are 0 (Monday) to 6 (Sunday)", "range")

    def allows(self, local: pendulum.DateTime) -> bool:
        """Whether a local (patient-zone) instant falls inside these hours."""
        return local.weekday() in self.days and self.start <= local.time() < self.end


@model
class DeclinedTreatment(Record):
    """A treatment the patient has said no to, with its code (SNOMED CT or local)."""

    code: str
    description: str = sensitive()
    declined_at: pendulum.DateTime | None = None


@model
class Preferences(Record):
    """What the patient wants: language, contact, values, goals, declined treatments, role."""

    language: str = "en"
    interpreter_needed: bool = False
    contact_channels: tuple[ContactChannel, ...] = ()
    contact_hours: ContactHours | None = None
    values: tuple[str, ...] = sensitive(default=())
    goals_in_own_words: tuple[str, ...] = sensitive(default=())
    declined_treatments: tuple[DeclinedTreatment, ...] = ()
    decision_role: DecisionRole = DecisionRole.SHARED

    def _rules(self) -> Iterable[Problem]:
        if not self.language or not self.language.replace("-", "").isalnum():
            yield Problem(("language",), "expected a BCP 47 language tag such as 'es'", "format")
        if len(set(self.contact_channels)) != len(self.contact_channels):
            yield Problem(("contact_channels",), "a channel is listed twice", "duplicate")
        if (
            ContactChannel.DO_NOT_CONTACT in self.contact_channels
            and len(self.contact_channels) > 1
        ):
            yield Problem(
                ("contact_channels",), "do_not_contact excludes every other channel", "conflict"
            )

    def declines(self, code: str) -> bool:
        return any(t.code == code for t in self.declined_treatments)


@model
class Contact(Record):
    """A family member, friend or caregiver; a personal representative where a basis exists."""

    id: str
    name: str = sensitive()
    relationship: Relationship
    contact_points: tuple[ContactPoint, ...] = ()
    representative_basis: RepresentativeBasis | None = None
    representative_period: Period | None = None

    def _rules(self) -> Iterable[Problem]:
        if not self.id:
            yield Problem(("id",), "must not be empty", "empty")
        if self.representative_period is not None and self.representative_basis is None:
            yield Problem(
                ("representative_period",),
                "a representative period needs a representative basis",
                "basis_required",
            )

    def is_representative(self, at: pendulum.DateTime) -> bool:
        """Whether this contact is the patient's personal representative at `at`."""
        if self.representative_basis is None:
            return False
        return self.representative_period is None or self.representative_period.contains(at)

    @property
    def has_decision_authority(self) -> bool:
        return self.representative_basis in DECISION_AUTHORITY


PERMISSIONS: Final = (
    Permission(
        subject="patient",
        action="record_preferences",
        roles=frozenset({*PATIENT_SIDE, Role.PATIENT_ADVOCATE, Role.CARE_COORDINATOR}),
        note="advocate or coordinator only on the patient's behalf, attributed as such",
    ),
    Permission(
        subject="patient",
        action="add_contact",
        roles=frozenset({*PATIENT_SIDE, Role.CARE_COORDINATOR}),
    ),
)

_POLICY: Final = RolePolicy(PERMISSIONS)
_OWN_RIGHT: Final = PATIENT_SIDE


@model
class Patient(Record):
    """A patient: identity, the minimum of personal data, preferences and contacts."""

    id: str
    name: str = sensitive()
    birth_date: pendulum.Date | None = sensitive(default=None)
    time_zone: str
    preferences: Preferences = attrs.Factory(Preferences)
    contacts: tuple[Contact, ...] = ()
    history: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        if not self.id:
            yield Problem(("id",), "must not be empty", "empty")
        if not is_time_zone(self.time_zone):
            yield Problem(("time_zone",), "expected an IANA time-zone name", "time_zone")
        ids = [c.id for c in self.contacts]
        if len(ids) != len(set(ids)):
            yield Problem(("contacts",), "two contacts share an id", "duplicate")
        yield from check_changes(self.history)

    def local(self, at: pendulum.DateTime) -> pendulum.DateTime:
        """`at` in the patient's own time zone."""
        return at.in_timezone(self.time_zone)

    def contact(self, contact_id: str) -> Contact:
        for c in self.contacts:
            if c.id == contact_id:
                return c
        raise ValidationError.single(("contacts",), "no contact with this id", "not_found")

    def representatives(self, at: pendulum.DateTime) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.is_representative(at))

    def record_preferences(
        self,
        preferences: Preferences,
        *,
        by: Actor,
        at: pendulum.DateTime,
        on_behalf_of_patient: bool = False,
        policy: RolePolicy | None = None,
    ) -> Patient:
        """Replace the patient's preferences.

        The patient and a personal representative record in their own right.  Anyone else the
        policy allows must say ``on_behalf_of_patient=True``: the audit record keeps it.
        """
        self._attributed(by, "record_preferences", on_behalf_of_patient, policy)
        return record_change(
            self,
            "record_preferences",
            by=by,
            at=at,
            on_behalf_of_patient=on_behalf_of_patient,
            preferences=preferences,
        )

    def add_contact(
        self,
        contact: Contact,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> Patient:
        (policy or _POLICY).require(by, "patient", "add_contact")
        return record_change(self, "add_contact", by=by, at=at, contacts=(*self.contacts, contact))

    def _attributed(
        self, by: Actor, action: str, on_behalf: bool, policy: RolePolicy | None
    ) -> None:
        (policy or _POLICY).require(by, "patient", action)
        if by.role not in _OWN_RIGHT and not on_behalf:
            raise ValidationError.single(
                ("on_behalf_of_patient",),
                f"a {by.role.value} records this only on the patient's behalf: "
                "pass on_behalf_of_patient=True",
                "attribution_required",
            )
