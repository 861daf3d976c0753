"""Shared treatment decisions: options, the patient's values, the decision-maker and measures.

A :class:`TreatmentDecision` is the record of one shared decision (domain.md §6.2, SDM-001):
the decision statement in the patient's words, the condition or need it is about, its urgency
and deadline, the options (doing nothing or waiting among them, each with benefits and harms),
the patient's values considered, decision aids given, the participants, the preferred and the
actual decision role (Control Preferences Scale), the clinician's recommendation kept apart from
the patient's choice, and the chosen option.

Only the patient, or a personal representative whose legal authority covers health-care
decisions, is ever the decision-maker; never the patient advocate, never the care coordinator
(PRODUCT.md; APHA Health Advocate Code item 5; SDM-T03).  An advocate who separately holds such
authority decides *as personal representative*, and a conflict of interest must be recorded.

Measures are pure functions: :func:`sure_score` (SURE, Légaré 2010; SDM-T01) and
:func:`collaborate_top_score` (CollaboRATE top score, ≥25 complete encounters; SDM-T02).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import pendulum

from careroles._model import Record, model, sensitive
from careroles.audit import ChangeRecord, record_change
from careroles.errors import PermissionDenied, Problem, ValidationError
from careroles.findings import Finding, Rule, Severity
from careroles.lifecycle import Action, Lifecycle, TransitionRecord
from careroles.patients import DECISION_AUTHORITY, DecisionRole, RepresentativeBasis
from careroles.periods import earlier, require_aware
from careroles.roles import PATIENT_SIDE, Actor, Permission, Role, RolePolicy

__all__ = [
    "COLLABORATE_MIN_ENCOUNTERS",
    "DECISION_LIFECYCLE",
    "PERMISSIONS",
    "DECISION_RULES",
    "CollaborateEncounter",
    "ConflictOfInterestKind",
    "ConflictOfInterest",
    "ClinicianRecommendation",
    "ConsideredValue",
    "DecisionAid",
    "DecisionMaker",
    "DecisionOption",
    "DecisionStatus",
    "DecisionUrgency",
    "SureResult",
    "TreatmentDecision",
    "ValueSource",
    "collaborate_top_score",
    "decision_findings",
    "sure_score",
]

SUBJECT: Final = "treatment_decision"


class DecisionStatus(enum.StrEnum):
    OPEN = "open"
    OPTIONS_PRESENTED = "options_presented"
    DELIBERATING = "deliberating"
    DECIDED = "decided"
    REVISITED = "revisited"


class DecisionUrgency(enum.StrEnum):
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENT = "emergent"


class ValueSource(enum.StrEnum):
    """Where a value considered in the decision comes from."""

    PREFERENCES_VALUE = "preferences_value"  # Preferences.values[index]
    GOAL_IN_OWN_WORDS = "goal_in_own_words"  # Preferences.goals_in_own_words[index]
    STATED_IN_DISCUSSION = "stated_in_discussion"  # said during this decision


class ConflictOfInterestKind(enum.StrEnum):
    ADVOCATE_HOLDS_DECISION_AUTHORITY = "advocate_holds_decision_authority"
    FINANCIAL = "financial"
    OTHER = "other"


# --- parts -----------------------------------------------------------------------------------


@model
class DecisionOption(Record):
    """One option, doing nothing or waiting included, with its benefits, harms and burdens."""

    id: str
    label: str = sensitive()
    treatment_code: str | None = None
    is_do_nothing: bool = False
    benefits: tuple[str, ...] = sensitive(default=())
    harms: tuple[str, ...] = sensitive(default=())
    burdens: tuple[str, ...] = sensitive(default=())

    def _rules(self) -> Iterable[Problem]:
        if not self.id:
            yield Problem(("id",), "must not be empty", "empty")
        if self.treatment_code is not None and not self.treatment_code.strip():
            yield Problem(("treatment_code",), "must not be blank when given", "empty")
        if not self.benefits:
            yield Problem(("benefits",), "each option carries its benefits (SDM-T04)", "empty")
        if not self.harms:
            yield Problem(("harms",), "each option carries its harms (SDM-T04)", "empty")


@model
class DecisionAid(Record):
    """A decision aid given to the patient: which one, which version, when (SDM-T04)."""

    id: str
    version: str
    given_at: pendulum.DateTime

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "version"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")


@model
class ConsideredValue(Record):
    """A value or goal of the patient's weighed in the decision.

    `index` points into ``Preferences.values`` or ``Preferences.goals_in_own_words`` when the
    value comes from there; `importance` is the patient's rating, 1 (little) to 5 (very much).
    """

    text: str = sensitive()
    source: ValueSource = ValueSource.STATED_IN_DISCUSSION
    index: int | None = None
    importance: int | None = None

    def _rules(self) -> Iterable[Problem]:
        if self.source is ValueSource.STATED_IN_DISCUSSION and self.index is not None:
            yield Problem(("index",), "only values taken from preferences have an index", "index")
        if self.source is not ValueSource.STATED_IN_DISCUSSION and self.index is None:
            yield Problem(("index",), "a value taken from preferences needs its index", "index")
        if self.index is not None and self.index < 0:
            yield Problem(("index",), "must not be negative", "range")
        if self.importance is not None and not 1 <= self.importance <= 5:
            yield Problem(("importance",), "importance is rated 1 to 5", "range")


@model
class DecisionMaker(Record):
    """Who decides: the patient, or a personal representative with decision authority."""

    member_id: str
    role: Role
    authority_basis: RepresentativeBasis | None = None
    also_patient_advocate: bool = False

    def _rules(self) -> Iterable[Problem]:
        if not self.member_id:
            yield Problem(("member_id",), "must not be empty", "empty")
        if self.role not in PATIENT_SIDE:
            yield Problem(
                ("role",),
                "only the patient or a personal representative decides (SDM-T03)",
                "decision_maker_role",
            )
        if self.role is Role.PERSONAL_REPRESENTATIVE and (
            self.authority_basis not in DECISION_AUTHORITY
        ):
            yield Problem(
                ("authority_basis",),
                "a personal representative decides only with decision authority "
                "(health-care power of attorney, guardianship, parent of a minor, surrogate)",
                "decision_authority",
            )
        if self.role is Role.PATIENT and self.authority_basis is not None:
            yield Problem(("authority_basis",), "the patient needs no authority basis", "basis")
        if self.role is Role.PATIENT and self.also_patient_advocate:
            yield Problem(("also_patient_advocate",), "the patient is not their advocate", "role")


@model
class ConflictOfInterest(Record):
    """A recorded conflict of interest of a participant (APHA Code items 3 and 5)."""

    member_id: str
    kind: ConflictOfInterestKind
    recorded_at: pendulum.DateTime
    note: str | None = sensitive(default=None)

    def _rules(self) -> Iterable[Problem]:
        if not self.member_id:
            yield Problem(("member_id",), "must not be empty", "empty")


@model
class ClinicianRecommendation(Record):
    """The clinician's recommendation, kept apart from the patient's choice."""

    option_id: str
    by_member_id: str
    at: pendulum.DateTime
    rationale: str | None = sensitive(default=None)


@model
class SureResult(Record):
    """A SURE test result: score 0-4; a score of 3 or less screens positive (SDM-T01)."""

    score: int
    positive_screen: bool

    def _rules(self) -> Iterable[Problem]:
        if not 0 <= self.score <= 4:
            yield Problem(("score",), "a SURE score is 0 to 4", "range")
        elif self.positive_screen != (self.score <= 3):
            yield Problem(
                ("positive_screen",), "positive exactly when the score is 3 or less", "sure"
            )


@model
class CollaborateEncounter(Record):
    """One encounter's CollaboRATE answers, each 0-9; ``None`` where the item was not answered.

    Items: effort to help you understand your health issues; to listen to the things that
    matter most to you; to include what matters most to you in choosing what to do next.
    """

    understand: int | None = None
    listen: int | None = None
    include: int | None = None

    def _rules(self) -> Iterable[Problem]:
        for name in ("understand", "listen", "include"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 9:
                yield Problem((name,), "CollaboRATE items are scored 0 to 9", "range")

    @property
    def complete(self) -> bool:
        return None not in (self.understand, self.listen, self.include)

    @property
    def top(self) -> bool:
        return self.understand == self.listen == self.include == 9


# --- measures ------------------------------------------------------------------------------

#: CollaboRATE is computed only with at least this many complete encounters (SDM-T02).
COLLABORATE_MIN_ENCOUNTERS: Final = 25


def sure_score(
    sure_of_myself: bool,
    understand_information: bool,
    risk_benefit_clear: bool,
    encouragement: bool,
) -> SureResult:
    """Score the SURE test: one point per "yes"; ≤3 is a positive screen (Légaré 2010)."""
    answers = {
        "sure_of_myself": sure_of_myself,
        "understand_information": understand_information,
        "risk_benefit_clear": risk_benefit_clear,
        "encouragement": encouragement,
    }
    bad = [
        Problem((k,), "expected true or false", "type")
        for k, v in answers.items()
        if type(v) is not bool
    ]
    if bad:
        raise ValidationError(bad, subject="SURE answers")
    score = sum(answers.values())
    return SureResult(score=score, positive_screen=score <= 3)


def collaborate_top_score(encounters: Iterable[CollaborateEncounter]) -> Decimal | None:
    """Share (0 to 1) of complete encounters where all three items are 9.

    Incomplete encounters are left out; ``None`` below 25 complete encounters (Elwyn,
    CollaboRATE scoring guidance).
    """
    complete = 0
    top = 0
    for i, e in enumerate(encounters):
        if not isinstance(e, CollaborateEncounter):
            raise ValidationError.single(
                ("encounters", i), "expected a CollaborateEncounter", "type"
            )
        if e.complete:
            complete += 1
            top += e.top
    if complete < COLLABORATE_MIN_ENCOUNTERS:
        return None
    return Decimal(top) / Decimal(complete)


# --- the aggregate -------------------------------------------------------------------------

_SUPPORTERS: Final = frozenset(
    {Role.TREATING_PROVIDER, Role.CARE_COORDINATOR, Role.PATIENT_ADVOCATE}
)

DECISION_LIFECYCLE: Final = Lifecycle(
    subject=SUBJECT,
    statuses=DecisionStatus,
    initial=DecisionStatus.OPEN,
    actions=(
        Action(
            name="present_options",
            sources=frozenset({DecisionStatus.OPEN}),
            target=DecisionStatus.OPTIONS_PRESENTED,
            roles=_SUPPORTERS,
            note="option talk: at least two options, doing nothing or waiting among them",
        ),
        Action(
            name="start_deliberation",
            sources=frozenset({DecisionStatus.OPTIONS_PRESENTED}),
            target=DecisionStatus.DELIBERATING,
            roles=frozenset({*PATIENT_SIDE, *_SUPPORTERS}),
        ),
        Action(
            name="decide",
            sources=frozenset({DecisionStatus.DELIBERATING}),
            target=DecisionStatus.DECIDED,
            roles=PATIENT_SIDE,
            note="only the recorded decision-maker: never the advocate or the coordinator",
        ),
        Action(
            name="revisit",
            sources=frozenset({DecisionStatus.DECIDED}),
            target=DecisionStatus.REVISITED,
            roles=frozenset({*PATIENT_SIDE, Role.TREATING_PROVIDER}),
            requires_reason=True,
        ),
        Action(
            name="resume_deliberation",
            sources=frozenset({DecisionStatus.REVISITED}),
            target=DecisionStatus.DELIBERATING,
            roles=frozenset({*PATIENT_SIDE, *_SUPPORTERS}),
        ),
    ),
)

#: Rows of the named operations that are not status transitions.
PERMISSIONS: Final = (
    Permission(subject=SUBJECT, action="give_decision_aid", roles=_SUPPORTERS),
    Permission(
        subject=SUBJECT, action="record_recommendation", roles=frozenset({Role.TREATING_PROVIDER})
    ),
    Permission(
        subject=SUBJECT,
        action="record_values",
        roles=frozenset({*PATIENT_SIDE, Role.PATIENT_ADVOCATE, Role.CARE_COORDINATOR}),
        note="advocate or coordinator only on the patient's behalf, attributed as such",
    ),
    Permission(
        subject=SUBJECT, action="record_sure", roles=frozenset({*PATIENT_SIDE, *_SUPPORTERS})
    ),
    Permission(subject=SUBJECT, action="change_decision_maker", roles=PATIENT_SIDE),
)

_POLICY: Final = RolePolicy.of(DECISION_LIFECYCLE.permissions(), PERMISSIONS)


@model
class TreatmentDecision(Record):
    """A shared treatment decision (domain.md §6.2).  Aggregate root."""

    id: str
    patient_id: str
    question: str = sensitive()
    condition_ref: str | None = None
    urgency: DecisionUrgency = DecisionUrgency.ROUTINE
    deadline: pendulum.DateTime | None = None
    options: tuple[DecisionOption, ...] = ()
    values_considered: tuple[ConsideredValue, ...] = ()
    decision_aids: tuple[DecisionAid, ...] = ()
    participants: tuple[Actor, ...] = ()
    preferred_role: DecisionRole | None = None
    actual_role: DecisionRole | None = None
    decision_maker: DecisionMaker
    conflicts: tuple[ConflictOfInterest, ...] = ()
    clinician_recommendation: ClinicianRecommendation | None = None
    chosen_option_id: str | None = None
    rationale: str | None = sensitive(default=None)
    decided_at: pendulum.DateTime | None = None
    sure_before: SureResult | None = None
    sure_after: SureResult | None = None
    status: DecisionStatus = DecisionStatus.OPEN
    history: tuple[TransitionRecord[DecisionStatus], ...] = ()
    changes: tuple[ChangeRecord, ...] = ()

    def _rules(self) -> Iterable[Problem]:
        for name in ("id", "patient_id"):
            if not getattr(self, name):
                yield Problem((name,), "must not be empty", "empty")
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            yield Problem(("options",), "two options share an id", "duplicate")
        if self.options and not any(o.is_do_nothing for o in self.options):
            yield Problem(
                ("options",),
                "doing nothing or waiting must be one of the options (SDM-001)",
                "do_nothing_required",
            )
        if self.status is not DecisionStatus.OPEN and len(self.options) < 2:
            yield Problem(("options",), "a decision presents at least two options", "options")
        if self.chosen_option_id is not None and self.chosen_option_id not in ids:
            yield Problem(("chosen_option_id",), "must be one of the options", "unknown_option")
        if self.status is DecisionStatus.DECIDED and (
            self.chosen_option_id is None or self.decided_at is None
        ):
            yield Problem(("chosen_option_id",), "a decided decision names its choice", "missing")
        rec = self.clinician_recommendation
        if rec is not None and rec.option_id not in ids:
            yield Problem(
                ("clinician_recommendation", "option_id"),
                "must be one of the options",
                "unknown_option",
            )
        aids = [(a.id, a.version) for a in self.decision_aids]
        if len(aids) != len(set(aids)):
            yield Problem(("decision_aids",), "the same aid version is listed twice", "duplicate")
        dm = self.decision_maker
        advocates = {p.member_id for p in self.participants if p.role is Role.PATIENT_ADVOCATE}
        if (dm.also_patient_advocate or dm.member_id in advocates) and not any(
            c.member_id == dm.member_id
            and c.kind is ConflictOfInterestKind.ADVOCATE_HOLDS_DECISION_AUTHORITY
            for c in self.conflicts
        ):
            yield Problem(
                ("conflicts",),
                "an advocate deciding as personal representative needs a recorded "
                "conflict of interest (SDM-T03)",
                "conflict_required",
            )
        yield from DECISION_LIFECYCLE.check_history(self.status, self.history)

    # --- queries -------------------------------------------------------------------------

    def option(self, option_id: str) -> DecisionOption:
        for o in self.options:
            if o.id == option_id:
                return o
        raise ValidationError.single(("options",), "no option with this id", "not_found")

    @property
    def chosen(self) -> DecisionOption | None:
        """The chosen option while the decision stands (status decided), else ``None``."""
        if self.status is not DecisionStatus.DECIDED or self.chosen_option_id is None:
            return None
        return self.option(self.chosen_option_id)

    def covers(self, treatment_code: str) -> bool:
        """True when the decision stands and its chosen option is this treatment."""
        chosen = self.chosen
        return chosen is not None and chosen.treatment_code == treatment_code

    # --- lifecycle operations ------------------------------------------------------------

    def present_options(
        self,
        options: Iterable[DecisionOption] | None = None,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        """Option talk: lay out the options (replacing any drafted ones)."""
        changes: dict[str, Any] = {}
        if options is not None:
            changes["options"] = tuple(options)
        return DECISION_LIFECYCLE.apply(
            self, "present_options", by=by, at=at, policy=policy or _POLICY, **changes
        )

    def start_deliberation(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> TreatmentDecision:
        return DECISION_LIFECYCLE.apply(
            self, "start_deliberation", by=by, at=at, policy=policy or _POLICY
        )

    def decide(
        self,
        option_id: str,
        *,
        by: Actor,
        at: pendulum.DateTime,
        actual_role: DecisionRole | None = None,
        rationale: str | None = None,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        """The decision-maker chooses an option.  Nobody else may, whatever their role."""
        pol = policy or _POLICY
        pol.require(by, SUBJECT, "decide")
        self._require_decision_maker(by, "decide")
        self.option(option_id)
        return DECISION_LIFECYCLE.apply(
            self,
            "decide",
            by=by,
            at=at,
            policy=pol,
            chosen_option_id=option_id,
            decided_at=require_aware(at, "at"),
            actual_role=actual_role if actual_role is not None else self.actual_role,
            rationale=rationale,
        )

    def revisit(
        self,
        *,
        by: Actor,
        at: pendulum.DateTime,
        reason: str,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        """Reopen a decision (new information, a change of mind).  The earlier choice stays on
        record until a new one replaces it."""
        return DECISION_LIFECYCLE.apply(
            self, "revisit", by=by, at=at, reason=reason, policy=policy or _POLICY
        )

    def resume_deliberation(
        self, *, by: Actor, at: pendulum.DateTime, policy: RolePolicy | None = None
    ) -> TreatmentDecision:
        return DECISION_LIFECYCLE.apply(
            self, "resume_deliberation", by=by, at=at, policy=policy or _POLICY
        )

    # --- other operations ----------------------------------------------------------------

    def give_decision_aid(
        self,
        aid: DecisionAid,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        (policy or _POLICY).require(by, SUBJECT, "give_decision_aid")
        result: TreatmentDecision = record_change(
            self,
            "give_decision_aid",
            trail="changes",
            by=by,
            at=at,
            decision_aids=(*self.decision_aids, aid),
        )
        return result

    def record_recommendation(
        self,
        recommendation: ClinicianRecommendation,
        *,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        """The treating clinician's recommendation, kept apart from the patient's choice."""
        (policy or _POLICY).require(by, SUBJECT, "record_recommendation")
        result: TreatmentDecision = record_change(
            self,
            "record_recommendation",
            trail="changes",
            by=by,
            at=at,
            clinician_recommendation=recommendation,
        )
        return result

    def record_values(
        self,
        values: Iterable[ConsideredValue],
        *,
        by: Actor,
        at: pendulum.DateTime,
        on_behalf_of_patient: bool = False,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        """Record the values and goals weighed.  An advocate or coordinator records them only
        on the patient's behalf (``on_behalf_of_patient=True``), and the record says so."""
        (policy or _POLICY).require(by, SUBJECT, "record_values")
        if by.role not in PATIENT_SIDE and not on_behalf_of_patient:
            raise ValidationError.single(
                ("on_behalf_of_patient",),
                f"a {by.role.value} records this only on the patient's behalf: "
                "pass on_behalf_of_patient=True",
                "attribution_required",
            )
        result: TreatmentDecision = record_change(
            self,
            "record_values",
            trail="changes",
            by=by,
            at=at,
            on_behalf_of_patient=on_behalf_of_patient,
            values_considered=tuple(values),
        )
        return result

    def record_sure(
        self,
        result: SureResult,
        *,
        after: bool,
        by: Actor,
        at: pendulum.DateTime,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        """Record a SURE result taken before (``after=False``) or after the decision."""
        (policy or _POLICY).require(by, SUBJECT, "record_sure")
        if after:
            out: TreatmentDecision = record_change(
                self, "record_sure", trail="changes", by=by, at=at, sure_after=result
            )
        else:
            out = record_change(
                self, "record_sure", trail="changes", by=by, at=at, sure_before=result
            )
        return out

    def change_decision_maker(
        self,
        decision_maker: DecisionMaker,
        *,
        by: Actor,
        at: pendulum.DateTime,
        conflict: ConflictOfInterest | None = None,
        policy: RolePolicy | None = None,
    ) -> TreatmentDecision:
        """Name a new decision-maker (the patient, or a representative with authority)."""
        (policy or _POLICY).require(by, SUBJECT, "change_decision_maker")
        if self.status is DecisionStatus.DECIDED:
            raise ValidationError.single(
                ("status",), "revisit the decision before changing who decides", "decided"
            )
        conflicts = self.conflicts if conflict is None else (*self.conflicts, conflict)
        out: TreatmentDecision = record_change(
            self,
            "change_decision_maker",
            trail="changes",
            by=by,
            at=at,
            decision_maker=decision_maker,
            conflicts=conflicts,
        )
        return out

    def _require_decision_maker(self, by: Actor, action: str) -> None:
        dm = self.decision_maker
        if (by.member_id, by.role) != (dm.member_id, dm.role):
            raise PermissionDenied(
                role=by.role.value,
                subject=SUBJECT,
                action=action,
                reason="only the recorded decision-maker decides",
            )


# --- findings ------------------------------------------------------------------------------

DECISION_RULES: Final = (
    Rule(
        code="SDM-001-values",
        severity=Severity.WARNING,
        summary="decided without recording the patient's values or goals",
        source="domain.md SDM-001 §6.2; AHRQ SHARE (assess values and preferences) "
        "https://www.ahrq.gov/professionals/education/curriculum-tools/shareddecisionmaking/"
        "tools/tool-8/index.html",
    ),
    Rule(
        code="SDM-001-role",
        severity=Severity.INFO,
        summary="the actual decision role differs from the role the patient preferred",
        source="domain.md SDM-001 §6.2; Control Preferences Scale "
        "https://cjnr.archive.mcgill.ca/article/view/1396",
    ),
    Rule(
        code="SDM-T01",
        severity=Severity.WARNING,
        summary="SURE after the decision screens positive for decisional conflict",
        source="domain.md SDM-T01; Légaré 2010 https://www.cfp.ca/content/56/8/e308",
    ),
    Rule(
        code="SDM-001-deadline",
        severity=Severity.WARNING,
        summary="the decision deadline has passed without a decision",
        source="domain.md SDM-001 §6.2 (deadline/urgency); Ottawa Personal Decision Guide "
        "https://decisionaid.ohri.ca/decguide.html",
    ),
)
_RULE: Final = {r.code: r for r in DECISION_RULES}


def decision_findings(decision: TreatmentDecision, at: pendulum.DateTime) -> tuple[Finding, ...]:
    """Soft checks of a decision record at instant `at` (nothing here is refused)."""
    if not isinstance(decision, TreatmentDecision):
        raise ValidationError.single(("decision",), "expected a TreatmentDecision", "type")
    at = require_aware(at, "at")
    out: list[Finding] = []
    decided = decision.status is DecisionStatus.DECIDED
    if decided and not decision.values_considered:
        out.append(_RULE["SDM-001-values"].finding(("values_considered",)))
    if (
        decision.preferred_role is not None
        and decision.actual_role is not None
        and decision.preferred_role is not decision.actual_role
    ):
        out.append(_RULE["SDM-001-role"].finding(("actual_role",)))
    if decision.sure_after is not None and decision.sure_after.positive_screen:
        out.append(_RULE["SDM-T01"].finding(("sure_after",)))
    if not decided and decision.deadline is not None and earlier(decision.deadline, at):
        out.append(_RULE["SDM-001-deadline"].finding(("deadline",)))
    return tuple(out)
