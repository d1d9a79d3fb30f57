"""The coordinator's planning pages: the plan in force, "Plan now", a run's review (Gantt charts,
changes, reasons, unselected applicants, quotas, utilisation) with Approve and Discard."""

from __future__ import annotations

import threading

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import Session, col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.accounts.models import User
from webapp.core.clock import seoul_today
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.engagements.figures import summary
from webapp.engagements.instance import PlanSettings, build_instance
from webapp.engagements.models import Engagement, PlanningRun, PlanStatus, Scenario
from webapp.engagements.plan_view import municipality_names, names, plan_charts
from webapp.engagements.review import KINDS, in_force_as_proposals, proposals, run_changes, team_ids
from webapp.engagements.service import (
    DEFAULT_PARAMS,
    PARAM_LIMITS,
    RunInProgress,
    RunStateError,
    approve_run,
    discard_run,
    finish_run,
    start_run,
    validate_params,
)
from webapp.engagements.weeks import week_end, week_start
from webapp.matching.views import REFRESH_SECONDS, RUN_WAIT_SECONDS
from webapp.programs.models import Cohort, CohortStatus

PARAM_LABELS = {
    "time_limit": (_l("Time limit (seconds)"), _l("How long the planner may search (default 30).")),
    "stability": (
        _l("Stability"),
        _l("What moving a planned engagement must gain; empty: no preference for the plan in force."),
    ),
}


def current_cohort(session: Session) -> Cohort | None:
    """The cohort the planning pages open on: the newest running one, else the newest."""
    cohorts = session.exec(select(Cohort).order_by(col(Cohort.year).desc(), col(Cohort.id).desc())).all()
    running = [c for c in cohorts if c.status == CohortStatus.running.value]
    candidates = running or cohorts
    return candidates[0] if candidates else None


def _cohort_or_404(cohort_id: int) -> Cohort:
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def in_force(session: Session, cohort: Cohort) -> dict:
    """The plan in force as rows and its figures (measured on today's instance)."""
    rows = in_force_as_proposals(session, id_of(cohort))
    built = build_instance(session, cohort, PlanSettings.of_cohort(session, cohort), today=seoul_today())
    return {
        "rows": rows,
        "summary": summary(session, id_of(cohort), rows, built.instance),
        "weeks": built.horizon,
    }


def _planning_page(cohort: Cohort | None, values: dict, errors: dict, status: int = 200):
    session = db()
    if cohort is None:
        return render_template("engagements/planning.html", cohort=None, cohorts=[]), status
    plan = in_force(session, cohort)
    states: dict[str, int] = {}
    for e in session.exec(select(Engagement).where(col(Engagement.cohort_id) == id_of(cohort))):
        states[e.state] = states.get(e.state, 0) + 1
    runs = session.exec(
        select(PlanningRun)
        .where(col(PlanningRun.cohort_id) == id_of(cohort), col(PlanningRun.scenario_id).is_(None))
        .order_by(col(PlanningRun.id).desc())
        .limit(20)
    ).all()
    scenarios = session.exec(
        select(Scenario).where(col(Scenario.cohort_id) == id_of(cohort)).order_by(col(Scenario.id).desc())
    ).all()
    return render_template(
        "engagements/planning.html",
        cohort=cohort,
        cohorts=session.exec(select(Cohort).order_by(col(Cohort.year).desc())).all(),
        plan=plan,
        charts=plan_charts(
            session,
            cohort,
            plan["rows"],
            weeks=plan["weeks"],
            today=seoul_today(),
            utilisation=plan["summary"]["utilisation"],
        ),
        states=states,
        runs=runs,
        scenarios=scenarios,
        values=values,
        errors=errors,
        limits=PARAM_LIMITS,
        labels=PARAM_LABELS,
        places=municipality_names(session),
    ), status


@bp.get("/planning")
def planning():
    cohort_id = request.args.get("cohort", type=int)
    cohort = _cohort_or_404(cohort_id) if cohort_id else current_cohort(db())
    return _planning_page(cohort, {k: str(v) for k, v in DEFAULT_PARAMS.items()}, {})


