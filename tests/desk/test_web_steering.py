"""Steering the next matching runs by hand, from the company's page, the mentor's page and a run
review row: "this company keeps this mentor" (a pin) and "never this pair" (an exclusion, with a
reason). Each is audited, refused with the field named in Korean when the rules say no, removable,
and honoured by the next run of the real solver.

The world: companies A, B, C in Jeonju; mentor A in Jeonju, mentor B in Gunsan (farther).
A and B have confirmed visits with mentors A and B (pinned by them); C is free and nearer to A.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from tests.support.web import brn
from webapp.core.db import session_scope
from webapp.core.models import AuditLog
from webapp.desk import steering
from webapp.directory.models import Mentor, MentorExclusion
from webapp.matching.models import Assignment, CompanyPin

BACKENDS = ("sqlite", "postgres")  # the database settles the races (primary keys, no double booking)


def text(response) -> str:
    return response.get_data(as_text=True)


def _run(client) -> int:
    return int(client.post("/coordinator/runs", data={}).headers["Location"].rsplit("/", 1)[1])


def _proposed(web_app, run_id: int) -> dict[int, Assignment]:
    with Session(web_app.extensions["engine"]) as s:
        return {a.company_id: a for a in s.exec(select(Assignment).where(Assignment.run_id == run_id))}


def _error(response) -> str:
    found = re.search(r'class="flash error"[^>]*>([^<]+)<', text(response))
    assert found, text(response)[:2000]
    return found[1]


def _actions(web_app, action: str) -> list[AuditLog]:
    with Session(web_app.extensions["engine"]) as s:
        return list(s.exec(select(AuditLog).where(AuditLog.action == action)))


def test_an_exclusion_is_audited_and_honoured_by_the_next_run(web_app, clients, world):
    client = clients["coordinator"]
    company_c, mentor_a = world.companies[2], world.mentors[0]
    no_reason = client.post(
        f"/coordinator/companies/{company_c}/exclusions", data={"mentor_id": mentor_a}, follow_redirects=True
    )
    assert _error(no_reason).startswith("사유:")
    with Session(web_app.extensions["engine"]) as s:
        assert s.exec(select(MentorExclusion)).all() == []
    added = client.post(
        f"/coordinator/companies/{company_c}/exclusions",
        data={"mentor_id": mentor_a, "reason": "대표가 멘토의 친척"},
        follow_redirects=True,
    )
    page = text(added)
    assert "대표가 멘토의 친척" in page.split('id="exclusions"')[1]
    again = client.post(
        f"/coordinator/companies/{company_c}/exclusions",
        data={"mentor_id": mentor_a, "reason": "또"},
        follow_redirects=True,
    )
    assert "이미" in _error(again)

    run_id = _run(client)
    assert _proposed(web_app, run_id)[company_c].mentor_id == world.mentors[1]  # A is nearer, but excluded
    (entry,) = _actions(web_app, "exclusion_added")
    assert entry.entity_id == str(company_c) and entry.details["reason"] == "대표가 멘토의 친척"

    removed = client.post(f"/coordinator/companies/{company_c}/exclusions/{mentor_a}/delete")
    assert removed.status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        assert s.exec(select(MentorExclusion)).all() == []
    assert _actions(web_app, "exclusion_removed")
    assert client.post(f"/coordinator/companies/{company_c}/exclusions/{mentor_a}/delete").status_code == 404
    assert clients["mentor_a"].post(f"/coordinator/companies/{company_c}/exclusions").status_code == 403


def test_a_pin_is_audited_and_the_next_run_gives_the_company_that_mentor(web_app, clients, world):
    client = clients["coordinator"]
    company_c, mentor_b = world.companies[2], world.mentors[1]
    page = text(
        client.post(
            f"/coordinator/companies/{company_c}/pins",
            data={"mentor_id": mentor_b, "reason": "대표 요청"},
            follow_redirects=True,
        )
    )
    assert "회사C은(는) 멘토B 멘토를 유지합니다" in page
    assert "멘토B" in page.split('id="pin"')[1].split("</p>")[0]
    (entry,) = _actions(web_app, "pin_added")
    assert entry.entity_id == str(company_c) and entry.details == {
        "mentor_id": mentor_b,
        "reason": "대표 요청",
    }

    run_id = _run(client)
    chosen = _proposed(web_app, run_id)[company_c]
    assert chosen.mentor_id == mentor_b  # mentor A is nearer: only the pin gives B (real solver)
    assert "pinned by a coordinator" in chosen.reasons
    review = text(client.get(f"/coordinator/runs/{run_id}?q=회사C"))
    assert "코디네이터가 고정 배정" in review.split('class="list review"')[1]

    assert client.post(f"/coordinator/companies/{company_c}/pins/delete").status_code == 302
    assert _actions(web_app, "pin_removed")
    assert client.post(f"/coordinator/companies/{company_c}/pins/delete").status_code == 404
    assert _proposed(web_app, _run(client))[company_c].mentor_id == world.mentors[0]  # free again: the nearer


def test_steering_refusals_name_the_field_in_korean(web_app, clients, world, monkeypatch):
    client = clients["coordinator"]
    company_b, company_c = world.companies[1], world.companies[2]
    mentor_a, mentor_b = world.mentors

    def post(path, **data):
        return client.post(f"/coordinator/{path}", data=data, follow_redirects=True)

    assert _error(post(f"companies/{company_c}/pins", mentor_id=999)) == "멘토: 멘토를 고르세요."
    post(f"companies/{company_c}/exclusions", mentor_id=mentor_a, reason="이해 충돌")
    assert "제외를 해제" in _error(post(f"companies/{company_c}/pins", mentor_id=mentor_a))
    post(f"companies/{company_c}/pins", mentor_id=mentor_b)
    assert _error(post(f"companies/{company_c}/exclusions", mentor_id=mentor_b, reason="x")).startswith(
        "멘토: 멘토B 멘토는 이 기업에 고정되어"
    )
    assert _error(post(f"companies/{company_c}/pins", mentor_id=mentor_b)).startswith(
        "기업: 회사C은(는) 이미 멘토B 멘토에게 고정"
    )
    assert _error(post(f"companies/{company_b}/pins", mentor_id=mentor_b, reason="가" * 201)).startswith(
        "사유:"
    )
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(Mentor, mentor_b).capacity = 1
    assert "담당 가능 기업 수만큼" in _error(post(f"companies/{company_b}/pins", mentor_id=mentor_b))
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(Mentor, mentor_a).active = False
    assert "활동 중인 멘토" in _error(post(f"companies/{company_b}/pins", mentor_id=mentor_a))
    assert _error(post(f"mentors/{mentor_b}/pins", company="없는회사")).startswith("기업:")
    assert _error(post(f"mentors/{mentor_b}/pins", company="")).startswith("기업:")
    with Session(web_app.extensions["engine"]) as s:
        assert [(p.company_id, p.mentor_id) for p in s.exec(select(CompanyPin))] == [(company_c, mentor_b)]

    # Two coordinators pinning the same company at once: the primary key refuses the second.
    def rival_first(session, *args, **kwargs):
        with session_scope(web_app.extensions["engine"]) as other:
            other.add(CompanyPin(company_id=company_b, mentor_id=mentor_a))

    monkeypatch.setattr(steering, "audit", rival_first)
    with session_scope(web_app.extensions["engine"]) as s:
        s.get(Mentor, mentor_b).capacity = 3
    raced = post(f"companies/{company_b}/pins", mentor_id=mentor_b)
    assert "이미 멘토A 멘토에게 고정" in _error(raced)


def test_steering_from_the_mentors_page(web_app, clients, world):
    """The company is typed: its business number (with dashes) or its name."""
    client = clients["coordinator"]
    company_c, (mentor_a, mentor_b) = world.companies[2], world.mentors
    number = brn(3)  # company C's
    pinned = client.post(
        f"/coordinator/mentors/{mentor_b}/pins", data={"company": f"{number[:3]}-{number[3:5]}-{number[5:]}"}
    )
    assert pinned.headers["Location"].endswith(f"/coordinator/mentors/{mentor_b}#steering")
    listed = text(client.get(f"/coordinator/mentors/{mentor_b}")).split('id="pins"')[1].split("</ul>")[0]
    assert "회사C" in listed
    assert _proposed(web_app, _run(client))[company_c].mentor_id == mentor_b  # the pin
    client.post(f"/coordinator/companies/{company_c}/pins/delete")

    page = text(
        client.post(
            f"/coordinator/mentors/{mentor_a}/exclusions",
            data={"company": "회사C", "reason": "전 직장"},
            follow_redirects=True,
        )
    )
    assert "회사C" in page.split('id="exclusions"')[1].split("</ul>")[0]  # back on the mentor's page
    assert _proposed(web_app, _run(client))[company_c].mentor_id == mentor_b  # the exclusion
    # A removal from the mentor's page comes back to it; only to a page of this site.
    back = client.post(
        f"/coordinator/companies/{company_c}/exclusions/{mentor_a}/delete",
        data={"next": f"/coordinator/mentors/{mentor_a}#steering"},
    )
    assert back.headers["Location"].endswith(f"/coordinator/mentors/{mentor_a}#steering")
    client.post(f"/coordinator/mentors/{mentor_a}/pins", data={"company": "회사C"})
    elsewhere = client.post(
        f"/coordinator/companies/{company_c}/pins/delete", data={"next": "//evil.example"}
    )
    assert elsewhere.headers["Location"].endswith(f"/coordinator/companies/{company_c}#steering")


def test_steering_from_a_run_review_row(web_app, clients, world):
    client = clients["coordinator"]
    company_c, mentor_a, mentor_b = world.companies[2], *world.mentors
    first = _run(client)
    review = f"/coordinator/runs/{first}?show=new"
    row = text(client.get(review)).split(f'id="c{company_c}"')[1].split("</tr>")[0]
    assert "멘토A 멘토로 고정" in row and "멘토A 멘토 배정 제외" in row and "사유 (제외할 때 필수)" in row

    excluded = client.post(
        f"/coordinator/companies/{company_c}/exclusions",
        data={"mentor_id": mentor_a, "reason": "이해 충돌", "next": f"{review}#c{company_c}"},
    )
    assert excluded.headers["Location"].endswith(f"{review}#c{company_c}")  # back to the row
    second = _run(client)
    assert _proposed(web_app, second)[company_c].mentor_id == mentor_b  # the pair is never proposed

    pinned = client.post(
        f"/coordinator/companies/{company_c}/pins",
        data={"mentor_id": mentor_b, "next": f"/coordinator/runs/{second}#c{company_c}"},
        follow_redirects=True,
    )
    row = text(pinned).split(f'id="c{company_c}"')[1].split("</tr>")[0]
    assert "고정: 멘토B" in row and "제외 1명" in row and "고정 해제" in row
