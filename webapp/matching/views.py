"""Matching runs: run now with parameters, review a proposal against what is in force, approve."""

from __future__ import annotations

import threading

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.accounts.models import User
from webapp.core.inputs import whole_number
from webapp.core.request_db import db
from webapp.directory.models import IN_PROGRAM, Company
from webapp.directory.queries import paginate
from webapp.matching.dashboard import unmatched
from webapp.matching.models import Assignment, MatchingRun, RunStatus, RunTrigger
from webapp.matching.params import DEFAULT_PARAMS, PARAM_LABELS, PARAM_LIMITS, validate_params
from webapp.matching.service import (
    DiffKind,
    RunInProgress,
    RunStateError,
    approve_run,
    discard_run,
    finish_run,
    run_diff,
    start_run,
)
from webapp.ui.mapdata import assignment_map
from webapp.visits.offering import offer_now

DIFF_ORDER = (DiffKind.changed, DiffKind.new, DiffKind.ended, DiffKind.kept)
RUN_WAIT_SECONDS = 5  # "Run matching now" waits this long for the solver before showing the page
REFRESH_SECONDS = 5  # a running run's page reloads itself this often


def _runs_page(values: dict, errors: dict, status: int = 200):
    page = paginate(
        db(),
        select(MatchingRun).order_by(col(MatchingRun.id).desc()),
        request.args.get("page", 1, type=whole_number),
        size=20,
    )
    return render_template(
        "matching/runs.html",
        page=page,
        values=values,
        errors=errors,
        limits=PARAM_LIMITS,
        labels=PARAM_LABELS,
    ), status


@bp.get("/runs")
def runs():
    return _runs_page({k: str(v) for k, v in DEFAULT_PARAMS.items()}, {})


@bp.post("/runs")
def run_now():
    raw = {name: request.form.get(name, "") for name in PARAM_LIMITS}
    params, errors = validate_params(raw)
    if errors:
        return _runs_page(raw, errors, 400)
    engine = current_app.extensions["engine"]
    try:
        run_id = start_run(
            engine, trigger=RunTrigger.manual, params=params, user_id=current_user.id, trigger_key=None
        )
    except RunInProgress:
        abort(409, _("A matching run is already in progress. Wait for it to finish, then look again."))
    # The solve runs beside the request: a search with side rules may take up to its time limit
    # (600 s at most), longer than a web worker may hold a request. Short runs are waited for.
    solver = threading.Thread(
        target=finish_run,
        args=(engine, run_id, params),
        kwargs={"user_id": current_user.id},
        name=f"matching-run-{run_id}",
        daemon=True,
    )
    solver.start()
    solver.join(RUN_WAIT_SECONDS)
    if db().get(MatchingRun, run_id).status == RunStatus.failed:
        flash(_("The matching run failed; see its error below."), "error")
    return redirect(url_for("coordinator.run_review", run_id=run_id))


@bp.get("/runs/<id:run_id>")
def run_review(run_id: int):
    session = db()
    run = session.get(MatchingRun, run_id)
    if run is None:
        abort(404)
    diff = sorted(run_diff(session, run), key=lambda row: DIFF_ORDER.index(row.kind))
    counts = {kind: sum(1 for row in diff if row.kind == kind) for kind in DIFF_ORDER}
    shown = request.args.get("show", "")
    assignments = session.exec(select(Assignment).where(Assignment.run_id == run.id)).all()
    companies = session.exec(select(Company).where(col(Company.status).in_(IN_PROGRAM))).all()
    return render_template(
        "matching/run.html",
        run=run,
        counts=counts,
        shown=shown,
        diff=[row for row in diff if not shown or row.kind == shown],
        details={a.company_id: a for a in assignments},
        unmatched=unmatched(session, run),
        approver=session.get(User, run.approved_by_id) if run.approved_by_id else None,
        map=assignment_map(session, assignments, companies, _("Run %(id)s", id=run.id)),
        labels=PARAM_LABELS,
        refresh_seconds=REFRESH_SECONDS,
    )


def _decide(run_id: int, action, done_message: str):
    run = db().get(MatchingRun, run_id)
    if run is None:
        abort(404)
    try:
        action(db(), run, current_user.id)
    except RunStateError:
        abort(
            409, _("This run can no longer be approved or discarded (it is %(status)s).", status=run.status)
        )
    db().commit()
    flash(done_message, "success")
    return redirect(url_for("coordinator.run_review", run_id=run.id))


@bp.post("/runs/<id:run_id>/approve")
def run_approve(run_id: int):
    response = _decide(run_id, approve_run, _("Run approved: its assignments are now in force."))
    if not offer_now():
        flash(_("Visit times could not be offered yet; they will be offered within a few minutes."), "error")
    return response


@bp.post("/runs/<id:run_id>/discard")
def run_discard(run_id: int):
    return _decide(run_id, discard_run, _("Run discarded."))
