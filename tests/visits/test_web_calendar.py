"""Calendar feeds: a secret address per mentor and per company, made on request and shown only
on the page that follows (its SHA-256 is what is stored), replaced or stopped on request (the old
address then stops working); no sign-in needed to read a feed."""

import re

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from sqlmodel import Session

from tests.support.web import calendar_address
from webapp.accounts.security import hash_token
from webapp.directory.models import Company, Mentor

ADDRESS = re.compile(r'value="http://localhost(/calendar/[^"]+\.ics)"')


@pytest.mark.parametrize(
    "who, page, model, index",
    [("company_a", "/company/", Company, 0), ("mentor_a", "/mentor/schedule", Mentor, 0)],
)
def test_the_address_is_made_on_request_shown_once_and_read_without_sign_in(
    web_app, clients, world, who, page, model, index
):
    ids = world.companies if model is Company else world.mentors
    client = clients[who]
    before = client.get(page).get_data(as_text=True)
    assert "캘린더 주소가 아직 없습니다" in before and not ADDRESS.search(before)
    path = calendar_address(client)
    again = client.get(page).get_data(as_text=True)
    assert not ADDRESS.search(again) and "만들 때 한 번만 보여 드립니다" in again  # shown once
    with Session(web_app.extensions["engine"]) as s:
        token = path.removeprefix("/calendar/").removesuffix(".ics")
        assert s.get(model, ids[index]).calendar_token_hash == hash_token(token)
    response = web_app.test_client().get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert f"UID:visit-{world.slots[0]}@" in body and "X-WR-TIMEZONE:Asia/Seoul" in body
    assert f"UID:visit-{world.slots[2]}@" not in body  # company B's visit with mentor B


def test_a_new_address_makes_the_old_one_stop_working(web_app, clients, world):
    client = clients["company_a"]
    old = calendar_address(client)
    response = client.post("/calendar/regenerate", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "새 캘린더 링크를 만들었습니다" in page
    new = ADDRESS.search(page)[1]
    assert new != old
    anonymous = web_app.test_client()
    assert anonymous.get(old).status_code == 404 and anonymous.get(new).status_code == 200


def test_stopping_the_feed_ends_the_address_without_a_new_one(web_app, clients, world):
    client = clients["mentor_a"]
    path = calendar_address(client)
    page = client.post("/calendar/stop", follow_redirects=True).get_data(as_text=True)
    assert "캘린더 구독을 중지했습니다" in page and "캘린더 주소가 아직 없습니다" in page
    assert not ADDRESS.search(page)
    assert web_app.test_client().get(path).status_code == 404
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(Mentor, world.mentors[0]).calendar_token_hash is None


def test_unknown_tokens_are_404_and_only_mentors_and_companies_manage_a_feed(web_app, clients):
    assert web_app.test_client().get("/calendar/not-a-token.ics").status_code == 404
    for action in ("/calendar/regenerate", "/calendar/stop"):
        assert clients["coordinator"].post(action).status_code == 403
        assert web_app.test_client().post(action).status_code == 302  # to sign in


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
    response = web_app.test_client().get(calendar_address(clients["mentor_a"]))
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
