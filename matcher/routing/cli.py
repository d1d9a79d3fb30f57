"""`matcher route ...` and `matcher generate-route ...`: parser builders and runners that
matcher/cli.py registers (it owns reading, writing and the exit codes)."""

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from ..cli import _fail, run_contract


def add_parsers(
    sub: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Adds the two subcommands; returns their runners by name."""
    r = sub.add_parser("route", help="plan site-visit routes (see docs/router.md)")
    r.add_argument("instance", help="instance JSON file, or - for standard input")
    r.add_argument("-o", "--output", help="result file (default: standard output)")
    r.add_argument("--time-limit", type=float, help="seconds for the whole run (default 10)")
    g = sub.add_parser("generate-route", help="print a realistic inspection-burst routing instance")
    g.add_argument("--visits", type=int, required=True)
    g.add_argument("--days", type=int, required=True)
    g.add_argument("--pairs", type=int, required=True)
    g.add_argument("--seed", type=int, required=True)
    return {"route": run_route, "generate-route": run_generate}


def run_route(args: argparse.Namespace) -> int:
    from .model import RoutingInstance
    from .validation import parse

    def solve(instance: RoutingInstance, started: float) -> dict[str, Any]:
        from .solver import solve_routing

        return solve_routing(instance, args.time_limit, started)

    return run_contract(args, parse, solve)


def run_generate(args: argparse.Namespace) -> int:
    if args.visits < 0 or args.days < 1 or args.pairs < 1:
        return _fail(["--visits/--days/--pairs: need visits >= 0, days >= 1 and pairs >= 1"])
    from .generator import generate

    sys.stdout.write(json.dumps(generate(args.visits, args.days, args.pairs, args.seed)) + "\n")
    return 0
