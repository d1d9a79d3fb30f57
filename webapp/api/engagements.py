"""Cohorts, engagements, planning runs and scenarios. Engagements follow the ownership rules of
the rest of the API (a mentor sees the engagements it serves in, a company its own, an evaluator
none; another's id is 404); cohorts (the program years' settings) are readable by every role;
planning and scenarios are for coordinators. Synchronous runs answer when the planner is done
(up to its time limit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, jsonify, request, url_for
from sqlmodel import col, select

from webapp.api.base import MAX_PER_PAGE, bp, int_arg, invalid, json_object, principal, require
from webapp.api.engagements_json import (
    cohort_json,
    engagements_json,
    run_detail,
    run_json,
    scenario_detail,
    scenario_json,
)
from webapp.core.db import id_of
from webapp.core.request_db import db
from webapp.directory.queries import paginate
from webapp.engagements.access import visible_engagement_ids
from webapp.engagements.models import (
    Engagement,
    EngagementState,
    PlanningRun,
    PlanTrigger,
    Scenario,
)
from webapp.engagements.scenarios import ScenarioInvalid, create_scenario
from webapp.engagements.service import (
    RunInProgress,
    RunStateError,
    approve_run,
    discard_run,
    finish_run,
    start_run,
    validate_params,
)
from webapp.programs.models import Cohort

COORDINATOR_ENDPOINTS = ("api.planning_", "api.scenario")


@bp.before_request
def _coordinators_plan():
    if request.endpoint and request.endpoint.startswith(COORDINATOR_ENDPOINTS):
        require("coordinator")


def _page(statement, serialize: Callable[[list], list[dict]]) -> Any:
    """One page of `statement`'s rows; `serialize` turns the page's rows into JSON at once."""
    page = paginate(db(), statement, int_arg("page", 1), int_arg("per_page", 25, MAX_PER_PAGE))
    return jsonify(items=serialize(page.items), total=page.total, page=page.number, pages=page.pages)


def _each(serialize: Callable[[Any], dict]) -> Callable[[list], list[dict]]:
    return lambda rows: [serialize(row) for row in rows]


# --- cohorts -----------------------------------------------------------------------------


@bp.get("/cohorts")
def cohorts_list():
    return _page(
        select(Cohort).order_by(col(Cohort.year).desc(), col(Cohort.id).desc()),
        _each(lambda c: cohort_json(db(), c)),
    )


@bp.get("/cohorts/<id:cohort_id>")
def cohort_get(cohort_id: int):
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404, "no such cohort")
    return jsonify(cohort_json(db(), cohort))


# --- engagements -------------------------------------------------------------------------


def _visible_engagements():
    """Engagements the caller may see (webapp.engagements.access, the pages' rule)."""
    visible = visible_engagement_ids(principal())
    statement = select(Engagement)
    return statement if visible is None else statement.where(col(Engagement.id).in_(visible))


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
        statement.order_by(col(Engagement.start_date), col(Engagement.id)),
        lambda rows: engagements_json(db(), rows),
    )


@bp.get("/engagements/<id:engagement_id>")
def engagement_get(engagement_id: int):
    engagement = db().exec(_visible_engagements().where(col(Engagement.id) == engagement_id)).first()
    if engagement is None:
        abort(404, "no such engagement")
    return jsonify(engagements_json(db(), [engagement])[0])


# --- planning runs -----------------------------------------------------------------------


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
    return _page(statement.order_by(col(PlanningRun.id).desc()), _each(lambda r: run_json(db(), r)))


@bp.get("/planning-runs/<id:run_id>")
def planning_run_get(run_id: int):
    return jsonify(run_detail(db(), _cohort_run(run_id)))


def _solve_now(cohort_id: int, scenario_id: int | None, raw: dict) -> PlanningRun:
    params, errors = validate_params(raw)
    if errors:
        abort(invalid(errors))
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


@bp.post("/planning-runs")
def planning_run_create():
    body = json_object()
    cohort_id = body.pop("cohort_id", None)
    if not isinstance(cohort_id, int) or isinstance(cohort_id, bool):
        abort(invalid({"cohort_id": "is required (a cohort id)"}))
    if db().get(Cohort, cohort_id) is None:
        abort(404, "no such cohort")
    run = _solve_now(cohort_id, None, body)
    response = jsonify(run_detail(db(), run))
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
    return jsonify(run_detail(db(), run))


@bp.post("/planning-runs/<id:run_id>/approve")
def planning_run_approve(run_id: int):
    return _decide(run_id, approve_run)


@bp.post("/planning-runs/<id:run_id>/discard")
def planning_run_discard(run_id: int):
    return _decide(run_id, discard_run)


# --- scenarios ---------------------------------------------------------------------------


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
    return _page(statement.order_by(col(Scenario.id).desc()), _each(lambda sc: scenario_json(db(), sc)))


@bp.get("/scenarios/<id:scenario_id>")
def scenario_get(scenario_id: int):
    return jsonify(scenario_detail(db(), _scenario(scenario_id)))


@bp.post("/scenarios")
def scenario_create():
    body = json_object()
    cohort_id = body.get("cohort_id")
    if not isinstance(cohort_id, int) or isinstance(cohort_id, bool):
        abort(invalid({"cohort_id": "is required (a cohort id)"}))
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404, "no such cohort")
    name = body.get("name")
    try:
        scenario = create_scenario(db(), cohort, name if isinstance(name, str) else "", principal().id)
    except ScenarioInvalid as exc:
        abort(invalid(exc.errors))
    db().commit()
    response = jsonify(scenario_detail(db(), scenario))
    response.status_code = 201
    response.headers["Location"] = url_for("api.scenario_get", scenario_id=id_of(scenario))
    return response


@bp.post("/scenarios/<id:scenario_id>/solve")
def scenario_solve(scenario_id: int):
    scenario = _scenario(scenario_id)
    run = _solve_now(scenario.cohort_id, id_of(scenario), json_object())
    response = jsonify(run_json(db(), run))
    response.status_code = 201
    return response
