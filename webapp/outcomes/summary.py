"""One engagement's outcome in figures: each KPI's baseline, target, actual, change and whether the
target was met, and the tasks found and solved. The pages, the report, the exports and the API all
read it from here, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from webapp.outcomes.kpis import change_pct, gain_pct, target_met
from webapp.outcomes.labels import indicator_name, indicator_unit
from webapp.outcomes.models import ImprovementTask, TaskState


class Indicator(Protocol):
    """A KpiIndicator row, or the plain values of one (figures.IndicatorValues)."""

    @property
    def id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def baseline(self) -> Decimal | None: ...
    @property
    def target(self) -> Decimal | None: ...
    @property
    def actual(self) -> Decimal | None: ...


@dataclass(frozen=True)
class KpiRow:
    indicator: Indicator
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    change_pct: Decimal | None  # signed: lead time -39%
    gain_pct: Decimal | None  # positive = better, in either direction
    met: bool | None

    # Computed or translated when shown (the dashboard's figures over thousands of rows never need them).
    @property
    def target_change_pct(self) -> Decimal | None:
        return change_pct(self.baseline, self.target)

    @property
    def name(self) -> str:
        return indicator_name(self.indicator)

    @property
    def unit(self) -> str:
        return indicator_unit(self.indicator)


def kpi_row(indicator: Indicator) -> KpiRow:
    change = change_pct(indicator.baseline, indicator.actual)
    return KpiRow(
        indicator,
        indicator.baseline,
        indicator.target,
        indicator.actual,
        change,
        gain_pct(indicator.direction, change),
        target_met(indicator.direction, indicator.target, indicator.actual),
    )


@dataclass(frozen=True)
class TaskCounts:
    found: int
    solved: int

    @property
    def solved_pct(self) -> Decimal | None:
        return None if not self.found else (Decimal(self.solved) * 100 / self.found).quantize(Decimal("0.1"))


def task_counts(tasks: list[ImprovementTask]) -> TaskCounts:
    return TaskCounts(len(tasks), sum(1 for t in tasks if t.state == TaskState.solved))
