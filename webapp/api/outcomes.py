"""Outcomes in the API: engagements the user may see, each one's KPIs, tasks (photos as URLs,
served under the same ownership as the pages), surveys and report; the province's figures for
coordinators; and every change the pages make, through the same services and the same rules.

Who may do what is the pages' rule (webapp.outcomes.access): another's engagement is 404; the KPI
sheet is planned by the company, the team or a coordinator until it is locked, and a locked target
changes only through a change request that a coordinator decides; actuals, tasks and the completion
are the team's; the sign-off a coordinator's; a survey's answer the company's. Bad input is 422 with
a message per field (nothing is saved), a change the record's state refuses is 409; both in the
request's language (Accept-Language, Korean first). Every change is audited by its service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from flask import abort, jsonify, request, url_for
from flask_babel import force_locale
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.api.base import bp, invalid, json_object, principal, require
from webapp.api.serialize import iso
from webapp.core.clock import seoul_today
from webapp.core.db import id_of
from webapp.core.media.uploads import allow_photo_upload, uploaded
from webapp.core.media.views import media_store
from webapp.core.request_db import db
from webapp.engagements.access import visible_engagement_ids
from webapp.engagements.models import Engagement
from webapp.outcomes import completion, sheet, surveys, tasks
from webapp.outcomes.access import is_team, team_ids, visible_engagement
from webapp.outcomes.errors import (
    CHOOSE_ONE,
    CHOOSE_YES_NO,
    ENTER_NUMBER,
    ENTER_TEXT,
    NOTHING_SAVED,
    UNKNOWN_FIELD,
    FieldErrors,
    NotAllowed,
)
from webapp.outcomes.figures import kpi_distributions, load_facts, survey_figures
from webapp.outcomes.kpis import inputs_of
from webapp.outcomes.models import ImprovementTask, KpiChangeRequest, KpiIndicator, Survey
from webapp.outcomes.sheet import indicators, outcome_of
from webapp.outcomes.summary import kpi_row, task_counts
from webapp.outcomes.tasks import tasks_of
from webapp.ui.i18n import LOCALES


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _engagement(engagement_id: int) -> Engagement:
    engagement = visible_engagement(db(), principal(), engagement_id)
    if engagement is None:
        abort(404, "no such engagement")
    return engagement


def _summary(e: Engagement) -> dict:
    return {
        "id": e.id,
        "cohort_id": e.cohort_id,
        "company_id": e.company_id,
        "start_date": e.start_date.isoformat(),
        "end_date": e.end_date.isoformat(),
        "weeks": e.weeks,
        "state": e.state,
    }


def _kpi(i: KpiIndicator) -> dict:
    row = kpi_row(i)
    return {
        "id": i.id,
        "kind": i.kind,
        "name": row.name,
        "unit": row.unit,
        "direction": i.direction,
        "baseline_inputs": i.baseline_inputs,
        "baseline": _num(row.baseline),
        "target": _num(row.target),
        "actual_inputs": i.actual_inputs,
        "actual": _num(row.actual),
        "change_pct": _num(row.change_pct),
        "target_met": row.met,
    }


def _photo(photo_id: int | None) -> dict | None:
    if photo_id is None:
        return None
    return {
        "url": url_for("media.photo", photo_id=photo_id, _external=True),
        "thumbnail_url": url_for("media.thumbnail", photo_id=photo_id, _external=True),
    }


def _task(t: ImprovementTask) -> dict:
    return {
        "id": t.id,
        "area": t.area,
        "description": t.description,
        "owner": t.owner,
        "due_on": t.due_on.isoformat(),
        "state": t.state,
        "found_at": iso(t.found_at),
        "closed_at": iso(t.closed_at),
        "close_note": t.close_note,
        "before_photo": _photo(t.before_photo_id),
        "after_photo": _photo(t.after_photo_id),
    }


def _survey(s: Survey) -> dict:
    return {
        "id": s.id,
        "kind": s.kind,
        "due_on": s.due_on.isoformat(),
        "sent_at": iso(s.sent_at),
        "answered_at": iso(s.answered_at),
        "rating": s.rating,
        "working_out": s.working_out,
        "gains_kept": s.gains_kept,
        "comment": s.comment,
        "flagged": s.flagged,
    }


@bp.get("/outcomes/engagements")
def outcome_engagements():
    statement = select(Engagement).order_by(col(Engagement.start_date), col(Engagement.id))
    visible = visible_engagement_ids(principal())
    if visible is not None:
        statement = statement.where(col(Engagement.id).in_(visible))
    return jsonify(items=[_summary(e) for e in db().exec(statement)])


def _report(e: Engagement) -> dict:
    engagement_id = id_of(e)
    outcome = outcome_of(db(), engagement_id)
    counts = task_counts(tasks_of(db(), engagement_id))
    body: dict[str, Any] = {
        **_summary(e),
        "team": team_ids(db(), engagement_id),
        "targets_locked_at": iso(outcome.targets_locked_at),
        "submitted_at": iso(outcome.submitted_at),
        "signed_off_at": iso(outcome.signed_off_at),
        "summary": outcome.summary,
        "kpis": [_kpi(i) for i in indicators(db(), engagement_id)],
        "tasks_found": counts.found,
        "tasks_solved": counts.solved,
    }
    return body


@bp.get("/outcomes/engagements/<id:engagement_id>")
def outcome_report(engagement_id: int):
    """The completion report's content."""
    return jsonify(_report(_engagement(engagement_id)))


