"""Where each assignment's visit may go, day by day: the grid starts that break no rule on their own.

Everything fixed (availability, days off, confirmed visits and the drive to and from them, blocked
times, spreading around the company's confirmed visits) is settled here, so the planners only
decide how the proposals interact. A day's options are kept as intervals (the mentor's windows and
what blocks them), so the first fitting start after a given time is found without listing every
grid start. The rules are applied in a fixed order so that an assignment left without any start
can be told which rule removed the last ones.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import DAY, Clock, minute_of_day
from .domain import CompanyCalendar, MentorCalendar, SlotAssignment, SlotRequest, SlotSettings
from .travel import travel_minutes

Span = tuple[int, int]  # [start, end) in minutes since the horizon origin


@dataclass(frozen=True, slots=True)
class Busy:
    """A fixed interval in minutes since the horizon origin, at `company`, starting on `day`."""

    start: int
    end: int
    day: int
    company: CompanyCalendar | None = None


@dataclass(slots=True)
class MentorDays:
    """The days a mentor may visit: per day, the windows long enough for a visit and how many
    visits the daily limit still allows; `reason` says which rule left no day at all."""

    spans: dict[int, list[Span]]
    cap: dict[int, int]
    reason: str | None


@dataclass(slots=True)
class Options:
    """Where one assignment's visit may go. Per usable day: what a visit must not overlap (the
    company's blocked times and visits, the mentor's confirmed visits widened by the drive) and
    the minutes of driving to and from the mentor's confirmed visits elsewhere that day."""

    assignment: SlotAssignment
    company: CompanyCalendar
    spans: dict[int, list[Span]]  # the mentor's, shared
    busy: dict[int, list[Span]]  # usable days only, in day order
    earliest: dict[int, int]  # per usable day, its first start
    drive: dict[int, int]
    settings: SlotSettings
    empty_reason: str | None = None  # which rule removed the last day, if none is left

    def first(self, day: int, after: int | None = None) -> int | None:
        """The earliest grid start on `day`, no earlier than `after`, where a visit fits."""
        return _first(self.spans[day], self.busy[day], self.settings, after)

    def starts(self, day: int) -> list[int]:
        """Every grid start on `day` where a visit fits."""
        found: list[int] = []
        start = self.first(day)
        while start is not None:
            found.append(start)
            start = self.first(day, start + 1)
        return found


@dataclass(slots=True)
class Candidates:
    """The exact model's choices for one assignment: every fitting start of every usable day."""

    options: Options
    starts: list[tuple[int, int]]  # (day, minute since origin), in time order

    @classmethod
    def of(cls, options: Options) -> "Candidates":
        return cls(options, [(d, t) for d in options.busy for t in options.starts(d)])


def _first(spans: list[Span], busy: list[Span], s: SlotSettings, after: int | None) -> int | None:
    length, grid = s.visit_minutes, s.grid_minutes
    for lo, hi in spans:
        t = lo if after is None or after <= lo else lo + -(-(after - lo) // grid) * grid
        while t + length <= hi:
            clash = next((b for a, b in busy if a < t + length and t < b), None)
            if clash is None:
                return t
            t = lo + -(-(clash - lo) // grid) * grid  # the first grid start after the clash
    return None


class Horizon:
    """Fixed facts of a request, indexed by day."""

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

    def cost(self, options: Options, start: int) -> int:
        """A slot's cost: earliness (`earliness_per_day` per 24 h after the horizon starts) plus
        the minutes of driving to and from the mentor's confirmed visits elsewhere that day."""
        return self.s.earliness_per_day * start // DAY + options.drive[start // DAY]

    def mentor_days(self, mentor: MentorCalendar) -> MentorDays:
        """Days with a window long enough for a visit, not off, under the day's visit limit."""
        length, limit = self.s.visit_minutes, self.s.max_visits_per_day
        windows = merged_windows(mentor)
        spans: dict[int, list[Span]] = {}
        for d in range(self.days):
            weekday = (self.req.start + timedelta(days=d)).weekday()
            day = [(d * DAY + lo, d * DAY + hi) for lo, hi in windows[weekday] if hi - lo >= length]
            if day:
                spans[d] = day
        off = {(day - self.req.start).days for day in mentor.days_off}
        count = self.mentor_count[mentor.id]
        rules: list[tuple[Callable[[int], bool], str]] = [
            (lambda d: True, f"mentor has no availability window of {length} minutes in the horizon"),
            (lambda d: d not in off, "mentor is on days off on every available day in the horizon"),
            (
                lambda d: count[d] < limit,
                "mentor's confirmed visits use the daily visit limit on every available day",
            ),
        ]
        for keep, reason in rules:
            spans = {d: day for d, day in spans.items() if keep(d)}
            if not spans:
                return MentorDays({}, {}, reason)
        return MentorDays(spans, {d: limit - count[d] for d in spans}, None)

    def options(self, mentor: MentorCalendar, days: MentorDays, a: SlotAssignment) -> Options:
        """Where assignment `a` may go on the mentor's `days`, with the reason if nowhere."""
        company, gap = self.companies[a.company_id], self.s.min_gap_days
        mentor_part: dict[int, list[Span]] = {}
        company_part: dict[int, list[Span]] = {}
        drive: dict[int, int] = {}
        for d in days.spans:
            mentor_part[d], drive[d] = [], 0
            for b in self.mentor_busy[mentor.id][d]:
                # b.company is None only for a company's blocked times, never in mentor_busy
                minutes = (
                    self.travel(company, b.company)
                    if b.day == d and b.company is not None and b.company.id != company.id
                    else 0
                )
                mentor_part[d].append((b.start - minutes, b.end + minutes))
                drive[d] += minutes
            company_part[d] = [(b.start, b.end) for b in self.company_busy[company.id][d]]

        def fits(d: int, busy: list[Span]) -> bool:
            return _first(days.spans[d], busy, self.s, None) is not None

        spread = [d for d in days.spans if all(abs(d - c) >= gap for c in self.company_days[company.id])]
        both = {d: sorted(mentor_part[d] + company_part[d]) for d in days.spans}
        earliest = {d: t for d in spread if (t := _first(days.spans[d], both[d], self.s, None)) is not None}
        reason = None
        if not earliest:
            rules = [
                (
                    mentor_part,
                    "mentor's confirmed visits (and the drive to and from them) fill every available time",
                ),
                (both, "company is blocked at every time the mentor is available"),
            ]
            reason = next(
                (why for busy, why in rules if not any(fits(d, busy[d]) for d in days.spans)),
                f"every available day is within {gap} days of a confirmed visit of the company",
            )
        return Options(
            a, company, days.spans, {d: both[d] for d in earliest}, earliest, drive, self.s, reason
        )


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
