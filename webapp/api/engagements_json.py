"""The engagements' rows as the JSON objects webapp.api.engagements_doc describes: what the
planning pages, the mentor's year and the company's engagement show, in the API's terms.

Weeks are given both ways, as the pages do: week indexes of the program year (`start_week` ..
`end_week`, inclusive) and dates (`start_date`, the Monday of the first week, .. `end_date`, the
Sunday of the last). A team is listed lead first. The planner's reasons stay in its English (the
pages translate them). Pages of engagements and plans are read in a handful of queries whatever
their length.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from webapp.accounts.models import User
from webapp.api.serialize import iso
from webapp.core.db import get_existing, id_of
from webapp.directory.models import Company, Mentor
from webapp.engagements.instance import PlanSettings, teams
from webapp.engagements.models import (
    Engagement,
    EngagementMember,
    PlanningRun,
    PlanStatus,
    ProposedEngagement,
    Scenario,
    TeamRole,
)
from webapp.engagements.review import Change, proposals, run_changes
from webapp.engagements.scenarios import latest_solve, scenario_runs, sweep_points
from webapp.engagements.views import in_force
from webapp.engagements.weeks import week_end, week_start
from webapp.programs.models import Cohort, CohortTrack
from webapp.visits.models import VisitSlot

RECENT_RUNS = 20  # a scenario's runs listed, newest first (as on its page)


def cohort_json(session: Session, c: Cohort) -> dict:
    tracks = session.exec(
        select(CohortTrack).where(col(CohortTrack.cohort_id) == id_of(c)).order_by(col(CohortTrack.code))
    )
    return {
        "id": id_of(c),
        "name": c.name,
        "year": c.year,
        "mode": c.mode,
        "status": c.status,
        "first_monday": c.first_monday.isoformat(),
        "weeks": c.weeks,
        "max_commute_km": c.max_commute_km,
        "default_engagement_weeks": c.default_engagement_weeks,
        "default_team_size": c.default_team_size,
        "min_per_municipality": dict(c.min_per_municipality or {}),
        "tracks": [{"code": t.code, "name": t.name, "quota": t.quota} for t in tracks],
    }


def _user_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """Who acted, as the pages name them: the display name, else the email."""
    wanted = {u for u in user_ids if u is not None}
    if not wanted:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(wanted)))
    return {id_of(u): u.display_name or u.email for u in users}


def _companies(session: Session, company_ids: Iterable[int]) -> dict[int, Company]:
    wanted = set(company_ids)
    if not wanted:
        return {}
    return {id_of(c): c for c in session.exec(select(Company).where(col(Company.id).in_(wanted)))}


def _mentors(session: Session, mentor_ids: Iterable[int]) -> dict[int, Mentor]:
    wanted = set(mentor_ids)
    if not wanted:
        return {}
    return {id_of(m): m for m in session.exec(select(Mentor).where(col(Mentor.id).in_(wanted)))}


# --- engagements (the plan in force) --------------------------------------------------------


def engagements_json(session: Session, rows: list[Engagement]) -> list[dict]:
    ids = [id_of(e) for e in rows]
    members = teams(session, ids)
    roles = {
        (m.engagement_id, m.mentor_id): m.role
        for m in session.exec(select(EngagementMember).where(col(EngagementMember.engagement_id).in_(ids)))
    }
    mentors = _mentors(session, (m for team in members.values() for m in team))
    companies = _companies(session, (e.company_id for e in rows))
    changed_by = _user_names(session, (e.state_changed_by_id for e in rows))
    meetings: dict[int, list[dict]] = {}
    for slot in session.exec(
        select(VisitSlot).where(col(VisitSlot.engagement_id).in_(ids)).order_by(col(VisitSlot.starts_at))
    ):
        meetings.setdefault(slot.engagement_id or 0, []).append(
            {
                "visit_id": id_of(slot),
                "purpose": slot.purpose,
                "starts_at": iso(slot.starts_at),
                "ends_at": iso(slot.ends_at),
                "state": slot.state,
            }
        )
    out = []
    for e in rows:
        company = companies[e.company_id]
        team = [
            {
                "mentor_id": mentor_id,
                "name": mentors[mentor_id].name,
                "role": roles[(id_of(e), mentor_id)],
                "email": mentors[mentor_id].email,
                "phone": mentors[mentor_id].phone,
                "skills": list(mentors[mentor_id].skills or []),
            }
            for mentor_id in members.get(id_of(e), [])
        ]
        out.append(
            {
                "id": id_of(e),
                "cohort_id": e.cohort_id,
                "company_id": e.company_id,
                "company_name": company.name,
                "track": company.track,
                "start_week": e.start_week,
                "end_week": e.start_week + e.weeks - 1,
                "weeks": e.weeks,
                "start_date": e.start_date.isoformat(),
                "end_date": e.end_date.isoformat(),
                "state": e.state,
                "state_changed_at": iso(e.state_changed_at),
                "state_changed_by_id": e.state_changed_by_id,
                "state_changed_by_name": changed_by.get(e.state_changed_by_id or 0),
                "cancel_reason": e.cancel_reason,
                "value": e.value,
                "reasons": list(e.reasons or []),
                "created_at": iso(e.created_at),
                "team": team,
                "meetings": meetings.get(id_of(e), []),
            }
        )
    return out


# --- planning runs --------------------------------------------------------------------------


def run_json(session: Session, run: PlanningRun) -> dict:
    names = _user_names(session, (run.created_by_id, run.approved_by_id))
    return {
        "id": id_of(run),
        "cohort_id": run.cohort_id,
        "scenario_id": run.scenario_id,
        "trigger": run.trigger,
        "status": run.status,
        "created_at": iso(run.created_at),
        "created_by_id": run.created_by_id,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "params": dict(run.params),
        "solver_status": run.solver_status,
        "objective": run.objective,
        "bound": run.bound,
        "progress": dict(run.progress or {}),
        "summary": dict(run.summary or {}),
        "unselected": list(run.unselected or []),
        "error": run.error,
        "approved_at": iso(run.approved_at),
        "approved_by_id": run.approved_by_id,
        "approved_by_name": names.get(run.approved_by_id or 0),
    }


class _Plan:
    """What a plan's rows need around them: the year's first Monday, companies and mentors' names."""

    def __init__(self, session: Session, cohort: Cohort, company_ids: set[int], refs: set[str]):
        self.first_monday = cohort.first_monday
        self.companies = _companies(session, company_ids)
        self.mentor_names = {
            id_of(m): m.name for m in _mentors(session, (n for n in map(_mentor_id, refs) if n)).values()
        }

    def company(self, company_id: int) -> dict:
        company = self.companies[company_id]
        return {
            "company_id": company_id,
            "company_name": company.name,
            "track": company.track,
            "score": company.score,
        }

    def block(self, start_week: int, weeks: int, refs: list[str]) -> dict:
        """An engagement's weeks and team, in force or proposed."""
        last = start_week + weeks - 1
        return {
            "start_week": start_week,
            "end_week": last,
            "weeks": weeks,
            "start_date": week_start(self.first_monday, start_week).isoformat(),
            "end_date": week_end(self.first_monday, last).isoformat(),
            "team": [
                {
                    "ref": ref,
                    "mentor_id": _mentor_id(ref),
                    "name": self.mentor_names.get(_mentor_id(ref) or 0, ref),
                    "role": (TeamRole.lead if position == 0 else TeamRole.member).value,  # lead first
                }
                for position, ref in enumerate(refs)
            ],
        }

    def proposal(self, p: ProposedEngagement) -> dict:
        return {
            **self.company(p.company_id),
            **self.block(p.start_week, p.weeks, list(p.mentors)),
            "value": p.value,
            "pinned": p.pinned,
            "reasons": list(p.reasons),
        }

    def change(self, c: Change) -> dict:
        in_force = None
        if c.old_start is not None and c.old_weeks is not None:
            in_force = self.block(c.old_start, c.old_weeks, [f"m-{m}" for m in c.old_team])
        proposed = None
        if c.new_start is not None and c.new_weeks is not None:
            proposed = self.block(c.new_start, c.new_weeks, c.new_team)
        return {
            **self.company(c.company_id),
            "kind": c.kind,
            "state": c.state,
            "in_force": in_force,
            "proposed": proposed,
            "reasons": list(c.reasons),
        }


