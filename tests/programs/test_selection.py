"""Eligibility rules and override, the conflict-of-interest rule, scoring, ranking against the
quota, decisions (mailed; a selected application becomes the directory's company) and who sees
what (an evaluator only assigned applications)."""

from __future__ import annotations

from sqlmodel import Session

from tests.programs.conftest import all_of, file_application, get
from tests.support.web import brn
from webapp.core.models import AuditLog, OutboxEmail
from webapp.directory.models import Company
from webapp.programs import evaluation
from webapp.programs.application_models import Application
from webapp.programs.evaluation_models import EvaluationAssignment
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")


def test_rules_record_every_reason_and_an_override_is_audited(web_app, program):
    ok = file_application(web_app, program.cohort, 1)
    big = file_application(web_app, program.cohort, 2, revenue="6000", employees="25", previous_support="yes")
    arrears = file_application(
        web_app, program.cohort, 3, track="JS2", tax_arrears="yes", other_project="yes"
    )
    assert get(web_app, Application, ok).eligibility == "eligible"
    codes = {r["code"] for r in get(web_app, Application, big).eligibility_reasons}
    assert codes == {"revenue_over_limit", "staff_over_limit", "not_first_time"}
    codes = {r["code"] for r in get(web_app, Application, arrears).eligibility_reasons}
    assert codes == {"tax_arrears", "other_project"}
    client = program.clients["coordinator"]
    url = f"/coordinator/programs/{program.cohort}/applications/{big}/eligibility"
    client.post(url, data={"eligible": "1", "note": ""})
    assert get(web_app, Application, big).eligibility == "ineligible"  # a note is required
    client.post(url, data={"eligible": "1", "note": "매출 감소 증빙 확인"})
    application = get(web_app, Application, big)
    assert application.eligibility == "eligible" and application.eligibility_overridden
    assert [
        a.details["note"] for a in all_of(web_app, AuditLog, AuditLog.action == "eligibility_overridden")
    ] == ["매출 감소 증빙 확인"]
    page = client.get(f"/coordinator/programs/{program.cohort}/applications?eligibility=ineligible")
    html = page.get_data(as_text=True)
    assert "신청기업3" in html and "체납" in html and "신청기업2" not in html


def _score(web_app, assignment_id, user_id, value):
    with Session(web_app.extensions["engine"], expire_on_commit=False) as s:
        assignment = s.get(EvaluationAssignment, assignment_id)
        evaluation.submit_scores(
            s, assignment, {k: str(value) for k in ("need", "plan", "capacity", "impact")}, user_id
        )


def test_conflicts_assignment_scores_ranking_and_decisions(web_app, program):
    ids = [file_application(web_app, program.cohort, n) for n in (1, 2, 3)]
    ev = program.evaluators
    coordinator = program.clients["coordinator"]
    coordinator.post(
        f"/coordinator/programs/{program.cohort}/evaluation/conflicts",
        data={"evaluator": ev["ev_a"], "business_reg_no": brn(101), "reason": "친척"},
    )
    coordinator.post(f"/coordinator/programs/{program.cohort}/evaluation/assign", data={"panel": "2"})
    assignments = all_of(web_app, EvaluationAssignment)
    assert len(assignments) == 6
    assert not any(a.evaluator_id == ev["ev_a"] and a.application_id == ids[0] for a in assignments)
    # assigning by hand is refused too
    with Session(web_app.extensions["engine"]) as s:
        try:
            evaluation.assign(s, s.get(Application, ids[0]), ev["ev_a"], 1)
        except evaluation.EvaluationError as exc:
            assert "conflict" in str(exc)
        else:
            raise AssertionError("a conflicted evaluator was assigned")
    # an evaluator sees only their own assignments
    theirs = {a.id for a in assignments if a.evaluator_id == ev["ev_b"]}
    other = next(a for a in assignments if a.evaluator_id != ev["ev_b"])
    client_b = program.clients["ev_b"]
    assert client_b.get(f"/evaluator/assignments/{other.id}").status_code == 404
    assert client_b.get(f"/evaluator/assignments/{next(iter(theirs))}").status_code == 200
    assert client_b.get(f"/coordinator/programs/{program.cohort}/ranking").status_code == 403
    bad = client_b.post(f"/evaluator/assignments/{next(iter(theirs))}", data={"need": "101", "plan": "x"})
    assert bad.status_code == 400
    # scores: application 3 best, then 1, then 2
    values = {ids[0]: 80, ids[1]: 60, ids[2]: 90}
    for a in assignments:
        _score(web_app, a.id, a.evaluator_id, values[a.application_id])
    assert get(web_app, Application, ids[2]).score == 90
    with Session(web_app.extensions["engine"]) as s:
        [js1, *_] = evaluation.ranking(s, s.get(Cohort, program.cohort))
    assert [r.application.id for r in js1.rows] == [ids[2], ids[0], ids[1]]
    assert [r.inside_quota for r in js1.rows] == [True, True, False]  # JS1 quota 2
    page = coordinator.get(f"/coordinator/programs/{program.cohort}/ranking").get_data(as_text=True)
    assert "선정 기준선" in page
    url = f"/coordinator/programs/{program.cohort}/applications/{ids[2]}/decision"
    coordinator.post(url, data={"decision": "selected", "reason": "", "expected": "pending"})
    assert get(web_app, Application, ids[2]).decision == "pending"  # a reason is required
    coordinator.post(url, data={"decision": "selected", "reason": "평가 1위", "expected": "pending"})
    application = get(web_app, Application, ids[2])
    assert application.decision == "selected"
    company = get(web_app, Company, application.company_id)
    assert (company.cohort_id, company.track, company.score) == (program.cohort, "JS1", 90)
    # a second coordinator deciding on what they saw as pending is refused, nothing changes
    coordinator.post(url, data={"decision": "rejected", "reason": "다른 판단", "expected": "pending"})
    assert get(web_app, Application, ids[2]).decision == "selected"
    mails = [m for m in all_of(web_app, OutboxEmail) if m.to_address == "c3@firm.kr"]
    assert any("선정" in m.subject and "평가 1위" in m.body for m in mails)
    # scores close once decided
    mine = next(a for a in assignments if a.application_id == ids[2])
    try:
        _score(web_app, mine.id, mine.evaluator_id, 10)
    except evaluation.EvaluationError:
        pass
    else:
        raise AssertionError("scores changed after the decision")


def test_a_conflict_declared_later_withdraws_the_assignment_and_its_score(web_app, program):
    application_id = file_application(web_app, program.cohort, 1)
    client = program.clients["ev_a"]
    with Session(web_app.extensions["engine"], expire_on_commit=False) as s:
        assignment = evaluation.assign(s, s.get(Application, application_id), program.evaluators["ev_a"], 1)
        s.commit()
    _score(web_app, assignment.id, program.evaluators["ev_a"], 70)
    assert get(web_app, Application, application_id).score == 70
    client.post("/evaluator/conflicts", data={"business_reg_no": brn(101), "reason": "전 직장"})
    assert all_of(web_app, EvaluationAssignment) == []
    assert get(web_app, Application, application_id).score is None
