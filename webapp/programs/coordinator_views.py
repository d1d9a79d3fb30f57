"""The coordinator's program pages: cohorts and their settings, applications (eligibility and
its override, import), inspections (window, pairs, planning), the committee, the ranking with
its decisions, and the funnel."""

from __future__ import annotations

import threading
from collections import defaultdict

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.logins import ERRORS as LOGIN_ERRORS
from webapp.accounts.models import Role, User
from webapp.accounts.security import require_role
from webapp.accounts.service import AccountError
from webapp.core.audit import Entity, audit
from webapp.core.clock import seoul_today
from webapp.core.db import id_of
from webapp.core.ids import parse_id
from webapp.core.request_db import db
from webapp.directory.importing import ImportRejected
from webapp.directory.models import Mentor, Municipality
from webapp.programs import applications, cohorts, eligibility, evaluation, inspections, rubrics
from webapp.programs.application_models import Application
from webapp.programs.evaluation_models import ConflictOfInterest, EvaluationAssignment
from webapp.programs.funnel import STAGES, funnel, plot
from webapp.programs.inspection_models import Inspection, InspectionPair
from webapp.programs.models import Cohort
from webapp.programs.rubrics import checklist_of, rubric_of
from webapp.programs.text import Refused, label, unserved_reason
from webapp.ui.i18n import local_name

bp = Blueprint("programs", __name__, url_prefix="/coordinator/programs", template_folder="templates")
bp.before_request(require_role(Role.coordinator))
ROUTING_WAIT_SECONDS = 3.0


def _cohort(cohort_id: int) -> Cohort:
    cohort = db().get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def _application(cohort: Cohort, application_id: int) -> Application:
    application = db().get(Application, application_id)
    if application is None or application.cohort_id != id_of(cohort):
        abort(404)
    return application


def _flash_error(exc: Refused) -> None:
    flash(exc.text(), "error")


def _id(name: str) -> int:
    """A record id chosen in the form (0 when missing or not one: the service refuses it)."""
    return parse_id(request.form.get(name, "")) or 0


# --- cohorts -------------------------------------------------------------------------------


@bp.get("/")
def cohort_list():
    return render_template("programs/cohorts.html", cohorts=cohorts.cohorts(db()))


def _settings_page(cohort: Cohort | None, form: dict, errors: dict[str, str], status: int = 200):
    municipalities = sorted(db().exec(select(Municipality)), key=local_name)
    return render_template(
        "programs/cohort_form.html",
        cohort=cohort,
        form=form,
        errors=errors,
        municipalities=municipalities,
        max_tracks=cohorts.MAX_TRACKS,
    ), status


@bp.get("/new")
def cohort_new():
    return _settings_page(None, cohorts.as_form(db(), None), {})


@bp.get("/<id:cohort_id>/settings")
def cohort_edit(cohort_id: int):
    cohort = _cohort(cohort_id)
    return _settings_page(cohort, cohorts.as_form(db(), cohort), {})


@bp.post("/new")
@bp.post("/<id:cohort_id>/settings")
def cohort_save(cohort_id: int | None = None):
    cohort = _cohort(cohort_id) if cohort_id else None
    try:
        cohort = cohorts.save(db(), request.form, cohort, current_user.id)
    except cohorts.CohortInvalid as exc:
        return _settings_page(cohort, request.form.to_dict(), exc.messages(), 400)
    flash(_("The cohort is saved."), "success")
    return redirect(url_for(".cohort_home", cohort_id=id_of(cohort)))


@bp.get("/<id:cohort_id>/")
def cohort_home(cohort_id: int):
    cohort = _cohort(cohort_id)
    result = funnel(db(), cohort, local_name)
    names = {stage: label("stage", stage) for stage in STAGES}
    return render_template(
        "programs/funnel.html",
        cohort=cohort,
        funnel=result,
        stages=STAGES,
        track_plot=plot(result.by_track, names, _("Funnel per track")),
        municipality_plot=plot(result.by_municipality, names, _("Funnel per city and county")),
        apply_url=url_for("programs_public.form", cohort_id=id_of(cohort), _external=True),
    )


# --- the checklist and the rubric ----------------------------------------------------------


