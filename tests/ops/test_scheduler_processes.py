"""Real scheduler processes against one database."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from tests.support.processes import GRACEFUL_STOP_SECONDS
from webapp.core.clock import SEOUL
from webapp.matching.models import MatchingRun
from webapp.matching.schedule import update_settings
from webapp.ops.demo import load_demo_data
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")
FLASK = [sys.executable, "-m", "flask", "--app", "webapp"]


def _start_scheduler(db_url: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="test")
    return subprocess.Popen(
        [*FLASK, "scheduler", "run", "--poll-seconds", "1"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def test_exactly_once_with_two_scheduler_processes(engine, session, db_url, tmp_path):
    load_demo_data(session)
    for cohort in session.exec(select(Cohort)):  # visiting mode: the weekly run is matching's
        cohort.mode = "visiting"
        session.add(cohort)
    # The weekly time passed a minute ago (Seoul): both schedulers find it missed at start.
    missed = (datetime.now(SEOUL) - timedelta(minutes=1)).replace(second=0, microsecond=0)
    update_settings(session, weekday=missed.weekday(), at=missed.time())
    session.commit()

    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    processes = [_start_scheduler(db_url, log) for log in logs]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            texts = [log.read_text() for log in logs]
            if all("Scheduler started" in t for t in texts) and any("run 1 proposed" in t for t in texts):
                break
            assert all(p.poll() is None for p in processes), texts
            time.sleep(0.5)
        time.sleep(3)  # a few polls: neither may start another run
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=GRACEFUL_STOP_SECONDS)

    with Session(engine) as check:
        runs = check.exec(select(MatchingRun)).all()
    texts = [log.read_text() for log in logs]
    assert [(r.trigger, r.status) for r in runs] == [("weekly", "proposed")], texts
    assert runs[0].trigger_key == f"weekly:{missed:%Y-%m-%dT%H:%M}"
    losers = [t for t in texts if "run 1 proposed" not in t]
    assert len(losers) == 1
    assert "already in progress" in losers[0] or "already made" in losers[0], losers[0]
    assert all("Scheduler stopped" in t for t in texts), texts
