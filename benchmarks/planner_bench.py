"""Engagement planner benchmark: per size, the planner's wall time (process start included),
peak memory, objective, proven bound and gap, and the greedy baseline's (docs/planner.md); the
machine's 1-minute load average before each run (the machine may be shared).

    python benchmarks/planner_bench.py [--seed S] [--sizes 60x15x44,200x30x44] [--time-limit T]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from matcher.planning import generate_plan
from matcher.planning.greedy import greedy
from matcher.planning.pricing import TeamPicker
from matcher.planning.pruning import prepare
from matcher.planning.solve import Planner, fill
from matcher.planning.validation import parse_or_raise

# companies, mentors, weeks, scope, time limit (s): the targets of issue #12
SIZES = {
    "60x15x44": (60, 15, 44, "province", 5.0),
    "200x30x44": (200, 30, 44, "province", 30.0),
    "600x100x48": (600, 100, 48, "nation", 30.0),
    "1000x200x48": (1000, 200, 48, "nation", 60.0),
}


def run_planner(path: str, time_limit: float, workers: int) -> tuple[dict, float, float]:
    """The result, wall seconds and peak MiB of one `python -m matcher plan` process."""
    cmd = [
        sys.executable,
        "-m",
        "matcher",
        "plan",
        path,
        "--time-limit",
        str(time_limit),
        "--workers",
        str(workers),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"planner exited with status {status}")
    return json.loads(out), wall, usage.ru_maxrss / 1024


def greedy_baseline(raw: dict) -> tuple[int, float]:
    t0 = time.perf_counter()
    planner = Planner(parse_or_raise(raw), 1.0, 1, t0, None)
    problem = prepare(planner.instance)
    pickers = [TeamPicker(c) for c in problem.free]
    value = sum(c.value for c in fill(problem, pickers, greedy(problem, pickers))) + planner.pinned_value
    return value, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sizes", default=",".join(SIZES))
    ap.add_argument("--time-limit", type=float, help="override every size's time limit")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, seed: {args.seed}")
    print("size           pairs  limit   wall    MiB  status      objective          bound    gap%", end="")
    print("  greedy gap%  greedy s  load")
    for name in args.sizes.split(","):
        n, m, w, scope, limit = SIZES[name]
        limit = args.time_limit or limit
        raw = generate_plan(n, m, w, args.seed, scope)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(raw, f)
        load = os.getloadavg()[0]
        try:
            result, wall, mib = run_planner(f.name, limit, args.workers)
        finally:
            os.unlink(f.name)
        g_value, g_time = greedy_baseline(raw)
        bound, obj = result["bound"], result["objective"]
        print(
            f"{name:<12} {result['stats']['candidate_pairs']:>7} {limit:>6.0f} {wall:>6.1f} {mib:>6.0f}  "
            f"{result['status']:<9} {obj:>12} {bound:>14} {100 * (bound - obj) / bound:>7.4f} "
            f"{100 * (bound - g_value) / bound:>12.4f} {g_time:>9.2f} {load:>5.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
