"""The scheduler process: APScheduler 3.x firing the weekly run, watching for new companies,
offering visit slots to newly matched companies and sending the emails waiting in the outbox.

Start it with `flask --app webapp scheduler run` (make run does), exactly one per deployment,
never inside web workers or under the reloader. It re-reads the coordinator's settings every
poll, so a change of weekly time or a pause made in the web app takes effect within a poll.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlmodel import Session

from webapp.core.clock import SEOUL, seoul_now, utcnow
from webapp.core.db import session_scope
from webapp.core.notifications import send_pending
from webapp.engagements.scheduled import ResidentJobs, visiting_mode
from webapp.matching.schedule import (
    MISFIRE_GRACE,
    load_settings,
    previous_weekly_run,
    weekly_trigger,
)
from webapp.matching.scheduled import NewCompanyDebounce, catch_up_weekly, run_weekly
from webapp.matching.service import reclaim_interrupted_runs
from webapp.programs.scheduled import replan_inspections
from webapp.visits.planning import VisitPolicy, offer_visits
from webapp.visits.reminders import send_reminders

log = logging.getLogger(__name__)

WEEKLY_JOB = "weekly-matching"
WATCH_JOB = "watch"


class SchedulerService:
    def __init__(
        self,
        engine: sa.Engine,
        *,
        poll_seconds: float = 30,
        debounce: NewCompanyDebounce | None = None,
        clock: Callable[[], datetime] = utcnow,
        visit_policy: VisitPolicy | None = None,
        app: Flask | None = None,
    ):
        self.engine = engine
        self.app = app  # for the jobs that need the app's configuration (programs)
        self.visit_policy = visit_policy or VisitPolicy()
        self.poll_seconds = poll_seconds
        self.debounce = debounce or NewCompanyDebounce()
        self.resident = ResidentJobs()  # replanning and meetings of resident-mode cohorts
        self.clock = clock
        self.scheduler = BlockingScheduler(
            timezone=SEOUL,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
            },
        )
        self.scheduler.add_listener(self._on_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
        self._applied: tuple | None = None

    def _on_event(self, event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning("Job %s missed its run time %s", event.job_id, event.scheduled_run_time)
        else:
            log.error("Job %s failed: %r", event.job_id, event.exception)

    def _weekly(self) -> None:
        # The window is the scheduled time, not "now": a late (coalesced) firing keeps its key.
        with Session(self.engine) as session:
            due = previous_weekly_run(load_settings(session), self.clock())
            session.commit()
            matching = visiting_mode(session)
        if matching:
            run_weekly(self.engine, due)
        self.resident.weekly(self.engine, due)

    def sync_settings(self) -> None:
        """Apply the coordinator's settings (time, pause) if they changed since last applied."""
        with Session(self.engine) as session:
            settings = load_settings(session)
            session.commit()
            wanted = (settings.weekly_weekday, settings.weekly_time, settings.paused)
            trigger = weekly_trigger(settings)
        if wanted == self._applied:
            return
        if self.scheduler.get_job(WEEKLY_JOB) is None:
            self.scheduler.add_job(self._weekly, trigger, id=WEEKLY_JOB, name="weekly matching")
        else:
            self.scheduler.reschedule_job(WEEKLY_JOB, trigger=trigger)
        if wanted[2]:
            self.scheduler.pause_job(WEEKLY_JOB)
        log.info("Weekly matching: %s %s (Asia/Seoul)%s", trigger, wanted[1], ", paused" if wanted[2] else "")
        self._applied = wanted

    def _watch(self) -> None:
        offer_visits(self.engine, self.visit_policy)
        if self.app is not None:
            replan_inspections(self.app)
        send_reminders(self.engine, self.clock())
        send_pending(self.engine)
        self.sync_settings()
        with Session(self.engine) as session:
            paused, matching = load_settings(session).paused, visiting_mode(session)
        if not paused and matching:
            self.debounce.check(self.engine, self.clock())
        self.resident.watch(self.engine, self.clock(), paused)

    def start(self) -> None:
        """Reclaim runs of a killed predecessor, catch up a missed weekly run, then block firing
        jobs until SIGTERM/SIGINT."""
        with session_scope(self.engine) as session:
            reclaim_interrupted_runs(session)
        self.sync_settings()
        with Session(self.engine) as session:
            due, matching = previous_weekly_run(load_settings(session), self.clock()), visiting_mode(session)
            session.commit()
        if matching:
            catch_up_weekly(self.engine, self.clock())
        self.resident.start(self.engine, due, self.clock())
        self.scheduler.add_job(
            self._watch,
            "interval",
            seconds=self.poll_seconds,
            id=WATCH_JOB,
            name="settings and new companies",
            next_run_time=seoul_now(),
        )
        signal.signal(signal.SIGTERM, lambda *_: self.scheduler.shutdown(wait=False))
        log.info("Scheduler started")
        try:
            self.scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        log.info("Scheduler stopped")
