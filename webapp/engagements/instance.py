"""The planning instance of a cohort (planning-contract.md), built from the database.

This module is the one place that translates between the database and the planner's contract.
Ids in the instance are "c-<company id>", "m-<mentor id>" and, for mentors a scenario adds,
"x-<n>". Weeks are the cohort's (week 0 starts on its first Monday).

What the instance holds:
- every applicant of the cohort still in the program, and every company with an engagement that
  is agreed, on site or completed: those are *pinned* (kept exactly: same start, same team);
- planned engagements as the planner's optional `current` (kept unless moving gains more than
  `params.stability`);
- active mentors with their skills, industries, leave (as unavailable weeks) and exclusions.
A pin is the past or an agreement, so the instance bends around it rather than reject it: a
pinned mentor who since left, took leave or dropped the industry is kept for the pin's weeks,
and a quota is never lower than the pins of its track.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.core.db import id_of
from webapp.directory.models import (
    Company,
    CompanyStatus,
    Mentor,
    MentorExclusion,
    MentorIndustry,
    MentorLeave,
    Municipality,
)
from webapp.engagements.models import (
    PINNED_STATES,
    Engagement,
    EngagementMember,
    EngagementState,
    Scenario,
    TeamRole,
)
from webapp.engagements.weeks import first_open_week, weeks_touched
from webapp.programs.models import Cohort, CohortTrack

APPLICANT_STATUSES = (CompanyStatus.applied.value, CompanyStatus.active.value)
PINNED = tuple(state.value for state in PINNED_STATES)


@dataclass
class PlanSettings:
    """The figures a plan is made with: the cohort's, or a scenario's changed copy of them."""

    weeks: int
    max_commute_km: int
    engagement_weeks: int  # the default length (a company's own value wins, except in overrides)
    team_size: int
    quotas: dict[str, int]  # track -> most selected (tracks not listed: unlimited)
    min_per_municipality: dict[str, int]
    # A scenario's length and team size apply to every company (a cohort's are only defaults).
    override_company_values: bool = False
    removed_mentor_ids: set[int] = field(default_factory=set)
    added_mentors: list[dict] = field(default_factory=list)
    keep_pins: bool = True

    @classmethod
    def of_cohort(cls, session: Session, cohort: Cohort) -> PlanSettings:
        tracks = session.exec(select(CohortTrack).where(col(CohortTrack.cohort_id) == id_of(cohort))).all()
        return cls(
            weeks=cohort.weeks,
            max_commute_km=cohort.max_commute_km,
            engagement_weeks=cohort.default_engagement_weeks,
            team_size=cohort.default_team_size,
            quotas={t.code: t.quota for t in tracks if t.quota is not None},
            min_per_municipality=dict(cohort.min_per_municipality or {}),
        )

    @classmethod
    def of_scenario(cls, session: Session, cohort: Cohort, scenario: Scenario) -> PlanSettings:
        base = cls.of_cohort(session, cohort)
        given = scenario.settings or {}
        return cls(
            weeks=given.get("weeks", base.weeks),
            max_commute_km=given.get("max_commute_km", base.max_commute_km),
            engagement_weeks=given.get("engagement_weeks", base.engagement_weeks),
            team_size=given.get("team_size", base.team_size),
            quotas=dict(given.get("quotas", base.quotas)),
            min_per_municipality=dict(given.get("min_per_municipality", base.min_per_municipality)),
            override_company_values="engagement_weeks" in given or "team_size" in given,
            removed_mentor_ids=set(scenario.removed_mentor_ids or []),
            added_mentors=list(scenario.added_mentors or []),
            keep_pins=scenario.keep_pins,
        )


@dataclass
class Built:
    """The instance and what the planner never saw: applicants that cannot fit any more."""

    instance: dict[str, Any]
    left_out: list[dict[str, Any]]  # [{"company_id", "reason"}] in the planner's wording
    horizon: int
    first_open_week: int


def live_engagements(session: Session, cohort_id: int) -> list[Engagement]:
    return list(
        session.exec(
            select(Engagement).where(
                col(Engagement.cohort_id) == cohort_id,
                col(Engagement.state) != EngagementState.cancelled.value,
            )
        )
    )


def teams(session: Session, engagement_ids: list[int]) -> dict[int, list[int]]:
    """Engagement id -> its mentor ids, lead first."""
    out: dict[int, list[tuple[bool, int]]] = {}
    if not engagement_ids:
        return {}
    for row in session.exec(
        select(EngagementMember).where(col(EngagementMember.engagement_id).in_(engagement_ids))
    ):
        out.setdefault(row.engagement_id, []).append((row.role != TeamRole.lead.value, row.mentor_id))
    return {e: [m for _, m in sorted(members)] for e, members in out.items()}


def build_instance(
    session: Session,
    cohort: Cohort,
    settings: PlanSettings,
    *,
    today: date,
    stability: int | None = None,
) -> Built:
    """The contract instance of the cohort's plan as of `today` (Asia/Seoul)."""
    live = live_engagements(session, id_of(cohort))
    members = teams(session, [id_of(e) for e in live])
    pins = {e.company_id: e for e in live if e.state in PINNED} if settings.keep_pins else {}
    current = {e.company_id: e for e in live if e.state == EngagementState.planned.value}
    horizon = max([settings.weeks] + [e.start_week + e.weeks for e in pins.values()])
    opens = first_open_week(cohort.first_monday, today)

    companies = session.exec(
        select(Company)
        .where(
            sa.or_(
                sa.and_(col(Company.cohort_id) == id_of(cohort), col(Company.status).in_(APPLICANT_STATUSES)),
                col(Company.id).in_(list(pins)),
            )
        )
        .order_by(col(Company.id))
    ).all()
    municipality = dict(session.exec(select(col(Municipality.id), col(Municipality.name_en))).all())
    pinned_mentor_weeks: dict[int, set[int]] = {}
    for e in pins.values():
        for mentor_id in members.get(id_of(e), []):
            span = range(e.start_week, e.start_week + e.weeks)
            pinned_mentor_weeks.setdefault(mentor_id, set()).update(span)

    mentors = session.exec(
        select(Mentor)
        .where(sa.or_(col(Mentor.active), col(Mentor.id).in_(list(pinned_mentor_weeks))))
        .order_by(col(Mentor.id))
    ).all()
    fits: dict[int, dict[str, int]] = {}
    for row in session.exec(select(MentorIndustry)):
        fits.setdefault(row.mentor_id, {})[row.industry_code] = row.fit
    company_ids = {id_of(c) for c in companies}
    excluded: dict[int, list[str]] = {}
    for exclusion in session.exec(select(MentorExclusion)):
        pin = pins.get(exclusion.company_id)
        kept = pin is not None and exclusion.mentor_id in members.get(id_of(pin), [])
        if exclusion.company_id in company_ids and not kept:
            excluded.setdefault(exclusion.mentor_id, []).append(f"c-{exclusion.company_id}")
    leave: dict[int, set[int]] = {}
    for off in session.exec(select(MentorLeave)):
        touched = weeks_touched(cohort.first_monday, off.starts, off.ends)
        leave.setdefault(off.mentor_id, set()).update(w for w in touched if 0 <= w < horizon)

    out_companies, left_out = [], []
    industry_of = {}
    for c in companies:
        industry_of[id_of(c)] = c.industry_code
        record: dict[str, Any] = {
            "id": f"c-{id_of(c)}",
            "lat": c.lat,
            "lon": c.lon,
            "industry": c.industry_code,
            "municipality": municipality.get(c.municipality_id, ""),
            "track": c.track,
        }
        if c.score is not None:
            record["score"] = c.score
        pin = pins.get(id_of(c))
        if pin is not None:
            team = members.get(id_of(pin), [])
            record.update(weeks=pin.weeks, team_size=len(team), skills=[])
            record["pinned"] = {"start_week": pin.start_week, "mentors": [f"m-{m}" for m in team]}
            out_companies.append(record)
            continue
        own = not settings.override_company_values
        weeks: int = (own and c.engagement_weeks) or settings.engagement_weeks
        team_size = (own and c.team_size) or settings.team_size
        if opens + weeks > horizon:
            left_out.append(
                {
                    "company_id": id_of(c),
                    "reason": f"too late in the year: {weeks} weeks from week {opens} "
                    f"end after the year's {horizon} weeks",
                }
            )
            continue
        record.update(
            weeks=weeks,
            team_size=team_size,
            skills=sorted({s.lower() for s in c.required_skills or []}),
            earliest_week=opens,
        )
        planned = current.get(id_of(c))
        if planned is not None and members.get(id_of(planned)):
            record["current"] = {
                "start_week": planned.start_week,
                "mentors": [f"m-{m}" for m in members[id_of(planned)]],
            }
        out_companies.append(record)

    # A pin is kept whatever changed since: its industry stays listed for its lead.
    for company_id, e in pins.items():
        team = members.get(id_of(e), [])
        if team and not any(industry_of[company_id] in fits.get(m, {}) for m in team):
            fits.setdefault(team[0], {})[industry_of[company_id]] = 1

    load: Counter[tuple[int, int]] = Counter()
    for e in pins.values():
        for mentor_id in members.get(id_of(e), []):
            for w in range(e.start_week, e.start_week + e.weeks):
                load[(mentor_id, w)] += 1
    out_mentors = []
    for m in mentors:
        pinned_weeks = pinned_mentor_weeks.get(id_of(m), set())
        serving = m.active and id_of(m) not in settings.removed_mentor_ids
        unavailable = leave.get(id_of(m), set()) - pinned_weeks
        if not serving:  # kept only for its pins
            unavailable = set(range(horizon)) - pinned_weeks
        most = max([m.max_concurrent] + [n for (mid, _), n in load.items() if mid == id_of(m)])
        out_mentors.append(
            {
                "id": f"m-{id_of(m)}",
                "lat": m.lat,
                "lon": m.lon,
                "industries": fits.get(id_of(m), {}),
                "skills": sorted({s.lower() for s in m.skills or []}),
                "unavailable_weeks": sorted(unavailable),
                "max_concurrent": most,
                "exclude": excluded.get(id_of(m), []),
            }
        )
    out_mentors.extend(_added_mentors(session, settings.added_mentors))

    quotas = dict(settings.quotas)
    for track, n in Counter(c["track"] for c in out_companies if c.get("pinned") is not None).items():
        if track in quotas:
            quotas[track] = max(quotas[track], n)
    params: dict[str, Any] = {
        "max_commute_km": settings.max_commute_km,
        "quotas": quotas,
        "min_per_municipality": settings.min_per_municipality,
    }
    if stability is not None:
        params["stability"] = stability
    instance = {
        "version": 1,
        "horizon_weeks": horizon,
        "mentors": out_mentors,
        "companies": out_companies,
        "params": params,
    }
    return Built(instance, left_out, horizon, opens)


