"""What the scheduler runs: the weekly matching and the run after new companies enter.

Each job is a plain function of an engine and the current time, so tests call it directly with
any clock. Exactly-once comes from the database: every scheduled run carries a trigger key
unique to its window ("weekly:2026-11-30T09:00", "new_companies:<hash of the companies>"), and
the partial unique index on running runs refuses a second concurrent run.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.core.clock import SEOUL
from webapp.core.db import get_existing, id_of, session_scope
from webapp.directory.models import IN_PROGRAM, Company
from webapp.matching.models import Assignment, MatchingRun, RunStatus, RunTrigger
from webapp.matching.params import validate_params
from webapp.matching.schedule import MISFIRE_GRACE, load_settings, previous_weekly_run
from webapp.matching.service import (
    RunAlreadyDone,
    RunInProgress,
    approve_run,
    changes_existing_assignments,
    parse_ref,
    run_matching,
)

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    status: str  # ran | in_progress | already_done
    message: str
    run_id: int | None = None


def weekly_key(fire_time: datetime) -> str:
    return f"weekly:{fire_time.astimezone(SEOUL):%Y-%m-%dT%H:%M}"


def new_companies_key(company_ids: set[int]) -> str:
    digest = hashlib.sha256(",".join(map(str, sorted(company_ids))).encode()).hexdigest()[:16]
    return f"new_companies:{digest}"


def _scheduled_run(engine: sa.Engine, trigger: str, key: str) -> Outcome:
    with session_scope(engine) as session:
        settings = load_settings(session)
        params, errors = validate_params(settings.params or {})
        auto_approve = settings.auto_approve
    if errors:
        log.warning("Ignoring invalid saved solver parameters %s", errors)
        params, _ = validate_params({})
    try:
        run = run_matching(engine, trigger=trigger, params=params, trigger_key=key)
    except RunInProgress as exc:
        log.info("%s: %s; doing nothing", key, exc)
        return Outcome("in_progress", str(exc))
    except RunAlreadyDone as exc:
        log.info("%s; doing nothing", exc)
        return Outcome("already_done", str(exc))
    if run.status == RunStatus.proposed.value and auto_approve:
        with session_scope(engine) as session:
            fresh = get_existing(session, MatchingRun, run.id)
            if not changes_existing_assignments(session, fresh):
                approve_run(session, fresh, user_id=None, actor="scheduler (auto-approve)")
    log.info("%s: run %s %s", key, run.id, run.status)
    return Outcome("ran", f"run {run.id} {run.status}", run.id)


def run_weekly(engine: sa.Engine, fire_time: datetime) -> Outcome:
    """The weekly run for the window starting at `fire_time` (its scheduled time)."""
    return _scheduled_run(engine, RunTrigger.weekly, weekly_key(fire_time))


def catch_up_weekly(engine: sa.Engine, now: datetime) -> Outcome | None:
    """Run the latest weekly window if it was missed by less than the grace time."""
    with Session(engine) as session:
        settings = load_settings(session)
        session.commit()
        if settings.paused:
            return None
        due = previous_weekly_run(settings, now)
        done = session.exec(select(MatchingRun.id).where(MatchingRun.trigger_key == weekly_key(due))).first()
    if done:
        log.info("Weekly run of %s was already made; nothing to catch up", due)
        return None
    if now - due > MISFIRE_GRACE:
        log.warning(
            "Weekly run of %s was missed by more than %s; waiting for the next one", due, MISFIRE_GRACE
        )
        return None
    log.warning("Weekly run of %s was missed; running it now", due)
    return run_weekly(engine, due)


def pending_new_companies(session: Session) -> set[int]:
    """Companies in the program that the latest completed run did not consider."""
    latest = session.exec(
        select(MatchingRun)
        .where(
            col(MatchingRun.status).in_(
                [RunStatus.proposed.value, RunStatus.approved.value, RunStatus.discarded.value]
            )
        )
        .order_by(col(MatchingRun.id).desc())
    ).first()
    in_program = {id_of(c) for c in session.exec(select(Company).where(col(Company.status).in_(IN_PROGRAM)))}
    if latest is None:
        return in_program
    seen = {a.company_id for a in session.exec(select(Assignment).where(Assignment.run_id == latest.id))}
    seen |= {parse_ref(row["company"]) for row in latest.unassigned}
    return in_program - seen


@dataclass
class NewCompanyDebounce:
    """Turns a stream of companies entering into one run once things are quiet.

    A run starts when the set of pending companies has not changed for `quiet`, or when the
    first of them has waited `max_wait`. A set whose run failed is not retried until it changes
    (or the weekly run picks it up).
    """

    quiet: timedelta = timedelta(minutes=3)
    max_wait: timedelta = timedelta(minutes=15)
    _pending: frozenset = frozenset()
    _changed_at: datetime | None = None
    _first_seen: datetime | None = None
    _failed: set = field(default_factory=set)

    def check(self, engine: sa.Engine, now: datetime) -> Outcome | None:
        with Session(engine) as session:
            pending = frozenset(pending_new_companies(session))
        if not pending:
            self._pending, self._changed_at, self._first_seen = frozenset(), None, None
            return None
        if pending != self._pending:
            self._pending, self._changed_at = pending, now
            self._first_seen = self._first_seen or now
        key = new_companies_key(set(pending))
        assert self._changed_at is not None and self._first_seen is not None
        due = now - self._changed_at >= self.quiet or now - self._first_seen >= self.max_wait
        if not due or key in self._failed:
            return None
        outcome = _scheduled_run(engine, RunTrigger.new_companies, key)
        if outcome.status == "ran" and "failed" in outcome.message:
            self._failed.add(key)
        if outcome.status != "in_progress":
            self._pending, self._changed_at, self._first_seen = frozenset(), None, None
        return outcome
