"""Charts drawn by the app itself as inline SVG (no script, nothing loaded from outside, printable):
the year as a Gantt chart (weeks across, one lane per mentor or company, one bar per engagement,
coloured by track), mentor utilisation per week, and a sweep's line of companies served.

Colours come from the Okabe-Ito palette, which stays distinct for the common colour-vision
deficiencies; a pinned engagement (agreed, on site, completed) is drawn solid, a planned one
lighter, and a changed one outlined, so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from webapp.engagements.weeks import week_start

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
LABEL_W, WEEK_W, LANE_H, HEAD_H = 150, 14, 18, 34


def track_colors(tracks: Sequence[str]) -> dict[str, str]:
    """A stable colour per track, in the order the tracks are listed (JS1, JS2, JS3, ...)."""
    return {track: PALETTE[i % len(PALETTE)] for i, track in enumerate(dict.fromkeys(tracks))}


@dataclass(frozen=True)
class Bar:
    lane: str  # the lane's key
    start: int
    weeks: int
    color: str
    label: str  # written inside the bar when it fits
    title: str  # the tooltip (and the accessible name)
    solid: bool = True  # pinned: solid; planned: lighter
    marked: bool = False  # changed by the proposal: outlined


@dataclass(frozen=True)
class Lane:
    key: str
    label: str


def gantt(
    lanes: Sequence[Lane],
    bars: Sequence[Bar],
    weeks: int,
    first_monday: date,
    month_label: Callable[[date], str],
    title: str,
    today_week: int | None = None,
    fit: bool = False,
) -> Markup:
    """`fit`: the chart scales to the page's width (a single lane on a phone) instead of scrolling."""
    width = LABEL_W + weeks * WEEK_W + 10
    height = HEAD_H + max(1, len(lanes)) * LANE_H + 6
    row = {lane.key: i for i, lane in enumerate(lanes)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt{" fit" if fit else ""}" '
        f'viewBox="0 0 {width} {height}" '
        + ("" if fit else f'width="{width}" height="{height}" ')
        + f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<g class="grid">',
    ]
    previous_month = None
    for w in range(weeks):
        x = LABEL_W + w * WEEK_W
        monday = week_start(first_monday, w)
        if monday.month != previous_month:
            previous_month = monday.month
            out.append(
                f'<line class="month" x1="{x}" y1="12" x2="{x}" y2="{height}" />'
                f'<text class="month" x="{x + 2}" y="11">{escape(month_label(monday))}</text>'
            )
        if w % 4 == 0:
            out.append(f'<text class="week" x="{x + 1}" y="{HEAD_H - 6}">{w}</text>')
    for i, lane in enumerate(lanes):
        y = HEAD_H + i * LANE_H
        shade = ' class="odd"' if i % 2 else ""
        out.append(
            f'<rect{shade} x="0" y="{y}" width="{width}" height="{LANE_H}" />'
            f'<text class="lane" x="4" y="{y + LANE_H - 5}">{escape(lane.label[:22])}</text>'
        )
    out.append("</g>")
    if today_week is not None and 0 <= today_week < weeks:
        x = LABEL_W + today_week * WEEK_W
        out.append(f'<line class="today" x1="{x}" y1="{HEAD_H - 4}" x2="{x}" y2="{height}" />')
    out.append('<g class="bars">')
    for bar in bars:
        if bar.lane not in row:
            continue
        x = LABEL_W + bar.start * WEEK_W + 1
        y = HEAD_H + row[bar.lane] * LANE_H + 2
        w = max(2, bar.weeks * WEEK_W - 2)
        classes = " ".join(
            c for c in ("bar", "planned" if not bar.solid else "", "marked" if bar.marked else "") if c
        )
        out.append(
            f'<g class="{classes}"><rect x="{x}" y="{y}" width="{w}" height="{LANE_H - 4}" rx="2" '
            f'fill="{escape(bar.color)}"><title>{escape(bar.title)}</title></rect>'
        )
        if len(bar.label) * 6 < w:
            out.append(f'<text x="{x + 3}" y="{y + LANE_H - 8}">{escape(bar.label)}</text>')
        out.append("</g>")
    out.append("</g></svg>")
    return Markup("".join(out))


def week_bars(values: Sequence[float], title: str, height: int = 80) -> Markup:
    """Utilisation per week (0..1) as columns, with the 100% line."""
    width = LABEL_W + len(values) * WEEK_W + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="weekbars" viewBox="0 0 {width} {height + 14}" '
        f'width="{width}" height="{height + 14}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="full" x1="{LABEL_W}" y1="4" x2="{width}" y2="4" />',
        f'<text class="lane" x="4" y="12">100%</text><text class="lane" x="4" y="{height + 4}">0%</text>',
    ]
    for w, value in enumerate(values):
        h = round(min(1.0, value) * (height - 4), 1)
        x = LABEL_W + w * WEEK_W + 1
        out.append(
            f'<rect x="{x}" y="{height + 4 - h}" width="{WEEK_W - 2}" height="{h}">'
            f"<title>{w}: {round(value * 100)}%</title></rect>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def line_chart(
    points: Sequence[tuple[int, int]], x_label: str, y_label: str, title: str, target: int | None = None
) -> Markup:
    """A sweep: companies served (y) against mentors (x), with an optional target line."""
    width, height, left, bottom = 520, 260, 50, 36
    if not points:
        return Markup("")
    xs = [x for x, _ in points]
    top = max([y for _, y in points] + [target or 0]) or 1
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1

    def px(x: float) -> float:
        return round(left + (x - x0) / (x1 - x0) * (width - left - 20), 1)

    def py(y: float) -> float:
        return round(height - bottom - y / top * (height - bottom - 16), 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sweep" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" />',
        f'<line class="axis" x1="{left}" y1="10" x2="{left}" y2="{height - bottom}" />',
        f'<text class="lane" x="{width // 2}" y="{height - 4}" text-anchor="middle">{escape(x_label)}</text>',
        f'<text class="lane" x="4" y="12">{escape(y_label)}</text>',
    ]
    if target:
        out.append(
            f'<line class="target" x1="{left}" y1="{py(target)}" x2="{width - 10}" y2="{py(target)}" />'
            f'<text class="lane" x="{width - 12}" y="{py(target) - 3}" text-anchor="end">{target}</text>'
        )
    path = " ".join(f"{px(x)},{py(y)}" for x, y in sorted(points))
    out.append(f'<polyline class="served" points="{path}" />')
    for x, y in sorted(points):
        out.append(
            f'<circle cx="{px(x)}" cy="{py(y)}" r="4"><title>{x}: {y}</title></circle>'
            f'<text class="lane" x="{px(x)}" y="{height - bottom + 14}" text-anchor="middle">{x}</text>'
            f'<text class="lane" x="{px(x)}" y="{py(y) - 7}" text-anchor="middle">{y}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))
