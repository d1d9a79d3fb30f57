"""The issue's check, end to end with the real solver: the coordinator imports a CSV, runs matching,
reviews and approves; the mentor then sees the new companies and a company sees its mentor."""

import io
import re

from sqlmodel import Session, select

from tests.support.web import PASSWORD_HASH, approve, brn, sign_in
from webapp.accounts.models import User
from webapp.directory.models import Company
from webapp.matching.models import Assignment


def test_import_run_review_approve_then_mentor_and_company_see_it(web_app, world):
    coordinator = sign_in(web_app, world.users["coordinator"])
    csv = "사업자등록번호,회사명,업종코드,시군\n" + "".join(
        f"{brn(50 + i)},새공장{i},C29,전주\n" for i in range(3)
    )
    imported = coordinator.post(
        "/coordinator/import",
        data={"kind": "companies", "file": (io.BytesIO(csv.encode("utf-8-sig")), "new.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    started = coordinator.post("/coordinator/runs", data={"max_distance_km": "80", "time_limit": "10"})
    run_path = started.headers["Location"]
    review = coordinator.get(run_path).get_data(as_text=True)
    assert "새공장0" in review and re.search(r"신규 \(\d+\)", review)
    assert approve(coordinator, run_path.rsplit("/", 1)[1]).status_code == 302

    with Session(web_app.extensions["engine"]) as s:
        new = s.exec(select(Company).where(Company.name == "새공장0")).one()
        assignment = s.exec(
            select(Assignment).where(Assignment.company_id == new.id, Assignment.state == "approved")
        ).one()
        mentor_email = s.exec(select(User.email).where(User.mentor_id == assignment.mentor_id)).one()
        s.add(User(email="new-company@x.kr", role="company", company_id=new.id, password_hash=PASSWORD_HASH))
        s.commit()
    assert "새공장0" in sign_in(web_app, mentor_email).get("/mentor/").get_data(as_text=True)
    company_page = sign_in(web_app, "new-company@x.kr").get("/company/").get_data(as_text=True)
    assert "내 멘토" in company_page and "아직 멘토가 배정되지 않았습니다" not in company_page
