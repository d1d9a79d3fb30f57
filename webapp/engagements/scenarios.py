"""What-if scenarios: a copy of a cohort's planning inputs with changes, solved beside the plan in
force and never touching it (a scenario's runs end "solved", cannot be approved, and are locked
per scenario, so they never block the cohort's own runs).

A scenario stores only what differs from the cohort (`settings`), the mentors it removes and the
mentors it adds; its form shows the cohort's values for everything else. A sweep solves the
scenario for several mentor counts, one run per count, to plot companies served against mentors.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import get_existing, id_of
from webapp.directory.importing.lookups import Lookups
from webapp.directory.models import Industry, Mentor
from webapp.engagements.instance import PlanSettings
from webapp.engagements.models import PlanningRun, PlanStatus, PlanTrigger, Scenario
from webapp.engagements.service import RunInProgress, finish_run, start_run
from webapp.programs.models import Cohort

log = logging.getLogger(__name__)

FIGURES: dict[str, tuple[int, int]] = {  # the cohort's figures a scenario may change, with limits
    "weeks": (1, 104),
    "max_commute_km": (1, 1000),
    "engagement_weeks": (1, 104),
    "team_size": (1, 5),
}
SWEEP_POINTS = (2, 12)  # a sweep solves between 2 and 12 mentor counts
SWEEP_MENTORS = (1, 300)
SWEEP_TIME_LIMIT = 10  # seconds per point by default
MAX_ADDED = 200


class ScenarioInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def create_scenario(session: Session, cohort: Cohort, name: str, user_id: int | None) -> Scenario:
    """A scenario holding the cohort's inputs as they are (no change yet)."""
    name = name.strip()
    if not name:
        raise ScenarioInvalid({"name": "is required"})
    if len(name) > 120:
        raise ScenarioInvalid({"name": "is longer than 120 characters"})
    scenario = Scenario(cohort_id=id_of(cohort), name=name, created_by_id=user_id)
    session.add(scenario)
    session.flush()
    audit(session, user_id, "scenario_created", Entity.scenario, id_of(scenario))
    return scenario