@bp.get("/<id:cohort_id>/sheets")
def sheets(cohort_id: int, kind: str = "", form: dict | None = None, errors: dict | None = None, status=200):
    """The cohort's inspection checklist and evaluation rubric, editable until sheets use them."""
    cohort = _cohort(cohort_id)
    cards = []
    for each in rubrics.KINDS:
        items = rubrics.items_of(cohort, each)
        if each == kind and form is not None:
            values = form
        else:
            values = {"basis": rubrics.basis(items)}
            for i, item in enumerate(items):
                values.update({f"item{i}_{k}": str(v) for k, v in item.items()})
                values[f"item{i}_order"] = str(i + 1)
        mine = errors if each == kind and errors else {}
        cards.append(
            {
                "kind": each,
                "form": values,
                "rows": min(rubrics.MAX_ITEMS, len(items) + 3),
                "scored": rubrics.sheets_scored(db(), id_of(cohort), each),
                "errors": mine,
                "problems": [(rubrics.field_label(each, field), text) for field, text in mine.items()],
            }
        )
    return render_template("programs/sheets.html", cohort=cohort, sheets=cards), status


@bp.post("/<id:cohort_id>/sheets/<any(checklist, rubric):kind>")
def sheet_save(cohort_id: int, kind: rubrics.Kind):
    cohort = _cohort(cohort_id)
    try:
        rubrics.save_items(db(), cohort, kind, request.form, current_user.id)
    except rubrics.SheetInvalid as exc:
        db().rollback()
        return sheets(
            id_of(cohort), kind, request.form.to_dict(), exc.messages(), 409 if exc.conflict else 400
        )
    flash(_("The checklist is saved.") if kind == "checklist" else _("The rubric is saved."), "success")
    return redirect(url_for(".sheets", cohort_id=id_of(cohort)) + f"#{kind}")


# --- applications --------------------------------------------------------------------------


@bp.get("/<id:cohort_id>/applications")
def application_list(cohort_id: int, import_errors: list | None = None, status: int = 200):
    cohort = _cohort(cohort_id)
    query = select(Application).where(Application.cohort_id == id_of(cohort))
    filters = {k: request.args.get(k, "") for k in ("eligibility", "track", "decision", "q")}
    if filters["eligibility"]:
        query = query.where(Application.eligibility == filters["eligibility"])
    if filters["track"]:
        query = query.where(Application.track == filters["track"])
    if filters["decision"]:
        query = query.where(Application.decision == filters["decision"])
    if filters["q"]:
        needle = f"%{filters['q'].strip()}%"
        query = query.where(
            col(Application.company_name).ilike(needle)
            | col(Application.business_reg_no).like(needle.replace("-", ""))
        )
    rows = db().exec(query.order_by(col(Application.id))).all()
    municipalities = {m.id: m for m in db().exec(select(Municipality))}
    return render_template(
        "programs/applications.html",
        cohort=cohort,
        rows=rows,
        filters=filters,
        municipalities=municipalities,
        tracks=applications.tracks_of(db(), cohort),
        import_errors=[str(problem) for problem in import_errors or []],
        reason_text=eligibility.reason_text,
    ), status


