"""Demo program year in resident mode: cohort 2026 (first Monday 2026-07-06, 44 weeks, quotas
JS1 25 / JS2 28 / JS3 3), 30 resident mentors with skills, 200 applicants with tracks and
committee scores, and an approved plan whose engagements are completed (before today), on site
(now), agreed (the next four weeks) and planned (later), with room left for "Plan now" to add.

The plan is made by a small deterministic greedy (highest score first, earliest start, nearest
fitting team), not by the planner, so the same engagements come out on every load: the outcomes
demo (issue #17) attaches KPIs to `completed_engagements()`. Loading twice changes nothing: the
cohort is found by name, and its plan is made only when it has no engagement yet.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from webapp.core.clock import SEOUL, seoul_today
from webapp.core.db import id_of
from webapp.directory.models import Company, CompanyStatus, Mentor, MentorIndustry, MentorLeave, Municipality
from webapp.engagements.figures import summary
from webapp.engagements.instance import PlanSettings, build_instance
from webapp.engagements.models import (
    Engagement,
    EngagementMember,
    EngagementState,
    PlanningRun,
    PlanStatus,
    ProposedEngagement,
    TeamRole,
)
from webapp.engagements.visits import offer_in
from webapp.engagements.weeks import week_end, week_of, week_start
from webapp.programs.models import Cohort, CohortStatus, CohortTrack, ProgramMode
from webapp.visits.models import SlotState, VisitPurpose, VisitSlot

SEED = 2027
COHORT_NAME = "2026년 전북-삼성 스마트공장 구축 지원사업"
FIRST_MONDAY = date(2026, 7, 6)
WEEKS = 44
QUOTAS = {"JS1": 25, "JS2": 28, "JS3": 3}
TRACK_NAMES = {"JS1": "기초 (JS1)", "JS2": "고도화1 (JS2)", "JS3": "고도화2 (JS3)"}
TRACK_WEIGHTS = {"JS1": 30, "JS2": 54, "JS3": 16}  # the 2024 applications per track
RESIDENT_MENTORS = 30
APPLICANTS = 200
PLANNED = 48  # engagements of the demo plan: "Plan now" has room to add up to the quotas
SKILLS = ["automation", "quality", "logistics", "it", "safety", "layout"]
MINIMUMS = {"Jinan": 1, "Muju": 1, "Jangsu": 1}
COMMUTE_KM = 80
SPREAD_WEEKS = 34  # the demo plan's starts spread over the first 34 weeks


def _distance(a, b) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def load_engagements_demo(
    session: Session, mentors: list[Mentor], companies: list[Company], company_login_id: int
) -> Cohort:
    """The resident cohort on top of the directory's demo mentors and companies; the demo
    company's login (`company_login_id`) is on site now with the demo mentor (mentors[0]) as lead."""
    rng = random.Random(SEED)
    cohort = session.exec(select(Cohort).where(col(Cohort.name) == COHORT_NAME)).first()
    if cohort is None:
        cohort = Cohort(
            name=COHORT_NAME,
            year=2026,
            mode=ProgramMode.resident.value,
            status=CohortStatus.running.value,
            first_monday=FIRST_MONDAY,
            weeks=WEEKS,
            max_commute_km=COMMUTE_KM,
            default_engagement_weeks=8,
            default_team_size=2,
            min_per_municipality={},
        )
        session.add(cohort)
        session.flush()
        for code, quota in QUOTAS.items():
            session.add(CohortTrack(cohort_id=id_of(cohort), code=code, name=TRACK_NAMES[code], quota=quota))
    resident = mentors[:RESIDENT_MENTORS]
    for i, mentor in enumerate(mentors):
        mentor.skills = sorted(rng.sample(SKILLS, rng.choice([1, 2, 2, 3]))) if i < RESIDENT_MENTORS else []
        mentor.max_concurrent = 1 if i < RESIDENT_MENTORS else 0  # the others visit (matching mode)
        session.add(mentor)
    places = {id_of(m): m.name_en for m in session.exec(select(Municipality))}
    candidates = [
        c for c in companies if c.status in (CompanyStatus.applied.value, CompanyStatus.active.value)
    ]
    first = next(c for c in candidates if id_of(c) == company_login_id)
    applicants = [first, *(c for c in candidates if c is not first)][:APPLICANTS]
    tracks, weights = list(TRACK_WEIGHTS), list(TRACK_WEIGHTS.values())
    for company in applicants:
        company.cohort_id = id_of(cohort)
        company.track = rng.choices(tracks, weights)[0]
        company.score = rng.randint(45, 98)
        company.required_skills = [rng.choice(SKILLS)] if rng.random() < 0.3 else []
        company.engagement_weeks = rng.choice([None, None, None, 6, 10])
        company.team_size = 3 if company.track == "JS3" else None
        session.add(company)
    present = {places[c.municipality_id] for c in applicants}
    cohort.min_per_municipality = {name: n for name, n in MINIMUMS.items() if name in present}
    session.add(cohort)
    session.flush()
    if not session.exec(select(MentorLeave).where(col(MentorLeave.mentor_id) == id_of(resident[5]))).first():
        session.add(
            MentorLeave(
                mentor_id=id_of(resident[5]), starts=date(2027, 1, 4), ends=date(2027, 1, 15), note="교육"
            )
        )
        session.add(
            MentorLeave(
                mentor_id=id_of(resident[11]), starts=date(2027, 2, 15), ends=date(2027, 2, 19), note="휴가"
            )
        )
    if session.exec(select(Engagement.id).where(col(Engagement.cohort_id) == id_of(cohort))).first() is None:
        _demo_plan(session, cohort, resident, applicants)
    return cohort


