"""The coordinator's closure days: days the whole program is closed (a workshop, a provincial
holiday). Adding one withdraws every offer on it and flags the confirmed visits on it; Korean
public holidays are listed beside them, known without being entered (webapp.visits.closures)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.audit import Entity, audit
from webapp.core.clock import seoul_today
from webapp.core.request_db import db
from webapp.ui.i18n import current_language
from webapp.visits.closures import public_holidays
from webapp.visits.days_off import withdraw_day
from webapp.visits.models import ClosureDay
from webapp.visits.offering import offer_now

MAX_NAME = 100


def _page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    today = seoul_today()
    closures = (
        db().exec(select(ClosureDay).where(ClosureDay.day >= today).order_by(col(ClosureDay.day))).all()
    )
    return render_template(
        "visits/closures.html",
        closures=closures,
        holidays=public_holidays(today, today + timedelta(days=365), current_language()),
        errors=errors or {},
        values=values or {},
    ), status


@bp.get("/closures")
def closures():
    return _page()


@bp.post("/closures")
def closure_add():
    values = {k: request.form.get(k, "").strip() for k in ("day", "name")}
    errors = {}
    try:
        day = date.fromisoformat(values["day"])
        if day < seoul_today():
            errors["day"] = _("The day is in the past.")
        elif db().exec(select(ClosureDay).where(ClosureDay.day == day)).first():
            errors["day"] = _("This day is already a closure day.")
    except ValueError:
        errors["day"] = _("Enter a date (YYYY-MM-DD).")
    if not values["name"]:
        errors["name"] = _("Give the closure a name.")
    elif len(values["name"]) > MAX_NAME:
        errors["name"] = _("At most %(limit)s characters.", limit=MAX_NAME)
    if errors:
        return _page(errors, values, 400)
    session = db()
    session.add(ClosureDay(day=day, name=values["name"]))
    withdrawn, flagged = withdraw_day(session, day, by="coordinator")
    audit(
        session,
        current_user.id,
        "closure_day_added",
        Entity.visit_slot,
        day=day.isoformat(),
        offers_withdrawn=len(withdrawn),
        visits_flagged=len(flagged),
    )
    session.commit()
    if withdrawn:
        offer_now()
    flash(
        _(
            "Closure day added: %(withdrawn)s offered time(s) withdrawn, "
            "%(flagged)s confirmed visit(s) flagged.",
            withdrawn=len(withdrawn),
            flagged=len(flagged),
        ),
        "success",
    )
    return redirect(url_for("coordinator.closures"))


@bp.post("/closures/<id:closure_id>/delete")
def closure_delete(closure_id: int):
    closure = db().get(ClosureDay, closure_id)
    if closure is None:
        abort(404)
    db().delete(closure)
    audit(db(), current_user.id, "closure_day_removed", Entity.visit_slot, day=closure.day.isoformat())
    db().commit()
    flash(_("Removed."), "success")
    return redirect(url_for("coordinator.closures"))
