"""Calendar feeds: the secret feed address of a mentor or a company (no sign-in: the secret in the
URL is the key, so calendar apps can subscribe), made, replaced and stopped by its owner.

Only the secret's SHA-256 is stored (`calendar_token_hash` of the mentor or company), so nobody
holding the database, backups included, can read a feed, and the address cannot be shown again:
it is shown once, on the page its owner lands on right after making it. Someone who no longer has
it makes a new one (the old one stops working) and subscribes to that; "stop" ends the feed
without a new one, and switching the login off ends it too (webapp.accounts.logins).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, get_flashed_messages, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session, select

from webapp.accounts.models import Role, User
from webapp.accounts.security import Principal, hash_token, new_token, require_role
from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.request_db import db
from webapp.directory.models import Company, Mentor
from webapp.visits.calendar_feed import feed

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
ICS = "text/calendar; charset=utf-8"
HOME = {Role.mentor: "mentor.schedule", Role.company: "company.home"}
# The flash category that carries a just-made address to the page shown next, and only to it.
FRESH_ADDRESS = "calendar_address"


@dataclass(frozen=True)
class FeedCard:
    """What the calendar card shows: whether the user has a feed, and its address only on the
    page shown right after it was made."""

    active: bool
    url: str | None


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


def feed_card(session: Session, user: Principal) -> FeedCard:
    fresh = [str(url) for url in get_flashed_messages(category_filter=[FRESH_ADDRESS])]
    return FeedCard(owner(session, user).calendar_token_hash is not None, fresh[0] if fresh else None)


@bp.before_request
def _owners_manage_their_feed():
    """Anyone with the address reads a feed; only a mentor or a company makes or stops its own."""
    return None if request.endpoint == "calendar.subscribe" else require_role(Role.mentor, Role.company)()


@bp.get("/<token>.ics")
def subscribe(token: str):
    session = db()
    digest = hash_token(token)
    mentor = session.exec(select(Mentor).where(Mentor.calendar_token_hash == digest)).first()
    if mentor is not None and _login_active(session, "mentor_id", id_of(mentor)):
        return ics_response(feed(session, mentor_id=mentor.id), "visits.ics")
    company = session.exec(select(Company).where(Company.calendar_token_hash == digest)).first()
    if company is not None and _login_active(session, "company_id", id_of(company)):
        return ics_response(feed(session, company_id=company.id), "visits.ics")
    abort(404)


def _login_active(session: Session, key: str, record_id: int) -> bool:
    """A feed works only while its owner's login does (switching it off ends the feed too)."""
    return (
        session.exec(select(User.id).where(getattr(User, key) == record_id, User.active)).first() is not None
    )


def _set_secret(action: str, digest: str | None) -> Mentor | Company:
    """Store the new digest (None: no feed) of the signed-in owner's feed, audited; commits."""
    session = db()
    record = owner(session, current_user)
    record.calendar_token_hash, record.updated_at = digest, utcnow()
    session.add(record)
    kind = Entity.mentor if isinstance(record, Mentor) else Entity.company
    audit(session, current_user.id, action, kind, id_of(record))
    session.commit()
    return record


def _home():
    return redirect(url_for(HOME[current_user.role]) + "#calendar")


@bp.post("/regenerate")
def regenerate():
    """Make the feed's address (or a new one, which ends the old one); it is shown once."""
    replaced = owner(db(), current_user).calendar_token_hash is not None
    token, digest = new_token()
    _set_secret("calendar_link_regenerated" if replaced else "calendar_link_created", digest)
    if replaced:
        flash(_("A new calendar link was made; the old one no longer works."), "success")
    flash(url_for("calendar.subscribe", token=token, _external=True), FRESH_ADDRESS)
    return _home()


@bp.post("/stop")
def stop():
    """End the feed: its address stops working and no new one is made."""
    _set_secret("calendar_link_revoked", None)
    flash(_("Your calendar feed is stopped: calendars subscribed to it no longer update."), "success")
    return _home()
