"""CarePlan <-> FHIR CarePlan with contained Conditions (needs) and Goals; Goal <-> Goal.

A careroles plan owns its needs and goals (their ids are unique within the plan only), so they
travel as *contained* resources of the CarePlan, referenced as ``#<id>``.  A goal exported on
its own (``to_fhir(goal, patient_id=...)``) is a standalone Goal.
"""

from __future__ import annotations

from typing import Any, Final

from careroles.care_plans import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CarePlan,
    CarePlanStatus,
    Goal,
    GoalAchievement,
    GoalStatus,
    Need,
    NeedKind,
    SdohCategory,
    Target,
)
from careroles.errors import Path, ValidationError
from careroles.fhir._common import (
    FIELD_PATHS,
    Reader,
    as_dict,
    as_list,
    build,
    code_url,
    enum_table,
    fhir_id,
    find_code,
    literal,
    member_reference,
    parse_date,
    period_json,
    read_reference,
    read_rest,
    reference_at,
    rest_extensions,
    split_reference,
)
from careroles.fhir._elements import ELEMENTS
from careroles.periods import Period

SDOHCC_CATEGORY: Final = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
)
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
GOAL_ACHIEVEMENT: Final = "http://terminology.hl7.org/CodeSystem/goal-achievement"
NEED_KIND_SYSTEM: Final = code_url("need-kind")

_PLAN_HANDLED: Final = frozenset(
    {
        "id",
        "patient_id",
        "care_team_id",
        "title",
        "needs",
        "goals",
        "activities",
        "period",
        "status",
    }
)
_NEED_HANDLED: Final = frozenset({"id", "kind", "description", "code", "category"})
_GOAL_HANDLED: Final = frozenset(
    {
        "id",
        "description",
        "stated_by_patient",
        "target",
        "due",
        "status",
        "achievement",
        "need_ids",
    }
)
_ACTIVITY_HANDLED: Final = frozenset(
    {
        "id",
        "description",
        "treatment_code",
        "responsible_member_id",
        "goal_ids",
        "need_ids",
        "due",
        "status",
        "appointment_id",
    }
)
#: CarePlan.activity.detail.kind -> the careroles activity kind assumed when nothing says more.
DETAIL_KINDS: Final[dict[str, ActivityKind]] = {
    "Appointment": ActivityKind.FOLLOW_UP,
    "CommunicationRequest": ActivityKind.EDUCATION,
    "DeviceRequest": ActivityKind.TREATMENT,
    "MedicationRequest": ActivityKind.MEDICATION,
    "NutritionOrder": ActivityKind.SUPPORTIVE_SERVICE,
    "ServiceRequest": ActivityKind.REFERRAL,
    "Task": ActivityKind.OTHER,
    "VisionPrescription": ActivityKind.TREATMENT,
}


def _local(rid: str) -> dict[str, str]:
    return {"reference": f"#{rid}"}


# --- export ------------------------------------------------------------------------------------


def need_to_fhir(need: Need, patient_id: str) -> dict[str, Any]:
    category = [
        {
            "coding": [
                {"system": CONDITION_CATEGORY, "code": "health-concern"},
                {"system": NEED_KIND_SYSTEM, "code": need.kind.value},
            ]
        }
    ]
    if need.category is not None:
        category.append({"coding": [{"system": SDOHCC_CATEGORY, "code": need.category.value}]})
    code: dict[str, Any] = {"text": need.description}
    if need.code is not None:
        code["coding"] = [{"code": need.code}]
    out: dict[str, Any] = {"resourceType": "Condition", "id": fhir_id(need.id, ("needs", "id"))}
    if exts := rest_extensions(need, "need", _NEED_HANDLED):
        out["extension"] = exts
    out.update(category=category, code=code, subject=literal("Patient", patient_id))
    return out


