"""No double booking against a real running server: two companies, signed in through the real
login form, confirm overlapping slots of the same mentor at the same moment (threads released
together by a barrier). Exactly one confirmation wins; the other gets "that slot was just
taken" (409). Served by Flask's threaded server and by gunicorn with two worker processes, on
SQLite and PostgreSQL. Run alone with `pytest -k double_booking`."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.support.live_server import Browser, serve
from tests.support.web import PASSWORD_HASH, brn
from webapp.accounts.models import User
from webapp.core.db import make_engine, session_scope
from webapp.directory.models import Company, Mentor, Municipality
from webapp.visits.models import VisitSlot

BACKENDS = ("sqlite", "postgres")
ROUNDS = 4
TAKEN = "That slot was just taken"


def _setup(db_url: str) -> tuple[list[str], int, list[int]]:
    """One mentor and two companies with logins: emails, mentor id, company ids."""
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        jeonju = s.exec(select(Municipality).where(Municipality.name_en == "Jeonju")).one()
        mentor = Mentor(
            name="멘토", email="m@m.kr", municipality_id=jeonju.id, lat=jeonju.lat, lon=jeonju.lon
        )
        companies = [
            Company(
                name=f"회사{i}",
                business_reg_no=brn(i),
                industry_code="C29",
                municipality_id=jeonju.id,
                lat=jeonju.lat,
                lon=jeonju.lon,
                status="active",
            )
            for i in (1, 2)
        ]
        s.add_all([mentor, *companies])
        s.flush()
        emails = [f"company{i}@x.kr" for i in (1, 2)]
        s.add_all(
            User(email=email, role="company", company_id=c.id, password_hash=PASSWORD_HASH)
            for email, c in zip(emails, companies, strict=False)
        )
        ids = mentor.id, [c.id for c in companies]
    engine.dispose()
    return emails, *ids


def _offer_overlapping(db_url: str, mentor_id: int, company_ids: list[int], day: int) -> list[int]:
    """An offered slot for each company, all overlapping, of the same mentor; their ids.

    Made afresh each round: a confirmation withdraws the company's other offers."""
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2 + day)
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        slots = [
            VisitSlot(
                mentor_id=mentor_id,
                company_id=company_id,
                starts_at=at + timedelta(minutes=30 * i),
                ends_at=at + timedelta(hours=2, minutes=30 * i),
            )
            for i, company_id in enumerate(company_ids)
        ]
        s.add_all(slots)
        s.flush()
        ids = [slot.id for slot in slots]
    engine.dispose()
    return ids


@pytest.mark.parametrize("workers", [0, 2], ids=["threads", "gunicorn-2-processes"])
def test_double_booking_two_companies_confirming_overlapping_slots_at_once(db_url, tmp_path, workers):
    emails, mentor_id, company_ids = _setup(db_url)
    with serve(db_url, tmp_path / "server.log", workers=workers) as base:
        browsers = [Browser(base) for _ in emails]
        for browser, email in zip(browsers, emails, strict=False):
            browser.sign_in(email)
        for day in range(ROUNDS):
            slots = _offer_overlapping(db_url, mentor_id, company_ids, day)
            tokens = [browser.csrf("/company/") for browser in browsers]
            barrier = threading.Barrier(len(browsers))
            answers: list = [None] * len(browsers)

            def confirm(i: int, barrier=barrier, answers=answers, slots=slots, tokens=tokens) -> None:
                barrier.wait()
                answers[i] = browsers[i].request(f"/visits/{slots[i]}/confirm", {"csrf_token": tokens[i]})

            threads = [threading.Thread(target=confirm, args=(i,)) for i in range(len(browsers))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
            statuses = sorted(status for status, _ in answers)
            assert statuses == [302, 409], (statuses, (tmp_path / "server.log").read_text()[-3000:])
            loser = next(page for status, page in answers if status == 409)
            assert TAKEN in loser
            engine = make_engine(db_url)
            with Session(engine) as s:
                states = sorted(s.get(VisitSlot, slot_id).state for slot_id in slots)
            engine.dispose()
            assert states == ["confirmed", "proposed"]
