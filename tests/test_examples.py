"""The numbered examples run, tell their story, and keep patient data out of their output.

Each ``examples/[0-9]*.py`` runs as a subprocess with the current interpreter from the
repository root; a broken story (an exception, a changed API, a refusal that no longer
happens) fails here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("[0-9]*.py"))

#: Lines (or parts of lines) each example must print.
EXPECTED: dict[str, tuple[str, ...]] = {
    "01_quickstart.py": (
        "activation refused: ['CP-AGREEMENT']",
        "status active, agreed by patient",
        "activity a-physio is now scheduled",
        "PermissionDenied: role 'patient_advocate' may not 'book'",
        "routed to care_coordinator",
        "on her behalf: True",
        "loaded back equal: True",
        "UPDATE-CADENCE-MISSING",
    ),
    "02_coordinators_week.py": (
        "appt-cardio-1  Wed 4 Mar 14:00 EST  cancelled (rescheduled, late=False)",
        "appt-cardio-2  Thu 5 Mar 14:00 EST  cancelled (rescheduled, late=True)",
        "walked back from the newest: appt-cardio-1 -> appt-cardio-2 -> appt-cardio-3",
        "closing after one attempt is refused",
        "attempts: ['no_answer', 'reached']",
        "overlap       appt-cardio-3 10:00-10:45 / appt-social-1 10:30-11:00",
        "appt-cardio-3 Tue 10 Mar 10:00 EDT: remind Fri 6 Mar 16:30 EST, Mon 9 Mar 10:00 EDT",
        "upd-2 refused: role 'care_coordinator' may not 'send'",
        "upd-3 sent",
        "APPT-CONFLICT",
    ),
    "03_insurance_appeal.py": (
        "PermissionDenied: role 'patient_advocate' may not 'contact_counterparty'",
        "call logged on the authority of consent k-rep",
        "TransitionError: an insurance matter needs its coverage regime before planning",
        "ACA-INTERNAL-APPEAL-FILING                 filing   due 2026-08-01",
        "45 CFR 147.136(b)(2)(ii)(B)",
        "ACA-INTERNAL-APPEAL-DECISION-PRE-SERVICE   decision due 2026-03-19",
        "decision overdue: True",
        "escalation: Deemed exhaustion",
        "finding DL-T14 (warning) at $.deadlines",
        "escalate               decision_overdue -> escalated",
    ),
    "04_shared_decision.py": (
        "doing nothing or waiting must be one of the options",
        "ValidationError ['decision_maker_role']",
        "PermissionDenied: role 'patient_advocate' may not 'decide'",
        "SURE before: 2/4, positive screen: True",
        "status decided, chosen replace, by patient",
        "covers the knee replacement: True",
        "without: ['CP-DECLINED-TREATMENT']",
        "activation with the decision: active",
    ),
    "05_fhir_roundtrip.py": (
        "Communication  upd-5",
        "Task           cn-5",
        "patient equal: True",
        "CarePlan       cp-5     equal: True",
        "Concern        cn-5     equal: True",
        "not carried: []",
    ),
    "06_population.py": (
        "60 patients, 60 plans",
        "Overdue reviews as of Mon 16 Mar 2026 09:00 EDT",
        "Deadlines due by Mon 23 Mar",
        "HIPAA-ACCESS-RESPONSE: 45 CFR 164.524(b)(2)",
        "group  barrier         patients  referrals  resolved  resolved_share",
    ),
}

#: Patient data in each example that must never be printed (names, birth dates, own words).
NEVER_PRINTED: dict[str, tuple[str, ...]] = {
    "01_quickstart.py": ("Delgado", "1958", "iglesia", "miedo", "Clinic, 2nd floor"),
    "02_coordinators_week.py": ("Ana Ruiz", "Luz", "garden", "diuretic"),
    "03_insurance_appeal.py": ("MRI", "claim file", "Example Employer Health Plan"),
    "04_shared_decision.py": ("Mae", "Thompson", "grandchildren", "independent"),
    "05_fhir_roundtrip.py": ("June", "Min Park", "cooking", "Korean", "letters"),
    "06_population.py": ("Generated patient", "own words"),
}


def run(example: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(example)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_numbered_example_has_expectations() -> None:
    assert EXAMPLES, "no examples found"
    assert sorted(p.name for p in EXAMPLES) == sorted(EXPECTED) == sorted(NEVER_PRINTED)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_an_example_is_a_jupytext_percent_notebook(example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    assert "format_name: percent" in text
    assert "\n# %% [markdown]\n" in text
    assert "\n# %%\n" in text
    assert ".now(" not in text  # fixed instants only
    assert "today()" not in text


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_an_example_runs_and_tells_its_story(example: Path) -> None:
    result = run(example)
    assert result.returncode == 0, result.stderr
    missing = [line for line in EXPECTED[example.name] if line not in result.stdout]
    assert not missing, f"{example.name} no longer prints {missing}\n{result.stdout}"
    leaked = [value for value in NEVER_PRINTED[example.name] if value in result.stdout]
    assert not leaked, f"{example.name} printed patient data {leaked}"
