"""Surveys: made and mailed exactly once by the scheduler's job, reminded once, answered through a
signed link; a poor week-2 answer flags the engagement."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.support.mail import link
from webapp.core.clock import seoul_today, utcnow
from webapp.core.db import session_scope
from webapp.core.models import OutboxEmail
from webapp.core.notifications import SECRET_MARKER, as_mailed
from webapp.engagements.models import Engagement
from webapp.outcomes.models import Survey
from webapp.outcomes.scheduled import run_surveys
from webapp.outcomes.surveys import send_surveys

BACKENDS = ("sqlite", "postgres")


def _rows(app, model):
    with Session(app.extensions["engine"]) as s:
        return list(s.exec(select(model).order_by(model.id)))


def _link(app, email: OutboxEmail) -> str:
    """The survey link of `email` as it is mailed (the outbox keeps its token apart)."""
    return link(as_mailed(email.body, email), "/outcomes/survey/")


def test_week2_survey_is_made_and_mailed_exactly_once(web_app, eng):
    first = run_surveys(web_app)
    assert first == {"made": 2, "sent": 2, "reminded": 0}  # both engagements are past week 2
    assert run_surveys(web_app) == {"made": 0, "sent": 0, "reminded": 0}
    surveys = _rows(web_app, Survey)
    assert [(s.engagement_id, s.kind) for s in surveys] == [(eng.a, "week2"), (eng.b, "week2")]
    assert surveys[0].due_on == eng.start + timedelta(days=14)
    emails = _rows(web_app, OutboxEmail)
    assert len(emails) == 2 and {e.to_address for e in emails} == {"company_a@x.kr", "company_b@x.kr"}
    assert "설문" in emails[0].subject and "회사A 담당자님" in emails[0].body
    assert all(e.secret and e.secret not in e.body and SECRET_MARKER in e.body for e in emails)
    assert _link(web_app, emails[0]).startswith("/outcomes/survey/")


def test_two_schedulers_at_once_mail_each_survey_once(web_app, eng):
    """Both see the same due surveys; the database lets one make and one send each."""
    engine = web_app.extensions["engine"]
    with web_app.test_request_context(), session_scope(engine) as one, session_scope(engine) as two:
        assert send_surveys(one, seoul_today())["sent"] == 2
        one.commit()
        assert send_surveys(two, seoul_today()) == {"made": 0, "sent": 0, "reminded": 0}
    assert len(_rows(web_app, OutboxEmail)) == 2


def test_reminder_goes_once_a_week_after_sending(web_app, eng):
    run_surveys(web_app)
    engine = web_app.extensions["engine"]
    later = utcnow() + timedelta(days=8)
    with web_app.test_request_context():
        for _ in range(2):
            with session_scope(engine) as s:
                counts = send_surveys(s, seoul_today(), now=later)
        assert counts["reminded"] == 0
    emails = _rows(web_app, OutboxEmail)
    assert len(emails) == 4 and sum("다시 안내" in e.subject for e in emails) == 2


def test_poor_week2_answer_flags_the_engagement_and_is_taken_once(web_app, eng, clients):
    run_surveys(web_app)
    link = _link(web_app, _rows(web_app, OutboxEmail)[0])
    company = web_app.test_client()  # no sign-in: the link is the key
    assert "멘토단" in company.get(link).get_data(as_text=True)
    bad = company.post(link, data={"rating": "9"})
    assert bad.status_code == 400 and "1~5" in bad.get_data(as_text=True)
    assert (
        company.post(link, data={"rating": "2", "working_out": "no", "comment": "소통 부족"}).status_code
        == 200
    )
    assert (
        company.post(link, data={"rating": "5", "working_out": "yes"}).status_code == 200
    )  # shown as answered
    survey = _rows(web_app, Survey)[0]
    assert survey.rating == 2 and survey.working_out is False and survey.flagged
    page = clients["coordinator"].get("/outcomes/province").get_data(as_text=True)
    assert "회사A" in page and "확인 필요" in page


def test_forged_or_unknown_links_are_not_found(web_app, eng):
    run_surveys(web_app)
    link = _link(web_app, _rows(web_app, OutboxEmail)[0])
    client = web_app.test_client()
    assert client.get(link[:-3] + "xyz").status_code == 404
    assert client.get("/outcomes/survey/1").status_code == 404


def test_completion_and_follow_ups_come_after_sign_off(web_app, eng):
    with session_scope(web_app.extensions["engine"]) as s:
        engagement = s.get(Engagement, eng.a)
        engagement.state = "completed"
        engagement.end_date = seoul_today() - timedelta(days=200)
        engagement.start_date = engagement.end_date - timedelta(days=55)
    run_surveys(web_app)
    kinds = {(s.engagement_id, s.kind) for s in _rows(web_app, Survey)}
    assert {(eng.a, "week2"), (eng.a, "completion"), (eng.a, "month6")} <= kinds
    assert (eng.a, "month12") not in kinds


@pytest.mark.parametrize("kind", ["completion", "month6"])
def test_answers_by_kind(web_app, eng, kind):
    with session_scope(web_app.extensions["engine"]) as s:
        s.add(Survey(engagement_id=eng.a, kind=kind, due_on=seoul_today(), to_address="c@x.kr"))
    run_surveys(web_app)
    (email,) = [e for e in _rows(web_app, OutboxEmail) if e.to_address == "c@x.kr"]
    client = web_app.test_client()
    data = {"rating": "5"} if kind == "completion" else {"gains_kept": "partly"}
    assert client.post(_link(web_app, email), data=data).status_code == 200
    (survey,) = [s for s in _rows(web_app, Survey) if s.kind == kind]
    assert survey.answered_at and not survey.flagged


def test_the_scheduler_command_runs_the_survey_job(web_app, eng):
    runner = web_app.test_cli_runner()
    assert "2 made, 2 sent" in runner.invoke(args=["scheduler", "trigger", "surveys"]).output
    assert "0 made, 0 sent" in runner.invoke(args=["scheduler", "trigger", "surveys"]).output
