"""Gathers what the map shows from the database: places, mentors, companies and assignments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup
from sqlmodel import Session, col, select

from webapp.directory.models import Company, Industry, Mentor, Municipality
from webapp.matching.models import Assignment
from webapp.ui.i18n import local_name
from webapp.ui.svgmap import Line, Place, Point, industry_color, render

LEGEND_SIZE = 12


@dataclass
class Map:
    svg: Markup
    legend: list[tuple[str, str]]  # (industry label, colour), the most common industries first


def assignment_map(
    session: Session, assignments: Iterable[Assignment], companies: Iterable[Company], title: str
) -> Map:
    """The map of `companies` (all shown as dots) with `assignments` as mentor-company lines."""
    assignments = list(assignments)
    by_id: dict[int | None, Company] = {c.id: c for c in companies}
    mentor_ids = {a.mentor_id for a in assignments}
    mentors = {m.id: m for m in session.exec(select(Mentor).where(col(Mentor.id).in_(mentor_ids)))}
    missing = {a.company_id for a in assignments} - set(by_id)
    by_id.update({c.id: c for c in session.exec(select(Company).where(col(Company.id).in_(missing)))})
    industries = {i.code: i for i in session.exec(select(Industry))}
    places = [Place(local_name(m), m.lat, m.lon) for m in session.exec(select(Municipality))]
    points = [
        Point(
            "company",
            c.lat,
            c.lon,
            industry_color(c.industry_code),
            f"{c.name} · {local_name(industries.get(c.industry_code))}",
        )
        for c in by_id.values()
    ]
    mentor_color: dict[int | None, str] = {}
    lines = []
    for a in assignments:
        company, mentor = by_id[a.company_id], mentors[a.mentor_id]
        color = industry_color(company.industry_code)
        mentor_color.setdefault(mentor.id, color)
        lines.append(
            Line(
                mentor.lat,
                mentor.lon,
                company.lat,
                company.lon,
                color,
                f"{mentor.name} → {company.name} ({a.distance_km:.0f} km)",
            )
        )
    points += [
        Point("mentor", m.lat, m.lon, mentor_color[m.id], _("Mentor") + f" {m.name}")
        for m in mentors.values()
    ]
    counts: dict[str, int] = {}
    for c in by_id.values():
        counts[c.industry_code] = counts.get(c.industry_code, 0) + 1
    legend = [
        (f"{code} {local_name(industries.get(code))}", industry_color(code))
        for code, _n in sorted(counts.items(), key=lambda kv: -kv[1])[:LEGEND_SIZE]
    ]
    return Map(render(places, points, lines, title), legend)
