"""The visits desk pages: the list with filters, the attention queue, and the coordinator's
actions on a visit (through the visit workflow)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import get_existing
from webapp.core.notifications import notify_company
from webapp.core.request_db import db
from webapp.desk.reassign import ReassignRefused, candidates, reassign
from webapp.desk.visits import UNANSWERED_DAYS, VisitFilters, needs_attention, visits_statement
from webapp.directory.models import Company, Mentor, Municipality
from webapp.directory.queries import current_assignment, paginate
from webapp.ui.templating import datetime_ko
from webapp.visits.messages import visit_message
from webapp.visits.models import ClosedReason, SlotState, VisitSlot
from webapp.visits.offering import offer_in_background, offer_now
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


def _slot_or_404(slot_id: int) -> VisitSlot:
    slot = db().get(VisitSlot, slot_id)
    if slot is None:
        abort(404)
    return slot


def _reassign_page(slot: VisitSlot, error: str = "", status: int = 200):
    session = db()
    company = get_existing(session, Company, slot.company_id)
    assignment = current_assignment(session, slot.company_id)
    former = session.get(Mentor, assignment.mentor_id) if assignment else None
    return render_template(
        "desk/reassign.html",
        slot=slot,
        company=company,
        former=former,
        visit_mentor=session.get(Mentor, slot.mentor_id),
        candidates=candidates(session, company, slot, former.id) if former and not slot.engagement_id else [],
        can_keep_time=bool(
            former
            and slot.state == SlotState.confirmed.value
            and slot.mentor_id == former.id
            and slot.flag != ClosedReason.closure.value
        ),
        form=request.form,
        error=error,
    ), status


@bp.route("/visits/<id:slot_id>/reassign", methods=["GET", "POST"])
def visit_reassign(slot_id: int):
    """Give the visit's company another mentor from now on (webapp.desk.reassign)."""
    slot = _slot_or_404(slot_id)
    if request.method == "GET":
        return _reassign_page(slot)
    session = db()
    try:
        done = reassign(
            session,
            slot,
            request.form.get("mentor_id", type=int),
            request.form.get("reason", ""),
            current_user.id,
            keep_time=request.form.get("keep_time") == "1",
            pin=request.form.get("pin") == "1",
        )
        session.commit()
    except ReassignRefused as refused:
        session.rollback()
        return _reassign_page(_slot_or_404(slot_id), str(refused), 400)
    offer_in_background()  # the new mentor's times (the scheduler's poll makes any still missing)
    flash(
        _(
            "%(company)s now has mentor %(name)s; %(former)s, the company and %(name)s have been told.",
            company=get_existing(session, Company, slot.company_id).name,
            name=done.mentor.name,
            former=done.former.name,
        ),
        "success",
    )
    return redirect(url_for("coordinator.visits_desk"))


@bp.post("/visits/<id:slot_id>/keep")
def visit_keep(slot_id: int):
    """The confirmed visit on a day off stays (the coordinator checked with the mentor): its
    flag is cleared, once (a conditional update)."""
    session = db()
    slot = _slot_or_404(slot_id)
    flag = slot.flag
    cleared = session.execute(
        sa.update(VisitSlot)
        .where(
            col(VisitSlot.id) == slot_id,
            col(VisitSlot.flag) != "",
            col(VisitSlot.state) == SlotState.confirmed,
        )
        .values(flag="", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if cleared == 1:
        audit(session, current_user.id, "visit_kept", Entity.visit_slot, slot_id, flag=flag)
        session.commit()
        flash(_("The visit stays as confirmed."), "success")
    else:
        flash(_("This visit no longer needs attention."), "error")
    return redirect(url_for("coordinator.visits_desk"))
