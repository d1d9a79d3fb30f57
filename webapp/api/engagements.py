"""Cohorts, engagements, planning runs and scenarios. Engagements follow the ownership rules of
the rest of the API (a mentor sees the engagements it serves in, a company its own; another's
id is 404); cohorts are readable by everyone signed in; planning and scenarios are for
coordinators. Synchronous runs answer when the planner is done (up to its time limit)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, jsonify, request, url_for
from sqlmodel import Session, col, select

from webapp.api.base import MAX_PER_PAGE, bp, int_arg, principal, require
from webapp.api.serialize import iso
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.models import Company, Mentor
from webapp.directory.queries import paginate
from webapp.engagements.instance import teams
from webapp.engagements.models import (
    Engagement,
    EngagementMember,
    EngagementState,
    PlanningRun,
    PlanTrigger,
    Scenario,
)
from webapp.engagements.review import proposals, run_changes
from webapp.engagements.scenarios import ScenarioInvalid, create_scenario, latest_solve, scenario_runs
from webapp.engagements.service import (
    RunInProgress,
    RunStateError,
    approve_run,
    discard_run,
    finish_run,
    start_run,
    validate_params,
)
from webapp.programs.models import Cohort, CohortTrack

COORDINATOR_ENDPOINTS = ("api.planning_", "api.scenario")


@bp.before_request
def _coordinators_plan():
    if request.endpoint and request.endpoint.startswith(COORDINATOR_ENDPOINTS):
        require("coordinator")


def _page(statement, serialize) -> Any:
    page = paginate(db(), statement, int_arg("page", 1), int_arg("per_page", 25, MAX_PER_PAGE))
    return jsonify(
        items=[serialize(x) for x in page.items], total=page.total, page=page.number, pages=page.pages
    )


def _body() -> dict:
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        abort(400, "the body must be a JSON object")
    return body


# --- cohorts -----------------------------------------------------------------------------


def cohort_json(session: Session, c: Cohort) -> dict:
    tracks = session.exec(
        select(CohortTrack).where(col(CohortTrack.cohort_id) == id_of(c)).order_by(col(CohortTrack.code))
    )
    return {
        "id": id_of(c),
        "name": c.name,
        "year": c.year,
        "mode": c.mode,
        "status": c.status,
        "first_monday": c.first_monday.isoformat(),
        "weeks": c.weeks,
        "max_commute_km": c.max_commute_km,
        "default_engagement_weeks": c.default_engagement_weeks,
        "default_team_size": c.default_team_size,
        "min_per_municipality": dict(c.min_per_municipality or {}),
        "tracks": [{"code": t.code, "name": t.name, "quota": t.quota} for t in tracks],
    }


@bp.get("/cohorts")
def cohorts_list():
    return _page(
        select(Cohort).order_by(col(Cohort.year).desc(), col(Cohort.id).desc()),
        lambda c: cohort_json(db(), c),
    )


@bp.get("/cohorts/<id:cohort_id>")
def cohort_get(cohort_id: int):
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404, "no such cohort")
    return jsonify(cohort_json(db(), cohort))


# --- engagements -------------------------------------------------------------------------


def engagement_json(session: Session, e: Engagement) -> dict:
    company = get_existing(session, Company, e.company_id)
    roles = dict(
        session.exec(
            select(col(EngagementMember.mentor_id), col(EngagementMember.role)).where(
                col(EngagementMember.engagement_id) == id_of(e)
            )
        ).all()
    )
    team = []
    for mentor_id in teams(session, [id_of(e)]).get(id_of(e), []):
        mentor = get_existing(session, Mentor, mentor_id)
        team.append(
            {
                "mentor_id": id_of(mentor),
                "name": mentor.name,
                "role": roles[mentor_id],
                "email": mentor.email,
                "phone": mentor.phone,
            }
        )
    return {
        "id": id_of(e),
        "cohort_id": e.cohort_id,
        "company_id": e.company_id,
        "company_name": company.name,
        "start_week": e.start_week,
        "weeks": e.weeks,
        "start_date": e.start_date.isoformat(),
        "end_date": e.end_date.isoformat(),
        "state": e.state,
        "team": team,
        "reasons": list(e.reasons or []),
    }


def _visible_engagements():
    """Engagements the caller may see: all for coordinators, their own for mentors and companies."""
    statement = select(Engagement)
    who = principal()
    if who.role == "mentor":
        statement = statement.join(
            EngagementMember, col(EngagementMember.engagement_id) == Engagement.id
        ).where(col(EngagementMember.mentor_id) == who.mentor_id)
    elif who.role == "company":
        statement = statement.where(col(Engagement.company_id) == who.company_id)
    return statement


@bp.get("/engagements")
def engagements_list():
    statement = _visible_engagements()
    cohort = request.args.get("cohort")
    if cohort is not None:
        statement = statement.where(col(Engagement.cohort_id) == int_arg("cohort", 0))
    state = request.args.get("state")
    if state is not None:
        if state not in {s.value for s in EngagementState}:
            abort(400, "state must be one of " + ", ".join(s.value for s in EngagementState))
        statement = statement.where(col(Engagement.state) == state)
    else:
        statement = statement.where(col(Engagement.state) != EngagementState.cancelled.value)
    return _page(
        statement.order_by(col(Engagement.start_date), col(Engagement.id)), lambda e: engagement_json(db(), e)
    )


@bp.get("/engagements/<id:engagement_id>")
def engagement_get(engagement_id: int):
    engagement = db().exec(_visible_engagements().where(col(Engagement.id) == engagement_id)).first()
    if engagement is None:
        abort(404, "no such engagement")
    return jsonify(engagement_json(db(), engagement))


# --- planning runs -----------------------------------------------------------------------


def run_json(run: PlanningRun) -> dict:
    return {
        "id": id_of(run),
        "cohort_id": run.cohort_id,
        "scenario_id": run.scenario_id,
        "trigger": run.trigger,
        "status": run.status,
        "created_at": iso(run.created_at),
        "finished_at": iso(run.finished_at),
        "params": dict(run.params),
        "solver_status": run.solver_status,
        "objective": run.objective,
        "bound": run.bound,
        "progress": dict(run.progress or {}),
        "summary": dict(run.summary or {}),
        "unselected": list(run.unselected or []),
        "error": run.error,
        "approved_at": iso(run.approved_at),
    }


def _detail(run: PlanningRun) -> dict:
    session = db()
    changes = run_changes(session, run) if run.status == "proposed" else []
    return {
        **run_json(run),
        "engagements": [
            {
                "company_id": p.company_id,
                "start_week": p.start_week,
                "weeks": p.weeks,
                "mentors": list(p.mentors),
                "value": p.value,
                "pinned": p.pinned,
                "reasons": list(p.reasons),
            }
            for p in proposals(session, run)
        ],
        "changes": [
            {
                "company_id": c.company_id,
                "kind": c.kind,
                "state": c.state,
                "old_start": c.old_start,
                "old_weeks": c.old_weeks,
                "old_team": c.old_team,
                "new_start": c.new_start,
                "new_weeks": c.new_weeks,
                "new_team": c.new_team,
            }
            for c in changes
        ],
    }


def _cohort_run(run_id: int) -> PlanningRun:
    run = db().get(PlanningRun, run_id)
    if run is None or run.scenario_id is not None:
        abort(404, "no such planning run")
    return run


@bp.get("/planning-runs")
def planning_runs_list():
    statement = select(PlanningRun).where(col(PlanningRun.scenario_id).is_(None))
    if request.args.get("cohort") is not None:
        statement = statement.where(col(PlanningRun.cohort_id) == int_arg("cohort", 0))
    return _page(statement.order_by(col(PlanningRun.id).desc()), run_json)


@bp.get("/planning-runs/<id:run_id>")
def planning_run_get(run_id: int):
    return jsonify(_detail(_cohort_run(run_id)))


def _solve_now(cohort_id: int, scenario_id: int | None, raw: dict) -> PlanningRun:
    params, errors = validate_params(raw)
    if errors:
        abort(_invalid(errors))
    engine = current_app.extensions["engine"]
    try:
        run_id = start_run(
            engine,
            cohort_id=cohort_id,
            scenario_id=scenario_id,
            trigger=PlanTrigger.scenario.value if scenario_id else PlanTrigger.manual.value,
            params=params,
            user_id=principal().id,
        )
    except RunInProgress as exc:
        abort(409, str(exc))
    return finish_run(engine, run_id, user_id=principal().id)


def _invalid(errors: dict[str, str]):
    response = jsonify(error="invalid", message="nothing was started or saved", fields=errors)
    response.status_code = 422
    return response


@bp.post("/planning-runs")
def planning_run_create():
    body = _body()
    cohort_id = body.pop("cohort_id", None)
    if not isinstance(cohort_id, int) or isinstance(cohort_id, bool):
        abort(_invalid({"cohort_id": "is required (a cohort id)"}))
    if db().get(Cohort, cohort_id) is None:
        abort(404, "no such cohort")
    run = _solve_now(cohort_id, None, body)
    response = jsonify(_detail(run))
    response.status_code = 201
    response.headers["Location"] = url_for("api.planning_run_get", run_id=id_of(run))
    return response


def _decide(run_id: int, action):
    run = _cohort_run(run_id)
    try:
        action(db(), run, principal().id)
    except RunStateError as exc:
        db().rollback()
        abort(409, str(exc))
    db().commit()
    return jsonify(_detail(run))


@bp.post("/planning-runs/<id:run_id>/approve")
def planning_run_approve(run_id: int):
    return _decide(run_id, approve_run)


@bp.post("/planning-runs/<id:run_id>/discard")
def planning_run_discard(run_id: int):
    return _decide(run_id, discard_run)


# --- scenarios ---------------------------------------------------------------------------


def scenario_json(s: Scenario) -> dict:
    latest = latest_solve(scenario_runs(db(), id_of(s)))
    return {
        "id": id_of(s),
        "cohort_id": s.cohort_id,
        "name": s.name,
        "settings": dict(s.settings or {}),
        "removed_mentor_ids": list(s.removed_mentor_ids or []),
        "added_mentors": list(s.added_mentors or []),
        "keep_pins": s.keep_pins,
        "latest": run_json(latest) if latest else None,
    }


def _scenario(scenario_id: int) -> Scenario:
    scenario = db().get(Scenario, scenario_id)
    if scenario is None:
        abort(404, "no such scenario")
    return scenario


@bp.get("/scenarios")
def scenarios_list():
    statement = select(Scenario)
    if request.args.get("cohort") is not None:
        statement = statement.where(col(Scenario.cohort_id) == int_arg("cohort", 0))
    return _page(statement.order_by(col(Scenario.id).desc()), scenario_json)


@bp.get("/scenarios/<id:scenario_id>")
def scenario_get(scenario_id: int):
    return jsonify(scenario_json(_scenario(scenario_id)))


@bp.post("/scenarios")
def scenario_create():
    body = _body()
    cohort_id = body.get("cohort_id")
    if not isinstance(cohort_id, int) or isinstance(cohort_id, bool):
        abort(_invalid({"cohort_id": "is required (a cohort id)"}))
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404, "no such cohort")
    name = body.get("name")
    try:
        scenario = create_scenario(db(), cohort, name if isinstance(name, str) else "", principal().id)
    except ScenarioInvalid as exc:
        abort(_invalid(exc.errors))
    db().commit()
    response = jsonify(scenario_json(scenario))
    response.status_code = 201
    response.headers["Location"] = url_for("api.scenario_get", scenario_id=id_of(scenario))
    return response


@bp.post("/scenarios/<id:scenario_id>/solve")
def scenario_solve(scenario_id: int):
    scenario = _scenario(scenario_id)
    run = _solve_now(scenario.cohort_id, id_of(scenario), _body())
    response = jsonify(run_json(run))
    response.status_code = 201
    return response
