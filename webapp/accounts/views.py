"""Sign-in, sign-out, password change, invitations (choosing a password from the emailed link),
the first sign-in with a temporary password (a new one must be chosen before anything else),
and the API token (every role may have one: the API gives each what its pages give it)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select

from webapp.accounts.invitations import accept, pending_invitation
from webapp.accounts.models import User
from webapp.accounts.passwords import hash_password, password_problem, verify_password
from webapp.accounts.security import Principal, end_sessions, load_by_session_key, new_api_token
from webapp.accounts.service import normalize_email
from webapp.core.audit import Entity, audit
from webapp.core.request_db import db
from webapp.extensions import csrf, limiter, login_manager
from webapp.ui.urls import safe_next

bp = Blueprint("auth", __name__)

LONGEST_PASSWORD_TRIED = 1024
# Verified against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = hash_password("not-a-real-password-1")


@login_manager.user_loader
def _load_user(key: str) -> Principal | None:
    return load_by_session_key(db(), key)


# What a user with a temporary password may still open: the account page to change it.
FIRST_SIGN_IN_ENDPOINTS = {"auth.account", "auth.change_password", "auth.logout", "static", "i18n.switch"}


def _password_first():
    """A user signed in with a temporary password chooses a new one before anything else."""
    if (
        current_user.is_authenticated
        and request.endpoint not in FIRST_SIGN_IN_ENDPOINTS
        and not request.path.startswith("/api/")
        and db().get(User, current_user.id).must_change_password
    ):
        flash(_("Choose your own password to continue."), "info")
        return redirect(url_for("auth.account"))
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(_password_first)


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
        # scrypt's work grows with the input: nobody's password is longer than this
        password = request.form.get("password", "")[:LONGEST_PASSWORD_TRIED]
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
    if current_user.is_authenticated:
        # server-side: a copy of this session's cookie stops working too
        end_sessions(db(), db().get(User, current_user.id))
        db().commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def invitation(token: str):
    """Choose a password with the one-time link of an invitation, then go on signed in."""
    invited = pending_invitation(db(), token)
    if invited is None:
        return render_template("accounts/invitation.html", expired=True, errors={}), 410
    user = db().get(User, invited.user_id)
    errors = {}
    if request.method == "POST":
        new, again = request.form.get("new", ""), request.form.get("again", "")
        if password_problem(new):
            errors["new"] = _("At least 8 characters, mixing letters with digits or symbols.")
        elif new != again:
            errors["again"] = _("The two new passwords differ.")
        if not errors:
            accepted = accept(db(), token, new)
            if accepted is None:  # used a moment ago by another submission
                return render_template("accounts/invitation.html", expired=True, errors={}), 410
            audit(db(), accepted.id, "invitation_accepted", Entity.user, accepted.id)
            db().commit()
            session.clear()
            login_user(Principal.of(accepted))
            flash(_("Your password is set. Welcome!"), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/invitation.html", expired=False, user=user, errors=errors), (
        400 if errors else 200
    )


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
        errors["new"] = _("8 to 128 characters, not counting spaces, mixing letters with digits or symbols.")
    elif new != again:
        errors["again"] = _("The two new passwords differ.")
    if errors:
        return render_template("accounts/account.html", user=user, errors=errors, new_token=None), 400
    user.password_hash, user.must_change_password = hash_password(new), False
    end_sessions(db(), user)
    audit(db(), user.id, "password_changed", Entity.user, user.id)
    db().commit()
    login_user(Principal.of(user))  # this session goes on under the new session id
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
