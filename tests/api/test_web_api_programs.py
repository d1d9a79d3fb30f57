"""The program year through the JSON API: who sees which application, inspection and score (an
evaluator only assigned applications, a company only its own), the checklist and rubric, the
company's answer, the mentors' checklist, scores, conflicts, eligibility, ranking, decisions and
the funnel, with the pages' rules and refusals in English."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import schemathesis
from sqlmodel import Session, select

from tests.programs.conftest import file_application, get, offer_inspection, program  # noqa: F401  (the fixture)
from tests.support.web import api, brn
from webapp.accounts.models import User
from webapp.accounts.security import hash_token
from webapp.api.openapi import document
from webapp.core.models import AuditLog
from webapp.directory.models import Company
from webapp.programs import evaluation
from webapp.programs.application_models import Application
from webapp.programs.evaluation_models import EvaluationAssignment
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")
RUBRIC = ("need", "plan", "capacity", "impact")


DOCUMENT = schemathesis.openapi.from_dict(document())


class Checked:
    """An API client whose every answer must be what the OpenAPI document says (status and body)."""

    def __init__(self, client):
        self.client = client

    def _call(self, method: str, url: str, **kwargs):
        response = getattr(self.client, method)(url, **kwargs)
        template = re.sub(r"/\d+(?=/|$)", "/{id}", urlsplit(url).path.removeprefix("/api/v1"))
        DOCUMENT[template][method.upper()].validate_response(response)
        return response

    def get(self, url: str, **kwargs):
        return self._call("get", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self._call("post", url, **kwargs)

    def put(self, url: str, **kwargs):
        return self._call("put", url, **kwargs)


@pytest.fixture
def clients(web_app, program, tokens):  # noqa: F811
    """API clients by user key, the evaluators' too, checked against the document."""
    keys = dict(tokens)
    with Session(web_app.extensions["engine"]) as s:
        for key, user_id in program.evaluators.items():
            user = s.get(User, user_id)
            user.api_token_hash = hash_token(f"token-of-{key}")
            s.add(user)
            keys[key] = f"token-of-{key}"
        s.commit()
    return {key: Checked(api(web_app, token)) for key, token in keys.items()}


def _company_number(web_app, company_id: int) -> str:
    return get(web_app, Company, company_id).business_reg_no


def _assign(web_app, application_id: int, evaluator_id: int) -> int:
    with Session(web_app.extensions["engine"], expire_on_commit=False) as s:
        assignment = evaluation.assign(s, s.get(Application, application_id), evaluator_id, 1)
        s.commit()
        return assignment.id


def test_each_role_sees_only_its_applications(web_app, program, clients):  # noqa: F811
    own = file_application(
        web_app, program.cohort, 1, business_reg_no=_company_number(web_app, program.world.companies[0])
    )
    other = file_application(web_app, program.cohort, 2)
    _assign(web_app, other, program.evaluators["ev_a"])
    listed = clients["coordinator"].get(f"/api/v1/programs/applications?cohort={program.cohort}").get_json()
    assert [a["id"] for a in listed["items"]] == [own, other] and listed["items"][0]["contact"]["name"]
    # an evaluator: only what is assigned, without contact details or the committee's score
    mine = clients["ev_a"].get("/api/v1/programs/applications").get_json()["items"]
    assert [a["id"] for a in mine] == [other] and mine[0]["contact"] is None and mine[0]["score"] is None
    assert clients["ev_a"].get(f"/api/v1/programs/applications/{own}").status_code == 404
    assert clients["ev_b"].get("/api/v1/programs/applications").get_json()["total"] == 0
    # a company: only its own business number's
    assert [
        a["id"] for a in clients["company_a"].get("/api/v1/programs/applications").get_json()["items"]
    ] == [own]
    assert clients["company_a"].get(f"/api/v1/programs/applications/{other}").status_code == 404
    assert clients["company_b"].get(f"/api/v1/programs/applications/{own}").status_code == 404
    # a mentor: the applications their pair inspects
    assert clients["mentor_a"].get("/api/v1/programs/applications").get_json()["total"] == 0
    offer_inspection(web_app, program, other)
    assert [
        a["id"] for a in clients["mentor_a"].get("/api/v1/programs/applications").get_json()["items"]
    ] == [other]
    # filters
    assert clients["coordinator"].get("/api/v1/programs/applications?eligibility=nope").status_code == 400
    assert clients["coordinator"].get("/api/v1/programs/applications?track=js1").get_json()["total"] == 2
    assert (
        clients["coordinator"].get("/api/v1/programs/applications?decision=selected").get_json()["total"] == 0
    )


