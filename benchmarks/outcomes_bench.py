"""The province's dashboard and export at the program's goal: 300 completed engagements with 4 KPIs,
30 improvement tasks and 3 answered surveys each (9,000 tasks). Prints wall times (median of
--repeat runs after one warm-up), never pass/fail.

    .venv/bin/python benchmarks/outcomes_bench.py [--engagements 300] [--tasks 30] [--repeat 5]
        [--database-url postgresql+psycopg://...]   (default: a fresh SQLite file)

Targets (issue #17): dashboard under 300 ms, province export under 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlmodel import select

from webapp import create_app
from webapp.accounts.models import User
from webapp.accounts.passwords import hash_password
from webapp.core.clock import utcnow
from webapp.core.db import id_of, make_engine, session_scope
from webapp.core.media.models import Photo
from webapp.directory.importing.brn import check_digit
from webapp.directory.models import Company, Municipality
from webapp.directory.reference_data import seed_reference_data
from webapp.engagements.models import Engagement
from webapp.ops import migrate
from webapp.outcomes.exports import run_export, start_export
from webapp.outcomes.models import EngagementOutcome, ImprovementTask, KpiIndicator, Survey
from webapp.programs.models import Cohort

KPIS = (("productivity", "higher", 0.76), ("defect_rate", "lower", -0.53), ("unit_cost", "lower", -0.24),
        ("lead_time", "lower", -0.39))  # fmt: skip


def populate(url: str, engagements: int, tasks: int) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    rng = random.Random(17)
    with session_scope(engine) as s:
        seed_reference_data(s)
        places = list(s.exec(select(Municipality)))
        s.add(User(email="bench@x.kr", role="coordinator", password_hash=hash_password("bench-pass-1")))
        photo = Photo(owner_kind="improvement_task", owner_id=0, file_key="0" * 32, width=1, height=1,
                      size_bytes=1, source_format="JPEG")  # fmt: skip
        cohort = Cohort(name="bench", year=2025, first_monday=date(2025, 7, 7), weeks=44, status="closed")
        s.add_all([photo, cohort])
        s.flush()
        for n in range(engagements):
            first = f"{500 + n % 400:03d}90{n:04d}"
            place = places[n % len(places)]
            company = Company(
                name=f"벤치기업{n}", business_reg_no=first + str(check_digit(first)),
                municipality_id=id_of(place),
                industry_code=rng.choice(["C25", "C29", "C30", "C22"]), lat=place.lat, lon=place.lon,
                status="completed", track=rng.choice(["JS1", "JS2", "JS3"]),
            )  # fmt: skip
            s.add(company)
            s.flush()
            start = date(2025, 7, 7) + timedelta(weeks=n % 36)
            e = Engagement(
                cohort_id=id_of(cohort), company_id=id_of(company), start_week=n % 36, weeks=8,
                start_date=start, end_date=start + timedelta(days=55), state="completed",
            )  # fmt: skip
            s.add(e)
            s.flush()
            now = utcnow()
            s.add(EngagementOutcome(engagement_id=id_of(e), targets_locked_at=now, submitted_at=now,
                                    signed_off_at=now, summary="요약"))  # fmt: skip
            for kind, direction, gain in KPIS:
                base = Decimal(rng.randint(10, 100))
                actual = base * Decimal(str(round(1 + rng.gauss(gain, abs(gain) / 2), 3)))
                target = base * Decimal(str(1 + gain / 2))
                values = {"baseline": base, "target": target, "actual": max(actual, Decimal(0))}
                s.add(KpiIndicator(engagement_id=id_of(e), kind=kind, direction=direction, **values))
            for i in range(tasks):
                done = {"state": "solved", "after_photo_id": id_of(photo), "closed_at": now}
                s.add(ImprovementTask(
                    engagement_id=id_of(e), area="layout", description=f"과제 {i}", owner="반장",
                    due_on=start,
                    before_photo_id=id_of(photo), **(done if rng.random() < 0.93 else {}),
                ))  # fmt: skip
            for kind in ("week2", "completion", "month6"):
                s.add(Survey(engagement_id=id_of(e), kind=kind, due_on=start, sent_at=now, answered_at=now,
                             rating=rng.randint(3, 5) if kind != "month6" else None,
                             working_out=True if kind == "week2" else None,
                             gains_kept="kept" if kind == "month6" else None))  # fmt: skip
    engine.dispose()


def timed(fn, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run (CPU time shows the work when other processes share the cores)."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="outcomes-bench-"))
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    started = time.perf_counter()
    populate(url, args.engagements, args.tasks)
    took = time.perf_counter() - started
    print(f"populated {args.engagements} engagements x {args.tasks} tasks in {took:.1f} s")
    app = create_app({
        "DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
        "EXPORT_ROOT": str(work / "exports"), "MEDIA_ROOT": str(work / "media"),
    })  # fmt: skip
    client = app.test_client()
    client.post("/login", data={"email": "bench@x.kr", "password": "bench-pass-1"})

    def dashboard() -> None:
        assert client.get("/outcomes/province").status_code == 200

    def export(fmt: str):
        def run() -> None:
            with session_scope(app.extensions["engine"]) as s:
                job = start_export(s, None, None, None, fmt)
            run_export(app, id_of(job))

        return run

    rows = [
        ("province dashboard (GET /outcomes/province)", timed(dashboard, args.repeat), 0.3),
        ("province export .xlsx", timed(export("xlsx"), max(args.repeat // 2, 1)), 5.0),
        ("province export CSV .zip", timed(export("csv"), max(args.repeat // 2, 1)), 5.0),
    ]
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"\n| what ({backend}) | wall median | wall min | CPU median | target |\n|---|---:|---:|---:|---:|")
    for name, (wall, cpu), target in rows:
        print(f"| {name} | {statistics.median(wall) * 1000:.0f} ms | {min(wall) * 1000:.0f} ms "
              f"| {statistics.median(cpu) * 1000:.0f} ms | {target * 1000:.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
