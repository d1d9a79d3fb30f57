"""The program's default inspection checklist and evaluation rubric (a cohort may set its own).

Items are {"key", "ko", "en"}; rubric criteria also carry a "weight" (weights need not sum to
100: the total is the weighted mean). Checklist items are scored 1-5 on site.
"""

from __future__ import annotations

from flask_babel import get_locale

from webapp.programs.models import Cohort

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


def checklist_of(cohort: Cohort) -> list[dict]:
    return cohort.checklist or DEFAULT_CHECKLIST


def rubric_of(cohort: Cohort) -> list[dict]:
    return cohort.rubric or DEFAULT_RUBRIC


def item_label(item: dict) -> str:
    """An item's text in the page's language."""
    return item["ko"] if str(get_locale()) == "ko" else item["en"]


def weighted_total(rubric: list[dict], scores: dict[str, int]) -> float:
    """The weighted mean of 0-100 scores over the rubric, rounded to 0.01."""
    weight = sum(c["weight"] for c in rubric)
    return round(sum(c["weight"] * scores[c["key"]] for c in rubric) / weight, 2)
