"""`matcher route ...` and `matcher generate-route ...`: parser builders and runners that
matcher/cli.py registers (it owns reading, writing and the exit codes)."""

import argparse
import json
import math
import sys
import time
from collections.abc import Callable

Reader = Callable[[str], tuple[object, list[str]]]
Writer = Callable[[str, str | None], None]
Failer = Callable[[list[str]], int]


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    r = sub.add_parser("route", help="plan site-visit routes (see docs/router.md)")
    r.add_argument("instance", help="instance JSON file, or - for standard input")
    r.add_argument("-o", "--output", help="result file (default: standard output)")
    r.add_argument("--time-limit", type=float, help="seconds for the whole run (default 10)")
    g = sub.add_parser("generate-route", help="print a realistic inspection-burst routing instance")
    g.add_argument("--visits", type=int, required=True)
    g.add_argument("--days", type=int, required=True)
    g.add_argument("--pairs", type=int, required=True)
    g.add_argument("--seed", type=int, required=True)


def run_route(args: argparse.Namespace, read: Reader, write: Writer, fail: Failer) -> int:
    started = time.perf_counter()
    if args.time_limit is not None and not 0 < args.time_limit < math.inf:
        return fail(["--time-limit: must be a positive number of seconds"])
    raw, errors = read(args.instance)
    if errors:
        return fail(errors)
    from .validation import parse

    instance, errors = parse(raw)
    if instance is None:
        return fail(errors)
    from .solver import solve_routing

    result = solve_routing(instance, args.time_limit, started)
    write(json.dumps(result, ensure_ascii=False) + "\n", args.output)
    return 0


def run_generate(args: argparse.Namespace, fail: Failer) -> int:
    if args.visits < 0 or args.days < 1 or args.pairs < 1:
        return fail(["--visits/--days/--pairs: need visits >= 0, days >= 1 and pairs >= 1"])
    from .generator import generate

    sys.stdout.write(json.dumps(generate(args.visits, args.days, args.pairs, args.seed)) + "\n")
    return 0
