"""The coordinator's journey: dashboard, lists, forms, import, run, review, approve."""

import html
import io
import re
from pathlib import Path

from sqlmodel import Session, select

from tests.support.web import approve, brn, count
from webapp.core.models import AuditLog
from webapp.directory.models import Company, Mentor, MentorIndustry
from webapp.matching.models import Assignment, MatchingRun

SAMPLES = Path(__file__).resolve().parents[2] / "webapp" / "samples"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_dashboard_shows_counts_loads_map_and_runs(clients, world):
    page = text(clients["coordinator"].get("/coordinator/"))
    assert "대시보드" in page and "<svg" in page
    assert "멘토A" in page and "1 / 3" in page  # load / capacity
    assert page.count('class="mentor"') == 2 and page.count("</line>") == 2
    assert "전주시" in page


def test_company_list_search_filters_and_pages(clients, world):
    client = clients["coordinator"]
    assert "회사A" in text(client.get("/coordinator/companies?q=회사a"))
    page = text(client.get("/coordinator/companies?matched=no"))
    assert "회사C" in page and "회사A" not in page
    assert "회사A" not in text(client.get("/coordinator/companies?status=withdrawn"))
    assert "회사B" in text(client.get(f"/coordinator/companies?q={brn(2)[:5]}"))
    assert client.get("/coordinator/companies?page=999&municipality=x").status_code == 200
    assert "멘토B" in text(client.get("/coordinator/mentors?q=mb@"))
    assert "멘토A" not in text(client.get("/coordinator/mentors?active=no"))


def test_new_company_form_shows_errors_next_to_fields_and_saves_nothing(web_app, clients):
    client = clients["coordinator"]
    before = count(web_app, Company)
    bad = client.post(
        "/coordinator/companies/new",
        data={
            "business_reg_no": "123-45-67892",
            "name": "",
            "industry": "C29",
            "municipality": "Atlantis",
            "priority": "9",
        },
    )
    assert bad.status_code == 400
    page = text(bad)
    for name in ("business_reg_no", "name", "municipality", "priority"):
        assert f'id="{name}-error"' in page, name
    assert 'value="123-45-67892"' in page  # what was typed is kept
    assert count(web_app, Company) == before


def test_new_and_edited_company_and_deactivation(web_app, clients):
    client = clients["coordinator"]
    created = client.post(
        "/coordinator/companies/new",
        data={
            "business_reg_no": brn(9),
            "name": "새회사",
            "industry": "C25",
            "municipality": "Iksan",
            "priority": "3",
            "status": "applied",
        },
    )
    assert created.status_code == 302
    company_id = int(created.headers["Location"].rsplit("/", 1)[1])
    duplicate = client.post(
        "/coordinator/companies/new",
        data={"business_reg_no": brn(9), "name": "다른회사", "industry": "C25", "municipality": "Iksan"},
    )
    assert duplicate.status_code == 400 and 'id="business_reg_no-error"' in text(duplicate)
    edit = client.post(
        f"/coordinator/companies/{company_id}",
        data={
            "name": "새회사 2",
            "industry": "C25",
            "municipality": "Iksan",
            "priority": "4",
            "business_reg_no": brn(8),
        },
    )  # the key cannot change
    assert edit.status_code == 302
    assert client.post(f"/coordinator/companies/{company_id}/deactivate").status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        company = s.get(Company, company_id)
        assert (company.name, company.priority, company.business_reg_no, company.status) == (
            "새회사 2",
            4,
            brn(9),
            "withdrawn",
        )
        actions = [a.action for a in s.exec(select(AuditLog).where(AuditLog.entity_id == str(company_id)))]
        assert actions == ["created", "updated", "deactivated"]


def test_mentor_form_validates_industries_and_saves_fits(web_app, clients, world):
    client = clients["coordinator"]
    bad = client.post(
        "/coordinator/mentors/new",
        data={
            "email": "new@m.kr",
            "name": "새멘토",
            "municipality": "Jeonju",
            "industries": "C99:50",
            "capacity": "3",
        },
    )
    assert bad.status_code == 400 and 'id="industries-error"' in text(bad)
    ok = client.post(
        f"/coordinator/mentors/{world.mentors[0]}",
        data={
            "name": "멘토A",
            "municipality": "Jeonju",
            "industries": "C29:80; C28:40",
            "capacity": "5",
            "active": "yes",
        },
    )
    assert ok.status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        fits = {
            r.industry_code: r.fit
            for r in s.exec(select(MentorIndustry).where(MentorIndustry.mentor_id == world.mentors[0]))
        }
        assert fits == {"C29": 80, "C28": 40} and s.get(Mentor, world.mentors[0]).capacity == 5
    assert client.post(f"/coordinator/mentors/{world.mentors[0]}/deactivate").status_code == 302
    assert "비활성화" in text(client.get(f"/coordinator/mentors/{world.mentors[0]}", follow_redirects=True))


