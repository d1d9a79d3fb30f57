"""A mentor's week: visits by day (Monday to Sunday, Asia/Seoul) with the drive between
consecutive visits of a day, estimated as the slot proposer does (matcher.slots.travel).

Offered slots count too: the proposer places them so that all of them can be confirmed,
leaving time to drive between them and the confirmed visits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from matcher.slots import SlotSettings
from matcher.slots.travel import haversine_km, travel_minutes
from webapp.core.clock import local_time, seoul_midnight
from webapp.directory.models import Company
from webapp.visits.models import VisitSlot

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


@dataclass
class Day:
    day: date
    stops: list[Stop] = field(default_factory=list)


def monday_of(text: str | None, today: date) -> date:
    """The Monday of the week holding the date `text` (YYYY-MM-DD), else of today's week."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """The week as a UTC range, for the query."""
    start = seoul_midnight(monday)
    return start, start + timedelta(days=7)


def plan_week(
    monday: date, rows: list[tuple[VisitSlot, Company]], settings: SlotSettings = TRAVEL
) -> list[Day]:
    days = [Day(monday + timedelta(days=i)) for i in range(7)]
    for slot, company in sorted(rows, key=lambda row: row[0].starts_at):
        index = (local_time(slot.starts_at).date() - monday).days
        if 0 <= index < 7:
            days[index].stops.append(Stop(slot, company))
    for day in days:
        for previous, stop in zip(day.stops, day.stops[1:], strict=False):
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
