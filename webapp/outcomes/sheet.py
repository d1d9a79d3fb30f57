"""The KPI sheet of an engagement: indicators picked, baselines and targets set, targets locked,
locked targets changed only through an approved change request, actuals recorded at the end.

Every step is audited, and the ones that race (lock, decide) are conditional updates whose row
count says who won.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import id_of
from webapp.engagements.models import Engagement, EngagementState
from webapp.outcomes.errors import FieldErrors, NotAllowed
from webapp.outcomes.fields import text_field
from webapp.outcomes.formatting import local_date
from webapp.outcomes.kpis import DEFINITIONS, check_target, inputs_of, measure, parse_target
from webapp.outcomes.models import (
    ChangeState,
    Direction,
    EngagementOutcome,
    KpiChangeRequest,
    KpiIndicator,
    KpiKind,
)
from webapp.outcomes.upsert import insert_if_absent

# Actuals are measured in the engagement's last week (from its Monday).
ACTUALS_FROM_DAYS_BEFORE_END = 6
OPEN_STATES = (EngagementState.planned, EngagementState.agreed, EngagementState.on_site)
NAME_MAX, UNIT_MAX, TEXT_MAX = 80, 20, 1000


def outcome_of(session: Session, engagement_id: int) -> EngagementOutcome:
    """The engagement's outcome row, made on first use (once, however many ask at once)."""
    insert_if_absent(session, EngagementOutcome, ["engagement_id"], engagement_id=engagement_id)
    outcome = session.get(EngagementOutcome, engagement_id, populate_existing=True)
    assert outcome is not None
    return outcome


def indicators(session: Session, engagement_id: int) -> list[KpiIndicator]:
    return list(
        session.exec(
            select(KpiIndicator)
            .where(col(KpiIndicator.engagement_id) == engagement_id)
            .order_by(col(KpiIndicator.id))
        )
    )


def actuals_open_on(engagement: Engagement) -> date:
    return engagement.end_date - timedelta(days=ACTUALS_FROM_DAYS_BEFORE_END)


def _unlocked(session: Session, engagement: Engagement) -> None:
    if engagement.state not in OPEN_STATES:
        raise NotAllowed(_l("This engagement is closed."))
    if outcome_of(session, id_of(engagement)).targets_locked_at is not None:
        raise NotAllowed(_l("The targets are locked; a change needs a change request."))


def add_indicator(
    session: Session, user_id: int, engagement: Engagement, form: Mapping[str, str]
) -> KpiIndicator:
    _unlocked(session, engagement)
    kind = (form.get("kind") or "").strip()
    if kind not in KpiKind.__members__:
        raise FieldErrors.one("kind", _l("Choose an indicator."))
    name = unit = ""
    direction = Direction.up.value
    if kind == KpiKind.custom:
        errors: dict[str, Any] = {}
        name = text_field(form, "name", NAME_MAX, errors, _l("Required."))
        unit = text_field(form, "unit", UNIT_MAX, errors, _l("Required."))
        direction = (form.get("direction") or "").strip()
        if direction not in {d.value for d in Direction}:
            errors["direction"] = _l("Choose whether higher or lower is better.")
        if errors:
            raise FieldErrors(errors)
    else:
        direction = DEFINITIONS[KpiKind(kind)].direction.value
    taken = session.exec(
        select(col(KpiIndicator.id)).where(
            col(KpiIndicator.engagement_id) == engagement.id,
            col(KpiIndicator.kind) == kind,
            col(KpiIndicator.name) == name,
        )
    ).first()
    if taken is not None:
        raise FieldErrors.one("name" if kind == KpiKind.custom else "kind", _l("Already on this sheet."))
    indicator = KpiIndicator(
        engagement_id=id_of(engagement), kind=kind, name=name, unit=unit, direction=direction
    )
    session.add(indicator)
    session.flush()
    audit(
        session,
        user_id,
        "kpi_added",
        Entity.engagement,
        engagement.id,
        indicator=indicator.id,
        kind=kind,
        name=name,
    )
    return indicator


def remove_indicator(session: Session, user_id: int, engagement: Engagement, indicator: KpiIndicator) -> None:
    _unlocked(session, engagement)
    session.delete(indicator)
    audit(session, user_id, "kpi_removed", Entity.engagement, engagement.id, indicator=indicator.id)


def set_plan(
    session: Session, user_id: int, engagement: Engagement, indicator: KpiIndicator, form: Mapping[str, str]
) -> None:
    """Baseline (from raw inputs) and, when given, the target; only while the sheet is unlocked."""
    _unlocked(session, engagement)
    errors: dict[str, Any] = {}
    try:
        inputs, baseline = measure(indicator.kind, form, "baseline")
    except FieldErrors as exc:
        errors.update(exc.errors)
    target = None
    if (form.get("target") or "").strip():
        try:
            target = parse_target(form["target"])
            if not errors:
                check_target(indicator.direction, baseline, target)
        except FieldErrors as exc:
            errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    unlocked = sa.select(col(EngagementOutcome.engagement_id)).where(
        col(EngagementOutcome.targets_locked_at).is_(None)
    )
    changed = session.exec(
        sa.update(KpiIndicator)
        .where(col(KpiIndicator.id) == indicator.id, col(KpiIndicator.engagement_id).in_(unlocked))
        .values(baseline_inputs=inputs, baseline=baseline, target=target)
    ).rowcount
    if changed != 1:  # locked a moment ago by someone else
        raise NotAllowed(_l("The targets are locked; a change needs a change request."))
    session.refresh(indicator)
    audit(
        session,
        user_id,
        "kpi_planned",
        Entity.kpi_indicator,
        indicator.id,
        baseline=str(baseline),
        target=str(target),
    )


