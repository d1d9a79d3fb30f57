"""Matching runs: list, get (with the diff against the assignments in force), run, approve, discard."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request, url_for
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.api import serialize
from webapp.api.base import MAX_PER_PAGE, bp, int_arg, invalid, json_object, principal, require
from webapp.core.request_db import db
from webapp.directory.queries import paginate
from webapp.matching.models import Assignment, MatchingRun, RunTrigger
from webapp.matching.params import validate_params
from webapp.matching.service import (
    RunInProgress,
    RunStateError,
    approve_run,
    decide,
    discard_run,
    run_diff,
    run_matching,
)
from webapp.visits.offering import offer_in_background


@bp.before_request
def _coordinators_only():
    if request.endpoint and request.endpoint.startswith("api.run"):
        require(Role.coordinator)


def _run(run_id: int) -> MatchingRun:
    run = db().get(MatchingRun, run_id)
    if run is None:
        abort(404, "no such run")
    return run


def _detail(run: MatchingRun) -> dict:
    session = db()
    assignments = session.exec(
        select(Assignment).where(Assignment.run_id == run.id).order_by(col(Assignment.id))
    )
    return {
        **serialize.run(run),
        "assignments": [serialize.assignment(a) for a in assignments],
        "diff": [serialize.diff_row(row) for row in run_diff(session, run)],
    }


@bp.get("/runs")
def runs_list():
    statement = select(MatchingRun).order_by(col(MatchingRun.id).desc())
    page = paginate(db(), statement, int_arg("page", 1), int_arg("per_page", 25, MAX_PER_PAGE))
    return jsonify(
        items=[serialize.run(r) for r in page.items], total=page.total, page=page.number, pages=page.pages
    )


@bp.get("/runs/<id:run_id>")
def run_get(run_id: int):
    return jsonify(_detail(_run(run_id)))


@bp.post("/runs")
def run_create():
    params, errors = validate_params(json_object())
    if errors:
        return invalid(errors, "the run was not started")
    try:
        run = run_matching(
            current_app.extensions["engine"], trigger=RunTrigger.manual, params=params, user_id=principal().id
        )
    except RunInProgress:
        abort(409, "a matching run is already in progress")
    response = jsonify(_detail(run))
    response.status_code = 201
    response.headers["Location"] = url_for("api.run_get", run_id=run.id)
    return response


def _decide(run_id: int, action):
    _run(run_id)
    db().rollback()  # end this session's reads; the decision runs in a transaction of its own
    try:
        decide(current_app.extensions["engine"], action, run_id, principal().id)
    except RunStateError as exc:
        abort(409, str(exc))
    return jsonify(_detail(_run(run_id)))


@bp.post("/runs/<id:run_id>/approve")
def run_approve(run_id: int):
    response = _decide(run_id, approve_run)
    offer_in_background()  # on failure the scheduler offers them on its next poll
    return response


@bp.post("/runs/<id:run_id>/discard")
def run_discard(run_id: int):
    return _decide(run_id, discard_run)