@bp.post("/<id:cohort_id>/applications/import")
def application_import(cohort_id: int):
    cohort = _cohort(cohort_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a .xlsx or .csv file."), "error")
        return redirect(url_for(".application_list", cohort_id=id_of(cohort)))
    try:
        added, updated = applications.import_applications(
            db(), cohort, upload.filename, upload.read(), current_user.id
        )
    except ImportRejected as exc:
        db().rollback()
        return application_list(id_of(cohort), import_errors=exc.errors, status=400)
    db().commit()
    flash(
        _("Applications imported: %(added)s added, %(updated)s updated.", added=added, updated=updated),
        "success",
    )
    return redirect(url_for(".application_list", cohort_id=id_of(cohort)))


@bp.get("/<id:cohort_id>/applications/<id:application_id>")
def application_detail(
    cohort_id: int,
    application_id: int,
    contact: dict | None = None,
    shown: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    """The application; `contact` the contact card's values as typed (the stored ones when
    None), `shown` the contact the card's form is based on (its save is conditional on it)."""
    session = db()
    cohort = _cohort(cohort_id)
    application = _application(cohort, application_id)
    stored = {name: getattr(application, name) for name in applications.CONTACT_FIELDS}
    history = session.exec(
        select(Inspection).where(Inspection.application_id == application.id).order_by(col(Inspection.id))
    ).all()
    assignments = session.exec(
        select(EvaluationAssignment, User)
        .join(User, col(User.id) == EvaluationAssignment.evaluator_id)
        .where(EvaluationAssignment.application_id == application.id)
    ).all()
    conflicted = {
        c.evaluator_id
        for c in session.exec(
            select(ConflictOfInterest).where(
                ConflictOfInterest.business_reg_no == application.business_reg_no
            )
        )
    }
    pairs = {p.id: inspections.pair_name(session, p) for p in inspections.pairs_of(session, id_of(cohort))}
    return render_template(
        "programs/application.html",
        cohort=cohort,
        application=application,
        municipality=session.get(Municipality, application.municipality_id),
        history=history,
        pairs=pairs,
        checklist=checklist_of(cohort),
        rubric=rubric_of(cohort),
        assignments=assignments,
        evaluators=[
            e
            for e in evaluation.evaluators(session)
            if e.id not in conflicted and e.id not in {u.id for _, u in assignments}
        ],
        reason_text=eligibility.reason_text,
        contact=contact or stored,
        contact_shown=shown or stored,
        contact_errors=errors or {},
    ), status


@bp.post("/<id:cohort_id>/applications/<id:application_id>/contact")
def application_contact(cohort_id: int, application_id: int):
    """The coordinator corrects the contact; a stale page (the contact changed since) is 409 and
    shows the contact as it is now, with what was typed kept in the form."""
    cohort = _cohort(cohort_id)
    application = _application(cohort, application_id)
    typed = {name: request.form.get(name, "") for name in applications.CONTACT_FIELDS}
    shown = {name: request.form.get(f"shown_{name}", "") for name in applications.CONTACT_FIELDS}
    try:
        changed = applications.correct_contact(db(), application, typed, shown, current_user.id)
    except applications.ApplicationInvalid as exc:
        _flash_error(exc)
        if exc.conflict:
            return application_detail(id_of(cohort), id_of(application), typed, None, exc.messages(), 409)
        return application_detail(id_of(cohort), id_of(application), typed, shown, exc.messages(), 400)
    flash(_("The contact is saved.") if changed else _("The contact is unchanged."), "success")
    return redirect(
        url_for(".application_detail", cohort_id=id_of(cohort), application_id=application.id) + "#contact"
    )


@bp.post("/<id:cohort_id>/applications/<id:application_id>/link")
def application_send_link(cohort_id: int, application_id: int):
    cohort = _cohort(cohort_id)
    application = _application(cohort, application_id)
    applications.send_link(db(), application, current_user.id)
    flash(
        _("A new link to the application is mailed to %(email)s.", email=application.contact_email), "success"
    )
    # to the page's top, where the confirmation is (on a phone #contact would scroll it away)
    return redirect(url_for(".application_detail", cohort_id=id_of(cohort), application_id=application.id))


@bp.post("/<id:cohort_id>/applications/<id:application_id>/eligibility")
def application_override(cohort_id: int, application_id: int):
    cohort = _cohort(cohort_id)
    application = _application(cohort, application_id)
    try:
        if request.form.get("clear"):
            eligibility.clear_override(db(), application, current_user.id)
        else:
            eligibility.override(
                db(),
                application,
                request.form.get("eligible") == "1",
                request.form.get("note", ""),
                current_user.id,
            )
        flash(_("Eligibility saved."), "success")
    except Refused as exc:
        _flash_error(exc)
    return redirect(url_for(".application_detail", cohort_id=id_of(cohort), application_id=application.id))


@bp.post("/<id:cohort_id>/applications/<id:application_id>/closed")
def application_closed(cohort_id: int, application_id: int):
    """The coordinator's check of the business status (closed or suspended)."""
    cohort = _cohort(cohort_id)
    application = _application(cohort, application_id)
    application.closed = request.form.get("closed") == "1"
    eligibility.assess(db(), cohort, application)
    audit(
        db(),
        current_user.id,
        "application_closed_checked",
        Entity.application,
        application.id,
        closed=application.closed,
    )
    db().commit()
    return redirect(url_for(".application_detail", cohort_id=id_of(cohort), application_id=application.id))


@bp.post("/<id:cohort_id>/applications/<id:application_id>/assign")
def application_assign(cohort_id: int, application_id: int):
    cohort = _cohort(cohort_id)
    application = _application(cohort, application_id)
    try:
        evaluation.assign(db(), application, _id("evaluator"), current_user.id)
        db().commit()
    except evaluation.EvaluationError as exc:
        db().rollback()
        _flash_error(exc)
    return redirect(url_for(".application_detail", cohort_id=id_of(cohort), application_id=application.id))


# --- inspections ---------------------------------------------------------------------------


@bp.get("/<id:cohort_id>/inspections")
def inspection_plan(cohort_id: int, window_errors: dict | None = None, status: int = 200):
    session = db()
    cohort = _cohort(cohort_id)
    pairs = inspections.pairs_of(session, id_of(cohort))
    mentors = {m.id: m for m in session.exec(select(Mentor).order_by(col(Mentor.name)))}
    rows = session.exec(
        select(Inspection, Application)
        .join(Application, col(Application.id) == Inspection.application_id)
        .where(Inspection.cohort_id == id_of(cohort))
        .order_by(col(Inspection.day), col(Inspection.pair_id), col(Inspection.starts_at))
    ).all()
    by_day: dict = defaultdict(lambda: defaultdict(list))
    for inspection, application in rows:
        if inspection.state != "cancelled":
            by_day[inspection.day][inspection.pair_id].append((inspection, application))
    run = inspections.latest_run(session, id_of(cohort))
    unserved = []
    if run is not None:
        for item in run.unserved:
            unserved.append((session.get(Application, item["application"]), unserved_reason(item["reason"])))
    busy = {m for p in pairs for m in (p.mentor_a_id, p.mentor_b_id)}
    return render_template(
        "programs/inspections.html",
        cohort=cohort,
        days=inspections.window_days(session, cohort),
        today=seoul_today(),
        pairs=pairs,
        pair_names={p.id: inspections.pair_name(session, p) for p in pairs},
        mentors=mentors,
        free_mentors=[m for m in mentors.values() if m.active and m.id not in busy],
        by_day=dict(sorted(by_day.items())),
        run=run,
        unserved=unserved,
        declined_waiting=id_of(cohort) in inspections.replan_due(session),
        window_errors=window_errors or {},
        counts={
            s: sum(1 for i, _ in rows if i.state == s) for s in ("proposed", "confirmed", "declined", "done")
        },
    ), status


@bp.post("/<id:cohort_id>/inspections/window")
def inspection_window(cohort_id: int):
    cohort = _cohort(cohort_id)
    try:
        inspections.save_window(db(), cohort, request.form.to_dict(), current_user.id)
    except inspections.InspectionError as exc:
        db().rollback()
        return inspection_plan(id_of(cohort), exc.messages(), 400)
    flash(_("The inspection window is saved."), "success")
    return redirect(url_for(".inspection_plan", cohort_id=id_of(cohort)))


@bp.post("/<id:cohort_id>/inspections/pairs")
def inspection_pair_add(cohort_id: int):
    cohort = _cohort(cohort_id)
    try:
        inspections.add_pair(
            db(),
            cohort,
            _id("mentor_a"),
            _id("mentor_b"),
            request.form.get("start_from", ""),
            request.form.getlist("days"),
            current_user.id,
        )
        flash(_("The pair is added."), "success")
    except inspections.InspectionError as exc:
        _flash_error(exc)
    return redirect(url_for(".inspection_plan", cohort_id=id_of(cohort)))


@bp.post("/<id:cohort_id>/inspections/pairs/<id:pair_id>/remove")
def inspection_pair_remove(cohort_id: int, pair_id: int):
    cohort = _cohort(cohort_id)
    pair = db().get(InspectionPair, pair_id)
    if pair is None or pair.cohort_id != id_of(cohort):
        abort(404)
    try:
        inspections.remove_pair(db(), pair, current_user.id)
    except inspections.InspectionError as exc:
        _flash_error(exc)
    return redirect(url_for(".inspection_plan", cohort_id=id_of(cohort)))


@bp.post("/<id:cohort_id>/inspections/plan")
def inspection_route(cohort_id: int):
    """Plan (or replan around the confirmed ones) in the background; short solves are waited for."""
    cohort = _cohort(cohort_id)
    try:
        inspections.build_plan(db(), cohort)  # refuse a plan without window or pairs at once
        run = inspections.start_routing(db(), cohort, current_user.id)
    except inspections.InspectionError as exc:
        _flash_error(exc)
        return redirect(url_for(".inspection_plan", cohort_id=id_of(cohort)))
    limit = float(current_app.config.get("ROUTING_TIME_LIMIT", inspections.DEFAULT_TIME_LIMIT))
    solver = threading.Thread(
        target=inspections.finish_routing,
        args=(current_app._get_current_object(), id_of(run), limit),  # type: ignore[attr-defined]
        name=f"inspection-routing-{run.id}",
        daemon=True,
    )
    solver.start()
    solver.join(float(current_app.config.get("ROUTING_WAIT_SECONDS", ROUTING_WAIT_SECONDS)))
    return redirect(url_for(".inspection_plan", cohort_id=id_of(cohort)))


# --- the committee and the ranking ---------------------------------------------------------


@bp.get("/<id:cohort_id>/evaluation")
def committee(cohort_id: int, new_login: tuple | None = None, errors: dict | None = None, status: int = 200):
    session = db()
    cohort = _cohort(cohort_id)
    members = evaluation.evaluators(session)
    load: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0])
    for assignment in session.exec(
        select(EvaluationAssignment).join(Application).where(Application.cohort_id == id_of(cohort))
    ):
        load[assignment.evaluator_id][0] += 1
        load[assignment.evaluator_id][1] += assignment.submitted_at is not None
    conflicts = defaultdict(list)
    for c in session.exec(select(ConflictOfInterest).order_by(col(ConflictOfInterest.id))):
        conflicts[c.evaluator_id].append(c)
    return render_template(
        "programs/committee.html",
        cohort=cohort,
        members=members,
        load=load,
        conflicts=conflicts,
        new_login=new_login,
        errors=errors or {},
        panel=evaluation.DEFAULT_PANEL,
        to_evaluate=len(evaluation.to_evaluate(session, cohort)),
    ), status


