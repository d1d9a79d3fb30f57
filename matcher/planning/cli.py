"""`matcher plan ...` and `matcher generate-plan ...` (planning contract), registered by
matcher/cli.py; same exit codes and helpers as `solve` (0 result, 2 invalid input or usage)."""

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
    p = sub.add_parser("plan", help="plan a program year of engagements (docs/planner.md)")
    p.add_argument("instance", help="instance JSON file, or - for standard input")
    p.add_argument("-o", "--output", help="result file (default: standard output)")
    p.add_argument("--time-limit", type=float, default=30.0, help="seconds for the search (default 30)")
    p.add_argument("--workers", type=int, help="solver workers (default: the machine's cores)")
    g = sub.add_parser("generate-plan", help="print a realistic random planning instance")
    g.add_argument("--companies", type=int, required=True)
    g.add_argument("--mentors", type=int, required=True)
    g.add_argument("--weeks", type=int, required=True)
    g.add_argument("--seed", type=int, required=True)
    g.add_argument("--scope", choices=("province", "nation"), default="province")
    return {"plan": run_plan, "generate-plan": run_generate}


def run_plan(args: argparse.Namespace) -> int:
    from .model import Instance
    from .validation import parse

    def solve(instance: Instance, started: float) -> dict[str, Any]:
        from .solve import plan_instance

        return plan_instance(instance, args.time_limit, args.workers, started)

    return run_contract(args, parse, solve)


def run_generate(args: argparse.Namespace) -> int:
    if args.companies < 0 or args.mentors < 0:
        return _fail(["--companies/--mentors: must be >= 0"])
    if not 1 <= args.weeks <= 104:
        return _fail(["--weeks: must be between 1 and 104"])
    from .generator import generate_plan_instance

    instance = generate_plan_instance(args.companies, args.mentors, args.weeks, args.seed, args.scope)
    sys.stdout.write(json.dumps(instance, ensure_ascii=False) + "\n")
    return 0
