"""Changing outcomes through the JSON API: the pages' rules (ownership, the lock, change requests,
the team's and the coordinators' steps), field-named messages in the request's language, nothing
stored on a refusal, and every change audited."""

from io import BytesIO
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.media.images import png
from tests.support.web import api
from webapp.core.db import session_scope
from webapp.core.models import AuditLog
from webapp.engagements.models import Engagement
from webapp.outcomes.models import ImprovementTask, KpiIndicator, Survey

BACKENDS = ("sqlite", "postgres")
KPIS = "/api/v1/outcomes/engagements/{}/kpis"
PLAN = {"baseline": {"units": 1200, "hours": "160"}, "target": 9}  # 7.5 -> 9 units/h
TASK = {"area": "layout", "description": "자재 동선 교차", "owner": "김반장", "due_on": "2030-01-15"}


@pytest.fixture
def callers(web_app, tokens):
    return {key: api(web_app, token) for key, token in tokens.items()}


def _rows(app, model):
    with Session(app.extensions["engine"]) as s:
        return list(s.exec(select(model)))


def _actions(app) -> list[str]:
    return [entry.action for entry in _rows(app, AuditLog)]


def _productivity(caller, engagement_id: int, lock: bool = True) -> int:
    added = caller.post(KPIS.format(engagement_id), json={"kind": "productivity"})
    assert added.status_code == 201, added.get_json()
    kpi = added.get_json()["id"]
    planned = caller.put(f"{KPIS.format(engagement_id)}/{kpi}/plan", json=PLAN)
    assert planned.status_code == 200, planned.get_json()
    assert planned.get_json()["baseline"] == 7.5 and planned.get_json()["target"] == 9
    if lock:
        assert caller.post(f"{KPIS.format(engagement_id)}/lock").status_code == 200
    return kpi


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_sheet_lock_and_change_request_through_the_api(web_app, callers, eng):
    company, coordinator = callers["company_a"], callers["coordinator"]
    kpi = _productivity(company, eng.a)
    base = KPIS.format(eng.a)

    locked = company.put(f"{base}/{kpi}/plan", json={**PLAN, "target": 10})
    assert locked.status_code == 409 and "변경 요청" in locked.get_json()["message"]
    assert company.delete(f"{base}/{kpi}").status_code == 409
    asked = company.post(
        f"{base}/{kpi}/change-requests", json={"new_target": 8.5, "reason": "설비 교체 지연"}
    )
    assert asked.status_code == 201 and asked.get_json()["state"] == "pending"
    again = company.post(f"{base}/{kpi}/change-requests", json={"new_target": 8.6, "reason": "다시"})
    assert again.status_code == 409  # one pending request per indicator

    request_id = asked.get_json()["id"]
    decide = f"/api/v1/outcomes/engagements/{eng.a}/change-requests/{request_id}/decide"
    assert callers["mentor_a"].post(decide, json={"decision": "approve"}).status_code == 403
    assert coordinator.post(decide, json={"decision": "maybe"}).get_json()["fields"] == {
        "decision": "하나를 고르세요."
    }
    decided = coordinator.post(decide, json={"decision": "approve", "note": "승인"})
    assert decided.status_code == 200 and decided.get_json()["state"] == "approved"
    assert coordinator.post(decide, json={"decision": "reject"}).status_code == 409  # decided once
    listed = company.get(f"/api/v1/outcomes/engagements/{eng.a}/change-requests").get_json()["items"]
    assert [r["state"] for r in listed] == ["approved"]
    (sheet,) = company.get(base).get_json()["items"]
    assert sheet["target"] == 8.5
    assert {
        "kpi_added",
        "kpi_planned",
        "kpi_targets_locked",
        "kpi_change_requested",
        "kpi_change_approved",
    } <= set(_actions(web_app))


