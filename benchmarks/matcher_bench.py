"""Benchmark of the matcher: `python benchmarks/matcher_bench.py [--repeat N] [--quick]`.

For each size it generates an instance, runs `python -m matcher solve FILE -o OUT` as a child
process (so wall time includes process start, JSON in and out) and measures the child's peak
memory with wait4; then the same for the greedy baseline (`--greedy FILE`, a child too). Then
the side-constraint runs (max_municipalities_per_mentor = 2) against the rule-aware greedy.
Prints a Markdown table (docs/matcher.md holds the figures).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SIZES = [
    ("300 x 60", 300, 60, "province"),
    ("3,000 x 600", 3000, 600, "province"),
    ("10,000 x 2,000", 10000, 2000, "province"),
    ("30,000 x 5,000", 30000, 5000, "nation"),
]
SIDE_SIZES = [("1,000 x 200", 1000, 200), ("3,000 x 600", 3000, 600)]


def child(args: list[str]) -> tuple[float, float, str]:
    """Run a child process; returns (wall seconds, peak RSS MiB, stdout)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        p = subprocess.Popen([sys.executable, *args], stdout=out, cwd=ROOT)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {args}")
    return wall, usage.ru_maxrss / 1024, text


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (the load of the shared machine varies), with the
    largest peak memory of all runs."""
    runs = sorted(runs, key=lambda r: r["wall"])
    return {**runs[len(runs) // 2], "mem": max(r["mem"] for r in runs), "walls": [r["wall"] for r in runs]}


def solve_run(path: str, repeat: int, extra=()) -> dict:
    runs = []
    for _ in range(repeat):
        out = path + ".result.json"
        wall, mem, _ = child(["-m", "matcher", "solve", path, "-o", out, *extra])
        with open(out) as f:
            result = json.load(f)
        runs.append({"wall": wall, "mem": mem, "result": result})
    return _median_run(runs)


def greedy_run(path: str, repeat: int, max_munis=None) -> dict:
    runs = []
    for _ in range(repeat):
        args = [os.path.abspath(__file__), "--greedy", path] + (
            ["--max-munis", str(max_munis)] if max_munis else []
        )
        wall, mem, text = child(args)
        runs.append({"wall": wall, "mem": mem, **json.loads(text)})
    return _median_run(runs)


def greedy_main(path: str, max_munis: int | None) -> None:
    """Child mode: read, build pairs, greedy, print objective (same process costs as solve)."""
    from matcher import greedy, pairs, solver
    from matcher.validation import parse_or_raise

    with open(path) as f:
        instance = parse_or_raise(json.load(f))
    model = pairs.build(instance)
    mentor_of = greedy.greedy(instance, model, max_munis)
    print(
        json.dumps(
            {
                "objective": solver._contract_value(model, instance, mentor_of),
                "assigned": int((mentor_of >= 0).sum()),
            }
        )
    )


def write_instance(
    tmp: str, name: str, companies: int, mentors: int, scope: str, params=None, seed: int = 1
) -> str:
    import matcher

    inst = matcher.generate(companies, mentors, seed=seed, scope=scope)
    inst["params"].update(params or {})
    path = os.path.join(tmp, f"{name.replace(',', '').replace(' ', '')}-{seed}.json")
    with open(path, "w") as f:
        json.dump(inst, f)
    return path


def seed_spread(tmp: str, seeds: int, repeat: int) -> None:
    """Wall time (median of `repeat` runs per seed) of the two largest sizes over seeds 1..N:
    the number of flow rounds, and so the time, varies from instance to instance."""
    print()
    print(f"Seeds 1-{seeds}, solver wall s (incl. start), median of {repeat} runs per seed:")
    print()
    print("| size | scope | per seed (flow rounds) | min | median | max |")
    print("|---|---|---|---:|---:|---:|")
    for name, nc, nm, scope in SIZES[-2:]:
        walls, cells = [], []
        for seed in range(1, seeds + 1):
            s = solve_run(write_instance(tmp, name, nc, nm, scope, seed=seed), repeat)
            walls.append(s["wall"])
            cells.append(f"{s['wall']:.2f} ({s['result']['stats']['flow_rounds']})")
        print(
            f"| {name} | {scope} | {', '.join(cells)} | {min(walls):.2f} | "
            f"{statistics.median(walls):.2f} | {max(walls):.2f} |",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    ap.add_argument("--quick", action="store_true", help="only the two smallest sizes")
    ap.add_argument("--greedy", help=argparse.SUPPRESS)
    ap.add_argument("--max-munis", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--side-time-limit", type=float, default=10.0)
    ap.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="also solve the two largest sizes for seeds 1..N (spread of the wall time)",
    )
    args = ap.parse_args()
    if args.greedy:
        return greedy_main(args.greedy, args.max_munis)
    sizes = SIZES[:2] if args.quick else SIZES
    with tempfile.TemporaryDirectory() as tmp:
        print(
            "| size | scope | allowed pairs | solver: wall s (incl. start) | solve s (in process) | peak MiB "
            "| objective | status | greedy: wall s | peak MiB | objective | optimum gain |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
        for name, nc, nm, scope in sizes:
            path = write_instance(tmp, name, nc, nm, scope)
            s = solve_run(path, args.repeat)
            g = greedy_run(path, args.repeat)
            r = s["result"]
            gain = (r["objective"] - g["objective"]) / g["objective"] * 100
            print(
                f"| {name} | {scope} | {r['stats']['allowed_pairs']:,} | {s['wall']:.2f} | "
                f"{r['stats']['wall_s']:.2f} | {s['mem']:.0f} | {r['objective']:,} | {r['status']} | "
                f"{g['wall']:.2f} | {g['mem']:.0f} | {g['objective']:,} | +{gain:.2f}% |",
                flush=True,
            )
        if args.seeds > 1 and not args.quick:
            seed_spread(tmp, args.seeds, args.repeat)
        print()
        print(f"max_municipalities_per_mentor = 2 (time limit {args.side_time_limit:g} s):")
        print()
        print(
            "| size | solver: wall s | objective | bound (flow optimum) | gap to bound | status "
            "| greedy (rule kept): objective | gap to bound | solver gain |"
        )
        print("|---|---:|---:|---:|---:|---|---:|---:|---:|")
        for name, nc, nm in SIDE_SIZES:
            path = write_instance(
                tmp, "side" + name, nc, nm, "province", {"max_municipalities_per_mentor": 2}
            )
            s = solve_run(path, 1, ["--time-limit", str(args.side_time_limit)])
            g = greedy_run(path, 1, max_munis=2)
            r = s["result"]
            gap = (r["bound"] - r["objective"]) / r["bound"] * 100
            g_gap = (r["bound"] - g["objective"]) / r["bound"] * 100
            gain = (r["objective"] - g["objective"]) / g["objective"] * 100
            print(
                f"| {name} | {s['wall']:.1f} | {r['objective']:,} | {r['bound']:,} | {gap:.3f}% | "
                f"{r['status']} | {g['objective']:,} | {g_gap:.3f}% | +{gain:.2f}% |",
                flush=True,
            )


if __name__ == "__main__":
    main()
