"""Offering at scale: a handful of queries however many companies, offers stored batch by batch
(the run's page shows the progress), and two passes at once (the web app's and the scheduler's)
never offering a company twice nor booking a mentor twice, on SQLite and PostgreSQL."""

import threading
from collections import defaultdict
from datetime import UTC, datetime
from itertools import pairwise

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.support.visits import place_company, place_mentor
from webapp.core.models import AuditLog, OutboxEmail
from webapp.directory.models import Municipality
from webapp.matching.service import approve_run, decide, run_matching
from webapp.visits import planning
from webapp.visits.models import VisitSlot
from webapp.visits.planning import VisitPolicy, offer_visits

BACKENDS = ("sqlite", "postgres")
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 09:00 in Seoul
POLICY = VisitPolicy(slots_per_offer=3, horizon_weeks=4)
MENTORS, COMPANIES = 6, 24


@pytest.fixture
def province(engine, session):
    """Six mentors (four companies each) across the municipalities, matched and approved."""
    places = session.exec(select(Municipality).order_by(Municipality.id)).all()
    for n in range(MENTORS):
        place_mentor(session, n, places[n % len(places)], capacity=4)
    for n in range(COMPANIES):
        place_company(session, n, places[n % MENTORS % len(places)])
    session.commit()
    decide(engine, approve_run, run_matching(engine).id, None)


def _offers(engine) -> list[VisitSlot]:
    with Session(engine) as session:
        return list(session.exec(select(VisitSlot).where(VisitSlot.state == "proposed")))


def test_a_few_queries_offer_every_company(engine, province):
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert offer_visits(engine, POLICY, NOW) == 3 * COMPANIES
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # the pass's list of mentors, then one batch: one query per table, none per company
    assert len(selects) <= 16, "\n".join(selects)
    assert sum(s.lstrip().upper().startswith("INSERT INTO VISITSLOT") for s in statements) == 1
    with Session(engine) as session:
        assert len(session.exec(select(OutboxEmail)).all()) == COMPANIES


def test_offers_are_stored_batch_by_batch(engine, province, monkeypatch):
    monkeypatch.setattr(planning, "MENTORS_PER_BATCH", 4)
    assert offer_visits(engine, POLICY, NOW) == 3 * COMPANIES
    with Session(engine) as session:
        batches = session.exec(select(AuditLog).where(AuditLog.action == "slots_offered")).all()
    assert [entry.details["assignments"] for entry in batches] == [16, 8]  # 4 mentors, then 2
    assert offer_visits(engine, POLICY, NOW) == 0


def test_two_passes_at_once_offer_each_company_once(engine, province, monkeypatch):
    monkeypatch.setattr(planning, "MENTORS_PER_BATCH", 2)  # the passes' batches interleave
    barrier = threading.Barrier(2)
    made = []

    def offer() -> None:
        barrier.wait()
        made.append(offer_visits(engine, POLICY, NOW))

    passes = [threading.Thread(target=offer) for _ in range(2)]
    for thread in passes:
        thread.start()
    for thread in passes:
        thread.join(timeout=120)
    offers = _offers(engine)
    assert sum(made) == len(offers) == 3 * COMPANIES
    per_company, per_mentor = defaultdict(int), defaultdict(list)
    for slot in offers:
        per_company[slot.company_id] += 1
        per_mentor[slot.mentor_id].append((slot.starts_at, slot.ends_at))
    assert set(per_company.values()) == {3}
    for slots in per_mentor.values():
        for (_, end), (start, _) in pairwise(sorted(slots)):
            assert end <= start  # whichever a company confirms, its mentor is free
