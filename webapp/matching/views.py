"""Matching runs: run now with parameters, review a proposal against what is in force, approve."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlmodel import col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.accounts.models import User
from webapp.core.clock import aware, utcnow
from webapp.core.db import get_existing
from webapp.core.inputs import whole_number
from webapp.core.request_db import db
from webapp.desk.steering import steering_of_rows
from webapp.directory.importing.brn import format_brn
from webapp.directory.models import IN_PROGRAM, Company, Mentor, Municipality
from webapp.directory.queries import paginate
from webapp.matching.models import Assignment, MatchingRun, RunStatus, RunTrigger
from webapp.matching.params import DEFAULT_PARAMS, PARAM_LABELS, PARAM_LIMITS, validate_params
from webapp.matching.reasons import reason_text
from webapp.matching.review import (
    KINDS,
    SORTS,
    ReviewFilter,
    compare_runs,
    consequences,
    industries,
    load_review,
    mentor_loads,
    offer_progress,
    review_page,
    review_rows,
)
from webapp.matching.service import (
    RunInProgress,
    RunStateError,
    StaleReview,
    approve_run,
    decide,
    discard_run,
    finish_run,
    in_force_basis,
    start_run,
)
from webapp.ui.export import Column, export_response
from webapp.ui.labels import label
from webapp.ui.mapdata import INLINE_LIMIT, assignment_map
from webapp.visits.offering import offer_in_background

REVIEW_PAGE_SIZE = 50
# After approval the run page follows the background offers this long (some companies may get
# no time at all, e.g. their mentor has no free window: the page must not refresh forever).
OFFERING_WATCH = timedelta(minutes=10)
SOLVED = (RunStatus.proposed.value, RunStatus.approved.value, RunStatus.discarded.value)
RUN_WAIT_SECONDS = 5  # "Run matching now" waits this long for the solver before showing the page
REFRESH_SECONDS = 5  # a running run's page reloads itself this often


def _runs_page(values: dict, errors: dict, status: int = 200):
    page = paginate(
        db(),
        select(MatchingRun).order_by(col(MatchingRun.id).desc()),
        request.args.get("page", 1, type=whole_number),
        size=20,
    )
    return render_template(
        "matching/runs.html",
        page=page,
        values=values,
        errors=errors,
        limits=PARAM_LIMITS,
        labels=PARAM_LABELS,
    ), status


@bp.get("/runs")
def runs():
    return _runs_page({k: str(v) for k, v in DEFAULT_PARAMS.items()}, {})


@bp.post("/runs")
def run_now():
    raw = {name: request.form.get(name, "") for name in PARAM_LIMITS}
    params, errors = validate_params(raw)
    if errors:
        return _runs_page(raw, errors, 400)
    engine = current_app.extensions["engine"]
    try:
        run_id = start_run(
            engine, trigger=RunTrigger.manual, params=params, user_id=current_user.id, trigger_key=None
        )
    except RunInProgress:
        abort(409, _("A matching run is already in progress. Wait for it to finish, then look again."))
    # The solve runs beside the request: a search with side rules may take up to its time limit
    # (600 s at most), longer than a web worker may hold a request. Short runs are waited for.
    solver = threading.Thread(
        target=finish_run,
        args=(engine, run_id, params),
        kwargs={"user_id": current_user.id},
        name=f"matching-run-{run_id}",
        daemon=True,
    )
    solver.start()
    solver.join(RUN_WAIT_SECONDS)
    if db().get(MatchingRun, run_id).status == RunStatus.failed:
        flash(_("The matching run failed; see its error below."), "error")
    return redirect(url_for("coordinator.run_review", run_id=run_id))


def _run_or_404(run_id: int) -> MatchingRun:
    run = db().get(MatchingRun, run_id)
    if run is None:
        abort(404)
    return run


def _chosen() -> ReviewFilter:
    args = request.args
    return ReviewFilter(
        kind=args.get("show", "") if args.get("show") in KINDS else "",
        mentor=args.get("mentor", type=int),
        municipality=args.get("municipality", type=int),
        industry=args.get("industry", ""),
        q=args.get("q", ""),
        sort=args.get("sort", "change") if args.get("sort") in SORTS else "change",
        descending=args.get("desc") == "1",
    )


def _options(choices, selected) -> Markup:
    """<option>s of a filter's select, joined here: a national program has hundreds of mentors,
    and a template loop over them costs more than the rest of the page's table."""
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            value, Markup(" selected") if value == selected else "", text
        )
        for value, text in choices
    )


