"""Engagement planning in the web app, on the demo program year (200 applicants x 30 resident
mentors x 44 weeks): building the planning instance from the database, a planning run (its time
limit and the progress reports it writes), the review page of the proposal, and approving it.
Prints figures (median of --repeat runs); never pass/fail.

    .venv/bin/python benchmarks/engagements_bench.py [--repeat 5] [--time-limit 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, select

from webapp import create_app
from webapp.core.clock import seoul_today
from webapp.core.db import make_engine, session_scope
from webapp.directory.reference_data import seed_reference_data
from webapp.engagements.instance import PlanSettings, build_instance
from webapp.engagements.models import PlanningRun
from webapp.engagements.service import approve_run, run_planning
from webapp.ops import migrate
from webapp.ops.demo import load_demo_data
from webapp.programs.models import Cohort, CohortTrack


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--time-limit", type=int, default=30)
    parser.add_argument(
        "--quota-js1", type=int, default=39, help="25 in the demo; 39 allows a 70-engagement plan"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        seed_reference_data(session)
        load_demo_data(session)
        for track in session.exec(select(CohortTrack).where(CohortTrack.code == "JS1")):
            track.quota = args.quota_js1
            session.add(track)
    with Session(engine) as session:
        cohort = session.exec(select(Cohort)).one()
        settings = PlanSettings.of_cohort(session, cohort)
        seconds, built = timed(
            lambda: build_instance(session, cohort, settings, today=seoul_today()), args.repeat
        )
        instance = built.instance  # type: ignore[attr-defined]
    print(
        f"instance from the database: {seconds * 1000:.0f} ms "
        f"({len(instance['companies'])} companies x {len(instance['mentors'])} mentors x "
        f"{instance['horizon_weeks']} weeks)"
    )

    start = time.perf_counter()
    run = run_planning(engine, cohort_id=cohort.id, params={"time_limit": args.time_limit, "stability": 500})
    wall = time.perf_counter() - start
    with Session(engine) as session:
        run = session.get(PlanningRun, run.id)
    print(
        f"planning run (time limit {args.time_limit} s): {wall:.1f} s wall, "
        f"{run.status} {run.solver_status}, "
        f"{run.summary['served']} engagements, objective {run.objective}, bound {run.bound}, "
        f"last progress report at {run.progress.get('elapsed')} s"
    )

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    with Session(engine) as session:
        from webapp.accounts.models import User

        email = session.exec(select(User.email).where(User.role == "coordinator")).first()
    client.post("/login", data={"email": email, "password": "coordinator-2026"})
    client.get(f"/coordinator/planning/runs/{run.id}")  # warm the templates
    seconds, response = timed(lambda: client.get(f"/coordinator/planning/runs/{run.id}"), args.repeat)
    served = run.summary["served"]
    print(f"review page of a {served}-engagement plan: {seconds * 1000:.0f} ms ({response.status_code})")
    seconds, _ = timed(lambda: client.get("/coordinator/planning"), args.repeat)
    print(f"planning page (plan in force): {seconds * 1000:.0f} ms")

    with Session(engine) as session:
        start = time.perf_counter()
        approve_run(session, session.get(PlanningRun, run.id), user_id=None)
        session.commit()
        print(f"approving it: {(time.perf_counter() - start) * 1000:.0f} ms")
    app.extensions["engine"].dispose()
    engine.dispose()


if __name__ == "__main__":
    main()
