"""Steering from the company's page: "never this mentor" with a reason, audited, honoured by
the next run; refused without a reason or twice; removable."""

from __future__ import annotations

from sqlmodel import Session, select

from webapp.core.models import AuditLog
from webapp.directory.models import MentorExclusion
from webapp.matching.models import Assignment


def test_an_exclusion_is_audited_and_honoured_by_the_next_run(web_app, clients, world):
    client = clients["coordinator"]
    company_c, mentor_a = world.companies[2], world.mentors[0]
    no_reason = client.post(f"/coordinator/companies/{company_c}/exclusions", data={"mentor_id": mentor_a})
    assert no_reason.status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        assert s.exec(select(MentorExclusion)).all() == []
    added = client.post(
        f"/coordinator/companies/{company_c}/exclusions",
        data={"mentor_id": mentor_a, "reason": "대표가 멘토의 친척"},
        follow_redirects=True,
    )
    page = added.get_data(as_text=True)
    assert "대표가 멘토의 친척" in page.split('id="exclusions"')[1]
    again = client.post(
        f"/coordinator/companies/{company_c}/exclusions",
        data={"mentor_id": mentor_a, "reason": "또"},
        follow_redirects=True,
    )
    assert 'class="flash error"' in again.get_data(as_text=True)

    run_id = int(client.post("/coordinator/runs", data={}).headers["Location"].rsplit("/", 1)[1])
    with Session(web_app.extensions["engine"]) as s:
        proposed = {
            a.company_id: a.mentor_id for a in s.exec(select(Assignment).where(Assignment.run_id == run_id))
        }
        assert proposed[company_c] == world.mentors[1]  # mentor A is nearer, but excluded (real solver)
        entry = s.exec(select(AuditLog).where(AuditLog.action == "exclusion_added")).one()
        assert entry.entity_id == str(company_c) and entry.details["reason"] == "대표가 멘토의 친척"

    removed = client.post(f"/coordinator/companies/{company_c}/exclusions/{mentor_a}/delete")
    assert removed.status_code == 302
    with Session(web_app.extensions["engine"]) as s:
        assert s.exec(select(MentorExclusion)).all() == []
        assert s.exec(select(AuditLog).where(AuditLog.action == "exclusion_removed")).one()
    assert client.post(f"/coordinator/companies/{company_c}/exclusions/{mentor_a}/delete").status_code == 404
    assert clients["mentor_a"].post(f"/coordinator/companies/{company_c}/exclusions").status_code == 403
