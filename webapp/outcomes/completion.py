"""Completion: the team submits the actuals and a summary; a coordinator signs off, and the
engagement becomes completed (on_site -> completed, a conditional update: signed off once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col

from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import id_of
from webapp.engagements.models import Engagement, EngagementState
from webapp.outcomes.errors import FieldErrors, NotAllowed
from webapp.outcomes.fields import text_field
from webapp.outcomes.models import EngagementOutcome
from webapp.outcomes.sheet import indicators, outcome_of

SUMMARY_MAX = 4000


def submit(session: Session, user_id: int, engagement: Engagement, form: Mapping[str, str]) -> None:
    """The team's completion: every indicator has its actual; the summary is written."""
    if engagement.state != EngagementState.on_site:
        raise NotAllowed(_l("Only an engagement on site can be completed."))
    outcome = outcome_of(session, id_of(engagement))
    if outcome.targets_locked_at is None:
        raise NotAllowed(_l("Lock the targets first."))
    errors: dict[str, Any] = {}
    required = _l("Write a short summary of the engagement.")
    summary = text_field(form, "summary", SUMMARY_MAX, errors, required, lines=True)
    if errors:
        raise FieldErrors(errors)
    if any(i.actual is None for i in indicators(session, id_of(engagement))):
        raise NotAllowed(_l("Record the actual of every indicator first."))
    submitted = session.exec(
        sa.update(EngagementOutcome)
        .where(
            col(EngagementOutcome.engagement_id) == engagement.id,
            col(EngagementOutcome.signed_off_at).is_(None),
        )
        .values(summary=summary, submitted_at=utcnow(), submitted_by_id=user_id)
    ).rowcount
    if submitted != 1:
        raise NotAllowed(_l("This engagement has already been signed off."))
    audit(session, user_id, "completion_submitted", Entity.engagement, engagement.id)


def sign_off(session: Session, user_id: int, engagement: Engagement) -> None:
    """A coordinator's sign-off: the outcome is final and the engagement completed."""
    outcome = outcome_of(session, id_of(engagement))
    if outcome.submitted_at is None:
        raise NotAllowed(_l("The team has not submitted the completion yet."))
    signed = session.exec(
        sa.update(EngagementOutcome)
        .where(
            col(EngagementOutcome.engagement_id) == engagement.id,
            col(EngagementOutcome.signed_off_at).is_(None),
        )
        .values(signed_off_at=utcnow(), signed_off_by_id=user_id)
    ).rowcount
    completed = session.exec(
        sa.update(Engagement)
        .where(col(Engagement.id) == engagement.id, col(Engagement.state) == EngagementState.on_site)
        .values(state=EngagementState.completed.value, state_changed_at=utcnow(), state_changed_by_id=user_id)
    ).rowcount
    if signed != 1 or completed != 1:
        raise NotAllowed(_l("This engagement has already been signed off."))
    session.refresh(engagement)
    audit(session, user_id, "completion_signed_off", Entity.engagement, engagement.id)