@bp.get("/runs/<id:run_id>")
def run_review(run_id: int):
    session = db()
    run = _run_or_404(run_id)
    review = load_review(session, run)
    chosen = _chosen()
    page = review_page(session, run, chosen, request.args.get("page", 1, type=whole_number), REVIEW_PAGE_SIZE)
    per_mentor = request.args.get("view") == "mentors"
    progress = offer_progress(session, run) if run.status == RunStatus.approved.value else None
    drawn = None
    if request.args.get("view") == "map" or review.total <= INLINE_LIMIT:
        assignments = session.exec(select(Assignment).where(Assignment.run_id == run.id)).all()
        companies = session.exec(select(Company).where(col(Company.status).in_(IN_PROGRAM))).all()
        drawn = assignment_map(session, assignments, companies, _("Run %(id)s", id=run.id))
    return render_template(
        "matching/run.html",
        run=run,
        review=review,
        chosen=chosen,
        page=page,
        steering=steering_of_rows(session, [row.company_id for row in page.items]),
        per_mentor=mentor_loads(session, run) if per_mentor else None,
        mentor_options=_options(
            session.execute(sa.select(col(Mentor.id), col(Mentor.name)).order_by(col(Mentor.name))),
            chosen.mentor,
        ),
        municipalities=session.exec(select(Municipality).order_by(Municipality.name_ko)).all(),
        industries=industries(session),
        kinds=KINDS,
        sorts=SORTS,
        approver=session.get(User, run.approved_by_id) if run.approved_by_id else None,
        progress=progress,
        offering=bool(
            progress
            and progress[0] < progress[1]
            and run.approved_at
            and aware(run.approved_at) > utcnow() - OFFERING_WATCH
        ),
        other_runs=session.exec(
            select(MatchingRun.id)
            .where(MatchingRun.id != run.id, col(MatchingRun.status).in_(SOLVED))
            .order_by(col(MatchingRun.id).desc())
            .limit(20)
        ).all(),
        map=drawn,
        labels=PARAM_LABELS,
        refresh_seconds=REFRESH_SECONDS,
    )


def review_columns() -> list[Column]:
    """The columns of a run's proposal as a spreadsheet, in the page's language."""
    return [
        Column(_("Company"), lambda r: r.company_name, width=28),
        Column(_("Business no."), lambda r: format_brn(r.business_reg_no), width=14),
        Column(_("Municipality"), lambda r: r.municipality, width=10),
        Column(_("Industry"), lambda r: r.industry, width=8),
        Column(_("Change"), lambda r: label("review_kind", r.kind), width=10),
        Column(_("Mentor now"), lambda r: r.old_mentor, width=12),
        Column(_("Proposed mentor"), lambda r: r.new_mentor, width=12),
        Column("km", lambda r: r.km, "km", width=8),
        Column(_("fit"), lambda r: r.fit, "int", width=6),
        Column(_("Reasons"), lambda r: "; ".join(map(reason_text, r.reasons)), width=60),
        Column(_("Contact"), lambda r: r.contact_name, width=12),
        Column(_("Phone"), lambda r: r.contact_phone, width=14),
        Column(_("Email"), lambda r: r.contact_email, width=24),
    ]


@bp.get("/runs/<id:run_id>/export.<fmt>")
def run_export(run_id: int, fmt: str):
    run = _run_or_404(run_id)
    rows = review_rows(db(), run, _chosen())
    title = _("Run %(id)s", id=run.id)
    return export_response(fmt, f"run-{run.id}", title, review_columns(), rows)


@bp.get("/runs/compare")
def run_compare():
    session = db()
    left = _run_or_404(request.args.get("a", 0, type=int))
    right = _run_or_404(request.args.get("b", 0, type=int))
    return render_template(
        "matching/run_compare.html", left=left, right=right, rows=compare_runs(session, left, right)
    )


@bp.get("/runs/<id:run_id>/<any(approve, discard):action>")
def run_confirm(run_id: int, action: str):
    """Before approving or discarding: what it will do, in numbers, and a button to go on."""
    session = db()
    run = _run_or_404(run_id)
    review = load_review(session, run)
    return render_template(
        "matching/run_confirm.html",
        run=run,
        action=action,
        review=review,
        effects=consequences(session, run, review),
        basis=in_force_basis(session),
    )


def _decide(run_id: int, action, done_message: str, **options) -> None:
    """Approve or discard; a lost race or a stale page is 409 with what happened."""
    _run_or_404(run_id)
    db().rollback()  # end this session's reads; the decision runs in a transaction of its own
    try:
        decide(current_app.extensions["engine"], action, run_id, current_user.id, **options)
    except StaleReview:
        abort(409, _("Another run was approved after you opened this page. Review this run again."))
    except RunStateError:
        status = label("run_status", get_existing(db(), MatchingRun, run_id).status)
        abort(409, _("This run can no longer be approved or discarded (it is %(status)s).", status=status))
    flash(done_message, "success")


@bp.post("/runs/<id:run_id>/approve")
def run_approve(run_id: int):
    basis = request.form.get("basis", type=int)
    if basis is None:  # only from the confirmation page, which states what approving does
        return redirect(url_for("coordinator.run_confirm", run_id=run_id, action="approve"))
    _decide(run_id, approve_run, _("Run approved: its assignments are now in force."), basis=basis)
    offer_in_background()
    return redirect(url_for("coordinator.run_review", run_id=run_id))


@bp.post("/runs/<id:run_id>/discard")
def run_discard(run_id: int):
    if request.form.get("confirmed") != "1":
        return redirect(url_for("coordinator.run_confirm", run_id=run_id, action="discard"))
    _decide(run_id, discard_run, _("Run discarded."))
    return redirect(url_for("coordinator.run_review", run_id=run_id))
