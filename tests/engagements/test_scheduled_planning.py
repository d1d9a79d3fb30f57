"""The scheduler's side of resident cohorts: weekly and new-applicant replanning exactly once,
auto-approval that never touches agreed work, the mode switch, and engagement meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.support.engagements import TODAY, engagement, make_program
from tests.support.web import brn
from webapp.accounts.models import User
from webapp.core.clock import SEOUL
from webapp.core.models import Notification, OutboxEmail
from webapp.directory.models import Company, Mentor, MentorDayOff, Municipality
from webapp.engagements import scheduled
from webapp.engagements.models import Engagement, EngagementMember, PlanningRun
from webapp.engagements.scheduled import NewApplicantDebounce, run_weekly_planning, visiting_mode
from webapp.engagements.service import DEFAULT_PARAMS
from webapp.engagements.visits import engagement_days_off, next_purpose, offer_engagement_visits
from webapp.matching.schedule import update_settings
from webapp.programs.models import Cohort
from webapp.visits.closures import working_days
from webapp.visits.models import ClosureDay, VisitPreference, VisitSlot

BACKENDS = ("sqlite", "postgres")
FIRE = datetime(2026, 11, 30, 9, 0, tzinfo=SEOUL)


@pytest.fixture
def program(session, monkeypatch):
    monkeypatch.setitem(DEFAULT_PARAMS, "time_limit", 5)
    monkeypatch.setattr(scheduled, "_replan", _at_today(scheduled._replan))
    return make_program(session)


def _at_today(replan):
    """Scheduled replans plan as of the fixture's today (2026-11-29)."""

    def at_today(engine, cohort_id, trigger, key, today):
        return replan(engine, cohort_id, trigger, key, today or TODAY)

    return at_today


def _team(session, engagement_id):
    return sorted(
        m.mentor_id
        for m in session.exec(select(EngagementMember).where(EngagementMember.engagement_id == engagement_id))
    )


def test_weekly_replan_runs_once_per_window_and_auto_approves_without_touching_agreed(
    engine, session, program, db_backend
):
    update_settings(session, auto_approve=True)
    session.commit()
    before = _team(session, program.on_site)
    first = run_weekly_planning(engine, FIRE, today=TODAY)
    assert [o.status for o in first] == ["ran"] and "approved" in first[0].message
    again = run_weekly_planning(engine, FIRE, today=TODAY)  # the same window again (a second scheduler)
    assert [o.status for o in again] == ["already_done"]
    with Session(engine) as s:
        runs = s.exec(select(PlanningRun)).all()
        assert len(runs) == 1 and runs[0].trigger == "weekly" and runs[0].params["stability"] == 500
        on_site = s.get(Engagement, program.on_site)
        assert (on_site.state, on_site.start_week) == ("on_site", 18) and _team(s, on_site.id) == before
        assert len(s.exec(select(Engagement).where(Engagement.state == "planned")).all()) >= 3


def test_new_applicants_trigger_one_replan_once_quiet(engine, session, program, db_backend):
    run_weekly_planning(engine, FIRE, today=TODAY)
    debounce = NewApplicantDebounce(quiet=timedelta(minutes=3), max_wait=timedelta(minutes=15))
    t0 = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    assert debounce.check(engine, t0) is None  # the weekly plan considered everyone
    place = session.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()
    session.add(
        Company(
            name="새공장",
            business_reg_no=brn(199),
            industry_code="C29",
            municipality_id=place.id,
            lat=place.lat,
            lon=place.lon,
            cohort_id=program.cohort,
            track="JS3",
            score=99,
        )
    )
    session.commit()
    assert debounce.check(engine, t0 + timedelta(minutes=1)) is None  # not quiet yet
    outcome = debounce.check(engine, t0 + timedelta(minutes=5))
    assert outcome is not None and outcome.status == "ran"
    assert debounce.check(engine, t0 + timedelta(minutes=10)) is None  # nothing pending now
    with Session(engine) as s:
        assert [r.trigger for r in s.exec(select(PlanningRun).order_by(PlanningRun.id))] == [
            "weekly",
            "new_companies",
        ]


def test_the_cohort_mode_chooses_matching_or_planning(engine, session, program, db_backend):
    assert not visiting_mode(session)
    cohort = session.get(Cohort, program.cohort)
    cohort.mode = "visiting"
    session.add(cohort)
    session.commit()
    assert visiting_mode(session)
    assert run_weekly_planning(engine, FIRE, today=TODAY) == []


def test_meetings_are_offered_one_at_a_time_on_working_days(engine, session, program, db_backend):
    cohort = session.get(Cohort, program.cohort)
    # An agreed engagement starting week 24 (Monday 2026-12-21; Christmas is a holiday).
    agreed = engagement(session, cohort, program.companies[4], 24, 8, "agreed", program.mentors[4:6])
    session.commit()
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    assert offer_engagement_visits(engine, TODAY, now) > 0
    with Session(engine) as s:
        offers = s.exec(select(VisitSlot).where(VisitSlot.engagement_id == agreed.id)).all()
        assert {o.purpose for o in offers} == {"kickoff"} and len(offers) == 3
        days = [o.starts_at.replace(tzinfo=UTC).astimezone(SEOUL).date() for o in offers]
        assert days == [date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23)]
        assert all(o.mentor_id == program.mentors[4] for o in offers)  # the lead
        on_site = s.exec(select(VisitSlot).where(VisitSlot.engagement_id == program.on_site)).all()
        assert {o.purpose for o in on_site} == {"kickoff"}
    # Nothing more while offers are open; after the kickoff is held, the mid-term check follows.
    assert offer_engagement_visits(engine, TODAY, now) == 0
    with Session(engine) as s:
        kickoff = s.exec(select(VisitSlot).where(VisitSlot.engagement_id == agreed.id)).first()
        kickoff.state = "done"
        s.add(kickoff)
        for other in s.exec(
            select(VisitSlot).where(VisitSlot.engagement_id == agreed.id, VisitSlot.id != kickoff.id)
        ):
            other.state = "declined"
            s.add(other)
        s.commit()
        assert next_purpose(s, s.get(Engagement, agreed.id)).value == "midterm"
    assert offer_engagement_visits(engine, TODAY, now) == 3
    assert date(2026, 12, 25) not in working_days(session, date(2026, 12, 21), date(2026, 12, 27))


