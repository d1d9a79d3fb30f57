"""The applicant's link expires: it opens the application up to LINK_MAX_AGE after its email was
written and not a second later, every email carries a fresh one, the untimed links of before are
refused, and a link that no longer works leads to the page that mails a new one (to the
application's own contact email, answering the same whoever asks)."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner, URLSafeSerializer
from sqlmodel import Session, col, select

from tests.programs.conftest import (
    all_of,
    correct_through_link,
    file_application,
    form_data,
    get,
    offer_inspection,
)
from tests.support.mail import link, stored_text
from webapp.core.models import OutboxEmail
from webapp.core.notifications import SECRET_MARKER, send_pending
from webapp.programs.application_models import Application
from webapp.programs.applications import LINK_MAX_AGE
from webapp.programs.inspection_models import Inspection
from webapp.programs.models import Cohort

MAX_AGE = int(LINK_MAX_AGE.total_seconds())
NO_LONGER_OPENS = "이 링크로는 신청서를 열 수 없습니다"
NEUTRAL = "일치하면 그 이메일로 새 링크를 보냈습니다"


def _clock_at(monkeypatch, seconds: int) -> None:
    """itsdangerous' clock (TimestampSigner.get_timestamp: what a token is signed with and its
    age is measured against) set to `seconds` since the epoch."""
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: seconds)


def _secrets(web_app, to_address: str) -> list[str]:
    """The link tokens of the emails waiting for `to_address`, oldest first."""
    with Session(web_app.extensions["engine"]) as s:
        emails = s.exec(
            select(OutboxEmail).where(OutboxEmail.to_address == to_address).order_by(col(OutboxEmail.id))
        ).all()
    return [e.secret for e in emails if e.secret]


def _refused_with_the_way_to_a_new_link(response) -> None:
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert NO_LONGER_OPENS in html and "유효기간이 지났거나" in html
    assert 'action="/apply/link"' in html
    assert 'name="business_reg_no"' in html and 'name="contact_email"' in html
    assert "신청기업" not in html  # nothing of the application


def test_a_link_opens_until_its_max_age_and_not_a_second_later(web_app, program, monkeypatch):
    signed = int(time.time())
    _clock_at(monkeypatch, signed)
    application_id = file_application(web_app, program.cohort, 1)
    [token] = _secrets(web_app, "c1@firm.kr")
    inspection_id = offer_inspection(web_app, program, application_id)
    client = web_app.test_client()

    _clock_at(monkeypatch, signed + MAX_AGE)
    opened = client.get(f"/apply/mine/{token}")
    assert opened.status_code == 200 and "신청기업1" in opened.get_data(as_text=True)

    _clock_at(monkeypatch, signed + MAX_AGE + 1)
    _refused_with_the_way_to_a_new_link(client.get(f"/apply/mine/{token}"))
    # nor does it change anything any more
    data = {**form_data(1), "company_name": "만료후수정"}
    _refused_with_the_way_to_a_new_link(client.post(f"/apply/mine/{token}", data=data))
    answer = f"/apply/mine/{token}/inspection/{inspection_id}"
    _refused_with_the_way_to_a_new_link(client.post(answer, data={"answer": "confirm"}))
    assert get(web_app, Application, application_id).company_name == "신청기업1"
    assert get(web_app, Inspection, inspection_id).state == "proposed"


def test_each_email_carries_a_fresh_link_so_the_latest_works_for_the_whole_span(
    web_app, program, monkeypatch
):
    signed = int(time.time())
    _clock_at(monkeypatch, signed)
    file_application(web_app, program.cohort, 2)
    [receipt] = _secrets(web_app, "c2@firm.kr")
    _clock_at(monkeypatch, signed + 50 * 86400)  # corrected 50 days later: a new email
    client = web_app.test_client()
    saved = correct_through_link(client, receipt, {**form_data(2), "company_name": "고친이름"})
    assert saved.status_code == 302
    [_receipt, corrected] = _secrets(web_app, "c2@firm.kr")
    assert corrected != receipt

    _clock_at(monkeypatch, signed + MAX_AGE + 1)
    assert client.get(f"/apply/mine/{receipt}").status_code == 404
    assert client.get(f"/apply/mine/{corrected}").status_code == 200


def test_an_old_untimed_link_and_a_forged_one_get_the_page_to_ask_for_a_new_link(web_app, program):
    application_id = file_application(web_app, program.cohort, 3)
    application = get(web_app, Application, application_id)
    # exactly what was mailed before links expired
    untimed = URLSafeSerializer(web_app.config["SECRET_KEY"], salt="programs-application").dumps(
        [application.id, application.business_reg_no]
    )
    client = web_app.test_client()
    _refused_with_the_way_to_a_new_link(client.get(f"/apply/mine/{untimed}"))
    _refused_with_the_way_to_a_new_link(
        client.post(f"/apply/mine/{untimed}", data={**form_data(3), "company_name": "옛링크수정"})
    )
    _refused_with_the_way_to_a_new_link(client.get("/apply/mine/forged-token"))
    assert get(web_app, Application, application_id).company_name == "신청기업3"


def _ask(client, business_reg_no: str, contact_email: str) -> str:
    """Ask for the link again; the page answered after the redirect (its one-time CSRF token out)."""
    response = client.post(
        "/apply/link", data={"business_reg_no": business_reg_no, "contact_email": contact_email}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/apply/link"
    page = client.get("/apply/link").get_data(as_text=True)
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_asking_again_mails_a_fresh_working_link_only_when_number_and_email_match(
    web_app, program, smtp_server
):
    engine = web_app.extensions["engine"]
    application_id = file_application(web_app, program.cohort, 4)
    brn = form_data(4)["business_reg_no"]
    other = form_data(5)["business_reg_no"]
    file_application(web_app, program.cohort, 5)
    before = len(all_of(web_app, OutboxEmail))
    client = web_app.test_client()

    answers = {
        _ask(client, brn, "someone@else.kr"),  # the number with another email
        _ask(client, other, "c4@firm.kr"),  # the email with another number
        _ask(client, "1234567891", "c4@firm.kr"),  # a number nobody applied with (check digit ok)
    }
    assert len(all_of(web_app, OutboxEmail)) == before  # nothing mailed
    answers.add(_ask(client, brn.replace("-", ""), " C4@Firm.KR "))  # the match, typed loosely
    assert len(answers) == 1  # one and the same answer: the form tells nobody who applied
    assert NEUTRAL in answers.pop()

    [mail] = all_of(web_app, OutboxEmail)[before:]
    assert mail.to_address == "c4@firm.kr"  # the stored contact email, never another
    assert mail.subject.startswith("신청서 새 링크 안내")
    assert mail.secret and mail.secret not in mail.body and f"/apply/mine/{SECRET_MARKER}" in mail.body
    inbox, config = smtp_server
    assert send_pending(engine, config) == (before + 1, 0)  # the two receipts, then the new link
    text, _html = inbox.received("c4@firm.kr")
    assert "까지 열립니다" in text and "/apply/link" in text  # until when, and where to ask again
    fresh = link(text, "/apply/mine/")
    assert mail.secret not in stored_text(engine)  # sent: the token is gone from the outbox
    opened = client.get(fresh)
    assert opened.status_code == 200 and "신청기업4" in opened.get_data(as_text=True)

    # a cohort in selection still answers; one already running (logins by then) does not
    for status, mailed in (("selection", 1), ("running", 0)):
        with Session(engine) as s:
            cohort = s.get(Cohort, program.cohort)
            cohort.status = status
            s.add(cohort)
            s.commit()
        count = len(all_of(web_app, OutboxEmail))
        assert NEUTRAL in _ask(client, brn, "c4@firm.kr")
        assert len(all_of(web_app, OutboxEmail)) == count + mailed, status
    assert get(web_app, Application, application_id).contact_email == "c4@firm.kr"


def test_asking_again_names_each_bad_field_in_korean_and_mails_nothing(web_app, program):
    file_application(web_app, program.cohort, 6)
    before = len(all_of(web_app, OutboxEmail))
    client = web_app.test_client()
    form = client.get(f"/apply/{program.cohort}").get_data(as_text=True)
    assert 'href="/apply/link"' in form and "신청서 링크 다시 받기" in form  # found from the form
    empty = client.post("/apply/link", data={})
    assert empty.status_code == 400
    html = empty.get_data(as_text=True)
    assert 'id="business_reg_no-error"' in html and 'id="contact_email-error"' in html
    assert "사업자등록번호: 필수 항목입니다." in html and "이메일: 필수 항목입니다." in html
    bad = client.post("/apply/link", data={"business_reg_no": "123-45-67890", "contact_email": "c6 at firm"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "사업자등록번호: " in html and "검증 번호가 맞지 않습니다" in html
    assert "이메일: " in html and "올바른 이메일 주소가 아닙니다" in html
    assert "Required" not in html and "check digit" not in html and "not an email" not in html
    too_long = {"business_reg_no": form_data(6)["business_reg_no"], "contact_email": "a" * 250 + "@b.kr"}
    long = client.post("/apply/link", data=too_long)
    assert long.status_code == 400 and "이메일: 254자 이내로 입력하세요." in long.get_data(as_text=True)
    assert len(all_of(web_app, OutboxEmail)) == before


def test_asking_again_is_rate_limited_like_the_form(web_app, program):
    web_app.config["RATELIMIT_ENABLED"] = True
    from webapp.ui.hardening import limiter

    limiter.init_app(web_app)
    client = web_app.test_client()
    data = {"business_reg_no": form_data(7)["business_reg_no"], "contact_email": "c7@firm.kr"}
    codes = [client.post("/apply/link", data=data).status_code for _ in range(7)]
    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
