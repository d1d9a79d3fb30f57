"""Offers that must not be confirmed: two offers of one company confirmed at the same moment from
two sessions against a real server (exactly one wins, on SQLite and PostgreSQL), and the former
mentor's offers after the company was re-matched (refused, withdrawn, the new mentor offered)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from tests.support.live_server import serve
from tests.support.web import PASSWORD_HASH, api, brn
from tests.visits.test_web_double_booking import Browser
from webapp.accounts.models import User
from webapp.accounts.security import hash_token
from webapp.core.clock import utcnow
from webapp.core.db import make_engine, session_scope
from webapp.directory.models import Company, Mentor, Municipality
from webapp.matching.models import Assignment, MatchingRun
from webapp.visits.models import VisitSlot
from webapp.visits.planning import VisitPolicy, offer_visits

BACKENDS = ("sqlite", "postgres")
ROUNDS = 8
SHORT_VISITS = VisitPolicy(visit_minutes=60)  # the world's mentors work Monday 09-12 only


def _matched_company(db_url: str) -> tuple[int, int, int]:
    """A mentor and a company (login company@x.kr) matched by an approved run:
    (mentor id, company id, assignment id)."""
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        jeonju = s.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()
        mentor = Mentor(
            name="멘토", email="m@m.kr", municipality_id=jeonju.id, lat=jeonju.lat, lon=jeonju.lon
        )
        company = Company(
            name="회사",
            business_reg_no=brn(1),
            industry_code="C29",
            municipality_id=jeonju.id,
            lat=jeonju.lat,
            lon=jeonju.lon,
            status="active",
        )
        run = MatchingRun(status="approved", params={})
        s.add_all([mentor, company, run])
        s.flush()
        s.add(User(email="company@x.kr", role="company", company_id=company.id, password_hash=PASSWORD_HASH))
        assignment = Assignment(
            run_id=run.id,
            company_id=company.id,
            mentor_id=mentor.id,
            value=1,
            distance_km=1.0,
            fit=100,
            reasons=[],
            state="approved",
        )
        s.add(assignment)
        s.flush()
        ids = mentor.id, company.id, assignment.id
    engine.dispose()
    return ids


def _offer_two(db_url: str, mentor_id: int, company_id: int, assignment_id: int, day: int) -> list[int]:
    """Two offers (not overlapping) for the company's next visit; their ids."""
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2 + day)
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        slots = [
            VisitSlot(
                mentor_id=mentor_id,
                company_id=company_id,
                assignment_id=assignment_id,
                starts_at=at + timedelta(hours=5 * i),
                ends_at=at + timedelta(hours=5 * i + 4),
            )
            for i in range(2)
        ]
        s.add_all(slots)
        s.flush()
        ids = [slot.id for slot in slots]
    engine.dispose()
    return ids


def test_one_company_confirming_two_offers_at_once_gets_one_visit(db_url, tmp_path):
    mentor_id, company_id, assignment_id = _matched_company(db_url)
    with serve(db_url, tmp_path / "server.log") as base:
        browsers = [Browser(base) for _ in range(2)]
        for browser in browsers:
            browser.sign_in("company@x.kr")
        for day in range(ROUNDS):
            slots = _offer_two(db_url, mentor_id, company_id, assignment_id, day)
            tokens = [browser.csrf("/company/") for browser in browsers]
            barrier = threading.Barrier(2)
            answers: list = [None, None]

            def confirm(i: int, barrier=barrier, answers=answers, slots=slots, tokens=tokens) -> None:
                barrier.wait()
                answers[i] = browsers[i].request(f"/visits/{slots[i]}/confirm", {"csrf_token": tokens[i]})

            threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
            assert sorted(status for status, _ in answers) == [302, 302], (
                tmp_path / "server.log"
            ).read_text()[-3000:]
            engine = make_engine(db_url)
            with Session(engine) as s:
                states = sorted(s.get(VisitSlot, slot_id).state for slot_id in slots)
            engine.dispose()
            assert states == ["confirmed", "declined"], f"round {day}: {states}"


def _rematch(app, company_id: int, new_mentor_id: int) -> None:
    """What approving a run that moves the company to another mentor leaves in the database."""
    with session_scope(app.extensions["engine"]) as s:
        for old in s.exec(select(Assignment).where(Assignment.company_id == company_id)):
            old.state = "ended"
            s.add(old)
        run = MatchingRun(status="approved", params={})
        s.add(run)
        s.flush()
        s.add(
            Assignment(
                run_id=run.id,
                company_id=company_id,
                mentor_id=new_mentor_id,
                value=1,
                distance_km=1.0,
                fit=90,
                reasons=[],
                state="approved",
            )
        )


def test_a_rematched_company_cannot_confirm_the_former_mentors_offers(web_app, world):
    engine = web_app.extensions["engine"]
    company, old_mentor, new_mentor = world.companies[2], world.mentors[0], world.mentors[1]
    _rematch(web_app, company, old_mentor)
    offer_visits(engine, SHORT_VISITS)
    with Session(engine) as s:
        old_offers = s.exec(
            select(VisitSlot.id).where(VisitSlot.company_id == company, VisitSlot.state == "proposed")
        ).all()
        user = s.exec(select(User).where(User.company_id == company)).one()
        user.api_token_hash = hash_token("jbsf_company_c")
        s.add(user)
        s.commit()
    assert old_offers
    _rematch(web_app, company, new_mentor)
    client = api(web_app, "jbsf_company_c")
    # the former mentor's offers are gone from the list and cannot be confirmed
    listed = client.get("/api/v1/visits?state=proposed").get_json()["items"]
    assert listed == [] or all(v["mentor_id"] == new_mentor for v in listed)
    assert client.post(f"/api/v1/visits/{old_offers[0]}/confirm").status_code == 404
    assert client.get(f"/api/v1/visits/{old_offers[0]}").status_code == 404
    # the next offering round withdraws them and offers the new mentor's times
    assert offer_visits(engine, SHORT_VISITS) > 0
    with Session(engine) as s:
        states = {s.get(VisitSlot, i).state for i in old_offers}
        new_offers = s.exec(
            select(VisitSlot).where(VisitSlot.company_id == company, VisitSlot.state == "proposed")
        ).all()
    assert states == {"cancelled"}
    assert new_offers and {v.mentor_id for v in new_offers} == {new_mentor}
    assert all(v.starts_at.replace(tzinfo=UTC) > utcnow() for v in new_offers)
    listed = client.get("/api/v1/visits?state=proposed").get_json()["items"]
    assert {v["id"] for v in listed} == {v.id for v in new_offers}
