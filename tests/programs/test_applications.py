"""The public application form: valid, invalid, duplicate, consent missing, the signed link,
corrections until the period closes, the rate limit, and the spreadsheet import."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from tests.programs.conftest import all_of, correct_through_link, file_application, form_data, get
from tests.support.mail import link, stored_text
from tests.support.web import brn
from webapp.core.models import OutboxEmail
from webapp.core.notifications import SECRET_MARKER, send_pending
from webapp.programs.application_models import Application
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")


def test_valid_application_is_stored_mailed_and_opens_by_its_link(web_app, program, smtp_server):
    client = web_app.test_client()
    page = client.get(f"/apply/{program.cohort}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "개인정보 수집" in html and "보유" in html  # the consent notice, in Korean by default
    response = client.post(f"/apply/{program.cohort}", data=form_data(1))
    assert response.status_code == 302, response.get_data(as_text=True)
    [application] = all_of(web_app, Application)
    assert application.business_reg_no == brn(101)
    assert application.revenue_krw == 3_200_000_000
    assert application.eligibility == "eligible"
    assert application.consent_at is not None and application.consent_version
    [mail] = all_of(web_app, OutboxEmail)
    assert mail.to_address == "c1@firm.kr"
    token = mail.secret  # the link opens the application by itself: kept apart until sent
    assert token and token not in mail.body and f"/apply/mine/{SECRET_MARKER}" in mail.body
    inbox, config = smtp_server
    assert send_pending(web_app.extensions["engine"], config) == (1, 0)
    mine_link = link(inbox.received("c1@firm.kr")[0], "/apply/mine/")
    assert mine_link == f"/apply/mine/{token}"
    assert token not in stored_text(web_app.extensions["engine"])
    mine = client.get(mine_link)
    assert mine.status_code == 200
    assert "신청기업1" in mine.get_data(as_text=True)
    assert client.get("/apply/mine/forged-token").status_code == 404


def test_bad_fields_get_messages_naming_them_and_nothing_is_stored(web_app, program):
    client = web_app.test_client()
    bad = form_data(
        2,
        business_reg_no="123-45-67890",
        contact_email="nope",
        contact_phone="12",
        revenue="lots",
        track="JS9",
    )
    response = client.post(f"/apply/{program.cohort}", data=bad)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field in ("business_reg_no", "contact_email", "contact_phone", "revenue", "track"):
        assert f'id="{field}-error"' in html, field
    assert "check digit" not in html and "is required" not in html  # in Korean
    assert all_of(web_app, Application) == []


def test_consent_missing_refuses_the_application(web_app, program):
    data = form_data(3)
    del data["consent"]
    response = web_app.test_client().post(f"/apply/{program.cohort}", data=data)
    assert response.status_code == 400
    assert 'id="consent-error"' in response.get_data(as_text=True)
    assert all_of(web_app, Application) == []


def test_same_number_twice_in_a_cohort_is_a_duplicate(web_app, program):
    client = web_app.test_client()
    assert client.post(f"/apply/{program.cohort}", data=form_data(4)).status_code == 302
    again = client.post(f"/apply/{program.cohort}", data=form_data(4, company_name="다른이름"))
    assert again.status_code == 400
    assert 'id="business_reg_no-error"' in again.get_data(as_text=True)
    assert len(all_of(web_app, Application)) == 1


def test_closed_period_takes_no_application_and_no_correction(web_app, program):
    client = web_app.test_client()
    assert client.post(f"/apply/{program.cohort}", data=form_data(5)).status_code == 302
    [application] = all_of(web_app, Application)
    with web_app.test_request_context():
        from webapp.programs.applications import link_token

        token = link_token(application)
    ok = correct_through_link(client, token, {**form_data(5), "company_name": "고친이름"})
    assert ok.status_code == 302
    assert get(web_app, Application, application.id).company_name == "고친이름"
    with Session(web_app.extensions["engine"]) as s:
        cohort = s.get(Cohort, program.cohort)
        cohort.applications_close_at = datetime.now(UTC) - timedelta(minutes=1)
        s.add(cohort)
        s.commit()
    assert client.post(f"/apply/{program.cohort}", data=form_data(6)).status_code == 409
    late = correct_through_link(client, token, {**form_data(5), "company_name": "늦은수정"})
    assert late.status_code == 409
    assert get(web_app, Application, application.id).company_name == "고친이름"


def test_a_bot_is_stopped_by_the_rate_limit(web_app, program):
    web_app.config["RATELIMIT_ENABLED"] = True
    from webapp.ui.hardening import limiter

    limiter.init_app(web_app)
    client = web_app.test_client()
    codes = [client.post(f"/apply/{program.cohort}", data=form_data(10 + i)).status_code for i in range(8)]
    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
    assert len(all_of(web_app, Application)) == 5


def test_import_checks_the_whole_file_then_adds_every_row(web_app, program):
    client = program.clients["coordinator"]
    header = "사업자등록번호,회사명,대표자,업종,시군,주소,매출액,종업원수,지원이력,유형,담당자,연락처,이메일,동의\n"  # noqa: E501
    good = f"{brn(201)},가공1,대표,C25,군산시,군산 1,1200,8,아니오,JS1,담당,063-111-2222,a@b.kr,예\n"
    bad = f"{brn(202)},가공2,대표,C25,군산시,군산 2,1200,8,아니오,JS1,담당,063-111-2222,a@b.kr,아니오\n"
    rejected = client.post(
        f"/coordinator/programs/{program.cohort}/applications/import",
        data={"file": (io.BytesIO((header + good + bad).encode()), "apps.csv")},
    )
    assert rejected.status_code == 400
    assert all_of(web_app, Application) == []
    accepted = client.post(
        f"/coordinator/programs/{program.cohort}/applications/import",
        data={"file": (io.BytesIO((header + good).encode()), "apps.csv")},
    )
    assert accepted.status_code == 302
    [application] = all_of(web_app, Application)
    assert application.source == "import" and application.eligibility == "eligible"
    file_application(web_app, program.cohort, 7)
    assert len(all_of(web_app, Application)) == 2


def test_two_submissions_of_one_number_racing_leave_one_application(web_app, program, monkeypatch):
    """The check before the insert can miss a submission a moment earlier; the database's unique
    (cohort, number) refuses the second, which gets the duplicate message."""
    from webapp.programs import applications

    monkeypatch.setattr(applications, "_check_references", _references_without_duplicates(applications))
    client = web_app.test_client()
    assert client.post(f"/apply/{program.cohort}", data=form_data(8)).status_code == 302
    second = client.post(f"/apply/{program.cohort}", data=form_data(8, company_name="동시제출"))
    assert second.status_code == 400
    assert 'id="business_reg_no-error"' in second.get_data(as_text=True)
    assert [a.company_name for a in all_of(web_app, Application)] == ["신청기업8"]


def _references_without_duplicates(applications):
    real = applications._check_references

    def check(session, cohort, rows, updating=None, reimport=False):
        return real(session, cohort, rows, updating=rows[0][1] and object())  # skips the duplicate scan

    return check


def test_importing_a_file_again_updates_what_it_imported(web_app, program):
    """As the directory's import: a file accepted once is accepted again and updates its rows;
    an application from the form (the applicant's own) or one decided is never overwritten."""
    from webapp.programs import evaluation

    client = program.clients["coordinator"]
    url = f"/coordinator/programs/{program.cohort}/applications/import"
    header = "사업자등록번호,회사명,대표자,업종,시군,주소,매출액,종업원수,지원이력,유형,담당자,연락처,이메일,동의\n"  # noqa: E501

    def row(n: int, staff: int = 8) -> str:
        cells = (brn(200 + n), f"가공{n}", "대표", "C25", "군산시", f"군산 {n}", "1200", str(staff), "아니오")
        return ",".join((*cells, "JS1", "담당", "063-111-2222", f"a{n}@b.kr", "예")) + "\n"

    def upload(text: str):
        return client.post(url, data={"file": (io.BytesIO(text.encode()), "apps.csv")}, follow_redirects=True)

    first = upload(header + row(1) + row(2))
    assert "2건 추가, 0건 수정" in first.get_data(as_text=True)
    again = upload(header + row(1, staff=25) + row(2) + row(3))
    assert again.status_code == 200 and "1건 추가, 2건 수정" in again.get_data(as_text=True)
    applications = {a.business_reg_no: a for a in all_of(web_app, Application)}
    assert len(applications) == 3
    changed = applications[brn(201)]
    assert changed.employees == 25 and changed.eligibility == "ineligible"  # re-assessed: JS1 staff limit
    # the applicant's own application is not the file's to change
    file_application(web_app, program.cohort, 4, business_reg_no=brn(204))
    refused = upload(header + row(4))
    assert refused.status_code == 400
    assert "신청서 양식으로 신청했습니다" in refused.get_data(as_text=True)
    # nor is a decided one
    with Session(web_app.extensions["engine"]) as s:
        evaluation.decide(
            s, s.get(Application, applications[brn(202)].id), "rejected", "평가 미달", "pending", 1
        )
    refused = upload(header + row(2))
    assert refused.status_code == 400 and "이미 결정되어" in refused.get_data(as_text=True)
    assert get(web_app, Application, applications[brn(202)].id).decision == "rejected"


def test_a_form_application_racing_an_import_of_its_number_is_refused_by_the_database(
    web_app, program, monkeypatch
):
    """The check before the insert saw no application of the number; the form's arrives before
    the import's insert, and the database's unique (cohort, number) refuses the import."""
    from webapp.programs import applications

    real = applications._declared

    def declared_while_the_form_is_sent(values):
        monkeypatch.setattr(applications, "_declared", real)  # once: the form's own submit uses the real one
        file_application(web_app, program.cohort, 5, business_reg_no=brn(205))
        return real(values)

    monkeypatch.setattr(applications, "_declared", declared_while_the_form_is_sent)
    header = "사업자등록번호,회사명,대표자,업종,시군,주소,매출액,종업원수,지원이력,유형,담당자,연락처,이메일,동의\n"  # noqa: E501
    body = header + f"{brn(205)},가공,대표,C25,군산시,군산,1200,8,아니오,JS1,담당,063-111-2222,a@b.kr,예\n"
    response = program.clients["coordinator"].post(
        f"/coordinator/programs/{program.cohort}/applications/import",
        data={"file": (io.BytesIO(body.encode()), "apps.csv")},
    )
    assert response.status_code == 400
    assert (
        "2행, 사업자등록번호: "
        + f"{brn(205)[:3]}-{brn(205)[3:5]}-{brn(205)[5:]}은(는) 이미 이번 사업에 신청했습니다."
        in (response.get_data(as_text=True))
    )
    [application] = all_of(web_app, Application)
    assert application.source == "form" and application.company_name == "신청기업5"
