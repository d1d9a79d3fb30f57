"""A mentor's or a company's login, managed from its record page: create it (an invitation
email with a one-time set-password link goes out; webapp.accounts.invitations), send the
invitation again, give it a new temporary password, switch it off or on again; and create the
logins of every imported mentor or company at once.

Every action redirects after its POST, so reloading the page never repeats it. A temporary
password is shown once, to the coordinator, who passes it on; the user must replace it at the
first sign-in. A new password (or switching the login off) ends the user's open sessions, since
a session is bound to the password hash and to the login being active.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.accounts.invitations import invite
from webapp.accounts.models import Role, User
from webapp.accounts.passwords import hash_password, temporary_password
from webapp.accounts.security import end_sessions
from webapp.accounts.service import AccountError, create_user
from webapp.core.audit import Entity, audit
from webapp.core.request_db import db
from webapp.directory.models import Company, CompanyStatus, Mentor
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


def _edit_page(kind: str, record_id: int):
    return redirect(url_for("coordinator.record_edit", kind=kind, record_id=record_id) + "#login")


def _create_login(kind: str, record, email: str) -> User:
    """A login for `record` with an unknown random password, and its invitation email."""
    link = {"mentor_id": record.id} if kind == "mentors" else {"company_id": record.id}
    user = create_user(
        db(), email=email, password=temporary_password(), role=ROLES[kind], display_name=record.name, **link
    )
    user.must_change_password = True
    invite(db(), user)
    audit(
        db(),
        current_user.id,
        "login_created",
        Entity.user,
        user.id,
        email=user.email,
        record=f"{kind}/{record.id}",
    )
    return user


@bp.post(f"/{KIND}/<id:record_id>/login")
def login_create(kind: str, record_id: int):
    record = get_record(kind, record_id)
    email = request.form.get("email", "")
    try:
        user = _create_login(kind, record, email)
    except AccountError as exc:
        db().rollback()
        message = ERRORS.get(exc.code, str(exc))
        return record_page(kind, get_record(kind, record_id), 400, login_email=email, login_error=message)
    db().commit()
    flash(
        _("Login created. An invitation to choose a password was sent to %(email)s.", email=user.email),
        "success",
    )
    return _edit_page(kind, record.id)


@bp.post(f"/{KIND}/<id:record_id>/login/invitation")
def login_invite(kind: str, record_id: int):
    record, login = _existing_login(kind, record_id)
    if login is not None:
        invite(db(), login)
        audit(db(), current_user.id, "login_invited", Entity.user, login.id)
        db().commit()
        flash(
            _("A new invitation was sent to %(email)s; earlier links no longer work.", email=login.email),
            "success",
        )
    return _edit_page(kind, record.id)


@bp.post(f"/{KIND}/logins")
def logins_bulk(kind: str):
    """Logins (with invitations) for every active mentor or company that has an email address
    and no login yet; those whose address another login uses are listed."""
    records: list[Mentor] | list[Company]
    if kind == "mentors":
        has_login = select(col(User.mentor_id)).where(col(User.mentor_id).is_not(None))
        records = list(
            db().exec(
                select(Mentor).where(
                    col(Mentor.active), col(Mentor.email) != "", col(Mentor.id).not_in(has_login)
                )
            )
        )
    else:
        has_login = select(col(User.company_id)).where(col(User.company_id).is_not(None))
        records = list(
            db().exec(
                select(Company).where(
                    col(Company.status).in_((CompanyStatus.applied, CompanyStatus.active)),
                    col(Company.contact_email) != "",
                    col(Company.id).not_in(has_login),
                )
            )
        )
    created, skipped = 0, []
    for record in records:
        email = record.email if isinstance(record, Mentor) else record.contact_email
        try:
            _create_login(kind, record, email)
            db().commit()
            created += 1
        except AccountError:
            db().rollback()
            skipped.append(record.name)
    flash(_("%(count)s login(s) created; each was sent an invitation.", count=created), "success")
    if skipped:
        flash(
            _("Not created (address invalid or already used): %(names)s", names=", ".join(skipped[:20])),
            "error",
        )
    return redirect(url_for("coordinator.record_list", kind=kind))


@bp.post(f"/{KIND}/<id:record_id>/login/password")
def login_new_password(kind: str, record_id: int):
    record, login = _existing_login(kind, record_id)
    if login is None:
        return _edit_page(kind, record.id)
    password = temporary_password()
    login.password_hash, login.must_change_password = hash_password(password), True
    end_sessions(db(), login, revoke_token=True)  # signed out everywhere, the API included
    audit(db(), current_user.id, "login_password_reset", Entity.user, login.id)
    db().commit()
    # Shown once, on the page the redirect leads to (the flash lives in the signed session).
    flash({"email": login.email, "password": password}, "password")  # type: ignore[arg-type]
    return _edit_page(kind, record.id)


@bp.post(f"/{KIND}/<id:record_id>/login/active")
def login_switch(kind: str, record_id: int):
    record, login = _existing_login(kind, record_id)
    if login is not None:
        login.active = request.form.get("active") == "yes"
        if not login.active:
            end_sessions(db(), login, revoke_token=True)
            record.calendar_token_hash = None  # its calendar feed stops too
            db().add(record)
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
