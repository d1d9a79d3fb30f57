"""Scheduler jobs called directly with a controllable clock."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from webapp.core.models import AuditLog
from webapp.directory.models import Company, Municipality
from webapp.matching import scheduled as jobs
from webapp.matching.models import Assignment, MatchingRun
from webapp.matching.schedule import (
    SEOUL,
    load_settings,
    next_weekly_run,
    previous_weekly_run,
    update_settings,
)
from webapp.matching.scheduled import NewCompanyDebounce, catch_up_weekly, pending_new_companies, run_weekly
from webapp.ops.demo import load_demo_data

BACKENDS = ("sqlite", "postgres")

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=SEOUL)


@pytest.fixture
def demo(engine, session):
    load_demo_data(session)
    session.commit()
    return session


def _runs(engine):
    with Session(engine) as session:
        return session.exec(select(MatchingRun).order_by(MatchingRun.id)).all()


def _add_company(session, brn, status="applied"):
    place = session.exec(select(Municipality)).first()
    company = Company(
        name=f"New {brn}",
        business_reg_no=brn,
        industry_code="C25",
        municipality_id=place.id,
        lat=place.lat,
        lon=place.lon,
        status=status,
    )
    session.add(company)
    session.commit()
    return company


def test_default_is_monday_nine_seoul_and_settings_change_it(session):
    settings = load_settings(session)
    assert (settings.weekly_weekday, settings.weekly_time) == (0, time(9, 0))
    tuesday = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # Wed 05:00 in Seoul
    assert next_weekly_run(settings, tuesday) == MONDAY_9
    assert previous_weekly_run(settings, tuesday) == MONDAY_9 - timedelta(days=7)
    assert previous_weekly_run(settings, MONDAY_9) == MONDAY_9
    update_settings(session, weekday=4, at=time(14, 30))
    assert next_weekly_run(settings, tuesday) == datetime(2026, 11, 27, 14, 30, tzinfo=SEOUL)
    update_settings(session, paused=True)
    assert next_weekly_run(settings, tuesday) is None
    with pytest.raises(ValueError):
        update_settings(session, weekday=7)


def test_weekly_run_happens_once_per_window(engine, demo):
    first = run_weekly(engine, MONDAY_9)
    assert first.status == "ran"
    again = run_weekly(engine, MONDAY_9)
    assert again.status == "already_done"
    next_week = run_weekly(engine, MONDAY_9 + timedelta(days=7))
    assert next_week.status == "ran"
    runs = _runs(engine)
    assert [r.trigger_key for r in runs] == ["weekly:2026-11-30T09:00", "weekly:2026-12-07T09:00"]
    assert [r.status for r in runs] == ["discarded", "proposed"]  # the newer proposal supersedes


def test_missed_weekly_run_is_caught_up_within_grace_and_logged(engine, demo, caplog):
    caplog.set_level("WARNING")
    woke = MONDAY_9 + timedelta(hours=3)  # machine asleep at 09:00
    outcome = catch_up_weekly(engine, woke)
    assert outcome.status == "ran" and "missed" in caplog.text
    assert catch_up_weekly(engine, woke + timedelta(minutes=5)) is None  # not twice
    too_late = MONDAY_9 + timedelta(days=7) + timedelta(hours=20)
    assert catch_up_weekly(engine, too_late) is None
    assert "more than" in caplog.text
    assert len(_runs(engine)) == 1


def test_paused_schedule_does_not_catch_up(engine, demo):
    update_settings(demo, paused=True)
    demo.commit()
    assert catch_up_weekly(engine, MONDAY_9 + timedelta(minutes=1)) is None
    assert _runs(engine) == []


def test_auto_approve_only_when_nothing_in_force_changes(engine, demo):
    update_settings(demo, auto_approve=True)
    demo.commit()
    first = run_weekly(engine, MONDAY_9)
    with Session(engine) as session:
        assert session.get(MatchingRun, first.run_id).status == "approved"
        actor = session.exec(select(AuditLog.actor).where(AuditLog.action == "run_approved")).one()
        assert actor.startswith("scheduler")
    # Withdraw an assigned company: the next run would end its assignment -> left for review.
    with Session(engine) as session:
        assigned = session.exec(select(Assignment.company_id).where(Assignment.state == "approved")).first()
        company = session.get(Company, assigned)
        company.status = "withdrawn"
        session.add(company)
        session.commit()
    second = run_weekly(engine, MONDAY_9 + timedelta(days=7))
    with Session(engine) as session:
        assert session.get(MatchingRun, second.run_id).status == "proposed"


def test_failed_run_is_recorded_and_retried_at_next_trigger(engine, demo, monkeypatch):
    import matcher

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(matcher, "solve", broken)
    outcome = run_weekly(engine, MONDAY_9)
    runs = _runs(engine)
    assert outcome.status == "ran" and runs[0].status == "failed" and "solver crashed" in runs[0].error
    assert runs[0].trigger_key is None and runs[0].stats["trigger_key"] == "weekly:2026-11-30T09:00"
    monkeypatch.undo()
    assert catch_up_weekly(engine, MONDAY_9 + timedelta(hours=1)).status == "ran"
    assert [r.status for r in _runs(engine)] == ["failed", "proposed"]


def test_new_companies_are_debounced_into_one_run(engine, demo):
    clock = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    run_weekly(engine, MONDAY_9)
    with Session(engine) as session:
        assert pending_new_companies(session) == set()
    debounce = NewCompanyDebounce(quiet=timedelta(minutes=3), max_wait=timedelta(minutes=15))
    assert debounce.check(engine, clock) is None

    _add_company(demo, "1000000001")
    assert debounce.check(engine, clock) is None  # first seen: wait for quiet
    _add_company(demo, "1000000002")
    assert debounce.check(engine, clock + timedelta(minutes=2)) is None  # more arrived: wait again
    assert debounce.check(engine, clock + timedelta(minutes=4)) is None  # only 2 min since the last
    outcome = debounce.check(engine, clock + timedelta(minutes=5, seconds=1))
    assert outcome.status == "ran"
    assert debounce.check(engine, clock + timedelta(minutes=20)) is None  # nothing pending any more
    runs = _runs(engine)
    assert [r.trigger for r in runs] == ["weekly", "new_companies"]
    with Session(engine) as session:
        assert pending_new_companies(session) == set()


def test_a_steady_stream_of_companies_still_runs_after_max_wait(engine, demo):
    run_weekly(engine, MONDAY_9)
    clock = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    debounce = NewCompanyDebounce(quiet=timedelta(minutes=3), max_wait=timedelta(minutes=10))
    outcomes = []
    for minute in range(0, 12, 2):
        _add_company(demo, f"20000000{minute:02d}")
        outcomes.append(debounce.check(engine, clock + timedelta(minutes=minute)))
    assert [o.status for o in outcomes if o] == ["ran"]


def test_companies_leaving_the_program_do_not_trigger(engine, demo):
    run_weekly(engine, MONDAY_9)
    _add_company(demo, "3000000001", status="completed")
    with Session(engine) as session:
        assert pending_new_companies(session) == set()


def test_job_refuses_while_another_run_is_solving(engine, demo):
    with Session(engine) as session:
        session.add(MatchingRun(status="running", started_at=datetime.now(UTC)))
        session.commit()
    outcome = run_weekly(engine, MONDAY_9)
    assert outcome.status == "in_progress" and outcome.message == "a run is already in progress"
    assert jobs.weekly_key(MONDAY_9) not in {r.trigger_key for r in _runs(engine)}
