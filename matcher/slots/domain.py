"""Plain data of the slot proposer: what goes in (`SlotRequest`) and what comes out (`SlotResult`).

Times are Asia/Seoul local. Datetimes may be naive (read as Seoul local time) or aware (any zone,
converted); results are always aware, at +09:00.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any


class InvalidSlotRequest(ValueError):
    """Raised by `propose_slots` on bad input; `errors` holds one line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True, slots=True)
class Window:
    """A weekly availability window: every `weekday` (0 = Monday) from `start` to `end`."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class TimeRange:
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class MentorCalendar:
    id: str
    lat: float  # home
    lon: float
    windows: tuple[Window, ...]
    days_off: frozenset[date] = frozenset()


@dataclass(frozen=True, slots=True)
class CompanyCalendar:
    id: str
    lat: float
    lon: float
    blocked: tuple[TimeRange, ...] = ()


@dataclass(frozen=True, slots=True)
class ConfirmedVisit:
    """A visit already agreed: fixed, every proposal must fit around it."""

    mentor_id: str
    company_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class SlotAssignment:
    """An approved mentor-company pair that needs `n_slots` alternative slots for its next visit."""

    mentor_id: str
    company_id: str
    n_slots: int = 3


@dataclass(frozen=True, slots=True)
class SlotSettings:
    visit_minutes: int = 240  # half day; 480 for a full day
    grid_minutes: int = 30  # candidate starts: each window's start, then every grid_minutes
    max_visits_per_day: int = 2  # per mentor, confirmed and proposed together
    min_gap_days: int = 2  # between a proposal and any confirmed visit of its company
    speed_kmh: float = 50.0  # average road speed
    road_factor: float = 1.3  # road distance / great-circle distance
    earliness_per_day: int = 60  # objective: one day later costs as much as this many minutes of driving
    time_limit_per_mentor_s: float = 1.0
    threads: int = 2  # mentors solved in parallel, one CP-SAT worker each
    exact: bool = False  # True: every mentor by its CP-SAT model (the reference; much slower)


@dataclass(frozen=True, slots=True)
class SlotRequest:
    start: date  # first day of the horizon
    weeks: int
    mentors: tuple[MentorCalendar, ...]
    companies: tuple[CompanyCalendar, ...]
    assignments: tuple[SlotAssignment, ...]
    confirmed: tuple[ConfirmedVisit, ...] = ()
    settings: SlotSettings = field(default_factory=SlotSettings)


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # aware, +09:00
    end: datetime

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True, slots=True)
class Proposal:
    """The slots proposed for one assignment, earliest first; `reason` says why fewer than asked."""

    mentor_id: str
    company_id: str
    slots: tuple[Slot, ...]
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentor_id": self.mentor_id,
            "company_id": self.company_id,
            "slots": [s.to_dict() for s in self.slots],
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class SlotResult:
    proposals: tuple[Proposal, ...]  # in the order of request.assignments
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"proposals": [p.to_dict() for p in self.proposals], "stats": self.stats}
