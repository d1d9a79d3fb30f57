"""Acting on visits from the mentor's and the company's pages: confirm an offered slot,
decline all offers, cancel or ask to reschedule, mark done, download one visit as .ics.

webapp.visits.workflow does the work and commits; another's visit is 404 (LookupError), an action the
visit's state does not allow is shown as a message. A confirmation that lost the race for the
mentor's time answers 409 with the company's page and "that slot was just taken".
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.models import Role
from webapp.accounts.security import require_role
from webapp.core.clock import seoul_today
from webapp.core.request_db import db
from webapp.ui.i18n import current_language
from webapp.visits import workflow as visits
from webapp.visits.calendar_feed import single_visit
from webapp.visits.calendar_views import ics_response
from webapp.visits.messages import visit_message
from webapp.visits.offering import offer_now
from webapp.visits.preferences import parse_preferences
from webapp.visits.queries import visible_visit

bp = Blueprint("visits", __name__, url_prefix="/visits")
bp.before_request(require_role(Role.mentor, Role.company))


def _back():
    if current_user.role == Role.mentor:
        return redirect(url_for("mentor.schedule", week=request.form.get("week") or None))
    return redirect(url_for("company.home"))


def _act(action, success: str):
    """Run a workflow action; its VisitError becomes a flashed message, LookupError a 404."""
    try:
        action()
    except visits.SlotTaken as exc:
        from webapp.visits.company_views import page

        db().rollback()
        flash(visit_message(exc), "error")
        return page(status=409)
    except visits.VisitError as exc:
        db().rollback()
        flash(visit_message(exc), "error")
        return _back()
    except LookupError:
        abort(404)
    flash(success, "success")
    return _back()


@bp.post("/<id:slot_id>/confirm")
def confirm(slot_id: int):
    return _act(
        lambda: visits.confirm_slot(db(), slot_id, current_user),
        _("Visit confirmed. Your mentor has been told."),
    )


@bp.post("/decline")
def decline():
    if current_user.role != Role.company:
        abort(403)

    preferences, errors = parse_preferences(request.form, seoul_today())
    if errors:
        for message in errors.values():
            flash(_("%(field)s: %(problem)s", field=_("Dates that do not suit"), problem=_(message)), "error")
        return _back()

    def action():
        visits.decline_offers(
            db(), current_user.company_id, request.form.get("note", ""), current_user, preferences
        )
        if not offer_now():
            flash(
                _("New times could not be offered yet; they will be offered within a few minutes."), "error"
            )

    return _act(action, _("The offered times were declined; new times will be offered."))


@bp.post("/<id:slot_id>/cancel")
def cancel(slot_id: int):
    reschedule = request.form.get("reschedule") == "1"
    return _act(
        lambda: visits.cancel_visit(
            db(), slot_id, request.form.get("reason", ""), current_user, reschedule=reschedule
        ),
        _("Reschedule requested; the other side has been told.")
        if reschedule
        else _("Visit cancelled; the other side has been told."),
    )


@bp.post("/<id:slot_id>/done")
def done(slot_id: int):
    return _act(
        lambda: visits.mark_done(db(), slot_id, request.form.get("report", ""), current_user),
        _("Visit marked done. Thank you for the report."),
    )


@bp.get("/<id:slot_id>.ics")
def download(slot_id: int):
    slot = visible_visit(db(), current_user, slot_id)
    if slot is None:
        abort(404)
    return ics_response(single_visit(db(), slot, current_language()), f"visit-{slot.id}.ics")
