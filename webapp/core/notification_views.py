"""The signed-in user's notifications (newest first, in the page's language), and the one-tap
links of emails (/go/<token>), which open the page they name for the user they were sent to."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import update

from webapp.core.clock import utcnow
from webapp.core.links import LinkError, read_link
from webapp.core.models import Notification
from webapp.core.notifications import render, user_notifications
from webapp.core.request_db import db
from webapp.ui.i18n import current_language

bp = Blueprint("notices", __name__)


@bp.get("/notifications")
@login_required
def notifications():
    session = db()
    rows = user_notifications(session, current_user.id)
    language = current_language()
    items = [(row, render(row.code, row.params, language)) for row in rows]
    session.exec(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    session.commit()
    return render_template("core/notifications.html", items=items)


@bp.get("/go/<token>")
def follow(token: str):
    try:
        data = read_link(token)
    except LinkError as exc:
        flash(
            _("This link has expired; sign in to find the page.")
            if exc.code == "expired"
            else _("This link is not valid; sign in to find the page."),
            "error",
        )
        return redirect(url_for("auth.login"))
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=data["p"]))
    if current_user.id != data["u"]:
        flash(_("This link was sent to another user."), "error")
        return redirect(url_for("home.index"))
    return redirect(data["p"])


@bp.app_context_processor
def _unread() -> dict:
    return {"unread_notices": unread_count}


def unread_count() -> int:
    if not current_user.is_authenticated or request.endpoint == "notices.notifications":
        return 0
    return sum(1 for row in user_notifications(db(), current_user.id, limit=99) if row.read_at is None)
