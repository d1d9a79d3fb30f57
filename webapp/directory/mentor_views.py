"""The mentor's pages: my companies, my visits, my capacity and availability."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.accounts.security import require_role
from webapp.core.audit import Entity, audit
from webapp.core.clock import seoul_now, seoul_today, utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.availability import check_day_off, check_window
from webapp.directory.importing.columns import parse_int
from webapp.directory.models import (
    Company,
    Industry,
    Mentor,
    MentorAvailability,
    MentorDayOff,
    MentorIndustry,
    Municipality,
)
from webapp.directory.queries import (
    current_assignment,
    get_visible,
    mentor_assignments,
    visible_companies,
)
from webapp.ui.i18n import current_language
from webapp.ui.labels import label
from webapp.visits.calendar_views import feed_card
from webapp.visits.closures import closed_days
from webapp.visits.days_off import withdraw_day
from webapp.visits.models import SlotState
from webapp.visits.offering import offer_now
from webapp.visits.places import map_url
from webapp.visits.planning import VisitPolicy
from webapp.visits.progress import engagement_progress, visit_history
from webapp.visits.queries import VisitSlot, upcoming_visits
from webapp.visits.week_plan import TRAVEL, monday_of, plan_week, week_bounds

OPEN_STATES = (SlotState.proposed, SlotState.confirmed)
WINDOW_OVERLAP = "availability_overlaps_window"  # raised by the trigger of migration 0007
bp = Blueprint("mentor", __name__, url_prefix="/mentor")
bp.before_request(require_role(Role.mentor))


def _me() -> Mentor:
    return get_existing(db(), Mentor, current_user.mentor_id)


@bp.get("/")
def home():
    session = db()
    rows = mentor_assignments(session, current_user.mentor_id)
    return render_template(
        "directory/mentor_home.html",
        mentor=_me(),
        rows=rows,
        industries={i.code: i for i in session.exec(select(Industry))},
        municipalities={m.id: m for m in session.exec(select(Municipality))},
        visits=upcoming_visits(session, mentor_id=current_user.mentor_id, states=OPEN_STATES),
    )


@bp.get("/schedule")
def schedule():
    """The week's visits by day, with the drive between consecutive visits, and as a list."""
    session = db()
    today = seoul_today()
    monday = monday_of(request.args.get("week"), seoul_now())
    start, end = week_bounds(monday)
    rows = session.exec(
        select(VisitSlot, Company)
        .join(Company, col(Company.id) == VisitSlot.company_id)
        .where(
            VisitSlot.mentor_id == current_user.mentor_id,
            VisitSlot.starts_at >= start,
            VisitSlot.starts_at < end,
            col(VisitSlot.state).in_((SlotState.confirmed, SlotState.done, SlotState.cancelled)),
        )
    ).all()
    sunday = monday + timedelta(days=6)
    days_off = {
        d.day: d.note or _("Day off")
        for d in session.exec(
            select(MentorDayOff).where(
                MentorDayOff.mentor_id == current_user.mentor_id,
                MentorDayOff.day >= monday,
                MentorDayOff.day <= sunday,
            )
        )
    }
    policy = VisitPolicy.from_config(current_app.config)
    progress = {
        company_id: engagement_progress(session, current_user.mentor_id, company_id, policy)
        for company_id in {slot.company_id for slot, _company in rows}
    }
    return render_template(
        "visits/mentor_schedule.html",
        days=plan_week(
            monday, rows, closed=closed_days(session, monday, sunday, current_language()), days_off=days_off
        ),
        offered=upcoming_visits(session, mentor_id=current_user.mentor_id, states=(SlotState.proposed,)),
        progress=progress,
        monday=monday,
        today=today,
        week=monday.isoformat(),
        travel=TRAVEL,
        calendar=feed_card(session, current_user),
        previous=(monday - timedelta(days=7)).isoformat(),
        next=(monday + timedelta(days=7)).isoformat(),
    )


@bp.get("/companies/<id:company_id>")
def company(company_id: int):
    session = db()
    record = get_visible(session, visible_companies(current_user), Company, company_id)
    if record is None:
        abort(404)
    return render_template(
        "directory/mentor_company.html",
        company=record,
        assignment=current_assignment(session, company_id),
        industry=session.get(Industry, record.industry_code),
        municipality=session.get(Municipality, record.municipality_id),
        visits=upcoming_visits(
            session, mentor_id=current_user.mentor_id, company_id=company_id, states=OPEN_STATES
        ),
        history=visit_history(session, company_id=company_id, mentor_id=current_user.mentor_id),
        progress=engagement_progress(
            session, current_user.mentor_id, company_id, VisitPolicy.from_config(current_app.config)
        )[0],
        map_url=map_url(record),
    )


