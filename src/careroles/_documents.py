"""The document table: which types are aggregate roots, their names, versions and migrations.

A document's ``"$version"`` is ``"MAJOR.MINOR"``.  A minor version only adds optional keys; a
major version changes shape and needs a migration.  To change a root's shape:

1. bump its version here;
2. add a migration from the previous version (a function on the JSON body, dict to dict);
3. keep the previous golden file under ``tests/golden/`` and add one for the new version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from careroles.advocacy import AdvocacyCase
from careroles.appointments import Appointment
from careroles.care_plans import CarePlan
from careroles.care_teams import CareTeam
from careroles.communications import Message, ProgressUpdate
from careroles.concerns import Concern
from careroles.consent import Consent
from careroles.decisions import TreatmentDecision
from careroles.errors import ValidationError
from careroles.navigation import EducationRecord, Referral
from careroles.patients import Patient

__all__ = ["DOCUMENTS", "DocumentType", "migrate"]

Body = dict[str, Any]
Migration = Callable[[Body], Body]

_VERSION: Final = re.compile(r"([0-9]{1,4})\.([0-9]{1,4})", re.ASCII)


@attrs.frozen
class DocumentType:
    """A root type's document name and current version; `migrations` upgrade older bodies.

    ``migrations[(major, minor)]`` turns a body of that version into one of the next version
    listed (or the current one).
    """

    name: str
    version: str
    migrations: Mapping[tuple[int, int], Migration] = attrs.field(factory=dict)

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    @property
    def minor(self) -> int:
        return int(self.version.split(".")[1])

    @staticmethod
    def parse_version(value: object) -> tuple[int, int] | None:
        if type(value) is not str or (m := _VERSION.fullmatch(value)) is None:
            return None
        return int(m[1]), int(m[2])


def migrate(doc: DocumentType, major: int, minor: int, body: Body) -> Body:
    """Upgrade `body` from version major.minor to the current version of `doc`."""
    steps = sorted(v for v in doc.migrations if v >= (major, minor))
    if (major, minor) not in doc.migrations and major < doc.major:
        raise ValidationError.single(
            ("$version",), f"no migration from version {major}.{minor}", "document_version"
        )
    for step in steps:
        body = doc.migrations[step](dict(body))
    return body


#: Every aggregate root, its document name and current version.
DOCUMENTS: Final[dict[type, DocumentType]] = {
    Patient: DocumentType("Patient", "1.0"),
    CareTeam: DocumentType("CareTeam", "1.0"),
    Consent: DocumentType("Consent", "1.0"),
    CarePlan: DocumentType("CarePlan", "1.0"),
    Message: DocumentType("Message", "1.0"),
    ProgressUpdate: DocumentType("ProgressUpdate", "1.0"),
    Appointment: DocumentType("Appointment", "1.0"),
    TreatmentDecision: DocumentType("TreatmentDecision", "1.0"),
    Concern: DocumentType("Concern", "1.0"),
    AdvocacyCase: DocumentType("AdvocacyCase", "1.0"),
    Referral: DocumentType("Referral", "1.0"),
    EducationRecord: DocumentType("EducationRecord", "1.0"),
}
