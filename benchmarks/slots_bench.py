"""Slot proposer benchmark: realistic North Jeolla data, 4 weeks, 5 assignments per mentor.

Prints figures (never pass/fail): wall time of propose_slots, slots proposed, assignments short of
N, the rule violations found by the independent checker (must be 0), how each mentor was settled
(the greedy with its bound, or the exact CP-SAT model), the objective's cost, peak memory and the
machine's load average. `--exact` gives every mentor the CP-SAT model: the reference the greedy's
cost is compared with.

    .venv/bin/python benchmarks/slots_bench.py [--seed 1] [--mentors 60] [--visit-minutes 240]
        [--repeat 3] [--exact]
"""

import argparse
import os
import random
import resource
import time as clock
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from matcher.slots import (
    CompanyCalendar,
    ConfirmedVisit,
    MentorCalendar,
    SlotAssignment,
    SlotRequest,
    SlotSettings,
    TimeRange,
    Window,
    check_schedule,
    propose_slots,
)

START = date(2026, 12, 7)  # a Monday
WEEKS = 4
# Jeonju, Iksan, Gunsan, Jeongeup, Namwon, Gimje, Wanju: where the province's factories cluster.
CITIES = [
    (35.82, 127.15),
    (35.95, 126.96),
    (35.97, 126.74),
    (35.57, 126.86),
    (35.42, 127.39),
    (35.80, 126.88),
    (35.90, 127.16),
]


def _near(rng, spread_km=12.0):
    lat, lon = rng.choice(CITIES)
    return lat + rng.gauss(0, spread_km / 111), lon + rng.gauss(0, spread_km / 90)


def _windows(rng) -> tuple[Window, ...]:
    """Mon-Fri 09:00-18:00 mostly; some start early, keep a lunch break, skip a day or add Saturday."""
    kind = rng.random()
    days = [d for d in range(5) if not (kind > 0.8 and d == rng.randrange(5))]
    if kind < 0.15:
        spans = [(time(9), time(12)), (time(13), time(18))]
    elif kind < 0.35:
        spans = [(time(8, 30), time(17, 30))]
    else:
        spans = [(time(9), time(18))]
    out = [Window(d, lo, hi) for d in days for lo, hi in spans]
    if rng.random() < 0.15:
        out.append(Window(5, time(9), time(13)))
    return tuple(out)


def instance(seed: int, n_mentors=60, per_mentor=5, visit_minutes=240) -> SlotRequest:
    rng = random.Random(seed)
    horizon = [START + timedelta(days=d) for d in range(WEEKS * 7)]
    workdays = [d for d in horizon if d.weekday() < 5]
    mentors, companies, assignments, confirmed = [], [], [], []
    for i in range(n_mentors):
        off = frozenset(rng.sample(workdays, rng.randrange(4)))
        mentors.append(MentorCalendar(f"m{i}", *_near(rng), _windows(rng), off))
        taken = set()  # (day, morning?) of this mentor's confirmed visits
        for k in range(per_mentor):
            cid = f"c{i}-{k}"
            blocked = ()
            if rng.random() < 0.2:
                first = datetime.combine(rng.choice(horizon), time())
                blocked = (TimeRange(first, first + timedelta(days=rng.choice([1, 2, 5]))),)
            companies.append(CompanyCalendar(cid, *_near(rng), blocked))
            assignments.append(SlotAssignment(f"m{i}", cid, 3))
            if rng.random() < 0.4:  # an engagement under way: one or two visits already agreed
                for day in rng.sample(workdays, 2)[: rng.choice([1, 2])]:
                    morning = rng.random() < 0.5
                    if (day, morning) not in taken and day not in off:
                        taken.add((day, morning))
                        begin = datetime.combine(day, time(9) if morning or visit_minutes > 240 else time(14))
                        confirmed.append(
                            ConfirmedVisit(f"m{i}", cid, begin, begin + timedelta(minutes=visit_minutes))
                        )
    return SlotRequest(
        START,
        WEEKS,
        tuple(mentors),
        tuple(companies),
        tuple(assignments),
        tuple(confirmed),
        SlotSettings(visit_minutes=visit_minutes),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--visit-minutes", type=int, default=240)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mentors", type=int, default=60)
    ap.add_argument("--exact", action="store_true", help="every mentor by its CP-SAT model")
    args = ap.parse_args()
    req = instance(args.seed, n_mentors=args.mentors, visit_minutes=args.visit_minutes)
    req = replace(req, settings=replace(req.settings, exact=args.exact))
    print(
        f"instance: {len(req.mentors)} mentors, {len(req.assignments)} assignments x 3 slots, "
        f"{req.weeks} weeks, {len(req.confirmed)} confirmed visits, "
        f"visit {req.settings.visit_minutes} min"
    )
    for run in range(args.repeat):
        began = clock.perf_counter()
        result = propose_slots(req)
        wall = clock.perf_counter() - began
        violations = check_schedule(req, result)
        print(
            f"run {run + 1}: wall {wall:.2f} s, slots proposed {result.stats['slots']}, "
            f"assignments short of N {result.stats['short']}, rule violations {len(violations)}, "
            f"mentors {result.stats['solver_status']} ({result.stats['exact_models']} by the exact model), "
            f"cost {result.stats['cost']}, peak memory "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB, "
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
    for line in violations[:10]:
        print("  violation:", line)
    reasons = {}
    for p in result.proposals:
        if p.reason:
            reasons[p.reason] = reasons.get(p.reason, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print(f"  short ({n}): {reason}")


if __name__ == "__main__":
    main()
