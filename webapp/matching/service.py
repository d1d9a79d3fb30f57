"""Matching runs: build the solver instance from the database, solve, store, review, approve.

The solver (matcher/) only sees plain data through the matching contract; this module is the
one place that translates between the database and that contract. Ids in the instance are
"c-<company id>" and "m-<mentor id>".

A run is written in two transactions: the first inserts the run row with status "running"
(a partial unique index allows only one such row, so two schedulers or a coordinator pressing
"Run now" at the same moment cannot solve twice); the second stores the result and its
proposed assignments all at once. A failure marks the run "failed" with its error and leaves no
assignment of it behind.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import matcher
from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import get_existing, id_of, is_sqlite_lock_conflict, serialize, session_scope
from webapp.core.runs import STALE_RUN_AFTER, owner_is_dead, run_owner
from webapp.directory.models import (
    IN_PROGRAM,
    Company,
    CompanyStatus,
    Mentor,
    MentorExclusion,
    MentorIndustry,
    Municipality,
)
from webapp.matching.models import (
    Assignment,
    AssignmentState,
    CompanyPin,
    MatchingRun,
    RunStatus,
    RunTrigger,
)
from webapp.matching.params import DEFAULT_PARAMS, instance_params
from webapp.visits.models import SlotState, VisitSlot

log = logging.getLogger(__name__)


class DiffKind(StrEnum):
    """How a company's mentor in a proposal compares with the assignment in force."""

    new = "new"
    changed = "changed"
    kept = "kept"
    ended = "ended"


class RunInProgress(RuntimeError):
    def __init__(self) -> None:
        super().__init__("a run is already in progress")


class RunAlreadyDone(RuntimeError):
    """A run for this trigger window exists already (exactly once per window)."""


class RunStateError(RuntimeError):
    """The run is not in a state that allows the action (e.g. approving a failed run)."""


class StaleReview(RunStateError):
    """Another run was approved after the page asking for this approval was opened."""


# --- building the instance --------------------------------------------------------------


PINNED_BY_VISITS = "pinned (confirmed visits)"  # matcher.explain's reason for any pinned company
PINNED_BY_COORDINATOR = "pinned by a coordinator"


@dataclass
class Pins:
    mentor_of: dict[int, int]  # company id -> mentor id
    by_coordinator: set[int]  # the companies pinned by a coordinator (not by confirmed visits)


def pins_now(session: Session) -> Pins:
    """The pinned companies and their mentors.

    Confirmed visits still to come pin a company to their mentor; a coordinator's pin
    (CompanyPin) holds while its mentor is active, and yields to confirmed visits with another
    mentor (those are never moved by matching)."""
    by_visits = dict(
        session.exec(
            select(VisitSlot.company_id, VisitSlot.mentor_id).where(
                VisitSlot.state == SlotState.confirmed.value, VisitSlot.ends_at >= utcnow()
            )
        ).all()
    )
    by_coordinator = dict(
        session.exec(
            select(CompanyPin.company_id, CompanyPin.mentor_id)
            .join(Mentor, col(Mentor.id) == col(CompanyPin.mentor_id))
            .where(col(Mentor.active))
        ).all()
    )
    return Pins({**by_coordinator, **by_visits}, set(by_coordinator) - set(by_visits))


def _current_mentors(session: Session) -> dict[int, int]:
    rows = session.exec(
        select(Assignment.company_id, Assignment.mentor_id).where(
            Assignment.state == AssignmentState.approved.value
        )
    ).all()
    return dict(rows)


