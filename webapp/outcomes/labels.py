"""Translated names of the outcomes' stored codes (areas, indicators, states, survey kinds), and the
names of the reference records the outcomes' pages and exports show (cities and counties, industries)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from webapp.directory.models import Industry, Municipality
from webapp.engagements.labels import LABELS as ENGAGEMENT_LABELS
from webapp.outcomes.kpis import CUSTOM_INPUTS, DEFINITIONS
from webapp.outcomes.models import KpiKind
from webapp.programs.models import Cohort
from webapp.ui.i18n import current_language, local_name

LABELS: dict[str, dict[str, Any]] = {
    "area": {
        "five_s": _l("3S/5S (3정5S)"),
        "layout": _l("Layout"),
        "logistics": _l("Logistics"),
        "automation_jig": _l("Automation jig"),
        "quality": _l("Quality"),
        "safety": _l("Safety"),
        "data": _l("Data"),
    },
    "kpi": {**{k.value: d.label for k, d in DEFINITIONS.items()}, "custom": _l("Free indicator")},
    "direction": {"higher": _l("Higher is better"), "lower": _l("Lower is better")},
    "task_state": {"open": _l("Open"), "solved": _l("Solved")},
    "change_state": {"pending": _l("Waiting"), "approved": _l("Approved"), "rejected": _l("Rejected")},
    "engagement_state": ENGAGEMENT_LABELS["state"],
    "survey": {
        "week2": _l("Week 2-3: is the team working out?"),
        "completion": _l("Completion: satisfaction"),
        "month6": _l("6 months: are the gains kept?"),
        "month12": _l("12 months: are the gains kept?"),
    },
    "gains": {"kept": _l("Kept"), "partly": _l("Partly kept"), "lost": _l("Not kept")},
    "export_state": {
        "queued": _l("Waiting"),
        "running": _l("Working"),
        "done": _l("Ready"),
        "failed": _l("Failed"),
    },
}


def outcome_label(group: str, value: Any) -> str:
    text = LABELS.get(group, {}).get(value if isinstance(value, str) else str(value))
    return str(text) if text is not None else str(value)


def indicator_name(indicator: Any) -> str:
    """The indicator's name (a KpiIndicator or its plain values)."""
    return indicator.name if indicator.kind == KpiKind.custom else outcome_label("kpi", indicator.kind)


def indicator_unit(indicator: Any) -> str:
    return (
        indicator.unit if indicator.kind == KpiKind.custom else str(DEFINITIONS[KpiKind(indicator.kind)].unit)
    )


FIELDS = {
    "kind": _l("Indicator"),
    "name": _l("Name (free indicator)"),
    "unit": _l("Unit (free indicator)"),
    "direction": _l("Direction (free indicator)"),
    "target": _l("Target"),
    "new_target": _l("New target"),
    "reason": _l("Reason"),
    "note": _l("Note"),
    "area": _l("Area"),
    "description": _l("Description"),
    "owner": _l("Owner at the company"),
    "due_on": _l("Due date"),
    "before_photo": _l("Before photo"),
    "after_photo": _l("After photo"),
    "close_note": _l("What was done"),
    "summary": _l("Summary of the engagement"),
    "rating": _l("Rating (1-5)"),
    "working_out": _l("Team working out"),
    "gains_kept": _l("Gains kept"),
    "comment": _l("Comments"),
}
MEASUREMENTS = {"baseline": _l("Baseline"), "actual": _l("Actual")}
INPUT_LABELS = {i.name: i.label for d in DEFINITIONS.values() for i in d.inputs} | {
    i.name: i.label for i in CUSTOM_INPUTS
}


def field_label(name: str) -> str:
    """A form field's name as the page shows it ("baseline-hours" is "Baseline: Production hours")."""
    prefix, _, rest = name.partition("-")
    if prefix in MEASUREMENTS and rest in INPUT_LABELS:
        return f"{MEASUREMENTS[prefix]}: {INPUT_LABELS[rest]}"
    return str(FIELDS.get(name, name))


def _reference_names(session: Session, model: Any, key: str) -> dict[Any, str]:
    """Names of reference records (loaded by the migrations, never changed by the app) in the
    current language, by `key`: read once per app and language, not on every page."""
    cache = current_app.extensions.setdefault("outcomes.reference_names", {})
    cached = (model.__name__, current_language())
    if cached not in cache:
        records = session.exec(select(model).order_by(col(getattr(model, key))))
        cache[cached] = {getattr(r, key): local_name(r) for r in records}
    return cache[cached]


def municipality_names(session: Session) -> dict[int, str]:
    """The 14 cities' and counties' names, by id, in their order."""
    return _reference_names(session, Municipality, "id")


def industry_names(session: Session) -> dict[str, str]:
    """KSIC divisions as "C29 기타 기계 및 장비", by code."""
    return {code: f"{code} {name}" for code, name in _reference_names(session, Industry, "code").items()}


def cohort_years(session: Session) -> list[int]:
    """The program years, newest first (for the year filters)."""
    return list(session.exec(select(Cohort.year).distinct().order_by(col(Cohort.year).desc())))
