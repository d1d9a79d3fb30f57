"""The program year before the engagements: a cohort's settings with its checklist and rubric,
applications and their eligibility, inspections (the company's answer, the mentors' checklist),
the committee's assignments, scores and conflicts of interest, the ranking, decisions and the
funnel. The pages' services (webapp.programs) do the work, so the rules, the races settled in
the database and the refusals are the pages': 422 naming the fields, 409 for the current state,
in English as the rest of the API.

Who sees what (webapp.programs.access): coordinators everything; an evaluator only the
applications assigned to them (no contact details, no other evaluator's scores); a company only
its own applications (by its business number); a mentor the applications and inspections of
their pair. Another's record is 404.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, jsonify, request, url_for
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.api.base import MAX_PER_PAGE, bp, int_arg, invalid, json_object, principal, require
from webapp.api.serialize import iso
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.models import Municipality
from webapp.directory.queries import paginate
from webapp.programs import checklist, eligibility, evaluation, inspections, rubrics
from webapp.programs.access import visible_applications, visible_inspections
from webapp.programs.application_models import Application, Decision, Eligibility
from webapp.programs.applications import MILLION, is_open, tracks_of
from webapp.programs.evaluation_models import EvaluationAssignment
from webapp.programs.funnel import STAGES, funnel
from webapp.programs.inspection_models import Inspection, InspectionPair, InspectionState
from webapp.programs.models import Cohort
from webapp.programs.photos import photos_of
from webapp.programs.text import Refused

P = "/programs"
JSON_TYPES = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    dict: "an object",
    list: "an array",
}


def _refused(exc: Refused) -> NoReturn:
    """A service's refusal as the API's answer: 409 for the current state, else 422."""
    db().rollback()
    if exc.conflict:
        abort(409, str(exc))
    abort(invalid(exc.messages()))


def _field(body: dict, name: str, kind: type, *, required: bool = False, default: Any = None) -> Any:
    """The body's `name`, of JSON type `kind`; missing (when required) or another type is 422."""
    if name not in body:
        if required:
            abort(invalid({name: "is required"}))
        return default
    value = body[name]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        abort(invalid({name: f"must be {JSON_TYPES[kind]}"}))
    return value


def _page(statement, serialize) -> Any:
    page = paginate(db(), statement, int_arg("page", 1), int_arg("per_page", 25, MAX_PER_PAGE))
    return jsonify(
        items=[serialize(x) for x in page.items], total=page.total, page=page.number, pages=page.pages
    )


def _choice(name: str, vocabulary) -> str | None:
    """A query argument that must be one of a vocabulary's values (400 otherwise)."""
    value = request.args.get(name)
    allowed = [v.value for v in vocabulary]
    if value is not None and value not in allowed:
        abort(400, f"{name} must be one of {', '.join(allowed)}")
    return value


def _created(body: dict):
    response = jsonify(body)
    response.status_code = 201
    return response


# --- cohorts: settings, checklist and rubric ----------------------------------------------


def _cohort(cohort_id: int) -> Cohort:
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404, "no such cohort")
    return cohort


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def sheet_json(cohort: Cohort, kind: rubrics.Kind) -> dict:
    items = rubrics.items_of(cohort, kind)
    return {
        "items": items,
        "basis": rubrics.basis(items),
        "scored": rubrics.sheets_scored(db(), id_of(cohort), kind),
    }


