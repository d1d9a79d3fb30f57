"""The figures of a plan that coordinators compare: companies served, total committee score,
selected against quota per track and against the minimum per municipality, and mentor
utilisation per week (busy mentor-weeks over available mentor-weeks).

Computed once from a plan's rows and the instance it was solved on, stored on the run
(`PlanningRun.summary`), so a scenario's comparison page reads figures instead of re-solving.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Protocol

from sqlmodel import Session, col, select

from webapp.core.db import id_of
from webapp.directory.models import Company, Municipality

DEFAULT_SCORE = 50  # the contract's default score of an applicant without one


class PlanRow(Protocol):
    company_id: int
    start_week: int
    weeks: int
    mentors: list


def summary(session: Session, cohort_id: int, rows: Iterable[PlanRow], instance: dict[str, Any]) -> dict:
    rows = list(rows)
    horizon = instance["horizon_weeks"]
    companies = {c["id"]: c for c in instance["companies"]}
    applicants = _applicants(session, cohort_id, companies)
    selected = [companies.get(f"c-{r.company_id}") or applicants.get(r.company_id, {}) for r in rows]
    params = instance["params"]
    per_track: dict[str, dict[str, Any]] = {}
    for track in sorted({c.get("track", "") for c in applicants.values()} | set(params.get("quotas", {}))):
        per_track[track] = {
            "selected": sum(1 for c in selected if c.get("track", "") == track),
            "applicants": sum(1 for c in applicants.values() if c.get("track", "") == track),
            "quota": params.get("quotas", {}).get(track),
        }
    minimums = params.get("min_per_municipality", {})
    per_municipality: dict[str, dict[str, Any]] = {}
    applied_in = Counter(c.get("municipality", "") for c in applicants.values())
    chosen_in = Counter(c.get("municipality", "") for c in selected)
    for name in sorted(set(applied_in) | set(minimums)):
        per_municipality[name] = {
            "selected": chosen_in.get(name, 0),
            "applicants": applied_in.get(name, 0),
            "minimum": minimums.get(name),
        }
    busy = [0] * horizon
    for r in rows:
        for w in range(r.start_week, min(horizon, r.start_week + r.weeks)):
            busy[w] += len(r.mentors)
    available = [0] * horizon
    serving = 0
    for m in instance["mentors"]:
        off = set(m.get("unavailable_weeks", []))
        if m.get("max_concurrent", 1) > 0 and len(off) < horizon:
            serving += 1
        for w in range(horizon):
            if w not in off and m.get("max_concurrent", 1) > 0:
                available[w] += 1
    weekly = [round(b / a, 3) if a else 0.0 for b, a in zip(busy, available, strict=True)]
    return {
        "served": len(rows),
        "total_score": sum(c.get("score", DEFAULT_SCORE) for c in selected),
        "applicants": len(applicants),
        "mentors": serving,
        "weeks": horizon,
        "per_track": per_track,
        "per_municipality": per_municipality,
        "utilisation": weekly,
        "mean_utilisation": round(sum(busy) / sum(available), 3) if sum(available) else 0.0,
    }


def _applicants(session: Session, cohort_id: int, companies: dict[str, dict]) -> dict[int, dict]:
    """Every applicant of the cohort (also those too late for the instance), as instance rows."""
    out = {int(cid.split("-", 1)[1]): c for cid, c in companies.items()}
    names = dict(session.exec(select(col(Municipality.id), col(Municipality.name_en))).all())
    for c in session.exec(select(Company).where(col(Company.cohort_id) == cohort_id)):
        if id_of(c) not in out and c.status != "withdrawn":
            out[id_of(c)] = {
                "track": c.track,
                "municipality": names.get(c.municipality_id, ""),
                "score": c.score if c.score is not None else DEFAULT_SCORE,
            }
    return out
