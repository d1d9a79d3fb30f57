"""The mentor's inspection days on a phone: the stops in order with times, addresses, the drive
between them and a map, and each stop's checklist."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from webapp.accounts.models import Role
from webapp.accounts.security import require_role
from webapp.core.db import get_existing
from webapp.core.media.uploads import allow_photo_upload
from webapp.core.media.views import media_store
from webapp.core.request_db import db
from webapp.directory.models import Mentor, Municipality
from webapp.programs import checklist as service
from webapp.programs import inspections
from webapp.programs.application_models import Application
from webapp.programs.inspection_models import InspectionPair, StartPoint
from webapp.programs.models import Cohort
from webapp.programs.photos import photos_of
from webapp.programs.rubrics import CHECK_SCORES, checklist_of
from webapp.ui import svgmap
from webapp.ui.i18n import local_name

bp = Blueprint(
    "programs_mentor",
    __name__,
    url_prefix="/mentor/inspections",
    template_folder="templates",
    static_folder="static",
)
bp.before_request(require_role(Role.mentor))


def map_link(application: Application) -> str:
    """A Kakao map search for the address (opens the phone's map app; nothing is embedded)."""
    return "https://map.kakao.com/link/search/" + quote(application.address or application.company_name)


@bp.get("/")
def days():
    return render_template(
        "programs/mentor_days.html", days=inspections.mentor_days(db(), current_user.mentor_id)
    )


@bp.get("/<day>")
def day(day: str):
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    session = db()
    pair, stops = inspections.day_stops(session, current_user.mentor_id, when)
    if pair is None:
        return render_template(
            "programs/mentor_day.html", day=when, stops=[], pair=None, svg=None, partner=None
        )
    partner_id = pair.mentor_b_id if pair.mentor_a_id == current_user.mentor_id else pair.mentor_a_id
    if pair.start_from == StartPoint.home.value:
        home = get_existing(session, Mentor, pair.mentor_a_id)
        depot = (home.lat, home.lon)
    else:
        depot = (inspections.TECHNOPARK["lat"], inspections.TECHNOPARK["lon"])
    points = [(depot[0], depot[1])] + [(s.application.lat, s.application.lon) for s in stops] + [depot]
    # The province's cities and counties for orientation; the start and the stops numbered in order.
    places = [svgmap.Place(local_name(m), m.lat, m.lon) for m in session.exec(select(Municipality))]
    places += [svgmap.Place(_("Starting point"), depot[0], depot[1])]
    places += [
        svgmap.Place(str(i), s.application.lat, s.application.lon) for i, s in enumerate(stops, start=1)
    ]
    svg = svgmap.render(
        places,
        [
            svgmap.Point(
                "company",
                s.application.lat,
                s.application.lon,
                "#d1495b",
                f"{i}. {s.application.company_name}",
            )
            for i, s in enumerate(stops, start=1)
        ],
        [svgmap.Line(a[0], a[1], b[0], b[1], "#d1495b", _("drive")) for a, b in pairwise(points)],
        title=_("Route of the day"),
    )
    return render_template(
        "programs/mentor_day.html",
        day=when,
        stops=stops,
        pair=pair,
        partner=session.get(Mentor, partner_id),
        svg=svg,
        map_link=map_link,
        cohort=session.get(Cohort, pair.cohort_id),
    )


def _owned(inspection_id: int):
    inspection = service.owned(db(), inspection_id, current_user.mentor_id)
    if inspection is None:
        abort(404)
    return inspection


def _checklist_page(inspection, values: dict | None = None, errors: dict | None = None, status: int = 200):
    session = db()
    cohort = get_existing(session, Cohort, inspection.cohort_id)
    if values is None:
        values = {"recommendation": inspection.recommendation, "summary": inspection.summary}
        for key, entry in (inspection.checklist or {}).items():
            values[f"score_{key}"] = "" if entry.get("score") is None else str(entry["score"])
            values[f"note_{key}"] = entry.get("note", "")
    return render_template(
        "programs/checklist.html",
        inspection=inspection,
        application=session.get(Application, inspection.application_id),
        pair=session.get(InspectionPair, inspection.pair_id),
        items=checklist_of(cohort),
        scores=list(CHECK_SCORES),
        values=values,
        errors=errors or {},
        photos=photos_of(session, inspection.id),
    ), status


@bp.get("/visit/<id:inspection_id>")
def checklist(inspection_id: int):
    return _checklist_page(_owned(inspection_id))


@bp.post("/visit/<id:inspection_id>")
def checklist_save(inspection_id: int):
    allow_photo_upload()
    inspection = _owned(inspection_id)
    finish = request.form.get("finish") == "1"
    photos = [
        (upload.read(), upload.filename or "")
        for upload in request.files.getlist("photos")
        if upload is not None and upload.filename
    ]
    try:
        service.save(
            db(), inspection, request.form, current_user.id, finish=finish, photos=photos, store=media_store()
        )
    except service.ChecklistInvalid as exc:
        db().rollback()
        return _checklist_page(
            inspection, request.form.to_dict(), exc.messages(), 409 if exc.conflict else 400
        )
    flash(_("Checklist finished.") if finish else _("Draft saved."), "success")
    if finish:
        return redirect(url_for(".day", day=inspection.day.isoformat()))
    return redirect(url_for(".checklist", inspection_id=inspection.id))
