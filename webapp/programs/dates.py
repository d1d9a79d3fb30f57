"""Korean date style for the program's pages and emails: 2026. 11. 30.(월) 09:00."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import get_locale

from webapp.core.clock import local_time, seoul_midnight

_KO_WEEKDAYS = "월화수목금토일"


def korean_date(day: date, locale: str | None = None) -> str:
    if (locale or str(get_locale())) == "ko":
        return f"{day.year}. {day.month}. {day.day}.({_KO_WEEKDAYS[day.weekday()]})"
    return day.strftime("%a %d %b %Y")


def korean_datetime(moment: datetime, locale: str | None = None) -> str:
    when = local_time(moment)
    return f"{korean_date(when.date(), locale)} {when:%H:%M}"


def seoul_instant(day: date, minutes: float) -> datetime:
    """`minutes` after midnight of `day` in Seoul, as UTC."""
    return seoul_midnight(day) + timedelta(minutes=minutes)
