"""The coordinator corrects an application's contact (by the form's own column rules, never over
an edit made meanwhile) and mails the applicant a fresh link to the stored contact email."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.programs.conftest import all_of, correct_through_link, file_application, form_data, get
from tests.support.mail import link, stored_text
from tests.support.web import PASSWORD
from webapp import create_app
from webapp.accounts.models import User
from webapp.core.models import AuditLog, OutboxEmail
from webapp.core.notifications import send_pending
from webapp.programs.application_models import Application

CONTACT = ("contact_name", "contact_phone", "contact_email")
STORED = {"contact_name": "김담당", "contact_phone": "063-123-4567", "contact_email": "c1@firm.kr"}


def _page(program, application_id: int) -> str:
    return f"/coordinator/programs/{program.cohort}/applications/{application_id}"


def _shown(html: str) -> dict[str, str]:
    """The contact the page's card is based on (its hidden fields)."""
    return {name: re.search(rf'name="shown_{name}" value="([^"]*)"', html)[1] for name in CONTACT}


def _prefixed(shown: dict[str, str]) -> dict[str, str]:
    return {f"shown_{name}": value for name, value in shown.items()}


def _contact(app, application_id: int) -> dict[str, str]:
    application = get(app, Application, application_id)
    return {name: getattr(application, name) for name in CONTACT}


def _audits(app, action: str) -> list[AuditLog]:
    return all_of(app, AuditLog, AuditLog.action == action)


def _coordinator_id(app) -> int:
    with Session(app.extensions["engine"]) as s:
        return s.exec(select(User).where(User.email == "coord@x.kr")).one().id


def test_the_coordinator_corrects_the_contact_and_it_is_audited(web_app, program):
    application_id = file_application(web_app, program.cohort, 1)
    client = program.clients["coordinator"]
    page = client.get(_page(program, application_id)).get_data(as_text=True)
    assert "담당자 연락처" in page and "신청서 링크 보내기" in page
    assert "온라인 신청서, 개인정보 동의서" in page and "(form," not in page  # how it came, in words
    assert _shown(page) == STORED

    typed = {"contact_name": "이새담당", "contact_phone": "010-9876-5432", "contact_email": " New@Firm.KR "}
    saved = client.post(f"{_page(program, application_id)}/contact", data={**typed, **_prefixed(STORED)})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{application_id}#contact")
    after = {"contact_name": "이새담당", "contact_phone": "010-9876-5432", "contact_email": "new@firm.kr"}
    assert _contact(web_app, application_id) == after
    shown = client.get(_page(program, application_id)).get_data(as_text=True)
    assert "담당자 연락처를 저장했습니다." in shown and _shown(shown) == after

    [entry] = _audits(web_app, "application_contact_corrected")
    assert entry.user_id == _coordinator_id(web_app) and entry.entity_id == str(application_id)
    assert entry.details["changed"] == {name: [STORED[name], after[name]] for name in CONTACT}