def test_checklist_and_rubric_are_edited_until_a_sheet_uses_them(web_app, program, clients):  # noqa: F811
    cohort = clients["company_a"].get(f"/api/v1/programs/cohorts/{program.cohort}").get_json()
    assert [c["key"] for c in cohort["rubric"]["items"]] == list(RUBRIC) and cohort["rubric"]["scored"] == 0
    assert [t["code"] for t in cohort["tracks"]] == ["JS1", "JS2", "JS3"] and cohort["applications_open"]
    url = f"/api/v1/programs/cohorts/{program.cohort}/rubric"
    items = [{"key": "need", "ko": "도입 필요성", "weight": 60}, {"ko": "안전", "en": "Safety", "weight": 40}]
    assert (
        clients["company_a"].put(url, json={"items": items, "basis": cohort["rubric"]["basis"]}).status_code
        == 403
    )
    bad = clients["coordinator"].put(
        url, json={"items": [{"ko": "", "weight": 0}], "basis": cohort["rubric"]["basis"]}
    )
    assert bad.status_code == 422
    assert bad.get_json()["fields"] == {
        "item0_ko": "Required.",
        "item0_weight": "0 is not between 1 and 100.",
    }
    saved = clients["coordinator"].put(url, json={"items": items, "basis": cohort["rubric"]["basis"]})
    assert saved.status_code == 200, saved.get_json()
    assert [(c["key"], c["weight"]) for c in saved.get_json()["items"]] == [("need", 60), ("k1", 40)]
    stale = clients["coordinator"].put(url, json={"items": items, "basis": cohort["rubric"]["basis"]})
    assert stale.status_code == 409 and "changed these items" in stale.get_json()["message"]
    # scores on it freeze it
    application_id = file_application(web_app, program.cohort, 1)
    assignment = _assign(web_app, application_id, program.evaluators["ev_a"])
    scored = clients["ev_a"].put(
        f"/api/v1/programs/evaluations/{assignment}", json={"scores": {"need": 80, "k1": 50}}
    )
    assert scored.status_code == 200 and scored.get_json()["total"] == 68.0
    basis = saved.get_json()["basis"]
    frozen = clients["coordinator"].put(url, json={"items": items[:1], "basis": basis})
    assert frozen.status_code == 409 and "can no longer change" in frozen.get_json()["message"]
    assert len(get(web_app, Cohort, program.cohort).rubric) == 2