def goal_to_fhir(goal: Goal, *, patient_id: str | None, contained: bool = False) -> dict[str, Any]:
    if patient_id is None:
        raise ValidationError.single(
            ("patient_id",), "a Goal needs the patient's id: pass patient_id=", "missing"
        )
    handled = _GOAL_HANDLED if contained else _GOAL_HANDLED - {"need_ids"}
    out: dict[str, Any] = {"resourceType": "Goal", "id": fhir_id(goal.id, ("id",))}
    if exts := rest_extensions(goal, "goal", handled):
        out["extension"] = exts
    out["lifecycleStatus"] = goal.status.value
    if goal.achievement is not None:
        out["achievementStatus"] = {
            "coding": [{"system": GOAL_ACHIEVEMENT, "code": goal.achievement.value}]
        }
    out["description"] = {"text": goal.description}
    out["subject"] = literal("Patient", fhir_id(patient_id, ("patient_id",)))
    target: dict[str, Any] = {}
    if goal.target is not None:
        target.update(measure={"text": goal.target.measure}, detailString=goal.target.detail)
    if goal.due is not None:
        target["dueDate"] = goal.due.isoformat()
    if target:
        out["target"] = [target]
    if goal.stated_by_patient:
        out["expressedBy"] = literal("Patient", patient_id)
    if contained and goal.need_ids:
        out["addresses"] = [_local(n) for n in goal.need_ids]
    return out


def _activity(act: Activity) -> dict[str, Any]:
    detail: dict[str, Any] = {}
    if act.treatment_code is not None:
        detail["code"] = {"coding": [{"code": act.treatment_code}]}
    if act.need_ids:
        detail["reasonReference"] = [_local(n) for n in act.need_ids]
    if act.goal_ids:
        detail["goal"] = [_local(g) for g in act.goal_ids]
    detail["status"] = act.status.value
    if act.due is not None:
        detail["scheduledPeriod"] = {"end": act.due.isoformat()}
    if act.responsible_member_id is not None:
        detail["performer"] = [member_reference(act.responsible_member_id, "Practitioner")]
    detail["description"] = act.description
    out: dict[str, Any] = {"id": act.id}
    if exts := rest_extensions(act, "activity", _ACTIVITY_HANDLED):
        out["extension"] = exts
    if act.appointment_id is not None:
        out["outcomeReference"] = [literal("Appointment", act.appointment_id)]
    out["detail"] = detail
    return out


def care_plan_to_fhir(plan: CarePlan) -> dict[str, Any]:
    pid = fhir_id(plan.patient_id, ("patient_id",))
    out: dict[str, Any] = {"resourceType": "CarePlan", "id": fhir_id(plan.id, ("id",))}
    contained = [need_to_fhir(n, pid) for n in plan.needs]
    contained += [goal_to_fhir(g, patient_id=pid, contained=True) for g in plan.goals]
    if contained:
        out["contained"] = contained
    if exts := rest_extensions(plan, "care-plan", _PLAN_HANDLED):
        out["extension"] = exts
    out.update(status=plan.status.value, intent="plan", title=plan.title)
    out["subject"] = literal("Patient", pid)
    if plan.period is not None:
        out["period"] = period_json(plan.period)
    out["careTeam"] = [literal("CareTeam", fhir_id(plan.care_team_id, ("care_team_id",)))]
    if plan.needs:
        out["addresses"] = [_local(n.id) for n in plan.needs]
    if plan.goals:
        out["goal"] = [_local(g.id) for g in plan.goals]
    if plan.activities:
        out["activity"] = [_activity(a) for a in plan.activities]
    return out


# --- import ------------------------------------------------------------------------------------


def _text(concept: Any) -> str | None:
    c = as_dict(concept)
    if isinstance(c.get("text"), str) and c["text"]:
        return str(c["text"])
    for coding in as_list(c.get("coding")):
        if isinstance(coding, dict):
            for key in ("display", "code"):
                if isinstance(coding.get(key), str) and coding[key]:
                    return str(coding[key])
    return None


def _local_ids(r: Reader, node: Any, key: str, path: Path, known: set[str]) -> tuple[str, ...]:
    out = []
    for p, ref in r.items(node, key, path):
        text = ref.get("reference")
        if isinstance(text, str) and text.startswith("#") and text[1:] in known:
            out.append(text[1:])
        else:
            r.drop(p)
    return tuple(out)


