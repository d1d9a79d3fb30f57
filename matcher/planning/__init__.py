"""Engagement planner: which applicants a program year serves, when, and with which mentor team,
with a proven bound (docs/planner.md, shared/specs/planning-contract.md).

Importing this package is cheap: numpy, HiGHS and OR-Tools load only when something is planned.
"""

from collections.abc import Callable
from typing import Any

__all__ = ["generate_plan", "plan", "validate_plan"]


def plan(
    instance: dict[str, Any],
    time_limit: float | None = None,
    workers: int | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Plan a contract instance (decoded JSON); returns the contract's result dict.

    Raises matcher.InvalidInstance (`.errors`: one `record.field: message` line each) on bad
    input. `time_limit` in seconds (default 30), `workers`: CP-SAT workers (default: cores).
    `progress` (extension) is called with {"objective", "bound", "elapsed"} as the search goes.
    """
    import time

    start = time.perf_counter()
    from .solve import plan_instance
    from .validation import parse_or_raise

    return plan_instance(parse_or_raise(instance), time_limit, workers, start, progress)


def validate_plan(instance: dict[str, Any]) -> list[str]:
    """Contract-style error lines for a decoded planning instance; [] when it is valid."""
    from .validation import parse

    return parse(instance)[1]


def generate_plan(
    companies: int, mentors: int, weeks: int, seed: int, scope: str = "province"
) -> dict[str, Any]:
    """A realistic random planning instance (deterministic in its arguments)."""
    from .generator import generate_plan_instance

    return generate_plan_instance(companies, mentors, weeks, seed, scope)
