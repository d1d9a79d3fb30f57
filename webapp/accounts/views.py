"""Sign-in, sign-out, password change and the user's API token."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select

from webapp.accounts.models import User
from webapp.accounts.passwords import hash_password, password_problem, verify_password
from webapp.accounts.security import Principal, load_by_session_key, new_api_token
from webapp.accounts.service import normalize_email
from webapp.core.audit import Entity, audit
from webapp.core.request_db import db
from webapp.extensions import csrf, limiter, login_manager
from webapp.ui.urls import safe_next

bp = Blueprint("auth", __name__)

# Verified against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = hash_password("not-a-real-password-1")


@login_manager.user_loader
def _load_user(key: str) -> Principal | None:
    return load_by_session_key(db(), key)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    error = None
    email = normalize_email(request.form.get("email", ""))
    if request.method == "POST":
        user = db().exec(select(User).where(User.email == email)).first()
        password = request.form.get("password", "")
        if user is None:
            verify_password(_DUMMY_HASH, password)
        if user is not None and user.active and verify_password(user.password_hash, password):
            session.clear()  # a fresh session at sign-in: nothing from before carries over
            login_user(Principal.of(user))
            return redirect(safe_next(request.args.get("next"), url_for("home.index")))
        error = _("Email or password is wrong.")
    return render_template("accounts/login.html", email=email, error=error)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    user = db().get(User, current_user.id)
    return render_template("accounts/account.html", user=user, errors={}, new_token=None)


@bp.post("/account/password")
@login_required
def change_password():
    user = db().get(User, current_user.id)
    current, new, again = (request.form.get(k, "") for k in ("current", "new", "again"))
    errors = {}
    if not verify_password(user.password_hash, current):
        errors["current"] = _("This is not your current password.")
    if password_problem(new):
        errors["new"] = _("At least 8 characters, mixing letters with digits or symbols.")
    elif new != again:
        errors["again"] = _("The two new passwords differ.")
    if errors:
        return render_template("accounts/account.html", user=user, errors=errors, new_token=None), 400
    user.password_hash = hash_password(new)
    audit(db(), user.id, "password_changed", Entity.user, user.id)
    db().commit()
    login_user(Principal.of(user))  # the session id depends on the password hash
    flash(_("Your password has been changed."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/token")
@login_required
def create_token():
    user = db().get(User, current_user.id)
    token = new_api_token(db(), user)
    audit(db(), user.id, "api_token_created", Entity.user, user.id)
    db().commit()
    return render_template("accounts/account.html", user=user, errors={}, new_token=token)


@bp.post("/account/token/revoke")
@login_required
def revoke_token():
    user = db().get(User, current_user.id)
    user.api_token_hash = None
    audit(db(), user.id, "api_token_revoked", Entity.user, user.id)
    db().commit()
    flash(_("Your API token has been revoked."), "success")
    return redirect(url_for("auth.account"))
