"""What-if scenarios: changed inputs, solves beside the plan in force (never touching it), the
comparison figures, sweeps over mentor counts, and the review diff's kinds."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.support.engagements import TODAY, make_program
from webapp.engagements.instance import PlanSettings, build_instance
from webapp.engagements.models import (
    Engagement,
    EngagementMember,
    PlanningRun,
    ProposedEngagement,
    Scenario,
)
from webapp.engagements.review import run_changes
from webapp.engagements.scenarios import (
    ScenarioInvalid,
    create_scenario,
    parse_added_mentors,
    parse_sweep,
    run_sweep,
    sweep_points,
    update_scenario,
)
from webapp.engagements.service import RunStateError, approve_run, finish_run, start_run
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def program(session):
    return make_program(session)


def _plan_in_force(session):
    rows = session.exec(select(Engagement).order_by(Engagement.id)).all()
    members = session.exec(select(EngagementMember)).all()
    return [(e.id, e.state, e.start_week, e.weeks) for e in rows], sorted(
        (m.engagement_id, m.mentor_id, m.role) for m in members
    )


def _form(**changes):
    form = {"name": "더 많은 멘토", "keep_pins": "1", "quota_JS1": "3", "quota_JS2": "2"}
    form.update(changes)
    return form


def test_a_scenario_stores_only_changes_and_builds_its_instance(session, program, db_backend):
    cohort = session.get(Cohort, program.cohort)
    scenario = create_scenario(session, cohort, "짧은 참여", user_id=None)
    update_scenario(
        session,
        scenario,
        _form(
            engagement_weeks="6",
            team_size="3",
            quota_JS1="5",
            min_Gunsan="1",
            remove_2="1",
            added="새멘토 | 전주 | automation | C29:80\n새멘토2 | 군산시 | it, safety | 29 | 2",
        ),
        user_id=None,
    )
    session.commit()
    assert scenario.settings == {
        "engagement_weeks": 6,
        "team_size": 3,
        "quotas": {"JS1": 5, "JS2": 2},
        "min_per_municipality": {"Gunsan": 1},
    }
    assert scenario.removed_mentor_ids == [2] and len(scenario.added_mentors) == 2
    settings = PlanSettings.of_scenario(session, cohort, scenario)
    instance = build_instance(session, cohort, settings, today=TODAY).instance
    free = [c for c in instance["companies"] if not c.get("pinned")]
    assert {c["weeks"] for c in free} == {6} and {c["team_size"] for c in free} == {3}
    mentors = {m["id"]: m for m in instance["mentors"]}
    assert mentors["x-2"]["industries"] == {"C29": 100} and mentors["x-2"]["max_concurrent"] == 2
    # mentor 2 is removed but still serves its completed engagement (a pin): only those weeks
    assert set(mentors["m-2"]["unavailable_weeks"]) == set(range(44)) - set(range(8))
    assert instance["params"]["quotas"] == {"JS1": 5, "JS2": 2}


def test_bad_scenario_input_names_the_field_and_changes_nothing(session, program, db_backend):
    scenario = create_scenario(session, session.get(Cohort, program.cohort), "x", user_id=None)
    session.commit()
    with pytest.raises(ScenarioInvalid) as caught:
        update_scenario(
            session,
            scenario,
            _form(name="", weeks="200", quota_JS1="-1", added="멘토 | 서울 | it | C29"),
            user_id=None,
        )
    assert set(caught.value.errors) == {"name", "weeks", "quota_JS1", "added"}
    assert "line 1" in caught.value.errors["added"]
    session.rollback()
    assert session.get(Scenario, scenario.id).settings == {}
    with pytest.raises(ValueError):
        parse_sweep("10")
    assert parse_sweep("30, 10 20 20") == [10, 20, 30]
    assert parse_added_mentors(session, "a | 전주 | it | C99")[1]


def test_solving_a_scenario_never_touches_the_plan_in_force(engine, session, program, db_backend):
    before = _plan_in_force(session)
    scenario = create_scenario(session, session.get(Cohort, program.cohort), "두 배 멘토", user_id=None)
    update_scenario(session, scenario, _form(added="A | 전주 | it | C29\nB | 익산 | it | C29"), user_id=None)
    session.commit()
    run_id = start_run(
        engine,
        cohort_id=program.cohort,
        scenario_id=scenario.id,
        trigger="scenario",
        params={"time_limit": 5},
        user_id=None,
    )
    # A scenario's solve does not block the cohort's own planning (separate locks).
    own = start_run(engine, cohort_id=program.cohort, params={"time_limit": 5}, user_id=None)
    run = finish_run(engine, run_id, today=TODAY)
    finish_run(engine, own, today=TODAY)
    assert run.status == "solved" and run.summary["mentors"] == 8
    with Session(engine) as s:
        assert _plan_in_force(s) == before
        with pytest.raises(RunStateError):
            approve_run(s, s.get(PlanningRun, run.id), user_id=None)
        s.rollback()
        assert s.get(PlanningRun, own).status == "proposed"  # the scenario never superseded it
        assert _plan_in_force(s) == before


def test_a_sweep_plots_companies_served_against_mentors(engine, session, program, db_backend):
    scenario = create_scenario(session, session.get(Cohort, program.cohort), "sweep", user_id=None)
    session.commit()
    runs = run_sweep(engine, scenario.id, [2, 4, 8], time_limit=5, user_id=None)
    assert len(runs) == 3
    with Session(engine) as s:
        solved = s.exec(
            select(PlanningRun).where(PlanningRun.scenario_id == scenario.id).order_by(PlanningRun.id.desc())
        ).all()
        points = sweep_points(solved)
        assert [m for m, _ in points] == [2, 4, 8]
        served = [n for _, n in points]
        assert served == sorted(served) and served[-1] > served[0]  # more mentors serve more
        # Mentors kept only for their agreed or completed engagements count as serving too.
        assert [r.summary["mentors"] for r in sorted(solved, key=lambda r: r.id)] == [4, 4, 8]


def test_review_diff_names_moved_and_re_teamed_engagements(engine, session, program, db_backend):
    # A proposal by hand: the planned engagement moves and changes team; a new one appears.
    run = PlanningRun(cohort_id=program.cohort, lock="x", status="proposed")
    session.add(run)
    session.flush()
    m = [f"m-{i}" for i in program.mentors]
    for company, start, team, pinned in (
        (program.companies[0], 0, m[0:2], True),
        (program.companies[1], 18, m[2:4], True),
        (program.companies[2], 32, m[4:6], False),
        (program.companies[4], 22, m[0:2], False),
    ):
        session.add(
            ProposedEngagement(
                run_id=run.id, company_id=company, start_week=start, weeks=8, mentors=team, pinned=pinned
            )
        )
    session.commit()
    kinds = {c.company_id: c.kind for c in run_changes(session, run)}
    assert kinds == {
        program.companies[0]: "kept",
        program.companies[1]: "kept",
        program.companies[2]: "moved_team",
        program.companies[4]: "new",
    }
