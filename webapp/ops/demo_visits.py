"""The demo's visit in flight: the demo mentor and the demo company are paired (an approved
assignment) and their engagement is under way, so a newcomer signed in as either can follow
one visit end to end: a past visit with its report, a cancelled one (struck through, with
who, why and what next), a confirmed visit next week, times offered and awaiting the
company's choice, the company's preferences, a day off of the mentor, a closure day, and the
notifications (in-app and in the outbox) that went with each step.

Written once: nothing is added when the mentor already has visits of an assignment.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from webapp.accounts.models import User
from webapp.core.clock import SEOUL, seoul_today
from webapp.core.db import get_existing, id_of
from webapp.core.notifications import notify_company, notify_mentor
from webapp.directory.models import Company, CompanyStatus, Mentor, MentorDayOff, MentorIndustry
from webapp.matching.models import Assignment, AssignmentState, MatchingRun, RunStatus
from webapp.visits.closures import public_holidays
from webapp.visits.models import ClosedReason, ClosureDay, SlotState, VisitPreference, VisitSlot
from webapp.visits.pages import company_page, mentor_week
from webapp.visits.workflow import visit_params


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), SEOUL)


def _weekday_after(day, weekday: int, weeks: int = 0):
    return day + timedelta(days=(weekday - day.weekday()) % 7 + 7 * weeks)


def _next_working_day(day):
    """The first weekday after `day` that is no public holiday."""
    day += timedelta(days=1)
    while day.weekday() >= 5 or public_holidays(day, day):
        day += timedelta(days=1)
    return day


def pair_demo_logins(session: Session, mentor_email: str, company_email: str) -> None:
    """Put a visit in flight for the demo mentor with an active company of one of the mentor's
    industries; `flask demo load` (make run) does it after the demo data. The demo company's
    login moves to that company unless its own company already has visits (the resident year's
    engagement meetings), so that login keeps showing its engagement. Nothing happens when the
    mentor already has visits of an assignment."""
    mentor_user = session.exec(select(User).where(User.email == mentor_email)).one()
    company_user = session.exec(select(User).where(User.email == company_email)).one()
    mentor = get_existing(session, Mentor, mentor_user.mentor_id)
    mentor_visits = select(VisitSlot).where(
        VisitSlot.mentor_id == mentor.id, col(VisitSlot.assignment_id).is_not(None)
    )
    if session.exec(mentor_visits).first():
        return
    current = get_existing(session, Company, company_user.company_id)
    keeps_its_company = session.exec(select(VisitSlot).where(VisitSlot.company_id == current.id)).first()
    industries = select(MentorIndustry.industry_code).where(MentorIndustry.mentor_id == mentor.id)
    taken = select(User.company_id).where(col(User.company_id).is_not(None))
    company = session.exec(
        select(Company)
        .where(
            Company.status == CompanyStatus.active.value,
            col(Company.industry_code).in_(industries),
            col(Company.id).not_in(taken),
        )
        .order_by(col(Company.id))
    ).first()
    if company is None:
        return
    if not keeps_its_company:
        company_user.company_id = company.id
        session.add(company_user)
        session.flush()
    load_demo_visits(session, mentor, company)


def load_demo_visits(session: Session, mentor: Mentor, company: Company) -> None:
    run = MatchingRun(status=RunStatus.approved.value, params={"demo": True})
    session.add(run)
    session.flush()
    assignment = Assignment(
        run_id=id_of(run),
        company_id=id_of(company),
        mentor_id=id_of(mentor),
        value=100,
        distance_km=12.0,
        fit=90,
        reasons=["same industry"],
        state=AssignmentState.approved.value,
    )
    session.add(assignment)
    session.flush()
    today = seoul_today()
    last_tuesday = _weekday_after(today - timedelta(days=7), 1)
    visits = [
        (
            _at(last_tuesday - timedelta(days=7), 9),
            SlotState.done,
            "",
            "공정 흐름 진단, 설비 가동률 측정 방법 합의",
        ),
        (_at(last_tuesday, 9), SlotState.cancelled, ClosedReason.reschedule, "고객사 감사 일정과 겹침"),
        (_at(_next_working_day(today), 14), SlotState.confirmed, "", ""),  # in this week's view
        (_at(_weekday_after(today, 3, 1), 9), SlotState.proposed, "", ""),
        (_at(_weekday_after(today, 0, 2), 13), SlotState.proposed, "", ""),
        (_at(_weekday_after(today, 3, 2), 13), SlotState.proposed, "", ""),
    ]
    slots = []
    for start, state, reason, text in visits:
        slot = VisitSlot(
            mentor_id=id_of(mentor),
            company_id=id_of(company),
            assignment_id=id_of(assignment),
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            state=state.value,
            report=text if state == SlotState.done else "",
            note=text if state == SlotState.cancelled else "",
            reason_code=str(reason),
            closed_by="company" if reason else "",
        )
        session.add(slot)
        slots.append(slot)
    session.flush()
    session.add(
        VisitPreference(
            company_id=id_of(company),
            weekdays=[0, 1, 3],
            halves=[],
            unavailable=[],
            note="월·화·목이 좋습니다",
        )
    )
    session.add(MentorDayOff(mentor_id=id_of(mentor), day=_weekday_after(today, 4, 1), note="교육 참석"))
    closure = _weekday_after(today, 2, 3)
    if session.exec(select(ClosureDay).where(ClosureDay.day == closure)).first() is None:
        session.add(ClosureDay(day=closure, name="사업 워크숍"))
    cancelled, confirmed, offered = slots[1], slots[2], slots[3:]
    params = visit_params(session, cancelled)
    notify_mentor(
        session,
        id_of(mentor),
        "visit_reschedule",
        {**params, "actor": company.contact_name or company.name, "reason": cancelled.note},
        link=mentor_week(cancelled.starts_at),
    )
    notify_mentor(
        session,
        id_of(mentor),
        "visit_confirmed",
        visit_params(session, confirmed),
        link=mentor_week(confirmed.starts_at),
    )
    times = [[s.starts_at.isoformat(), s.ends_at.isoformat()] for s in offered]
    notify_company(
        session,
        id_of(company),
        "slots_offered",
        {"mentor": mentor.name, "company": company.name, "times": times},
        link=company_page(),
    )
