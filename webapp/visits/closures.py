"""Days on which no visit is offered: Korean public holidays and program closure days.

Public holidays come from the `holidays` package (lunar 설날 and 추석 with their eves, substitute
holidays, election days; see docs/visits.md for why this package), closure days from the
coordinator's ClosureDay table. The slot proposer treats every such day as a day off of every
mentor (webapp.visits.planning), so nothing is ever offered on one.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from sqlmodel import Session, col, select

from webapp.visits.models import ClosureDay

HOLIDAY_LANGUAGES = {"ko": "ko", "en": "en_US"}


def public_holidays(first: date, last: date, language: str = "ko") -> dict[date, str]:
    """Korean public holidays from `first` to `last` (inclusive), named in `language`."""
    calendar = holidays.country_holidays(
        "KR", years=range(first.year, last.year + 1), language=HOLIDAY_LANGUAGES.get(language, "ko")
    )
    return {day: name for day, name in sorted(calendar.items()) if first <= day <= last}


def closure_days(session: Session, first: date, last: date) -> dict[date, str]:
    rows = session.exec(
        select(ClosureDay)
        .where(ClosureDay.day >= first, ClosureDay.day <= last)
        .order_by(col(ClosureDay.day))
    )
    return {row.day: row.name for row in rows}


def closed_days(session: Session, first: date, last: date, language: str = "ko") -> dict[date, str]:
    """Every day from `first` to `last` on which nothing is offered, with its name."""
    return {**public_holidays(first, last, language), **closure_days(session, first, last)}


def working_days(session: Session, first: date, last: date) -> list[date]:
    """Monday to Friday from `first` to `last` (inclusive) that are neither a public holiday
    nor a closure day: the days a visit, a meeting or an inspection may be offered on."""
    closed = closed_days(session, first, last)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5 and day not in closed]
