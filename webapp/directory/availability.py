"""Rules for a mentor's weekly availability windows and days off (pure, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from flask_babel import gettext as _


def parse_time(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("Enter a time such as 09:00.")) from None


def parse_weekday(text: str) -> int | None:
    """0 (Monday) to 6 (Sunday) from its digit, else None."""
    return int(text) if text in {str(day) for day in range(7)} else None


def check_window(
    weekday_text: str, starts_text: str, ends_text: str, existing: Iterable[tuple[int, time, time]]
) -> tuple[tuple[int, time, time] | None, dict[str, str]]:
    """A new window (weekday, starts, ends) and per-field errors.

    Rules: a weekday 0-6, a start and an end time, the end after the start, and no overlap with
    the mentor's other windows that day (touching ends are fine: 09:00-12:00 and 12:00-15:00).
    """
    errors: dict[str, str] = {}
    weekday = parse_weekday(weekday_text)
    if weekday is None:
        errors["weekday"] = _("Choose a weekday.")
    starts = ends = None
    for name, text in (("starts", starts_text), ("ends", ends_text)):
        try:
            value = parse_time(text)
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        starts, ends = (value, ends) if name == "starts" else (starts, value)
    if starts is not None and ends is not None and ends <= starts:
        errors["ends"] = _("The end must be after the start.")
    if errors or weekday is None or starts is None or ends is None:
        return None, errors
    for day, other_starts, other_ends in existing:
        if day == weekday and starts < other_ends and other_starts < ends:
            errors["starts"] = _(
                "Overlaps your window %(starts)s-%(ends)s that day.",
                starts=other_starts.strftime("%H:%M"),
                ends=other_ends.strftime("%H:%M"),
            )
            return None, errors
    return (weekday, starts, ends), {}


def check_day_off(day_text: str, taken: Iterable[date], today: date) -> tuple[date | None, dict[str, str]]:
    """A new day off: a valid date, not in the past, not already a day off."""
    try:
        day = date.fromisoformat(day_text.strip())
    except ValueError:
        return None, {"day": _("Enter a date (YYYY-MM-DD).")}
    if day < today:
        return None, {"day": _("The day is in the past.")}
    if day in set(taken):
        return None, {"day": _("This is already a day off.")}
    return day, {}
