"""Builders for slot requests and a brute-force judge that shares no code with matcher.slots.

The judge works minute by minute on naive Seoul-local datetimes: a slot is inside the windows if
every one of its minutes is inside some window of its weekday, and so on.
"""

import math
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
)

MONDAY = date(2026, 12, 7)
JEONJU, GUNSAN, IKSAN = (35.82, 127.15), (35.97, 126.74), (35.95, 126.96)


def weekdays(start=time(9), end=time(18), days=range(5)):
    return tuple(Window(d, start, end) for d in days)


def mentor(mid="m", place=JEONJU, windows=None, off=()):
    return MentorCalendar(mid, *place, weekdays() if windows is None else windows, frozenset(off))


def company(cid="c", place=JEONJU, blocked=()):
    return CompanyCalendar(cid, *place, tuple(TimeRange(a, b) for a, b in blocked))


def request(mentors, companies, assignments, confirmed=(), weeks=1, start=MONDAY, **settings):
    return SlotRequest(
        start,
        weeks,
        tuple(mentors),
        tuple(companies),
        tuple(SlotAssignment(*a) for a in assignments),
        tuple(ConfirmedVisit(*v) for v in confirmed),
        SlotSettings(**settings),
    )


def at(day: int, hh: int, mm: int = 0) -> datetime:
    """Naive Seoul time, `day` days after MONDAY."""
    return datetime.combine(MONDAY + timedelta(days=day), time(hh, mm))


def naive(dt: datetime) -> datetime:
    assert dt.utcoffset() == timedelta(hours=9)
    return dt.replace(tzinfo=None)


def drive(a, b, s: SlotSettings) -> int:
    """Haversine written out again (not imported), road factor, speed, minutes rounded up."""
    p1, p2, dl = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(h)) * s.road_factor
    return math.ceil(km / s.speed_kmh * 60 - 1e-9)


def minutes(a: datetime, b: datetime):
    """Every minute in [a, b) as a naive datetime."""
    n = math.ceil((b - a).total_seconds() / 60)
    return (a + timedelta(minutes=k) for k in range(n))


def in_windows(m: MentorCalendar, minute: datetime) -> bool:
    return any(w.weekday == minute.weekday() and w.start <= minute.time() < w.end for w in m.windows)


def fixed_ok(req: SlotRequest, mentor_id: str, company_id: str, start: datetime) -> list[str]:
    """Rules a single slot breaks on its own (against everything fixed in the request)."""
    s = req.settings
    m = next(x for x in req.mentors if x.id == mentor_id)
    c = next(x for x in req.companies if x.id == company_id)
    places = {x.id: x for x in req.companies}
    end = start + timedelta(minutes=s.visit_minutes)
    first = datetime.combine(req.start, time())
    bad = []
    if start < first or end > first + timedelta(weeks=req.weeks):
        bad.append("horizon")
    if not all(in_windows(m, x) for x in minutes(start, end)) or end.date() != start.date():
        bad.append("window")
    if start.date() in m.days_off:
        bad.append("day off")
    busy = [(b.start, b.end) for b in c.blocked]
    busy += [(v.start, v.end) for v in req.confirmed if v.company_id == company_id]
    if any(not (e <= start or end <= b) for b, e in busy):
        bad.append("blocked")
    if any(
        abs((v.start.date() - start.date()).days) < s.min_gap_days
        for v in req.confirmed
        if v.company_id == company_id
    ):
        bad.append("spread")
    mine = [v for v in req.confirmed if v.mentor_id == mentor_id]
    for v in mine:
        gap = (
            drive(c, places[v.company_id], s)
            if (v.start.date() == start.date() and v.company_id != company_id)
            else 0
        )
        if not (v.end + timedelta(minutes=gap) <= start or end + timedelta(minutes=gap) <= v.start):
            bad.append("mentor busy")
    if sum(v.start.date() == start.date() for v in mine) >= s.max_visits_per_day:
        bad.append("day full")
    return bad


def judge(req: SlotRequest, result) -> list[str]:
    """Every rule, brute force: each slot on its own, then each mentor's slots together."""
    s, bad = req.settings, []
    places = {x.id: x for x in req.companies}
    per_mentor: dict[str, list] = {}
    for a, p in zip(req.assignments, result.proposals, strict=True):
        assert (p.mentor_id, p.company_id) == (a.mentor_id, a.company_id)
        if len(p.slots) > a.n_slots or (len(p.slots) < a.n_slots and not p.reason):
            bad.append(f"{a}: {len(p.slots)} slots, reason {p.reason!r}")
        starts = [naive(x.start) for x in p.slots]
        if len({x.date() for x in starts}) != len(starts):
            bad.append(f"{a}: two alternatives on one day")
        for x, slot in zip(starts, p.slots, strict=True):
            if naive(slot.end) - x != timedelta(minutes=s.visit_minutes):
                bad.append(f"{a}: length")
            bad += [f"{a} {x}: {r}" for r in fixed_ok(req, a.mentor_id, a.company_id, x)]
            per_mentor.setdefault(a.mentor_id, []).append((x, a.company_id))
    for mid, slots in per_mentor.items():
        for k, (x, c1) in enumerate(slots):
            for y, c2 in slots[k + 1 :]:
                gap = drive(places[c1], places[c2], s) if x.date() == y.date() and c1 != c2 else 0
                length = timedelta(minutes=s.visit_minutes + gap)
                if not (x + length <= y or y + length <= x):
                    bad.append(f"mentor {mid}: {x} and {y} clash")
        fixed = [v.start.date() for v in req.confirmed if v.mentor_id == mid]
        for day in {x.date() for x, _ in slots}:
            n = fixed.count(day) + sum(x.date() == day for x, _ in slots)
            if n > s.max_visits_per_day:
                bad.append(f"mentor {mid}: {n} visits on {day}")
    return bad
