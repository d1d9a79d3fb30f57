"""The web app's side of matching: instance building, run lifecycle, diff and approval."""

from datetime import timedelta

import pytest
from sqlmodel import select

import webapp.matching.service as matching
from webapp.core.clock import utcnow
from webapp.core.models import AuditLog
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.matching.models import Assignment, CompanyPin, MatchingRun
from webapp.matching.params import validate_params
from webapp.matching.service import (
    RunInProgress,
    RunStateError,
    approve_run,
    build_instance,
    decide,
    discard_run,
    run_diff,
    run_matching,
)
from webapp.ops.demo import load_demo_data
from webapp.visits.models import VisitSlot

BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def place(session):
    return session.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()


@pytest.fixture
def make(session, place):
    """Factories for small hand-made programs."""
    counter = iter(range(1, 10_000))

    def mentor(industries, capacity=1, lat=None, active=True):
        n = next(counter)
        m = Mentor(
            name=f"M{n}",
            email=f"m{n}@x.kr",
            municipality_id=place.id,
            lat=lat or place.lat,
            lon=place.lon,
            capacity=capacity,
            active=active,
        )
        session.add(m)
        session.flush()
        for code, fit in industries.items():
            session.add(MentorIndustry(mentor_id=m.id, industry_code=code, fit=fit))
        session.commit()
        return m

    def company(industry, status="applied", priority=1):
        n = next(counter)
        c = Company(
            name=f"C{n}",
            business_reg_no=f"{n:010d}",
            industry_code=industry,
            municipality_id=place.id,
            lat=place.lat,
            lon=place.lon,
            status=status,
            priority=priority,
        )
        session.add(c)
        session.commit()
        return c

    class Make:
        pass

    Make.mentor, Make.company = staticmethod(mentor), staticmethod(company)
    return Make


def _assigned(session, run_id):
    return {
        a.company_id: a.mentor_id for a in session.exec(select(Assignment).where(Assignment.run_id == run_id))
    }


