"""The audit log page (who, what, when, which object) and the global search."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import render_template, request
from sqlmodel import col, or_, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.accounts.models import User
from webapp.core.clock import seoul_midnight
from webapp.core.models import AuditLog
from webapp.core.request_db import db
from webapp.directory.models import Company, Mentor
from webapp.directory.queries import company_filters, mentor_filters, paginate

SEARCH_LIMIT = 20


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def audit_statement(args) -> sa.Select:
    """Audit entries matching the page's filters: who (email, name or actor), action, object
    (entity and id) and a date range (Asia/Seoul days), newest first."""
    statement = select(AuditLog, User).join(User, col(User.id) == col(AuditLog.user_id), isouter=True)
    if who := args.get("who", "").strip():
        like = f"%{who}%"
        statement = statement.where(
            or_(
                col(User.email).ilike(like),
                col(User.display_name).ilike(like),
                col(AuditLog.actor).ilike(like),
            )
        )
    if action := args.get("action", "").strip():
        statement = statement.where(col(AuditLog.action) == action)
    if entity := args.get("entity", "").strip():
        statement = statement.where(col(AuditLog.entity) == entity)
    if entity_id := args.get("entity_id", "").strip():
        statement = statement.where(col(AuditLog.entity_id) == entity_id)
    if since := _day(args.get("since")):
        statement = statement.where(col(AuditLog.at) >= seoul_midnight(since))
    if until := _day(args.get("until")):
        statement = statement.where(col(AuditLog.at) < seoul_midnight(until + timedelta(days=1)))
    return statement.order_by(col(AuditLog.id).desc())


@bp.get("/audit")
def audit_log():
    session = db()
    page = paginate(session, audit_statement(request.args), request.args.get("page", 1, type=int), size=50)
    return render_template(
        "desk/audit.html",
        page=page,
        actions=session.exec(select(col(AuditLog.action)).distinct().order_by(col(AuditLog.action))).all(),
        entities=session.exec(select(col(AuditLog.entity)).distinct().order_by(col(AuditLog.entity))).all(),
    )


@bp.get("/search")
def search():
    """Companies (name, business number, contact), mentors (name, email, phone) and logins
    (email, name) matching one query."""
    session = db()
    q = request.args.get("q", "").strip()
    companies = mentors = users = []
    if q:
        companies = session.exec(company_filters(select(Company), {"q": q}).limit(SEARCH_LIMIT)).all()
        phone_like = f"%{q}%"
        company_phones = session.exec(
            select(Company)
            .where(
                or_(
                    col(Company.contact_phone).ilike(phone_like), col(Company.contact_email).ilike(phone_like)
                )
            )
            .limit(SEARCH_LIMIT)
        ).all()
        companies = list({c.id: c for c in [*companies, *company_phones]}.values())
        mentors = session.exec(mentor_filters(select(Mentor), {"q": q}).limit(SEARCH_LIMIT)).all()
        users = session.exec(
            select(User)
            .where(or_(col(User.email).ilike(f"%{q}%"), col(User.display_name).ilike(f"%{q}%")))
            .limit(SEARCH_LIMIT)
        ).all()
    return render_template("desk/search.html", q=q, companies=companies, mentors=mentors, users=users)
