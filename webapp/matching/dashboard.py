"""The coordinator's dashboard: the program at a glance."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.request_db import db
from webapp.directory.models import IN_PROGRAM, Company, CompanyStatus, Mentor, Municipality
from webapp.directory.queries import in_force, last_solved_run, recent_runs
from webapp.matching.models import Assignment, AssignmentState
from webapp.matching.service import parse_ref
from webapp.ui.mapdata import INLINE_LIMIT, assignment_map

STATUSES = tuple(CompanyStatus)
MENTORS_SHOWN = 15


def unmatched(session, run) -> list[tuple[Company, str]]:
    """The companies a run left without a mentor, with the solver's reason."""
    if run is None:
        return []
    reasons = {parse_ref(row["company"]): row.get("reason", "") for row in run.unassigned}
    companies = session.exec(select(Company).where(col(Company.id).in_(reasons))).all()
    return sorted(((c, reasons[c.id]) for c in companies), key=lambda pair: pair[0].name)


def busiest_mentors(session: Session) -> list:
    """(id, name, capacity, load) of the MENTORS_SHOWN active mentors nearest their capacity."""
    loads = (
        sa.select(col(Assignment.mentor_id), func.count().label("load"))
        .where(col(Assignment.state) == AssignmentState.approved.value)
        .group_by(col(Assignment.mentor_id))
        .subquery()
    )
    load = func.coalesce(loads.c.load, 0)
    room = sa.case((col(Mentor.capacity) > 0, col(Mentor.capacity)), else_=1)
    return list(
        session.execute(
            sa.select(col(Mentor.id), col(Mentor.name), col(Mentor.capacity), load.label("load"))
            .outerjoin(loads, loads.c.mentor_id == col(Mentor.id))
            .where(col(Mentor.active))
            .order_by((load * 1.0 / room).desc(), col(Mentor.name))
            .limit(MENTORS_SHOWN)
        )
    )


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
    mentor_count, total_capacity = session.execute(
        sa.select(func.count(), func.coalesce(func.sum(col(Mentor.capacity)), 0)).where(col(Mentor.active))
    ).one()
    in_program = sum(by_status.get(status, 0) for status in IN_PROGRAM)
    drawn = None
    if request.args.get("map") == "1" or in_program <= INLINE_LIMIT:
        assignments = session.exec(in_force()).all()
        companies = session.exec(select(Company).where(col(Company.status).in_(IN_PROGRAM))).all()
        drawn = assignment_map(session, assignments, companies, _("Assignments in force"))
    run = last_solved_run(session)
    return render_template(
        "matching/dashboard.html",
        statuses=STATUSES,
        by_status=by_status,
        grid=grid,
        municipalities=municipalities,
        mentors=busiest_mentors(session),
        mentor_count=mentor_count,
        total_load=session.scalar(in_force().with_only_columns(func.count())),
        total_capacity=total_capacity,
        unmatched=unmatched(session, run),
        last_run=run,
        runs=recent_runs(session),
        map=drawn,
    )