def test_run_proposes_every_program_company_once(engine, session):
    load_demo_data(session)
    session.commit()
    run = run_matching(engine, user_id=None)
    assert run.status == "proposed" and run.solver_status == "OPTIMAL"
    assert run.objective == run.bound > 0
    in_program = {
        c.id for c in session.exec(select(Company).where(Company.status.in_(["applied", "active"])))
    }
    assigned = _assigned(session, run.id)
    unassigned = {matching.parse_ref(u["company"]) for u in run.unassigned}
    assert set(assigned) | unassigned == in_program and not set(assigned) & unassigned
    assert all(u["reason"] for u in run.unassigned)
    loads = {}
    for mentor_id in assigned.values():
        loads[mentor_id] = loads.get(mentor_id, 0) + 1
    assert all(loads[m.id] <= m.capacity for m in session.exec(select(Mentor)) if m.id in loads)
    actions = [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["run_started", "run_proposed"]


def test_withdrawn_and_completed_companies_are_not_matched(engine, session, make):
    make.mentor({"C29": 100}, capacity=5)
    gone = make.company("C29", status="withdrawn")
    done = make.company("C29", status="completed")
    active = make.company("C29", status="active")
    instance = build_instance(session, {"max_distance_km": 80})
    assert [c["id"] for c in instance["companies"]] == [f"c-{active.id}"]
    assert gone and done


def test_a_second_run_while_one_is_solving_is_refused(engine, session, make):
    make.mentor({"C29": 100})
    session.add(MatchingRun(status="running", started_at=utcnow()))
    session.commit()
    with pytest.raises(RunInProgress, match="a run is already in progress"):
        run_matching(engine)


def test_a_run_interrupted_long_ago_no_longer_blocks(engine, session, make):
    make.mentor({"C29": 100})
    stale = MatchingRun(status="running", started_at=utcnow() - timedelta(hours=2))
    session.add(stale)
    session.commit()
    run = run_matching(engine)
    assert run.status == "proposed"
    session.expire_all()
    stale = session.get(MatchingRun, stale.id)
    assert stale.status == "failed" and "interrupted" in stale.error


def test_a_failure_mid_run_leaves_no_assignment_and_records_the_error(engine, session, make, monkeypatch):
    make.mentor({"C29": 100}, capacity=3)
    for _ in range(3):
        make.company("C29")

    def explode(session_, run, result, pinned_by_coordinator):
        session_.add(
            Assignment(
                run_id=run.id,
                company_id=matching.parse_ref(result["assignments"][0]["company"]),
                mentor_id=matching.parse_ref(result["assignments"][0]["mentor"]),
                value=1,
                distance_km=0,
                fit=1,
            )
        )
        session_.flush()
        raise RuntimeError("disk full")

    monkeypatch.setattr(matching, "_store_result", explode)
    run = run_matching(engine)
    assert run.status == "failed" and "disk full" in run.error
    assert session.exec(select(Assignment)).all() == []
    monkeypatch.undo()
    assert run_matching(engine).status == "proposed"  # the lock was released


def test_review_diff_and_approval(engine, session, make):
    near = make.mentor({"C29": 100}, capacity=2)
    c1, c2 = make.company("C29"), make.company("C29")
    first = run_matching(engine)
    assert {row.kind for row in run_diff(session, first)} == {"new"}
    decide(engine, approve_run, first.id, None)
    session.expire_all()
    assert _assigned(session, first.id) == {c1.id: near.id, c2.id: near.id}
    assert {session.get(Company, c.id).status for c in (c1, c2)} == {"active"}  # applicants take part now

    # c2 leaves the program, a better mentor for c1 arrives, c3 joins.
    session.get(Company, c2.id).status = "withdrawn"
    session.commit()
    better = make.mentor({"C29": 100, "C30": 90}, capacity=1)
    session.get(Mentor, near.id).capacity = 1
    session.add(MentorIndustry(mentor_id=near.id, industry_code="C30", fit=50))
    session.commit()
    c3 = make.company("C30", priority=5)
    second = run_matching(engine)
    kinds = {row.company_id: row.kind for row in run_diff(session, second)}
    assert kinds[c2.id] == "ended" and kinds[c3.id] == "new"
    assert kinds[c1.id] in {"kept", "changed"}
    decide(engine, approve_run, second.id, None)
    session.expire_all()
    in_force = {a.company_id: a.mentor_id for a in matching.assignments_in_force(session)}
    assert set(in_force) == {c1.id, c3.id} and better.id in in_force.values()
    with pytest.raises(RunStateError):
        decide(engine, approve_run, second.id, None)


def test_new_proposal_supersedes_the_previous_one_and_discard(engine, session, make):
    make.mentor({"C29": 100})
    make.company("C29")
    first = run_matching(engine)
    second = run_matching(engine)
    first = session.get(MatchingRun, first.id)
    assert first.status == "discarded" and f"superseded by run {second.id}" in first.error
    decide(engine, discard_run, second.id, None)
    session.expire_all()
    assert session.get(MatchingRun, second.id).status == "discarded"


def test_confirmed_visits_pin_the_company_to_its_mentor(engine, session, make):
    pinned_mentor = make.mentor({"C29": 10}, capacity=1)
    company = make.company("C29")
    session.add(
        VisitSlot(
            mentor_id=pinned_mentor.id,
            company_id=company.id,
            starts_at=utcnow() + timedelta(days=2),
            ends_at=utcnow() + timedelta(days=2, hours=4),
            state="confirmed",
        )
    )
    # The mentor then stops mentoring and drops the industry: the confirmed visit still stands.
    session.get(Mentor, pinned_mentor.id).active = False
    for row in session.exec(select(MentorIndustry).where(MentorIndustry.mentor_id == pinned_mentor.id)):
        session.delete(row)
    session.commit()
    make.mentor({"C29": 100}, capacity=3)  # a better mentor is available
    run = run_matching(engine)
    assert run.status == "proposed", run.error
    assert _assigned(session, run.id) == {company.id: pinned_mentor.id}


@pytest.mark.parametrize(
    "raw,errors",
    [
        ({}, {}),
        ({"max_distance_km": "60", "stability": ""}, {}),
        ({"max_distance_km": "0"}, {"max_distance_km": "must be between 1 and 1000"}),
        ({"min_load": "two"}, {"min_load": "must be a whole number"}),
        ({"max_municipalities_per_mentor": 2.5}, {"max_municipalities_per_mentor": "must be a whole number"}),
        ({"colour": 1}, {"colour": "unknown parameter"}),
    ],
)
def test_validate_params(raw, errors):
    cleaned, found = validate_params(raw)
    assert found == errors
    if not errors:
        assert cleaned["max_distance_km"] == int(raw.get("max_distance_km", 80))
        assert "stability" not in cleaned


def test_a_coordinators_pin_is_a_pinned_pair_while_its_mentor_is_active(engine, session, make):
    """CompanyPin reaches the solver as the contract's pinned pair; a confirmed visit with another
    mentor wins over it, and a pin to a mentor since deactivated is left out."""
    near = make.mentor({"C29": 100}, capacity=2)
    far = make.mentor({"C29": 100}, capacity=2, lat=35.95)
    resting = make.mentor({"C29": 100}, capacity=2)
    pinned, visited, idle = (make.company("C29", status="active") for _ in range(3))
    session.add(CompanyPin(company_id=pinned.id, mentor_id=far.id))
    session.add(CompanyPin(company_id=visited.id, mentor_id=far.id))
    session.add(CompanyPin(company_id=idle.id, mentor_id=resting.id))
    session.add(
        VisitSlot(
            mentor_id=near.id,
            company_id=visited.id,
            starts_at=utcnow() + timedelta(days=2),
            ends_at=utcnow() + timedelta(days=2, hours=2),
            state="confirmed",
        )
    )
    resting.active = False
    session.commit()
    companies = {c["id"]: c for c in build_instance(session, {"max_distance_km": 80})["companies"]}
    assert companies[f"c-{pinned.id}"]["pinned_mentor"] == f"m-{far.id}"
    assert companies[f"c-{visited.id}"]["pinned_mentor"] == f"m-{near.id}"
    assert companies[f"c-{idle.id}"]["pinned_mentor"] is None
    run = run_matching(engine, params={"max_distance_km": 80})
    chosen = {a.company_id: a for a in session.exec(select(Assignment).where(Assignment.run_id == run.id))}
    assert chosen[pinned.id].mentor_id == far.id and "pinned by a coordinator" in chosen[pinned.id].reasons
    assert "pinned (confirmed visits)" in chosen[visited.id].reasons