def cohort_json(c: Cohort) -> dict:
    return {
        "id": id_of(c),
        "name": c.name,
        "year": c.year,
        "status": c.status,
        "applications_open_at": iso(c.applications_open_at),
        "applications_close_at": iso(c.applications_close_at),
        "applications_open": is_open(c),
        "rules": {
            "no_other_project": c.rule_no_other_project,
            "no_tax_arrears": c.rule_no_tax_arrears,
            "not_closed": c.rule_not_closed,
        },
        "tracks": [
            {
                "code": t.code,
                "name": t.name,
                "quota": t.quota,
                "max_revenue_krw": t.max_revenue_krw,
                "max_employees": t.max_employees,
                "first_time_only": t.first_time_only,
            }
            for t in tracks_of(db(), c)
        ],
        "inspection_window": {
            "first_day": c.inspection_first_day.isoformat() if c.inspection_first_day else None,
            "last_day": c.inspection_last_day.isoformat() if c.inspection_last_day else None,
            "day_start": _clock(c.inspection_day_start),
            "day_end": _clock(c.inspection_day_end),
            "minutes": c.inspection_minutes,
        },
        "checklist": sheet_json(c, "checklist"),
        "rubric": sheet_json(c, "rubric"),
    }


@bp.get(f"{P}/cohorts/<id:cohort_id>")
def program_cohort(cohort_id: int):
    return jsonify(cohort_json(_cohort(cohort_id)))


@bp.put(f"{P}/cohorts/<id:cohort_id>/<any(checklist, rubric):kind>")
def program_sheet(cohort_id: int, kind: rubrics.Kind):
    """Replace the checklist or the rubric (coordinators) while no sheet uses it; `basis` is the
    one read with the items (a change made meanwhile is 409)."""
    require(Role.coordinator)
    cohort = _cohort(cohort_id)
    body = json_object()
    items = _field(body, "items", list, required=True)
    form = {"basis": _field(body, "basis", str, required=True)}
    if len(items) > rubrics.MAX_ITEMS:
        abort(invalid({"items": f"at most {rubrics.MAX_ITEMS} items"}))
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            abort(invalid({f"item{i}": "must be an object"}))
        form.update(
            {f"item{i}_{k}": str(item[k]) for k in ("key", "ko", "en", "weight") if item.get(k) is not None}
        )
        form[f"item{i}_order"] = str(i + 1)
    try:
        rubrics.save_items(db(), cohort, kind, form, principal().id)
    except rubrics.SheetInvalid as exc:
        _refused(exc)
    return jsonify(sheet_json(cohort, kind))


# --- applications and eligibility ---------------------------------------------------------


def application_json(a: Application) -> dict:
    who = principal()
    sees_outcome = who.role == Role.coordinator or who.role == Role.company
    decided = a.decision != Decision.pending.value
    return {
        "id": id_of(a),
        "cohort_id": a.cohort_id,
        "business_reg_no": a.business_reg_no,
        "company_name": a.company_name,
        "representative": a.representative,
        "industry": a.industry_code,
        "municipality": get_existing(db(), Municipality, a.municipality_id).name_en,
        "municipality_id": a.municipality_id,
        "address": a.address,
        "lat": a.lat,
        "lon": a.lon,
        "revenue_million_krw": a.revenue_krw // MILLION,
        "employees": a.employees,
        "previous_support": a.previous_support,
        "other_project": a.other_project,
        "tax_arrears": a.tax_arrears,
        "closed": a.closed,
        "track": a.track,
        "source": a.source,
        "consent_at": iso(a.consent_at),
        "consent_version": a.consent_version,
        "eligibility": a.eligibility,
        "eligibility_reasons": [
            {"code": r.get("code", ""), "text": eligibility.reason_text(r)} for r in a.eligibility_reasons
        ],
        "eligibility_overridden": a.eligibility_overridden,
        "override_note": a.override_note if who.role == Role.coordinator else None,
        "contact": None
        if who.role == Role.evaluator
        else {"name": a.contact_name, "phone": a.contact_phone, "email": a.contact_email},
        "score": a.score if who.role == Role.coordinator or (sees_outcome and decided) else None,
        "decision": a.decision,
        "decision_reason": a.decision_reason if sees_outcome else None,
        "decided_at": iso(a.decided_at),
        "company_id": a.company_id,
        "created_at": iso(a.created_at),
        "updated_at": iso(a.updated_at),
    }


def _application(application_id: int) -> Application:
    application = (
        db().exec(visible_applications(principal()).where(col(Application.id) == application_id)).first()
    )
    if application is None:
        abort(404, "no such application")
    return application