def _added_mentors(session: Session, added: list[dict]) -> list[dict[str, Any]]:
    """A scenario's imaginary mentors, living at their municipality's office."""
    places = {m.name_en: m for m in session.exec(select(Municipality))}
    out = []
    for n, row in enumerate(added, start=1):
        place = places.get(row.get("municipality", ""))
        if place is None:
            continue
        out.append(
            {
                "id": f"x-{n}",
                "lat": place.lat,
                "lon": place.lon,
                "industries": dict(row.get("industries") or {}),
                "skills": sorted({s.lower() for s in row.get("skills") or []}),
                "max_concurrent": int(row.get("max_concurrent", 1)),
            }
        )
    return out


def parse_ref(ref: str) -> int:
    """The database id in "c-12" or "m-3"."""
    return int(ref.split("-", 1)[1])


def mentor_pool(session: Session, settings: PlanSettings) -> list[dict[str, Any]]:
    """The mentors a plan may use, real (`mentor_id` set) then added, in the shape of a
    scenario's added mentor: {mentor_id, name, municipality, skills, industries, max_concurrent}."""
    municipality = dict(session.exec(select(col(Municipality.id), col(Municipality.name_en))).all())
    fits: dict[int, dict[str, int]] = {}
    for row in session.exec(select(MentorIndustry)):
        fits.setdefault(row.mentor_id, {})[row.industry_code] = row.fit
    real = [
        {
            "mentor_id": id_of(m),
            "name": m.name,
            "municipality": municipality.get(m.municipality_id, ""),
            "skills": list(m.skills or []),
            "industries": fits.get(id_of(m), {}),
            "max_concurrent": m.max_concurrent,
        }
        for m in session.exec(select(Mentor).where(Mentor.active).order_by(col(Mentor.id)))
        if id_of(m) not in settings.removed_mentor_ids and m.max_concurrent > 0
    ]
    return real + [dict(row, mentor_id=None) for row in settings.added_mentors]
