"""Seoul's date, not the server's: at 01:00 in Korea a server on UTC is still on the day before."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.core import clock
from webapp.ui.dates import format_date

# 2030-03-04 16:00 UTC is 2030-03-05 01:00 in Seoul.
UTC_MOMENT = datetime(2030, 3, 4, 16, 0, tzinfo=UTC)
SEOUL_DAY = date(2030, 3, 5)


@pytest.fixture
def utc_server_at_1am_in_seoul(monkeypatch):
    """The process runs on UTC (as servers do) and the clock reads 01:00 Asia/Seoul."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(clock, "now", lambda: UTC_MOMENT)
    yield
    monkeypatch.undo()
    time.tzset()


def test_seoul_today_is_korea_s_date(utc_server_at_1am_in_seoul):
    assert clock.seoul_today() == SEOUL_DAY
    assert clock.utcnow() == UTC_MOMENT
    assert clock.local_time(UTC_MOMENT.replace(tzinfo=None)).hour == 1
    assert clock.seoul_midnight(SEOUL_DAY) == UTC_MOMENT - timedelta(hours=1)


def test_days_off_use_seoul_s_date_on_a_utc_server(utc_server_at_1am_in_seoul, clients, world):
    client = clients["mentor_a"]
    yesterday_in_seoul = (SEOUL_DAY - timedelta(days=1)).isoformat()  # still "today" in UTC
    refused = client.post("/mentor/daysoff", data={"day": yesterday_in_seoul})
    assert refused.status_code == 400
    assert client.post("/mentor/daysoff", data={"day": SEOUL_DAY.isoformat()}).status_code == 302
    page = client.get("/mentor/availability").get_data(as_text=True)
    shown = format_date(SEOUL_DAY)  # 2030. 3. 5.(화)
    assert shown in page and format_date(SEOUL_DAY - timedelta(days=1)) not in page
