"""A schematic SVG map of North Jeolla drawn by the app itself (no tiles, works offline).

Input is plain data (places, points, lines in latitude/longitude); output is an inline <svg>.
The projection is equirectangular, scaled by cos(latitude) so distances look right at 35.8°N,
which is accurate enough for one province. Municipalities are labelled markers; companies
are dots and mentors squares, coloured by industry; assignments are lines from mentor to company.
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 640, 560, 30


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Point:
    kind: str  # company | mentor
    lat: float
    lon: float
    color: str
    title: str


@dataclass(frozen=True)
class Line:
    lat1: float
    lon1: float
    lat2: float
    lon2: float
    color: str
    title: str


def industry_color(code: str) -> str:
    """A stable, distinct colour per KSIC division (C10..C34): hues spread by the golden angle."""
    number = int(code[1:]) if code[1:].isascii() and code[1:].isdigit() else sum(map(ord, code))
    hue = (number * 0.618033988749895) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.42, 0.75)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


class Projection:
    """Fits the bounding box of all coordinates into the drawing, keeping the aspect ratio."""

    def __init__(self, coords: Sequence[tuple[float, float]]):
        lats = [lat for lat, _ in coords] or [35.8]
        lons = [lon for _, lon in coords] or [127.1]
        self.lat0, self.lon0 = max(lats), min(lons)
        self.kx = math.cos(math.radians(sum(lats) / len(lats)))
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


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain): the province outline is drawn as the hull of its places."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    upper: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _padded(polygon: list[tuple[float, float]], by: float) -> list[tuple[float, float]]:
    """The polygon pushed outwards from its centre by `by` pixels, so no point sits on its edge."""
    if not polygon:
        return polygon
    cx = sum(x for x, _ in polygon) / len(polygon)
    cy = sum(y for _, y in polygon) / len(polygon)
    padded = []
    for x, y in polygon:
        length = math.hypot(x - cx, y - cy) or 1.0
        padded.append((round(x + (x - cx) / length * by, 1), round(y + (y - cy) / length * by, 1)))
    return padded


def render(
    places: Sequence[Place], points: Sequence[Point] = (), lines: Sequence[Line] = (), title: str = ""
) -> Markup:
    project = Projection([(p.lat, p.lon) for p in places] + [(p.lat, p.lon) for p in points])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="map" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    coords = [(p.lat, p.lon) for p in places] + [(p.lat, p.lon) for p in points]
    outline = _padded(_hull([project(lat, lon) for lat, lon in coords]), 14)
    if len(outline) >= 3:
        path = " ".join(f"{x},{y}" for x, y in outline)
        out.append(f'<polygon class="province" points="{path}" />')
    out.append('<g class="assignments">')
    for line in lines:
        (x1, y1), (x2, y2) = project(line.lat1, line.lon1), project(line.lat2, line.lon2)
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{escape(line.color)}">'
            f"<title>{escape(line.title)}</title></line>"
        )
    out.append('</g><g class="points">')
    for point in points:
        x, y = project(point.lat, point.lon)
        shape = (
            f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8"'
            if point.kind == "mentor"
            else f'<circle cx="{x}" cy="{y}" r="3"'
        )
        out.append(
            f'{shape} class="{escape(point.kind)}" fill="{escape(point.color)}">'
            f"<title>{escape(point.title)}</title></{'rect' if point.kind == 'mentor' else 'circle'}>"
        )
    out.append('</g><g class="places">')
    for place in places:
        x, y = project(place.lat, place.lon)
        out.append(
            f'<circle class="place" cx="{x}" cy="{y}" r="5" />'
            f'<text x="{x}" y="{round(y - 9, 1)}" text-anchor="middle">{escape(place.name)}</text>'
        )
    out.append("</g></svg>")
    return Markup("".join(out))
