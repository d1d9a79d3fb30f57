"""Approving at the same moment, against a real running server (issue #13 item 4): two
coordinators approving the same run, and two coordinators approving two different proposals.
Exactly one approval wins; the other gets 409 with a clear message; the database never holds
two assignments in force for one company. SQLite and PostgreSQL. `pytest -k approval_race`."""

from __future__ import annotations

import re
import threading

from sqlmodel import Session, func, select

from tests.support.live_server import Browser, serve
from tests.support.web import PASSWORD_HASH, brn
from webapp.accounts.models import User
from webapp.core.db import make_engine, session_scope
from webapp.core.models import AuditLog
from webapp.directory.models import Company, Mentor, MentorIndustry, Municipality
from webapp.matching.models import Assignment, MatchingRun

BACKENDS = ("sqlite", "postgres")
COORDINATORS = ("coord1@x.kr", "coord2@x.kr")


def _setup(db_url: str) -> list[int]:
    """Two mentors, four companies, two coordinators and two proposals (each giving every company
    to one of the mentors); the proposals' ids."""
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        jeonju = s.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()
        mentors = [
            Mentor(
                name=f"멘토{i}",
                email=f"m{i}@m.kr",
                municipality_id=jeonju.id,
                lat=jeonju.lat,
                lon=jeonju.lon,
                capacity=4,
            )
            for i in (1, 2)
        ]
        companies = [
            Company(
                name=f"회사{i}",
                business_reg_no=brn(i),
                industry_code="C29",
                municipality_id=jeonju.id,
                lat=jeonju.lat,
                lon=jeonju.lon,
            )
            for i in range(1, 5)
        ]
        s.add_all([*mentors, *companies])
        s.add_all(
            User(email=email, role="coordinator", password_hash=PASSWORD_HASH) for email in COORDINATORS
        )
        s.flush()
        s.add_all(MentorIndustry(mentor_id=m.id, industry_code="C29", fit=90) for m in mentors)
    engine.dispose()
    return _setup_more(db_url)


def _race(browsers: list[Browser], run_ids: list[int]) -> list[tuple[int, str]]:
    """Each browser opens its run's confirmation page, then all press "approve" together."""
    forms = []
    for browser, run_id in zip(browsers, run_ids, strict=True):
        status, page = browser.request(f"/coordinator/runs/{run_id}/approve")
        assert status == 200, page
        forms.append(
            {
                "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
                "basis": re.search(r'name="basis" value="(\d+)"', page)[1],
            }
        )
    barrier = threading.Barrier(len(browsers))
    answers: list = [None] * len(browsers)

    def press(i: int) -> None:
        barrier.wait()
        answers[i] = browsers[i].request(f"/coordinator/runs/{run_ids[i]}/approve", forms[i])

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return answers


def _in_force_per_company(db_url: str) -> dict[int, int]:
    engine = make_engine(db_url)
    with Session(engine) as s:
        rows = s.exec(
            select(Assignment.company_id, func.count())
            .where(Assignment.state == "approved")
            .group_by(Assignment.company_id)
        ).all()
    engine.dispose()
    return dict(rows)


def test_approval_race_one_approver_wins(db_url, tmp_path):
    first, _ = _setup(db_url)
    with serve(db_url, tmp_path / "server.log") as base:
        browsers = [Browser(base) for _ in COORDINATORS]
        for browser, email in zip(browsers, COORDINATORS, strict=True):
            browser.sign_in(email)

        # Two coordinators approve the same run at once.
        answers = _race(browsers, [first, first])
        assert sorted(status for status, _ in answers) == [302, 409], answers
        loser = next(page for status, page in answers if status == 409)
        assert "can no longer be approved or discarded (it is Approved)" in loser
        engine = make_engine(db_url)
        with Session(engine) as s:
            approvals = s.exec(
                select(AuditLog).where(AuditLog.action == "run_approved", AuditLog.entity_id == str(first))
            ).all()
        engine.dispose()
        assert len(approvals) == 1
        assert set(_in_force_per_company(db_url).values()) == {1}

        # A new proposal of each kind, approved by two coordinators at once: one goes into force.
        third, fourth = _setup_more(db_url)
        answers = _race(browsers, [third, fourth])
        assert sorted(status for status, _ in answers) == [302, 409], answers
        assert "approved" in next(page for status, page in answers if status == 409)
        in_force = _in_force_per_company(db_url)
        assert len(in_force) == 4 and set(in_force.values()) == {1}  # never two mentors for a company
        engine = make_engine(db_url)
        with Session(engine) as s:
            statuses = sorted(s.get(MatchingRun, run_id).status for run_id in (third, fourth))
        engine.dispose()
        assert statuses == ["approved", "proposed"]


def _setup_more(db_url: str) -> list[int]:
    """Two proposals over all the companies, each giving them all to one of the mentors."""
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        mentors = s.exec(select(Mentor).order_by(Mentor.id)).all()
        companies = s.exec(select(Company)).all()
        runs = [MatchingRun(status="proposed", params={}) for _ in mentors]
        s.add_all(runs)
        s.flush()
        s.add_all(
            Assignment(
                run_id=run.id, company_id=c.id, mentor_id=m.id, value=1, distance_km=1.0, fit=90, reasons=[]
            )
            for run, m in zip(runs, mentors, strict=True)
            for c in companies
        )
        ids = [run.id for run in runs]
    engine.dispose()
    return ids