def test_bad_input_names_the_field_in_the_requests_language_and_stores_nothing(web_app, callers, eng):
    company = callers["company_a"]
    kpi = company.post(KPIS.format(eng.a), json={"kind": "productivity"}).get_json()["id"]
    plan = f"{KPIS.format(eng.a)}/{kpi}/plan"

    zero_hours = company.put(plan, json={"baseline": {"units": 1200, "hours": 0}, "target": 9})
    assert zero_hours.status_code == 422
    assert zero_hours.get_json()["fields"] == {"baseline.hours": "0보다 커야 합니다."}  # Korean first
    english = company.put(
        plan, json={"baseline": {"units": 1200, "hours": 0}}, headers={"Accept-Language": "en-US,en;q=0.9"}
    )
    assert english.get_json()["fields"] == {"baseline.hours": "Must be more than zero."}
    assert english.get_json()["message"] == "Nothing was saved. Please correct:"
    french = company.put(
        plan, json={"baseline": {"units": 1200, "hours": 0}}, headers={"Accept-Language": "fr"}
    )
    assert french.get_json()["fields"] == {"baseline.hours": "0보다 커야 합니다."}  # neither: Korean

    wrong_way = company.put(plan, json={"baseline": {"units": 1200, "hours": 160}, "target": 7})
    assert wrong_way.get_json()["fields"] == {"target": "목표는 기준값보다 높아야 합니다(높을수록 좋음)."}
    odd = company.put(plan, json={"baseline": {"units": [1], "minutes": 3}, "target": True, "colour": "red"})
    assert odd.status_code == 422 and odd.get_json()["fields"] == {
        "baseline.units": "숫자를 입력하세요.",
        "baseline.minutes": "알 수 없는 항목입니다.",
        "target": "숫자를 입력하세요.",
        "colour": "알 수 없는 항목입니다.",
    }
    missing = company.put(plan, json={}).get_json()["fields"]
    assert missing == {"baseline.units": "필수 항목입니다.", "baseline.hours": "필수 항목입니다."}
    assert company.put(plan, json=[1, 2]).status_code == 400
    custom = company.post(KPIS.format(eng.a), json={"kind": "custom", "name": "재고\x00", "unit": 5})
    assert custom.get_json()["fields"] == {"unit": "글자로 입력하세요."}
    custom = company.post(
        KPIS.format(eng.a), json={"kind": "custom", "name": "재\t고", "unit": "일", "direction": "lower"}
    )
    assert custom.get_json()["fields"] == {"name": "줄바꿈이나 제어 문자가 들어 있습니다."}
    (indicator,) = _rows(web_app, KpiIndicator)
    assert indicator.baseline is None and indicator.target is None  # nothing stored


