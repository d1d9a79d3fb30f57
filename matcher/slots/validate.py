"""Checks a `SlotRequest` before solving; every problem found is reported at once."""

from collections import Counter

from .clock import local
from .domain import InvalidSlotRequest, SlotRequest


def validate(req: SlotRequest) -> None:
    errors = _settings_errors(req) + _calendar_errors(req) + _reference_errors(req)
    if errors:
        raise InvalidSlotRequest(errors)


def _settings_errors(req: SlotRequest) -> list[str]:
    s, errors = req.settings, []
    if req.weeks < 1:
        errors.append(f"weeks: must be at least 1, got {req.weeks}")
    for name in ("visit_minutes", "grid_minutes", "max_visits_per_day", "threads"):
        if getattr(s, name) < 1:
            errors.append(f"settings.{name}: must be at least 1, got {getattr(s, name)}")
    for name in ("min_gap_days", "earliness_per_day"):
        if getattr(s, name) < 0:
            errors.append(f"settings.{name}: must not be negative, got {getattr(s, name)}")
    if s.speed_kmh <= 0 or s.time_limit_per_mentor_s <= 0:
        errors.append("settings.speed_kmh and settings.time_limit_per_mentor_s: must be positive")
    if s.road_factor < 1:
        errors.append(f"settings.road_factor: must be at least 1, got {s.road_factor}")
    return errors


def _calendar_errors(req: SlotRequest) -> list[str]:
    errors = []
    for m in req.mentors:
        for w in m.windows:
            if not 0 <= w.weekday <= 6 or w.end <= w.start:
                errors.append(f"mentor {m.id}: bad window {w} (weekday 0-6, end after start)")
    for c in req.companies:
        for b in c.blocked:
            if local(b.end) <= local(b.start):
                errors.append(f"company {c.id}: blocked time ends before it starts ({b})")
    for v in req.confirmed:
        if local(v.end) <= local(v.start):
            errors.append(f"confirmed visit {v}: ends before it starts")
    return errors


def _reference_errors(req: SlotRequest) -> list[str]:
    errors = []
    mentors, companies = Counter(m.id for m in req.mentors), Counter(c.id for c in req.companies)
    errors += [f"mentor {i}: listed {n} times" for i, n in mentors.items() if n > 1]
    errors += [f"company {i}: listed {n} times" for i, n in companies.items() if n > 1]
    for what, rows in (("assignment", req.assignments), ("confirmed visit", req.confirmed)):
        for r in rows:
            if r.mentor_id not in mentors:
                errors.append(f"{what} {r.mentor_id}-{r.company_id}: unknown mentor {r.mentor_id}")
            if r.company_id not in companies:
                errors.append(f"{what} {r.mentor_id}-{r.company_id}: unknown company {r.company_id}")
    # One mentor per company, so a company's proposals never depend on two mentors' solves.
    per_company = Counter(a.company_id for a in req.assignments)
    errors += [f"company {i}: in {n} assignments (at most one)" for i, n in per_company.items() if n > 1]
    errors += [
        f"assignment {a.mentor_id}-{a.company_id}: n_slots must not be negative"
        for a in req.assignments
        if a.n_slots < 0
    ]
    return errors
