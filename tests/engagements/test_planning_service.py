"""Planning runs against a real database: the instance, the run's lifecycle, the review diff and
approval (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import Session, select

import matcher.planning
from tests.support.engagements import TODAY, make_program
from webapp.core.db import session_scope
from webapp.directory.models import Company, MentorLeave
from webapp.engagements import service
from webapp.engagements.instance import PlanSettings, build_instance
from webapp.engagements.models import (
    Engagement,
    EngagementMember,
    PlanningRun,
    ProposedEngagement,
)
from webapp.engagements.review import changes_agreed, run_changes
from webapp.engagements.service import RunInProgress, RunStateError, approve_run, discard_run, run_planning
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")
QUICK = {"time_limit": 5}


@pytest.fixture
def program(session):
    return make_program(session)


def _instance(session, program, **kw):
    cohort = session.get(Cohort, program.cohort)
    return build_instance(session, cohort, PlanSettings.of_cohort(session, cohort), today=TODAY, **kw)


def test_instance_pins_started_and_agreed_and_offers_planned_as_current(session, program, db_backend):
    built = _instance(session, program, stability=300)
    instance = built.instance
    assert matcher.planning.validate_plan(instance) == []
    assert built.first_open_week == 21 and instance["horizon_weeks"] == 44
    by_id = {c["id"]: c for c in instance["companies"]}
    m = [f"m-{i}" for i in program.mentors]
    completed, on_site, planned = (by_id[f"c-{c}"] for c in program.companies[:3])
    assert completed["pinned"] == {"start_week": 0, "mentors": m[0:2]}
    assert on_site["pinned"] == {"start_week": 18, "mentors": m[2:4]}
    assert planned.get("pinned") is None
    assert planned["current"] == {"start_week": 30, "mentors": m[0:2]}
    assert planned["earliest_week"] == 21 and planned["weeks"] == 8 and planned["team_size"] == 2
    assert instance["params"] == {
        "max_commute_km": 80,
        "quotas": {"JS1": 3, "JS2": 2},
        "min_per_municipality": {},
        "stability": 300,
    }
    assert len(instance["companies"]) == 9
    assert "stability" not in _instance(session, program).instance["params"]


def test_a_pin_stays_valid_when_its_mentor_left_or_took_leave(session, program, db_backend):
    on_site_lead = program.mentors[2]
    session.add(MentorLeave(mentor_id=on_site_lead, starts=date(2026, 11, 23), ends=date(2026, 12, 20)))
    from webapp.directory.models import Mentor

    gone = session.get(Mentor, program.mentors[0])
    gone.active = False
    session.add(gone)
    session.commit()
    instance = _instance(session, program).instance
    assert matcher.planning.validate_plan(instance) == []
    mentors = {m["id"]: m for m in instance["mentors"]}
    # Leave weeks 20-23 minus the pinned weeks 18-25 (none left); then weeks 24..25 stay pinned.
    assert mentors[f"m-{on_site_lead}"]["unavailable_weeks"] == []
    gone_weeks = set(mentors[f"m-{gone.id}"]["unavailable_weeks"])
    assert gone_weeks == set(range(44)) - set(range(0, 8))  # kept for its completed engagement only


def test_applicants_too_late_in_the_year_are_left_out_with_a_reason(session, program, db_backend):
    late = session.get(Company, program.companies[8])
    late.engagement_weeks = 30
    session.add(late)
    session.commit()
    built = _instance(session, program)
    assert f"c-{late.id}" not in {c["id"] for c in built.instance["companies"]}
    assert built.left_out[0]["company_id"] == late.id and "too late" in built.left_out[0]["reason"]


def test_run_approve_keeps_pins_and_writes_engagements(engine, program, db_backend):
    run = run_planning(engine, cohort_id=program.cohort, params=QUICK, today=TODAY)
    assert run.status == "proposed", run.error
    assert run.progress["objective"] == run.objective and run.summary["served"] >= 5
    with Session(engine) as s:
        rows = s.exec(select(ProposedEngagement).where(ProposedEngagement.run_id == run.id)).all()
        assert {r.company_id for r in rows if r.pinned} == set(program.companies[:2])
        for r in rows:
            if not r.pinned:
                assert r.start_week >= 21 and r.start_week + r.weeks <= 44 and len(r.mentors) == 2
        selected = {r.company_id for r in rows} | {u["company_id"] for u in run.unselected}
        assert selected == set(program.companies)
        changes = {c.company_id: c for c in run_changes(s, run)}
        assert changes[program.companies[0]].kind == "kept"
        assert changes[program.companies[1]].kind == "kept"
        assert not changes_agreed(list(changes.values()))
        run = s.get(PlanningRun, run.id)
        approve_run(s, run, user_id=None)
        s.commit()
        live = s.exec(select(Engagement).where(Engagement.state != "cancelled")).all()
        assert len(live) == len(rows)
        by_company = {e.company_id: e for e in live}
        assert by_company[program.companies[0]].state == "completed"
        assert by_company[program.companies[1]].state == "on_site"
        planned = by_company[program.companies[2]]
        assert planned.id == program.planned  # moved or kept in place, never replaced
        members = s.exec(select(EngagementMember).where(EngagementMember.engagement_id == planned.id)).all()
        assert len(members) == 2 and sorted(m.role for m in members) == ["lead", "member"]
        assert planned.start_date.weekday() == 0 and planned.end_date.weekday() == 6
        assert s.get(Company, program.companies[4]).status == "active"  # applied -> active when selected
        with pytest.raises(RunStateError):
            approve_run(s, s.get(PlanningRun, run.id), user_id=None)


def test_dropped_planned_engagement_is_cancelled_on_approval(engine, program, db_backend):
    with session_scope(engine) as s:
        company = s.get(Company, program.companies[2])
        company.status = "withdrawn"
        s.add(company)
    run = run_planning(engine, cohort_id=program.cohort, params=QUICK, today=TODAY)
    with Session(engine) as s:
        changes = {c.company_id: c for c in run_changes(s, run)}
        assert changes[program.companies[2]].kind == "dropped"
        approve_run(s, s.get(PlanningRun, run.id), user_id=None)
        s.commit()
        dropped = s.get(Engagement, program.planned)
        assert dropped.state == "cancelled" and f"run {run.id}" in dropped.cancel_reason


def test_two_approvals_at_once_exactly_one_wins(engine, program, db_backend):
    run = run_planning(engine, cohort_id=program.cohort, params=QUICK, today=TODAY)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def approve():
        with Session(engine) as s:
            barrier.wait()
            try:
                approve_run(s, s.get(PlanningRun, run.id), user_id=None)
                s.commit()
                outcomes.append("won")
            except Exception as exc:  # the loser: state error, or the database refusing the race
                s.rollback()
                outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1, outcomes
    with Session(engine) as s:
        live = s.exec(select(Engagement).where(Engagement.state != "cancelled")).all()
        assert len({e.company_id for e in live}) == len(live)


def test_one_running_run_per_plan_and_failures_are_recorded(engine, program, db_backend, monkeypatch):
    run_id = service.start_run(engine, cohort_id=program.cohort, params=QUICK, user_id=None)
    with pytest.raises(RunInProgress):
        service.start_run(engine, cohort_id=program.cohort, params=QUICK, user_id=None)

    def broken(instance, time_limit=None, progress=None):
        progress({"objective": 1, "bound": 2, "elapsed": 0.1})
        raise RuntimeError("solver exploded")

    run = service.finish_run(engine, run_id, today=TODAY, solve=broken)
    assert run.status == "failed" and "solver exploded" in run.error
    with Session(engine) as s:
        assert s.exec(select(ProposedEngagement)).all() == []
    # the lock is free again
    assert service.start_run(engine, cohort_id=program.cohort, params=QUICK, user_id=None) > run_id


def test_a_newer_proposal_supersedes_the_older_and_discard_is_final(engine, program, db_backend):
    first = run_planning(engine, cohort_id=program.cohort, params=QUICK, today=TODAY)
    second = run_planning(engine, cohort_id=program.cohort, params=QUICK, today=TODAY)
    with Session(engine) as s:
        assert s.get(PlanningRun, first.id).status == "discarded"
        run = s.get(PlanningRun, second.id)
        discard_run(s, run, user_id=None)
        s.commit()
        with pytest.raises(RunStateError):
            approve_run(s, s.get(PlanningRun, second.id), user_id=None)


def test_params_are_validated():
    assert service.validate_params({"time_limit": "10", "stability": ""}) == ({"time_limit": 10}, {})
    _, errors = service.validate_params({"time_limit": "0", "stability": "x", "bogus": 1})
    assert errors == {
        "time_limit": "must be between 1 and 600",
        "stability": "must be a whole number",
        "bogus": "unknown parameter",
    }
