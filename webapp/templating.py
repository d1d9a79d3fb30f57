"""Template helpers: state labels, Seoul local times, distances."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, request, url_for

from webapp.field_messages import localized
from webapp.labels import label

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time (SQLite returns it naive) shown in Asia/Seoul."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(SEOUL).strftime(fmt)


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (pagers keep the filters)."""
    args = {**request.args.to_dict(), **changes}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["seoul"] = seoul
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["url_with"] = url_with