@bp.get("/outcomes/engagements/<id:engagement_id>/kpis")
def outcome_kpis(engagement_id: int):
    _engagement(engagement_id)
    return jsonify(items=[_kpi(i) for i in indicators(db(), engagement_id)])


@bp.get("/outcomes/engagements/<id:engagement_id>/tasks")
def outcome_tasks(engagement_id: int):
    _engagement(engagement_id)
    return jsonify(items=[_task(t) for t in tasks_of(db(), engagement_id)])


@bp.get("/outcomes/engagements/<id:engagement_id>/surveys")
def outcome_surveys(engagement_id: int):
    _engagement(engagement_id)
    found = db().exec(
        select(Survey).where(col(Survey.engagement_id) == engagement_id).order_by(col(Survey.due_on))
    )
    return jsonify(items=[_survey(s) for s in found])


@bp.get("/outcomes/province")
def outcome_province():
    """The province's figures (coordinators): what the dashboard draws."""
    require(Role.coordinator)
    facts = load_facts(db())
    buckets: dict[str, int] = {}
    for f in facts:
        buckets[f.bucket] = buckets.get(f.bucket, 0) + 1
    surveys = survey_figures(facts)
    return jsonify(
        engagements=buckets,
        tasks_found=sum(f.tasks_found for f in facts),
        tasks_solved=sum(f.tasks_solved for f in facts),
        kpis=[
            {
                "kind": d.kind,
                "firms": d.n,
                "median_change_pct": d.median,
                "quartiles_pct": list(d.quartiles) if d.quartiles else None,
                "mean_change_pct": d.mean,
                "targets_met": d.met,
                "with_target": d.with_target,
            }
            for d in kpi_distributions(facts)
        ],
        satisfaction={str(k): v for k, v in sorted(surveys.satisfaction.items())},
        week2_flagged=surveys.week2_flagged,
        gains_kept=dict(surveys.gains),
    )


# --- changes -------------------------------------------------------------------------------

TEXT, NUMBER, YES_NO = "text", "number", "yes_no"
Fields = Mapping[str, str | tuple[str, ...]]  # a field's kind, or the names of its raw inputs
T = TypeVar("T")


def _said(message: object) -> str:
    """A (lazy) message in the request's language: Accept-Language, else Korean."""
    with force_locale(request.accept_languages.best_match(LOCALES) or LOCALES[0]):
        return str(message)


def _api_field(name: str) -> str:
    """A form field's name as the API spells it: the raw input baseline-units is baseline.units."""
    return name.replace("-", ".", 1)


def _number(value: object) -> str | None:
    """A JSON number (or text) as a form would send it; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    return str(value)


def _form(fields: Fields) -> dict[str, str]:
    """The request's JSON object as the form the services read (raw inputs
    `{"baseline": {"units": 1200}}` as `baseline-units`): 400 when the body is no JSON object,
    FieldErrors for what no form could carry (unknown fields, wrong types)."""
    body = json_object()
    form: dict[str, str] = {}
    errors: dict[str, object] = {}
    for name, value in body.items():
        kind = fields.get(name)
        if kind is None:
            errors[name] = UNKNOWN_FIELD
        elif value is None:
            continue
        elif isinstance(kind, tuple):  # raw inputs; a missing or non-object value: each one is missing
            for key, figure in value.items() if isinstance(value, dict) else ():
                text = _number(figure) if key in kind else None
                if text is None:
                    errors[f"{name}-{key}"] = UNKNOWN_FIELD if key not in kind else ENTER_NUMBER
                else:
                    form[f"{name}-{key}"] = text
        elif kind == YES_NO:
            if isinstance(value, bool):
                form[name] = "yes" if value else "no"
            else:
                errors[name] = CHOOSE_YES_NO
        elif kind == TEXT:
            if isinstance(value, str):
                form[name] = value
            else:
                errors[name] = ENTER_TEXT
        elif (text := _number(value)) is not None:
            form[name] = text
        else:
            errors[name] = ENTER_NUMBER
    if errors:
        raise FieldErrors(errors)
    return form


def _change(action: Callable[[], T], answer: Callable[[T], dict], status: int = 200):
    """Run a change in the request's transaction: committed and answered with `answer(result)`, or
    rolled back whole (photos too) and answered 422 with a message per field, or 409 with the
    reason the record's state gives."""
    try:
        result = action()
    except FieldErrors as exc:
        db().rollback()
        fields = {_api_field(name): _said(message) for name, message in exc.errors.items()}
        return invalid(fields, _said(NOTHING_SAVED))
    except NotAllowed as exc:
        db().rollback()
        return jsonify(error="conflict", message=_said(exc.message)), 409
    db().commit()
    return jsonify(answer(result)), status


