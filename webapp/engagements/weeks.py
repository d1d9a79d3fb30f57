"""Weeks of a program year: week 0 starts on the cohort's first Monday (Asia/Seoul dates)."""

from __future__ import annotations

from datetime import date, timedelta


def week_start(first_monday: date, week: int) -> date:
    """The Monday of week `week`."""
    return first_monday + timedelta(weeks=week)


def week_end(first_monday: date, week: int) -> date:
    """The Sunday of week `week` (inclusive end)."""
    return week_start(first_monday, week) + timedelta(days=6)


def week_of(first_monday: date, day: date) -> int:
    """The week holding `day` (negative before the year starts)."""
    return (day - first_monday).days // 7


def first_open_week(first_monday: date, today: date) -> int:
    """The first week a new engagement can start: next Monday's week (never the week under way)."""
    return max(0, week_of(first_monday, today) + 1)


def weeks_touched(first_monday: date, starts: date, ends: date) -> range:
    """The weeks a date range (inclusive) touches."""
    return range(week_of(first_monday, starts), week_of(first_monday, ends) + 1)