def lock_targets(session: Session, user_id: int, engagement: Engagement) -> None:
    """Agree the targets: from now on they change only through an approved change request."""
    _unlocked(session, engagement)
    sheet = indicators(session, id_of(engagement))
    if not sheet:
        raise NotAllowed(_l("Add at least one indicator first."))
    missing = [i for i in sheet if i.baseline is None or i.target is None]
    if missing:
        raise NotAllowed(_l("Every indicator needs its baseline and target before the targets are locked."))
    locked = session.exec(
        sa.update(EngagementOutcome)
        .where(
            col(EngagementOutcome.engagement_id) == engagement.id,
            col(EngagementOutcome.targets_locked_at).is_(None),
        )
        .values(targets_locked_at=utcnow(), targets_locked_by_id=user_id)
    ).rowcount
    if locked != 1:
        raise NotAllowed(_l("The targets are already locked."))
    audit(
        session,
        user_id,
        "kpi_targets_locked",
        Entity.engagement,
        engagement.id,
        targets={i.id: str(i.target) for i in sheet},
    )


def request_change(
    session: Session, user_id: int, engagement: Engagement, indicator: KpiIndicator, form: Mapping[str, str]
) -> KpiChangeRequest:
    if outcome_of(session, id_of(engagement)).targets_locked_at is None:
        raise NotAllowed(_l("The targets are not locked yet: change them on the sheet."))
    if engagement.state not in OPEN_STATES:
        raise NotAllowed(_l("This engagement is closed."))
    if indicator.baseline is None:
        raise NotAllowed(_l("Every indicator needs its baseline and target before the targets are locked."))
    errors: dict[str, Any] = {}
    reason = text_field(form, "reason", TEXT_MAX, errors, _l("Give the reason for the change."), lines=True)
    try:
        new_target = parse_target(form.get("new_target", ""), "new_target")
        check_target(indicator.direction, indicator.baseline, new_target, "new_target")
        if new_target == indicator.target:
            errors["new_target"] = _l("This is the current target.")
    except FieldErrors as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    if not insert_if_absent(
        session,
        KpiChangeRequest,
        None,
        indicator_id=indicator.id,
        old_target=str(indicator.target),
        new_target=str(new_target),
        reason=reason,
        state=ChangeState.pending.value,
        requested_by_id=user_id,
        requested_at=utcnow(),
    ):
        raise NotAllowed(_l("A change request for this indicator is already waiting for a decision."))
    request = session.exec(
        select(KpiChangeRequest).where(
            col(KpiChangeRequest.indicator_id) == indicator.id,
            col(KpiChangeRequest.state) == ChangeState.pending,
        )
    ).one()
    audit(
        session, user_id, "kpi_change_requested", Entity.kpi_indicator, indicator.id,
        request=request.id, old=str(indicator.target), new=str(new_target), reason=reason,
    )  # fmt: skip
    return request


def decide_change(
    session: Session, user_id: int, request: KpiChangeRequest, approve: bool, note: str
) -> None:
    """A coordinator's decision; the target changes only on approval, and only once."""
    errors: dict[str, Any] = {}
    note = text_field({"note": note}, "note", TEXT_MAX, errors, lines=True)
    if errors:
        raise FieldErrors(errors)
    state = ChangeState.approved if approve else ChangeState.rejected
    decided = session.exec(
        sa.update(KpiChangeRequest)
        .where(col(KpiChangeRequest.id) == request.id, col(KpiChangeRequest.state) == ChangeState.pending)
        .values(state=state.value, decided_by_id=user_id, decided_at=utcnow(), decision_note=note)
    ).rowcount
    if decided != 1:
        raise NotAllowed(_l("This request has already been decided."))
    if approve:
        session.exec(
            sa.update(KpiIndicator)
            .where(col(KpiIndicator.id) == request.indicator_id)
            .values(target=request.new_target)
        )
    session.refresh(request)
    audit(
        session, user_id, f"kpi_change_{state.value}", Entity.kpi_indicator, request.indicator_id,
        request=request.id, old=str(request.old_target), new=str(request.new_target), note=note,
    )  # fmt: skip


def record_actual(
    session: Session,
    user_id: int,
    engagement: Engagement,
    indicator: KpiIndicator,
    form: Mapping[str, str],
    today: date,
) -> None:
    """The actual at completion, from raw inputs; from the engagement's last week on, before sign-off."""
    outcome = outcome_of(session, id_of(engagement))
    if engagement.state != EngagementState.on_site:
        raise NotAllowed(_l("Actuals are recorded while the team is on site."))
    if outcome.targets_locked_at is None:
        raise NotAllowed(_l("Lock the targets first."))
    if outcome.submitted_at is not None:
        raise NotAllowed(_l("The completion has been submitted; the actuals are final."))
    opens = actuals_open_on(engagement)
    if today < opens:
        first_field = f"actual-{inputs_of(indicator.kind)[0].name}"
        message = _l(
            "Actuals can be entered from %(day)s, in the engagement's last week.", day=local_date(opens)
        )
        raise FieldErrors.one(first_field, message)
    inputs, actual = measure(indicator.kind, form, "actual")
    indicator.actual_inputs, indicator.actual = inputs, actual
    session.add(indicator)
    audit(
        session, user_id, "kpi_actual", Entity.kpi_indicator, indicator.id, actual=str(actual), inputs=inputs
    )
