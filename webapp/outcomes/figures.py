"""The province's figures, computed one way for the dashboard, the engagement lists, the exports
and the API: progress toward the goal by year, engagements per municipality / track / industry,
KPI improvements as distributions (median, quartiles, how many firms met their target), tasks
found and solved, survey results.

Every figure is a count or a distribution over `EngagementFacts` rows; `Filters` picks the rows
behind any figure, so each number on the dashboard links to exactly the engagements it counts.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, func, select

from webapp.directory.models import Company
from webapp.engagements.models import Engagement, EngagementState
from webapp.outcomes.kpis import DEFINITIONS
from webapp.outcomes.models import ImprovementTask, KpiIndicator, KpiKind, Survey, SurveyKind, TaskState
from webapp.outcomes.summary import KpiRow, kpi_row
from webapp.programs.models import Cohort

BUCKETS = ("completed", "on_site", "planned")  # planned counts planned and agreed
STANDARD_KINDS = tuple(DEFINITIONS)


def bucket_of(state: str) -> str | None:
    if state in (EngagementState.planned, EngagementState.agreed):
        return "planned"
    return state if state in BUCKETS else None  # cancelled: not counted


@dataclass(frozen=True)
class EngagementValues:
    """What the figures, lists and exports read of an engagement and of its company. Every
    `*Values` class is loaded as plain columns: building thousands of ORM instances (with their
    JSON and time-zone conversions) would take most of the dashboard's and the export's time."""

    id: int
    state: str
    start_date: date
    end_date: date
    weeks: int


@dataclass(frozen=True)
class CompanyValues:
    id: int
    name: str
    business_reg_no: str
    municipality_id: int
    industry_code: str
    track: str


@dataclass(frozen=True)
class IndicatorValues:
    id: int
    kind: str
    name: str
    unit: str
    direction: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class SurveyValues:
    kind: str
    due_on: date
    sent_at: datetime | None
    answered_at: datetime | None
    rating: int | None
    working_out: bool | None
    gains_kept: str | None
    comment: str
    flagged: bool


def _columns(table: type, values: type) -> list[Any]:
    """The columns of `table` that fill a `values` dataclass, in its field order."""
    return [col(getattr(table, f.name)) for f in fields(values)]


@dataclass
class EngagementFacts:
    engagement: EngagementValues
    company: CompanyValues
    year: int
    bucket: str
    kpis: list[KpiRow] = field(default_factory=list)
    tasks_found: int = 0
    tasks_solved: int = 0
    surveys: list[SurveyValues] = field(default_factory=list)

    def kpi(self, kind: str) -> KpiRow | None:
        return next((k for k in self.kpis if k.indicator.kind == kind), None)

    @property
    def flagged(self) -> bool:
        return any(s.flagged for s in self.surveys)


@dataclass(frozen=True)
class Filters:
    """Which engagements a figure counts (every field optional); also the list page's query."""

    year: int | None = None
    municipality: int | None = None
    track: str | None = None
    industry: str | None = None
    bucket: str | None = None
    kpi: str | None = None  # engagements with an actual for this indicator
    met: bool | None = None  # ... that met (True) or missed (False) its target
    flagged: bool | None = None

    def matches(self, f: EngagementFacts) -> bool:
        if self.year is not None and f.year != self.year:
            return False
        if self.municipality is not None and f.company.municipality_id != self.municipality:
            return False
        if self.track is not None and (f.company.track or "") != self.track:
            return False
        if self.industry is not None and f.company.industry_code != self.industry:
            return False
        if self.bucket is not None and f.bucket != self.bucket:
            return False
        if self.flagged is not None and f.flagged != self.flagged:
            return False
        if self.kpi is not None:
            row = f.kpi(self.kpi)
            if row is None or row.actual is None or (self.met is not None and row.met is not self.met):
                return False
        return True

    def query(self) -> dict[str, str]:
        """As URL query arguments (for links to the list)."""
        out = {k: v for k, v in self.__dict__.items() if v is not None}
        return {k: ("1" if v is True else "0" if v is False else str(v)) for k, v in out.items()}


def _scoped(statement: Any, municipality: int | None, year: int | None) -> Any:
    """`statement` over engagements joined with their company and cohort: every engagement that is
    not cancelled, or only those of one city or county, or of one year."""
    statement = (
        statement.join(Company, col(Company.id) == col(Engagement.company_id))
        .join(Cohort, col(Cohort.id) == col(Engagement.cohort_id))
        .where(col(Engagement.state) != EngagementState.cancelled)
    )
    if municipality is not None:
        statement = statement.where(col(Company.municipality_id) == municipality)
    if year is not None:
        statement = statement.where(col(Cohort.year) == year)
    return statement


def engagement_ids(municipality: int | None = None, year: int | None = None) -> Any:
    """The ids of `load_facts`' engagements as a subquery (set-based: the rows that belong to them
    are read without sending a list of ids back to the database)."""
    return _scoped(select(col(Engagement.id)), municipality, year)