def _demo_plan(session: Session, cohort: Cohort, resident: list[Mentor], applicants: list[Company]) -> None:
    """The greedy plan, its engagements in states by today's date, an approved run holding it,
    and the meetings of the engagements under way."""
    today = seoul_today()
    fits: dict[int, dict[str, int]] = {}
    for row in session.exec(select(MentorIndustry)):
        fits.setdefault(row.mentor_id, {})[row.industry_code] = row.fit
    busy: dict[int, set[int]] = {id_of(m): set() for m in resident}
    chosen: list[tuple[Company, int, list[Mentor]]] = []
    per_track: dict[str, int] = {}
    # The demo company's login (the first applicant) is on site now, led by the demo mentor; then
    # the best applicant of each municipality with a minimum, then everyone by score.
    by_score = sorted(applicants[1:], key=lambda c: (-(c.score or 0), id_of(c)))
    places = {id_of(m): m.name_en for m in session.exec(select(Municipality))}
    firsts = [
        next(c for c in by_score if places[c.municipality_id] == name) for name in cohort.min_per_municipality
    ]
    order = [applicants[0], *firsts, *(c for c in by_score if c not in firsts)]
    now_week = max(0, min(week_of(FIRST_MONDAY, today) - 2, WEEKS - 8))
    for company in order:
        if len(chosen) == PLANNED or per_track.get(company.track, 0) >= QUOTAS[company.track]:
            continue
        weeks = company.engagement_weeks or cohort.default_engagement_weeks
        size = company.team_size or cohort.default_team_size
        # Starts spread over the year by rank, as a coordinator staggers them: higher scores earlier.
        earliest = min(WEEKS - weeks, len(chosen) * SPREAD_WEEKS // PLANNED)
        starts = [now_week] if company is applicants[0] else range(earliest, WEEKS - weeks + 1)
        for start in starts:
            span = set(range(start, start + weeks))
            free = [m for m in resident if not busy[id_of(m)] & span and _distance(m, company) <= COMMUTE_KM]
            if company is applicants[0]:  # the demo mentor leads, the nearest free mentors join
                near = sorted(
                    (m for m in resident if m is not resident[0]), key=lambda m: _distance(m, company)
                )
                team = [resident[0], *near[: size - 1]]
            else:
                team = _team(company, free, fits, size)
            if team:
                for m in team:
                    busy[id_of(m)] |= span
                chosen.append((company, start, team))
                per_track[company.track] = per_track.get(company.track, 0) + 1
                break
    decided = datetime.combine(FIRST_MONDAY - timedelta(days=14), time(9), SEOUL)
    run = PlanningRun(
        cohort_id=id_of(cohort),
        created_at=decided,
        lock=f"cohort:{id_of(cohort)}",
        params={"time_limit": 30},
        status=PlanStatus.approved.value,
        solver_status="FEASIBLE",
        started_at=decided,
        finished_at=decided + timedelta(minutes=1),
        approved_at=decided + timedelta(days=1),
    )
    session.add(run)
    session.flush()
    rows: list[ProposedEngagement] = []
    for company, start, team in chosen:
        weeks = company.engagement_weeks or cohort.default_engagement_weeks
        first, last = week_start(FIRST_MONDAY, start), week_end(FIRST_MONDAY, start + weeks - 1)
        if last < today:
            state = EngagementState.completed
        elif first <= today:
            state = EngagementState.on_site
        elif first <= today + timedelta(weeks=4):
            state = EngagementState.agreed
        else:
            state = EngagementState.planned
        lead = team[0]
        reasons = [
            f"lead m-{id_of(lead)}: same industry {company.industry_code} "
            f"(fit {fits.get(id_of(lead), {}).get(company.industry_code, 0)})",
            f"team lives {math.floor(min(_distance(m, company) for m in team))}-"
            f"{math.floor(max(_distance(m, company) for m in team))} km away",
        ]
        engagement = Engagement(
            cohort_id=id_of(cohort),
            company_id=id_of(company),
            start_week=start,
            weeks=weeks,
            start_date=first,
            end_date=last,
            state=state.value,
            reasons=reasons,
        )
        session.add(engagement)
        session.flush()
        for i, mentor in enumerate(team):
            role = TeamRole.lead if i == 0 else TeamRole.member
            session.add(
                EngagementMember(engagement_id=id_of(engagement), mentor_id=id_of(mentor), role=role.value)
            )
        proposal = ProposedEngagement(
            run_id=id_of(run),
            company_id=id_of(company),
            start_week=start,
            weeks=weeks,
            mentors=[f"m-{id_of(m)}" for m in team],
            reasons=reasons,
        )
        rows.append(proposal)
        session.add(proposal)
        if company.status == CompanyStatus.applied.value:
            company.status = CompanyStatus.active.value
            session.add(company)
        _past_meetings(session, engagement, id_of(lead), today)
    session.flush()
    built = build_instance(session, cohort, PlanSettings.of_cohort(session, cohort), today=FIRST_MONDAY)
    run.summary = summary(session, id_of(cohort), rows, built.instance)
    session.add(run)
    session.flush()
    offer_in(session, today)


def _team(company: Company, free: list[Mentor], fits: dict[int, dict[str, int]], size: int) -> list[Mentor]:
    """The nearest fitting lead (same industry), then the nearest members covering the skills."""
    leads = [m for m in free if company.industry_code in fits.get(id_of(m), {})]
    if not leads or len(free) < size:
        return []
    lead = min(
        leads, key=lambda m: (-fits[id_of(m)][company.industry_code] // 20, _distance(m, company), id_of(m))
    )
    need = set(company.required_skills or []) - set(lead.skills)
    others = sorted(
        (m for m in free if m is not lead),
        key=lambda m: (-len(need & set(m.skills)), _distance(m, company), id_of(m)),
    )
    team = [lead, *others[: size - 1]]
    covered = set().union(*(set(m.skills) for m in team))
    return team if set(company.required_skills or []) <= covered and len(team) == size else []


def _past_meetings(session: Session, engagement: Engagement, lead_id: int, today: date) -> None:
    """Meetings held so far: the kickoff of everything started, the mid-term and completion of
    what is completed (marked done, as a mentor does after the visit)."""
    held = [VisitPurpose.kickoff]
    if engagement.state == EngagementState.completed.value:
        held += [VisitPurpose.midterm, VisitPurpose.completion]
    elif engagement.state != EngagementState.on_site.value:
        return
    for purpose in held:
        week = {
            VisitPurpose.kickoff: engagement.start_week,
            VisitPurpose.midterm: engagement.start_week + engagement.weeks // 2,
            VisitPurpose.completion: engagement.start_week + engagement.weeks - 1,
        }[purpose]
        day = week_start(FIRST_MONDAY, week) + timedelta(days=1)  # Tuesday
        if day >= today:
            continue
        starts = datetime.combine(day, time(10), SEOUL)
        session.add(
            VisitSlot(
                mentor_id=lead_id,
                company_id=engagement.company_id,
                engagement_id=id_of(engagement),
                purpose=purpose.value,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                state=SlotState.done.value,
                report="회의 완료",
            )
        )


def completed_engagements(session: Session) -> list[Engagement]:
    """The demo cohort's completed engagements (for the outcomes demo: KPIs, tasks, photos)."""
    cohort = session.exec(select(Cohort).where(col(Cohort.name) == COHORT_NAME)).first()
    if cohort is None:
        return []
    return list(
        session.exec(
            select(Engagement)
            .where(
                col(Engagement.cohort_id) == id_of(cohort),
                col(Engagement.state) == EngagementState.completed.value,
            )
            .order_by(col(Engagement.id))
        )
    )
