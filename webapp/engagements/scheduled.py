"""What the scheduler runs for resident-mode cohorts: the weekly replanning, the replanning once
new applicants entered, and the meetings of agreed and started engagements.

The cohort's mode chooses the jobs: a running resident cohort is replanned (its weekly window
replaces the weekly matching), a visiting cohort keeps today's matching. Exactly once: every
scheduled run carries a trigger key unique to its window ("planning:3:weekly:2026-11-30T09:00",
"planning:3:applicants:<hash>"), and the partial unique index on running runs refuses a second
concurrent one. Replans never move agreed or started engagements (they are pins) and keep
planned ones unless moving gains more than REPLAN_STABILITY; a replan is approved on its own
only when the coordinator turned auto-approve on and it changes nothing agreed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.core.clock import SEOUL
from webapp.core.db import get_existing, id_of, session_scope
from webapp.core.debounce import Debounce, Outcome
from webapp.directory.models import Company
from webapp.engagements.instance import APPLICANT_STATUSES
from webapp.engagements.models import PlanningRun, PlanStatus, PlanTrigger, ProposedEngagement
from webapp.engagements.review import changes_agreed, run_changes
from webapp.engagements.service import (
    DEFAULT_PARAMS,
    RunAlreadyDone,
    RunInProgress,
    approve_run,
    reclaim_interrupted_runs,
    run_planning,
)
from webapp.engagements.visits import offer_engagement_visits
from webapp.matching.schedule import MISFIRE_GRACE, load_settings
from webapp.programs.models import Cohort, CohortStatus, ProgramMode

log = logging.getLogger(__name__)

REPLAN_STABILITY = 500  # a planned engagement moves only for more than this (a few km or fit points)


def resident_cohorts(session: Session) -> list[Cohort]:
    """Running cohorts whose mentors work as resident teams: the planner plans them."""
    return list(
        session.exec(
            select(Cohort).where(
                col(Cohort.mode) == ProgramMode.resident.value,
                col(Cohort.status) == CohortStatus.running.value,
            )
        )
    )


def visiting_mode(session: Session) -> bool:
    """True unless a running cohort works in resident mode: then matching's weekly run is off."""
    return not resident_cohorts(session)


def _replan(engine: sa.Engine, cohort_id: int, trigger: str, key: str, today: date | None) -> Outcome:
    with session_scope(engine) as session:
        auto_approve = load_settings(session).auto_approve
    params = {**DEFAULT_PARAMS, "stability": REPLAN_STABILITY}
    try:
        run = run_planning(
            engine, cohort_id=cohort_id, trigger=trigger, params=params, trigger_key=key, today=today
        )
    except RunInProgress as exc:
        log.info("%s: %s; doing nothing", key, exc)
        return Outcome("in_progress", str(exc))
    except RunAlreadyDone as exc:
        log.info("%s; doing nothing", exc)
        return Outcome("already_done", str(exc))
    if run.status == PlanStatus.proposed.value and auto_approve:
        with session_scope(engine) as session:
            run = get_existing(session, PlanningRun, id_of(run))
            if not changes_agreed(run_changes(session, run)):
                approve_run(session, run, user_id=None, actor="scheduler (auto-approve)")
    log.info("%s: planning run %s %s", key, id_of(run), run.status)
    return Outcome("ran", f"planning run {id_of(run)} {run.status}", id_of(run))


def weekly_key(cohort_id: int, fire_time: datetime) -> str:
    return f"planning:{cohort_id}:weekly:{fire_time.astimezone(SEOUL):%Y-%m-%dT%H:%M}"


def run_weekly_planning(engine: sa.Engine, fire_time: datetime, today: date | None = None) -> list[Outcome]:
    """The weekly replanning of every running resident cohort, for the window at `fire_time`."""
    with Session(engine) as session:
        cohorts = [id_of(c) for c in resident_cohorts(session)]
    return [
        _replan(engine, cohort_id, PlanTrigger.weekly.value, weekly_key(cohort_id, fire_time), today)
        for cohort_id in cohorts
    ]


def pending_applicants(session: Session, cohort_id: int) -> set[int]:
    """Applicants of the cohort that its latest finished plan did not consider."""
    latest = session.exec(
        select(PlanningRun)
        .where(
            col(PlanningRun.cohort_id) == cohort_id,
            col(PlanningRun.scenario_id).is_(None),
            col(PlanningRun.status).in_(
                [PlanStatus.proposed.value, PlanStatus.approved.value, PlanStatus.discarded.value]
            ),
        )
        .order_by(col(PlanningRun.id).desc())
    ).first()
    applicants = set(
        session.exec(
            select(Company.id).where(
                col(Company.cohort_id) == cohort_id, col(Company.status).in_(APPLICANT_STATUSES)
            )
        )
    )
    if latest is None:
        return {a for a in applicants if a is not None}
    seen = set(
        session.exec(select(ProposedEngagement.company_id).where(col(ProposedEngagement.run_id) == latest.id))
    )
    seen |= {row["company_id"] for row in latest.unselected}
    return {a for a in applicants - seen if a is not None}


class NewApplicantDebounce(Debounce):
    """One replanning of a resident cohort once new applicants have entered it."""

    def pending(self, engine: sa.Engine) -> frozenset:
        with Session(engine) as session:
            return frozenset(
                (id_of(cohort), company_id)
                for cohort in resident_cohorts(session)
                for company_id in pending_applicants(session, id_of(cohort))
            )

    def key(self, pending: frozenset) -> str:
        digest = hashlib.sha256(",".join(f"{c}:{a}" for c, a in sorted(pending)).encode()).hexdigest()[:16]
        return f"planning:applicants:{digest}"

    def fire(self, engine: sa.Engine, key: str) -> Outcome:
        outcomes = [
            _replan(engine, cohort_id, PlanTrigger.new_companies.value, f"{key}:{cohort_id}", None)
            for cohort_id in sorted({c for c, _ in self._pending})
        ]
        ran = [o for o in outcomes if o.status == "ran"]
        return ran[0] if ran else outcomes[0]


def catch_up_weekly_planning(engine: sa.Engine, due: datetime, now: datetime) -> list[Outcome]:
    """Replan the latest weekly window if it was missed by less than the grace time."""
    if now - due > MISFIRE_GRACE:
        return []
    with Session(engine) as session:
        missed = [
            id_of(c)
            for c in resident_cohorts(session)
            if not session.exec(
                select(PlanningRun.id).where(col(PlanningRun.trigger_key) == weekly_key(id_of(c), due))
            ).first()
        ]
    return [
        _replan(engine, cohort_id, PlanTrigger.weekly.value, weekly_key(cohort_id, due), None)
        for cohort_id in missed
    ]


@dataclass
class ResidentJobs:
    """The scheduler process's hooks for resident cohorts (webapp/ops/scheduler.py calls them)."""

    debounce: NewApplicantDebounce = field(default_factory=NewApplicantDebounce)

    def start(self, engine: sa.Engine, due: datetime, now: datetime) -> None:
        with session_scope(engine) as session:
            reclaim_interrupted_runs(session)
        catch_up_weekly_planning(engine, due, now)

    def weekly(self, engine: sa.Engine, due: datetime) -> None:
        run_weekly_planning(engine, due)

    def watch(self, engine: sa.Engine, now: datetime, paused: bool) -> None:
        offer_engagement_visits(engine, now.astimezone(SEOUL).date(), now)
        if not paused:
            self.debounce.check(engine, now)
