"""The engagements' own blueprint (templates, stylesheet, template helpers) and the pages of the
people on site: a mentor's year (engagements as blocks, the current company and teammates) and a
company's engagement (team with contacts, weeks, state, its meetings)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlmodel import Session, col, select

from webapp.accounts.models import Role
from webapp.accounts.security import require_role
from webapp.core.clock import seoul_today
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.models import Company, Municipality
from webapp.engagements.charts import Bar, Lane, gantt, track_colors
from webapp.engagements.labels import plan_label
from webapp.engagements.models import Engagement, EngagementMember, EngagementState
from webapp.engagements.people import latest_engagement, team_of
from webapp.engagements.plan_view import cohort_tracks
from webapp.engagements.reasons import (
    day_text,
    day_time_text,
    mentor_label,
    month_text,
    reason_text,
    skill_label,
)
from webapp.engagements.weeks import week_of
from webapp.programs.models import Cohort
from webapp.visits.models import VisitSlot
from webapp.visits.workflow import offered_slots

bp = Blueprint(
    "engagements",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/engagements/static",
)
bp.add_app_template_global(plan_label, "plan_label")
bp.add_app_template_filter(reason_text, "plan_reason")
bp.add_app_template_filter(day_text, "day")
bp.add_app_template_filter(day_time_text, "day_time")
bp.add_app_template_filter(skill_label, "skill")
bp.add_app_template_filter(mentor_label, "mentor_name")


PAGE_ROLES = {"engagements.mentor_year": Role.mentor, "engagements.company_engagement": Role.company}


@bp.before_request
def _signed_in_with_the_right_role():
    role = PAGE_ROLES.get(request.endpoint or "")
    return require_role(role)() if role else None


def engagements_of_mentor(session: Session, mentor_id: int) -> list[Engagement]:
    return list(
        session.exec(
            select(Engagement)
            .join(EngagementMember, col(EngagementMember.engagement_id) == Engagement.id)
            .where(
                col(EngagementMember.mentor_id) == mentor_id,
                col(Engagement.state) != EngagementState.cancelled.value,
            )
            .order_by(col(Engagement.start_date))
        )
    )


@bp.get("/mentor/engagements")
def mentor_year():
    session = db()
    today = seoul_today()
    mine = engagements_of_mentor(session, current_user.mentor_id)
    current = next((e for e in mine if e.start_date <= today <= e.end_date), None)
    upcoming = [e for e in mine if e.start_date > today]
    companies = {
        id_of(c): c
        for c in session.exec(select(Company).where(col(Company.id).in_([e.company_id for e in mine])))
    }
    charts = []
    for cohort_id in dict.fromkeys(e.cohort_id for e in mine):
        cohort = get_existing(session, Cohort, cohort_id)
        colors = track_colors(cohort_tracks(session, id_of(cohort)))
        bars = [
            Bar(
                lane="me",
                start=e.start_week,
                weeks=e.weeks,
                color=colors.get(companies[e.company_id].track, "#777777"),
                label=companies[e.company_id].name,
                title=f"{companies[e.company_id].name}: {day_text(e.start_date)} ~ {day_text(e.end_date)}",
                solid=e.state != EngagementState.planned.value,
            )
            for e in mine
            if e.cohort_id == cohort_id
        ]
        weeks = max([cohort.weeks] + [e.start_week + e.weeks for e in mine if e.cohort_id == cohort_id])
        charts.append(
            (
                cohort,
                gantt(
                    [Lane("me", str(cohort.year))],
                    bars,
                    weeks,
                    cohort.first_monday,
                    month_text,
                    cohort.name,
                    week_of(cohort.first_monday, today),
                    fit=True,
                ),
            )
        )
    return render_template(
        "engagements/mentor_year.html",
        mine=mine,
        current=current,
        upcoming=upcoming,
        companies=companies,
        team=team_of(session, current) if current else [],
        places={id_of(m): m for m in session.exec(select(Municipality))},
        charts=charts,
        today=today,
    )


@bp.get("/company/engagement")
def company_engagement():
    session = db()
    company = get_existing(session, Company, current_user.company_id)
    engagement = latest_engagement(session, id_of(company))
    meetings = (
        session.exec(
            select(VisitSlot)
            .where(col(VisitSlot.engagement_id) == id_of(engagement))
            .order_by(col(VisitSlot.starts_at))
        ).all()
        if engagement
        else []
    )
    return render_template(
        "engagements/company_engagement.html",
        company=company,
        engagement=engagement,
        cohort=get_existing(session, Cohort, engagement.cohort_id) if engagement else None,
        team=team_of(session, engagement) if engagement else [],
        meetings=meetings,
        offered=offered_slots(session, id_of(company)),
        today=seoul_today(),
    )