def build_instance(session: Session, params: dict[str, int], pinned: Pins | None = None) -> dict:
    """The contract's instance for every company in the program and every active mentor.

    Companies with confirmed visits are pinned to their mentor. A pin must stay valid even if
    the mentor was since deactivated, lowered their capacity or dropped the industry, so for
    pinned pairs the instance keeps the mentor, raises the capacity to the pins and lists the
    industry (fit 1 when no longer declared): confirmed visits are never moved by matching.
    A coordinator's pins are given the same way.
    """
    pins = (pinned or pins_now(session)).mentor_of
    current = _current_mentors(session)
    municipality_names = dict(session.exec(select(Municipality.id, Municipality.name_en)).all())
    companies = session.exec(
        select(Company).where(col(Company.status).in_(IN_PROGRAM)).order_by(col(Company.id))
    ).all()
    company_ids = {c.id for c in companies}
    pins = {c: m for c, m in pins.items() if c in company_ids}
    pinned_mentors = set(pins.values())
    mentors = session.exec(
        select(Mentor)
        .where(sa.or_(col(Mentor.active), col(Mentor.id).in_(pinned_mentors)))
        .order_by(col(Mentor.id))
    ).all()
    fits: dict[int | None, dict[str, int]] = {}
    for row in session.exec(select(MentorIndustry)):
        fits.setdefault(row.mentor_id, {})[row.industry_code] = row.fit
    excluded: dict[int | None, list[str]] = {}
    for exclusion in session.exec(select(MentorExclusion)):
        if exclusion.company_id in company_ids and pins.get(exclusion.company_id) != exclusion.mentor_id:
            excluded.setdefault(exclusion.mentor_id, []).append(f"c-{exclusion.company_id}")
    pins_per_mentor: dict[int | None, int] = {}
    industry_of = {c.id: c.industry_code for c in companies}
    for company_id, mentor_id in pins.items():
        pins_per_mentor[mentor_id] = pins_per_mentor.get(mentor_id, 0) + 1
        fits.setdefault(mentor_id, {}).setdefault(industry_of[company_id], 1)

    return {
        "version": 1,
        "mentors": [
            {
                "id": f"m-{m.id}",
                "lat": m.lat,
                "lon": m.lon,
                "capacity": max(m.capacity if m.active else 0, pins_per_mentor.get(m.id, 0)),
                "industries": fits.get(m.id, {}),
                "exclude": excluded.get(m.id, []),
            }
            for m in mentors
            if fits.get(m.id)
        ],
        "companies": [
            {
                "id": f"c-{c.id}",
                "lat": c.lat,
                "lon": c.lon,
                "industry": c.industry_code,
                "priority": c.priority,
                "municipality": municipality_names.get(c.municipality_id),
                "pinned_mentor": f"m-{pins[c.id]}" if c.id in pins else None,
                **({"current_mentor": f"m-{current[c.id]}"} if c.id in current else {}),
            }
            for c in companies
        ],
        "params": instance_params(params),
    }


# --- running ---------------------------------------------------------------------------


def _mark_failed(run: MatchingRun, error: str) -> None:
    """Record a failure; the trigger key is released so that the next trigger can retry."""
    run.stats = {"trigger_key": run.trigger_key} if run.trigger_key else {}
    run.trigger_key = None
    run.status = RunStatus.failed.value
    run.error = error
    run.finished_at = utcnow()


def reclaim_interrupted_runs(session: Session) -> None:
    """Runs left "running" by a process that died (killed, machine restarted) are marked failed."""
    for run in session.exec(select(MatchingRun).where(MatchingRun.status == RunStatus.running.value)):
        stale = run.started_at and run.started_at < utcnow() - STALE_RUN_AFTER
        if stale or owner_is_dead(run.stats.get("owner", "")):
            _mark_failed(run, "interrupted: the process running it stopped before it finished")
            session.add(run)
            log.warning("Matching run %s was interrupted; marked failed", run.id)
    session.flush()


def start_run(
    engine: sa.Engine, *, trigger: str, params: dict, user_id: int | None, trigger_key: str | None
) -> int:
    """Insert the run row that holds the lock; raises RunInProgress if another run holds it.

    Raises RunAlreadyDone when a run with the same trigger key exists.
    """
    try:
        with session_scope(engine) as session:
            reclaim_interrupted_runs(session)
            if (
                trigger_key
                and session.exec(select(MatchingRun.id).where(MatchingRun.trigger_key == trigger_key)).first()
            ):
                raise RunAlreadyDone(f"a run for {trigger_key} was already made")
            run = MatchingRun(
                trigger=trigger,
                trigger_key=trigger_key,
                params=params,
                stats={"owner": run_owner()},
                status=RunStatus.running.value,
                started_at=utcnow(),
                created_by_id=user_id,
            )
            session.add(run)
            session.flush()
            audit(
                session,
                user_id,
                "run_started",
                Entity.matching_run,
                run.id,
                actor="" if user_id else trigger,
                params=params,
            )
            return id_of(run)
    except IntegrityError:
        raise RunInProgress() from None


