"""The coordinator's what-if pages: create a scenario from the current inputs, change it, solve it
beside the plan in force, compare, and sweep mentor counts."""

from __future__ import annotations

import threading

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.models import Mentor, Municipality
from webapp.engagements.charts import line_chart, week_bars
from webapp.engagements.instance import PlanSettings
from webapp.engagements.models import PlanTrigger, Scenario
from webapp.engagements.plan_view import cohort_tracks, municipality_names
from webapp.engagements.reasons import scenario_message
from webapp.engagements.scenarios import (
    SWEEP_TIME_LIMIT,
    ScenarioInvalid,
    create_scenario,
    latest_solve,
    parse_sweep,
    run_sweep,
    scenario_runs,
    sweep_points,
    update_scenario,
)
from webapp.engagements.service import RunInProgress, start_run, validate_params
from webapp.engagements.views import _cohort_or_404, in_force, solve_beside
from webapp.matching.views import REFRESH_SECONDS
from webapp.programs.models import Cohort
from webapp.ui.i18n import local_name


def _scenario_or_404(scenario_id: int) -> Scenario:
    scenario = db().get(Scenario, scenario_id)
    if scenario is None:
        abort(404)
    return scenario


def _form_values(scenario: Scenario, settings: PlanSettings) -> dict[str, str]:
    values = {
        "name": scenario.name,
        "weeks": str(settings.weeks),
        "max_commute_km": str(settings.max_commute_km),
        "engagement_weeks": str(settings.engagement_weeks),
        "team_size": str(settings.team_size),
        "keep_pins": "1" if scenario.keep_pins else "",
        "added": "\n".join(
            f"{m['name']} | {m['municipality']} | {', '.join(m['skills'])} | "
            + " ".join(f"{code}:{fit}" for code, fit in m["industries"].items())
            + (f" | {m['max_concurrent']}" if m.get("max_concurrent", 1) != 1 else "")
            for m in scenario.added_mentors
        ),
    }
    values.update({f"quota_{code}": str(n) for code, n in settings.quotas.items()})
    values.update({f"min_{name}": str(n) for name, n in settings.min_per_municipality.items()})
    values.update({f"remove_{m}": "1" for m in scenario.removed_mentor_ids})
    return values


def _page(scenario: Scenario, values: dict | None = None, errors: dict | None = None, status: int = 200):
    session = db()
    cohort = get_existing(session, Cohort, scenario.cohort_id)
    settings = PlanSettings.of_scenario(session, cohort, scenario)
    runs = scenario_runs(session, id_of(scenario))
    solved = latest_solve(runs)
    current = in_force(session, cohort)
    points = sweep_points(runs)
    tracks = cohort_tracks(session, id_of(cohort)) or sorted(settings.quotas)
    running = any(r.status == "running" for r in runs)
    return render_template(
        "engagements/scenario.html",
        scenario=scenario,
        cohort=cohort,
        values=values or _form_values(scenario, settings),
        errors={field: scenario_message(text) for field, text in (errors or {}).items()},
        tracks=tracks,
        places=session.exec(select(Municipality).order_by(col(Municipality.name_ko))).all(),
        place_names=municipality_names(session),
        mentors=session.exec(
            select(Mentor).where(Mentor.active, col(Mentor.max_concurrent) > 0).order_by(col(Mentor.name))
        ).all(),
        solved=solved,
        current=current["summary"],
        current_chart=week_bars(current["summary"]["utilisation"], _("Plan in force")),
        scenario_chart=week_bars(solved.summary.get("utilisation", []), scenario.name) if solved else None,
        sweep=line_chart(
            points,
            _("mentors"),
            _("companies served"),
            _("Companies served by number of mentors"),
            target=sum(settings.quotas.values()) or None,
        ),
        points=points,
        running=running,
        runs=runs[:20],
        refresh_seconds=REFRESH_SECONDS,
        sweep_time_limit=SWEEP_TIME_LIMIT,
        local_name=local_name,
    ), status


@bp.post("/planning/<id:cohort_id>/scenarios")
def scenario_create(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    try:
        scenario = create_scenario(db(), cohort, request.form.get("name", ""), current_user.id)
    except ScenarioInvalid:
        flash(_("Give the scenario a name."), "error")
        return redirect(url_for("coordinator.planning", cohort=id_of(cohort)))
    db().commit()
    return redirect(url_for("coordinator.scenario", scenario_id=id_of(scenario)))


@bp.get("/planning/scenarios/<id:scenario_id>")
def scenario(scenario_id: int):
    return _page(_scenario_or_404(scenario_id))


@bp.post("/planning/scenarios/<id:scenario_id>")
def scenario_update(scenario_id: int):
    scenario = _scenario_or_404(scenario_id)
    form = request.form.to_dict()
    try:
        update_scenario(db(), scenario, form, current_user.id)
    except ScenarioInvalid as exc:
        db().rollback()
        return _page(_scenario_or_404(scenario_id), form, exc.errors, 400)
    db().commit()
    flash(_("Scenario saved. Solve it to see its plan."), "success")
    return redirect(url_for("coordinator.scenario", scenario_id=id_of(scenario)))


@bp.post("/planning/scenarios/<id:scenario_id>/solve")
def scenario_solve(scenario_id: int):
    scenario = _scenario_or_404(scenario_id)
    params, errors = validate_params({"time_limit": request.form.get("time_limit", "")})
    if errors:
        return _page(scenario, None, {"time_limit": errors["time_limit"]}, 400)
    engine = current_app.extensions["engine"]
    try:
        run_id = start_run(
            engine,
            cohort_id=scenario.cohort_id,
            scenario_id=id_of(scenario),
            trigger=PlanTrigger.scenario.value,
            params=params,
            user_id=current_user.id,
        )
    except RunInProgress:
        abort(409, _("This scenario is being solved already. Wait for it to finish, then look again."))
    solve_beside(engine, run_id, current_user.id)
    return redirect(url_for("coordinator.scenario", scenario_id=id_of(scenario)))


@bp.post("/planning/scenarios/<id:scenario_id>/sweep")
def scenario_sweep(scenario_id: int):
    scenario = _scenario_or_404(scenario_id)
    errors = {}
    try:
        counts = parse_sweep(request.form.get("counts", ""))
    except ValueError as exc:
        errors["counts"] = str(exc)
    params, param_errors = validate_params({"time_limit": request.form.get("sweep_time_limit", "")})
    if param_errors:
        errors["sweep_time_limit"] = param_errors["time_limit"]
    if errors:
        return _page(scenario, None, errors, 400)
    limit = params["time_limit"] if request.form.get("sweep_time_limit") else SWEEP_TIME_LIMIT
    threading.Thread(
        target=run_sweep,
        args=(current_app.extensions["engine"], id_of(scenario), counts, limit, current_user.id),
        name=f"sweep-{id_of(scenario)}",
        daemon=True,
    ).start()
    flash(_("The sweep has started: %(n)s solves, one after the other.", n=len(counts)), "success")
    return redirect(url_for("coordinator.scenario", scenario_id=id_of(scenario)))
