"""The public pages (no account): apply to an open cohort, the applicant's own page behind the
signed link (see and correct the application until the period closes; confirm the offered
inspection time or ask for another), and the page that mails the link again when it expired or
got lost. Korean first, rate-limited against bots."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.core.db import get_existing
from webapp.core.request_db import db
from webapp.directory.importing.brn import format_brn
from webapp.extensions import limiter
from webapp.programs import applications as service
from webapp.programs import inspections
from webapp.programs.models import Cohort
from webapp.programs.text import form_choices

bp = Blueprint("programs_public", __name__, url_prefix="/apply", template_folder="templates")


def apply_rate_limit() -> str:
    return current_app.config["APPLY_RATE_LIMIT"]


def _cohort(cohort_id: int) -> Cohort:
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


@bp.get("/")
def index():
    cohorts = service.open_cohorts(db())
    if len(cohorts) == 1:
        return redirect(url_for(".form", cohort_id=cohorts[0].id))
    return render_template("programs/apply_index.html", cohorts=cohorts)


def _form_page(cohort: Cohort, values: dict, errors: dict, status: int = 200):
    return render_template(
        "programs/apply.html",
        cohort=cohort,
        values=values,
        errors=errors,
        is_open=service.is_open(cohort),
        tracks=service.tracks_of(db(), cohort),
        **form_choices(db()),
    ), status


@bp.get("/<id:cohort_id>")
def form(cohort_id: int):
    return _form_page(_cohort(cohort_id), {}, {})


@bp.post("/<id:cohort_id>")
@limiter.limit(apply_rate_limit)
def submit(cohort_id: int):
    cohort = _cohort(cohort_id)
    values = {name: request.form.get(name, "") for name in service.FORM_FIELDS}
    values["consent"] = "yes" if request.form.get("consent") else "no"
    try:
        application = service.submit(db(), cohort, values, locale=str(get_locale()))
    except service.ApplicationsClosed:
        return _form_page(cohort, values, {}, 409)
    except service.ApplicationInvalid as exc:
        return _form_page(cohort, values, exc.messages(), 400)
    flash(
        _(
            "Your application is stored. We sent the link to this page to %(email)s.",
            email=application.contact_email,
        ),
        "success",
    )
    return redirect(url_for(".mine", token=service.link_token(application)))


def _mine(token: str):
    """The link's application; a forged, expired or old untimed link gets the page that mails a
    fresh one (404, whatever was asked of the link)."""
    application = service.from_token(db(), token)
    if application is None:
        abort(make_response(_link_page({}, {}, expired=True, status=404)))
    return application


def _mine_page(token: str, values: dict | None = None, errors: dict | None = None, status: int = 200):
    session = db()
    application = _mine(token)
    cohort = get_existing(session, Cohort, application.cohort_id)
    return render_template(
        "programs/mine.html",
        token=token,
        application=application,
        cohort=cohort,
        brn=format_brn(application.business_reg_no),
        values=values or service.as_fields(session, application),
        # what the correction form is based on: the page's own unless a refused form is shown
        basis=request.form.get("basis") if errors and values else service.shown_basis(session, application),
        errors=errors or {},
        editing=bool(errors),
        is_open=service.is_open(cohort),
        tracks=service.tracks_of(session, cohort),
        inspection=inspections.offered_to(session, application),
        **form_choices(session),
    ), status


@bp.get("/mine/<token>")
def mine(token: str):
    return _mine_page(token)


@bp.post("/mine/<token>")
@limiter.limit(apply_rate_limit)
def correct(token: str):
    application = _mine(token)
    values = {name: request.form.get(name, "") for name in service.EDITABLE}
    try:
        service.correct(db(), application, values, request.form.get("basis", ""), locale=str(get_locale()))
    except service.ApplicationsClosed:
        flash(_("The application period has closed; the application can no longer be changed."), "error")
        return _mine_page(token, status=409)
    except service.ApplicationInvalid as exc:
        if exc.conflict:  # the application as it is now, with a fresh basis: saving again is deliberate
            flash(str(exc.messages()["application"]), "error")
            return _mine_page(token, status=409)
        return _mine_page(token, {**service.as_fields(db(), application), **values}, exc.messages(), 400)
    flash(_("Your corrections are saved."), "success")
    return redirect(url_for(".mine", token=token))


@bp.post("/mine/<token>/inspection/<id:inspection_id>")
@limiter.limit(apply_rate_limit)
def answer(token: str, inspection_id: int):
    application = _mine(token)
    try:
        if request.form.get("answer") == "confirm":
            inspections.confirm(db(), application, inspection_id)
            flash(_("Thank you: the inspection time is confirmed."), "success")
        else:
            inspections.decline(db(), application, inspection_id, request.form.get("note", ""))
            flash(_("We will offer you another time soon."), "success")
    except inspections.InspectionError as exc:
        flash(exc.text(), "error")
        return _mine_page(token, status=409 if exc.conflict else 400)
    return redirect(url_for(".mine", token=token))


def _link_page(values: dict, errors: dict, *, expired: bool = False, status: int = 200):
    return render_template(
        "programs/link.html",
        values=values,
        errors=errors,
        expired=expired,
        max_age_days=service.LINK_MAX_AGE.days,
    ), status


@bp.get("/link")
def link():
    return _link_page({}, {})


@bp.post("/link")
@limiter.limit(apply_rate_limit)
def resend():
    values = {column.name: request.form.get(column.name, "") for column in service.RESEND_COLUMNS}
    try:
        service.resend_links(db(), values, locale=str(get_locale()))
    except service.ApplicationInvalid as exc:
        flash(exc.text(), "error")
        return _link_page(values, exc.messages(), status=400)
    # The same answer whether an application matched or not: the form tells nobody who applied.
    flash(
        _(
            "If an application of a current program year has this business registration number and "
            "contact email, we have sent a new link to that email. It can take a few minutes; look "
            "in the spam folder too."
        ),
        "success",
    )
    return redirect(url_for(".link"))


@bp.app_template_global("plabel")
def _label(group: str, value) -> str:
    from webapp.programs.text import label

    return label(group, value)


@bp.app_template_global("photos_of")
def _photos_of(inspection_id: int) -> list:
    from webapp.programs.photos import photos_of

    return photos_of(db(), inspection_id)


@bp.app_template_filter("kdate")
def _kdate(day) -> str:
    from webapp.programs.dates import korean_date

    return korean_date(day)


@bp.app_template_filter("kdatetime")
def _kdatetime(moment) -> str:
    from webapp.programs.dates import korean_datetime

    return korean_datetime(moment) if moment else ""


@bp.app_template_filter("ktime")
def _ktime(moment) -> str:
    from webapp.core.clock import local_time

    return local_time(moment).strftime("%H:%M")


@bp.app_template_filter("item_label")
def _item_label(item: dict) -> str:
    from webapp.programs.rubrics import item_label

    return item_label(item)
