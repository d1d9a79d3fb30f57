"""`check_schedule`: every rule a result must respect, checked from the request alone.

Deliberately shares nothing with the solver but the travel-time formula (part of the rules), so
tests and the benchmark can use it as an independent judge. Confirmed visits are input: clashes
among them alone are not reported.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import combinations

from .clock import SEOUL, local
from .domain import MentorCalendar, Proposal, SlotRequest, SlotResult
from .travel import travel_minutes


def check_schedule(req: SlotRequest, result: SlotResult) -> list[str]:
    """Rule violations of `result` for `req`, one line each; empty when every rule holds."""
    if len(result.proposals) != len(req.assignments):
        return [f"{len(result.proposals)} proposals for {len(req.assignments)} assignments"]
    errors: list[str] = []
    for a, p in zip(req.assignments, result.proposals, strict=True):
        if (p.mentor_id, p.company_id) != (a.mentor_id, a.company_id):
            errors.append(f"proposal {p.mentor_id}-{p.company_id} answers {a.mentor_id}-{a.company_id}")
        if len(p.slots) > a.n_slots:
            errors.append(f"{_name(p)}: {len(p.slots)} slots, at most {a.n_slots} asked")
        if len(p.slots) < a.n_slots and not p.reason:
            errors.append(f"{_name(p)}: fewer slots than asked and no reason")
        errors += _slot_errors(req, p)
    errors += _mentor_errors(req, result)
    return errors


def _name(p: Proposal) -> str:
    return f"{p.mentor_id}-{p.company_id}"


def _slot_errors(req: SlotRequest, p: Proposal) -> list[str]:
    s = req.settings
    mentor = next(m for m in req.mentors if m.id == p.mentor_id)
    company = next(c for c in req.companies if c.id == p.company_id)
    first = datetime.combine(req.start, time(), SEOUL)
    last = first + timedelta(weeks=req.weeks)
    company_visits = [(local(v.start), local(v.end)) for v in req.confirmed if v.company_id == company.id]
    errors, days = [], []
    for slot in p.slots:
        what = f"{_name(p)} slot {slot.start.isoformat()}"
        if slot.start.tzinfo is None or slot.start.utcoffset() != timedelta(hours=9):
            errors.append(f"{what}: not at +09:00")
        start, end = local(slot.start), local(slot.end)
        days.append(start.date())
        if end - start != timedelta(minutes=s.visit_minutes):
            errors.append(f"{what}: lasts {end - start}, not {s.visit_minutes} minutes")
        if start < first or end > last:
            errors.append(f"{what}: outside the horizon")
        if not _inside_windows(mentor, start, end):
            errors.append(f"{what}: outside the mentor's availability windows")
        if start.date() in mentor.days_off:
            errors.append(f"{what}: on a day off of the mentor")
        blocked = [(local(b.start), local(b.end)) for b in company.blocked]
        if any(bs < end and start < be for bs, be in blocked + company_visits):
            errors.append(f"{what}: in a blocked time or another visit of the company")
        if any(abs((start.date() - vs.date()).days) < s.min_gap_days for vs, _ in company_visits):
            errors.append(f"{what}: less than {s.min_gap_days} days from a confirmed visit of the company")
    if len(set(days)) < len(days):
        errors.append(f"{_name(p)}: two alternatives on one day")
    return errors


def _inside_windows(mentor: MentorCalendar, start: datetime, end: datetime) -> bool:
    if end.date() != start.date() and end.time() != time():
        return False
    spans = sorted((w.start, w.end) for w in mentor.windows if w.weekday == start.weekday())
    merged: list[list[time]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    end_t = end.time() if end.date() == start.date() else time.max
    return any(lo <= start.time() and end_t <= hi for lo, hi in merged)


def _mentor_errors(req: SlotRequest, result: SlotResult) -> list[str]:
    """No two visits of a mentor overlap or leave too little time to drive; daily visit limit."""
    s = req.settings
    places = {c.id: c for c in req.companies}
    visits = defaultdict(list)  # mentor -> (start, end, company, proposed)
    for v in req.confirmed:
        visits[v.mentor_id].append((local(v.start), local(v.end), v.company_id, False))
    for p in result.proposals:
        visits[p.mentor_id] += [(local(x.start), local(x.end), p.company_id, True) for x in p.slots]
    errors = []
    for mentor, vs in visits.items():
        for a, b in combinations(sorted(vs), 2):
            if not (a[3] or b[3]):
                continue
            gap = (b[0] - a[1]).total_seconds() / 60
            drive = (
                travel_minutes(places[a[2]], places[b[2]], s.speed_kmh, s.road_factor)
                if a[0].date() == b[0].date() and a[2] != b[2]
                else 0
            )
            if gap < drive:
                errors.append(
                    f"mentor {mentor}: {a[2]} at {a[0].isoformat()} and {b[2]} at "
                    f"{b[0].isoformat()} "
                    + ("overlap" if gap < 0 else f"leave {gap:.0f} of {drive} minutes to drive")
                )
        per_day: defaultdict[date, list[int]] = defaultdict(lambda: [0, False])  # [visits, any proposed]
        for start, _, _, proposed in vs:
            per_day[start.date()][0] += 1
            per_day[start.date()][1] |= proposed
        errors += [
            f"mentor {mentor}: {n} visits on {day}, at most {s.max_visits_per_day}"
            for day, (n, proposed) in per_day.items()
            if proposed and n > s.max_visits_per_day
        ]
    return errors
