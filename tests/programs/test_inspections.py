"""Inspection planning through the router (real solves, short time limits), the company's
confirmation or request for another time, the replan around what is confirmed, the mentor's day
and the checklist."""

from __future__ import annotations

from itertools import pairwise

from sqlmodel import Session

from tests.programs.conftest import all_of, file_application, get, offer_inspection
from webapp.core.models import OutboxEmail
from webapp.core.notifications import SECRET_MARKER
from webapp.programs import applications, inspections
from webapp.programs.application_models import Application
from webapp.programs.inspection_models import Inspection, RoutingRun
from webapp.programs.models import Cohort

BACKENDS = ("sqlite", "postgres")


def _plan(web_app, program, n_applications=3):
    web_app.config.update(ROUTING_TIME_LIMIT=1.0, ROUTING_WAIT_SECONDS=60)
    ids = [
        file_application(web_app, program.cohort, n, address=f"전주 {n}")
        for n in range(1, n_applications + 1)
    ]
    ids.append(file_application(web_app, program.cohort, 99, tax_arrears="yes"))  # not eligible: not planned
    client = program.clients["coordinator"]
    base = f"/coordinator/programs/{program.cohort}/inspections"
    mentor_a, mentor_b = program.world.mentors
    assert (
        client.post(
            f"{base}/pairs",
            data={
                "mentor_a": mentor_a,
                "mentor_b": mentor_b,
                "start_from": "technopark",
                "days": ["2027-03-02", "2027-03-03"],
            },
        ).status_code
        == 302
    )
    response = client.post(f"{base}/plan")
    assert response.status_code == 302
    [run] = all_of(web_app, RoutingRun)
    assert run.status == "done", run.error
    return ids, client, base


def _token(web_app, application_id):
    with web_app.test_request_context(), Session(web_app.extensions["engine"]) as s:
        return applications.link_token(s.get(Application, application_id))


def test_every_eligible_applicant_gets_a_time_in_its_pairs_day(web_app, program):
    ids, client, base = _plan(web_app, program)
    planned = all_of(web_app, Inspection)
    assert sorted(i.application_id for i in planned) == sorted(ids[:3])
    for day in {i.day for i in planned}:
        stops = sorted((i for i in planned if i.day == day), key=lambda i: i.starts_at)
        assert [i.seq for i in stops] == list(range(1, len(stops) + 1))
        for before, after in pairwise(stops):
            assert after.starts_at >= before.ends_at  # one pair, one place at a time
    offers = [m for m in all_of(web_app, OutboxEmail) if m.subject.startswith("현장실사 일정 안내")]
    assert len(offers) == 3
    # each applicant's own fresh link, kept apart until sent
    with web_app.test_request_context(), Session(web_app.extensions["engine"]) as s:
        opened = {applications.from_token(s, m.secret).id for m in offers}
    assert opened == set(ids[:3])
    assert all(f"/apply/mine/{SECRET_MARKER}" in m.body for m in offers)
    assert not any(m.secret in m.body for m in offers)
    assert "신청기업1" in client.get(base).get_data(as_text=True)


def test_confirm_then_decline_is_replanned_around_the_confirmed_one(web_app, program):
    ids, _client, _base = _plan(web_app, program)
    company = web_app.test_client()
    first = next(i for i in all_of(web_app, Inspection) if i.application_id == ids[0])
    second = next(i for i in all_of(web_app, Inspection) if i.application_id == ids[1])
    url = f"/apply/mine/{_token(web_app, ids[0])}/inspection/{first.id}"
    assert company.post(url, data={"answer": "confirm"}).status_code == 302
    assert company.post(url, data={"answer": "confirm"}).status_code == 409  # confirmed once
    decline = f"/apply/mine/{_token(web_app, ids[1])}/inspection/{second.id}"
    assert company.post(decline, data={"answer": "decline", "note": ""}).status_code == 400
    assert (
        company.post(decline, data={"answer": "decline", "note": "수요일 오후가 좋습니다"}).status_code == 302
    )
    # another company's link cannot answer for it
    assert (
        company.post(
            f"/apply/mine/{_token(web_app, ids[2])}/inspection/{first.id}", data={"answer": "confirm"}
        ).status_code
        == 409
    )
    with Session(web_app.extensions["engine"]) as s:
        assert inspections.replan_due(s) == [program.cohort]
    runs = inspections.replan_declined(web_app, time_limit=1.0)
    assert len(runs) == 1
    after = all_of(web_app, Inspection)
    kept = get(web_app, Inspection, first.id)
    assert kept.state == "confirmed" and kept.starts_at == first.starts_at  # never moved
    new = [i for i in after if i.application_id == ids[1] and i.state == "proposed"]
    assert len(new) == 1 and new[0].day != second.day  # not the refused day again
    with Session(web_app.extensions["engine"]) as s:
        assert inspections.replan_due(s) == []


