"""Calendar feeds: the secret feed URL of a mentor or a company (no sign-in: the token is the
key, so calendar apps can subscribe), and its regeneration, which makes the old URL stop working."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session, select

from webapp.accounts.models import Role, User
from webapp.accounts.security import Principal, require_role
from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.models import Company, Mentor
from webapp.visits.calendar_feed import feed, new_calendar_token

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
ICS = "text/calendar; charset=utf-8"
HOME = {Role.mentor: "mentor.schedule", Role.company: "company.home"}


def ics_response(body: bytes, filename: str) -> Response:
    # content_type, not mimetype: Flask would add a second "; charset=utf-8" to a mimetype.
    return Response(
        body, content_type=ICS, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def owner(session: Session, user: Principal) -> Mentor | Company:
    """The mentor or company record whose calendar `user` manages."""
    if user.role == Role.mentor:
        return get_existing(session, Mentor, user.mentor_id)
    return get_existing(session, Company, user.company_id)


def feed_url(session: Session, user: Principal) -> str:
    """The user's feed URL; the token is made (and committed) the first time it is shown."""
    record = owner(session, user)
    if record.calendar_token is None:
        _new_token(session, record, user, "calendar_link_created")
    return url_for("calendar.subscribe", token=record.calendar_token, _external=True)


def _new_token(session: Session, record: Mentor | Company, user: Principal, action: str) -> None:
    record.calendar_token, record.updated_at = new_calendar_token(), utcnow()
    session.add(record)
    audit(
        session, user.id, action, Entity.mentor if isinstance(record, Mentor) else Entity.company, record.id
    )
    session.commit()


@bp.get("/<token>.ics")
def subscribe(token: str):
    session = db()
    mentor = session.exec(select(Mentor).where(Mentor.calendar_token == token)).first()
    if mentor is not None and _login_active(session, "mentor_id", id_of(mentor)):
        return ics_response(feed(session, mentor_id=mentor.id), "visits.ics")
    company = session.exec(select(Company).where(Company.calendar_token == token)).first()
    if company is not None and _login_active(session, "company_id", id_of(company)):
        return ics_response(feed(session, company_id=company.id), "visits.ics")
    abort(404)


def _login_active(session: Session, key: str, record_id: int) -> bool:
    """A feed works only while its owner's login does (switching it off ends the feed too)."""
    return (
        session.exec(select(User.id).where(getattr(User, key) == record_id, User.active)).first() is not None
    )


@bp.post("/regenerate")
def regenerate():
    guard = require_role(Role.mentor, Role.company)()
    if guard is not None:
        return guard
    _new_token(db(), owner(db(), current_user), current_user, "calendar_link_regenerated")
    flash(_("A new calendar link was made; the old one no longer works."), "success")
    return redirect(url_for(HOME[current_user.role]) + "#calendar")