def test_meetings_skip_closure_days_the_leads_days_off_and_what_the_company_said_does_not_suit(
    engine, session, program, db_backend
):
    cohort = session.get(Cohort, program.cohort)
    # Week 24 is Monday 2026-12-21 to Sunday 12-27 (Friday 12-25 is Christmas).
    agreed = engagement(session, cohort, program.companies[4], 24, 8, "agreed", program.mentors[4:6])
    session.add(ClosureDay(day=date(2026, 12, 21), name="사업 워크숍"))
    session.add(MentorDayOff(mentor_id=program.mentors[4], day=date(2026, 12, 22)))
    session.add(
        VisitPreference(
            company_id=program.companies[4],
            weekdays=[2, 3, 4],
            halves=["pm"],
            unavailable=[["2026-12-28", "2027-01-01"]],
        )
    )
    session.commit()
    assert offer_engagement_visits(engine, TODAY, datetime(2026, 11, 29, 12, tzinfo=UTC)) > 0
    with Session(engine) as s:
        offers = s.exec(select(VisitSlot).where(VisitSlot.engagement_id == agreed.id)).all()
        starts = sorted(o.starts_at.replace(tzinfo=UTC).astimezone(SEOUL) for o in offers)
    # Mon closed, Tue the lead's day off, Fri Christmas: Wed and Thu; the next week the company
    # cannot (and 01-01 is a holiday), so the next Wednesday afternoon follows.
    assert [s.date() for s in starts] == [date(2026, 12, 23), date(2026, 12, 24), date(2027, 1, 6)]
    assert all(s.hour >= 13 for s in starts)


def test_a_resident_mentor_is_not_offered_for_visits_during_its_weeks(session, program, db_backend):
    days = engagement_days_off(session, program.mentors[2], date(2026, 11, 30), date(2027, 1, 31))
    assert date(2026, 12, 1) in days  # on site weeks 18-25: until Sunday 2027-01-03
    assert date(2027, 1, 3) in days and date(2027, 1, 4) not in days
    assert engagement_days_off(session, program.mentors[5], date(2026, 11, 30), date(2027, 1, 31)) == set()


def test_two_schedulers_replanning_the_same_window_make_one_run(engine, session, program, db_backend):
    import threading

    update_settings(session, auto_approve=False)  # the settings row exists, as the scheduler makes it
    session.commit()

    barrier = threading.Barrier(2)
    outcomes = []

    def scheduler():
        barrier.wait()
        outcomes.extend(run_weekly_planning(engine, FIRE, today=TODAY))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.status for o in outcomes) in (["already_done", "ran"], ["in_progress", "ran"])
    with Session(engine) as s:
        assert len(s.exec(select(PlanningRun)).all()) == 1


def test_a_meeting_offer_mails_the_company_a_link_to_its_page(engine, session, program, db_backend):
    cohort = session.get(Cohort, program.cohort)
    company_id = program.companies[4]
    engagement(session, cohort, company_id, 24, 8, "agreed", program.mentors[4:6])
    session.add(User(email="kim@company.kr", role="company", company_id=company_id, password_hash="x"))
    session.commit()
    assert offer_engagement_visits(engine, TODAY, datetime(2026, 11, 29, 12, tzinfo=UTC)) > 0
    with Session(engine) as s:
        address = s.get(Company, company_id).contact_email or "kim@company.kr"
        mail = s.exec(select(OutboxEmail).where(OutboxEmail.to_address == address)).one()
    assert "착수 회의" in mail.subject and "/go/" in mail.body
    with Session(engine) as s:
        lead, company = s.get(Mentor, program.mentors[4]), s.get(Company, company_id)
    assert lead.name in mail.body and company.name in mail.body


def test_when_no_meeting_time_fits_the_company_and_the_coordinators_are_told_once(
    engine, session, program, db_backend
):
    cohort = session.get(Cohort, program.cohort)
    company_id = program.companies[4]
    agreed = engagement(session, cohort, company_id, 24, 8, "agreed", program.mentors[4:6])
    session.add(
        VisitPreference(company_id=company_id, weekdays=[5], halves=[], unavailable=[])
    )  # Saturdays only
    session.add(User(email="coord@x.kr", role="coordinator", password_hash="x"))
    session.commit()
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    offer_engagement_visits(engine, TODAY, now)
    offer_engagement_visits(engine, TODAY, now)  # the next poll tells nobody twice
    with Session(engine) as s:
        assert s.exec(select(VisitSlot).where(VisitSlot.engagement_id == agreed.id)).all() == []
        told = s.exec(select(Notification).where(Notification.code == "slots_none_fit")).all()
    assert sorted(n.user_id is not None for n in told) == [False, True]  # the company, the coordinator
