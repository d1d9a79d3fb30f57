"""The company's page: my mentor, my visits (cancel, reschedule, .ics), the visit slots offered
to me (confirm one, or decline all), and my calendar feed."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.accounts.security import require_role
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.models import Company, Industry, Mentor, MentorIndustry, Municipality
from webapp.directory.queries import current_assignment
from webapp.engagements.people import latest_engagement, team_of
from webapp.visits.calendar_views import feed_card
from webapp.visits.models import SlotState
from webapp.visits.planning import VisitPolicy
from webapp.visits.preferences import saved_preferences
from webapp.visits.progress import engagement_progress, visit_history
from webapp.visits.queries import upcoming_visits

bp = Blueprint("company", __name__, url_prefix="/company")
bp.before_request(require_role(Role.company))


def page(status: int = 200):
    """The company's page; also answers a confirmation that lost its race (409)."""
    session = db()
    company = get_existing(session, Company, current_user.company_id)
    assignment = current_assignment(session, id_of(company))
    mentor = session.get(Mentor, assignment.mentor_id) if assignment else None
    # A resident engagement's team stands in for the visiting mentor the company has not got.
    engagement = None if mentor else latest_engagement(session, id_of(company))
    fits = (
        session.exec(
            select(MentorIndustry, Industry)
            .join(Industry)
            .where(MentorIndustry.mentor_id == mentor.id)
            .order_by(col(MentorIndustry.fit).desc())
        ).all()
        if mentor
        else []
    )
    return render_template(
        "visits/company_home.html",
        company=company,
        assignment=assignment,
        mentor=mentor,
        engagement=engagement,
        team=team_of(session, engagement) if engagement else [],
        fits=fits,
        industry=session.get(Industry, company.industry_code),
        municipality=session.get(Municipality, company.municipality_id),
        mentor_home=session.get(Municipality, mentor.municipality_id) if mentor else None,
        visits=upcoming_visits(session, company_id=company.id),
        offered=upcoming_visits(session, company_id=company.id, states=(SlotState.proposed,)),
        calendar=feed_card(session, current_user),
        prefs=saved_preferences(session, id_of(company)),
        history=visit_history(session, company_id=id_of(company)),
        progress=engagement_progress(
            session, id_of(mentor), id_of(company), VisitPolicy.from_config(current_app.config)
        )
        if mentor
        else None,
    ), status


@bp.get("/")
def home():
    return page()
