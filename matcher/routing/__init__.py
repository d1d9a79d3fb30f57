"""Site-visit router: which team visits which company, in what order, at what time
(see /work/shared/specs/routing-contract.md and docs/router.md).

Importing this package is cheap: numpy and PyVRP load only when something is solved.
"""

import time
from typing import Any

__all__ = ["generate_route_instance", "route"]


def route(instance: object, time_limit: float | None = None) -> dict[str, Any]:
    """Plan a contract instance (decoded JSON) and return the contract's result dict.

    Raises matcher.InvalidInstance (with `.errors`, one contract-style line each) on bad input.
    `time_limit` (seconds, default 10) bounds the whole call.
    """
    started = time.perf_counter()
    from .solver import solve_routing
    from .validation import parse_or_raise

    return solve_routing(parse_or_raise(instance), time_limit, started)


def generate_route_instance(visits: int, days: int, pairs: int, seed: int) -> dict[str, Any]:
    """A realistic inspection-burst instance (deterministic in its arguments)."""
    from .generator import generate

    return generate(visits, days, pairs, seed)
