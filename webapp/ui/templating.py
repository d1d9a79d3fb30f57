"""Template helpers: state labels, Seoul local times, distances."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import get_locale

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


def seoul(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time shown in Asia/Seoul."""
    if moment is None:
        return ""
    return local_time(moment).strftime(fmt)


def korean_datetime(moment: datetime | None) -> str:
    """A stored UTC time in Asia/Seoul, Korean style: 2026. 11. 30.(월) 09:00 (English:
    2026-11-30 (Mon) 09:00)."""
    if moment is None:
        return ""
    local = local_time(moment)
    day = str(label("weekday", local.weekday()))
    if str(get_locale()) == "ko":
        return f"{local:%Y. %m. %d.}({day[0]}) {local:%H:%M}"
    return f"{local:%Y-%m-%d} ({day[:3]}) {local:%H:%M}"


def weekday(moment: datetime) -> str:
    """The Asia/Seoul day of the week of a stored time, translated."""
    return label("weekday", local_time(moment).weekday())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["seoul"] = seoul
    app.jinja_env.filters["date_ko"] = date_ko
    app.jinja_env.filters["datetime_ko"] = datetime_ko
    app.jinja_env.globals["span_ko"] = span_ko
    app.jinja_env.filters["seoul_date"] = lambda moment: local_time(moment).date()
    app.jinja_env.filters["map_url"] = map_url
    app.jinja_env.filters["brn"] = format_brn
    app.jinja_env.filters["aware"] = aware
    app.jinja_env.filters["weekday"] = weekday
    app.jinja_env.filters["korean_datetime"] = korean_datetime
    app.jinja_env.globals["utcnow"] = utcnow
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["reason"] = reason_text
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["url_with"] = url_with