@bp.post("/<id:cohort_id>/evaluation/evaluators")
def evaluator_create(cohort_id: int):
    cohort = _cohort(cohort_id)
    try:
        user, password = evaluation.create_evaluator(
            db(), request.form.get("email", ""), request.form.get("name", ""), current_user.id
        )
    except AccountError as exc:
        db().rollback()
        return committee(id_of(cohort), errors={"email": str(LOGIN_ERRORS.get(exc.code, exc))}, status=400)
    db().commit()
    return committee(id_of(cohort), new_login=(user.email, password))


@bp.post("/<id:cohort_id>/evaluation/conflicts")
def conflict_declare(cohort_id: int):
    cohort = _cohort(cohort_id)
    try:
        withdrawn = evaluation.declare_conflict(
            db(),
            _id("evaluator"),
            request.form.get("business_reg_no", ""),
            request.form.get("reason", ""),
            current_user.id,
        )
        flash(_("Conflict of interest recorded; %(n)s assignment(s) withdrawn.", n=withdrawn), "success")
    except evaluation.EvaluationError as exc:
        _flash_error(exc)
    return redirect(url_for(".committee", cohort_id=id_of(cohort)))


@bp.post("/<id:cohort_id>/evaluation/assign")
def assign_all(cohort_id: int):
    cohort = _cohort(cohort_id)
    try:
        panel = min(evaluation.MAX_PANEL, parse_id(request.form.get("panel", "")) or evaluation.DEFAULT_PANEL)
        added = evaluation.auto_assign(db(), cohort, current_user.id, panel)
        flash(_("%(n)s assignments made.", n=added), "success")
    except evaluation.EvaluationError as exc:
        _flash_error(exc)
    return redirect(url_for(".committee", cohort_id=id_of(cohort)))


@bp.get("/<id:cohort_id>/ranking")
def ranking(cohort_id: int):
    cohort = _cohort(cohort_id)
    return render_template(
        "programs/ranking.html",
        cohort=cohort,
        tracks=evaluation.ranking(db(), cohort),
    )


@bp.post("/<id:cohort_id>/applications/<id:application_id>/decision")
def decide(cohort_id: int, application_id: int):
    cohort = _cohort(cohort_id)
    application = _application(cohort, application_id)
    try:
        evaluation.decide(
            db(),
            application,
            request.form.get("decision", ""),
            request.form.get("reason", ""),
            request.form.get("expected", ""),
            current_user.id,
        )
        flash(_("Decision saved; the company is told by email."), "success")
    except evaluation.EvaluationError as exc:
        _flash_error(exc)
    target = request.form.get("back") == "ranking"
    if target:
        return redirect(url_for(".ranking", cohort_id=id_of(cohort)) + f"#a{application.id}")
    return redirect(url_for(".application_detail", cohort_id=id_of(cohort), application_id=application.id))
