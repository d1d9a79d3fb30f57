"""The start page: sends each user to their own area."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from webapp.accounts.models import Role

bp = Blueprint("home", __name__)

START_PAGE = {
    Role.coordinator: "coordinator.dashboard",
    Role.mentor: "mentor.home",
    Role.company: "company.home",
    Role.evaluator: "evaluator.home",
}


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(START_PAGE[current_user.role]))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on their own; the pages link the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