def test_scores_are_the_evaluators_own_and_refusals_name_the_field(web_app, program, clients):  # noqa: F811
    application_id = file_application(web_app, program.cohort, 1)
    mine = _assign(web_app, application_id, program.evaluators["ev_a"])
    theirs = _assign(web_app, application_id, program.evaluators["ev_b"])
    listed = clients["ev_a"].get("/api/v1/programs/evaluations").get_json()
    assert [e["id"] for e in listed["items"]] == [mine]
    assert clients["ev_a"].get(f"/api/v1/programs/evaluations/{theirs}").status_code == 404
    assert (
        clients["ev_a"].put(f"/api/v1/programs/evaluations/{theirs}", json={"scores": {}}).status_code == 404
    )
    assert (
        clients["coordinator"].put(f"/api/v1/programs/evaluations/{mine}", json={"scores": {}}).status_code
        == 403
    )
    assert clients["company_a"].get("/api/v1/programs/evaluations").status_code == 403
    bad = clients["ev_a"].put(
        f"/api/v1/programs/evaluations/{mine}", json={"scores": {"need": "lots", "plan": 101}}
    )
    assert bad.status_code == 422
    assert bad.get_json()["fields"] == {
        "need": "Enter a whole number.",
        "plan": "101 is not between 0 and 100.",
        "capacity": "Required.",
        "impact": "Required.",
    }
    assert clients["ev_a"].put(f"/api/v1/programs/evaluations/{mine}", json={"scores": []}).status_code == 422
    ok = clients["ev_a"].put(
        f"/api/v1/programs/evaluations/{mine}",
        json={"scores": dict.fromkeys(RUBRIC, 70), "comment": "준비됨"},
    )
    assert ok.status_code == 200 and ok.get_json()["total"] == 70
    assert (
        clients["coordinator"]
        .get(f"/api/v1/programs/evaluations?cohort={program.cohort}")
        .get_json()["total"]
        == 2
    )
    # a conflict declared by the evaluator withdraws the assignment and its score
    declared = clients["ev_a"].post(
        "/api/v1/programs/conflicts", json={"business_reg_no": brn(101), "reason": "친척"}
    )
    assert declared.status_code == 201 and declared.get_json() == {
        "evaluator_id": program.evaluators["ev_a"],
        "withdrawn": 1,
    }
    assert get(web_app, EvaluationAssignment, mine) is None
    assert get(web_app, Application, application_id).score is None
    refused = clients["coordinator"].post(
        "/api/v1/programs/conflicts", json={"business_reg_no": brn(101), "evaluator_id": 999}
    )
    assert refused.status_code == 422 and refused.get_json()["fields"] == {"evaluator": "No such evaluator."}


def test_the_company_answers_its_inspection_and_the_pair_fills_the_checklist(web_app, program, clients):  # noqa: F811
    own = file_application(
        web_app, program.cohort, 1, business_reg_no=_company_number(web_app, program.world.companies[0])
    )
    other = file_application(web_app, program.cohort, 2)
    first, second = offer_inspection(web_app, program, own), offer_inspection(web_app, program, other)
    mine = clients["company_a"].get("/api/v1/programs/inspections").get_json()["items"]
    assert [i["id"] for i in mine] == [first] and mine[0]["findings"] is None
    assert clients["company_a"].post(f"/api/v1/programs/inspections/{second}/confirm").status_code == 404
    assert clients["coordinator"].post(f"/api/v1/programs/inspections/{first}/confirm").status_code == 403
    confirmed = clients["company_a"].post(f"/api/v1/programs/inspections/{first}/confirm")
    assert confirmed.status_code == 200 and confirmed.get_json()["state"] == "confirmed"
    again = clients["company_a"].post(
        f"/api/v1/programs/inspections/{first}/decline", json={"note": "다른 날"}
    )
    assert again.status_code == 409 and "no longer offered" in again.get_json()["message"]
    # the pair's mentors see both and fill the checklist; others do not
    assert clients["mentor_b"].get("/api/v1/programs/inspections").get_json()["total"] == 2
    assert clients["ev_a"].get(f"/api/v1/programs/inspections/{first}").status_code == 404
    url = f"/api/v1/programs/inspections/{first}/checklist"
    unfinished = clients["mentor_a"].put(url, json={"items": {"process": {"score": 9}}, "finish": True})
    assert unfinished.status_code == 422
    assert unfinished.get_json()["fields"]["score_process"] == "Choose a score from 1 to 5."
    assert unfinished.get_json()["fields"]["recommendation"] == "Choose a recommendation."
    full = {key: {"score": 4, "note": "양호"} for key in ("process", "equipment", "data", "management")}
    done = clients["mentor_a"].put(url, json={"items": full, "recommendation": "recommend", "finish": True})
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["state"] == "done" and body["findings"]["checklist"]["data"] == {"score": 4, "note": "양호"}
    assert clients["company_a"].put(url, json={}).status_code == 403
    # the evaluator given the application sees the findings
    _assign(web_app, own, program.evaluators["ev_c"])
    seen = clients["ev_c"].get(f"/api/v1/programs/inspections/{first}").get_json()
    assert seen["findings"]["recommendation"] == "recommend"


