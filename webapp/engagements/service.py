"""Planning runs: build the instance, solve in the background with progress, store the
proposal, approve it into Engagement rows (or discard it).

A run is written in two transactions, as matching runs are: the first inserts the run with
status "running" (a partial unique index allows one running run per lock, "cohort:<id>" or
"scenario:<id>", so two schedulers or two coordinators cannot solve the same plan twice); the
second stores the proposal at once. While the planner searches, its progress callback writes the
best objective so far, the bound and the elapsed time onto the run (throttled), which the review
page shows. A failure marks the run failed with its error and leaves no proposal behind.

Approving is one transaction guarded by a conditional update of the run's status (`UPDATE ...
WHERE status = 'proposed'`): of two coordinators approving at once exactly one wins, and the
one-live-engagement index refuses a second live engagement of a company.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import traceback
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import matcher
import matcher.planning
from webapp.core.audit import Entity, audit
from webapp.core.clock import seoul_today, utcnow
from webapp.core.db import get_existing, id_of, serialize, session_scope
from webapp.core.inputs import whole_number_params
from webapp.core.runs import STALE_RUN_AFTER, owner_is_dead, run_owner
from webapp.directory.models import Company, CompanyStatus
from webapp.engagements.figures import summary
from webapp.engagements.instance import (
    PlanSettings,
    build_instance,
    live_engagements,
    mentor_pool,
    parse_ref,
    teams,
)
from webapp.engagements.models import (
    Engagement,
    EngagementMember,
    EngagementState,
    PlanningRun,
    PlanStatus,
    PlanTrigger,
    ProposedEngagement,
    Scenario,
    TeamRole,
)
from webapp.engagements.weeks import week_end, week_start
from webapp.programs.models import Cohort

log = logging.getLogger(__name__)

PARAM_LIMITS: dict[str, tuple[int, int]] = {
    "time_limit": (1, 600),
    "stability": (0, 100_000),
}
DEFAULT_PARAMS = {"time_limit": 30}
PROGRESS_EVERY_S = 0.5  # the planner may report often; the run row is written at most this often


class RunInProgress(RuntimeError):
    def __init__(self) -> None:
        super().__init__("a planning run of this plan is already in progress")


class RunAlreadyDone(RuntimeError):
    """A run for this trigger window exists already (exactly once per window)."""


class RunStateError(RuntimeError):
    """The run is not in a state that allows the action (e.g. approving a failed run)."""


def validate_params(raw: dict[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
    """Cleaned planning parameters and per-field errors; empty values mean "not set"."""
    return whole_number_params(raw, PARAM_LIMITS, DEFAULT_PARAMS)


def lock_of(cohort_id: int, scenario_id: int | None) -> str:
    return f"scenario:{scenario_id}" if scenario_id else f"cohort:{cohort_id}"


# --- running -----------------------------------------------------------------------------


def _mark_failed(run: PlanningRun, error: str) -> None:
    """Record a failure; the trigger key is released so that the next trigger can retry."""
    run.stats = {"trigger_key": run.trigger_key} if run.trigger_key else {}
    run.trigger_key = None
    run.status = PlanStatus.failed.value
    run.error = error
    run.finished_at = utcnow()


def reclaim_interrupted_runs(session: Session) -> None:
    """Runs left "running" by a process that died are marked failed."""
    for run in session.exec(select(PlanningRun).where(col(PlanningRun.status) == PlanStatus.running.value)):
        stale = run.started_at and run.started_at < utcnow() - STALE_RUN_AFTER
        if stale or owner_is_dead(run.stats.get("owner", "")):
            _mark_failed(run, "interrupted: the process running it stopped before it finished")
            session.add(run)
            log.warning("Planning run %s was interrupted; marked failed", id_of(run))
    session.flush()


def start_run(
    engine: sa.Engine,
    *,
    cohort_id: int,
    scenario_id: int | None = None,
    trigger: str = PlanTrigger.manual.value,
    params: dict,
    user_id: int | None,
    trigger_key: str | None = None,
) -> int:
    """Insert the run row that holds the plan's lock; raises RunInProgress or RunAlreadyDone."""
    try:
        with session_scope(engine) as session:
            reclaim_interrupted_runs(session)
            if (
                trigger_key
                and session.exec(
                    select(PlanningRun.id).where(col(PlanningRun.trigger_key) == trigger_key)
                ).first()
            ):
                raise RunAlreadyDone(f"a planning run for {trigger_key} was already made")
            run = PlanningRun(
                cohort_id=cohort_id,
                scenario_id=scenario_id,
                trigger=trigger,
                trigger_key=trigger_key,
                lock=lock_of(cohort_id, scenario_id),
                params=params,
                stats={"owner": run_owner()},
                status=PlanStatus.running.value,
                started_at=utcnow(),
                created_by_id=user_id,
            )
            session.add(run)
            session.flush()
            audit(
                session,
                user_id,
                "planning_run_started",
                Entity.planning_run,
                id_of(run),
                actor="" if user_id else trigger,
                params=params,
                scenario_id=scenario_id,
            )
            return id_of(run)
    except IntegrityError:
        raise RunInProgress() from None


