"""The outcomes' scheduled job: the surveys due are made, mailed and reminded (exactly once each,
see surveys.py). It runs in the one scheduler process, every SURVEY_INTERVAL, in an app context
(for the signed links and the Korean texts)."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from webapp.core.clock import seoul_now, seoul_today
from webapp.core.db import session_scope
from webapp.outcomes.surveys import send_surveys

log = logging.getLogger(__name__)
SURVEY_JOB = "outcome-surveys"
SURVEY_INTERVAL = timedelta(minutes=15)


def run_surveys(app: Flask) -> dict[str, int]:
    with app.app_context(), app.test_request_context(base_url=app.config["PUBLIC_URL"]):
        with session_scope(app.extensions["engine"]) as session:
            counts = send_surveys(session, seoul_today())
    if any(counts.values()):
        log.info("Surveys: %(made)s made, %(sent)s sent, %(reminded)s reminded", counts)
    return counts


def register(scheduler: BaseScheduler, app: Flask) -> None:
    scheduler.add_job(
        run_surveys,
        "interval",
        args=[app],
        seconds=int(SURVEY_INTERVAL.total_seconds()),
        id=SURVEY_JOB,
        name="outcome surveys",
        next_run_time=seoul_now(),
    )
