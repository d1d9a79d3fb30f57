"""What a proposal changes against the plan in force: new, moved, team changed, dropped, kept."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from webapp.core.db import id_of
from webapp.engagements.instance import live_engagements, teams
from webapp.engagements.models import Engagement, EngagementState, PlanningRun, ProposedEngagement

KINDS = ("new", "moved", "team", "moved_team", "dropped", "kept")
CHANGING = ("moved", "team", "moved_team", "dropped")  # what changes an engagement in force


@dataclass
class Change:
    company_id: int
    kind: str  # one of KINDS
    state: str | None  # the state of the engagement in force (None when new)
    old_start: int | None
    old_weeks: int | None
    old_team: list[int]
    new_start: int | None
    new_weeks: int | None
    new_team: list[str]  # instance refs ("m-3"), lead first
    reasons: list[str]


def team_ids(refs: list[str]) -> list[int]:
    return [int(ref.split("-", 1)[1]) for ref in refs if ref.startswith("m-")]


def in_force_as_proposals(session: Session, cohort_id: int) -> list[ProposedEngagement]:
    """The plan in force in the shape of a proposal (unsaved rows), for figures and charts."""
    live = live_engagements(session, cohort_id)
    members = teams(session, [id_of(e) for e in live])
    return [
        ProposedEngagement(
            run_id=0,
            company_id=e.company_id,
            start_week=e.start_week,
            weeks=e.weeks,
            mentors=[f"m-{m}" for m in members.get(id_of(e), [])],
            value=e.value,
            reasons=list(e.reasons or []),
            pinned=e.state != EngagementState.planned.value,
        )
        for e in live
    ]


def proposals(session: Session, run: PlanningRun) -> list[ProposedEngagement]:
    return list(
        session.exec(
            select(ProposedEngagement)
            .where(col(ProposedEngagement.run_id) == id_of(run))
            .order_by(col(ProposedEngagement.start_week), col(ProposedEngagement.company_id))
        )
    )


def run_changes(session: Session, run: PlanningRun) -> list[Change]:
    """Every company of the proposal or of the plan in force, with what approving would do."""
    live: dict[int, Engagement] = {e.company_id: e for e in live_engagements(session, run.cohort_id)}
    members = teams(session, [id_of(e) for e in live.values()])
    proposed = {p.company_id: p for p in proposals(session, run)}
    out = []
    for company_id in sorted(set(live) | set(proposed)):
        old, new = live.get(company_id), proposed.get(company_id)
        old_team = members.get(id_of(old), []) if old else []
        if old is None:
            kind = "new"
        elif new is None:
            kind = "dropped"
        else:
            moved = (old.start_week, old.weeks) != (new.start_week, new.weeks)
            team = sorted(old_team) != sorted(team_ids(new.mentors))
            kind = {(True, True): "moved_team", (True, False): "moved", (False, True): "team"}.get(
                (moved, team), "kept"
            )
        out.append(
            Change(
                company_id=company_id,
                kind=kind,
                state=old.state if old else None,
                old_start=old.start_week if old else None,
                old_weeks=old.weeks if old else None,
                old_team=old_team,
                new_start=new.start_week if new else None,
                new_weeks=new.weeks if new else None,
                new_team=list(new.mentors) if new else [],
                reasons=list(new.reasons) if new else [],
            )
        )
    return out


def changes_agreed(changes: list[Change]) -> bool:
    """True when approving would change anything but planned engagements (never expected:
    pins are kept exactly; the scheduler checks it before approving on its own)."""
    return any(c.kind in CHANGING and c.state not in (None, EngagementState.planned.value) for c in changes)


def changes_anything_in_force(changes: list[Change]) -> bool:
    return any(c.kind in CHANGING for c in changes)
