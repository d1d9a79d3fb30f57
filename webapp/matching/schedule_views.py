"""The Schedule page: when matching runs by itself (weekly, Asia/Seoul), pause and resume,
auto-approve, the solver parameters of scheduled runs, and the history of runs.

The scheduler process re-reads these settings on every poll, so changes apply without a restart.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, func, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.audit import Entity, audit
from webapp.core.clock import SEOUL, utcnow
from webapp.core.inputs import whole_number
from webapp.core.request_db import db
from webapp.directory.availability import parse_time, parse_weekday
from webapp.directory.queries import paginate
from webapp.matching.models import Assignment, MatchingRun
from webapp.matching.params import DEFAULT_PARAMS, PARAM_LABELS, PARAM_LIMITS, validate_params
from webapp.matching.schedule import load_settings, update_settings, weekly_trigger
from webapp.ui.labels import label

UPCOMING = 3


def next_runs(settings, now: datetime, count: int = UPCOMING) -> list[datetime]:
    """The next weekly run times in Asia/Seoul; none while paused."""
    if settings.paused:
        return []
    trigger, times, previous = weekly_trigger(settings), [], None
    moment = now.astimezone(SEOUL)
    for _number in range(count):
        fire = trigger.get_next_fire_time(previous, moment)
        times.append(fire)
        previous, moment = fire, fire + timedelta(minutes=1)
    return times


def _form_values(settings) -> dict[str, str]:
    params = {**DEFAULT_PARAMS, **(settings.params or {})}
    return {
        "weekday": str(settings.weekly_weekday),
        "at": settings.weekly_time.strftime("%H:%M"),
        "auto_approve": "1" if settings.auto_approve else "",
        **{name: "" if params.get(name) is None else str(params[name]) for name in PARAM_LIMITS},
    }


def _page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    session = db()
    settings = load_settings(session)
    page = paginate(
        session,
        select(MatchingRun).order_by(col(MatchingRun.id).desc()),
        request.args.get("page", 1, type=whole_number),
        size=20,
    )
    matched = dict(
        session.exec(
            select(Assignment.run_id, func.count())
            .where(col(Assignment.run_id).in_([r.id for r in page.items]))
            .group_by(col(Assignment.run_id))
        ).all()
    )
    return render_template(
        "matching/schedule.html",
        settings=settings,
        upcoming=next_runs(settings, utcnow()),
        page=page,
        matched=matched,
        values=values or _form_values(settings),
        errors=errors or {},
        weekdays=[(str(day), label("weekday", day)) for day in range(7)],
        limits=PARAM_LIMITS,
        labels=PARAM_LABELS,
    ), status


@bp.get("/schedule")
def schedule():
    return _page()


def _check(values: dict[str, str]) -> tuple[int | None, time | None, dict, dict[str, str]]:
    errors: dict[str, str] = {}
    weekday = parse_weekday(values["weekday"])
    if weekday is None:
        errors["weekday"] = _("Choose a weekday.")
    at = None
    try:
        at = parse_time(values["at"])
    except ValueError as exc:
        errors["at"] = str(exc)
    raw = {name: values[name] for name in PARAM_LIMITS}
    params, param_errors = validate_params(raw)
    errors.update(param_errors)
    chosen = {name: params[name] for name, text in raw.items() if text.strip() and name in params}
    return weekday, at, chosen, errors


@bp.post("/schedule")
def schedule_save():
    values = {name: request.form.get(name, "").strip() for name in ("weekday", "at", *PARAM_LIMITS)}
    values["auto_approve"] = "1" if request.form.get("auto_approve") else ""
    weekday, at, params, errors = _check(values)
    if errors:
        return _page(values, errors, 400)
    session = db()
    settings = update_settings(session, weekday=weekday, at=at, auto_approve=bool(values["auto_approve"]))
    settings.params = params
    session.add(settings)
    audit(
        session,
        current_user.id,
        "schedule_changed",
        Entity.scheduler_settings,
        settings.id,
        weekday=weekday,
        at=at.strftime("%H:%M"),
        auto_approve=settings.auto_approve,
        params=params,
    )
    session.commit()
    flash(_("Schedule saved; the scheduler applies it within a minute."), "success")
    return redirect(url_for("coordinator.schedule"))


@bp.post("/schedule/pause")
def schedule_pause():
    paused = request.form.get("paused") == "1"
    session = db()
    update_settings(session, paused=paused)
    audit(
        session,
        current_user.id,
        "schedule_paused" if paused else "schedule_resumed",
        Entity.scheduler_settings,
        1,
    )
    session.commit()
    flash(
        _("Automatic matching is paused.") if paused else _("Automatic matching is running again."), "success"
    )
    return redirect(url_for("coordinator.schedule"))