def test_import_page_lists_row_errors_and_writes_nothing(web_app, clients):
    client = clients["coordinator"]
    before = count(web_app, Company)
    bad = (
        b"business_reg_no,name,industry,municipality\n123-45-67892,A,C29,Jeonju\n"
        + f"{brn(7)},B,C29,Atlantis\n".encode()
    )
    response = client.post(
        "/coordinator/import",
        data={"kind": "companies", "file": (io.BytesIO(bad), "bad.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = html.unescape(text(response))
    assert (
        "2행, business_reg_no" in page
        and "3행, municipality: 'Atlantis': 전북의 14개 시군이 아닙니다" in page
    )
    assert count(web_app, Company) == before
    missing = client.post(
        "/coordinator/import", data={"kind": "companies"}, content_type="multipart/form-data"
    )
    assert missing.status_code == 400 and 'id="f-file"' in text(missing)


def test_import_page_imports_the_samples(web_app, clients):
    client = clients["coordinator"]
    for kind, name in (("companies", "companies.csv"), ("mentors", "mentors.csv")):
        with open(SAMPLES / name, "rb") as f:
            response = client.post(
                "/coordinator/import",
                data={"kind": kind, "file": (f, name)},
                content_type="multipart/form-data",
            )
        assert response.status_code == 302, text(response)
        assert "가져오기 완료" in text(client.get(response.headers["Location"]))


def test_run_now_review_and_approve(web_app, clients, world, fake_solver):
    client = clients["coordinator"]
    invalid = client.post("/coordinator/runs", data={"max_distance_km": "0", "time_limit": "abc"})
    assert invalid.status_code == 400
    assert 'id="max_distance_km-error"' in text(invalid) and 'id="time_limit-error"' in text(invalid)
    started = client.post("/coordinator/runs", data={"max_distance_km": "80", "time_limit": "5"})
    assert started.status_code == 302
    run_id = int(started.headers["Location"].rsplit("/", 1)[1])
    review = text(client.get(f"/coordinator/runs/{run_id}"))
    # The fake solver gives every company mentor A (room for 3): A kept, B changed, C new.
    assert "변경 (1)" in review and "유지 (1)" in review and "신규 (1)" in review
    assert "same industry" in review and "<svg" in review
    assert approve(client, run_id).status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        run = s.get(MatchingRun, run_id)
        assert run.status == "approved" and run.approved_by_id is not None
        in_force = s.exec(select(Assignment).where(Assignment.state == "approved")).all()
        assert {a.mentor_id for a in in_force} == {world.mentors[0]} and len(in_force) == 3
    again = client.post(f"/coordinator/runs/{run_id}/discard", data={"confirmed": "1"})
    assert again.status_code == 409 and "충돌" in text(again)
    assert "승인자" in text(client.get(f"/coordinator/runs/{run_id}"))


def test_discard_and_the_runs_list(clients, world, fake_solver):
    client = clients["coordinator"]
    run_id = int(client.post("/coordinator/runs", data={}).headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/coordinator/runs/{run_id}/discard", data={"confirmed": "1"}).status_code == 302
    page = text(client.get("/coordinator/runs"))
    assert "폐기됨" in page and "지금 매칭 실행" in page
    assert client.get("/coordinator/runs/9999").status_code == 404


def test_a_run_in_progress_gives_409(web_app, clients, world, monkeypatch):
    from webapp.matching import views as runs
    from webapp.matching.service import RunInProgress

    def busy(*args, **kwargs):
        raise RunInProgress()

    monkeypatch.setattr(runs, "start_run", busy)
    response = clients["coordinator"].post("/coordinator/runs", data={})
    assert response.status_code == 409 and "이미 매칭이 실행 중" in text(response)


def test_a_long_run_goes_on_beside_the_request(web_app, clients, world, monkeypatch):
    """A solve longer than the request waits for (side rules may search up to 600 s) goes on in
    the background: the page says so and refreshes itself until the proposal is there."""
    import threading
    import time

    import matcher
    from webapp.matching import views as runs

    release = threading.Event()
    real_solve = matcher.solve

    def slow_solve(instance, time_limit=None, workers=None):
        release.wait(20)
        return real_solve(instance, time_limit=time_limit, workers=workers)

    monkeypatch.setattr(matcher, "solve", slow_solve)
    monkeypatch.setattr(runs, "RUN_WAIT_SECONDS", 0.2)
    client = clients["coordinator"]
    started = client.post("/coordinator/runs", data={})
    assert started.status_code == 302
    run_id = int(started.headers["Location"].rsplit("/", 1)[1])
    page = text(client.get(f"/coordinator/runs/{run_id}"))
    assert 'http-equiv="refresh"' in page and "솔버가 아직 이 실행을 계산하고 있습니다" in page
    assert client.post("/coordinator/runs", data={}).status_code == 409  # one run at a time
    release.set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with Session(web_app.extensions["engine"]) as s:
            if s.get(MatchingRun, run_id).status != "running":
                break
        time.sleep(0.05)
    page = text(client.get(f"/coordinator/runs/{run_id}"))
    assert 'http-equiv="refresh"' not in page and "제안됨" in page and "같은 업종 C29" in page


def test_approving_a_run_offers_visit_slots_at_once(web_app, clients, world, fake_solver):
    from webapp.visits.models import VisitSlot

    web_app.config["VISIT_MINUTES"] = 120  # the world's mentors work Mondays 09:00-12:00 only
    before = count(web_app, VisitSlot)
    client = clients["coordinator"]
    run_id = client.post("/coordinator/runs", data={}).headers["Location"].rsplit("/", 1)[1]
    assert approve(client, run_id).status_code == 302
    assert count(web_app, VisitSlot) > before  # company C, newly matched, is offered times


def test_a_failure_to_offer_slots_does_not_undo_the_approval(
    web_app, clients, world, fake_solver, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("solver unavailable")

    monkeypatch.setattr("webapp.visits.offering.offer_visits", broken)
    client = clients["coordinator"]
    run_id = client.post("/coordinator/runs", data={}).headers["Location"].rsplit("/", 1)[1]
    page = approve(client, run_id, follow_redirects=True).get_data(as_text=True)
    assert "승인했습니다" in page and 'id="offer-progress"' in page
    # Company A keeps its confirmed visit; B and C got no offer: 1 of 3, still in progress.
    progress = re.search(r'class="flash (\w+)"[^>]*id="offer-progress">([^<]*)', page)
    assert progress[1] == "info" and "3개 기업 중 1개" in progress[2]
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(MatchingRun, int(run_id)).status == "approved"