def _team_engagement(engagement_id: int) -> Engagement:
    """An engagement the caller may see and works on as its team (or a coordinator); else 404 / 403."""
    engagement = _engagement(engagement_id)
    if not is_team(principal(), team_ids(db(), engagement_id)):
        abort(403, "only the engagement's team or a coordinator may do this")
    return engagement


def _indicator(engagement: Engagement, indicator_id: int) -> KpiIndicator:
    indicator = db().get(KpiIndicator, indicator_id)
    if indicator is None or indicator.engagement_id != engagement.id:
        abort(404, "no such indicator")
    return indicator


def _raw_inputs(indicator: KpiIndicator) -> tuple[str, ...]:
    return tuple(i.name for i in inputs_of(indicator.kind))


def _sheet(engagement_id: int) -> Callable[[object], dict]:
    return lambda _: {"items": [_kpi(i) for i in indicators(db(), engagement_id)]}


def _kpi_of(indicator: KpiIndicator) -> Callable[[object], dict]:
    return lambda _: _kpi(indicator)  # refreshed by the service (or changed in place)


@bp.post("/outcomes/engagements/<id:engagement_id>/kpis")
def outcome_kpi_add(engagement_id: int):
    engagement = _engagement(engagement_id)
    fields = {"kind": TEXT, "name": TEXT, "unit": TEXT, "direction": TEXT}
    return _change(
        lambda: sheet.add_indicator(db(), principal().id, engagement, _form(fields)), _kpi, status=201
    )


@bp.delete("/outcomes/engagements/<id:engagement_id>/kpis/<id:indicator_id>")
def outcome_kpi_remove(engagement_id: int, indicator_id: int):
    engagement = _engagement(engagement_id)
    indicator = _indicator(engagement, indicator_id)
    return _change(
        lambda: sheet.remove_indicator(db(), principal().id, engagement, indicator), _sheet(engagement_id)
    )


@bp.put("/outcomes/engagements/<id:engagement_id>/kpis/<id:indicator_id>/plan")
def outcome_kpi_plan(engagement_id: int, indicator_id: int):
    engagement = _engagement(engagement_id)
    indicator = _indicator(engagement, indicator_id)
    fields: Fields = {"baseline": _raw_inputs(indicator), "target": NUMBER}
    return _change(
        lambda: sheet.set_plan(db(), principal().id, engagement, indicator, _form(fields)), _kpi_of(indicator)
    )


@bp.post("/outcomes/engagements/<id:engagement_id>/kpis/lock")
def outcome_kpi_lock(engagement_id: int):
    engagement = _engagement(engagement_id)
    return _change(lambda: sheet.lock_targets(db(), principal().id, engagement), _sheet(engagement_id))


@bp.put("/outcomes/engagements/<id:engagement_id>/kpis/<id:indicator_id>/actual")
def outcome_kpi_actual(engagement_id: int, indicator_id: int):
    engagement = _team_engagement(engagement_id)
    indicator = _indicator(engagement, indicator_id)
    fields: Fields = {"actual": _raw_inputs(indicator)}
    user = principal().id
    return _change(
        lambda: sheet.record_actual(db(), user, engagement, indicator, _form(fields), seoul_today()),
        _kpi_of(indicator),
    )


def _change_request(r: KpiChangeRequest) -> dict:
    return {
        "id": r.id,
        "indicator_id": r.indicator_id,
        "old_target": _num(r.old_target),
        "new_target": _num(r.new_target),
        "reason": r.reason,
        "state": r.state,
        "requested_by_id": r.requested_by_id,
        "requested_at": iso(r.requested_at),
        "decided_by_id": r.decided_by_id,
        "decided_at": iso(r.decided_at),
        "decision_note": r.decision_note,
    }


