"""The coordinator's dashboard: the program at a glance."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlmodel import col, func, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.request_db import db
from webapp.directory.models import IN_PROGRAM, Company, CompanyStatus, Mentor, Municipality
from webapp.directory.queries import in_force, last_solved_run, mentor_loads, recent_runs
from webapp.matching.service import parse_ref
from webapp.ui.mapdata import assignment_map

STATUSES = tuple(CompanyStatus)
MENTORS_SHOWN = 15


def unmatched(session, run) -> list[tuple[Company, str]]:
    """The companies a run left without a mentor, with the solver's reason."""
    if run is None:
        return []
    reasons = {parse_ref(row["company"]): row.get("reason", "") for row in run.unassigned}
    companies = session.exec(select(Company).where(col(Company.id).in_(reasons))).all()
    return sorted(((c, reasons[c.id]) for c in companies), key=lambda pair: pair[0].name)


@bp.get("/")
def dashboard():
    session = db()
    by_status = dict(session.exec(select(Company.status, func.count()).group_by(col(Company.status))).all())
    grid: dict[int, dict[str, int]] = {}
    for municipality_id, status, count in session.exec(
        select(Company.municipality_id, Company.status, func.count()).group_by(
            col(Company.municipality_id), col(Company.status)
        )
    ):
        grid.setdefault(municipality_id, {})[status] = count
    municipalities = session.exec(select(Municipality).order_by(col(Municipality.name_ko))).all()
    loads = mentor_loads(session)
    mentors = session.exec(select(Mentor).where(Mentor.active)).all()
    busiest = sorted(mentors, key=lambda m: (-loads.get(m.id, 0) / max(m.capacity, 1), m.name))
    assignments = session.exec(in_force()).all()
    companies = session.exec(select(Company).where(col(Company.status).in_(IN_PROGRAM))).all()
    run = last_solved_run(session)
    return render_template(
        "matching/dashboard.html",
        statuses=STATUSES,
        by_status=by_status,
        grid=grid,
        municipalities=municipalities,
        mentors=busiest[:MENTORS_SHOWN],
        mentor_count=len(mentors),
        loads=loads,
        total_load=sum(loads.values()),
        total_capacity=sum(m.capacity for m in mentors),
        unmatched=unmatched(session, run),
        last_run=run,
        runs=recent_runs(session),
        map=assignment_map(session, assignments, companies, _("Assignments in force")),
    )
