"""Steering the next matching run from the company's page: "never this mentor for this
company" (a conflict of interest, with its reason). Stored as MentorExclusion, which
webapp.matching.service.build_instance already gives the solver; every change is audited."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.audit import Entity, audit
from webapp.core.db import id_of
from webapp.core.request_db import db
from webapp.directory.models import Company, Mentor, MentorExclusion

MAX_REASON = 200


def exclusions_of(session: Session, company_id: int) -> list[tuple[MentorExclusion, Mentor]]:
    return list(
        session.exec(
            select(MentorExclusion, Mentor)
            .join(Mentor, col(Mentor.id) == col(MentorExclusion.mentor_id))
            .where(MentorExclusion.company_id == company_id)
            .order_by(col(Mentor.name))
        )
    )


def _back(company_id: int):
    return redirect(url_for("coordinator.record_edit", kind="companies", record_id=company_id) + "#steering")


@bp.post("/companies/<id:company_id>/exclusions")
def exclusion_add(company_id: int):
    session = db()
    if session.get(Company, company_id) is None:
        abort(404)
    mentor = session.get(Mentor, request.form.get("mentor_id", 0, type=int))
    reason = request.form.get("reason", "").strip()
    if mentor is None:
        flash(_("Mentor: choose a mentor."), "error")
        return _back(company_id)
    if not reason or len(reason) > MAX_REASON:
        flash(_("Reason: required, at most %(n)s characters.", n=MAX_REASON), "error")
        return _back(company_id)
    session.add(MentorExclusion(mentor_id=id_of(mentor), company_id=company_id, reason=reason))
    audit(
        session,
        current_user.id,
        "exclusion_added",
        Entity.company,
        company_id,
        mentor_id=mentor.id,
        reason=reason,
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        flash(_("%(name)s is already excluded for this company.", name=mentor.name), "error")
        return _back(company_id)
    flash(
        _("%(name)s will not be matched with this company from the next run on.", name=mentor.name), "success"
    )
    return _back(company_id)


@bp.post("/companies/<id:company_id>/exclusions/<id:mentor_id>/delete")
def exclusion_remove(company_id: int, mentor_id: int):
    session = db()
    exclusion = session.get(MentorExclusion, (mentor_id, company_id))
    if exclusion is None:
        abort(404)
    session.delete(exclusion)
    audit(session, current_user.id, "exclusion_removed", Entity.company, company_id, mentor_id=mentor_id)
    session.commit()
    flash(_("The exclusion was removed."), "success")
    return _back(company_id)