@bp.get("/outcomes/engagements/<id:engagement_id>/change-requests")
def outcome_change_requests(engagement_id: int):
    _engagement(engagement_id)
    found = db().exec(
        select(KpiChangeRequest)
        .join(KpiIndicator, col(KpiIndicator.id) == col(KpiChangeRequest.indicator_id))
        .where(col(KpiIndicator.engagement_id) == engagement_id)
        .order_by(col(KpiChangeRequest.requested_at).desc(), col(KpiChangeRequest.id).desc())
    )
    return jsonify(items=[_change_request(r) for r in found])


@bp.post("/outcomes/engagements/<id:engagement_id>/kpis/<id:indicator_id>/change-requests")
def outcome_change_request(engagement_id: int, indicator_id: int):
    engagement = _engagement(engagement_id)
    indicator = _indicator(engagement, indicator_id)
    fields = {"new_target": NUMBER, "reason": TEXT}
    return _change(
        lambda: sheet.request_change(db(), principal().id, engagement, indicator, _form(fields)),
        _change_request,
        status=201,
    )


@bp.post("/outcomes/engagements/<id:engagement_id>/change-requests/<id:request_id>/decide")
def outcome_change_decide(engagement_id: int, request_id: int):
    engagement = _engagement(engagement_id)
    require(Role.coordinator)
    change = db().get(KpiChangeRequest, request_id)
    if change is None:
        abort(404, "no such change request")
    _indicator(engagement, change.indicator_id)

    def decide() -> None:
        form = _form({"decision": TEXT, "note": TEXT})
        if form.get("decision") not in ("approve", "reject"):
            raise FieldErrors.one("decision", CHOOSE_ONE)
        sheet.decide_change(db(), principal().id, change, form["decision"] == "approve", form.get("note", ""))

    return _change(decide, lambda _: _change_request(change))


# --- tasks (multipart/form-data: the photos are files) ---------------------------------------


@bp.post("/outcomes/engagements/<id:engagement_id>/tasks")
def outcome_task_log(engagement_id: int):
    allow_photo_upload()
    engagement = _team_engagement(engagement_id)
    return _change(
        lambda: tasks.log_task(
            db(), media_store(), principal().id, engagement, request.form, uploaded("before_photo")
        ),
        _task,
        status=201,
    )


@bp.post("/outcomes/engagements/<id:engagement_id>/tasks/<id:task_id>/close")
def outcome_task_close(engagement_id: int, task_id: int):
    allow_photo_upload()
    engagement = _team_engagement(engagement_id)
    task = db().get(ImprovementTask, task_id)
    if task is None or task.engagement_id != engagement.id:
        abort(404, "no such task")
    return _change(
        lambda: tasks.close_task(
            db(), media_store(), principal().id, engagement, task, request.form, uploaded("after_photo")
        ),
        lambda _: _task(task),  # refreshed by close_task
    )


# --- completion, sign-off, surveys ---------------------------------------------------------


@bp.post("/outcomes/engagements/<id:engagement_id>/completion")
def outcome_completion(engagement_id: int):
    engagement = _team_engagement(engagement_id)
    return _change(
        lambda: completion.submit(db(), principal().id, engagement, _form({"summary": TEXT})),
        lambda _: _report(engagement),
    )


@bp.post("/outcomes/engagements/<id:engagement_id>/sign-off")
def outcome_sign_off(engagement_id: int):
    engagement = _engagement(engagement_id)
    require(Role.coordinator)
    return _change(
        lambda: completion.sign_off(db(), principal().id, engagement), lambda _: _report(engagement)
    )


@bp.post("/outcomes/engagements/<id:engagement_id>/surveys/<id:survey_id>/answer")
def outcome_survey_answer(engagement_id: int, survey_id: int):
    """The company's answer (the emailed link's form, for a company signed in with its token)."""
    _engagement(engagement_id)
    require(Role.company)
    survey = db().get(Survey, survey_id)
    if survey is None or survey.engagement_id != engagement_id:
        abort(404, "no such survey")
    fields = {"rating": NUMBER, "working_out": YES_NO, "gains_kept": TEXT, "comment": TEXT}

    def answered(_: object) -> dict:
        db().refresh(survey)  # the answer was stored by a conditional UPDATE
        return _survey(survey)

    return _change(lambda: surveys.answer(db(), survey, _form(fields), principal().id), answered)
