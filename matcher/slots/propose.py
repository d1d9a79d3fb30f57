"""`propose_slots`: the request split per mentor (mentors only interact through fixed, confirmed
visits), one small CP-SAT model each, solved in a thread pool (the solver releases the GIL)."""

import time
from concurrent.futures import ThreadPoolExecutor
from typing import cast

from .candidates import Candidates, Horizon
from .domain import MentorCalendar, Proposal, SlotAssignment, SlotRequest, SlotResult
from .model import build
from .prune import prune
from .solution import proposals
from .validate import validate


def propose_slots(req: SlotRequest) -> SlotResult:
    validate(req)
    began = time.perf_counter()
    h = Horizon(req)
    by_mentor: dict[str, list[int]] = {}
    for k, a in enumerate(req.assignments):
        by_mentor.setdefault(a.mentor_id, []).append(k)
    mentors = {m.id: m for m in req.mentors}
    jobs = [(mentors[mid], [req.assignments[k] for k in ks]) for mid, ks in by_mentor.items()]
    with ThreadPoolExecutor(max_workers=req.settings.threads) as pool:
        solved = list(pool.map(lambda job: _solve_mentor(h, *job), jobs))
    out: list[Proposal | None] = [None] * len(req.assignments)
    statuses: dict[str, int] = {}
    for ks, (props, status) in zip(by_mentor.values(), solved, strict=True):
        statuses[status] = statuses.get(status, 0) + 1
        for k, p in zip(ks, props, strict=True):
            out[k] = p
    done = cast(list[Proposal], out)  # every assignment is some mentor's: none is left None
    stats = {
        "seconds": round(time.perf_counter() - began, 3),
        "mentors": len(jobs),
        "solver_status": statuses,
        "slots": sum(len(p.slots) for p in done),
        "short": sum(1 for p in done if p.reason),
    }
    return SlotResult(tuple(done), stats)


def _solve_mentor(
    h: Horizon, mentor: MentorCalendar, assignments: list[SlotAssignment]
) -> tuple[list[Proposal], str]:
    from ortools.sat.python import cp_model

    starts, reason = h.mentor_starts(mentor)
    cands = [
        h.assignment_candidates(mentor, a, starts)
        if a.n_slots and not reason
        else Candidates(a, h.companies[a.company_id], [], reason if a.n_slots else None)
        for a in assignments
    ]
    if not any(c.starts for c in cands):
        return proposals(h, cands, [[] for _ in cands], True), "EMPTY"
    drives = [[h.travel(a.company, b.company) for b in cands] for a in cands]
    prune(cands, drives, h.s.visit_minutes, h.s.grid_minutes)
    mm = build(h, mentor.id, cands, drives)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = h.s.time_limit_per_mentor_s
    status = solver.solve(mm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return proposals(h, cands, None, False), solver.status_name(status)
    chosen = [[bool(solver.boolean_value(x)) for x in xs] for xs in mm.choices]
    return proposals(h, cands, chosen, status == cp_model.OPTIMAL), solver.status_name(status)
