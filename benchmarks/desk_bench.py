"""The coordinator's desk at national scale: 3,000 companies x 600 mentors on SQLite (or
BENCH_DATABASE_URL). Prints, never asserts:

- the run review page (first page, a search, a later page) and the dashboard: median answer time
  of 5 requests, wall clock and this process's CPU time (the app and SQLite run in it, so the CPU
  time is what the page costs whatever else runs on the machine), with the load average;
- approving the run: the answer time (the assignments are in force when it answers), then the
  offers made in the background: how far they had got each second (the progress the run's page
  shows), when the offering pass ended, how many companies were offered times and how many slots
  and emails were made, the process's peak memory and the load average of the machine.

    .venv/bin/python benchmarks/desk_bench.py [--companies 3000] [--mentors 600]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, func, select  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.core.db import make_engine, session_scope  # noqa: E402
from webapp.core.models import OutboxEmail  # noqa: E402
from webapp.matching.models import MatchingRun  # noqa: E402
from webapp.matching.review import offer_progress  # noqa: E402
from webapp.matching.service import run_matching  # noqa: E402
from webapp.ops import demo, migrate  # noqa: E402
from webapp.visits.models import VisitSlot  # noqa: E402


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def load() -> str:
    """The machine's load averages (1, 5, 15 min): figures taken on a busy machine are slower."""
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=3000)
    parser.add_argument("--mentors", type=int, default=600)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    engine = make_engine(url)
    migrate.upgrade(engine)
    demo.N_COMPANIES, demo.N_MENTORS = args.companies, args.mentors
    seconds, _ = timed(lambda: _load(engine))
    print(f"demo data {args.companies} companies x {args.mentors} mentors loaded in {seconds:.1f} s")
    seconds, run = timed(lambda: run_matching(engine, params={"max_distance_km": 80, "time_limit": 30}))
    print(f"matching run {run.id}: {run.status}, {seconds:.1f} s")

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "coordinator@demo.jbsf.kr", "password": "coordinator-2026"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    pages = (
        ("review page", f"/coordinator/runs/{run.id}"),
        ("review page, search", f"/coordinator/runs/{run.id}?q=정밀&sort=km&desc=1"),
        ("review page, page 20", f"/coordinator/runs/{run.id}?sort=mentor&page=20"),
        ("dashboard", "/coordinator/"),
    )
    for name, path in pages:
        client.get(path)  # warm up
        walls, cpus, size = [], [], 0
        for _ in range(5):
            cpu = time.process_time()
            seconds, page = timed(lambda path=path: client.get(path))
            cpus.append(time.process_time() - cpu)
            walls.append(seconds)
            size = len(page.data)
        print(
            f"{name}: median {statistics.median(walls) * 1000:.0f} ms "
            f"(CPU {statistics.median(cpus) * 1000:.0f} ms), {size / 1024:.0f} KiB; {load()}"
        )

    page = client.get(f"/coordinator/runs/{run.id}/approve").get_data(as_text=True)
    basis = re.search(r'name="basis" value="(\d+)"', page)[1]
    start = time.perf_counter()
    response = client.post(f"/coordinator/runs/{run.id}/approve", data={"basis": basis})
    answered = time.perf_counter() - start
    print(f"approve: answered {response.status_code} in {answered * 1000:.0f} ms; {load()}")
    offering = next((t for t in threading.enumerate() if t.name == "visit-offers"), None)
    progress = [(0.0, 0)]  # (seconds after pressing approve, companies offered so far)
    while offering is not None and offering.is_alive():
        with Session(engine) as session:
            done = offer_progress(session, session.get(MatchingRun, run.id))[0]
        if done > progress[-1][1]:
            progress.append((time.perf_counter() - start, done))
        offering.join(timeout=0.5)
    ended = time.perf_counter() - start
    with Session(engine) as session:
        done, total = offer_progress(session, session.get(MatchingRun, run.id))
        slots = session.exec(select(func.count()).select_from(VisitSlot)).one()
        emails = session.exec(select(func.count()).select_from(OutboxEmail)).one()
    print("companies offered so far: " + ", ".join(f"{n} at {seconds:.1f} s" for seconds, n in progress[1:]))
    print(
        f"offers: {args.companies} companies x {args.mentors} mentors; the offering pass ended "
        f"{ended:.1f} s after pressing approve; {done} of {total} companies of the run offered times "
        f"({slots} visit slots in all); {emails} emails in the outbox; peak memory "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; {load()}"
    )


def _load(engine) -> None:
    with session_scope(engine) as session:
        demo.load_demo_data(session)


if __name__ == "__main__":
    main()
