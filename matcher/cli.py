"""Command line of the contract: `matcher solve ...` and `matcher generate ...`.

Exit codes: 0 with a result, 2 on invalid input or usage (one `record.field: message` line per
problem on stderr; nothing is written to -o then), 1 on an internal error.
"""

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="matcher", description="Mentor-company matching (see docs/matcher.md)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="solve an instance")
    s.add_argument("instance", help="instance JSON file, or - for standard input")
    s.add_argument("-o", "--output", help="result file (default: standard output)")
    s.add_argument("--time-limit", type=float, help="seconds for the side-constraint search")
    s.add_argument("--workers", type=int, help="CP-SAT workers for the side-constraint search")
    g = sub.add_parser("generate", help="print a realistic random instance")
    g.add_argument("--companies", type=int, required=True)
    g.add_argument("--mentors", type=int, required=True)
    g.add_argument("--seed", type=int, required=True)
    g.add_argument("--scope", choices=("province", "nation"), default="province")
    # The planner's and the router's subcommands (imported here: they use this module's helpers).
    from .planning import cli as planning_cli
    from .routing import cli as routing_cli

    p.set_defaults(runners={**planning_cli.add_parsers(sub), **routing_cli.add_parsers(sub)})
    return p


def _fail(lines: list[str]) -> int:
    sys.stderr.write("".join(f"{line}\n" for line in lines))
    return 2


def _read(path: str) -> tuple[object, list[str]]:
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            text = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                text = f.read()
    except OSError as e:
        return None, [f"{name}: cannot read: {e.strerror or e}"]
    try:
        return json.loads(text), []
    except UnicodeDecodeError as e:
        return None, [f"{name}: not UTF-8 text ({e.reason} at byte {e.start})"]
    except json.JSONDecodeError as e:
        return None, [f"{name}: invalid JSON: {e.msg} at line {e.lineno} column {e.colno}"]
    except RecursionError:
        return None, [f"{name}: invalid JSON: nested too deeply"]


def _write(text: str, path: str | None) -> None:
    if path is None:
        sys.stdout.write(text)
        return
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _usage_problems(args: argparse.Namespace) -> list[str]:
    """The solving commands' options: a finite positive time limit, at least one worker."""
    usage = []
    if args.time_limit is not None and not 0 < args.time_limit < math.inf:
        usage.append("--time-limit: must be a positive number of seconds")
    if getattr(args, "workers", None) is not None and args.workers < 1:
        usage.append("--workers: must be at least 1")
    return usage


def run_contract(
    args: argparse.Namespace,
    parse: Callable[[Any], tuple[T | None, list[str]]],
    solve: Callable[[T, float], dict[str, Any]],
) -> int:
    """A solving command (solve, plan, route): options, reading and validation, each failing
    with exit 2 and one line per problem; then `solve(instance, started)`, written in one step.
    `solve` imports its solver itself, so bad input is refused before OR-Tools loads."""
    started = time.perf_counter()
    usage = _usage_problems(args)
    if usage:
        return _fail(usage)
    raw, errors = _read(args.instance)
    if errors:
        return _fail(errors)
    instance, errors = parse(raw)
    if instance is None:
        return _fail(errors)
    _write(json.dumps(solve(instance, started), ensure_ascii=False) + "\n", args.output)
    return 0


def _solve(args: argparse.Namespace) -> int:
    from .domain import Instance
    from .validation import parse

    def solve(instance: Instance, started: float) -> dict[str, Any]:
        from .solver import solve_instance

        return solve_instance(instance, args.time_limit, args.workers, started)

    return run_contract(args, parse, solve)


def _generate(args: argparse.Namespace) -> int:
    if args.companies < 0 or args.mentors < 0:
        return _fail(["--companies/--mentors: must be >= 0"])
    from .generator import generate_instance

    instance = generate_instance(args.companies, args.mentors, args.seed, args.scope)
    sys.stdout.write(json.dumps(instance, ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        runners: dict[str, Callable[[argparse.Namespace], int]] = {
            "solve": _solve,
            "generate": _generate,
            **args.runners,
        }
        return runners[args.command](args)
    except BrokenPipeError:
        return 1
    except OSError as e:
        sys.stderr.write(f"{getattr(args, 'output', None) or 'output'}: cannot write: {e.strerror or e}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
