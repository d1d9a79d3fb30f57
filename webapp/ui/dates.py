"""The one date style of the app, its emails and its calendar entries: 2026. 11. 30.(월) 09:00.

Korean style in both languages (English only swaps the weekday's name), always in Asia/Seoul.
Pure functions taking the language, so emails rendered outside a request use them too; the
templates' filters (webapp.ui.templating) pass the page's language.
"""

from __future__ import annotations

from datetime import date, datetime

from webapp.core.clock import local_time

WEEKDAYS = {
    "ko": ("월", "화", "수", "목", "금", "토", "일"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def weekday_name(day: date, language: str = "ko") -> str:
    return WEEKDAYS.get(language, WEEKDAYS["ko"])[day.weekday()]


def format_date(day: date | datetime, language: str = "ko") -> str:
    """2026. 11. 30.(월); a datetime is taken in Asia/Seoul first."""
    if isinstance(day, datetime):
        day = local_time(day).date()
    return f"{day.year}. {day.month}. {day.day}.({weekday_name(day, language)})"


def format_datetime(moment: datetime, language: str = "ko") -> str:
    """2026. 11. 30.(월) 09:00 in Asia/Seoul."""
    return f"{format_date(moment, language)} {local_time(moment):%H:%M}"


def format_span(starts: datetime, ends: datetime, language: str = "ko") -> str:
    """2026. 11. 30.(월) 09:00–13:00 (the end's date too when it is another day)."""
    if local_time(starts).date() == local_time(ends).date():
        return f"{format_datetime(starts, language)}–{local_time(ends):%H:%M}"
    return f"{format_datetime(starts, language)} – {format_datetime(ends, language)}"


def format_date_range(first: date, last: date, language: str = "ko") -> str:
    """2026. 11. 30.(월) – 2026. 12. 6.(일)"""
    if first == last:
        return format_date(first, language)
    return f"{format_date(first, language)} – {format_date(last, language)}"