@bp.get(f"{P}/applications")
def program_applications():
    statement = visible_applications(principal())
    if request.args.get("cohort") is not None:
        statement = statement.where(col(Application.cohort_id) == int_arg("cohort", 0))
    for name, vocabulary, column in (
        ("eligibility", Eligibility, Application.eligibility),
        ("decision", Decision, Application.decision),
    ):
        if (value := _choice(name, vocabulary)) is not None:
            statement = statement.where(col(column) == value)
    if track := request.args.get("track"):
        statement = statement.where(col(Application.track) == track.strip().upper())
    return _page(statement.order_by(col(Application.id)), application_json)


@bp.get(f"{P}/applications/<id:application_id>")
def program_application(application_id: int):
    return jsonify(application_json(_application(application_id)))


@bp.post(f"{P}/applications/<id:application_id>/eligibility")
def program_eligibility(application_id: int):
    """Decide eligibility by hand with a note (coordinators); `eligible: null` returns the
    application to the cohort's rules."""
    require(Role.coordinator)
    application = _application(application_id)
    body = json_object()
    if "eligible" not in body:
        abort(invalid({"eligible": "is required: true, false, or null to return to the rules"}))
    try:
        if body["eligible"] is None:
            eligibility.clear_override(db(), application, principal().id)
        else:
            eligible = _field(body, "eligible", bool)
            note = _field(body, "note", str, default="")
            eligibility.override(db(), application, eligible, note, principal().id)
    except Refused as exc:
        _refused(exc)
    return jsonify(application_json(application))


@bp.post(f"{P}/applications/<id:application_id>/decision")
def program_decision(application_id: int):
    """Selected, waitlisted or rejected with a reason (coordinators); the company is mailed.
    `expected` is the decision the caller saw: 409 when someone decided meanwhile."""
    require(Role.coordinator)
    application = _application(application_id)
    body = json_object()
    decision = _field(body, "decision", str, required=True)
    expected = _field(body, "expected", str, required=True)
    reason = _field(body, "reason", str, default="")
    try:
        evaluation.decide(db(), application, decision, reason, expected, principal().id)
    except Refused as exc:
        _refused(exc)
    return jsonify(application_json(application))


# --- inspections --------------------------------------------------------------------------


def inspection_json(i: Inspection) -> dict:
    application = get_existing(db(), Application, i.application_id)
    pair = get_existing(db(), InspectionPair, i.pair_id)
    findings = None
    if principal().role != Role.company:
        findings = {
            "checklist": dict(i.checklist or {}),
            "recommendation": i.recommendation,
            "summary": i.summary,
            "checked_at": iso(i.checked_at),
            "photos": [
                {
                    "url": url_for("media.photo", photo_id=p.id, _external=True),
                    "thumbnail_url": url_for("media.thumbnail", photo_id=p.id, _external=True),
                }
                for p in photos_of(db(), id_of(i))
            ],
        }
    return {
        "id": id_of(i),
        "cohort_id": i.cohort_id,
        "application_id": i.application_id,
        "company_name": application.company_name,
        "address": application.address,
        "lat": application.lat,
        "lon": application.lon,
        "pair_id": i.pair_id,
        "mentor_ids": [pair.mentor_a_id, pair.mentor_b_id],
        "day": i.day.isoformat(),
        "seq": i.seq,
        "starts_at": iso(i.starts_at),
        "ends_at": iso(i.ends_at),
        "travel_minutes": i.travel_minutes,
        "state": i.state,
        "decline_note": i.decline_note,
        "findings": findings,
    }


def _inspection(inspection_id: int) -> Inspection:
    inspection = (
        db().exec(visible_inspections(principal()).where(col(Inspection.id) == inspection_id)).first()
    )
    if inspection is None:
        abort(404, "no such inspection")
    return inspection


