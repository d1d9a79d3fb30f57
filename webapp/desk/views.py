"""The visits desk pages: the list with filters, the attention queue, and the coordinator's
actions on a visit (through the visit workflow)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.clock import utcnow
from webapp.core.notifications import notify_company
from webapp.core.request_db import db
from webapp.desk.visits import UNANSWERED_DAYS, VisitFilters, needs_attention, visits_statement
from webapp.directory.models import Mentor, Municipality
from webapp.directory.queries import paginate
from webapp.ui.templating import datetime_ko
from webapp.visits.messages import visit_message
from webapp.visits.models import SlotState
from webapp.visits.offering import offer_now
from webapp.visits.week_plan import monday_of
from webapp.visits.workflow import VisitError, cancel_visit


def visit_filters() -> VisitFilters:
    args = request.args
    week = args.get("week", "")
    return VisitFilters(
        week=monday_of(week, utcnow()) if week else None,
        mentor=args.get("mentor", type=int),
        company=args.get("company", type=int),
        company_name=args.get("company_name", ""),
        municipality=args.get("municipality", type=int),
        state=args.get("state", ""),
    )


@bp.get("/visits")
def visits_desk():
    session = db()
    filters = visit_filters()
    page = paginate(session, visits_statement(filters), request.args.get("page", 1, type=int), size=50)
    monday = filters.week or monday_of(None, utcnow())
    return render_template(
        "desk/visits.html",
        page=page,
        filters=filters,
        attention=needs_attention(session),
        unanswered_days=UNANSWERED_DAYS,
        monday=monday,
        states=[s.value for s in SlotState],
        mentors=session.exec(select(Mentor).order_by(Mentor.name)).all(),
        municipalities=session.exec(select(Municipality).order_by(Municipality.name_ko)).all(),
    )


@bp.post("/visits/offer")
def visits_offer():
    """Offer new times now to every company that needs its next visit (declined, rescheduled,
    cancelled or newly matched), as the scheduler does on its next poll."""
    if offer_now():
        flash(_("New visit times were offered to every company waiting for them."), "success")
    else:
        flash(_("Visit times could not be offered yet; they will be offered within a few minutes."), "error")
    return redirect(url_for("coordinator.visits_desk"))


@bp.post("/visits/<id:slot_id>/cancel")
def visit_cancel(slot_id: int):
    """The coordinator cancels a confirmed visit with a reason; the workflow tells the mentor,
    and the company is told here (the workflow tells "the other side" of who cancelled)."""
    reason = request.form.get("reason", "")
    try:
        slot = cancel_visit(db(), slot_id, reason, current_user)
    except LookupError:
        abort(404)
    except VisitError as exc:
        db().rollback()
        flash(visit_message(exc), "error")
        return redirect(url_for("coordinator.visits_desk"))
    notify_company(
        db(),
        slot.company_id,
        "visit_cancelled_by_office",
        {"when": datetime_ko(slot.starts_at), "reason": reason.strip()},
    )
    db().commit()
    flash(_("The visit was cancelled; the mentor and the company have been told."), "success")
    return redirect(url_for("coordinator.visits_desk"))