def test_mentor_day_and_checklist(web_app, program):
    _plan(web_app, program)
    inspection = sorted(all_of(web_app, Inspection), key=lambda i: i.starts_at)[0]
    mentor = program.clients["mentor_a"]
    day = mentor.get(f"/mentor/inspections/{inspection.day.isoformat()}")
    html = day.get_data(as_text=True)
    assert day.status_code == 200 and "<svg" in html and "map.kakao.com" in html
    assert html.index("신청기업") < html.index("<svg")
    url = f"/mentor/inspections/visit/{inspection.id}"
    assert program.clients["company_a"].get(url).status_code == 403
    unfinished = mentor.post(url, data={"finish": "1", "score_process": "4"})
    assert unfinished.status_code == 400
    assert get(web_app, Inspection, inspection.id).state == "proposed"
    draft = mentor.post(url, data={"finish": "0", "score_process": "4", "note_process": "수작업 많음"})
    assert draft.status_code == 302
    assert get(web_app, Inspection, inspection.id).checklist["process"] == {"score": 4, "note": "수작업 많음"}
    full = {f"score_{k}": "3" for k in ("process", "equipment", "data", "management")}
    done = mentor.post(url, data={**full, "recommendation": "recommend", "summary": "준비됨", "finish": "1"})
    assert done.status_code == 302
    checked = get(web_app, Inspection, inspection.id)
    assert checked.state == "done" and checked.recommendation == "recommend"
    with Session(web_app.extensions["engine"]) as s:
        cohort = s.get(Cohort, program.cohort)
        from webapp.programs.funnel import funnel

        assert funnel(s, cohort).totals["inspected"] == 1


def test_checklist_photos_are_checked_cleaned_and_shown_only_to_who_may_see_them(web_app, program, tmp_path):
    from io import BytesIO

    from PIL import Image

    from tests.media.images import GPS_IFD, phone_jpeg
    from webapp.core.media.models import Photo

    web_app.config["MEDIA_ROOT"] = str(tmp_path / "media")
    _plan(web_app, program)
    inspection = sorted(all_of(web_app, Inspection), key=lambda i: i.starts_at)[0]
    mentor = program.clients["mentor_a"]
    url = f"/mentor/inspections/visit/{inspection.id}"
    not_photo = mentor.post(
        url,
        data={
            "finish": "0",
            "note_process": "메모",
            "photos": (BytesIO(b"%PDF-1.4 not a photo"), "scan.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert not_photo.status_code == 400 and 'id="photo-error"' in not_photo.get_data(as_text=True)
    assert all_of(web_app, Photo) == [] and get(web_app, Inspection, inspection.id).checklist == {}
    ok = mentor.post(
        url,
        data={"finish": "0", "photos": (BytesIO(phone_jpeg()), "IMG_0001.jpg")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    [photo] = all_of(web_app, Photo)
    served = mentor.get(f"/media/{photo.id}")
    assert served.status_code == 200
    image = Image.open(BytesIO(served.data))
    assert max(image.size) <= 2048 and not image.getexif().get_ifd(GPS_IFD)
    assert program.clients["mentor_b"].get(f"/media/{photo.id}").status_code == 200  # the pair's other mentor
    assert program.clients["company_a"].get(f"/media/{photo.id}").status_code == 404
    assert program.clients["ev_a"].get(f"/media/{photo.id}").status_code == 404  # not assigned
    assert program.clients["coordinator"].get(f"/media/{photo.id}").status_code == 200


def test_one_planning_at_a_time_per_cohort(web_app, program):
    with Session(web_app.extensions["engine"]) as s:
        cohort = s.get(Cohort, program.cohort)
        inspections.start_routing(s, cohort, None)
        try:
            inspections.start_routing(s, cohort, None)
        except inspections.RoutingBusy:
            pass
        else:
            raise AssertionError("two planning runs of one cohort at once")


def test_a_photo_over_the_size_limit_is_refused_with_the_form_kept(web_app, program, tmp_path):
    from io import BytesIO

    from webapp.core.media.images import MAX_UPLOAD_BYTES
    from webapp.core.media.models import Photo

    web_app.config["MEDIA_ROOT"] = str(tmp_path / "media")
    inspection = offer_inspection(web_app, program, file_application(web_app, program.cohort, 1))
    response = program.clients["mentor_a"].post(
        f"/mentor/inspections/visit/{inspection}",
        data={
            "finish": "0",
            "note_process": "수작업 많음",
            "photos": (BytesIO(b"\xff\xd8" + b"\0" * MAX_UPLOAD_BYTES), "IMG_0002.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="photo-error">사진이 15MB보다 큽니다.<' in html and "수작업 많음" in html
    assert all_of(web_app, Photo) == [] and get(web_app, Inspection, inspection).checklist == {}
