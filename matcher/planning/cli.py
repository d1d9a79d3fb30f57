"""`matcher plan ...` and `matcher generate-plan ...` (planning contract), registered by
matcher/cli.py; same exit codes and helpers as `solve` (0 result, 2 invalid input or usage)."""

import argparse
import json
import sys
import time
from collections.abc import Callable

from ..cli import _fail, _read, _usage_problems, _write


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
    start = time.perf_counter()
    usage = _usage_problems(args)
    if usage:
        return _fail(usage)
    raw, errors = _read(args.instance)
    if errors:
        return _fail(errors)
    from .solve import plan_instance
    from .validation import parse

    instance, errors = parse(raw)
    if instance is None:
        return _fail(errors)
    result = plan_instance(instance, args.time_limit, args.workers, start)
    _write(json.dumps(result, ensure_ascii=False) + "\n", args.output)
    return 0


def run_generate(args: argparse.Namespace) -> int:
    if args.companies < 0 or args.mentors < 0:
        return _fail(["--companies/--mentors: must be >= 0"])
    if not 1 <= args.weeks <= 104:
        return _fail(["--weeks: must be between 1 and 104"])
    from .generator import generate_plan_instance

    instance = generate_plan_instance(args.companies, args.mentors, args.weeks, args.seed, args.scope)
    sys.stdout.write(json.dumps(instance, ensure_ascii=False) + "\n")
    return 0