def load_facts(
    session: Session, municipality: int | None = None, year: int | None = None
) -> list[EngagementFacts]:
    """Every engagement that is not cancelled, with its company, KPIs, task counts and surveys."""
    engagement_columns, company_columns = (
        _columns(Engagement, EngagementValues),
        _columns(Company, CompanyValues),
    )
    split = 1 + len(engagement_columns)
    facts: dict[int, EngagementFacts] = {}
    for row in session.exec(
        _scoped(select(col(Cohort.year), *engagement_columns, *company_columns), municipality, year).order_by(
            col(Cohort.year), col(Company.name)
        )
    ):
        engagement = EngagementValues(*row[1:split])
        facts[engagement.id] = EngagementFacts(
            engagement, CompanyValues(*row[split:]), row[0], bucket_of(engagement.state) or "planned"
        )
    if not facts:
        return []
    # Rows of an engagement that appeared since the first query (PostgreSQL reads each statement
    # afresh) are left out: `facts` is what the figures count.
    ids = engagement_ids(municipality, year)
    indicator_rows: Iterable[Any] = session.exec(
        select(col(KpiIndicator.engagement_id), *_columns(KpiIndicator, IndicatorValues))
        .where(col(KpiIndicator.engagement_id).in_(ids))
        .order_by(col(KpiIndicator.id))
    )
    for engagement_id, *values in indicator_rows:
        if engagement_id in facts:
            facts[engagement_id].kpis.append(kpi_row(IndicatorValues(*values)))
    for engagement_id, state, count in session.exec(
        select(col(ImprovementTask.engagement_id), col(ImprovementTask.state), func.count())
        .where(col(ImprovementTask.engagement_id).in_(ids))
        .group_by(col(ImprovementTask.engagement_id), col(ImprovementTask.state))
    ):
        if engagement_id in facts:
            facts[engagement_id].tasks_found += count
            facts[engagement_id].tasks_solved += count if state == TaskState.solved else 0
    survey_rows: Iterable[Any] = session.exec(
        select(col(Survey.engagement_id), *_columns(Survey, SurveyValues)).where(
            col(Survey.engagement_id).in_(ids)
        )
    )
    for engagement_id, *values in survey_rows:
        if engagement_id in facts:
            facts[engagement_id].surveys.append(SurveyValues(*values))
    return list(facts.values())


@dataclass(frozen=True)
class Distribution:
    """The improvements (signed change in %) of one indicator over the firms that measured it."""

    kind: str
    values: tuple[float, ...]
    met: int
    with_target: int

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def quartiles(self) -> tuple[float, float] | None:
        if len(self.values) < 2:
            return None
        q = statistics.quantiles(self.values, n=4, method="inclusive")
        return q[0], q[2]

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.values) if self.values else None


def kpi_distributions(facts: Iterable[EngagementFacts]) -> list[Distribution]:
    """Per standard indicator: the completed engagements' changes, and how many met the target."""
    changes: dict[str, list[float]] = defaultdict(list)
    met: Counter[str] = Counter()
    with_target: Counter[str] = Counter()
    for f in facts:
        if f.bucket != "completed":
            continue
        for row in f.kpis:
            if row.indicator.kind == KpiKind.custom or row.change_pct is None:
                continue
            changes[row.indicator.kind].append(float(row.change_pct))
            if row.met is not None:
                with_target[row.indicator.kind] += 1
                met[row.indicator.kind] += bool(row.met)
    return [
        Distribution(kind, tuple(sorted(changes[kind])), met[kind], with_target[kind])
        for kind in STANDARD_KINDS
        if changes.get(kind)
    ]


def counts_by(facts: Iterable[EngagementFacts], key) -> dict[object, Counter[str]]:
    """Engagements per `key(facts)` and bucket."""
    out: dict[object, Counter[str]] = defaultdict(Counter)
    for f in facts:
        out[key(f)][f.bucket] += 1
    return dict(out)


@dataclass(frozen=True)
class SurveyFigures:
    satisfaction: Counter[int]  # completion ratings 1-5
    week2_answers: int
    week2_flagged: int
    gains: Counter[str]  # follow-ups: kept / partly / lost
    sent: int
    answered: int

    @property
    def satisfaction_mean(self) -> Decimal | None:
        total = sum(self.satisfaction.values())
        if not total:
            return None
        return (Decimal(sum(k * v for k, v in self.satisfaction.items())) / total).quantize(Decimal("0.01"))


def survey_figures(facts: Iterable[EngagementFacts]) -> SurveyFigures:
    satisfaction: Counter[int] = Counter()
    gains: Counter[str] = Counter()
    week2 = flagged = sent = answered = 0
    for f in facts:
        for s in f.surveys:
            sent += s.sent_at is not None
            if s.answered_at is None:
                continue
            answered += 1
            if s.kind == SurveyKind.completion and s.rating:
                satisfaction[s.rating] += 1
            elif s.kind == SurveyKind.week2:
                week2 += 1
                flagged += s.flagged
            elif s.gains_kept:
                gains[s.gains_kept] += 1
    return SurveyFigures(satisfaction, week2, flagged, gains, sent, answered)