def _store_result(session: Session, run: MatchingRun, result: dict, pinned_by_coordinator: set[int]) -> None:
    for row in result["assignments"]:
        company_id = parse_ref(row["company"])
        reasons = row["reasons"]
        if company_id in pinned_by_coordinator:
            reasons = [PINNED_BY_COORDINATOR if r == PINNED_BY_VISITS else r for r in reasons]
        session.add(
            Assignment(
                run_id=id_of(run),
                company_id=company_id,
                mentor_id=parse_ref(row["mentor"]),
                value=row["value"],
                distance_km=row["distance_km"],
                fit=row["fit"],
                reasons=reasons,
            )
        )
    run.solver_status = result["status"]
    run.objective = result["objective"]
    run.bound = result["bound"]
    run.stats = result.get("stats", {})
    run.unassigned = result["unassigned"]
    run.status = RunStatus.proposed.value
    run.finished_at = utcnow()
    # Only the newest proposal is up for review; older ones are superseded.
    for older in session.exec(
        select(MatchingRun).where(MatchingRun.status == RunStatus.proposed.value, MatchingRun.id != run.id)
    ):
        older.status = RunStatus.discarded.value
        older.error = f"superseded by run {run.id}"
        session.add(older)
    session.add(run)


def _fail(engine: sa.Engine, run_id: int, error: str) -> None:
    with session_scope(engine) as session:
        run = get_existing(session, MatchingRun, run_id)
        _mark_failed(run, error)
        session.add(run)
        audit(session, None, "run_failed", Entity.matching_run, run_id, actor="matching", error=error[:2000])


def run_matching(
    engine: sa.Engine,
    *,
    trigger: str = RunTrigger.manual,
    params: dict | None = None,
    user_id: int | None = None,
    trigger_key: str | None = None,
) -> MatchingRun:
    """Solve and store a proposed run (or a failed one); raises RunInProgress when locked out."""
    params = dict(DEFAULT_PARAMS if params is None else params)
    run_id = start_run(engine, trigger=trigger, params=params, user_id=user_id, trigger_key=trigger_key)
    return finish_run(engine, run_id, params, user_id=user_id, trigger=trigger)


def finish_run(
    engine: sa.Engine,
    run_id: int,
    params: dict,
    *,
    user_id: int | None = None,
    trigger: str = RunTrigger.manual,
) -> MatchingRun:
    """Solve a run that `start_run` opened and store its proposal (or mark it failed)."""
    try:
        with session_scope(engine) as session:
            pinned = pins_now(session)
            instance = build_instance(session, params, pinned)
            result = matcher.solve(instance, time_limit=params.get("time_limit"))
            run = get_existing(session, MatchingRun, run_id)
            _store_result(session, run, result, pinned.by_coordinator)
            audit(
                session,
                user_id,
                "run_proposed",
                Entity.matching_run,
                run_id,
                actor="" if user_id else trigger,
                assigned=len(result["assignments"]),
                unassigned=len(result["unassigned"]),
                objective=result["objective"],
            )
    except Exception as exc:  # any failure is recorded on the run, never half-written
        log.exception("Matching run %s failed", run_id)
        _fail(engine, run_id, f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=5)}")
    with Session(engine, expire_on_commit=False) as session:
        return get_existing(session, MatchingRun, run_id)


# --- review and approval ---------------------------------------------------------------


@dataclass
class DiffRow:
    company_id: int
    company_name: str
    kind: DiffKind
    old_mentor_id: int | None
    old_mentor_name: str | None
    new_mentor_id: int | None
    new_mentor_name: str | None
    reasons: list[str]


def assignments_in_force(session: Session):
    return session.exec(select(Assignment).where(Assignment.state == AssignmentState.approved.value))


def run_diff(session: Session, run: MatchingRun) -> list[DiffRow]:
    """How the run's proposal differs from the assignments in force."""
    proposed = {a.company_id: a for a in session.exec(select(Assignment).where(Assignment.run_id == run.id))}
    in_force = {a.company_id: a for a in assignments_in_force(session) if a.run_id != run.id}
    company_ids = set(proposed) | set(in_force)
    names = dict(session.exec(select(Company.id, Company.name).where(col(Company.id).in_(company_ids))).all())
    mentor_names = dict(session.exec(select(Mentor.id, Mentor.name)).all())
    rows = []
    for company_id in sorted(company_ids, key=lambda c: names.get(c, "")):
        new, old = proposed.get(company_id), in_force.get(company_id)
        if old is None:
            kind = DiffKind.new
        elif new is None:
            kind = DiffKind.ended
        else:
            kind = DiffKind.kept if new.mentor_id == old.mentor_id else DiffKind.changed
        rows.append(
            DiffRow(
                company_id=company_id,
                company_name=names.get(company_id, f"#{company_id}"),
                kind=kind,
                old_mentor_id=old.mentor_id if old else None,
                old_mentor_name=mentor_names.get(old.mentor_id) if old else None,
                new_mentor_id=new.mentor_id if new else None,
                new_mentor_name=mentor_names.get(new.mentor_id) if new else None,
                reasons=list(new.reasons) if new else [],
            )
        )
    return rows


