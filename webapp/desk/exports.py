"""The coordinator's spreadsheets for the province and Samsung: companies, mentors, the
assignments in force with contacts, the visit log with reports, each mentor's monthly activity
(visit days and km driven, for mileage claims) and the companies without a mentor with the
reason. One URL each, as .xlsx or .csv (webapp.ui.export)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from flask import abort, request
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matcher.slots.travel import haversine_km
from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.clock import local_time, seoul_midnight, seoul_today
from webapp.core.request_db import db
from webapp.desk.views import visit_filters
from webapp.desk.visits import visits_statement
from webapp.directory.importing.brn import format_brn
from webapp.directory.models import Company, Industry, Mentor, Municipality
from webapp.directory.queries import company_filters, last_solved_run, mentor_filters
from webapp.matching.dashboard import unmatched
from webapp.matching.models import Assignment, AssignmentState
from webapp.matching.reasons import reason_text
from webapp.ui.export import Column, export_response
from webapp.ui.i18n import local_name
from webapp.ui.labels import label
from webapp.visits.models import SlotState, VisitSlot
from webapp.visits.week_plan import TRAVEL


def _names(session: Session, model) -> dict:
    return {
        row.id if hasattr(row, "id") else row.code: local_name(row) for row in session.exec(select(model))
    }


def _companies(session: Session):
    places = _names(session, Municipality)
    rows = session.exec(company_filters(select(Company), request.args.to_dict())).all()
    columns = [
        Column(_("Company"), lambda c: c.name, width=28),
        Column(_("Business no."), lambda c: format_brn(c.business_reg_no), width=14),
        Column(_("Industry"), lambda c: c.industry_code, width=8),
        Column(_("Municipality"), lambda c: places.get(c.municipality_id, ""), width=10),
        Column(_("Address"), lambda c: c.address, width=30),
        Column(_("Status"), lambda c: label("company_status", c.status), width=8),
        Column(_("Employees"), lambda c: c.employees, "int", width=8),
        Column(_("Priority"), lambda c: c.priority, "int", width=6),
        Column(_("Joined"), lambda c: c.joined_on, "date", width=11),
        Column(_("Contact"), lambda c: c.contact_name, width=12),
        Column(_("Phone"), lambda c: c.contact_phone, width=14),
        Column(_("Email"), lambda c: c.contact_email, width=24),
    ]
    return _("Companies"), columns, rows


def _mentors(session: Session):
    places = _names(session, Municipality)
    rows = session.exec(mentor_filters(select(Mentor), request.args.to_dict())).all()
    columns = [
        Column(_("Mentor"), lambda m: m.name, width=12),
        Column(_("Email"), lambda m: m.email, width=24),
        Column(_("Phone"), lambda m: m.phone, width=14),
        Column(_("Municipality"), lambda m: places.get(m.municipality_id, ""), width=10),
        Column(_("Capacity"), lambda m: m.capacity, "int", width=8),
        Column(_("Active"), lambda m: label("yesno", "yes" if m.active else "no"), width=6),
    ]
    return _("Mentors"), columns, rows


def _assignments(session: Session):
    places = _names(session, Municipality)
    rows = session.exec(
        select(Assignment, Company, Mentor)
        .join(Company, col(Company.id) == col(Assignment.company_id))
        .join(Mentor, col(Mentor.id) == col(Assignment.mentor_id))
        .where(col(Assignment.state) == AssignmentState.approved.value)
        .order_by(col(Company.name))
    ).all()
    columns = [
        Column(_("Company"), lambda r: r[1].name, width=28),
        Column(_("Business no."), lambda r: format_brn(r[1].business_reg_no), width=14),
        Column(_("Municipality"), lambda r: places.get(r[1].municipality_id, ""), width=10),
        Column(_("Industry"), lambda r: r[1].industry_code, width=8),
        Column(_("Contact"), lambda r: r[1].contact_name, width=12),
        Column(_("Phone"), lambda r: r[1].contact_phone, width=14),
        Column(_("Email"), lambda r: r[1].contact_email, width=24),
        Column(_("Mentor"), lambda r: r[2].name, width=12),
        Column(_("Mentor's phone"), lambda r: r[2].phone, width=14),
        Column(_("Mentor's email"), lambda r: r[2].email, width=24),
        Column("km", lambda r: r[0].distance_km, "km", width=8),
        Column(_("Since"), lambda r: r[0].created_at, "date", width=11),
    ]
    return _("Assignments"), columns, rows


def _visits(session: Session):
    rows = session.exec(visits_statement(visit_filters())).all()
    columns = [
        Column(_("Starts"), lambda r: r[0].starts_at, "datetime", width=17),
        Column(_("Ends"), lambda r: r[0].ends_at, "datetime", width=17),
        Column(_("Company"), lambda r: r[1].name, width=28),
        Column(_("Mentor"), lambda r: r[2].name, width=12),
        Column(_("State"), lambda r: label("slot", r[0].state), width=8),
        Column(_("Note"), lambda r: r[0].note, width=40),
        Column(_("Report"), lambda r: r[0].report, width=60),
    ]
    return _("Visits"), columns, rows


@dataclass
class Activity:
    mentor: Mentor
    days: int
    visits: int
    km: float


def monthly_activity(session: Session, month: date) -> list[Activity]:
    """Per mentor, in the month: days with a done or confirmed visit, visits, and km driven
    (each day home -> visits in order -> home, straight-line km x the proposer's road factor)."""
    start = seoul_midnight(month.replace(day=1))
    end = seoul_midnight((month.replace(day=28) + timedelta(days=4)).replace(day=1))
    rows = session.exec(
        select(VisitSlot, Company)
        .join(Company, col(Company.id) == col(VisitSlot.company_id))
        .where(
            col(VisitSlot.starts_at) >= start,
            col(VisitSlot.starts_at) < end,
            col(VisitSlot.state).in_([SlotState.done.value, SlotState.confirmed.value]),
        )
        .order_by(col(VisitSlot.starts_at))
    ).all()
    days: dict[int, dict[date, list[Company]]] = defaultdict(lambda: defaultdict(list))
    for slot, company in rows:
        days[slot.mentor_id][local_time(slot.starts_at).date()].append(company)
    mentors = {m.id: m for m in session.exec(select(Mentor).where(col(Mentor.id).in_(days)))}
    result = []
    for mentor_id, by_day in days.items():
        mentor = mentors[mentor_id]
        km = 0.0
        for stops in by_day.values():
            points = [(mentor.lat, mentor.lon), *((c.lat, c.lon) for c in stops), (mentor.lat, mentor.lon)]
            km += sum(haversine_km(*a, *b) for a, b in pairwise(points))
        result.append(Activity(mentor, len(by_day), sum(map(len, by_day.values())), km * TRAVEL.road_factor))
    return sorted(result, key=lambda a: a.mentor.name)


def _month() -> date:
    try:
        return date.fromisoformat(request.args.get("month", "") + "-01")
    except ValueError:
        return seoul_today().replace(day=1)


def _activity(session: Session):
    month = _month()
    columns = [
        Column(_("Month"), lambda a: f"{month:%Y-%m}", width=8),
        Column(_("Mentor"), lambda a: a.mentor.name, width=12),
        Column(_("Email"), lambda a: a.mentor.email, width=24),
        Column(_("Visit days"), lambda a: a.days, "int", width=8),
        Column(_("Visits"), lambda a: a.visits, "int", width=8),
        Column(_("km driven"), lambda a: a.km, "km", width=10),
    ]
    return _("Activity %(month)s", month=f"{month:%Y-%m}"), columns, monthly_activity(session, month)


def _unmatched(session: Session):
    places = _names(session, Municipality)
    industries = _names(session, Industry)
    columns = [
        Column(_("Company"), lambda r: r[0].name, width=28),
        Column(_("Business no."), lambda r: format_brn(r[0].business_reg_no), width=14),
        Column(_("Municipality"), lambda r: places.get(r[0].municipality_id, ""), width=10),
        Column(
            _("Industry"),
            lambda r: f"{r[0].industry_code} {industries.get(r[0].industry_code, '')}",
            width=24,
        ),
        Column(_("Reason"), lambda r: reason_text(r[1]), width=60),
        Column(_("Contact"), lambda r: r[0].contact_name, width=12),
        Column(_("Phone"), lambda r: r[0].contact_phone, width=14),
    ]
    return _("Without a mentor"), columns, unmatched(session, last_solved_run(session))


EXPORTS = {
    "companies": _companies,
    "mentors": _mentors,
    "assignments": _assignments,
    "visits": _visits,
    "activity": _activity,
    "unmatched": _unmatched,
}


@bp.get("/export/<what>.<fmt>")
def export(what: str, fmt: str):
    if what not in EXPORTS:
        abort(404)
    title, columns, rows = EXPORTS[what](db())
    return export_response(fmt, what, title, columns, rows)