def solve_beside(engine, run_id: int, user_id: int | None) -> None:
    """Solve beside the request (a plan may take its whole time limit); short runs are waited for."""
    solver = threading.Thread(
        target=finish_run,
        args=(engine, run_id),
        kwargs={"user_id": user_id},
        name=f"planning-run-{run_id}",
        daemon=True,
    )
    solver.start()
    solver.join(RUN_WAIT_SECONDS)


@bp.post("/planning/<id:cohort_id>/runs")
def plan_now(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    raw = {name: request.form.get(name, "") for name in PARAM_LIMITS}
    params, errors = validate_params(raw)
    if errors:
        return _planning_page(cohort, raw, errors, 400)
    engine = current_app.extensions["engine"]
    try:
        run_id = start_run(engine, cohort_id=id_of(cohort), params=params, user_id=current_user.id)
    except RunInProgress:
        abort(
            409,
            _("A planning run of this year is already in progress. Wait for it to finish, then look again."),
        )
    solve_beside(engine, run_id, current_user.id)
    return redirect(url_for("coordinator.plan_review", run_id=run_id))


def _run_or_404(run_id: int) -> PlanningRun:
    run = db().get(PlanningRun, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/planning/runs/<id:run_id>")
def plan_review(run_id: int):
    session = db()
    run = _run_or_404(run_id)
    cohort = get_existing(session, Cohort, run.cohort_id)
    if run.scenario_id:
        return redirect(url_for("coordinator.scenario", scenario_id=run.scenario_id))
    rows = proposals(session, run)
    changes = run_changes(session, run) if run.status == PlanStatus.proposed.value else []
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in KINDS}
    shown = request.args.get("show", "")
    company_ids = (
        {c.company_id for c in changes}
        | {u["company_id"] for u in run.unselected}
        | {r.company_id for r in rows}
    )
    weeks = max([cohort.weeks] + [r.start_week + r.weeks for r in rows])
    companies = names(session, company_ids)
    return render_template(
        "engagements/review.html",
        run=run,
        cohort=cohort,
        rows=rows,
        changes=sorted(
            (c for c in changes if not shown or c.kind == shown),
            key=lambda c: (KINDS.index(c.kind), c.new_start if c.new_start is not None else -1),
        ),
        unselected=sorted(
            run.unselected,
            key=lambda u: (
                getattr(companies.get(u["company_id"]), "track", ""),
                -(getattr(companies.get(u["company_id"]), "score", 0) or 0),
            ),
        ),
        counts=counts,
        shown=shown,
        companies=companies,
        charts=plan_charts(
            session,
            cohort,
            rows,
            weeks=weeks,
            today=seoul_today(),
            utilisation=run.summary.get("utilisation"),
            marked={c.company_id for c in changes if c.kind not in ("kept",)},
        ),
        places=municipality_names(session),
        approver=session.get(User, run.approved_by_id) if run.approved_by_id else None,
        labels=PARAM_LABELS,
        refresh_seconds=REFRESH_SECONDS,
        team_ids=team_ids,
        week_start=lambda w: week_start(cohort.first_monday, w),
        week_end=lambda w: week_end(cohort.first_monday, w),
    )


def _decide(run_id: int, action, done_message: str):
    run = _run_or_404(run_id)
    try:
        action(db(), run, current_user.id)
    except RunStateError:
        db().rollback()
        abort(
            409, _("This plan can no longer be approved or discarded (it is %(status)s).", status=run.status)
        )
    db().commit()
    flash(done_message, "success")
    return redirect(url_for("coordinator.plan_review", run_id=id_of(run)))


@bp.post("/planning/runs/<id:run_id>/approve")
def plan_approve(run_id: int):
    return _decide(run_id, approve_run, _("Plan approved: its engagements are now in force."))


@bp.post("/planning/runs/<id:run_id>/discard")
def plan_discard(run_id: int):
    return _decide(run_id, discard_run, _("Plan discarded."))
