"""Benchmark of the inspection planning from the database:
`python benchmarks/programs_bench.py [--applicants 200] [--pairs 10] [--time-limit 20]`.

Builds a fresh SQLite database (migrated, reference data), adds mentors in pairs, a two-week
window (10 working days) and eligible applicants spread over the 14 cities and counties like the
demo, then times the three steps the coordinator's "Plan the inspections" runs: the routing
instance built from the database, the router, and the routes stored as inspections (offers
mailed to the outbox). A replan after one company asks for another time follows. Prints a
Markdown table; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, select

import matcher
from webapp import create_app
from webapp.core.db import session_scope
from webapp.directory.models import Mentor, Municipality
from webapp.directory.reference_data import seed_reference_data
from webapp.ops import migrate
from webapp.programs import inspections
from webapp.programs.application_models import Application
from webapp.programs.inspection_models import Inspection, InspectionPair
from webapp.programs.models import Cohort, CohortTrack

FIRST_DAY = date(2027, 3, 2)  # a Tuesday after 삼일절: ten working days to 2027-03-15


def _world(session: Session, applicants: int, pairs: int, seed: int) -> Cohort:
    rng = random.Random(seed)
    places = list(session.exec(select(Municipality)))
    now = datetime.now(UTC)
    cohort = Cohort(
        name=f"bench {seed}",
        year=2027,
        status="selection",
        first_monday=date(2027, 7, 5),
        applications_open_at=now - timedelta(days=30),
        applications_close_at=now - timedelta(days=1),
        inspection_first_day=FIRST_DAY,
        inspection_last_day=FIRST_DAY + timedelta(days=13),
    )
    session.add(cohort)
    session.flush()
    session.add(CohortTrack(cohort_id=cohort.id, code="JS1"))
    mentors = []
    for i in range(2 * pairs):
        home = rng.choice(places)
        mentors.append(
            Mentor(name=f"m{i}", email=f"m{i}@bench.kr", municipality_id=home.id, lat=home.lat, lon=home.lon)
        )
    session.add_all(mentors)
    session.flush()
    days = [d.isoformat() for d in inspections.window_days(cohort)]
    for i in range(pairs):
        session.add(
            InspectionPair(
                cohort_id=cohort.id,
                mentor_a_id=mentors[2 * i].id,
                mentor_b_id=mentors[2 * i + 1].id,
                days=days,
            )
        )
    weights = [4 if p.kind == "city" else 1 for p in places]
    for n in range(applicants):
        place = rng.choices(places, weights=weights)[0]
        session.add(
            Application(
                cohort_id=cohort.id,
                business_reg_no=f"{n:010d}",
                company_name=f"c{n}",
                representative="r",
                industry_code="C29",
                municipality_id=place.id,
                address="a",
                lat=place.lat + rng.uniform(-0.06, 0.06),
                lon=place.lon + rng.uniform(-0.06, 0.06),
                revenue_krw=10**9,
                employees=10,
                contact_name="c",
                contact_phone="063-000-0000",
                contact_email=f"c{n}@bench.kr",
                track="JS1",
                consent_at=now,
                consent_version="bench",
                eligibility="eligible",
            )
        )
    session.commit()
    return cohort


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=180)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=inspections.DEFAULT_TIME_LIMIT)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print(
        "| seed | applicants | shifts | build s | route s | store s | served | travel min | replan s | kept |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for seed in range(1, args.seeds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
            engine = app.extensions["engine"]
            migrate.upgrade(engine)
            with session_scope(engine) as session:
                seed_reference_data(session)
            with Session(engine, expire_on_commit=False) as session, app.app_context():
                cohort = _world(session, args.applicants, args.pairs, seed)
                run = inspections.start_routing(session, cohort, None)
                started = time.perf_counter()
                plan = inspections.build_plan(session, cohort, offer_after=FIRST_DAY - timedelta(days=1))
                built = time.perf_counter()
                result = matcher.route(plan.instance, time_limit=args.time_limit)
                routed = time.perf_counter()
                inspections.store_routes(session, cohort, run, plan, result)
                stored = time.perf_counter()
                offers = session.exec(select(Inspection).where(Inspection.state == "proposed")).all()
                confirmed = offers[: len(offers) // 2]
                for inspection in confirmed:
                    inspection.state = "confirmed"
                    session.add(inspection)
                declined = offers[-1]
                declined.state = "declined"
                session.add(declined)
                session.commit()
                before = {i.id: i.starts_at for i in confirmed}
                again = inspections.start_routing(session, cohort, None)
                t0 = time.perf_counter()
                plan = inspections.build_plan(session, cohort, offer_after=FIRST_DAY - timedelta(days=1))
                inspections.store_routes(
                    session, cohort, again, plan, matcher.route(plan.instance, time_limit=args.time_limit)
                )
                replanned = time.perf_counter() - t0
                kept = all(session.get(Inspection, i).starts_at == t for i, t in before.items())
                print(
                    f"| {seed} | {args.applicants} | {len(plan.instance['shifts'])} "
                    f"| {built - started:.2f} | {routed - built:.2f} | {stored - routed:.2f} "
                    f"| {run.served} | {run.travel_minutes:,.0f} | {replanned:.2f} "
                    f"| {'yes' if kept else 'NO'} |"
                )
            engine.dispose()


if __name__ == "__main__":
    main()