def _mentor_id(ref: str) -> int | None:
    """The mentor of an instance ref ("m-3"); None for a scenario's added mentor ("x-1")."""
    kind, _, number = ref.partition("-")
    return int(number) if kind == "m" and number.isdigit() else None


def run_detail(session: Session, run: PlanningRun) -> dict:
    """A run with its proposal and, while it is proposed, what approving it would change."""
    rows = proposals(session, run)
    changes = run_changes(session, run) if run.status == PlanStatus.proposed.value else []
    companies = {r.company_id for r in rows} | {c.company_id for c in changes}
    plan = _Plan(
        session,
        get_existing(session, Cohort, run.cohort_id),
        companies | {u["company_id"] for u in run.unselected},
        {ref for r in rows for ref in r.mentors} | {f"m-{m}" for c in changes for m in c.old_team},
    )
    detail = run_json(session, run)
    detail["unselected"] = [{**plan.company(u["company_id"]), "reason": u["reason"]} for u in run.unselected]
    detail["engagements"] = [plan.proposal(p) for p in rows]
    detail["changes"] = [plan.change(c) for c in changes]
    return detail


# --- scenarios ------------------------------------------------------------------------------


def scenario_json(session: Session, s: Scenario) -> dict:
    latest = latest_solve(scenario_runs(session, id_of(s)))
    return {
        "id": id_of(s),
        "cohort_id": s.cohort_id,
        "name": s.name,
        "settings": dict(s.settings or {}),
        "removed_mentor_ids": list(s.removed_mentor_ids or []),
        "added_mentors": list(s.added_mentors or []),
        "keep_pins": s.keep_pins,
        "created_at": iso(s.created_at),
        "created_by_id": s.created_by_id,
        "updated_at": iso(s.updated_at),
        "latest": run_json(session, latest) if latest else None,
    }


def scenario_detail(session: Session, s: Scenario) -> dict:
    """A scenario as its page shows it: the inputs it plans with (the cohort's where it changes
    nothing), its newest solve beside the plan in force, the mentor-count sweep and its runs."""
    cohort = get_existing(session, Cohort, s.cohort_id)
    inputs = PlanSettings.of_scenario(session, cohort, s)
    runs = scenario_runs(session, id_of(s))
    latest = latest_solve(runs)
    return {
        **scenario_json(session, s),
        "inputs": {
            "weeks": inputs.weeks,
            "max_commute_km": inputs.max_commute_km,
            "engagement_weeks": inputs.engagement_weeks,
            "team_size": inputs.team_size,
            "quotas": dict(inputs.quotas),
            "min_per_municipality": dict(inputs.min_per_municipality),
        },
        "comparison": {
            "in_force": in_force(session, cohort)["summary"],
            "scenario": dict(latest.summary) if latest and latest.summary else None,
        },
        "sweep": [{"mentors": mentors, "served": served} for mentors, served in sweep_points(runs)],
        "runs": [run_json(session, r) for r in runs[:RECENT_RUNS]],
    }
