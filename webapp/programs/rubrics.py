"""The inspection checklist and the evaluation rubric of a cohort: the program's defaults, the
coordinator's edits, and the rule that keeps scored sheets intact.

Items are {"key", "ko", "en"} in their order; rubric criteria also carry a "weight" (1-100;
weights need not sum to 100: the total is the weighted mean of the 0-100 scores). Checklist
items are scored 1-5 with a note on site. An inspection's checklist and an evaluator's scores
are stored by item key.

A cohort's checklist can be changed until the first inspection of the cohort saves a checklist
(a draft counts: its notes are by item), its rubric until the first evaluator submits scores;
after that both stay as they are, so every sheet of the cohort is read against the items it
was filled in on. The database settles the race between the coordinator's edit and the first
sheet: both first take the cohort's row (`hold`), so one waits for the other and then sees it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Literal

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.inputs import has_control_characters
from webapp.programs.application_models import Application
from webapp.programs.evaluation_models import EvaluationAssignment
from webapp.programs.inspection_models import Inspection
from webapp.programs.models import Cohort
from webapp.programs.text import REQUIRED, Errors, Refused, int_field

DEFAULT_CHECKLIST = [
    {"key": "process", "ko": "공정 (흐름, 표준화, 병목)", "en": "Process (flow, standard work, bottlenecks)"},
    {
        "key": "equipment",
        "ko": "설비 (상태, 보전, 자동화 여지)",
        "en": "Equipment (condition, upkeep, automation)",
    },
    {
        "key": "data",
        "ko": "데이터 (실적 기록, 전산화 수준)",
        "en": "Data (records of results, computerisation)",
    },
    {"key": "management", "ko": "경영진 의지 (참여, 전담 인력)", "en": "Management commitment (time, staff)"},
]
DEFAULT_RUBRIC = [
    {"key": "need", "ko": "도입 필요성", "en": "Need for a smart factory", "weight": 30},
    {"key": "plan", "ko": "사업계획의 적정성", "en": "Soundness of the plan", "weight": 30},
    {"key": "capacity", "ko": "추진 역량 및 의지", "en": "Capacity and commitment", "weight": 25},
    {
        "key": "impact",
        "ko": "기대 효과 (생산성·품질)",
        "en": "Expected gains (productivity, quality)",
        "weight": 15,
    },
]
CHECK_SCORES = range(1, 6)  # 1 = not ready .. 5 = ready
Kind = Literal["checklist", "rubric"]
KINDS: tuple[Kind, ...] = ("checklist", "rubric")
MAX_ITEMS = 12
MAX_LABEL = 120
WEIGHTS = (1, 100)
COLUMNS = {"ko": _l("Korean"), "en": _l("English"), "weight": _l("Weight"), "order": _l("Order")}


def checklist_of(cohort: Cohort) -> list[dict]:
    return cohort.checklist or DEFAULT_CHECKLIST


def rubric_of(cohort: Cohort) -> list[dict]:
    return cohort.rubric or DEFAULT_RUBRIC


def items_of(cohort: Cohort, kind: Kind) -> list[dict]:
    return checklist_of(cohort) if kind == "checklist" else rubric_of(cohort)


def item_label(item: dict) -> str:
    """An item's text in the page's language (the Korean one when it has no English)."""
    return item["ko"] if str(get_locale()) == "ko" or not item.get("en") else item["en"]


def weighted_total(rubric: list[dict], scores: dict[str, int]) -> float:
    """The weighted mean of 0-100 scores over the rubric, rounded to 0.01."""
    weight = sum(c["weight"] for c in rubric)
    return round(sum(c["weight"] * scores[c["key"]] for c in rubric) / weight, 2)


def basis(items: list[dict]) -> str:
    """A fingerprint of the items an editing page showed: saving is refused when they changed
    meanwhile (another coordinator's edit), as decisions are on the decision seen."""
    return hashlib.sha256(json.dumps(items, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def hold(session: Session, cohort_id: int) -> None:
    """Take the cohort's row until the transaction ends (an update that changes nothing): an
    edit of the checklist or rubric and a sheet scored on them run one after the other, on
    PostgreSQL (row lock) as on SQLite (the write lock, taken before anything is read). The
    session's objects are then read again, so what the other transaction committed is seen."""
    session.execute(
        update(Cohort).where(col(Cohort.id) == cohort_id).values(updated_at=col(Cohort.updated_at))
    )
    session.expire_all()


def sheets_scored(session: Session, cohort_id: int, kind: Kind) -> int:
    """How many sheets of the cohort use its checklist (inspections with a saved checklist) or
    its rubric (submitted scores)."""
    if kind == "rubric":
        return session.exec(
            select(func.count())
            .select_from(EvaluationAssignment)
            .join(Application, col(Application.id) == EvaluationAssignment.application_id)
            .where(Application.cohort_id == cohort_id, col(EvaluationAssignment.submitted_at).is_not(None))
        ).one()
    checklists = session.exec(select(Inspection.checklist).where(Inspection.cohort_id == cohort_id))
    return sum(1 for checklist in checklists if checklist)


class SheetInvalid(Refused):
    """The checklist or rubric refused (nothing stored)."""


def field_label(kind: Kind, field: str) -> str:
    """A row's field as the page calls it ("Criterion 2, Weight")."""
    row, _, column = field.removeprefix("item").partition("_")
    if not row.isdigit() or column not in COLUMNS:
        return ""
    name = _l("Item %(n)s", n=int(row) + 1) if kind == "checklist" else _l("Criterion %(n)s", n=int(row) + 1)
    return f"{name}, {COLUMNS[column]}"


def parse_items(kind: Kind, form: Mapping[str, str], current: list[dict]) -> tuple[list[dict], Errors]:
    """The edited items from rows item<i>_ko, item<i>_en, item<i>_weight (rubric), item<i>_order
    and the hidden item<i>_key. An empty row is no item (a row emptied removes its item). A row
    keeps its key when it is one of the current items'; other rows get new keys, so a key is
    never taken from the request."""
    errors: Errors = {}
    known = {item["key"] for item in current}
    rows: list[tuple[int, int, dict]] = []
    for i in range(MAX_ITEMS):
        prefix = f"item{i}_"
        text = {name: (form.get(prefix + name) or "").strip() for name in ("ko", "en", "weight", "order")}
        if not any(text.values()):
            continue
        for name in ("ko", "en"):
            if len(text[name]) > MAX_LABEL:
                errors[prefix + name] = _l("At most %(limit)s characters.", limit=MAX_LABEL)
            elif has_control_characters(text[name]):
                errors[prefix + name] = _l("Holds a line break or another control character.")
        if not text["ko"]:
            errors[prefix + "ko"] = REQUIRED
        key = (form.get(prefix + "key") or "").strip()
        item: dict = {"key": key if key in known else "", "ko": text["ko"], "en": text["en"]}
        if kind == "rubric":
            item["weight"] = int_field(form, prefix + "weight", *WEIGHTS, errors)
        order = int_field(form, prefix + "order", 1, MAX_ITEMS, errors, optional=True)
        rows.append((i + 1 if order is None else order, i, item))
    items = [item for _, _, item in sorted(rows, key=lambda row: row[:2])]
    seen: dict[str, int] = {}
    for _, i, item in rows:
        if item["ko"] in seen:
            errors.setdefault(f"item{i}_ko", _l("%(value)s appears twice.", value=item["ko"]))
        seen.setdefault(item["ko"], i)
    if not items:
        errors["item0_ko"] = (
            _l("A checklist needs at least one item.")
            if kind == "checklist"
            else _l("A rubric needs at least one criterion.")
        )
    used = {item["key"] for item in items}
    fresh = (f"k{n}" for n in range(1, 2 * MAX_ITEMS + len(known) + 1) if f"k{n}" not in known | used)
    for item in items:
        item["key"] = item["key"] or next(fresh)
    return items, errors


def save_items(
    session: Session, cohort: Cohort, kind: Kind, form: Mapping[str, str], user_id: int
) -> list[dict]:
    """Replace the cohort's checklist or rubric with the edited items. `form["basis"]` is the
    fingerprint of the items the page showed. Commits; raises SheetInvalid (the fields), or
    SheetInvalid with `conflict` when sheets are scored on them already or someone else changed
    them meanwhile."""
    items, errors = parse_items(kind, form, items_of(cohort, kind))
    if errors:
        raise SheetInvalid(errors)
    cohort_id = cohort.id
    assert cohort_id is not None
    hold(session, cohort_id)
    before = items_of(cohort, kind)
    if form.get("basis") != basis(before):
        message = _l("Someone else changed these items a moment ago; look again.")
        raise SheetInvalid({"items": message}, conflict=True)
    scored = sheets_scored(session, cohort_id, kind)
    if scored:
        message = (
            _l("%(n)s inspections have saved this checklist; it can no longer change.", n=scored)
            if kind == "checklist"
            else _l(
                "%(n)s evaluators have submitted scores on this rubric; it can no longer change.", n=scored
            )
        )
        raise SheetInvalid({"items": message}, conflict=True)
    setattr(cohort, kind, items)
    cohort.updated_at = utcnow()
    session.add(cohort)
    audit(session, user_id, f"{kind}_changed", Entity.cohort, cohort_id, before=before, after=items)
    session.commit()
    return items
