"""Steering the next matching runs by hand, from the run review's rows and the company's and
the mentor's pages: pin a company to a mentor ("this company keeps this mentor", CompanyPin)
and exclude a pair ("never this pair", MentorExclusion, with its reason).
webapp.matching.service.build_instance gives both to the solver; every change is audited.

The rules: an exclusion needs a reason; a pin needs an active mentor who is not excluded for
the company and has room for another pin (their capacity); a company has one pin, and a pinned
pair cannot be excluded. The database settles races: a company's second pin and a pair's second
exclusion are refused by their primary keys, a removal by its row count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.audit import Entity, audit
from webapp.core.db import id_of
from webapp.core.request_db import db
from webapp.directory.models import IN_PROGRAM, Company, Mentor, MentorExclusion
from webapp.matching.models import CompanyPin
from webapp.ui.labels import label
from webapp.ui.urls import safe_next

MAX_REASON = 200


class SteeringRefused(ValueError):
    """A pin or an exclusion the rules refuse; the message names the field, in the page's language."""


# --- reading --------------------------------------------------------------------------------


@dataclass
class RowSteering:
    """What a run review row shows: the company's pin and the mentors excluded for it."""

    pinned_to: int | None = None
    pinned_name: str = ""
    excluded: dict[int, str] = field(default_factory=dict)  # mentor id -> reason


def steering_of_rows(session: Session, company_ids: list[int]) -> dict[int, RowSteering]:
    """The pins and exclusions of the companies on a page: two queries whatever the rows."""
    rows = {company_id: RowSteering() for company_id in company_ids}
    pins: Sequence[Any] = session.execute(
        sa.select(col(CompanyPin.company_id), col(CompanyPin.mentor_id), col(Mentor.name))
        .join(Mentor, col(Mentor.id) == col(CompanyPin.mentor_id))
        .where(col(CompanyPin.company_id).in_(company_ids))
    ).all()
    for company_id, mentor_id, name in pins:
        rows[company_id].pinned_to, rows[company_id].pinned_name = mentor_id, name
    exclusions: Sequence[Any] = session.execute(
        sa.select(
            col(MentorExclusion.company_id), col(MentorExclusion.mentor_id), col(MentorExclusion.reason)
        ).where(col(MentorExclusion.company_id).in_(company_ids))
    ).all()
    for company_id, mentor_id, reason in exclusions:
        rows[company_id].excluded[mentor_id] = reason
    return rows


def steering_of(session: Session, kind: str, record) -> dict:
    """What the steering section of a company's or a mentor's page shows."""
    if kind == "companies":
        return {
            "pin": session.exec(
                select(CompanyPin, Mentor)
                .join(Mentor, col(Mentor.id) == col(CompanyPin.mentor_id))
                .where(CompanyPin.company_id == record.id)
            ).first(),
            "exclusions": session.exec(
                select(MentorExclusion, Mentor)
                .join(Mentor, col(Mentor.id) == col(MentorExclusion.mentor_id))
                .where(MentorExclusion.company_id == record.id)
                .order_by(col(Mentor.name))
            ).all(),
            "mentors": session.execute(
                sa.select(col(Mentor.id), col(Mentor.name))
                .where(col(Mentor.active))
                .order_by(col(Mentor.name))
            ).all(),
        }
    return {
        "pins": session.exec(
            select(CompanyPin, Company)
            .join(Company, col(Company.id) == col(CompanyPin.company_id))
            .where(CompanyPin.mentor_id == record.id)
            .order_by(col(Company.name))
        ).all(),
        "exclusions": session.exec(
            select(MentorExclusion, Company)
            .join(Company, col(Company.id) == col(MentorExclusion.company_id))
            .where(MentorExclusion.mentor_id == record.id)
            .order_by(col(Company.name))
        ).all(),
    }


# --- the rules ------------------------------------------------------------------------------


def _reason(raw: str, *, required: bool) -> str:
    reason = raw.strip()
    if (required and not reason) or len(reason) > MAX_REASON:
        raise SteeringRefused(
            _("Reason: required, at most %(n)s characters.", n=MAX_REASON)
            if required
            else _("Reason: at most %(n)s characters.", n=MAX_REASON)
        )
    return reason


def add_pin(session: Session, company: Company, mentor: Mentor, raw_reason: str, user_id: int) -> None:
    """Pin `company` to `mentor` (audited); the caller commits, which the primary key may refuse."""
    reason = _reason(raw_reason, required=False)
    if company.status not in IN_PROGRAM:
        raise SteeringRefused(
            _(
                "Company: %(company)s is not in the program (%(status)s).",
                company=company.name,
                status=label("company_status", company.status),
            )
        )
    if not mentor.active:
        raise SteeringRefused(_("Mentor: %(name)s is not active; pin an active mentor.", name=mentor.name))
    if session.get(MentorExclusion, (mentor.id, company.id)) is not None:
        raise SteeringRefused(
            _("Mentor: %(name)s is excluded for this company; remove the exclusion first.", name=mentor.name)
        )
    if (pin := session.get(CompanyPin, company.id)) is not None:
        raise SteeringRefused(_already_pinned(session, company, pin.mentor_id))
    pinned = session.exec(
        select(func.count()).select_from(CompanyPin).where(CompanyPin.mentor_id == mentor.id)
    ).one()
    if pinned >= mentor.capacity:
        raise SteeringRefused(
            _(
                "Mentor: %(name)s already has %(n)s pinned companies, as many as their capacity.",
                name=mentor.name,
                n=pinned,
            )
        )
    session.add(
        CompanyPin(company_id=id_of(company), mentor_id=id_of(mentor), reason=reason, created_by_id=user_id)
    )
    audit(session, user_id, "pin_added", Entity.company, company.id, mentor_id=mentor.id, reason=reason)


