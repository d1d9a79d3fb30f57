"""The KPI sheet through its pages: baseline from raw inputs, target, lock, change requests, actuals."""

from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, select

from tests.outcomes.helpers import indicators, planned_sheet
from webapp.core.db import session_scope
from webapp.core.models import AuditLog
from webapp.engagements.models import Engagement
from webapp.outcomes.models import KpiChangeRequest

BACKENDS = ("sqlite", "postgres")


def _kpis(eng_id):
    return f"/outcomes/engagements/{eng_id}/kpis"


def test_company_plans_its_sheet_and_the_app_computes_the_values(web_app, clients, eng):
    company = clients["company_a"]
    indicator_id = planned_sheet(company, eng.a, lock=False)
    (indicator,) = indicators(web_app, eng.a)
    assert indicator.baseline == Decimal("7.5") and indicator.target == Decimal(9)
    assert indicator.baseline_inputs == {"units": "1200", "hours": "160"}
    page = company.get(_kpis(eng.a)).get_data(as_text=True)
    assert "생산성" in page and "+20.0%" in page  # the target's change, computed
    # a free indicator: name, unit and direction
    response = company.post(
        _kpis(eng.a), data={"kind": "custom", "name": "신규 채용", "unit": "명", "direction": "higher"}
    )
    assert response.status_code == 302
    assert {i.kind for i in indicators(web_app, eng.a)} == {"productivity", "custom"}
    assert indicator_id


def test_bad_input_names_the_field_and_stores_nothing(web_app, clients, eng):
    company = clients["company_a"]
    planned_sheet(company, eng.a, lock=False)
    (indicator,) = indicators(web_app, eng.a)
    url = f"{_kpis(eng.a)}/{indicator.id}/plan"
    for data, field, message in (
        (
            {"baseline-units": "100", "baseline-hours": "0"},
            "baseline-hours",
            "기준값: 생산 시간: 0보다 커야 합니다",
        ),
        ({"baseline-units": "-4", "baseline-hours": "8"}, "baseline-units", "음수일 수 없습니다"),
        ({"baseline-units": "100", "baseline-hours": "8", "target": "10"}, "target", "기준값보다 높아야"),
    ):
        response = company.post(url, data=data)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert f'href="#f-{field}"' in page and message in page, (field, page[:3000])
    assert indicators(web_app, eng.a)[0].baseline == Decimal("7.5")  # unchanged


def test_locked_targets_change_only_through_an_approved_request(web_app, clients, eng):
    company, coordinator = clients["company_a"], clients["coordinator"]
    indicator_id = planned_sheet(company, eng.a)
    url = f"{_kpis(eng.a)}/{indicator_id}"
    response = company.post(f"{url}/plan", data={"baseline-units": "1", "baseline-hours": "1", "target": "2"})
    assert response.status_code == 302  # refused with a message
    assert indicators(web_app, eng.a)[0].target == Decimal(9)

    assert company.post(f"{url}/change", data={"new_target": "8.5", "reason": ""}).status_code == 400
    assert (
        company.post(f"{url}/change", data={"new_target": "7", "reason": "설비 고장"}).status_code == 400
    )  # wrong way
    assert (
        company.post(
            f"{url}/change", data={"new_target": "8.5", "reason": "주요 설비 고장으로 3주 정지"}
        ).status_code
        == 302
    )
    # a second request while one waits is refused by the database's one-pending rule
    assert company.post(f"{url}/change", data={"new_target": "8", "reason": "또"}).status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        (change,) = s.exec(select(KpiChangeRequest)).all()
    assert change.state == "pending" and indicators(web_app, eng.a)[0].target == Decimal(9)

    decide = f"/outcomes/engagements/{eng.a}/changes/{change.id}/decide"
    assert company.post(decide, data={"decision": "approve"}).status_code == 403
    assert coordinator.post(decide, data={"decision": "approve", "note": "인정"}).status_code == 302
    assert (
        coordinator.post(decide, data={"decision": "reject"}).status_code == 302
    )  # already decided: no change
    assert indicators(web_app, eng.a)[0].target == Decimal("8.5")
    with Session(web_app.extensions["engine"]) as s:
        actions = [a.action for a in s.exec(select(AuditLog).order_by(AuditLog.id))]
        assert s.get(KpiChangeRequest, change.id).state == "approved"
    assert actions[-3:] == ["kpi_targets_locked", "kpi_change_requested", "kpi_change_approved"]


def test_actual_is_refused_before_the_last_week(web_app, clients, eng):
    mentor = clients["mentor_a"]
    indicator_id = planned_sheet(clients["company_a"], eng.a)
    with session_scope(web_app.extensions["engine"]) as s:  # the engagement ends in three weeks
        e = s.get(Engagement, eng.a)
        e.end_date += timedelta(weeks=3)
    url = f"{_kpis(eng.a)}/{indicator_id}/actual"
    response = mentor.post(url, data={"actual-units": "1500", "actual-hours": "150"})
    assert response.status_code == 400
    assert "마지막 주" in response.get_data(as_text=True)
    assert indicators(web_app, eng.a)[0].actual is None


def test_actual_in_the_last_week_gives_the_improvement(web_app, clients, eng):
    mentor = clients["mentor_a"]
    indicator_id = planned_sheet(clients["company_a"], eng.a)
    url = f"{_kpis(eng.a)}/{indicator_id}/actual"
    assert clients["company_a"].post(url, data={"actual-units": "1", "actual-hours": "1"}).status_code == 403
    assert clients["mentor_b"].post(url, data={"actual-units": "1", "actual-hours": "1"}).status_code == 404
    assert mentor.post(url, data={"actual-units": "1320", "actual-hours": "120"}).status_code == 302
    assert indicators(web_app, eng.a)[0].actual == Decimal(11)
    page = mentor.get(f"/outcomes/engagements/{eng.a}/completion").get_data(as_text=True)
    assert "+46.7%" in page and "달성" in page


def test_others_cannot_see_or_touch_a_sheet(web_app, clients, eng):
    for who in ("company_b", "mentor_b", "company_c"):
        assert clients[who].get(_kpis(eng.a)).status_code == 404
        assert clients[who].post(_kpis(eng.a), data={"kind": "productivity"}).status_code == 404
    assert web_app.test_client().get(_kpis(eng.a)).status_code == 302  # to the sign-in page
    assert clients["coordinator"].get(_kpis(eng.a)).status_code == 200
    assert indicators(web_app, eng.a) == []
