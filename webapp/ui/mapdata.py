"""Gathers what the map shows from the database: places, mentors, companies and assignments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup
from sqlmodel import Session, col, select

from webapp.directory.models import Company, Industry, Mentor, Municipality
from webapp.matching.models import Assignment
from webapp.ui.boundaries import areas
from webapp.ui.i18n import local_name
from webapp.ui.svgmap import OTHER, PALETTE, Line, Outline, Place, Point, palette, render

LEGEND_SIZE = len(PALETTE)


# Above this many companies a page shows a link to its map instead of drawing it inline: the
# drawing then costs more than the rest of the page (a national program's 3,000 companies).
INLINE_LIMIT = 600


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
    outlines = [
        Outline(a.name_ko, tuple(ring for polygon in a.polygons for ring in polygon)) for a in areas()
    ]
    counts: dict[str, int] = {}
    for c in by_id.values():
        counts[c.industry_code] = counts.get(c.industry_code, 0) + 1
    ranked = [code for code, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    colors = palette(ranked)
    mentor_of: dict[int | None, int] = {a.company_id: a.mentor_id for a in assignments}
    points = [
        Point(
            "company",
            c.lat,
            c.lon,
            colors[c.industry_code],
            f"{c.name} · {c.industry_code} {local_name(industries.get(c.industry_code))}",
            mentor_of.get(c.id),
        )
        for c in by_id.values()
    ]
    lines = []
    loads: dict[int | None, int] = {}
    for a in assignments:
        company, mentor = by_id[a.company_id], mentors[a.mentor_id]
        loads[mentor.id] = loads.get(mentor.id, 0) + 1
        lines.append(
            Line(
                mentor.lat,
                mentor.lon,
                company.lat,
                company.lon,
                colors[company.industry_code],
                f"{mentor.name} → {company.name} ({a.distance_km:.0f} km)",
                mentor.id,
            )
        )
    points += [
        Point(
            "mentor",
            m.lat,
            m.lon,
            "#1d2330",
            _("Mentor %(name)s: %(n)s companies", name=m.name, n=loads.get(m.id, 0)),
            m.id,
        )
        for m in mentors.values()
    ]
    legend = [(f"{code} {local_name(industries.get(code))}", colors[code]) for code in ranked[:LEGEND_SIZE]]
    if len(ranked) > LEGEND_SIZE:
        legend.append((_("other industries"), OTHER))
    return Map(render(places, points, lines, title, outlines), legend)