def changes_existing_assignments(session: Session, run: MatchingRun) -> bool:
    """True when approving the run would change or end an assignment in force."""
    return any(row.kind in (DiffKind.changed, DiffKind.ended) for row in run_diff(session, run))


def in_force_basis(session: Session) -> int:
    """How many runs have been approved so far (approval is final, so this only grows).

    A confirmation page carries it: approving from a page opened before another run was
    approved is refused, instead of acting on a comparison that no longer holds.
    """
    return session.exec(
        select(sa.func.count())
        .select_from(MatchingRun)
        .where(col(MatchingRun.status) == RunStatus.approved.value)
    ).one()


def _claim(session: Session, run_id: int, status: RunStatus, **values: Any) -> None:
    """Move a proposed run to `status` by a conditional update: exactly one caller wins."""
    won = session.exec(
        sa.update(MatchingRun)
        .where(col(MatchingRun.id) == run_id, col(MatchingRun.status) == RunStatus.proposed.value)
        .values(status=status.value, **values)
    )
    if won.rowcount != 1:
        current = session.exec(select(col(MatchingRun.status)).where(col(MatchingRun.id) == run_id)).first()
        raise RunStateError(f"run {run_id} is {current}; only a proposed run can be {status.value}")


def approve_run(
    session: Session, run_id: int, user_id: int | None, actor: str = "", *, basis: int | None = None
) -> dict[str, int]:
    """Make the run's assignments the ones in force, set-based (no query per row).

    Use `decide` to call it: the run's status changes first, by a conditional update, so of two
    coordinators approving at once exactly one wins. A partial unique index allows one approved
    assignment per company, so two runs approved at once cannot both go into force. `basis`
    (see `in_force_basis`), when given, must still hold. Returns the counts it changed.
    """
    now = utcnow()
    serialize(session, "approve matching run")  # the basis check below sees any approval before
    _claim(session, run_id, RunStatus.approved, approved_by_id=user_id, approved_at=now)
    if basis is not None and in_force_basis(session) != basis + 1:
        raise StaleReview(f"another run was approved since run {run_id} was reviewed")
    counts = {
        "ended": session.exec(
            sa.update(Assignment)
            .where(col(Assignment.state) == AssignmentState.approved.value, col(Assignment.run_id) != run_id)
            .values(state=AssignmentState.ended.value, ended_at=now)
        ).rowcount,
        "approved": session.exec(
            sa.update(Assignment)
            .where(col(Assignment.run_id) == run_id)
            .values(state=AssignmentState.approved.value)
        ).rowcount,
        # An applicant with a mentor takes part now.
        "activated": session.exec(
            sa.update(Company)
            .where(
                col(Company.status) == CompanyStatus.applied.value,
                col(Company.id).in_(
                    select(col(Assignment.company_id)).where(col(Assignment.run_id) == run_id)
                ),
            )
            .values(status=CompanyStatus.active.value, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount,
    }
    audit(session, user_id, "run_approved", Entity.matching_run, run_id, actor=actor, **counts)
    return counts


def discard_run(session: Session, run_id: int, user_id: int | None, actor: str = "") -> dict[str, int]:
    _claim(session, run_id, RunStatus.discarded)
    audit(session, user_id, "run_discarded", Entity.matching_run, run_id, actor=actor)
    return {}


def decide(engine: sa.Engine, action, run_id: int, user_id: int | None, **options: Any) -> dict[str, int]:
    """Approve or discard (`action`) in a transaction of its own whose first statement is the
    conditional update of the run, so the loser of a race learns it at once.

    Raises RunStateError when the run is no longer proposed, another approval got there first,
    or the review is stale.
    """
    try:
        with session_scope(engine) as session:
            return action(session, run_id, user_id, **options)
    except IntegrityError:  # the one-approved-assignment-per-company index: another run won
        raise RunStateError(f"another run was approved at the same moment as run {run_id}") from None
    except sa.exc.OperationalError as exc:
        if is_sqlite_lock_conflict(exc):
            raise RunStateError(f"run {run_id} was changed by someone else at the same moment") from None
        raise


def parse_ref(ref: str) -> int:
    """The database id in an instance id such as "c-12" or "m-3"."""
    return int(ref.split("-", 1)[1])
