"""Reads one mentor's chosen starts back into proposals, with a reason for every shortfall."""

from .candidates import Horizon, Options
from .domain import Proposal, Slot


def proposals(
    h: Horizon, opts: list[Options], starts: list[list[int]] | None, proven: bool
) -> list[Proposal]:
    """`starts`: per assignment, the chosen starts; None when the solver found no answer in time.
    `proven`: the number of slots is proven the most there can be."""
    out = []
    for i, o in enumerate(opts):
        chosen = sorted(starts[i]) if starts else []
        slots = tuple(Slot(h.clock.at(t), h.clock.at(t + h.s.visit_minutes)) for t in chosen)
        wanted = o.assignment.n_slots
        reason = None if len(slots) >= wanted else _shortfall(o, starts is not None, proven)
        out.append(Proposal(o.assignment.mentor_id, o.assignment.company_id, slots, reason))
    return out


def _shortfall(o: Options, solved: bool, proven: bool) -> str:
    if o.empty_reason:
        return o.empty_reason
    days = len(o.earliest)
    if days < o.assignment.n_slots:
        return f"only {days} day(s) in the horizon have a time that fits (alternatives are on different days)"
    if not solved:
        return "no solution within the time limit"
    other = "the mentor's other assignments take the remaining times"
    return other if proven else other + " (time limit reached before proving it)"
