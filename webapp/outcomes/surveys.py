"""Surveys of the companies: weeks 2-3 (is the team working out?), completion (satisfaction 1-5),
and follow-ups at 6 and 12 months (are the gains kept?).

Each (engagement, kind) is made once (a unique constraint; INSERT ... ON CONFLICT DO NOTHING) and
sent once (UPDATE ... WHERE sent_at IS NULL, with its email queued in the same transaction), so two
scheduler processes, or a run repeated after a crash, never mail a company twice. One reminder goes
out when a survey is unanswered a week after it was sent. Links are signed and expire; the outbox
keeps a link's token only until its email is sent (it answers the survey without a sign-in).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, col, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import SEOUL, aware, utcnow
from webapp.core.db import id_of
from webapp.core.notifications import company_address, queue_email
from webapp.directory.models import Company
from webapp.engagements.models import Engagement, EngagementState
from webapp.outcomes.errors import CHOOSE_ONE, CHOOSE_YES_NO, FieldErrors, NotAllowed
from webapp.outcomes.fields import text_field
from webapp.outcomes.labels import outcome_label
from webapp.outcomes.models import EngagementOutcome, GainsKept, Survey, SurveyKind
from webapp.outcomes.upsert import insert_if_absent

WEEK2_AFTER_START = timedelta(days=14)  # sent at the start of week 3 (the team's 2nd-3rd week)
FOLLOW_UPS = {SurveyKind.month6: timedelta(days=182), SurveyKind.month12: timedelta(days=365)}
REMIND_AFTER = timedelta(days=7)
LINK_MAX_AGE = timedelta(days=60)
POOR_RATING = 2  # a week-2 rating at or below this flags the engagement
COMMENT_MAX = 2000
SALT = "outcomes-survey"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def survey_token(survey_id: int) -> str:
    return _serializer().dumps(survey_id)


def survey_from_token(session: Session, token: str) -> Survey | None:
    """The survey a link points at, or None when the link is forged or expired."""
    try:
        survey_id = _serializer().loads(token, max_age=int(LINK_MAX_AGE.total_seconds()))
    except (BadSignature, SignatureExpired):
        return None
    return session.get(Survey, survey_id) if isinstance(survey_id, int) else None


def _seoul_date(moment: datetime) -> date:
    return aware(moment).astimezone(SEOUL).date()


def due_surveys(session: Session, today: date) -> list[tuple[int, SurveyKind, date]]:
    """(engagement, kind, due date) of every survey due by `today` that does not exist yet."""
    existing = {(s.engagement_id, s.kind) for s in session.exec(select(Survey))}
    due: list[tuple[int, SurveyKind, date]] = []
    live = (EngagementState.on_site, EngagementState.completed)
    rows = session.exec(
        select(Engagement, col(EngagementOutcome.signed_off_at))
        .join(EngagementOutcome, col(EngagementOutcome.engagement_id) == col(Engagement.id), isouter=True)
        .where(col(Engagement.state).in_(live))
    ).all()
    for engagement, signed_off_at in rows:
        candidates = [(SurveyKind.week2, engagement.start_date + WEEK2_AFTER_START)]
        if engagement.state == EngagementState.completed:
            completed_on = _seoul_date(signed_off_at) if signed_off_at else engagement.end_date
            candidates.append((SurveyKind.completion, completed_on))
            candidates += [(kind, engagement.end_date + after) for kind, after in FOLLOW_UPS.items()]
        for kind, due_on in candidates:
            if due_on <= today and (engagement.id, kind.value) not in existing:
                due.append((id_of(engagement), kind, due_on))
    return due


def _mail(session: Session, survey: Survey, reminder: bool) -> None:
    engagement = session.get(Engagement, survey.engagement_id)
    company = session.get(Company, engagement.company_id) if engagement else None
    with force_locale("ko"):  # the companies' language
        token = survey_token(id_of(survey))
        link = url_for("outcomes.survey", token=token, _external=True)
        subject = _("[Jeonbuk smart factory] Survey: %(title)s", title=_survey_title(survey.kind))
        if reminder:
            subject = _("Reminder: %(subject)s", subject=subject)
        lines = [
            _("Dear %(company)s team,", company=company.name if company else ""),
            "",
            *([_("We have not yet received your answer to this short survey.")] if reminder else []),
            _(
                "Please answer a short survey about the smart-factory mentoring: %(title)s",
                title=_survey_title(survey.kind),
            ),
            "",
            link,
            "",
            _("It takes about a minute. The link works for %(days)s days.", days=LINK_MAX_AGE.days),
            "",
            _("Jeonbuk Technopark, smart manufacturing innovation centre"),
        ]
        body = "\n".join(lines) + "\n"
    queue_email(session, survey.to_address, subject, body, secret=token)  # the link answers by itself


def _survey_title(kind: str) -> str:
    return outcome_label("survey", kind)


def send_surveys(session: Session, today: date, now: datetime | None = None) -> dict[str, int]:
    """Make the surveys due, send those not sent, remind those unanswered a week; exactly once each."""
    now = now or utcnow()
    made = 0
    for engagement_id, kind, due_on in due_surveys(session, today):
        engagement = session.get(Engagement, engagement_id)
        address = company_address(session, engagement.company_id) if engagement else ""
        values = {
            "kind": kind.value,
            "due_on": due_on,
            "to_address": address,
            "flagged": False,
            "comment": "",
        }
        made += insert_if_absent(
            session, Survey, ["engagement_id", "kind"], engagement_id=engagement_id, **values
        )
    sent = reminded = 0
    unsent = select(Survey).where(col(Survey.sent_at).is_(None), col(Survey.to_address) != "")
    for survey in session.exec(unsent).all():
        claimed = session.exec(
            sa.update(Survey)
            .where(col(Survey.id) == survey.id, col(Survey.sent_at).is_(None))
            .values(sent_at=now)
        ).rowcount
        if claimed == 1:
            _mail(session, survey, reminder=False)
            sent += 1
    unanswered = select(Survey).where(
        col(Survey.answered_at).is_(None),
        col(Survey.reminded_at).is_(None),
        col(Survey.sent_at) <= now - REMIND_AFTER,
    )
    for survey in session.exec(unanswered).all():
        claimed = session.exec(
            sa.update(Survey)
            .where(col(Survey.id) == survey.id, col(Survey.reminded_at).is_(None))
            .values(reminded_at=now)
        ).rowcount
        if claimed == 1:
            _mail(session, survey, reminder=True)
            reminded += 1
    return {"made": made, "sent": sent, "reminded": reminded}


def answer(session: Session, survey: Survey, form: Mapping[str, str], user_id: int | None = None) -> None:
    """Store the company's answer (once); a poor week-2 answer flags the engagement. `user_id`: the
    company's user answering through the API (the emailed link signs nobody in)."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {"comment": text_field(form, "comment", COMMENT_MAX, errors, lines=True)}
    if survey.kind in (SurveyKind.week2, SurveyKind.completion):
        rating = (form.get("rating") or "").strip()
        if rating not in {"1", "2", "3", "4", "5"}:
            errors["rating"] = _l("Choose from 1 to 5.")
        else:
            values["rating"] = int(rating)
    if survey.kind == SurveyKind.week2:
        working = form.get("working_out")
        if working not in ("yes", "no"):
            errors["working_out"] = CHOOSE_YES_NO
        values["working_out"] = working == "yes"
    if survey.kind in FOLLOW_UPS:
        gains = form.get("gains_kept")
        if gains not in GainsKept.__members__:
            errors["gains_kept"] = CHOOSE_ONE
        values["gains_kept"] = gains
    if errors:
        raise FieldErrors(errors)
    values["flagged"] = survey.kind == SurveyKind.week2 and (
        values["rating"] <= POOR_RATING or not values["working_out"]
    )
    stored = session.exec(
        sa.update(Survey)
        .where(col(Survey.id) == survey.id, col(Survey.answered_at).is_(None))
        .values(answered_at=utcnow(), **values)
    ).rowcount
    if stored != 1:
        raise NotAllowed(_l("This survey has already been answered. Thank you."))
    audit(
        session,
        user_id,
        "survey_answered",
        Entity.engagement,
        survey.engagement_id,
        survey=survey.id,
        flagged=values["flagged"],
    )
