"""Pages of an engagement's outcome: KPI sheet, improvement tasks, completion, report (HTML, PDF).

Everyone reaches only the engagements they may see (404 otherwise); what each may change is decided
in access.py and the services. A refused change is rolled back whole (its photos too) and answered
with the form again, each message next to its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case
from sqlmodel import col, select

from webapp.core.clock import seoul_today
from webapp.core.db import id_of
from webapp.core.media.uploads import allow_photo_upload, uploaded
from webapp.core.media.views import media_store
from webapp.core.request_db import db
from webapp.directory.models import Company
from webapp.engagements.access import visible_engagement_ids
from webapp.engagements.models import Engagement, EngagementState
from webapp.extensions import login_manager
from webapp.outcomes import completion, sheet, tasks
from webapp.outcomes.access import is_team, team_ids, visible_engagement
from webapp.outcomes.errors import FieldErrors, NotAllowed
from webapp.outcomes.formatting import local_date, local_moment, number, percent
from webapp.outcomes.header import engagement_header
from webapp.outcomes.kpis import DEFINITIONS, inputs_of
from webapp.outcomes.labels import LABELS, field_label, outcome_label
from webapp.outcomes.models import KpiChangeRequest, KpiIndicator, KpiKind, Survey, TaskArea
from webapp.outcomes.report import photo_url, render_pdf, report_context
from webapp.outcomes.summary import kpi_row, task_counts

bp = Blueprint(
    "outcomes", __name__, url_prefix="/outcomes", template_folder="templates", static_folder="static"
)
PUBLIC_ENDPOINTS = {"outcomes.survey", "outcomes.static"}


@bp.before_request
def _signed_in():
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


@bp.app_template_filter("kdate")
def _kdate(day):
    return local_date(day)


@bp.app_template_filter("kmoment")
def _kmoment(moment, with_time: bool = True):
    return local_moment(moment, with_time)


@bp.app_template_filter("num")
def _num(value, places: int = 2):
    return number(value, places)


@bp.app_template_filter("pct")
def _pct(value, signed: bool = True):
    return percent(value, signed)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"outcome_label": outcome_label, "field_label": field_label, "outcomes_menu": _menu}


def _menu() -> list[tuple[str, str]]:
    """The outcomes' items of the main menu for the signed-in user's role."""
    if not current_user.is_authenticated:
        return []
    if current_user.role == "coordinator":
        return [(url_for("outcomes.province"), _("Outcomes"))]
    return [(url_for("outcomes.index"), _("Outcomes"))]


def _engagement(engagement_id: int) -> tuple[Engagement, list[int]]:
    engagement = visible_engagement(db(), current_user, engagement_id)
    if engagement is None:
        abort(404)
    return engagement, team_ids(db(), engagement_id)


def _require_team(team: list[int]) -> None:
    if not is_team(current_user, team):
        abort(403)


def _require_coordinator() -> None:
    if current_user.role != "coordinator":
        abort(403)


def _header(engagement: Engagement, team: list[int], tab: str) -> dict[str, Any]:
    return engagement_header(db(), current_user, engagement, team, tab)


def _act(action: Callable[[], Any], done: str, back: str, page: Callable[[dict, dict], Any]):
    """Run a change; commit and go back on success, else roll back and answer with the reason."""
    try:
        action()
    except FieldErrors as exc:
        db().rollback()
        errors = {name: str(message) for name, message in exc.errors.items()}
        return page(errors, request.form.to_dict()), 400
    except NotAllowed as exc:
        db().rollback()
        flash(str(exc.message), "error")
        return redirect(back)
    db().commit()
    flash(done, "success")
    return redirect(back)


_STATE_ORDER = case(
    {EngagementState.on_site: 0, EngagementState.agreed: 1, EngagementState.planned: 2},
    value=col(Engagement.state),
    else_=3,
)


@bp.get("/")
def index():
    """My engagements, the one on site first, then the coming ones, then the past (mentors and
    companies; coordinators see the province's list)."""
    if current_user.role == "coordinator":
        return redirect(url_for("outcomes.province"))
    statement = (
        select(Engagement, Company)
        .join(Company, col(Company.id) == col(Engagement.company_id))
        .where(col(Engagement.id).in_(visible_engagement_ids(current_user)))
        .order_by(_STATE_ORDER, col(Engagement.start_date).desc())
    )
    return render_template("outcomes/index.html", rows=db().exec(statement).all(), labels=LABELS)


# --- KPI sheet -----------------------------------------------------------------------


def _kpi_page(engagement: Engagement, team: list[int], errors: dict, form: dict, focus: int | None = None):
    session = db()
    rows = [kpi_row(i) for i in sheet.indicators(session, id_of(engagement))]
    requests = session.exec(
        select(KpiChangeRequest)
        .where(col(KpiChangeRequest.indicator_id).in_([r.indicator.id for r in rows]))
        .order_by(col(KpiChangeRequest.requested_at).desc())
    ).all()
    return render_template(
        "outcomes/kpis.html",
        rows=rows,
        requests=requests,
        inputs_of=inputs_of,
        definitions=DEFINITIONS,
        kind_options=[(k.value, outcome_label("kpi", k.value)) for k in KpiKind],
        errors=errors,
        form=form,
        focus=focus,
        actuals_from=sheet.actuals_open_on(engagement),
        today=seoul_today(),
        can_edit_sheet=True,  # everyone who sees the sheet may plan it before the lock
        **_header(engagement, team, "kpis"),
    )


def _indicator(engagement: Engagement, indicator_id: int) -> KpiIndicator:
    indicator = db().get(KpiIndicator, indicator_id)
    if indicator is None or indicator.engagement_id != engagement.id:
        abort(404)
    return indicator


@bp.get("/engagements/<id:engagement_id>/kpis")
def kpis(engagement_id: int):
    engagement, team = _engagement(engagement_id)
    return _kpi_page(engagement, team, {}, {})


@bp.post("/engagements/<id:engagement_id>/kpis")
def kpi_add(engagement_id: int):
    engagement, team = _engagement(engagement_id)
    return _act(
        lambda: sheet.add_indicator(db(), current_user.id, engagement, request.form),
        _("Indicator added."),
        url_for(".kpis", engagement_id=engagement_id),
        lambda errors, form: _kpi_page(engagement, team, errors, form, focus=0),
    )


@bp.post("/engagements/<id:engagement_id>/kpis/<id:indicator_id>/plan")
def kpi_plan(engagement_id: int, indicator_id: int):
    engagement, team = _engagement(engagement_id)
    indicator = _indicator(engagement, indicator_id)
    return _act(
        lambda: sheet.set_plan(db(), current_user.id, engagement, indicator, request.form),
        _("Baseline and target saved."),
        url_for(".kpis", engagement_id=engagement_id),
        lambda errors, form: _kpi_page(engagement, team, errors, form, focus=indicator_id),
    )


@bp.post("/engagements/<id:engagement_id>/kpis/<id:indicator_id>/remove")
def kpi_remove(engagement_id: int, indicator_id: int):
    engagement, team = _engagement(engagement_id)
    indicator = _indicator(engagement, indicator_id)
    return _act(
        lambda: sheet.remove_indicator(db(), current_user.id, engagement, indicator),
        _("Indicator removed."),
        url_for(".kpis", engagement_id=engagement_id),
        lambda errors, form: _kpi_page(engagement, team, errors, form),
    )


@bp.post("/engagements/<id:engagement_id>/kpis/lock")
def kpi_lock(engagement_id: int):
    engagement, team = _engagement(engagement_id)
    return _act(
        lambda: sheet.lock_targets(db(), current_user.id, engagement),
        _("The targets are agreed and locked."),
        url_for(".kpis", engagement_id=engagement_id),
        lambda errors, form: _kpi_page(engagement, team, errors, form),
    )


@bp.post("/engagements/<id:engagement_id>/kpis/<id:indicator_id>/change")
def kpi_change(engagement_id: int, indicator_id: int):
    engagement, team = _engagement(engagement_id)
    indicator = _indicator(engagement, indicator_id)
    return _act(
        lambda: sheet.request_change(db(), current_user.id, engagement, indicator, request.form),
        _("Change request sent to the coordinators."),
        url_for(".kpis", engagement_id=engagement_id),
        lambda errors, form: _kpi_page(engagement, team, errors, form, focus=indicator_id),
    )


@bp.post("/engagements/<id:engagement_id>/changes/<id:request_id>/decide")
def kpi_decide(engagement_id: int, request_id: int):
    _require_coordinator()
    engagement, team = _engagement(engagement_id)
    change = db().get(KpiChangeRequest, request_id)
    if change is None:
        abort(404)
    _indicator(engagement, change.indicator_id)
    approve = request.form.get("decision") == "approve"
    return _act(
        lambda: sheet.decide_change(db(), current_user.id, change, approve, request.form.get("note", "")),
        _("Change approved: the new target is in force.") if approve else _("Change rejected."),
        url_for(".kpis", engagement_id=engagement_id),
        lambda errors, form: _kpi_page(engagement, team, errors, form),
    )


@bp.post("/engagements/<id:engagement_id>/kpis/<id:indicator_id>/actual")
def kpi_actual(engagement_id: int, indicator_id: int):
    engagement, team = _engagement(engagement_id)
    _require_team(team)
    indicator = _indicator(engagement, indicator_id)
    return _act(
        lambda: sheet.record_actual(
            db(), current_user.id, engagement, indicator, request.form, seoul_today()
        ),
        _("Actual recorded."),
        url_for(".kpis", engagement_id=engagement_id),
        lambda errors, form: _kpi_page(engagement, team, errors, form, focus=indicator_id),
    )


# --- improvement tasks -----------------------------------------------------------------


def _tasks_page(engagement: Engagement, team: list[int], errors: dict, form: dict, focus: int | None = None):
    found = tasks.tasks_of(db(), id_of(engagement))
    return render_template(
        "outcomes/tasks.html",
        tasks=found,
        photo_src=photo_url,
        counts=task_counts(found),
        area_options=[(a.value, outcome_label("area", a.value)) for a in TaskArea],
        errors=errors,
        form=form,
        focus=focus,
        today=seoul_today(),
        **_header(engagement, team, "tasks"),
    )


@bp.get("/engagements/<id:engagement_id>/tasks")
def task_list(engagement_id: int):
    engagement, team = _engagement(engagement_id)
    return _tasks_page(engagement, team, {}, {})


@bp.post("/engagements/<id:engagement_id>/tasks")
def task_log(engagement_id: int):
    allow_photo_upload()
    engagement, team = _engagement(engagement_id)
    _require_team(team)
    return _act(
        lambda: tasks.log_task(
            db(), media_store(), current_user.id, engagement, request.form, uploaded("before_photo")
        ),
        _("Task logged."),
        url_for(".task_list", engagement_id=engagement_id),
        lambda errors, form: _tasks_page(engagement, team, errors, form, focus=0),
    )


@bp.post("/engagements/<id:engagement_id>/tasks/<id:task_id>/close")
def task_close(engagement_id: int, task_id: int):
    allow_photo_upload()
    engagement, team = _engagement(engagement_id)
    _require_team(team)
    task = db().get(tasks.ImprovementTask, task_id)
    if task is None or task.engagement_id != engagement.id:
        abort(404)
    return _act(
        lambda: tasks.close_task(
            db(), media_store(), current_user.id, engagement, task, request.form, uploaded("after_photo")
        ),
        _("Task solved."),
        url_for(".task_list", engagement_id=engagement_id),
        lambda errors, form: _tasks_page(engagement, team, errors, form, focus=task_id),
    )


# --- completion and report ----------------------------------------------------------------


def _completion_page(engagement: Engagement, team: list[int], errors: dict, form: dict):
    session = db()
    surveys = session.exec(
        select(Survey).where(col(Survey.engagement_id) == engagement.id).order_by(col(Survey.due_on))
    ).all()
    return render_template(
        "outcomes/completion.html",
        rows=[kpi_row(i) for i in sheet.indicators(session, id_of(engagement))],
        counts=task_counts(tasks.tasks_of(session, id_of(engagement))),
        surveys=surveys,
        errors=errors,
        form=form,
        **_header(engagement, team, "completion"),
    )


@bp.get("/engagements/<id:engagement_id>/completion")
def completion_page(engagement_id: int):
    engagement, team = _engagement(engagement_id)
    return _completion_page(engagement, team, {}, {})


@bp.post("/engagements/<id:engagement_id>/completion")
def completion_submit(engagement_id: int):
    engagement, team = _engagement(engagement_id)
    _require_team(team)
    return _act(
        lambda: completion.submit(db(), current_user.id, engagement, request.form),
        _("Completion submitted for the coordinator's sign-off."),
        url_for(".completion_page", engagement_id=engagement_id),
        lambda errors, form: _completion_page(engagement, team, errors, form),
    )


@bp.post("/engagements/<id:engagement_id>/sign-off")
def completion_sign_off(engagement_id: int):
    _require_coordinator()
    engagement, team = _engagement(engagement_id)
    return _act(
        lambda: completion.sign_off(db(), current_user.id, engagement),
        _("Signed off: the engagement is completed."),
        url_for(".completion_page", engagement_id=engagement_id),
        lambda errors, form: _completion_page(engagement, team, errors, form),
    )


@bp.get("/engagements/<id:engagement_id>/report")
def report(engagement_id: int):
    engagement, team = _engagement(engagement_id)
    return render_template(
        "outcomes/report.html", **report_context(db(), engagement), **_header(engagement, team, "report")
    )


@bp.get("/engagements/<id:engagement_id>/report.pdf")
def report_pdf(engagement_id: int):
    engagement, _team = _engagement(engagement_id)
    pdf = render_pdf(db(), current_user, engagement)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="report-{engagement.id}.pdf"'
    response.cache_control.private = True
    return response