def test_others_engagements_are_404_and_team_steps_403(web_app, callers, eng):
    kpi = _productivity(callers["company_a"], eng.a)
    base = f"/api/v1/outcomes/engagements/{eng.a}"
    writes = [
        ("post", f"{base}/kpis", {"json": {"kind": "defect_rate"}}),
        ("delete", f"{base}/kpis/{kpi}", {}),
        ("put", f"{base}/kpis/{kpi}/plan", {"json": PLAN}),
        ("post", f"{base}/kpis/lock", {}),
        ("put", f"{base}/kpis/{kpi}/actual", {"json": {"actual": {"units": 1500, "hours": 160}}}),
        ("post", f"{base}/kpis/{kpi}/change-requests", {"json": {"new_target": 8, "reason": "x"}}),
        ("post", f"{base}/tasks", {"data": {**TASK, "before_photo": (BytesIO(png()), "b.png")}}),
        ("post", f"{base}/completion", {"json": {"summary": "요약"}}),
        ("post", f"{base}/sign-off", {}),
    ]
    for who in ("company_b", "mentor_b", "company_c"):  # not theirs: as if it did not exist
        for method, path, kwargs in writes:
            if "data" in kwargs:
                kwargs = {"data": {**TASK, "before_photo": (BytesIO(png()), "b.png")}}
            assert getattr(callers[who], method)(path, **kwargs).status_code == 404, (who, path)
    company = callers["company_a"]
    team_steps = [
        (m, p, k) for m, p, k in writes if p.endswith(("/actual", "/tasks", "/completion", "/sign-off"))
    ]
    for method, path, kwargs in team_steps:  # the company sees them but they are the team's
        assert getattr(company, method)(path, **kwargs).status_code == 403, path
    assert callers["mentor_a"].post(f"{base}/sign-off").status_code == 403  # a coordinator's
    assert _rows(web_app, ImprovementTask) == []


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_team_records_tasks_actuals_and_completion_and_the_coordinator_signs_off(web_app, callers, eng):
    mentor, coordinator = callers["mentor_a"], callers["coordinator"]
    kpi = _productivity(callers["company_a"], eng.a)
    base = f"/api/v1/outcomes/engagements/{eng.a}"

    not_a_photo = {**TASK, "before_photo": (BytesIO(b"%PDF-1.4 not a photo"), "b.jpg")}
    refused = mentor.post(f"{base}/tasks", data=not_a_photo)
    assert refused.status_code == 422 and set(refused.get_json()["fields"]) == {"before_photo"}
    assert _rows(web_app, ImprovementTask) == [] and not list(Path(web_app.config["MEDIA_ROOT"]).rglob("*.*"))
    logged = mentor.post(f"{base}/tasks", data={**TASK, "before_photo": (BytesIO(png()), "b.png")})
    assert logged.status_code == 201 and logged.get_json()["before_photo"]["url"].startswith("http")
    task = logged.get_json()["id"]
    close = f"{base}/tasks/{task}/close"
    no_note = mentor.post(close, data={"after_photo": (BytesIO(png()), "a.png")})
    assert no_note.get_json()["fields"] == {"close_note": "조치 내용을 입력하세요."}
    closed = mentor.post(close, data={"close_note": "동선 변경", "after_photo": (BytesIO(png()), "a.png")})
    assert closed.status_code == 200 and closed.get_json()["state"] == "solved"
    again = mentor.post(close, data={"close_note": "다시", "after_photo": (BytesIO(png()), "a.png")})
    assert again.status_code == 409

    early = mentor.post(f"{base}/completion", json={"summary": "요약"})
    assert early.status_code == 409  # every indicator needs its actual first
    actual = mentor.put(f"{base}/kpis/{kpi}/actual", json={"actual": {"units": 1760, "hours": 160}})
    assert actual.status_code == 200 and actual.get_json()["change_pct"] == 46.7
    assert coordinator.post(f"{base}/sign-off").status_code == 409  # not submitted yet
    assert mentor.post(f"{base}/completion", json={"summary": " "}).get_json()["fields"] == {
        "summary": "지원 결과를 간단히 요약해 주세요."
    }
    submitted = mentor.post(f"{base}/completion", json={"summary": "생산성 +46.7%\n불량 감소"})
    assert submitted.status_code == 200 and submitted.get_json()["submitted_at"]
    signed = coordinator.post(f"{base}/sign-off")
    assert signed.status_code == 200 and signed.get_json()["state"] == "completed"
    assert signed.get_json()["tasks_solved"] == 1
    with Session(web_app.extensions["engine"]) as s:
        assert s.get(Engagement, eng.a).state == "completed"
    assert {
        "task_logged",
        "task_solved",
        "kpi_actual",
        "completion_submitted",
        "completion_signed_off",
    } <= set(_actions(web_app))


def test_the_company_answers_its_survey_once(web_app, callers, eng):
    with session_scope(web_app.extensions["engine"]) as s:
        survey = Survey(engagement_id=eng.a, kind="week2", due_on=eng.start, to_address="a@x.kr")
        s.add(survey)
        s.flush()
        survey_id = survey.id
    answer = f"/api/v1/outcomes/engagements/{eng.a}/surveys/{survey_id}/answer"
    assert callers["mentor_a"].post(answer, json={"rating": 5, "working_out": True}).status_code == 403
    assert callers["company_b"].post(answer, json={"rating": 5, "working_out": True}).status_code == 404
    company = callers["company_a"]
    bad = company.post(answer, json={"rating": 7, "working_out": "yes"})
    assert bad.get_json()["fields"] == {"working_out": "예 또는 아니오를 고르세요."}
    bad = company.post(answer, json={"rating": 7, "working_out": False})
    assert bad.get_json()["fields"] == {"rating": "1~5 중에서 고르세요."}
    answered = company.post(answer, json={"rating": 2, "working_out": False, "comment": "소통 부족"})
    assert answered.status_code == 200 and answered.get_json()["flagged"] is True
    assert company.post(answer, json={"rating": 5, "working_out": True}).status_code == 409
    (entry,) = [e for e in _rows(web_app, AuditLog) if e.action == "survey_answered"]
    assert entry.user_id is not None
