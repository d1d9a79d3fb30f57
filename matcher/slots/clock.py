"""Asia/Seoul local time as integer minutes since the horizon's first midnight.

Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is exact and needs no
time-zone database.
"""

import math
from datetime import date, datetime, time, timedelta, timezone

SEOUL = timezone(timedelta(hours=9), "Asia/Seoul")
DAY = 1440


def local(dt: datetime) -> datetime:
    """`dt` in Seoul time (naive datetimes are taken to be Seoul time already)."""
    return dt.replace(tzinfo=SEOUL) if dt.tzinfo is None else dt.astimezone(SEOUL)


class Clock:
    """Converts between datetimes and minutes since `origin` 00:00 Seoul time."""

    def __init__(self, origin: date):
        self.origin = datetime.combine(origin, time(), SEOUL)

    def floor(self, dt: datetime) -> int:
        return math.floor((local(dt) - self.origin).total_seconds() / 60)

    def ceil(self, dt: datetime) -> int:
        return math.ceil((local(dt) - self.origin).total_seconds() / 60)

    def day(self, dt: datetime) -> int:
        """Index of the local date of `dt` (0 = the origin day; negative before it)."""
        return (local(dt).date() - self.origin.date()).days

    def at(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)


def minute_of_day(t: time) -> float:
    """Minutes since midnight, with seconds as a fraction (callers round inwards)."""
    return t.hour * 60 + t.minute + (t.second + t.microsecond / 1e6) / 60