@bp.get(f"{P}/inspections")
def program_inspections():
    statement = visible_inspections(principal())
    if request.args.get("cohort") is not None:
        statement = statement.where(col(Inspection.cohort_id) == int_arg("cohort", 0))
    if (state := _choice("state", InspectionState)) is not None:
        statement = statement.where(col(Inspection.state) == state)
    return _page(statement.order_by(col(Inspection.starts_at), col(Inspection.id)), inspection_json)


@bp.get(f"{P}/inspections/<id:inspection_id>")
def program_inspection(inspection_id: int):
    return jsonify(inspection_json(_inspection(inspection_id)))


def _answer(inspection_id: int, action) -> Any:
    """The company's answer to its offered time (companies, their own only)."""
    require(Role.company)
    inspection = _inspection(inspection_id)
    application = get_existing(db(), Application, inspection.application_id)
    try:
        action(application)
    except Refused as exc:
        _refused(exc)
    return jsonify(inspection_json(inspection))


@bp.post(f"{P}/inspections/<id:inspection_id>/confirm")
def program_inspection_confirm(inspection_id: int):
    return _answer(inspection_id, lambda a: inspections.confirm(db(), a, inspection_id))


@bp.post(f"{P}/inspections/<id:inspection_id>/decline")
def program_inspection_decline(inspection_id: int):
    note = _field(json_object(), "note", str, default="")
    return _answer(inspection_id, lambda a: inspections.decline(db(), a, inspection_id, note))


@bp.put(f"{P}/inspections/<id:inspection_id>/checklist")
def program_checklist(inspection_id: int):
    """Save the checklist as a draft, or finish the inspection (the pair's mentors). Photos are
    added on the checklist's page."""
    require(Role.mentor)
    inspection = checklist.owned(db(), inspection_id, principal().mentor_id)
    if inspection is None:
        abort(404, "no such inspection")
    body = json_object()
    form: dict[str, str] = {}
    for key, entry in _field(body, "items", dict, default={}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("note", ""), str):
            abort(invalid({f"items.{key}": 'must be an object {"score": 1-5 or null, "note": text}'}))
        score = entry.get("score")
        form[f"score_{key}"] = "" if score is None else str(score)
        form[f"note_{key}"] = entry.get("note", "")
    form["recommendation"] = _field(body, "recommendation", str, default="")
    form["summary"] = _field(body, "summary", str, default="")
    finish = _field(body, "finish", bool, default=False)
    try:
        checklist.save(db(), inspection, form, principal().id, finish=finish)
    except Refused as exc:
        _refused(exc)
    return jsonify(inspection_json(inspection))


# --- the committee ------------------------------------------------------------------------


def evaluation_json(a: EvaluationAssignment) -> dict:
    return {
        "id": id_of(a),
        "application_id": a.application_id,
        "evaluator_id": a.evaluator_id,
        "scores": dict(a.scores or {}),
        "comment": a.comment,
        "total": a.total,
        "submitted_at": iso(a.submitted_at),
        "created_at": iso(a.created_at),
    }


def _evaluations():
    """Assignments the caller may see: an evaluator's own, every one for coordinators."""
    require(Role.coordinator, Role.evaluator)
    statement = select(EvaluationAssignment)
    if principal().role == Role.evaluator:
        statement = statement.where(col(EvaluationAssignment.evaluator_id) == principal().id)
    return statement


@bp.get(f"{P}/evaluations")
def program_evaluations():
    statement = _evaluations()
    if request.args.get("cohort") is not None:
        statement = statement.join(
            Application, col(Application.id) == EvaluationAssignment.application_id
        ).where(col(Application.cohort_id) == int_arg("cohort", 0))
    return _page(statement.order_by(col(EvaluationAssignment.id)), evaluation_json)


def _evaluation(assignment_id: int) -> EvaluationAssignment:
    assignment = db().exec(_evaluations().where(col(EvaluationAssignment.id) == assignment_id)).first()
    if assignment is None:
        abort(404, "no such evaluation")
    return assignment


