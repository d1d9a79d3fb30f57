"""What the planning pages show of a plan (a proposal, or the plan in force): the Gantt charts per
mentor and per company, the utilisation chart, and the names behind the ids, in the page's
language. Views and the API's figures stay thin by asking this module."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup
from sqlmodel import Session, col, select

from webapp.core.db import id_of
from webapp.directory.models import Company, Municipality
from webapp.engagements.charts import Bar, Lane, gantt, track_colors, week_bars
from webapp.engagements.models import ProposedEngagement
from webapp.engagements.reasons import mentor_label, month_text
from webapp.engagements.weeks import week_of
from webapp.programs.models import Cohort, CohortTrack
from webapp.ui.i18n import local_name


@dataclass
class PlanCharts:
    by_mentor: Markup
    by_company: Markup
    utilisation: Markup
    colors: dict[str, str]


def cohort_tracks(session: Session, cohort_id: int) -> list[str]:
    return [
        t.code
        for t in session.exec(
            select(CohortTrack).where(col(CohortTrack.cohort_id) == cohort_id).order_by(col(CohortTrack.code))
        )
    ]


def names(session: Session, company_ids: set[int]) -> dict[int, Company]:
    if not company_ids:
        return {}
    return {id_of(c): c for c in session.exec(select(Company).where(col(Company.id).in_(company_ids)))}


def municipality_names(session: Session) -> dict[str, str]:
    """name_en -> the name in the page's language."""
    return {m.name_en: local_name(m) for m in session.exec(select(Municipality))}


def plan_charts(
    session: Session,
    cohort: Cohort,
    rows: list[ProposedEngagement],
    *,
    weeks: int,
    today,
    utilisation: list[float] | None = None,
    marked: set[int] = frozenset(),  # type: ignore[assignment]
) -> PlanCharts:
    companies = names(session, {r.company_id for r in rows})
    colors = track_colors(
        cohort_tracks(session, id_of(cohort)) + sorted({c.track for c in companies.values()})
    )
    mentor_refs = sorted({ref for r in rows for ref in r.mentors}, key=lambda ref: mentor_label(ref))
    today_week = week_of(cohort.first_monday, today)
    bars_m, bars_c = [], []
    for r in sorted(rows, key=lambda r: (r.start_week, r.company_id)):
        company = companies.get(r.company_id)
        name = company.name if company else f"#{r.company_id}"
        track = company.track if company else ""
        team = ", ".join(mentor_label(ref) for ref in r.mentors)
        title = _(
            "%(company)s (%(track)s): weeks %(first)s-%(last)s, team %(team)s",
            company=name,
            track=track or "—",
            first=r.start_week,
            last=r.start_week + r.weeks - 1,
            team=team,
        )
        common = dict(
            start=r.start_week,
            weeks=r.weeks,
            color=colors.get(track, "#777777"),
            title=title,
            solid=r.pinned,
            marked=r.company_id in marked,
        )
        for ref in r.mentors:
            bars_m.append(Bar(lane=ref, label=name, **common))
        bars_c.append(Bar(lane=str(r.company_id), label=track, **common))
    company_lanes = [
        Lane(
            str(r.company_id),
            companies[r.company_id].name if r.company_id in companies else str(r.company_id),
        )
        for r in sorted(rows, key=lambda r: (r.start_week, r.company_id))
    ]
    return PlanCharts(
        by_mentor=gantt(
            [Lane(ref, mentor_label(ref)) for ref in mentor_refs],
            bars_m,
            weeks,
            cohort.first_monday,
            month_text,
            _("Engagements per mentor"),
            today_week,
        ),
        by_company=gantt(
            company_lanes,
            bars_c,
            weeks,
            cohort.first_monday,
            month_text,
            _("Engagements per company"),
            today_week,
        ),
        utilisation=week_bars(utilisation or [], _("Mentor utilisation per week")),
        colors=colors,
    )
