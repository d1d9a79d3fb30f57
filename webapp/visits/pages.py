"""The app paths that visit messages link to. Emails are written outside requests too (the
scheduler), so these are plain paths, kept equal to the routes by tests/visits/test_notices.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from webapp.core.clock import local_time


def mentor_week(moment: datetime) -> str:
    """The mentor's schedule on the week holding `moment`."""
    day = local_time(moment).date()
    return f"/mentor/schedule?week={(day - timedelta(days=day.weekday())).isoformat()}"


def company_page() -> str:
    return "/company/"


def desk_attention() -> str:
    """The coordinator's queue of visits that need attention, on the visits desk."""
    return "/coordinator/visits#attention"