def _progress_writer(engine: sa.Engine, run_id: int) -> Callable[[dict[str, Any]], None]:
    """The planner's progress callback: writes {"objective", "bound", "elapsed"} on the run."""
    last = [0.0]
    table = PlanningRun.__table__  # type: ignore[attr-defined]

    def report(figures: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S:
            return
        last[0] = now
        try:
            with engine.begin() as connection:
                connection.execute(
                    table.update()
                    .where(table.c.id == run_id, table.c.status == PlanStatus.running.value)
                    .values(progress=dict(figures))
                )
        except sa.exc.OperationalError:  # a busy database only delays the next report
            log.debug("progress of planning run %s not written", run_id)

    return report


def settings_for(session: Session, run: PlanningRun) -> tuple[Cohort, PlanSettings]:
    cohort = get_existing(session, Cohort, run.cohort_id)
    if run.scenario_id is None:
        return cohort, PlanSettings.of_cohort(session, cohort)
    return cohort, PlanSettings.of_scenario(session, cohort, get_existing(session, Scenario, run.scenario_id))


def finish_run(
    engine: sa.Engine,
    run_id: int,
    *,
    user_id: int | None = None,
    today: date | None = None,
    solve: Callable[..., dict] | None = None,
) -> PlanningRun:
    """Solve a run that `start_run` opened and store its proposal (or mark it failed)."""
    today = today or seoul_today()
    try:
        with session_scope(engine) as session:
            run = get_existing(session, PlanningRun, run_id)
            params = dict(run.params)
            cohort, settings = settings_for(session, run)
            if "mentor_count" in params:
                settings = resize_pool(session, settings, params["mentor_count"])
            built = build_instance(session, cohort, settings, today=today, stability=params.get("stability"))
        result = (solve or matcher.planning.plan)(
            built.instance,
            time_limit=params.get("time_limit"),
            progress=_progress_writer(engine, run_id),
        )
        with session_scope(engine) as session:
            run = get_existing(session, PlanningRun, run_id)
            _store_result(session, run, result, built.left_out, built.instance)
            audit(
                session,
                user_id,
                "planning_run_finished",
                Entity.planning_run,
                run_id,
                actor="" if user_id else run.trigger,
                status=run.status,
                engagements=len(result["engagements"]),
                objective=result["objective"],
            )
    except Exception as exc:  # any failure is recorded on the run, never half-written
        log.exception("Planning run %s failed", run_id)
        with session_scope(engine) as session:
            run = get_existing(session, PlanningRun, run_id)
            _mark_failed(run, f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=5)}")
            session.add(run)
    with Session(engine, expire_on_commit=False) as session:
        return get_existing(session, PlanningRun, run_id)


