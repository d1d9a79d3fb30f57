"""Optimal, explained assignment of mentors to companies (see docs/matcher.md).

Importing this package is cheap: numpy and OR-Tools load only when something is solved.
"""

import time

from .domain import InvalidInstance
from .validation import validate

__all__ = ["InvalidInstance", "generate", "route", "solve", "validate"]


def solve(instance: dict, time_limit: float | None = None, workers: int | None = None) -> dict:
    """Solve a contract instance (decoded JSON) and return the result dict of the contract.

    Raises InvalidInstance (with `.errors`, one contract-style line each) on bad input.
    `time_limit` (seconds) bounds the side-constraint search; `workers` is CP-SAT's worker count.
    """
    start = time.perf_counter()
    from .solver import solve_instance
    from .validation import parse_or_raise

    return solve_instance(parse_or_raise(instance), time_limit, workers, start)


def generate(companies: int, mentors: int, seed: int, scope: str = "province") -> dict:
    """A realistic random instance (deterministic in its arguments); scope 'province' or 'nation'."""
    from .generator import generate_instance

    return generate_instance(companies, mentors, seed, scope)


def route(instance: dict, time_limit: float | None = None) -> dict:
    """Plan site-visit routes for a routing-contract instance (see docs/router.md)."""
    from .routing import route as route_instance

    return route_instance(instance, time_limit)
