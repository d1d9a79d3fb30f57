"""A company's visit preferences, given when it declines offered times: the weekdays and
half-days that suit it and the dates that do not. The next offers honour them: every time
outside them is blocked in the company's calendar for the slot proposer.

Half-days: "am" is before 13:00 (Asia/Seoul), "pm" from 13:00; a visit suits a half-day when
it starts in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from webapp.core.clock import SEOUL
from webapp.core.message_catalog import N_
from webapp.core.notifications import PARAM_FORMATTERS
from webapp.ui.dates import WEEKDAYS, format_date_range
from webapp.visits.models import VisitPreference

HALVES = {"am": (time(0), time(13)), "pm": (time(13), time(23, 59, 59))}
HALF_NAMES = {"am": N_("mornings"), "pm": N_("afternoons")}
MAX_RANGES = 3
MAX_RANGE_DAYS = 92
MAX_AHEAD_DAYS = 366


@dataclass
class Preferences:
    weekdays: list[int] = field(default_factory=list)  # that suit; empty: any
    halves: list[str] = field(default_factory=list)  # that suit; empty: any
    unavailable: list[tuple[date, date]] = field(default_factory=list)  # that do not suit

    @property
    def empty(self) -> bool:
        return not (self.weekdays or self.halves or self.unavailable)

    def as_json(self) -> dict:
        return {
            "weekdays": self.weekdays,
            "halves": self.halves,
            "unavailable": [[a.isoformat(), b.isoformat()] for a, b in self.unavailable],
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Preferences:
        return cls(
            weekdays=list(data.get("weekdays") or []),
            halves=list(data.get("halves") or []),
            unavailable=[
                (date.fromisoformat(a), date.fromisoformat(b)) for a, b in data.get("unavailable") or []
            ],
        )


def parse_preferences(form: Mapping, today: date) -> tuple[Preferences, dict[str, str]]:
    """Preferences from the decline form (weekday, half, from_N/to_N) and per-field errors
    (English message ids, translated by the page)."""
    errors: dict[str, str] = {}
    getlist: Callable[[str], list[str]] = getattr(form, "getlist", lambda name: form.get(name) or [])
    weekdays = sorted({int(v) for v in getlist("weekday") if v in {str(d) for d in range(7)}})
    halves = [h for h in HALVES if h in set(getlist("half"))]
    ranges: list[tuple[date, date]] = []
    for index in range(MAX_RANGES):
        first_text = (form.get(f"from_{index}") or "").strip()
        last_text = (form.get(f"to_{index}") or "").strip() or first_text
        if not first_text:
            continue
        try:
            first, last = date.fromisoformat(first_text), date.fromisoformat(last_text)
        except ValueError:
            errors[f"from_{index}"] = N_("Enter dates such as 2026-12-07.")
            continue
        if last < first:
            errors[f"to_{index}"] = N_("The last day must not be before the first.")
        elif last < today:
            errors[f"from_{index}"] = N_("These days are in the past.")
        elif (last - first).days >= MAX_RANGE_DAYS or (first - today).days > MAX_AHEAD_DAYS:
            errors[f"to_{index}"] = N_("At most 3 months, within the next year.")
        else:
            ranges.append((first, last))
    if len(weekdays) == 7:
        weekdays = []
    if len(halves) == len(HALVES):
        halves = []
    return Preferences(weekdays, halves, ranges), errors


def saved_preferences(session: Session, company_id: int) -> Preferences:
    """The preferences the company gave when it last declined (none: any time suits)."""
    stored = session.get(VisitPreference, company_id)
    return Preferences.from_json(stored.model_dump()) if stored else Preferences()


def blocked_times(prefs: Preferences, first: date, days: int) -> Iterator[tuple[datetime, datetime]]:
    """The times from `first` on (for `days` days) that do not suit, as Seoul-time ranges."""
    for offset in range(days):
        day = first + timedelta(days=offset)
        start = datetime.combine(day, time(0), SEOUL)
        end = start + timedelta(days=1)
        if (prefs.weekdays and day.weekday() not in prefs.weekdays) or any(
            a <= day <= b for a, b in prefs.unavailable
        ):
            yield start, end
            continue
        for half, (begins, ends) in HALVES.items():
            if prefs.halves and half not in prefs.halves:
                yield datetime.combine(day, begins, SEOUL), datetime.combine(day, ends, SEOUL)


def describe(data: Mapping, language: str, gettext: Callable[[str], str]) -> str:
    """The preferences in words: "화, 목 · afternoons · not 2026. 12. 7.(월) – 2026. 12. 11.(금)"."""
    prefs = Preferences.from_json(data)
    names = WEEKDAYS.get(language, WEEKDAYS["ko"])
    parts = []
    if prefs.weekdays:
        parts.append(", ".join(names[d] for d in prefs.weekdays))
    if prefs.halves:
        parts.append(", ".join(gettext(HALF_NAMES[h]) for h in prefs.halves))
    for first, last in prefs.unavailable:
        parts.append(gettext(N_("not %(days)s")) % {"days": format_date_range(first, last, language)})
    return " · ".join(parts) if parts else gettext(N_("any time"))


PARAM_FORMATTERS["preferences"] = describe
