"""A mentor's or a company's login, managed from its record page: create it, give it a new
temporary password, switch it off or on again.

A temporary password is shown once, to the coordinator, who passes it on; the user replaces it
under Account. A new password (or switching the login off) ends the user's open sessions, since
a session is bound to the password hash and to the login being active.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.accounts.areas import coordinator_bp as bp
from webapp.accounts.models import Role
from webapp.accounts.passwords import hash_password, temporary_password
from webapp.accounts.service import AccountError, create_user
from webapp.core.audit import Entity, audit
from webapp.core.request_db import db
from webapp.directory.queries import login_of
from webapp.directory.views import get_record, record_page

ROLES = {"mentors": Role.mentor.value, "companies": Role.company.value}
ERRORS = {
    "email_invalid": _l("This is not an email address."),
    "email_taken": _l("Another user already signs in with this email."),
    "record_has_login": _l("This record already has a login."),
}
KIND = "<any(companies, mentors):kind>"


def _existing_login(kind: str, record_id: int):
    record = get_record(kind, record_id)
    login = login_of(db(), kind, record.id)
    if login is None:
        flash(_("This record has no login yet."), "error")
    return record, login


@bp.post(f"/{KIND}/<id:record_id>/login")
def login_create(kind: str, record_id: int):
    record = get_record(kind, record_id)
    email = request.form.get("email", "")
    password = temporary_password()
    link = {"mentor_id": record.id} if kind == "mentors" else {"company_id": record.id}
    try:
        user = create_user(
            db(), email=email, password=password, role=ROLES[kind], display_name=record.name, **link
        )
    except AccountError as exc:
        db().rollback()
        message = ERRORS.get(exc.code, str(exc))
        return record_page(kind, get_record(kind, record_id), 400, login_email=email, login_error=message)
    audit(
        db(),
        current_user.id,
        "login_created",
        Entity.user,
        user.id,
        email=user.email,
        record=f"{kind}/{record.id}",
    )
    db().commit()
    return record_page(kind, record, new_password=password)


@bp.post(f"/{KIND}/<id:record_id>/login/password")
def login_new_password(kind: str, record_id: int):
    record, login = _existing_login(kind, record_id)
    if login is None:
        return redirect(url_for("coordinator.record_edit", kind=kind, record_id=record.id))
    password = temporary_password()
    login.password_hash = hash_password(password)
    audit(db(), current_user.id, "login_password_reset", Entity.user, login.id)
    db().commit()
    return record_page(kind, record, new_password=password)


@bp.post(f"/{KIND}/<id:record_id>/login/active")
def login_switch(kind: str, record_id: int):
    record, login = _existing_login(kind, record_id)
    if login is not None:
        login.active = request.form.get("active") == "yes"
        audit(
            db(),
            current_user.id,
            "login_switched_on" if login.active else "login_switched_off",
            Entity.user,
            login.id,
        )
        db().commit()
        flash(_("The login is switched on.") if login.active else _("The login is switched off."), "success")
    return redirect(url_for("coordinator.record_edit", kind=kind, record_id=record.id))
