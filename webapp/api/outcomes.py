"""Outcomes in the API: engagements the user may see, each one's KPIs, tasks (photos as URLs,
served under the same ownership as the pages), surveys and report; the province's figures for
coordinators. Read-only: changes go through the pages, where the forms explain each rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, jsonify, url_for
from sqlmodel import col, select

from webapp.api.base import bp, principal, require
from webapp.api.serialize import iso
from webapp.core.request_db import db
from webapp.engagements.models import Engagement
from webapp.outcomes.access import team_ids, visible_engagement, visible_engagement_ids
from webapp.outcomes.figures import kpi_distributions, load_facts, survey_figures
from webapp.outcomes.models import ImprovementTask, KpiIndicator, Survey
from webapp.outcomes.sheet import indicators, outcome_of
from webapp.outcomes.summary import kpi_row, task_counts
from webapp.outcomes.tasks import tasks_of


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


@bp.get("/outcomes/engagements/<id:engagement_id>")
def outcome_report(engagement_id: int):
    """The completion report's content."""
    e = _engagement(engagement_id)
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
    return jsonify(body)


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
    surveys = db().exec(
        select(Survey).where(col(Survey.engagement_id) == engagement_id).order_by(col(Survey.due_on))
    )
    return jsonify(items=[_survey(s) for s in surveys])


@bp.get("/outcomes/province")
def outcome_province():
    """The province's figures (coordinators): what the dashboard draws."""
    require("coordinator")
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
