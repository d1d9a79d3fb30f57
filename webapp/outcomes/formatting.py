"""Dates, numbers and percentages as the pages, reports and emails show them (Korean style first:
2026. 11. 30.(월))."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_date, get_locale

from webapp.core.clock import local_time

DATE_PATTERNS = {"ko": "y. M. d.(E)", "en": "EEE d MMM y"}


def local_date(day: date | None) -> str:
    if day is None:
        return ""
    return format_date(day, DATE_PATTERNS.get(str(get_locale() or "ko"), DATE_PATTERNS["en"]))


def local_moment(moment: datetime | None, with_time: bool = True) -> str:
    """A stored (UTC) time as its Seoul date, and time: 2026. 11. 30.(월) 09:00."""
    if moment is None:
        return ""
    seoul = local_time(moment)
    return local_date(seoul.date()) + (seoul.strftime(" %H:%M") if with_time else "")


def number(value: Decimal | int | float | None, places: int = 2) -> str:
    """1,234.5 (trailing zeros dropped), '' for None."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: Decimal | float | None, signed: bool = True) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):+.1f}%" if signed else f"{Decimal(value):.1f}%"
