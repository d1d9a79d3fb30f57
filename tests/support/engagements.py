"""A small resident-mode program year for the engagement tests.

Cohort 2026 starts on Monday 2026-07-06 with 44 weeks; "today" is 2026-11-29 (week 20, so new
engagements start from week 21). Six mentors in Jeonju, Iksan and Gunsan; nine applicants in
tracks JS1 (quota 3), JS2 (quota 2) and JS3 (no quota). Engagements in force: one completed
(weeks 0-7), one on site (weeks 18-25), one planned (weeks 30-37).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from tests.support.web import brn
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.engagements.models import Engagement, EngagementMember
from webapp.engagements.weeks import week_end, week_start
from webapp.programs.models import Cohort, CohortTrack

TODAY = date(2026, 11, 29)
FIRST_MONDAY = date(2026, 7, 6)


@dataclass
class Program:
    cohort: int
    mentors: list[int]
    companies: list[int]
    completed: int
    on_site: int
    planned: int
    extra: dict = field(default_factory=dict)


def engagement(session: Session, cohort: Cohort, company_id: int, start: int, weeks: int, state: str, team):
    e = Engagement(
        cohort_id=cohort.id,
        company_id=company_id,
        start_week=start,
        weeks=weeks,
        start_date=week_start(cohort.first_monday, start),
        end_date=week_end(cohort.first_monday, start + weeks - 1),
        state=state,
        reasons=["hand-made"],
    )
    session.add(e)
    session.flush()
    for i, mentor_id in enumerate(team):
        session.add(
            EngagementMember(engagement_id=e.id, mentor_id=mentor_id, role="lead" if i == 0 else "member")
        )
    session.flush()
    return e


def make_program(session: Session) -> Program:
    places = {m.name_en: m for m in session.exec(select(Municipality))}
    cohort = Cohort(
        name="2026 전북-삼성 스마트공장",
        year=2026,
        mode="resident",
        status="running",
        first_monday=FIRST_MONDAY,
        weeks=44,
        max_commute_km=80,
        default_engagement_weeks=8,
        default_team_size=2,
    )
    session.add(cohort)
    session.flush()
    for code, quota in (("JS1", 3), ("JS2", 2), ("JS3", None)):
        session.add(CohortTrack(cohort_id=cohort.id, code=code, name=code, quota=quota))
    mentors = []
    for i, (town, skills) in enumerate(
        (
            ("Jeonju", ["automation", "quality"]),
            ("Jeonju", ["layout"]),
            ("Iksan", ["quality"]),
            ("Iksan", ["automation"]),
            ("Gunsan", ["logistics"]),
            ("Gunsan", ["it"]),
        ),
        start=1,
    ):
        place = places[town]
        m = Mentor(
            name=f"멘토{i}",
            email=f"m{i}@plan.kr",
            phone=f"010-1000-000{i}",
            municipality_id=place.id,
            lat=place.lat,
            lon=place.lon,
            skills=skills,
        )
        session.add(m)
        mentors.append(m)
    session.flush()
    for m in mentors:
        session.add(MentorIndustry(mentor_id=m.id, industry_code="C29", fit=90))
    companies = []
    for i, (town, track, score) in enumerate(
        (
            ("Jeonju", "JS1", 90),
            ("Jeonju", "JS1", 80),
            ("Iksan", "JS1", 70),
            ("Iksan", "JS1", 60),
            ("Gunsan", "JS2", 85),
            ("Gunsan", "JS2", 75),
            ("Jeonju", "JS2", 65),
            ("Iksan", "JS3", 55),
            ("Gunsan", "JS3", 50),
        ),
        start=1,
    ):
        place = places[town]
        c = Company(
            name=f"공장{i}",
            business_reg_no=brn(100 + i),
            industry_code="C29",
            municipality_id=place.id,
            lat=place.lat + 0.01,
            lon=place.lon,
            status="active" if i <= 3 else "applied",
            cohort_id=cohort.id,
            track=track,
            score=score,
            contact_name=f"담당{i}",
            contact_email=f"c{i}@plan.kr",
            contact_phone="063-100-0000",
        )
        session.add(c)
        companies.append(c)
    session.flush()
    ids = [m.id for m in mentors]
    completed = engagement(session, cohort, companies[0].id, 0, 8, "completed", ids[0:2])
    on_site = engagement(session, cohort, companies[1].id, 18, 8, "on_site", ids[2:4])
    planned = engagement(session, cohort, companies[2].id, 30, 8, "planned", ids[0:2])
    session.commit()
    return Program(
        cohort=cohort.id,
        mentors=ids,
        companies=[c.id for c in companies],
        completed=completed.id,
        on_site=on_site.id,
        planned=planned.id,
    )