def _availability_page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    session = db()
    mentor = _me()
    windows = session.exec(
        select(MentorAvailability)
        .where(MentorAvailability.mentor_id == mentor.id)
        .order_by(col(MentorAvailability.weekday), col(MentorAvailability.starts))
    ).all()
    days_off = session.exec(
        select(MentorDayOff)
        .where(MentorDayOff.mentor_id == mentor.id, MentorDayOff.day >= seoul_today())
        .order_by(col(MentorDayOff.day))
    ).all()
    fits = session.exec(
        select(MentorIndustry, Industry)
        .join(Industry)
        .where(MentorIndustry.mentor_id == mentor.id)
        .order_by(col(MentorIndustry.fit).desc())
    ).all()
    return render_template(
        "directory/mentor_availability.html",
        mentor=mentor,
        windows=windows,
        days_off=days_off,
        fits=fits,
        load=len(mentor_assignments(session, id_of(mentor))),
        weekdays=[(str(day), label("weekday", day)) for day in range(7)],
        errors=errors or {},
        values=values or {},
    ), status


@bp.get("/availability")
def availability():
    return _availability_page()


@bp.post("/capacity")
def capacity():
    text = request.form.get("capacity", "").strip()
    try:
        value = parse_int(0, 50)(text)
    except ValueError:
        return _availability_page(
            {"capacity": _("Enter a whole number from 0 to 50.")}, {"capacity": text}, 400
        )
    mentor = _me()
    mentor.capacity, mentor.updated_at = value, utcnow()
    db().add(mentor)
    audit(db(), current_user.id, "capacity_changed", Entity.mentor, mentor.id, capacity=value)
    db().commit()
    flash(_("Capacity saved."), "success")
    return redirect(url_for("mentor.availability"))


@bp.post("/windows")
def add_window():
    session = db()
    existing = [
        (w.weekday, w.starts, w.ends)
        for w in session.exec(
            select(MentorAvailability).where(MentorAvailability.mentor_id == current_user.mentor_id)
        )
    ]
    values = {k: request.form.get(k, "") for k in ("weekday", "starts", "ends")}
    window, errors = check_window(values["weekday"], values["starts"], values["ends"], existing)
    if errors:
        return _availability_page(errors, values, 400)
    weekday, starts, ends = window
    session.add(
        MentorAvailability(mentor_id=current_user.mentor_id, weekday=weekday, starts=starts, ends=ends)
    )
    try:
        session.flush()  # the database refuses a window overlapping one added a moment ago
    except IntegrityError as exc:
        session.rollback()
        if WINDOW_OVERLAP not in str(exc.orig) and "ex_mentoravailability_no_overlap" not in str(exc.orig):
            raise
        return _availability_page({"starts": _("Overlaps another of your windows that day.")}, values, 409)
    audit(
        session,
        current_user.id,
        "availability_added",
        Entity.mentor,
        current_user.mentor_id,
        weekday=weekday,
        starts=starts.isoformat(),
        ends=ends.isoformat(),
    )
    session.commit()
    flash(_("Time window added."), "success")
    return redirect(url_for("mentor.availability"))


@bp.post("/daysoff")
def add_day_off():
    session = db()
    taken = session.exec(
        select(MentorDayOff.day).where(MentorDayOff.mentor_id == current_user.mentor_id)
    ).all()
    values = {k: request.form.get(k, "") for k in ("day", "note")}
    day, errors = check_day_off(values["day"], taken, seoul_today())
    if len(values["note"]) > 200:
        errors["note"] = _("At most 200 characters.")
    if errors:
        return _availability_page(errors, values, 400)
    session.add(MentorDayOff(mentor_id=current_user.mentor_id, day=day, note=values["note"].strip()))
    withdrawn, flagged = withdraw_day(session, day, mentor_id=current_user.mentor_id)
    audit(
        session,
        current_user.id,
        "day_off_added",
        Entity.mentor,
        current_user.mentor_id,
        day=day.isoformat(),
        offers_withdrawn=len(withdrawn),
        visits_flagged=len(flagged),
    )
    session.commit()
    flash(_("Day off added."), "success")
    if withdrawn:
        offer_now()
        flash(
            _(
                "%(count)s offered time(s) on that day were withdrawn; the companies were told.",
                count=len(withdrawn),
            ),
            "info",
        )
    if flagged:
        flash(
            _(
                "You have %(count)s confirmed visit(s) on that day: cancel them or ask to reschedule. "
                "The coordinators were told.",
                count=len(flagged),
            ),
            "error",
        )
    return redirect(url_for("mentor.availability"))


@bp.post("/<any(windows, daysoff):what>/<id:item_id>/delete")
def delete_item(what: str, item_id: int):
    item: MentorAvailability | MentorDayOff | None = (
        db().get(MentorAvailability, item_id) if what == "windows" else db().get(MentorDayOff, item_id)
    )
    if item is None or item.mentor_id != current_user.mentor_id:
        abort(404)
    db().delete(item)
    audit(
        db(),
        current_user.id,
        f"{'availability' if what == 'windows' else 'day_off'}_removed",
        Entity.mentor,
        current_user.mentor_id,
        item=item_id,
    )
    db().commit()
    flash(_("Removed."), "success")
    return redirect(url_for("mentor.availability"))
