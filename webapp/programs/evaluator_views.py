"""The evaluator's pages: my assigned applications (never another's: 404), the rubric to score,
and declaring a conflict of interest with a company."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.accounts.security import require_role
from webapp.core.request_db import db
from webapp.directory.models import Industry, Municipality
from webapp.programs import evaluation
from webapp.programs.application_models import Application
from webapp.programs.evaluation_models import ConflictOfInterest, EvaluationAssignment
from webapp.programs.inspection_models import Inspection, InspectionState
from webapp.programs.models import Cohort
from webapp.programs.rubrics import checklist_of, rubric_of

bp = Blueprint("evaluator", __name__, url_prefix="/evaluator", template_folder="templates")
bp.before_request(require_role(Role.evaluator))


@bp.get("/")
def home():
    session = db()
    rows = session.exec(
        select(EvaluationAssignment, Application, Cohort)
        .join(Application, col(Application.id) == EvaluationAssignment.application_id)
        .join(Cohort, col(Cohort.id) == Application.cohort_id)
        .where(EvaluationAssignment.evaluator_id == current_user.id)
        .order_by(col(EvaluationAssignment.submitted_at).is_not(None), Application.track, Application.id)
    ).all()
    conflicts = session.exec(
        select(ConflictOfInterest).where(ConflictOfInterest.evaluator_id == current_user.id)
    ).all()
    return render_template("programs/evaluator_home.html", rows=rows, conflicts=conflicts)


def _mine(assignment_id: int) -> EvaluationAssignment:
    assignment = evaluation.assignment_for(db(), assignment_id, current_user)
    if assignment is None:
        abort(404)
    return assignment


def _score_page(assignment, values=None, errors=None, status=200):
    session = db()
    application = session.get(Application, assignment.application_id)
    cohort = session.get(Cohort, application.cohort_id)
    inspection = session.exec(
        select(Inspection).where(
            Inspection.application_id == application.id, Inspection.state == InspectionState.done.value
        )
    ).first()
    return render_template(
        "programs/score.html",
        assignment=assignment,
        application=application,
        cohort=cohort,
        industry=session.get(Industry, application.industry_code),
        municipality=session.get(Municipality, application.municipality_id),
        rubric=rubric_of(cohort),
        checklist=checklist_of(cohort),
        inspection=inspection,
        values=values
        if values is not None
        else {**{k: str(v) for k, v in assignment.scores.items()}, "comment": assignment.comment},
        errors=errors or {},
    ), status


@bp.get("/assignments/<id:assignment_id>")
def score(assignment_id: int):
    return _score_page(_mine(assignment_id))


@bp.post("/assignments/<id:assignment_id>")
def score_save(assignment_id: int):
    assignment = _mine(assignment_id)
    try:
        evaluation.submit_scores(db(), assignment, request.form.to_dict(), current_user.id)
    except evaluation.EvaluationError as exc:
        db().rollback()
        return _score_page(assignment, request.form.to_dict(), exc.messages(), 409 if exc.conflict else 400)
    flash(_("Your scores are saved."), "success")
    return redirect(url_for(".home"))


@bp.post("/conflicts")
def conflict():
    try:
        withdrawn = evaluation.declare_conflict(
            db(),
            current_user.id,
            request.form.get("business_reg_no", ""),
            request.form.get("reason", ""),
            current_user.id,
        )
        flash(_("Conflict of interest recorded; %(n)s assignment(s) withdrawn.", n=withdrawn), "success")
    except evaluation.EvaluationError as exc:
        flash(exc.text(), "error")
    return redirect(url_for(".home"))