@pytest.mark.parametrize(
    ("typed", "messages"),
    [
        ({"contact_email": "c1 at firm"}, ["이메일: ", "올바른 이메일 주소가 아닙니다"]),
        ({"contact_phone": "12345"}, ["전화번호: ", "전화번호가 아닙니다"]),
        ({"contact_name": " "}, ["담당자: 필수 항목입니다."]),
        ({"contact_email": "a" * 250 + "@b.kr"}, ["이메일: 254자 이내로 입력하세요."]),
    ],
)
def test_a_bad_field_is_refused_naming_it_in_korean_and_nothing_changes(web_app, program, typed, messages):
    application_id = file_application(web_app, program.cohort, 1)
    client = program.clients["coordinator"]
    # the other fields changed validly: none of it is saved either
    data = {"contact_name": "이새담당", "contact_phone": "010-9876-5432", "contact_email": "new@firm.kr"}
    refused = client.post(
        f"{_page(program, application_id)}/contact", data={**data, **typed, **_prefixed(STORED)}
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    [field] = typed
    assert f'id="{field}-error"' in html and 'aria-invalid="true"' in html
    for message in messages:
        assert message in html
    assert "Required" not in html and "not an email" not in html and "not a phone" not in html
    assert _shown(html) == STORED  # the form stays based on what the page showed
    assert _contact(web_app, application_id) == STORED
    assert _audits(web_app, "application_contact_corrected") == []


def test_a_stale_form_is_refused_with_409_and_keeps_the_other_edit(web_app, program):
    application_id = file_application(web_app, program.cohort, 1)
    first, second = program.clients["coordinator"], web_app.test_client()
    second.post("/login", data={"email": "coord@x.kr", "password": PASSWORD})
    path = _page(program, application_id)
    shown_first = _shown(first.get(path).get_data(as_text=True))
    shown_second = _shown(second.get(path).get_data(as_text=True))

    other = {**STORED, "contact_email": "other@firm.kr"}
    assert first.post(f"{path}/contact", data={**other, **_prefixed(shown_first)}).status_code == 302
    mine = {**STORED, "contact_name": "박담당"}
    stale = second.post(f"{path}/contact", data={**mine, **_prefixed(shown_second)})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "방금 다른 사람이 담당자 연락처를 바꿨습니다" in html
    assert _contact(web_app, application_id) == other  # the other edit kept, nothing of mine
    assert len(_audits(web_app, "application_contact_corrected")) == 1
    # the page now shows the contact as it is, keeping what was typed; saving again is deliberate
    assert _shown(html) == other and 'value="박담당"' in html
    again = second.post(f"{path}/contact", data={**mine, **_prefixed(_shown(html))})
    assert again.status_code == 302 and _contact(web_app, application_id) == mine


def test_the_applicants_stale_correction_does_not_undo_the_coordinators(web_app, program):
    """The applicant opened its page, the office then corrected the contact: the applicant's save
    of the page it had open is refused, and the page shows the application as it is now."""
    application_id = file_application(web_app, program.cohort, 1)
    with web_app.test_request_context():
        from webapp.programs.applications import link_token

        token = link_token(get(web_app, Application, application_id))
    applicant = web_app.test_client()
    opened = applicant.get(f"/apply/mine/{token}").get_data(as_text=True)
    basis = re.search(r'name="basis" value="([^"]*)"', opened)[1]

    fixed = {**STORED, "contact_email": "office-fixed@firm.kr"}
    path = _page(program, application_id)
    assert (
        program.clients["coordinator"]
        .post(f"{path}/contact", data={**fixed, **_prefixed(STORED)})
        .status_code
        == 302
    )

    typed = {**form_data(1), "company_name": "고친이름", "basis": basis}  # its old contact inside
    stale = applicant.post(f"/apply/mine/{token}", data=typed)
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "방금 신청서가 바뀌었습니다" in html and "office-fixed@firm.kr" in html
    application = get(web_app, Application, application_id)
    assert application.contact_email == "office-fixed@firm.kr" and application.company_name != "고친이름"
    # saved again from the page as it is now: the correction goes through over the office's contact
    again = correct_through_link(applicant, token, {**form_data(1), **fixed, "company_name": "고친이름"})
    assert again.status_code == 302
    application = get(web_app, Application, application_id)
    assert application.contact_email == "office-fixed@firm.kr" and application.company_name == "고친이름"


def _ask_again(client, business_reg_no: str, contact_email: str) -> None:
    data = {"business_reg_no": business_reg_no, "contact_email": contact_email}
    assert client.post("/apply/link", data=data).status_code == 302


def test_after_the_email_is_corrected_the_link_is_asked_for_with_the_new_one_only(web_app, program):
    application_id = file_application(web_app, program.cohort, 1)
    brn = get(web_app, Application, application_id).business_reg_no
    corrected = {**STORED, "contact_email": "new@firm.kr"}
    saved = program.clients["coordinator"].post(
        f"{_page(program, application_id)}/contact", data={**corrected, **_prefixed(STORED)}
    )
    assert saved.status_code == 302
    before = len(all_of(web_app, OutboxEmail))
    public = web_app.test_client()
    _ask_again(public, brn, "c1@firm.kr")  # the old email: nothing mailed, to anyone
    assert len(all_of(web_app, OutboxEmail)) == before
    _ask_again(public, brn, "new@firm.kr")
    [mail] = all_of(web_app, OutboxEmail)[before:]
    assert mail.to_address == "new@firm.kr" and mail.subject.startswith("신청서 새 링크 안내")


def test_the_button_mails_a_working_link_to_the_stored_address(web_app, program, smtp_server):
    engine = web_app.extensions["engine"]
    application_id = file_application(web_app, program.cohort, 1)
    client = program.clients["coordinator"]
    path = _page(program, application_id)
    corrected = {**STORED, "contact_email": "new@firm.kr"}
    assert client.post(f"{path}/contact", data={**corrected, **_prefixed(STORED)}).status_code == 302
    before = len(all_of(web_app, OutboxEmail))

    sent = client.post(f"{path}/link", data={"contact_email": "someone@else.kr"})  # a field is ignored
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"applications/{application_id}")
    assert "new@firm.kr(으)로 신청서 새 링크를 보냈습니다." in client.get(path).get_data(as_text=True)
    [mail] = all_of(web_app, OutboxEmail)[before:]
    assert mail.to_address == "new@firm.kr"  # the stored contact email, never another
    assert mail.subject.startswith("신청서 새 링크 안내") and "사업 담당자가" in mail.body
    assert mail.secret and mail.secret in stored_text(engine)
    [entry] = _audits(web_app, "application_link_sent")
    assert entry.user_id == _coordinator_id(web_app) and entry.entity_id == str(application_id)

    inbox, config = smtp_server
    assert send_pending(engine, config) == (before + 1, 0)
    text, _html = inbox.received("new@firm.kr")
    assert "까지 열립니다" in text and "/apply/link" in text
    assert mail.secret not in stored_text(engine)  # sent: the token is gone from the outbox
    opened = web_app.test_client().get(link(text, "/apply/mine/"))
    assert opened.status_code == 200 and "신청기업1" in opened.get_data(as_text=True)


