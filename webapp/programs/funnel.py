"""The cohort's funnel: applied, eligible, inspected, scored, selected — per track and per
municipality — and its plot, drawn server-side as SVG (printable, nothing loaded from outside)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlmodel import Session, col, select

from webapp.directory.models import Municipality
from webapp.programs.application_models import Application, Decision, Eligibility
from webapp.programs.inspection_models import Inspection, InspectionState
from webapp.programs.models import Cohort, CohortTrack

STAGES = ("applied", "eligible", "inspected", "scored", "selected")
COLORS = ("#9aa5b1", "#5b8def", "#2bb3a3", "#f0a202", "#d1495b")


@dataclass
class Funnel:
    totals: Counter = field(default_factory=Counter)
    by_track: dict[str, Counter] = field(default_factory=dict)
    by_municipality: dict[str, Counter] = field(default_factory=dict)
    quota: dict[str, int | None] = field(default_factory=dict)


def stages_of(application: Application, inspected: set[int]) -> list[str]:
    reached = ["applied"]
    if application.eligibility == Eligibility.eligible.value:
        reached.append("eligible")
        if application.id in inspected:
            reached.append("inspected")
        if application.score is not None:
            reached.append("scored")
        if application.decision == Decision.selected.value:
            reached.append("selected")
    return reached


def funnel(session: Session, cohort: Cohort, municipality_name=lambda m: m.name_en) -> Funnel:
    inspected = set(
        session.exec(
            select(Inspection.application_id).where(
                Inspection.cohort_id == cohort.id, col(Inspection.state) == InspectionState.done.value
            )
        )
    )
    names = {m.id: municipality_name(m) for m in session.exec(select(Municipality))}
    result = Funnel()
    for track in session.exec(
        select(CohortTrack).where(CohortTrack.cohort_id == cohort.id).order_by(col(CohortTrack.code))
    ):
        result.by_track[track.code] = Counter()
        result.quota[track.code] = track.quota
    for application in session.exec(select(Application).where(Application.cohort_id == cohort.id)):
        stages = stages_of(application, inspected)
        result.totals.update(stages)
        result.by_track.setdefault(application.track, Counter()).update(stages)
        result.by_municipality.setdefault(names[application.municipality_id], Counter()).update(stages)
    result.by_municipality = dict(sorted(result.by_municipality.items()))
    return result


def plot(rows: dict[str, Counter], stage_names: dict[str, str], title: str) -> Markup:
    """Grouped horizontal bars: one group per row (track or municipality), one bar per stage."""
    bar, gap, label_w, width = 9, 10, 110, 640
    top = 28
    peak = max((c["applied"] for c in rows.values()), default=0) or 1
    group_h = bar * len(STAGES) + gap
    height = top + group_h * max(len(rows), 1) + 10
    scale = (width - label_w - 50) / peak
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="funnel-plot" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    x = label_w
    for stage, color in zip(STAGES, COLORS, strict=True):
        out.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="15" font-size="11">{escape(stage_names[stage])}</text>'
        )
        x += 14 + 7 * len(stage_names[stage]) + 16
    for i, (name, counts) in enumerate(rows.items()):
        y0 = top + i * group_h
        out.append(
            f'<text x="{label_w - 6}" y="{y0 + group_h / 2}" font-size="12" text-anchor="end">'
            f"{escape(name)}</text>"
        )
        for j, (stage, color) in enumerate(zip(STAGES, COLORS, strict=True)):
            w = round(counts[stage] * scale, 1)
            y = y0 + j * bar
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar - 1}" fill="{color}">'
                f"<title>{escape(name)} · {escape(stage_names[stage])}: {counts[stage]}</title></rect>"
                f'<text x="{label_w + w + 3}" y="{y + bar - 2}" font-size="9">{counts[stage]}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))
