"""Template helpers: state labels, Seoul local times, distances."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from webapp.core.clock import aware, local_time, utcnow
from webapp.directory.importing.brn import format_brn
from webapp.matching.reasons import reason_text
from webapp.ui.dates import format_date, format_datetime, format_span
from webapp.ui.field_messages import localized
from webapp.ui.i18n import current_language
from webapp.ui.labels import label
from webapp.ui.urls import url_with
from webapp.visits.places import map_url


def date_ko(value: date | datetime | None) -> str:
    """2026. 11. 30.(월) in the page's language (webapp.ui.dates)."""
    return "" if value is None else format_date(value, current_language())


def datetime_ko(moment: datetime | None) -> str:
    """2026. 11. 30.(월) 09:00 (Asia/Seoul)."""
    return "" if moment is None else format_datetime(moment, current_language())


def span_ko(starts: datetime, ends: datetime) -> str:
    """2026. 11. 30.(월) 09:00–13:00 (Asia/Seoul)."""
    return format_span(starts, ends, current_language())


def seoul(moment: datetime | None, fmt: str | None = None) -> str:
    """A stored UTC time shown in Asia/Seoul: the one date style by default, or `fmt` (times
    of day such as %H:%M)."""
    if moment is None:
        return ""
    return datetime_ko(moment) if fmt is None else local_time(moment).strftime(fmt)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["seoul"] = seoul
    app.jinja_env.filters["date_ko"] = date_ko
    app.jinja_env.filters["datetime_ko"] = datetime_ko
    app.jinja_env.globals["span_ko"] = span_ko
    app.jinja_env.filters["seoul_date"] = lambda moment: local_time(moment).date()
    app.jinja_env.filters["map_url"] = map_url
    app.jinja_env.filters["brn"] = format_brn
    app.jinja_env.filters["aware"] = aware
    app.jinja_env.filters["korean_datetime"] = datetime_ko
    app.jinja_env.globals["utcnow"] = utcnow
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["reason"] = reason_text
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["url_with"] = url_with