@pytest.mark.parametrize("who", ["mentor_a", "company_a", "ev_a"])
def test_only_coordinators_see_the_contact_card_correct_it_or_send_the_link(web_app, program, who):
    application_id = file_application(web_app, program.cohort, 1)
    client = program.clients[who]
    path = _page(program, application_id)
    before = len(all_of(web_app, OutboxEmail))
    assert client.get(path).status_code == 403
    data = {**STORED, "contact_email": "thief@else.kr", **_prefixed(STORED)}
    assert client.post(f"{path}/contact", data=data).status_code == 403
    assert client.post(f"{path}/link", data={}).status_code == 403
    assert _contact(web_app, application_id) == STORED
    assert len(all_of(web_app, OutboxEmail)) == before
    assert web_app.test_client().post(f"{path}/link").status_code == 302  # signed out: to the login


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def test_the_contact_forms_need_the_csrf_token(web_app, program, db_url):
    application_id = file_application(web_app, program.cohort, 1)
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test"})
    try:
        client = app.test_client()
        token = _csrf_token(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": "coord@x.kr", "password": PASSWORD, "csrf_token": token})
        path = _page(program, application_id)
        data = {**STORED, "contact_email": "new@firm.kr", **_prefixed(STORED)}
        assert client.post(f"{path}/contact", data=data).status_code == 400
        assert client.post(f"{path}/link").status_code == 400
        assert _contact(web_app, application_id) == STORED
        token = _csrf_token(client.get(path).get_data(as_text=True))
        assert client.post(f"{path}/contact", data={**data, "csrf_token": token}).status_code == 302
        assert _contact(web_app, application_id)["contact_email"] == "new@firm.kr"
    finally:
        app.extensions["engine"].dispose()