def _need(r: Reader, res: dict[str, Any], path: Path) -> Need | None:
    rid = res.get("id")
    description = _text(res.get("code"))
    if not isinstance(rid, str) or description is None:
        r.drop(path)
        return None
    kind = None
    category = None
    for concept in as_list(res.get("category")):
        kind = kind or find_code(concept, NEED_KIND_SYSTEM, enum_table(NeedKind))
        category = category or find_code(concept, SDOHCC_CATEGORY, enum_table(SdohCategory))
    kind = kind or (NeedKind.SOCIAL if category is not None else NeedKind.CLINICAL)
    if kind is NeedKind.CLINICAL:
        category = None
    elif category is None:
        category = SdohCategory.SDOH_CATEGORY_UNSPECIFIED
    codes = [
        c.get("code")
        for c in as_list(as_dict(res.get("code")).get("coding"))
        if isinstance(c, dict) and isinstance(c.get("code"), str)
    ]
    try:
        return Need(
            id=rid,
            kind=kind,
            description=description,
            code=codes[0] if codes else None,
            category=category,
            **read_rest(r, res, Need, "need", _NEED_HANDLED, path),
        )
    except ValidationError as exc:
        r.problems.extend(p.prefixed((r.type, *path)) for p in exc.problems)
        return None


def _goal(r: Reader, res: dict[str, Any], path: Path, needs: set[str] | None) -> Goal | None:
    """A Goal resource as a careroles goal; `needs` is the plan's need ids (None: standalone)."""
    rid = r.string(res, "id", path, required=True)
    status = r.code(res, "lifecycleStatus", path, enum_table(GoalStatus), required=True)
    description = _text(res.get("description"))
    if "description" not in res:
        r.problem((*path, "description"), "description is required", "missing")
    elif description is None:
        r.problem((*path, "description"), "a goal needs a description text or coding", "missing")
    read_reference(r, res, "subject", path, required=True)
    achievement = None
    if "achievementStatus" in res:
        achievement = find_code(
            res["achievementStatus"], GOAL_ACHIEVEMENT, enum_table(GoalAchievement)
        )
    target = None
    due = None
    targets = r.items(res, "target", path)
    if targets:
        tpath, t = targets[0]
        measure = _text(t.get("measure"))
        detail = t.get("detailString")
        if measure and isinstance(detail, str) and detail:
            target = Target(measure=measure, detail=detail)
        if isinstance(t.get("dueDate"), str):
            due = parse_date(t["dueDate"])
            if due is None:
                r.problem((*tpath, "dueDate"), "expected a full date", "date_format")
    expressed = as_dict(res.get("expressedBy")).get("reference")
    expressed = r.urls.get(expressed, expressed) if isinstance(expressed, str) else None
    stated = isinstance(expressed, str) and (
        split_reference(expressed)[0] == "Patient" or expressed.startswith("Patient")
    )
    handled = _GOAL_HANDLED if needs is not None else _GOAL_HANDLED - {"need_ids"}
    rest = read_rest(r, res, Goal, "goal", handled, path)
    if needs is not None:
        rest["need_ids"] = _local_ids(r, res, "addresses", path, needs)
    if rid is None or status is None or description is None:
        return None
    try:
        return Goal(
            id=rid,
            description=description,
            stated_by_patient=stated,
            target=target,
            due=due,
            status=status,
            achievement=achievement,
            **rest,
        )
    except ValidationError as exc:
        r.problems.extend(p.prefixed((r.type, *path)) for p in exc.problems)
        return None


def goal_from_fhir(r: Reader) -> Goal:
    r.check_elements(ELEMENTS["Goal"], ("lifecycleStatus", "description", "subject"))
    _, patient_id, _ = read_reference(r, r.root, "subject", ())
    r.context["patient_id"] = patient_id
    goal = _goal(r, r.root, (), None)
    r.fail_if_problems()
    assert goal is not None
    return goal


