"""Faults on one machine: a scheduler killed mid-run, a database server restarted mid-use."""

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.support.live_server import free_port, serve
from tests.support.processes import GRACEFUL_STOP_SECONDS
from webapp.core.clock import SEOUL
from webapp.core.db import make_engine, session_scope
from webapp.directory.reference_data import seed_reference_data
from webapp.engagements.scheduled import resident_cohorts
from webapp.matching.models import Assignment, MatchingRun
from webapp.matching.schedule import update_settings
from webapp.ops.demo import load_demo_data
from webapp.ops.migrate import upgrade
from webapp.programs.models import CohortStatus

BACKENDS = ("postgres",)
ROOT = Path(__file__).resolve().parents[2]


def _scheduler(db_url: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="test")
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp", "scheduler", "run", "--poll-seconds", "1"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition, seconds=60, what="condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _runs(engine):
    with Session(engine) as session:
        return session.exec(select(MatchingRun).order_by(MatchingRun.id)).all()


def test_scheduler_killed_mid_run_leaves_no_half_written_run_and_next_start_carries_on(
    engine, session, db_url, tmp_path
):
    load_demo_data(session)
    for cohort in resident_cohorts(session):  # visiting mentors only: the weekly matching runs
        cohort.status = CohortStatus.closed.value
        session.add(cohort)
    missed = (datetime.now(SEOUL) - timedelta(minutes=1)).replace(second=0, microsecond=0)
    update_settings(session, weekday=missed.weekday(), at=missed.time())
    session.commit()

    # Hold the assignment table so that the run stops in the middle, then kill its process.
    blocker = engine.connect()
    blocker.exec_driver_sql("LOCK TABLE assignment IN ACCESS EXCLUSIVE MODE")
    first = _scheduler(db_url, tmp_path / "first.log")
    try:
        _wait_for(lambda: [r.status for r in _runs(engine)] == ["running"], what="the run to start")
        time.sleep(1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        blocker.rollback()
        blocker.close()
    (interrupted,) = _runs(engine)
    assert interrupted.status == "running"
    with Session(engine) as check:
        assert check.exec(select(Assignment).where(Assignment.run_id == interrupted.id)).all() == []

    second = _scheduler(db_url, tmp_path / "second.log")
    try:
        _wait_for(lambda: any(r.status == "proposed" for r in _runs(engine)), what="the retried run")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=GRACEFUL_STOP_SECONDS)
    runs = _runs(engine)
    assert [r.status for r in runs] == ["failed", "proposed"]
    assert "interrupted" in runs[0].error
    assert runs[1].trigger_key == f"weekly:{missed:%Y-%m-%dT%H:%M}"
    with Session(engine) as check:
        assert check.exec(select(Assignment).where(Assignment.run_id == runs[1].id)).first() is not None


@pytest.fixture
def own_pg_server():
    """A PostgreSQL server of this test's own, so that restarting it disturbs no other test."""
    parent = tempfile.mkdtemp(prefix="mentoring-pg-fault-")
    os.chmod(parent, 0o755)
    env = dict(os.environ, PG_DIR=f"{parent}/data", PG_PORT=str(free_port()))

    def control(action: str) -> str:
        return subprocess.run(
            [str(ROOT / "scripts" / "pg-server.sh"), action],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    url = control("start")
    yield url, control
    control("stop")
    shutil.rmtree(parent, ignore_errors=True)


def _get(opener, url: str) -> int:
    try:
        return opener.open(url, timeout=20).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_database_restart_mid_use_the_app_recovers_without_restart(own_pg_server, tmp_path):
    url, control = own_pg_server
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as s:
        seed_reference_data(s)
        load_demo_data(s)
    engine.dispose()
    with serve(url, tmp_path / "server.log", workers=2) as base:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        opener.open(
            f"{base}/login",
            data=urllib.parse.urlencode(
                {"csrf_token": token, "email": "coordinator@demo.jbsf.kr", "password": "coordinator-2026"}
            ).encode(),
        )
        assert _get(opener, f"{base}/coordinator/companies") == 200

        control("stop")
        down = [_get(opener, f"{base}/coordinator/companies") for _ in range(3)]
        assert down == [503, 503, 503]

        control("start")
        assert [_get(opener, f"{base}/coordinator/companies") for _ in range(4)] == [200] * 4
