"""The scheduler's settings (one database row) and the weekly trigger they define."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from apscheduler.triggers.cron import CronTrigger
from sqlmodel import Session

from webapp.core.clock import SEOUL, utcnow
from webapp.matching.models import SchedulerSettings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A weekly run missed (machine asleep, scheduler down) still runs if caught within this time.
MISFIRE_GRACE = timedelta(hours=12)


def load_settings(session: Session) -> SchedulerSettings:
    """The settings row, created with the defaults (Monday 09:00 Asia/Seoul) when missing."""
    settings = session.get(SchedulerSettings, 1)
    if settings is None:
        settings = SchedulerSettings(id=1)
        session.add(settings)
        session.flush()
    return settings


def update_settings(
    session: Session,
    *,
    weekday: int | None = None,
    at: time | None = None,
    paused: bool | None = None,
    auto_approve: bool | None = None,
) -> SchedulerSettings:
    settings = load_settings(session)
    if weekday is not None:
        if not 0 <= weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        settings.weekly_weekday = weekday
    if at is not None:
        settings.weekly_time = at.replace(second=0, microsecond=0)
    if paused is not None:
        settings.paused = paused
    if auto_approve is not None:
        settings.auto_approve = auto_approve
    settings.updated_at = utcnow()
    session.add(settings)
    session.flush()
    return settings


def weekly_trigger(settings: SchedulerSettings) -> CronTrigger:
    return CronTrigger(
        day_of_week=WEEKDAYS[settings.weekly_weekday],
        hour=settings.weekly_time.hour,
        minute=settings.weekly_time.minute,
        timezone=SEOUL,
    )


def next_weekly_run(settings: SchedulerSettings, now: datetime) -> datetime | None:
    if settings.paused:
        return None
    return weekly_trigger(settings).get_next_fire_time(None, now.astimezone(SEOUL))


def previous_weekly_run(settings: SchedulerSettings, now: datetime) -> datetime:
    """The latest scheduled weekly time at or before `now`."""
    trigger = weekly_trigger(settings)
    now = now.astimezone(SEOUL)
    fire = trigger.get_next_fire_time(None, now - timedelta(days=7, minutes=1))
    previous = fire
    while fire is not None and fire <= now:
        previous = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(minutes=1))
    return previous