def resize_pool(session: Session, settings: PlanSettings, count: int) -> PlanSettings:
    """The plan's mentor pool cut or grown to `count` mentors (a point of a sweep): the first
    mentors of the pool are kept; more are copies of its mentors (same home, skills, industries)."""
    pool = mentor_pool(session, settings)
    keep = pool[:count]
    copies = [dict(pool[i % len(pool)], mentor_id=None) for i in range(count - len(keep))] if pool else []
    dropped = {m["mentor_id"] for m in pool[count:] if m["mentor_id"]}
    return dataclasses.replace(
        settings,
        removed_mentor_ids=settings.removed_mentor_ids | dropped,
        added_mentors=[m for m in keep if not m["mentor_id"]] + copies,
    )


def _store_result(
    session: Session, run: PlanningRun, result: dict, left_out: list[dict], instance: dict
) -> None:
    unselected = [
        {"company_id": parse_ref(u["company"]), "reason": u["reason"]} for u in result["unselected"]
    ]
    unselected.extend(left_out)
    run.solver_status = result["status"]
    run.objective = result["objective"]
    run.bound = result["bound"]
    run.stats = result.get("stats", {})
    run.progress = {
        "objective": result["objective"],
        "bound": result["bound"],
        "elapsed": result.get("stats", {}).get("wall_s"),
    }
    run.finished_at = utcnow()
    if result["status"] == "INFEASIBLE":
        _mark_failed(run, f"INFEASIBLE: {result.get('stats', {}).get('reason', '')}")
        run.stats = result.get("stats", {})
        run.unselected = unselected
        session.add(run)
        return
    pinned = {c["id"] for c in instance["companies"] if c.get("pinned")}
    rows = []
    for e in result["engagements"]:
        row = ProposedEngagement(
            run_id=id_of(run),
            company_id=parse_ref(e["company"]),
            start_week=e["start_week"],
            weeks=e["end_week"] - e["start_week"],
            mentors=list(e["mentors"]),
            value=e["value"],
            reasons=e["reasons"],
            pinned=e["company"] in pinned,
        )
        rows.append(row)
        session.add(row)
    run.unselected = unselected
    run.summary = summary(session, run.cohort_id, rows, instance)
    run.status = PlanStatus.solved.value if run.scenario_id else PlanStatus.proposed.value
    if run.scenario_id is None:  # only the newest proposal of a cohort is up for review
        for older in session.exec(
            select(PlanningRun).where(
                col(PlanningRun.status) == PlanStatus.proposed.value,
                col(PlanningRun.cohort_id) == run.cohort_id,
                col(PlanningRun.scenario_id).is_(None),
                col(PlanningRun.id) != id_of(run),
            )
        ):
            older.status = PlanStatus.discarded.value
            older.error = f"superseded by run {id_of(run)}"
            session.add(older)
    session.add(run)


def run_planning(
    engine: sa.Engine,
    *,
    cohort_id: int,
    scenario_id: int | None = None,
    trigger: str = PlanTrigger.manual.value,
    params: dict | None = None,
    user_id: int | None = None,
    trigger_key: str | None = None,
    today: date | None = None,
) -> PlanningRun:
    """Start, solve and store a run in this thread; raises RunInProgress when locked out."""
    params = dict(DEFAULT_PARAMS if params is None else params)
    run_id = start_run(
        engine,
        cohort_id=cohort_id,
        scenario_id=scenario_id,
        trigger=trigger,
        params=params,
        user_id=user_id,
        trigger_key=trigger_key,
    )
    return finish_run(engine, run_id, user_id=user_id, today=today)


# --- approval ----------------------------------------------------------------------------


def _claim(session: Session, run: PlanningRun, to: PlanStatus, action: str) -> None:
    """Move a proposed cohort run to `to`, or raise: the database decides between racers."""
    table = PlanningRun.__table__  # type: ignore[attr-defined]
    claimed = (
        session.connection()
        .execute(
            table.update()
            .where(
                table.c.id == id_of(run),
                table.c.status == PlanStatus.proposed.value,
                table.c.scenario_id.is_(None),
            )
            .values(status=to.value)
        )
        .rowcount
    )
    if claimed != 1:
        session.refresh(run)
        raise RunStateError(f"run {id_of(run)} is {run.status}; only a proposed run can be {action}")
    session.refresh(run)


