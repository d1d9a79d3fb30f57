"""Reads a solved mentor model back into proposals, with a reason for every shortfall."""

from .candidates import Candidates, Horizon
from .domain import Proposal, Slot


def proposals(
    h: Horizon, cands: list[Candidates], chosen: list[list[bool]] | None, proven: bool
) -> list[Proposal]:
    """`chosen` is None when the solver returned no solution in time."""
    out = []
    for i, c in enumerate(cands):
        starts = [t for (_, t), x in zip(c.starts, chosen[i], strict=True) if x] if chosen else []
        slots = tuple(Slot(h.clock.at(t), h.clock.at(t + h.s.visit_minutes)) for t in sorted(starts))
        wanted = c.assignment.n_slots
        reason = None if len(slots) >= wanted else _shortfall(c, chosen is not None, proven)
        out.append(Proposal(c.assignment.mentor_id, c.assignment.company_id, slots, reason))
    return out


def _shortfall(c: Candidates, solved: bool, proven: bool) -> str:
    if c.empty_reason:
        return c.empty_reason
    days = len({d for d, _ in c.starts})
    if days < c.assignment.n_slots:
        return f"only {days} day(s) in the horizon have a time that fits (alternatives are on different days)"
    if not solved:
        return "no solution within the time limit"
    other = "the mentor's other assignments take the remaining times"
    return other if proven else other + " (time limit reached before proving it)"
