"""Time, in one place: stored timestamps are timezone-aware UTC; people see Asia/Seoul.

Everything asks this module for the current time (`utcnow`) and for Seoul's date
(`seoul_today`), never the server's local clock, so a server set to UTC shows the same days as
one in Korea. Tests move the clock by replacing `now`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
SEOUL_NAME = "Asia/Seoul"


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Timestamps are timezone-aware UTC (SQLModel's UTCDateTime rejects naive ones)."""
    return now()


def aware(moment: datetime) -> datetime:
    """A stored UTC time, which SQLite returns naive, as an aware one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(moment: datetime) -> datetime:
    """A stored (UTC) time in Asia/Seoul."""
    return aware(moment).astimezone(SEOUL)


def seoul_now() -> datetime:
    return now().astimezone(SEOUL)


def seoul_today() -> date:
    """Today's date in Korea (not the server's local date)."""
    return seoul_now().date()


def seoul_midnight(day: date) -> datetime:
    """00:00 Asia/Seoul of `day`, as a UTC moment."""
    return datetime.combine(day, time(0), SEOUL).astimezone(UTC)
