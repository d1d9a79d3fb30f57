"""Language switch, translations, error pages and the demo data through the browser pages."""

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlmodel import Session, select

from webapp.accounts.models import User
from webapp.directory.queries import current_assignment
from webapp.engagements.people import latest_engagement, team_of

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
CATALOGS = [
    WEBAPP / "translations",
    *sorted(WEBAPP.glob("*/translations")),
    *sorted(WEBAPP.glob("*/*/translations")),
]


def test_korean_by_default_and_english_on_request(web_app, clients):
    client = clients["coordinator"]
    assert "대시보드" in client.get("/coordinator/").get_data(as_text=True)
    switched = client.get("/lang/en?next=/coordinator/mentors")
    assert switched.headers["Location"] == "/coordinator/mentors"
    page = client.get("/coordinator/").get_data(as_text=True)
    assert "Dashboard" in page and "Jeonju" in page and '<html lang="en">' in page
    assert client.get("/lang/en?next=https://evil.example").headers["Location"] == "/"
    client.get("/lang/ko")
    assert "대시보드" in client.get("/coordinator/").get_data(as_text=True)


def test_every_page_has_the_language_switch(clients, world):
    for who, path in (
        ("coordinator", "/coordinator/runs"),
        ("mentor_a", "/mentor/availability"),
        ("company_a", "/company/"),
        ("mentor_a", "/account"),
    ):
        page = clients[who].get(path).get_data(as_text=True)
        assert 'href="/lang/en?next=' in page, path


def test_every_compiled_catalog_matches_its_source_and_translates_everything():
    for catalog in CATALOGS:
        messages = catalog / "ko" / "LC_MESSAGES"
        with open(messages / "messages.po", "rb") as f:
            source = {m.id: m.string for m in read_po(f) if m.id}
        with open(messages / "messages.mo", "rb") as f:
            compiled = {m.id: m.string for m in read_mo(f) if m.id}
        assert compiled == source, f"{catalog}: run scripts/messages.sh compile"
        assert not [key for key, text in source.items() if not text], catalog


def test_friendly_error_pages(web_app, clients):
    missing = clients["coordinator"].get("/coordinator/companies/999999")
    assert missing.status_code == 404 and "찾을 수 없음" in missing.get_data(as_text=True)
    forbidden = clients["mentor_a"].get("/coordinator/")
    assert forbidden.status_code == 403 and "허용되지 않음" in forbidden.get_data(as_text=True)
    assert clients["coordinator"].get("/coordinator/companies/99999999999").status_code == 404


def test_unexpected_errors_get_the_500_page(db_url):
    from webapp import create_app

    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "문제가 발생했습니다" in response.get_data(as_text=True)


def test_demo_logins_reach_their_pages(web_app):
    web_app.test_cli_runner().invoke(args=["demo", "load"])
    for email, password, start in (
        ("coordinator@demo.jbsf.kr", "coordinator-2026", "/coordinator/"),
        ("mentor@demo.jbsf.kr", "mentor-2026", "/mentor/"),
        ("company@demo.jbsf.kr", "company-2026", "/company/"),
    ):
        client = web_app.test_client()
        assert client.post("/login", data={"email": email, "password": password}).status_code == 302
        assert client.get(start).status_code == 200
    # The demo company is on site in the resident year (its engagement page shows its team).
    assert client.get("/company/engagement").status_code == 200


def test_a_company_on_a_resident_engagement_sees_its_team_on_its_page(web_app):
    web_app.test_cli_runner().invoke(args=["demo", "load"])
    client = web_app.test_client()
    client.post("/login", data={"email": "company@demo.jbsf.kr", "password": "company-2026"})
    page = client.get("/company/").get_data(as_text=True)
    with Session(web_app.extensions["engine"]) as session:
        company_id = session.exec(select(User.company_id).where(User.email == "company@demo.jbsf.kr")).one()
        assert current_assignment(session, company_id) is None  # no visiting mentor
        engagement = latest_engagement(session, company_id)
        team = [mentor.name for mentor, _role in team_of(session, engagement)]
    assert len(team) >= 2 and all(name in page for name in team)
    assert "/company/engagement" in page
    assert "아직 멘토가 배정되지 않았습니다" not in page


def test_validation_messages_are_shown_in_the_page_language(web_app):
    from webapp.ui.field_messages import localized

    with web_app.test_request_context():
        assert localized("is required") == "필수 항목입니다."
        assert (
            localized("row 7, priority: 9 is not between 1 and 5")
            == "7행, priority: 9: 1에서 5 사이여야 합니다."
        )
        assert localized("something new") == "something new"
    with web_app.test_request_context(headers={"Cookie": "lang=en"}):
        assert (
            localized("row 3, lat/lon: give both coordinates or neither")
            == "row 3, lat/lon: Give both latitude and longitude, or neither."
        )
