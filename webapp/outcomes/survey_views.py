"""The survey page a company reaches from its email: no sign-in, the signed link is the key."""

from __future__ import annotations

from flask import abort, render_template, request

from webapp.core.request_db import db
from webapp.directory.models import Company
from webapp.engagements.models import Engagement
from webapp.outcomes import surveys
from webapp.outcomes.errors import FieldErrors, NotAllowed
from webapp.outcomes.views import bp


def _page(survey, errors: dict, form: dict, status: int = 200, notice: str = ""):
    engagement = db().get(Engagement, survey.engagement_id)
    company = db().get(Company, engagement.company_id) if engagement else None
    html = render_template(
        "outcomes/survey.html", survey=survey, company=company, engagement=engagement,
        errors=errors, form=form, notice=notice,
    )  # fmt: skip
    return html, status


@bp.route("/survey/<token>", methods=["GET", "POST"])
def survey(token: str):
    found = surveys.survey_from_token(db(), token)
    if found is None:
        abort(404)
    if request.method == "GET" or found.answered_at is not None:
        return _page(found, {}, {})
    try:
        surveys.answer(db(), found, request.form)
    except FieldErrors as exc:
        db().rollback()
        return _page(found, {k: str(v) for k, v in exc.errors.items()}, request.form.to_dict(), 400)
    except NotAllowed as exc:
        db().rollback()
        return _page(found, {}, {}, 409, str(exc.message))
    db().commit()
    db().refresh(found)
    return _page(found, {}, {})