def _already_pinned(session: Session, company: Company, mentor_id: int | None) -> str:
    mentor = session.get(Mentor, mentor_id) if mentor_id else None
    return _(
        "Company: %(company)s is already pinned to %(name)s; remove that pin first.",
        company=company.name,
        name=mentor.name if mentor else "",
    )


def add_exclusion(session: Session, company: Company, mentor: Mentor, raw_reason: str, user_id: int) -> None:
    """Never match `mentor` with `company` (audited); the caller commits."""
    reason = _reason(raw_reason, required=True)
    pin = session.get(CompanyPin, company.id)
    if pin is not None and pin.mentor_id == mentor.id:
        raise SteeringRefused(
            _("Mentor: %(name)s is pinned to this company; remove the pin first.", name=mentor.name)
        )
    session.add(MentorExclusion(mentor_id=id_of(mentor), company_id=id_of(company), reason=reason))
    audit(session, user_id, "exclusion_added", Entity.company, company.id, mentor_id=mentor.id, reason=reason)


def remove_pin(session: Session, company_id: int, user_id: int) -> bool:
    """False when the company has no pin (removed meanwhile)."""
    gone = session.execute(sa.delete(CompanyPin).where(col(CompanyPin.company_id) == company_id))
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        return False
    audit(session, user_id, "pin_removed", Entity.company, company_id)
    return True


def remove_exclusion(session: Session, company_id: int, mentor_id: int, user_id: int) -> bool:
    gone = session.execute(
        sa.delete(MentorExclusion).where(
            col(MentorExclusion.company_id) == company_id, col(MentorExclusion.mentor_id) == mentor_id
        )
    )
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        return False
    audit(session, user_id, "exclusion_removed", Entity.company, company_id, mentor_id=mentor_id)
    return True


def find_company(session: Session, raw: str) -> Company:
    """The company a coordinator typed: its business number (dashes allowed) or its exact name."""
    text = raw.strip()
    digits = text.replace("-", "").replace(" ", "")
    if not text:
        raise SteeringRefused(_("Company: give the company's name or business number."))
    found = session.exec(
        select(Company).where(
            sa.or_(
                col(Company.name) == text, col(Company.business_reg_no) == digits if digits else sa.false()
            )
        )
    ).all()
    if not found:
        raise SteeringRefused(_("Company: no company has the name or business number %(value)s.", value=text))
    if len(found) > 1:
        raise SteeringRefused(
            _(
                "Company: %(n)s companies are named %(value)s; give the business number.",
                n=len(found),
                value=text,
            )
        )
    return found[0]


# --- the pages' actions ---------------------------------------------------------------------


def _steer(what: str, company: Company, mentor: Mentor, back: str):
    session = db()
    add = add_pin if what == "pins" else add_exclusion
    try:
        add(session, company, mentor, request.form.get("reason", ""), current_user.id)
        session.commit()
    except SteeringRefused as refused:
        session.rollback()
        flash(str(refused), "error")
        return redirect(back)
    except IntegrityError:  # the same pin or exclusion was written a moment ago
        session.rollback()
        if what == "pins":
            pin = session.get(CompanyPin, company.id)
            flash(_already_pinned(session, company, pin.mentor_id if pin else None), "error")
        else:
            flash(_("%(name)s is already excluded for this company.", name=mentor.name), "error")
        return redirect(back)
    if what == "pins":
        flash(
            _(
                "%(company)s keeps mentor %(name)s from the next run on.",
                company=company.name,
                name=mentor.name,
            ),
            "success",
        )
    else:
        flash(
            _(
                "%(name)s will not be matched with %(company)s from the next run on.",
                name=mentor.name,
                company=company.name,
            ),
            "success",
        )
    return redirect(back)


def _back(kind: str, record_id: int) -> str:
    default = url_for("coordinator.record_edit", kind=kind, record_id=record_id) + "#steering"
    return safe_next(request.form.get("next"), default)


@bp.post("/companies/<id:company_id>/<any(pins, exclusions):what>")
def company_steer(company_id: int, what: str):
    """From the company's page or a run review row: the mentor is chosen from a list."""
    session = db()
    company = session.get(Company, company_id)
    if company is None:
        abort(404)
    back = _back("companies", company_id)
    mentor = session.get(Mentor, request.form.get("mentor_id", 0, type=int))
    if mentor is None:
        flash(_("Mentor: choose a mentor."), "error")
        return redirect(back)
    return _steer(what, company, mentor, back)


@bp.post("/mentors/<id:mentor_id>/<any(pins, exclusions):what>")
def mentor_steer(mentor_id: int, what: str):
    """From the mentor's page: the company is typed (name or business number)."""
    session = db()
    mentor = session.get(Mentor, mentor_id)
    if mentor is None:
        abort(404)
    back = _back("mentors", mentor_id)
    try:
        company = find_company(session, request.form.get("company", ""))
    except SteeringRefused as refused:
        flash(str(refused), "error")
        return redirect(back)
    return _steer(what, company, mentor, back)


@bp.post("/companies/<id:company_id>/pins/delete")
def pin_remove(company_id: int):
    if not remove_pin(db(), company_id, current_user.id):
        abort(404)
    db().commit()
    flash(_("The pin was removed."), "success")
    return redirect(_back("companies", company_id))


@bp.post("/companies/<id:company_id>/exclusions/<id:mentor_id>/delete")
def exclusion_remove(company_id: int, mentor_id: int):
    if not remove_exclusion(db(), company_id, mentor_id, current_user.id):
        abort(404)
    db().commit()
    flash(_("The exclusion was removed."), "success")
    return redirect(_back("companies", company_id))
