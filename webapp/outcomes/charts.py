"""Charts drawn on the server as inline SVG (printable, no script, nothing loaded from outside).

Every bar, box and column is a link to the engagements it counts; every mark has a <title> that
says its figure, for a pointer's tooltip and for screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

WIDTH = 640
LABEL_CHARS = 12  # a bar's label is cut to what fits beside it (the full text is its tooltip)
COLORS = {"completed": "#1b7f3b", "on_site": "#0b5fa5", "planned": "#9db4d3"}
DOT = 'r="2.2" fill="#0b5fa5" fill-opacity=".45"'


def _el(tag: str, inner: str = "", **attrs: Any) -> str:
    """An SVG element; attribute names with _ become -, floats are rounded to 0.1."""
    text = " ".join(
        f'{k.rstrip("_").replace("_", "-")}="{f"{v:.1f}" if isinstance(v, float) else escape(str(v))}"'
        for k, v in attrs.items()
    )
    return f"<{tag} {text}>{inner}</{tag}>" if inner else f"<{tag} {text}/>"


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _svg(height: float, body: list[str], title: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">{_title(title)}{"".join(body)}</svg>'
    )


def _link(href: str, inner: str) -> str:
    return _el("a", inner, href=href) if href else inner


@dataclass(frozen=True)
class BarRow:
    label: str
    counts: Mapping[str, int]  # bucket -> count
    hrefs: Mapping[str, str]  # bucket -> link to the engagements; "" for the row's label


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
        shown = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1] + "…"
        label = _el(
            "text", str(escape(shown)) + _title(row.label), x=label_w - 6, y=y + 16, text_anchor="end"
        )
        body.append(_link(row.hrefs.get("", ""), label))
        x = float(label_w)
        for bucket in buckets:
            n = row.counts.get(bucket, 0)
            if not n:
                continue
            w = bar_w * n / scale_max
            tip = _title(f"{row.label} · {bucket_names.get(bucket, bucket)}: {n}")
            rect = _el(
                "rect",
                tip,
                x=x,
                y=y + 3,
                width=max(w, 1.0),
                height=row_h - 8,
                fill=COLORS.get(bucket, "#888"),
            )
            body.append(_link(row.hrefs.get(bucket, ""), rect))
            x += w
        total = sum(row.counts.get(b, 0) for b in buckets)
        body.append(_el("text", str(total), x=x + 4, y=y + 16, class_="muted"))
    height = top + len(rows) * row_h + 6
    if goal:
        gx = label_w + bar_w * goal / scale_max
        body.append(_el("line", x1=gx, x2=gx, y1=0, y2=height, stroke="#b42318", stroke_dasharray="4 3"))
        body.append(_el("text", str(goal), x=gx - 4, y=height + 12, text_anchor="end", fill="#b42318"))
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
    lo = low
    hi = min(max([*values, 50.0]), high)
    span = hi - lo
    bottom = top + len(rows) * row_h

    def x(v: float) -> float:
        return label_w + plot_w * (min(max(v, lo), hi) - lo) / span

    body = []
    step = 50 if span <= 400 else 100
    for tick in range(int(lo), int(hi) + 1, step):
        body.append(_el("line", x1=x(tick), x2=x(tick), y1=top - 4, y2=bottom, class_="axis"))
        body.append(_el("text", f"{tick:+d}%", x=x(tick), y=top - 8, text_anchor="middle", class_="muted"))
    body.append(_el("line", x1=x(0), x2=x(0), y1=top - 4, y2=bottom, stroke="#1d2330"))
    for i, row in enumerate(rows):
        mid = top + i * row_h + 18
        marks = [_el("text", escape(row.label), x=label_w - 6, y=mid + 4, text_anchor="end")]
        if row.values:
            marks.append(
                _el("line", x1=x(row.values[0]), x2=x(row.values[-1]), y1=mid, y2=mid, stroke="#667085")
            )
        if row.quartiles:
            q1, q3 = row.quartiles
            width = max(x(q3) - x(q1), 1.0)
            marks.append(
                _el("rect", x=x(q1), y=mid - 9, width=width, height=18, fill="#dbeafe", stroke="#0b5fa5")
            )
        # A dot per firm (hundreds per row): written directly, as _el would write them.
        marks.extend(
            f'<circle cx="{x(v):.1f}" cy="{mid + ((j * 7) % 11 - 5) * 1.1:.1f}" {DOT}/>'
            for j, v in enumerate(row.values)
        )
        if row.median is not None:
            m = x(row.median)
            marks.append(_el("line", x1=m, x2=m, y1=mid - 11, y2=mid + 11, stroke="#b42318", stroke_width=3))
        marks.append(_el("text", escape(row.note), x=label_w, y=mid + 26, class_="muted"))
        marks.append(_title(f"{row.label}: {row.note}"))
        body.append(_link(row.href, f"<g>{''.join(marks)}</g>"))
    return _svg(bottom + 6, body, title)


def columns(items: Sequence[tuple[str, int, str]], title: str, color: str = "#0b5fa5") -> Markup:
    """Vertical columns: (label, count, href)."""
    height, bottom, top = 180, 24, 18
    peak = max([n for _, n, _ in items] + [1])
    col_w = WIDTH / max(len(items), 1)
    body = []
    for i, (label, n, href) in enumerate(items):
        h = (height - bottom - top) * n / peak
        x0, centre = i * col_w + col_w * 0.2, i * col_w + col_w * 0.5
        tip = _title(f"{label}: {n}")
        rect = _el(
            "rect", tip, x=x0, y=height - bottom - h, width=col_w * 0.6, height=max(h, 0.5), fill=color
        )
        body.append(_link(href, rect))
        body.append(_el("text", str(n), x=centre, y=height - bottom - h - 4, text_anchor="middle"))
        body.append(_el("text", escape(label), x=centre, y=height - 6, text_anchor="middle", class_="muted"))
    return _svg(height, body, title)