def _whole(text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError("must be a whole number") from None
    if not low <= value <= high:
        raise ValueError(f"must be between {low} and {high}")
    return value


def parse_added_mentors(session: Session, text: str) -> tuple[list[dict], list[str]]:
    """Lines "name | municipality | skills | industries [| engagements at once]", e.g.
    "신규 멘토 1 | 전주 | automation, quality | C29:90 C25:60"; errors name the line."""
    lookups = Lookups(session)
    industries = set(session.exec(select(Industry.code)))
    out, errors = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_ADDED:
        return [], [f"at most {MAX_ADDED} added mentors"]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 4 or len(parts) > 5 or not parts[0]:
            errors.append(f"line {number}: write name | municipality | skills | industries")
            continue
        try:
            place = lookups.municipality(parts[1])
        except ValueError as exc:
            errors.append(f"line {number}: {exc}")
            continue
        skills = [s.lower() for s in re.split(r"[,\s]+", parts[2]) if s]
        fits: dict[str, int] = {}
        for item in parts[3].replace(",", " ").split():
            code, _, fit = item.partition(":")
            code = code.upper() if code.upper().startswith("C") else f"C{code}"
            if code not in industries or (fit and not (fit.isdigit() and 1 <= int(fit) <= 100)):
                errors.append(f"line {number}: {item!r} is not an industry code with a fit 1-100 (C29:90)")
                break
            fits[code] = int(fit or 100)
        else:
            try:
                at_once = _whole(parts[4], 0, 5) if len(parts) == 5 and parts[4] else 1
            except ValueError as exc:
                errors.append(f"line {number}: engagements at once {exc}")
                continue
            out.append(
                {
                    "name": parts[0][:80],
                    "municipality": place.name_en,
                    "skills": skills,
                    "industries": fits,
                    "max_concurrent": at_once,
                }
            )
    return out, errors


def update_scenario(session: Session, scenario: Scenario, form: dict[str, str], user_id: int | None) -> None:
    """Apply the scenario form; raises ScenarioInvalid (field -> message) and changes nothing then."""
    cohort = get_existing(session, Cohort, scenario.cohort_id)
    base = PlanSettings.of_cohort(session, cohort)
    errors: dict[str, str] = {}
    settings: dict[str, Any] = {}
    name = form.get("name", "").strip()
    if not name:
        errors["name"] = "is required"
    elif len(name) > 120:
        errors["name"] = "is longer than 120 characters"
    cohort_values = {
        "weeks": base.weeks,
        "max_commute_km": base.max_commute_km,
        "engagement_weeks": base.engagement_weeks,
        "team_size": base.team_size,
    }
    for key, (low, high) in FIGURES.items():
        text = form.get(key, "").strip()
        if not text:
            continue
        try:
            value = _whole(text, low, high)
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        if value != cohort_values[key]:
            settings[key] = value
    weeks = settings.get("weeks", base.weeks)
    if "engagement_weeks" not in errors and settings.get("engagement_weeks", base.engagement_weeks) > weeks:
        errors["engagement_weeks"] = f"must be between 1 and {weeks}"
    quotas: dict[str, int] = {}
    for code in sorted({*base.quotas, *form_keys(form, "quota_")}):
        text = form.get(f"quota_{code}", "").strip()
        if text:
            try:
                quotas[code] = _whole(text, 0, 10_000)
            except ValueError as exc:
                errors[f"quota_{code}"] = str(exc)
    if quotas != base.quotas:
        settings["quotas"] = quotas
    minimums: dict[str, int] = {}
    for place in form_keys(form, "min_"):
        text = form.get(f"min_{place}", "").strip()
        if text:
            try:
                value = _whole(text, 0, 1000)
            except ValueError as exc:
                errors[f"min_{place}"] = str(exc)
                continue
            if value:
                minimums[place] = value
    if minimums != base.min_per_municipality:
        settings["min_per_municipality"] = minimums
    removed = sorted(int(k) for k in form_keys(form, "remove_") if k.isdigit() and form.get(f"remove_{k}"))
    known = set(session.exec(select(Mentor.id).where(col(Mentor.id).in_(removed)))) if removed else set()
    if set(removed) - known:
        errors["removed"] = "unknown mentor"
    added, added_errors = parse_added_mentors(session, form.get("added", ""))
    if added_errors:
        errors["added"] = "; ".join(added_errors)
    if errors:
        raise ScenarioInvalid(errors)
    scenario.name = name
    scenario.settings = settings
    scenario.removed_mentor_ids = removed
    scenario.added_mentors = added
    scenario.keep_pins = bool(form.get("keep_pins"))
    scenario.updated_at = utcnow()
    session.add(scenario)
    audit(
        session,
        user_id,
        "scenario_changed",
        Entity.scenario,
        id_of(scenario),
        settings=settings,
        removed=removed,
        added=len(added),
    )
    session.flush()


def form_keys(form: dict[str, str], prefix: str) -> list[str]:
    return [key[len(prefix) :] for key in form if key.startswith(prefix)]


def parse_sweep(text: str) -> list[int]:
    """ "10, 20, 30" -> [10, 20, 30]; raises ValueError with the problem."""
    counts = []
    for item in re.split(r"[,\s]+", text.strip()):
        if item:
            counts.append(_whole(item, *SWEEP_MENTORS))
    counts = sorted(set(counts))
    low, high = SWEEP_POINTS
    if not low <= len(counts) <= high:
        raise ValueError(f"give between {low} and {high} different mentor counts")
    return counts


def run_sweep(
    engine: sa.Engine, scenario_id: int, counts: list[int], time_limit: int, user_id: int | None
) -> list[int]:
    """Solve the scenario once per mentor count, one after the other; returns the run ids."""
    with Session(engine) as session:
        cohort_id = get_existing(session, Scenario, scenario_id).cohort_id
    runs = []
    for count in counts:
        try:
            run_id = start_run(
                engine,
                cohort_id=cohort_id,
                scenario_id=scenario_id,
                trigger=PlanTrigger.scenario.value,
                params={"time_limit": time_limit, "mentor_count": count},
                user_id=user_id,
            )
        except RunInProgress:
            log.warning(
                "Sweep of scenario %s stopped at %s mentors: another solve is running", scenario_id, count
            )
            break
        finish_run(engine, run_id, user_id=user_id)
        runs.append(run_id)
    return runs


def scenario_runs(session: Session, scenario_id: int) -> list[PlanningRun]:
    return list(
        session.exec(
            select(PlanningRun)
            .where(col(PlanningRun.scenario_id) == scenario_id)
            .order_by(col(PlanningRun.id).desc())
        )
    )


def latest_solve(runs: list[PlanningRun]) -> PlanningRun | None:
    """The newest full solve of the scenario (not a sweep point)."""
    return next((r for r in runs if "mentor_count" not in r.params), None)


def sweep_points(runs: list[PlanningRun]) -> list[tuple[int, int]]:
    """(mentors, companies served) of the newest solved run per mentor count."""
    points: dict[int, int] = {}
    for run in runs:  # newest first
        count = run.params.get("mentor_count")
        if count is not None and run.status == PlanStatus.solved.value and count not in points:
            points[count] = run.summary.get("served", 0)
    return sorted(points.items())
