"""Benchmark of the router: `python benchmarks/route_bench.py [--time-limit S] [--only C101,R101]`.

1. The twelve Solomon 100-customer instances in benchmarks/data/solomon/ (sources and best-known
   distances: benchmarks/data/README.md), expressed in the routing contract, each solved by
   `python -m matcher route FILE -o OUT --time-limit S` as a child process (wall time includes
   process start and JSON). Prints distance, best known, gap %, wall s and whether the answer
   passes the independent checker of tests/matcher_routing with exact travel times.
2. The inspection burst: `generate-route --visits 200 --days 10 --pairs 10`, routed the same way.
With --cpu-clock, each instance is routed in this process instead, with the router's clocks on
this process's CPU time: what the router does with the time limit on a core of its own, however
loaded the machine is (for comparing methods; the contract's limit is wall-clock time).
Figures are printed as Markdown tables (docs/router.md holds them), with the machine's load
average before and after each part (2 cores, shared with other work: note it with the figures);
nothing here passes or fails.
"""

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "benchmarks", "data")
sys.path.insert(0, os.path.join(ROOT, "tests", "matcher_routing"))

from routing_helpers import check  # noqa: E402  (the tests' independent judge)

INSTANCES = [
    "C101",
    "C102",
    "C105",
    "C201",
    "R101",
    "R102",
    "R105",
    "R201",
    "RC101",
    "RC102",
    "RC105",
    "RC201",
]
SOLOMON_FLEET = 25  # every Solomon 100-customer instance has 25 vehicles


def solomon_instance(name: str) -> dict:
    """A Solomon file (capacity line, then `id x y demand ready due service` rows, row 0 the depot)
    in the routing contract: the depot window is each vehicle's shift, ready/due a visit's window."""
    with open(os.path.join(DATA, "solomon", f"{name}.txt")) as f:
        capacity = float(f.readline())
        rows = [line.split() for line in f if line.strip()]
    depot, customers = rows[0], rows[1:]
    place = {"x": float(depot[1]), "y": float(depot[2])}
    return {
        "version": 1,
        "travel": {"metric": "euclidean"},
        "shifts": [
            {
                "id": f"v{k + 1}",
                "start": place,
                "end": place,
                "from": float(depot[4]),
                "to": float(depot[5]),
                "capacity": capacity,
            }
            for k in range(SOLOMON_FLEET)
        ],
        "visits": [
            {
                "id": f"c{r[0]}",
                "x": float(r[1]),
                "y": float(r[2]),
                "demand": float(r[3]),
                "windows": [[float(r[4]), float(r[5])]],
                "duration": float(r[6]),
            }
            for r in customers
        ],
        "params": {"shift_cost": 0},
    }


def best_known() -> dict[str, float]:
    with open(os.path.join(DATA, "solomon_bks.csv")) as f:
        return {r["instance"]: float(r["best_known_distance"]) for r in csv.DictReader(f)}


def route(instance: dict, time_limit: float) -> tuple[dict, float, float]:
    """The router's result, its wall seconds and the CPU seconds it got (on a loaded machine the
    CPU seconds fall short of the wall seconds: the search had that much less time)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.json")
        with open(src, "w") as f:
            json.dump(instance, f)
        start = time.perf_counter()
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "matcher", "route", src, "-o", out, "--time-limit", str(time_limit)],
            cwd=ROOT,
            check=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        with open(out) as f:
            return json.load(f), wall, used


def route_cpu_clock(instance: dict, time_limit: float) -> tuple[dict, float, float]:
    """As `route`, in this process, with the router's clocks reading this process's CPU time."""
    import types

    sys.path.insert(0, ROOT)
    import matcher
    from matcher import routing
    from matcher.routing import chains, pyvrp_engine, solver

    clock = types.SimpleNamespace(perf_counter=time.process_time)
    modules = (routing, chains, pyvrp_engine, solver)
    saved = [m.time for m in modules]
    for m in modules:
        m.time = clock
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = matcher.route(instance, time_limit=time_limit)
        return result, time.perf_counter() - start, time.process_time() - cpu
    finally:
        for m, t in zip(modules, saved, strict=True):
            m.time = t


RUN = route


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def solomon(names: list[str], time_limit: float) -> None:
    bks = best_known()
    print(f"time limit {time_limit:g} s per instance; before: {load()}\n")
    print("| instance | distance | best known | gap % | wall s | cpu s | feasible | served |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    gaps = []
    for name in names:
        inst = solomon_instance(name)
        result, wall, cpu = RUN(inst, time_limit)
        ok = not check(inst, result) and not result["unserved"]
        gap = 100 * (result["travel_minutes"] / bks[name] - 1)
        gaps.append(gap)
        print(
            f"| {name} | {result['travel_minutes']:.2f} | {bks[name]:.1f} | {gap:.2f} | {wall:.1f} | "
            f"{cpu:.1f} | {'yes' if ok else 'NO'} | {len(inst['visits']) - len(result['unserved'])} |"
        )
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    print(f"\naverage gap {statistics.mean(gaps):.2f}%, worst {gaps[worst]:.2f}% ({names[worst]})")
    print(f"after: {load()}")


def burst(seed: int, time_limit: float) -> None:
    text = subprocess.run(
        [
            sys.executable,
            "-m",
            "matcher",
            "generate-route",
            "--visits",
            "200",
            "--days",
            "10",
            "--pairs",
            "10",
            "--seed",
            str(seed),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    inst = json.loads(text)
    result, wall, cpu = RUN(inst, time_limit)
    served = len(inst["visits"]) - len(result["unserved"])
    print(
        f"| burst seed {seed} | {served}/{len(inst['visits'])} served | "
        f"travel {result['travel_minutes']:.0f} min | {result['shifts_used']} shifts | wall {wall:.1f} s | "
        f"cpu {cpu:.1f} s | "
        f"{'feasible' if not check(inst, result) else 'NOT FEASIBLE'} |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--only", help="comma-separated instance names")
    ap.add_argument("--burst-time-limit", type=float, default=25.0)
    ap.add_argument("--burst-seeds", default="1,2,3")
    ap.add_argument("--skip-burst", action="store_true")
    ap.add_argument("--skip-solomon", action="store_true")
    ap.add_argument("--cpu-clock", action="store_true", help="route in-process on CPU time (see above)")
    args = ap.parse_args()
    if args.cpu_clock:
        global RUN
        RUN = route_cpu_clock
        print("clock: CPU time of this process (--cpu-clock)\n")
    if not args.skip_solomon:
        solomon(args.only.split(",") if args.only else INSTANCES, args.time_limit)
    if not args.skip_burst:
        print(f"\nburst, time limit {args.burst_time_limit:g} s; before: {load()}\n")
        for seed in map(int, args.burst_seeds.split(",")):
            burst(seed, args.burst_time_limit)
        print(f"\nafter: {load()}")


if __name__ == "__main__":
    main()