def approve_run(session: Session, run: PlanningRun, user_id: int | None, actor: str = "") -> None:
    """Make the run's proposal the plan in force; the caller commits.

    Agreed, started and completed engagements are never touched (the proposal keeps them as
    pins). Planned engagements are moved or re-teamed in place (their visits and history stay),
    new ones are inserted as planned, and planned ones the proposal drops are cancelled.
    """
    # One approval of a cohort at a time: the second then reads the plan the first put in force
    # and replaces it whole (its proposal is a complete plan), never a mix of the two.
    serialize(session, f"approve planning run of cohort {run.cohort_id}")
    _claim(session, run, PlanStatus.approved, "approved")
    cohort = get_existing(session, Cohort, run.cohort_id)
    now = utcnow()
    live = {e.company_id: e for e in live_engagements(session, run.cohort_id)}
    proposals = list(
        session.exec(select(ProposedEngagement).where(col(ProposedEngagement.run_id) == id_of(run)))
    )
    planned_teams = teams(
        session, [id_of(e) for e in live.values() if e.state == EngagementState.planned.value]
    )
    companies = {
        id_of(c): c
        for c in session.exec(select(Company).where(col(Company.id).in_([p.company_id for p in proposals])))
    }
    proposed_companies = set()
    for p in proposals:
        proposed_companies.add(p.company_id)
        existing = live.get(p.company_id)
        if existing is not None and existing.state != EngagementState.planned.value:
            continue  # pinned: agreed, on site or completed
        first, last = (
            week_start(cohort.first_monday, p.start_week),
            week_end(cohort.first_monday, p.start_week + p.weeks - 1),
        )
        engagement = existing or Engagement(
            cohort_id=run.cohort_id,
            company_id=p.company_id,
            start_week=p.start_week,
            weeks=p.weeks,
            start_date=first,
            end_date=last,
        )
        engagement.start_week = p.start_week
        engagement.weeks = p.weeks
        engagement.start_date, engagement.end_date = first, last
        engagement.value = p.value
        engagement.reasons = list(p.reasons)
        if existing is None:
            engagement.state_changed_at = now
            engagement.state_changed_by_id = user_id
        session.add(engagement)
        if existing is None:
            session.flush()  # its id, for its team
        team = [parse_ref(ref) for ref in p.mentors]
        if planned_teams.get(id_of(engagement)) != team:
            _set_team(session, id_of(engagement), team)
        company = companies[p.company_id]
        if company.status == CompanyStatus.applied.value:
            company.status = CompanyStatus.active.value
            company.updated_at = now
            session.add(company)
    for company_id, e in live.items():
        if company_id not in proposed_companies and e.state == EngagementState.planned.value:
            e.state = EngagementState.cancelled.value
            e.cancel_reason = f"dropped by planning run {id_of(run)}"
            e.state_changed_at = now
            e.state_changed_by_id = user_id
            session.add(e)
    run.approved_by_id = user_id
    run.approved_at = now
    session.add(run)
    audit(
        session,
        user_id,
        "planning_run_approved",
        Entity.planning_run,
        id_of(run),
        actor=actor,
        engagements=len(proposals),
    )
    session.flush()


def _set_team(session: Session, engagement_id: int, mentor_ids: list[int]) -> None:
    session.execute(sa.delete(EngagementMember).where(col(EngagementMember.engagement_id) == engagement_id))
    for i, mentor_id in enumerate(mentor_ids):
        role = TeamRole.lead if i == 0 else TeamRole.member
        session.add(EngagementMember(engagement_id=engagement_id, mentor_id=mentor_id, role=role.value))


def discard_run(session: Session, run: PlanningRun, user_id: int | None) -> None:
    _claim(session, run, PlanStatus.discarded, "discarded")
    audit(session, user_id, "planning_run_discarded", Entity.planning_run, id_of(run))
    session.flush()
