"""Every message the program pages show is in the page's language and names the field as the
user knows it: the import's problems by row and the file's header, refusals shown away from
their field after the field's label, and nothing the user typed passes unescaped."""

from __future__ import annotations

import io

from tests.programs.conftest import all_of, file_application, form_data
from tests.support.web import brn
from webapp.programs.application_models import Application

HEADER = (
    "사업자등록번호,회사명,대표자,업종,시군,주소,매출액,종업원수,지원이력,유형,담당자,연락처,이메일,동의\n"
)


def _row(n: int, **changes) -> str:
    cells = {
        "brn": brn(200 + n),
        "name": f"가공{n}",
        "ceo": "대표",
        "industry": "C25",
        "city": "군산시",
        "address": f"군산 {n}",
        "revenue": "1200",
        "staff": "8",
        "support": "아니오",
        "track": "JS1",
        "contact": "담당",
        "phone": "063-111-2222",
        "email": f"a{n}@b.kr",
        "consent": "예",
    }
    cells.update(changes)
    return ",".join(cells.values()) + "\n"


def test_import_problems_name_the_row_and_the_files_header_in_korean(web_app, program):
    client = program.clients["coordinator"]
    body = HEADER + _row(1, consent="아니오", track="JS9") + _row(2, brn=brn(201), phone="12") + _row(3)
    response = client.post(
        f"/coordinator/programs/{program.cohort}/applications/import",
        data={"file": (io.BytesIO(body.encode()), "apps.csv")},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "2행, 동의: 개인정보 수집·이용에 동의해야 신청할 수 있습니다." in html
    assert "2행, 유형: &#39;JS9&#39;은(는) 이번 사업의 유형이 아닙니다 (JS1, JS2, JS3)." in html
    assert f"3행, 사업자등록번호: {brn(201)[:3]}-{brn(201)[3:5]}-{brn(201)[5:]}: 이미 2행에 있습니다." in html
    assert "3행, 연락처: &#39;12&#39;은(는) 전화번호가 아닙니다" in html
    for english in ("consent", "track", "is not", "already", "row "):
        assert english not in html.split("import-errors")[1], english
    assert all_of(web_app, Application) == []


def test_refusals_shown_in_a_flash_name_their_field(web_app, program):
    application = file_application(web_app, program.cohort, 1)
    client = program.clients["coordinator"]
    base = f"/coordinator/programs/{program.cohort}"
    page = client.post(
        f"{base}/applications/{application}/eligibility",
        data={"eligible": "1", "note": ""},
        follow_redirects=True,
    )
    assert "메모: 필수 항목입니다." in page.get_data(as_text=True)
    page = client.post(
        f"{base}/evaluation/conflicts",
        data={"evaluator": program.evaluators["ev_a"], "business_reg_no": "123-45-67890", "reason": "x"},
        follow_redirects=True,
    )
    assert "사업자등록번호: &#39;123-45-67890&#39;" in page.get_data(as_text=True)
    page = client.post(
        f"{base}/applications/{application}/decision",
        data={"decision": "selected", "reason": "", "expected": "pending"},
        follow_redirects=True,
    )
    assert "사유: 필수 항목입니다." in page.get_data(as_text=True)


def test_what_the_user_typed_is_escaped_in_the_message(web_app, program):
    response = web_app.test_client().post(
        f"/apply/{program.cohort}", data=form_data(1, track="<b>JS9</b>", contact_phone="<i>1</i>")
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<b>JS9</b>" not in html and "<i>1</i>" not in html
    assert "&lt;b&gt;JS9&lt;/b&gt;" in html


def test_the_same_refusals_read_in_english_on_an_english_page(web_app, program):
    client = web_app.test_client()
    client.set_cookie("lang", "en")
    data = form_data(1, revenue="lots")
    del data["consent"]
    response = client.post(f"/apply/{program.cohort}", data=data)
    html = response.get_data(as_text=True)
    assert "Enter a whole number." in html
    assert "Without consent to the personal-data notice we cannot take the application." in html


def test_every_reason_the_router_gives_reads_in_korean(web_app):
    from matcher.routing import explain
    from webapp.programs.text import UNSERVED, unserved_reason

    reasons = {v for k, v in vars(explain).items() if k.isupper() and isinstance(v, str)}
    assert reasons == set(UNSERVED)
    with web_app.test_request_context():
        for reason in reasons:
            assert unserved_reason(reason) != reason and not unserved_reason(reason).isascii(), reason