@bp.get(f"{P}/evaluations/<id:assignment_id>")
def program_evaluation(assignment_id: int):
    return jsonify(evaluation_json(_evaluation(assignment_id)))


@bp.put(f"{P}/evaluations/<id:assignment_id>")
def program_scores(assignment_id: int):
    """Submit (or correct) scores 0-100 per criterion of the cohort's rubric (the evaluator)."""
    require(Role.evaluator)
    assignment = _evaluation(assignment_id)
    body = json_object()
    form = {str(key): str(value) for key, value in _field(body, "scores", dict, required=True).items()}
    form["comment"] = _field(body, "comment", str, default="")
    try:
        evaluation.submit_scores(db(), assignment, form, principal().id)
    except Refused as exc:
        _refused(exc)
    return jsonify(evaluation_json(assignment))


@bp.post(f"{P}/conflicts")
def program_conflict():
    """Declare a conflict of interest with a company (by business number): an evaluator their
    own, a coordinator an evaluator's (`evaluator_id`). Their assignments of it are withdrawn."""
    require(Role.coordinator, Role.evaluator)
    body = json_object()
    who = principal()
    evaluator_id = who.id if who.role == Role.evaluator else _field(body, "evaluator_id", int, required=True)
    business_reg_no = _field(body, "business_reg_no", str, required=True)
    reason = _field(body, "reason", str, default="")
    try:
        withdrawn = evaluation.declare_conflict(db(), evaluator_id, business_reg_no, reason, who.id)
    except Refused as exc:
        _refused(exc)
    return _created({"evaluator_id": evaluator_id, "withdrawn": withdrawn})


@bp.post(f"{P}/cohorts/<id:cohort_id>/assign")
def program_assign(cohort_id: int):
    """Give every eligible application up to `panel` evaluators, least-loaded first, never one
    with a conflict (coordinators)."""
    require(Role.coordinator)
    cohort = _cohort(cohort_id)
    panel = _field(json_object(), "panel", int, default=evaluation.DEFAULT_PANEL)
    if not 1 <= panel <= evaluation.MAX_PANEL:
        abort(invalid({"panel": f"must be from 1 to {evaluation.MAX_PANEL}"}))
    try:
        added = evaluation.auto_assign(db(), cohort, principal().id, panel)
    except Refused as exc:
        _refused(exc)
    return jsonify(added=added, panel=panel)


@bp.get(f"{P}/cohorts/<id:cohort_id>/ranking")
def program_ranking(cohort_id: int):
    """Eligible applications per track by the committee's score, with the quota's cut line
    (coordinators)."""
    require(Role.coordinator)
    tracks = evaluation.ranking(db(), _cohort(cohort_id))
    return jsonify(
        tracks=[
            {
                "code": t.track.code,
                "name": t.track.name,
                "quota": t.track.quota,
                "cut_after": t.cut_after,
                "selected": t.selected,
                "rows": [
                    {
                        "rank": r.rank,
                        "application_id": id_of(r.application),
                        "company_name": r.application.company_name,
                        "score": r.application.score,
                        "scored": r.scored,
                        "assigned": r.assigned,
                        "recommendation": r.recommendation,
                        "inside_quota": r.inside_quota,
                        "decision": r.application.decision,
                    }
                    for r in t.rows
                ],
            }
            for t in tracks
        ]
    )


@bp.get(f"{P}/cohorts/<id:cohort_id>/funnel")
def program_funnel(cohort_id: int):
    """Applied, eligible, inspected, scored, selected: in all, per track, per municipality
    (coordinators)."""
    require(Role.coordinator)
    result = funnel(db(), _cohort(cohort_id))

    def counts(counter) -> dict[str, int]:
        return {stage: counter[stage] for stage in STAGES}

    return jsonify(
        totals=counts(result.totals),
        by_track={code: counts(c) for code, c in result.by_track.items()},
        by_municipality={name: counts(c) for name, c in result.by_municipality.items()},
        quota=result.quota,
    )
