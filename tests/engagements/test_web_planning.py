"""The coordinator's planning pages: plan now, review (charts, changes, reasons, quotas), approve."""

from __future__ import annotations

import re

from sqlmodel import Session, select

import webapp.engagements.service as service
from webapp.engagements.models import Engagement, PlanningRun


def _quick(monkeypatch):
    """Plans in the test answer within the request's wait (small instance, short limit)."""
    monkeypatch.setattr(service, "DEFAULT_PARAMS", {"time_limit": 5})


def test_plan_review_and_approve_in_both_languages(web_app, plan_world, plan_clients, monkeypatch):
    client = plan_clients["coordinator"]
    page = client.get("/coordinator/planning").get_data(as_text=True)
    assert "계획" in page and "<svg" in page and "멘토1" in page  # the plan in force, charted
    response = client.post(
        f"/coordinator/planning/{plan_world.program.cohort}/runs", data={"time_limit": "5"}
    )
    assert response.status_code == 302
    review_url = response.headers["Location"]
    page = client.get(review_url).get_data(as_text=True)
    assert "제안됨" in page and 'class="gantt"' in page
    assert "신규" in page  # new engagements against the plan in force
    assert "선정되지 않은 신청 기업" in page
    assert "선정 한도 대비 선정 현황" in page and "트랙별" in page
    english = client.get("/lang/en?next=" + review_url)
    page = client.get(review_url).get_data(as_text=True)
    assert "Changes against the plan in force" in page and "Applicants not selected" in page
    assert "quota of JS1 reached" in page or "quota of JS2 reached" in page
    run_id = int(re.search(r"/runs/(\d+)", review_url)[1])
    approved = client.post(f"/coordinator/planning/runs/{run_id}/approve")
    assert approved.status_code == 302
    again = client.post(f"/coordinator/planning/runs/{run_id}/approve")
    assert again.status_code == 409
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(PlanningRun, run_id).status == "approved"
        assert len(s.exec(select(Engagement).where(Engagement.state != "cancelled")).all()) >= 5
    assert english.status_code == 302


def test_plan_now_checks_its_fields(plan_world, plan_clients):
    client = plan_clients["coordinator"]
    response = client.post(
        f"/coordinator/planning/{plan_world.program.cohort}/runs", data={"time_limit": "0"}
    )
    assert response.status_code == 400
    assert "1에서 600 사이" in response.get_data(as_text=True) or "between 1 and 600" in response.get_data(
        as_text=True
    )


def test_only_coordinators_plan(plan_world, plan_clients):
    for who in ("mentor_on_site", "company_on_site"):
        assert plan_clients[who].get("/coordinator/planning").status_code == 403
        assert (
            plan_clients[who].post(f"/coordinator/planning/{plan_world.program.cohort}/runs").status_code
            == 403
        )


def test_mentor_sees_the_year_and_the_current_team(plan_world, plan_clients):
    page = plan_clients["mentor_on_site"].get("/mentor/engagements").get_data(as_text=True)
    assert "공장2" in page and "멘토4" in page and "010-1000-0004" in page  # teammate with contact
    assert 'class="gantt fit"' in page and "현장" in page
    idle = plan_clients["mentor_idle"].get("/mentor/engagements").get_data(as_text=True)
    assert "공장2" not in idle and "이번 주에는 참여 중인 기업이 없습니다" in idle


def test_company_sees_its_engagement_and_team(plan_world, plan_clients):
    page = plan_clients["company_on_site"].get("/company/engagement").get_data(as_text=True)
    assert "멘토3" in page and "멘토4" in page and "010-1000-0003" in page
    assert "2026. 11. 9.(월)" in page  # week 18 starts on Monday 2026-11-09
    none = plan_clients["company_none"].get("/company/engagement").get_data(as_text=True)
    assert "멘토3" not in none
    assert plan_clients["company_on_site"].get("/mentor/engagements").status_code == 403


def test_scenario_pages_create_change_solve_and_compare(web_app, plan_world, plan_clients):
    client = plan_clients["coordinator"]
    cohort = plan_world.program.cohort
    created = client.post(f"/coordinator/planning/{cohort}/scenarios", data={"name": "멘토 2명 추가"})
    assert created.status_code == 302
    url = created.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "현재 계획과 비교" in page and "아직 계산하지 않았습니다" in page
    bad = client.post(
        url, data={"name": "멘토 2명 추가", "weeks": "200", "added": "새멘토 | 서울 | it | C29"}
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "1에서 104 사이" in text and "1번째 줄" in text
    saved = client.post(
        url,
        data={
            "name": "멘토 2명 추가",
            "keep_pins": "1",
            "quota_JS1": "3",
            "quota_JS2": "2",
            "added": "새멘토 | 전주 | it | C29:90\n새멘토2 | 익산 | quality | C29",
        },
    )
    assert saved.status_code == 302
    solved = client.post(url + "/solve", data={"time_limit": "5"})
    assert solved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "계산 완료" in page or "OPTIMAL" in page or "FEASIBLE" in page
    assert page.count('class="weekbars"') == 2  # utilisation of the plan in force and of the scenario
    with Session(web_app.extensions["engine"]) as s:
        assert (
            s.exec(select(PlanningRun).where(PlanningRun.scenario_id.is_not(None))).first().status == "solved"
        )
    assert client.post(url + "/sweep", data={"counts": "5"}).status_code == 400
