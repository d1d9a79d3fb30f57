"""A mentor's week: visits by day (Monday to Sunday, Asia/Seoul) with the drive between
consecutive visits of a day, estimated as the slot proposer does (matcher.slots.travel).

The days hold the visits that happen or happened (confirmed, done) and, struck through, those
cancelled; drives are computed only between visits that happen. Offered slots exclude each
other (a company confirms one of three), so they are listed apart, never in the days."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from matcher.slots import SlotSettings
from matcher.slots.travel import haversine_km, travel_minutes
from webapp.core.clock import local_time, seoul_midnight
from webapp.directory.models import Company
from webapp.visits.models import SlotState, VisitSlot

TRAVEL = SlotSettings()  # the proposer's road speed and road factor


@dataclass
class Drive:
    km: float
    minutes: int
    spare_minutes: int  # time between the previous visit's end and this one's start

    @property
    def tight(self) -> bool:
        return self.spare_minutes < self.minutes


@dataclass
class Stop:
    slot: VisitSlot
    company: Company
    drive: Drive | None = None  # from the previous visit of the same day


HAPPENING = (SlotState.confirmed.value, SlotState.done.value)
# From this hour on Sunday evening, "this week" means the coming one.
SUNDAY_EVENING = time(18)


@dataclass
class Day:
    day: date
    stops: list[Stop] = field(default_factory=list)
    closed: str = ""  # the day off's note, a holiday's or a closure day's name
    day_off: bool = False


def monday_of(text: str | None, now: datetime) -> date:
    """The Monday of the week holding the date `text` (YYYY-MM-DD), else of the current week
    in Seoul, which on Sunday evening is the coming one."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        day = now.date()
        if day.weekday() == 6 and now.time() >= SUNDAY_EVENING:
            day += timedelta(days=1)
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """The week as a UTC range, for the query."""
    start = seoul_midnight(monday)
    return start, start + timedelta(days=7)


def plan_week(
    monday: date,
    rows: list[tuple[VisitSlot, Company]],
    settings: SlotSettings = TRAVEL,
    *,
    closed: dict[date, str] | None = None,
    days_off: dict[date, str] | None = None,
) -> list[Day]:
    """The week's days with their visits (offers left out), the drives between the visits that
    happen, and the days that are closed (holidays, closure days) or the mentor's days off."""
    days = [Day(monday + timedelta(days=i)) for i in range(7)]
    for day in days:
        if days_off and day.day in days_off:
            day.day_off, day.closed = True, days_off[day.day]
        elif closed and day.day in closed:
            day.closed = closed[day.day]
    for slot, company in sorted(rows, key=lambda row: row[0].starts_at):
        index = (local_time(slot.starts_at).date() - monday).days
        if 0 <= index < 7 and slot.state != SlotState.proposed.value:
            days[index].stops.append(Stop(slot, company))
    for day in days:
        happening = [stop for stop in day.stops if stop.slot.state in HAPPENING]
        for previous, stop in itertools.pairwise(happening):
            stop.drive = _drive(previous, stop, settings)
    return days


def _drive(previous: Stop, stop: Stop, settings: SlotSettings) -> Drive:
    a, b = previous.company, stop.company
    spare = (local_time(stop.slot.starts_at) - local_time(previous.slot.ends_at)).total_seconds() // 60
    return Drive(
        km=haversine_km(a.lat, a.lon, b.lat, b.lon) * settings.road_factor,
        minutes=travel_minutes(a, b, settings.speed_kmh, settings.road_factor),
        spare_minutes=int(spare),
    )
