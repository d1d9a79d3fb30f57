"""The SVG map of North Jeolla drawn by the app itself (no tiles, works offline).

Input is plain data (municipality outlines, places, points, lines in latitude/longitude);
output is an inline <svg>. The projection is equirectangular, scaled by cos(latitude) so
distances look right at 35.8°N, accurate enough for one province. The 14 municipalities are
drawn from their real boundaries (webapp.ui.boundaries); companies are dots and mentors
squares, coloured by industry with the Okabe-Ito palette (distinguishable with colour-blind
vision); assignments are lines from mentor to company. Every point and line carries
data-mentor, so webapp/static/map.js can show one mentor's companies and lines, pan and zoom,
and show a tapped point's details (the <title> tooltips do not work on touch screens).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 640, 560, 12
# Okabe & Ito (2008), "Color Universal Design": seven colours told apart with any colour vision,
# then grey for the rest. Black is kept for the places.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
OTHER = "#999999"


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Outline:
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings: outer ones and holes


@dataclass(frozen=True)
class Point:
    kind: str  # company | mentor
    lat: float
    lon: float
    color: str
    title: str
    mentor: int | None = None  # the mentor the company is assigned to, or the mentor itself


@dataclass(frozen=True)
class Line:
    lat1: float
    lon1: float
    lat2: float
    lon2: float
    color: str
    title: str
    mentor: int | None = None


def palette(codes_by_count: Sequence[str]) -> dict[str, str]:
    """Colours for industry codes, the most common first; the eighth and later share grey."""
    return {code: PALETTE[i] if i < len(PALETTE) else OTHER for i, code in enumerate(codes_by_count)}


class Projection:
    """Fits the bounding box of all coordinates into the drawing, keeping the aspect ratio."""

    def __init__(self, coords: Sequence[tuple[float, float]]):
        lats = [lat for lat, _ in coords] or [35.8]
        lons = [lon for _, lon in coords] or [127.1]
        self.lat0, self.lon0 = max(lats), min(lons)
        self.kx = math.cos(math.radians((max(lats) + min(lats)) / 2))
        span_x = max((max(lons) - self.lon0) * self.kx, 1e-6)
        span_y = max(self.lat0 - min(lats), 1e-6)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        self.dx = (WIDTH - 2 * MARGIN - span_x * self.scale) / 2 + MARGIN
        self.dy = (HEIGHT - 2 * MARGIN - span_y * self.scale) / 2 + MARGIN

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return (
            round(self.dx + (lon - self.lon0) * self.kx * self.scale, 1),
            round(self.dy + (self.lat0 - lat) * self.scale, 1),
        )


def _path(project: Projection, outline: Outline) -> str:
    parts = []
    for ring in outline.rings:
        xy = [project(lat, lon) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in xy) + "Z")
    return "".join(parts)


def _mentor_attr(mentor: int | None) -> str:
    return f' data-mentor="{mentor}"' if mentor is not None else ""


def render(
    places: Sequence[Place],
    points: Sequence[Point] = (),
    lines: Sequence[Line] = (),
    title: str = "",
    outlines: Sequence[Outline] = (),
) -> Markup:
    coords = [(p.lat, p.lon) for p in places] + [(p.lat, p.lon) for p in points]
    coords += [(lat, lon) for o in outlines for ring in o.rings for lon, lat in ring]
    project = Projection(coords)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="map" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    out.append('<g class="zoom"><g class="areas">')
    for outline in outlines:
        out.append(
            f'<path class="area" d="{_path(project, outline)}" fill-rule="evenodd">'
            f"<title>{escape(outline.name)}</title></path>"
        )
    out.append('</g><g class="assignments">')
    for line in lines:
        (x1, y1), (x2, y2) = project(line.lat1, line.lon1), project(line.lat2, line.lon2)
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{escape(line.color)}"'
            f"{_mentor_attr(line.mentor)}><title>{escape(line.title)}</title></line>"
        )
    out.append('</g><g class="places">')
    for place in places:
        x, y = project(place.lat, place.lon)
        out.append(
            f'<circle class="place" cx="{x}" cy="{y}" r="2.5" />'
            f'<text x="{x}" y="{round(y - 6, 1)}" text-anchor="middle">{escape(place.name)}</text>'
        )
    out.append('</g><g class="points">')
    for point in points:
        x, y = project(point.lat, point.lon)
        shape = (
            f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" tabindex="0"'
            if point.kind == "mentor"
            else f'<circle cx="{x}" cy="{y}" r="3"'
        )
        out.append(
            f'{shape} class="{escape(point.kind)}" fill="{escape(point.color)}"{_mentor_attr(point.mentor)}>'
            f"<title>{escape(point.title)}</title></{'rect' if point.kind == 'mentor' else 'circle'}>"
        )
    out.append("</g></g></svg>")
    return Markup("".join(out))
