"""Charts drawn on the server as inline SVG (printable, no script, nothing loaded from outside).

Every bar, box and column is a link to the engagements it counts; every mark has a <title> that
says its figure, for a pointer's tooltip and for screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
COLORS = {"completed": "#1b7f3b", "on_site": "#0b5fa5", "planned": "#9db4d3"}


@dataclass(frozen=True)
class BarRow:
    label: str
    counts: Mapping[str, int]  # bucket -> count
    hrefs: Mapping[str, str]  # bucket -> link to the engagements; "" for the row's label


def _svg(height: float, body: list[str], title: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def _link(href: str, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def stacked_bars(
    rows: Sequence[BarRow],
    buckets: Sequence[str],
    bucket_names: Mapping[str, str],
    title: str,
    goal: int | None = None,
) -> Markup:
    """Horizontal bars, one per row, stacked by bucket; an optional goal marker."""
    label_w, right, row_h, top = 150, 48, 26, 8
    bar_w = WIDTH - label_w - right
    scale_max = max([sum(r.counts.get(b, 0) for b in buckets) for r in rows] + [goal or 0, 1])
    body: list[str] = []
    for i, row in enumerate(rows):
        y = top + i * row_h
        body.append(
            _link(
                row.hrefs.get("", ""),
                f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(row.label)}</text>',
            )
        )
        x = float(label_w)
        for bucket in buckets:
            n = row.counts.get(bucket, 0)
            if not n:
                continue
            w = bar_w * n / scale_max
            rect = (
                f'<rect x="{x:.1f}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row_h - 8}" fill="{COLORS.get(bucket, "#888")}">'
                f"<title>{escape(row.label)} · {escape(bucket_names.get(bucket, bucket))}: {n}</title></rect>"
            )
            body.append(_link(row.hrefs.get(bucket, ""), rect))
            x += w
        total = sum(row.counts.get(b, 0) for b in buckets)
        body.append(f'<text x="{x + 4:.1f}" y="{y + 16}" class="muted">{total}</text>')
    height = top + len(rows) * row_h + 6
    if goal:
        gx = label_w + bar_w * goal / scale_max
        body.append(
            f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="0" y2="{height}" stroke="#b42318" stroke-dasharray="4 3"/>'
        )
        body.append(
            f'<text x="{gx - 4:.1f}" y="{height + 12}" text-anchor="end" fill="#b42318">{goal}</text>'
        )
        height += 16
    return _svg(height, body, title)


@dataclass(frozen=True)
class BoxRow:
    label: str
    values: Sequence[float]  # sorted
    median: float | None
    quartiles: tuple[float, float] | None
    href: str
    note: str  # e.g. "n 70 · median +76% · 52 of 70 met the target"


def box_plots(rows: Sequence[BoxRow], title: str, low: float = -100, high: float = 300) -> Markup:
    """One box plot per indicator on a shared axis of change in %: the box spans the quartiles, the
    thick line is the median, each dot a firm (values beyond the axis sit at its end)."""
    label_w, right, row_h, top = 150, 16, 54, 22
    plot_w = WIDTH - label_w - right
    values = [v for r in rows for v in r.values]
    lo = min([low, *values]) if values and min(values) > low * 3 else low
    hi = max(min(max(values + [50.0]), high * 2), 50.0)
    span = hi - lo

    def x(v: float) -> float:
        return label_w + plot_w * (min(max(v, lo), hi) - lo) / span

    body = []
    step = 50 if span <= 400 else 100
    tick = int(lo // step) * step
    while tick <= hi:
        if tick >= lo:
            body.append(
                f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 4}" y2="{top + len(rows) * row_h}" class="axis"/>'
            )
            body.append(
                f'<text x="{x(tick):.1f}" y="{top - 8}" text-anchor="middle" class="muted">{tick:+d}%</text>'
            )
        tick += step
    body.append(
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top - 4}" y2="{top + len(rows) * row_h}" stroke="#1d2330"/>'
    )
    for i, row in enumerate(rows):
        y = top + i * row_h
        mid = y + 18
        marks = [f'<text x="{label_w - 6}" y="{mid + 4}" text-anchor="end">{escape(row.label)}</text>']
        if row.values:
            marks.append(
                f'<line x1="{x(row.values[0]):.1f}" x2="{x(row.values[-1]):.1f}" y1="{mid}" y2="{mid}" stroke="#667085"/>'
            )
        if row.quartiles:
            q1, q3 = row.quartiles
            marks.append(
                f'<rect x="{x(q1):.1f}" y="{mid - 9}" width="{max(x(q3) - x(q1), 1):.1f}" height="18" fill="#dbeafe" stroke="#0b5fa5"/>'
            )
        for j, v in enumerate(row.values):
            jitter = ((j * 7) % 11 - 5) * 1.1
            marks.append(
                f'<circle cx="{x(v):.1f}" cy="{mid + jitter:.1f}" r="2.2" fill="#0b5fa5" fill-opacity=".45"/>'
            )
        if row.median is not None:
            marks.append(
                f'<line x1="{x(row.median):.1f}" x2="{x(row.median):.1f}" y1="{mid - 11}" y2="{mid + 11}" stroke="#b42318" stroke-width="3"/>'
            )
        marks.append(f'<text x="{label_w}" y="{mid + 26}" class="muted">{escape(row.note)}</text>')
        marks.append(f"<title>{escape(row.label)}: {escape(row.note)}</title>")
        body.append(_link(row.href, f"<g>{''.join(marks)}</g>"))
    return _svg(top + len(rows) * row_h + 6, body, title)


def columns(items: Sequence[tuple[str, int, str]], title: str, color: str = "#0b5fa5") -> Markup:
    """Vertical columns: (label, count, href)."""
    height, bottom, top = 180, 24, 18
    peak = max([n for _, n, _ in items] + [1])
    col_w = WIDTH / max(len(items), 1)
    body = []
    for i, (label, n, href) in enumerate(items):
        h = (height - bottom - top) * n / peak
        x0 = i * col_w + col_w * 0.2
        rect = (
            f'<rect x="{x0:.1f}" y="{height - bottom - h:.1f}" width="{col_w * 0.6:.1f}" height="{max(h, 0.5):.1f}" fill="{color}">'
            f"<title>{escape(label)}: {n}</title></rect>"
        )
        body.append(_link(href, rect))
        body.append(
            f'<text x="{x0 + col_w * 0.3:.1f}" y="{height - bottom - h - 4:.1f}" text-anchor="middle">{n}</text>'
        )
        body.append(
            f'<text x="{x0 + col_w * 0.3:.1f}" y="{height - 6}" text-anchor="middle" class="muted">{escape(label)}</text>'
        )
    return _svg(height, body, title)
