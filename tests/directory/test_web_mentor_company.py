"""The mentor's and the company's pages."""

from sqlmodel import Session, select

from webapp.directory.models import Mentor, MentorAvailability, MentorDayOff


def text(response) -> str:
    return response.get_data(as_text=True)


def test_mentor_home_lists_companies_with_contact_distance_and_visits(clients, world):
    page = text(clients["mentor_a"].get("/mentor/"))
    assert "회사A" in page and "담당a" in page and "5.0 km" in page and "063-000-0000" in page
    assert "확정" in page and "제안됨" in page  # a confirmed and an offered visit
    detail = text(clients["mentor_a"].get(f"/mentor/companies/{world.companies[0]}"))
    assert "same industry C29" in detail and "5.0 km" in detail


def test_mentor_edits_capacity_with_validation(web_app, clients, world):
    client = clients["mentor_a"]
    bad = client.post("/mentor/capacity", data={"capacity": "99"})
    assert bad.status_code == 400 and 'id="capacity-error"' in text(bad)
    assert client.post("/mentor/capacity", data={"capacity": "4"}).status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(Mentor, world.mentors[0]).capacity == 4


def test_mentor_adds_windows_without_overlaps(web_app, clients, world):
    client = clients["mentor_a"]
    # The world gives mentor A Monday 09:00-12:00.
    overlap = client.post("/mentor/windows", data={"weekday": "0", "starts": "11:00", "ends": "14:00"})
    assert overlap.status_code == 400 and "겹칩니다" in text(overlap)
    backwards = client.post("/mentor/windows", data={"weekday": "1", "starts": "15:00", "ends": "10:00"})
    assert backwards.status_code == 400 and 'id="ends-error"' in text(backwards)
    nonsense = client.post("/mentor/windows", data={"weekday": "9", "starts": "x", "ends": ""})
    page = text(nonsense)
    assert all(f'id="{f}-error"' in page for f in ("weekday", "starts", "ends"))
    assert (
        client.post("/mentor/windows", data={"weekday": "0", "starts": "12:00", "ends": "17:00"}).status_code
        == 302
    )
    with Session(web_app.extensions["engine"]) as s:
        windows = s.exec(
            select(MentorAvailability).where(MentorAvailability.mentor_id == world.mentors[0])
        ).all()
        assert sorted((w.starts.hour, w.ends.hour) for w in windows) == [(9, 12), (12, 17)]
    assert client.post(f"/mentor/windows/{world.windows[0]}/delete").status_code == 302


def test_mentor_adds_and_removes_days_off(web_app, clients, world):
    client = clients["mentor_a"]
    assert client.post("/mentor/daysoff", data={"day": "2001-01-01"}).status_code == 400
    assert client.post("/mentor/daysoff", data={"day": "someday"}).status_code == 400
    assert client.post("/mentor/daysoff", data={"day": "2099-05-05", "note": "어린이날"}).status_code == 302
    assert client.post("/mentor/daysoff", data={"day": "2099-05-05"}).status_code == 400  # twice
    assert "어린이날" in text(client.get("/mentor/availability"))
    assert client.post(f"/mentor/daysoff/{world.days_off[0]}/delete").status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        days = s.exec(select(MentorDayOff.day).where(MentorDayOff.mentor_id == world.mentors[0])).all()
        assert [d.isoformat() for d in days] == ["2099-05-05"]


def test_company_home_shows_mentor_visits_and_offered_slots(clients):
    page = text(clients["company_a"].get("/company/"))
    assert "멘토A" in page and "ma@m.kr" in page and "010-0000-000a" in page
    assert "제안된 방문 일정" in page and "이 시간으로 확정" in page and "확정" in page
