"""Calendar feeds: a secret URL per mentor and per company, made on first view, regenerated on
request (the old URL then stops working); no sign-in needed to read a feed."""

import re

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from sqlmodel import Session

from webapp.directory.models import Company, Mentor


def feed_path(page: str) -> str:
    return re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', page).group(1)


@pytest.mark.parametrize(
    "who, page, model, index",
    [("company_a", "/company/", Company, 0), ("mentor_a", "/mentor/schedule", Mentor, 0)],
)
def test_the_feed_url_is_made_on_first_view_and_read_without_sign_in(
    web_app, clients, world, who, page, model, index
):
    ids = world.companies if model is Company else world.mentors
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(model, ids[index]).calendar_token is None
    path = feed_path(clients[who].get(page).get_data(as_text=True))
    assert feed_path(clients[who].get(page).get_data(as_text=True)) == path  # stable
    response = web_app.test_client().get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert f"UID:visit-{world.slots[0]}@" in body and "X-WR-TIMEZONE:Asia/Seoul" in body
    assert f"UID:visit-{world.slots[2]}@" not in body  # company B's visit with mentor B


def test_regenerating_makes_the_old_url_stop_working(web_app, clients, world):
    client = clients["company_a"]
    old = feed_path(client.get("/company/").get_data(as_text=True))
    response = client.post("/calendar/regenerate", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "새 캘린더 링크를 만들었습니다" in page
    new = feed_path(page)
    assert new != old
    anonymous = web_app.test_client()
    assert anonymous.get(old).status_code == 404 and anonymous.get(new).status_code == 200


def test_unknown_tokens_are_404_and_regeneration_needs_a_mentor_or_company(web_app, clients):
    assert web_app.test_client().get("/calendar/not-a-token.ics").status_code == 404
    assert clients["coordinator"].post("/calendar/regenerate").status_code == 403
    assert web_app.test_client().post("/calendar/regenerate").status_code == 302  # to sign in


def _validate(body: bytes) -> None:
    """RFC 5545 checks: icalendar's parser, the `ical` package's strict validating parser, and
    the required properties every client (Google Calendar, Outlook) relies on."""
    parsed = Calendar.from_ical(body)
    assert parsed.errors == [] and all(not c.errors for c in parsed.walk())
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    assert strict.prodid and strict.version == "2.0"
    for event in parsed.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert name in event, name
        assert event.decoded("DTSTAMP").utcoffset().total_seconds() == 0  # DTSTAMP in UTC
        assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
    zones = {str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")}
    assert zones == {"Asia/Seoul"}
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded lines (octets)


def test_the_feed_is_valid_korean_and_has_its_timezone(web_app, clients, world):
    page = clients["mentor_a"].get("/mentor/schedule").get_data(as_text=True)
    response = web_app.test_client().get(feed_path(page))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data()
    _validate(body)
    text = Calendar.from_ical(body)
    summaries = [str(e["SUMMARY"]) for e in text.walk("VEVENT")]
    assert summaries and all(s.startswith("스마트공장 방문: ") for s in summaries)
    assert "멘토A" in summaries[0] and "회사A" in summaries[0]


def test_a_single_visit_file_follows_the_page_language(web_app, clients, world):
    client = clients["company_a"]
    korean = client.get(f"/visits/{world.slots[0]}.ics")
    assert korean.headers["Content-Type"] == "text/calendar; charset=utf-8"
    _validate(korean.get_data())
    client.get("/lang/en")
    english = Calendar.from_ical(client.get(f"/visits/{world.slots[0]}.ics").get_data())
    assert str(next(iter(english.walk("VEVENT")))["SUMMARY"]).startswith("Smart-factory visit: mentor 멘토A")