def _activity_from(
    r: Reader, a: dict[str, Any], path: Path, i: int, goals: set[str], needs: set[str]
) -> Activity | None:
    detail = r.obj(a, "detail", path)
    dpath = (*path, "detail")
    description = (
        (detail.get("description") if isinstance(detail.get("description"), str) else None)
        or _text(detail.get("code"))
        or as_dict(a.get("reference")).get("display")
    )
    if not description:
        r.drop(path)
        return None
    status = (
        r.code(detail, "status", dpath, enum_table(ActivityStatus), required=True)
        if detail
        else ActivityStatus.UNKNOWN
    )
    codes = [
        c.get("code")
        for c in as_list(as_dict(detail.get("code")).get("coding"))
        if isinstance(c, dict) and isinstance(c.get("code"), str) and c.get("code")
    ]
    member = None
    for ppath, perf in r.items(detail, "performer", dpath):
        _, member, _ = reference_at(r, perf, ppath)
        break
    due = None
    end = as_dict(detail.get("scheduledPeriod")).get("end")
    if isinstance(end, str):
        due = parse_date(end[:10])
    appointment = None
    for opath, ref in r.items(a, "outcomeReference", path):
        rtype, rid, _ = reference_at(r, ref, opath)
        if rtype == "Appointment" and appointment is None:
            appointment = rid
        else:
            r.drop(opath)
    rest = read_rest(r, a, Activity, "activity", _ACTIVITY_HANDLED, path)
    rest.setdefault("kind", DETAIL_KINDS.get(str(detail.get("kind")), ActivityKind.OTHER))
    raw_id = a.get("id")
    if status is None:
        return None
    try:
        return Activity(
            id=raw_id if isinstance(raw_id, str) else f"activity-{i}",
            description=str(description),
            treatment_code=codes[0] if codes else None,
            responsible_member_id=member,
            goal_ids=_local_ids(r, detail, "goal", dpath, goals),
            need_ids=_local_ids(r, detail, "reasonReference", dpath, needs),
            due=due,
            status=status,
            appointment_id=appointment,
            **rest,
        )
    except ValidationError as exc:
        r.problems.extend(p.prefixed((r.type, *path)) for p in exc.problems)
        return None


def care_plan_from_fhir(r: Reader) -> CarePlan:
    root = r.root
    r.check_elements(ELEMENTS["CarePlan"], ("status", "intent", "subject"))
    pid = r.string(root, "id", (), required=True)
    status = r.code(root, "status", (), enum_table(CarePlanStatus))
    r.string(root, "intent", ())
    _, patient_id, _ = read_reference(r, root, "subject", ())
    needs: list[Need] = []
    goals: list[Goal] = []
    contained = r.items(root, "contained", ())
    for path, res in contained:
        need = _need(r, res, path) if res.get("resourceType") == "Condition" else None
        if need is not None:
            needs.append(need)
    need_ids = {n.id for n in needs}
    for path, res in contained:
        if res.get("resourceType") == "Goal":
            if (goal := _goal(r, res, path, need_ids)) is not None:
                goals.append(goal)
        elif res.get("resourceType") != "Condition":
            r.drop(path)
    goal_ids = {g.id for g in goals}
    _local_ids(r, root, "addresses", (), need_ids)
    _local_ids(r, root, "goal", (), goal_ids)
    team = None
    for path, ref in r.items(root, "careTeam", ()):
        _, team, _ = reference_at(r, ref, path)
        break
    start, end = r.period(root, "period", ())
    activities = []
    for i, (path, a) in enumerate(r.items(root, "activity", ())):
        act = _activity_from(r, a, path, i, goal_ids, need_ids)
        if act is not None:
            activities.append(act)
    title = root.get("title") or root.get("description")
    rest = read_rest(r, root, CarePlan, "care-plan", _PLAN_HANDLED, ())
    # a period without a start has no careroles form: not carried (reported)
    period = Period(start=start, end=end) if start is not None else None
    r.fail_if_problems()
    return build(
        r,
        CarePlan,
        id=pid,
        patient_id=patient_id,
        # careroles requires both; a plan from elsewhere may have neither (docs/fhir.md)
        care_team_id=team or "unassigned",
        title=title if isinstance(title, str) and title else "(untitled)",
        needs=tuple(needs),
        goals=tuple(goals),
        activities=tuple(activities),
        period=period,
        status=status,
        **rest,
    )


FIELD_PATHS[CarePlan] = {
    "title": ("title",),
    "patient_id": ("subject",),
    "care_team_id": ("careTeam",),
    "period": ("period",),
    "needs": ("contained",),
    "goals": ("contained",),
    "activities": ("activity",),
    "status": ("status",),
}