def test_eligibility_ranking_decision_and_funnel(web_app, program, clients):  # noqa: F811
    ids = [file_application(web_app, program.cohort, n) for n in (1, 2)]
    big = file_application(web_app, program.cohort, 3, revenue="6000")
    coordinator = clients["coordinator"]
    application = coordinator.get(f"/api/v1/programs/applications/{big}").get_json()
    assert application["eligibility"] == "ineligible"
    assert application["eligibility_reasons"] == [
        {"code": "revenue_over_limit", "text": "Revenue is above the track's limit of KRW 5,000 million."}
    ]
    url = f"/api/v1/programs/applications/{big}/eligibility"
    assert coordinator.post(url, json={"eligible": True}).get_json()["fields"] == {"note": "Required."}
    overridden = coordinator.post(url, json={"eligible": True, "note": "매출 감소 증빙"})
    assert overridden.status_code == 200 and overridden.get_json()["eligibility"] == "eligible"
    with Session(web_app.extensions["engine"]) as s:
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == "eligibility_overridden")).all()
        assert entry.details["note"] == "매출 감소 증빙" and entry.entity_id == str(big)
    assert coordinator.post(url, json={"eligible": None}).get_json()["eligibility"] == "ineligible"
    assigned = coordinator.post(f"/api/v1/programs/cohorts/{program.cohort}/assign", json={"panel": 1})
    assert assigned.status_code == 200 and assigned.get_json() == {"added": 2, "panel": 1}
    assert (
        coordinator.post(f"/api/v1/programs/cohorts/{program.cohort}/assign", json={"panel": 9}).status_code
        == 422
    )
    for row in coordinator.get("/api/v1/programs/evaluations").get_json()["items"]:
        evaluator = next(k for k, v in program.evaluators.items() if v == row["evaluator_id"])
        value = 90 if row["application_id"] == ids[1] else 60
        clients[evaluator].put(
            f"/api/v1/programs/evaluations/{row['id']}", json={"scores": dict.fromkeys(RUBRIC, value)}
        )
    ranking = coordinator.get(f"/api/v1/programs/cohorts/{program.cohort}/ranking").get_json()
    js1 = ranking["tracks"][0]
    assert [r["application_id"] for r in js1["rows"]] == [ids[1], ids[0]] and js1["cut_after"] == 2
    assert clients["ev_a"].get(f"/api/v1/programs/cohorts/{program.cohort}/ranking").status_code == 403
    url = f"/api/v1/programs/applications/{ids[1]}/decision"
    assert coordinator.post(url, json={"decision": "selected", "expected": "pending"}).status_code == 422
    decided = coordinator.post(url, json={"decision": "selected", "reason": "1위", "expected": "pending"})
    assert decided.status_code == 200 and decided.get_json()["decision"] == "selected"
    assert decided.get_json()["company_id"] is not None
    late = coordinator.post(url, json={"decision": "rejected", "reason": "다른 판단", "expected": "pending"})
    assert late.status_code == 409 and "decided on this application" in late.get_json()["message"]
    funnel = coordinator.get(f"/api/v1/programs/cohorts/{program.cohort}/funnel").get_json()
    assert funnel["totals"] == {"applied": 3, "eligible": 2, "inspected": 0, "scored": 2, "selected": 1}
    assert funnel["by_track"]["JS1"]["selected"] == 1 and funnel["quota"]["JS1"] == 2
    assert clients["company_a"].get(f"/api/v1/programs/cohorts/{program.cohort}/funnel").status_code == 403
