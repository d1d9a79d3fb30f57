"""Candidate visit starts of each assignment: every grid time that breaks no rule on its own.

Everything fixed (availability, days off, confirmed visits, blocked times, spreading around the
company's confirmed visits) is filtered here, so the CP-SAT model only decides how the proposals
interact. Filters run in a fixed order so that an assignment left without candidates can be told
which rule removed the last ones.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import DAY, Clock, minute_of_day
from .domain import CompanyCalendar, MentorCalendar, SlotAssignment, SlotRequest
from .travel import travel_minutes


@dataclass(frozen=True, slots=True)
class Busy:
    """A fixed interval in minutes since the horizon origin, at `company`, starting on `day`."""

    start: int
    end: int
    day: int
    company: CompanyCalendar | None = None


@dataclass(slots=True)
class Candidates:
    assignment: SlotAssignment
    company: CompanyCalendar
    starts: list[tuple[int, int]]  # (day, minute since origin), in time order
    empty_reason: str | None  # which rule removed the last candidate, if none are left


class Horizon:
    """Fixed facts of a request, indexed by day for the filters."""

    def __init__(self, req: SlotRequest):
        self.req, self.s = req, req.settings
        self.clock = Clock(req.start)
        self.days = req.weeks * 7
        self.companies = {c.id: c for c in req.companies}
        self.mentor_busy: dict[str, dict[int, list[Busy]]] = defaultdict(lambda: defaultdict(list))
        self.company_busy: dict[str, dict[int, list[Busy]]] = defaultdict(lambda: defaultdict(list))
        self.mentor_count: dict[str, Counter[int]] = defaultdict(Counter)
        self.company_days: dict[str, set[int]] = defaultdict(set)
        self._travel: dict[tuple[str, str], int] = {}
        for c in req.companies:
            for b in c.blocked:
                self._index(self.company_busy[c.id], self._busy(b.start, b.end, None))
        for v in req.confirmed:
            busy = self._busy(v.start, v.end, self.companies[v.company_id])
            self._index(self.mentor_busy[v.mentor_id], busy)
            self._index(self.company_busy[v.company_id], busy)  # a company hosts one visit at a time
            self.mentor_count[v.mentor_id][busy.day] += 1
            self.company_days[v.company_id].add(busy.day)

    def _busy(self, start: datetime, end: datetime, company: CompanyCalendar | None) -> Busy:
        return Busy(self.clock.floor(start), self.clock.ceil(end), self.clock.day(start), company)

    def _index(self, by_day: dict[int, list[Busy]], busy: Busy) -> None:
        """File `busy` under every horizon day it touches."""
        for d in range(max(0, busy.start // DAY), min(self.days, math.ceil(busy.end / DAY))):
            by_day[d].append(busy)

    def travel(self, a: CompanyCalendar, b: CompanyCalendar) -> int:
        key = (a.id, b.id)
        if key not in self._travel:
            self._travel[key] = travel_minutes(a, b, self.s.speed_kmh, self.s.road_factor)
        return self._travel[key]

    def mentor_starts(self, mentor: MentorCalendar) -> tuple[list[tuple[int, int]], str | None]:
        """Grid starts inside the mentor's windows, on working days, under the day's visit cap."""
        length, grid = self.s.visit_minutes, self.s.grid_minutes
        windows = merged_windows(mentor)
        starts = []
        for d in range(self.days):
            for lo, hi in windows[(self.req.start + timedelta(days=d)).weekday()]:
                starts += [(d, d * DAY + t) for t in range(lo, hi - length + 1, grid)]
        if not starts:
            return [], f"mentor has no availability window of {length} minutes in the horizon"
        off = {(day - self.req.start).days for day in mentor.days_off}
        starts = [(d, t) for d, t in starts if d not in off]
        if not starts:
            return [], "mentor is on days off on every available day in the horizon"
        count = self.mentor_count[mentor.id]
        starts = [(d, t) for d, t in starts if count[d] < self.s.max_visits_per_day]
        if not starts:
            return [], "mentor's confirmed visits use the daily visit limit on every available day"
        return starts, None

    def assignment_candidates(
        self, mentor: MentorCalendar, a: SlotAssignment, starts: list[tuple[int, int]]
    ) -> Candidates:
        company, length, gap = self.companies[a.company_id], self.s.visit_minutes, self.s.min_gap_days
        filters: list[tuple[Callable[[int, int], bool], str]] = [
            (
                lambda d, t: not self._mentor_clash(mentor, company, d, t, t + length),
                "mentor's confirmed visits (and the drive to and from them) fill every available time",
            ),
            (
                lambda d, t: (
                    not any(b.start < t + length and t < b.end for b in self.company_busy[company.id][d])
                ),
                "company is blocked at every time the mentor is available",
            ),
            (
                lambda d, t: not any(abs(d - c) < gap for c in self.company_days[company.id]),
                f"every available day is within {gap} days of a confirmed visit of the company",
            ),
        ]
        reason = None
        for keep, why in filters:
            starts = [(d, t) for d, t in starts if keep(d, t)]
            if not starts:
                reason = why
                break
        return Candidates(a, company, starts, reason)

    def _mentor_clash(
        self, mentor: MentorCalendar, company: CompanyCalendar, day: int, start: int, end: int
    ) -> bool:
        """Overlaps a confirmed visit, or leaves too little time to drive to or from one that day."""
        for b in self.mentor_busy[mentor.id][day]:
            # b.company is None only for a company's blocked times, never in mentor_busy
            drive = (
                self.travel(company, b.company)
                if b.day == day and b.company is not None and b.company.id != company.id
                else 0
            )
            if b.start < end + drive and start < b.end + drive:
                return True
        return False


def merged_windows(mentor: MentorCalendar) -> dict[int, list[tuple[int, int]]]:
    """Per weekday, the mentor's windows in whole minutes (rounded inwards), touching ones merged."""
    by_day: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for w in sorted(mentor.windows, key=lambda w: (w.weekday, w.start)):
        lo, hi = math.ceil(minute_of_day(w.start)), math.floor(minute_of_day(w.end))
        spans = by_day[w.weekday]
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        elif hi > lo:
            spans.append((lo, hi))
    return by_day
