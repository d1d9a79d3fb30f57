"""Load on loopback: 50 company users browsing and confirming visit slots for 60 s against
gunicorn (4 workers) on PostgreSQL. Prints request counts, latency percentiles, error responses
and checks afterwards that no mentor got two overlapping confirmed visits.

    .venv/bin/python benchmarks/load_bench.py [--users 50] [--seconds 60] [--workers 4]

Starts its own PostgreSQL server (scripts/pg-server.sh, on a free port) unless
BENCH_DATABASE_URL names an empty database. Offers collide on purpose: all companies of a
mentor are offered the same three times, so their confirmations race for them.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select  # noqa: E402

from tests.support.live_server import free_port, serve  # noqa: E402
from webapp.accounts.models import User  # noqa: E402
from webapp.accounts.service import create_user  # noqa: E402
from webapp.core.db import make_engine, session_scope  # noqa: E402
from webapp.directory.reference_data import seed_reference_data  # noqa: E402
from webapp.matching.models import Assignment, MatchingRun  # noqa: E402
from webapp.matching.service import approve_run, run_matching  # noqa: E402
from webapp.ops.demo import load_demo_data  # noqa: E402
from webapp.ops.migrate import upgrade  # noqa: E402
from webapp.visits.models import VisitSlot  # noqa: E402

PASSWORD = "load-test-1"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class SimulatedUser:
    """One simulated company user with its own cookies; records (latency, status) per request."""

    def __init__(self, base: str, email: str, log: list):
        self.base, self.email, self.log = base, email, log
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode()
        except OSError as exc:
            status, text = 0, str(exc)
        self.log.append((time.perf_counter() - started, status, path.split("/")[1]))
        return status, text

    def run(self, until: float) -> None:
        _, page = self.request("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.request("/login", {"email": self.email, "password": PASSWORD, "csrf_token": token})
        while time.perf_counter() < until:
            _, page = self.request("/company/")
            offers = re.findall(r'action="/visits/(\d+)/confirm"', page)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            if offers and token and random.random() < 0.5:
                self.request(f"/visits/{random.choice(offers)}/confirm", {"csrf_token": token.group(1)})
            else:
                self.request(random.choice(["/company/", "/account"]))


def prepare(url: str, users: int) -> list[str]:
    """Demo data, an approved run, colliding offers, and company logins."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        seed_reference_data(session)
        load_demo_data(session)
    run = run_matching(engine)
    with session_scope(engine) as session:
        approve_run(session, session.get(MatchingRun, run.id), user_id=None)
    emails = []
    with session_scope(engine) as session:
        assignments = session.exec(select(Assignment).where(Assignment.state == "approved")).all()
        soon = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=9)
        for a in assignments:  # every company of a mentor is offered the same three times
            for day in range(3):
                starts = soon + timedelta(days=day)
                session.add(
                    VisitSlot(
                        mentor_id=a.mentor_id,
                        company_id=a.company_id,
                        assignment_id=a.id,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=4),
                    )
                )
        linked = set(session.exec(select(User.company_id).where(User.company_id.is_not(None))))
        for a in assignments:
            if len(emails) == users:
                break
            if a.company_id in linked:
                continue
            email = f"load{a.company_id}@companies.jbsf.kr"
            create_user(session, email=email, password=PASSWORD, role="company", company_id=a.company_id)
            emails.append(email)
    engine.dispose()
    return emails


def double_bookings(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        confirmed = session.exec(
            select(VisitSlot)
            .where(VisitSlot.state == "confirmed")
            .order_by(VisitSlot.mentor_id, VisitSlot.starts_at)
        ).all()
    engine.dispose()
    return sum(1 for a, b in pairwise(confirmed) if a.mentor_id == b.mentor_id and b.starts_at < a.ends_at)


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    pg_dir = None
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        pg_dir = tempfile.mkdtemp(prefix="mentoring-pg-bench-")
        os.chmod(pg_dir, 0o755)
        pg_env = dict(os.environ, PG_DIR=f"{pg_dir}/data", PG_PORT=str(free_port()))
        url = subprocess.run(
            [str(ROOT / "scripts/pg-server.sh"), "start"],
            env=pg_env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    try:
        emails = prepare(url, args.users)
        log: list = []
        env = {"LOGIN_RATE_LIMIT": "10000 per minute"}  # 50 sign-ins from one address are expected here
        with serve(
            url, Path(tempfile.mkdtemp()) / "gunicorn.log", workers=args.workers, extra_env=env
        ) as base:
            until = time.perf_counter() + args.seconds
            threads = [
                threading.Thread(target=SimulatedUser(base, email, log).run, args=(until,))
                for email in emails
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        latencies = [latency for latency, _, _ in log]
        statuses = Counter(status for _, status, _ in log)
        confirms = Counter(status for _, status, kind in log if kind == "visits")
        errors = sum(n for status, n in statuses.items() if status == 0 or status >= 500)
        print(f"users {len(emails)}, gunicorn workers {args.workers}, PostgreSQL, {elapsed:.0f} s")
        print(f"requests {len(log)} ({len(log) / elapsed:.0f}/s), statuses {dict(sorted(statuses.items()))}")
        print(
            f"confirm attempts {sum(confirms.values())}: confirmed (302) {confirms.get(302, 0)}, "
            f"'that slot was just taken' (409) {confirms.get(409, 0)}"
        )
        print(
            f"latency ms: p50 {percentile(latencies, 50) * 1000:.0f}, "
            f"p95 {percentile(latencies, 95) * 1000:.0f}, "
            f"p99 {percentile(latencies, 99) * 1000:.0f}, max {max(latencies) * 1000:.0f}"
        )
        print(f"error responses (5xx or no answer): {errors}")
        print(f"double bookings in the database: {double_bookings(url)}")
    finally:
        if pg_dir:
            subprocess.run([str(ROOT / "scripts/pg-server.sh"), "stop"], env=pg_env, check=False)


if __name__ == "__main__":
    main()
