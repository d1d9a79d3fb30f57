"""`propose_slots`: the request split per mentor (one mentor's proposals never constrain another's:
a company is in one assignment only, and everything else they share is fixed), each mentor
planned by the greedy and its bound (`greedy.py`). Mentors it does not settle (counts short of
the bound, or companies too far apart to pair freely on a day: about one in ten on the national
benchmark) get a small CP-SAT model each (`model.py`), solved in a thread pool (the solver
releases the GIL)."""

import time
from concurrent.futures import ThreadPoolExecutor
from typing import cast

from .candidates import Candidates, Horizon, MentorDays, Options
from .domain import MentorCalendar, Proposal, SlotAssignment, SlotRequest, SlotResult
from .greedy import Plan, Tiers, plan, tiers
from .model import build
from .prune import prune
from .solution import proposals
from .validate import validate

# A mentor's answer: per assignment its starts (None: no answer in time), whether the number of
# slots is proven the most possible, and how it was found.
Answer = tuple[list[list[int]] | None, bool, str]


def propose_slots(req: SlotRequest) -> SlotResult:
    validate(req)
    began = time.perf_counter()
    h = Horizon(req)
    by_mentor: dict[str, list[int]] = {}
    for k, a in enumerate(req.assignments):
        by_mentor.setdefault(a.mentor_id, []).append(k)
    mentors = {m.id: m for m in req.mentors}
    options: dict[str, list[Options]] = {}
    answers: dict[str, Answer] = {}
    exact: list[tuple[str, Plan | None]] = []
    for mid, ks in by_mentor.items():
        days, options[mid] = _options(h, mentors[mid], [req.assignments[k] for k in ks])
        if not any(o.earliest for o in options[mid]):
            answers[mid] = [[] for _ in ks], True, "EMPTY"
            continue
        greedy = None if req.settings.exact else plan(h, options[mid], days)
        if greedy is not None and greedy.settled:
            answers[mid] = greedy.starts, True, "OPTIMAL" if greedy.optimal else "GREEDY"
        else:
            exact.append((mid, greedy))
    if exact:
        with ThreadPoolExecutor(max_workers=req.settings.threads) as pool:
            solved = pool.map(lambda job: _solve_exact(h, job[0], options[job[0]], job[1]), exact)
            answers.update(zip([mid for mid, _ in exact], solved, strict=True))
    out: list[Proposal | None] = [None] * len(req.assignments)
    statuses: dict[str, int] = {}
    cost = 0
    for mid, ks in by_mentor.items():
        starts, proven, status = answers[mid]
        statuses[status] = statuses.get(status, 0) + 1
        cost += tiers(h, options[mid], starts)[2] if starts else 0
        for k, p in zip(ks, proposals(h, options[mid], starts, proven), strict=True):
            out[k] = p
    done = cast(list[Proposal], out)  # every assignment is some mentor's: none is left None
    stats = {
        "seconds": round(time.perf_counter() - began, 3),
        "mentors": len(by_mentor),
        "solver_status": statuses,
        "exact_models": len(exact),
        "slots": sum(len(p.slots) for p in done),
        "short": sum(1 for p in done if p.reason),
        "cost": cost,  # earliness and driving to confirmed visits, as the objective counts them
    }
    return SlotResult(tuple(done), stats)


def _options(
    h: Horizon, mentor: MentorCalendar, assignments: list[SlotAssignment]
) -> tuple[MentorDays, list[Options]]:
    days = h.mentor_days(mentor)
    return days, [
        h.options(mentor, days, a)
        if a.n_slots and not days.reason
        else Options(a, h.companies[a.company_id], {}, {}, {}, {}, h.s, days.reason if a.n_slots else None)
        for a in assignments
    ]


def _solve_exact(h: Horizon, mentor_id: str, opts: list[Options], greedy: Plan | None) -> Answer:
    """The CP-SAT model of one mentor, started from the greedy plan; the better of the two."""
    from ortools.sat.python import cp_model

    cands = [Candidates.of(o) for o in opts]
    drives = [[h.travel(a.company, b.company) for b in opts] for a in opts]
    prune(cands, drives, h.s.visit_minutes, h.s.grid_minutes)
    mm = build(h, mentor_id, cands, drives, greedy.starts if greedy else None)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False  # the model is small and tight already: a third faster
    solver.parameters.max_time_in_seconds = h.s.time_limit_per_mentor_s
    status = solver.solve(mm.model)
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        starts = [
            [t for (_, t), x in zip(c.starts, xs, strict=True) if solver.boolean_value(x)]
            for c, xs in zip(cands, mm.choices, strict=True)
        ]
        value = tiers(h, opts, starts)
        if greedy is None or _better_or_equal(value, greedy.value):
            counted = greedy is not None and value[:2] == greedy.bound[:2]  # the bound proves them
            return starts, status == cp_model.OPTIMAL or counted, name
    return (greedy.starts, greedy.counts_proven, name) if greedy else (None, False, name)


def _better_or_equal(a: Tiers, b: Tiers) -> bool:
    """More assignments served, then more slots, then less cost."""
    return (a[0], a[1], -a[2]) >= (b[0], b[1], -b[2])
