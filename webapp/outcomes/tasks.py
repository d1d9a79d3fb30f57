"""Improvement tasks: logged by the team with a before photo, its owner and due date; solved with
an after photo and a note. Their photos belong to the task (media owner "improvement_task") and are
seen by whoever may see the engagement."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import id_of
from webapp.core.media.images import MediaError, MediaProblem
from webapp.core.media.service import register_owner, save_photo
from webapp.core.media.storage import MediaStore
from webapp.core.media.uploads import MESSAGES as PHOTO_MESSAGES
from webapp.engagements.access import Viewer, can_see_engagement
from webapp.engagements.models import Engagement, EngagementState
from webapp.outcomes.access import team_ids
from webapp.outcomes.errors import FieldErrors, NotAllowed
from webapp.outcomes.fields import text_field
from webapp.outcomes.models import ImprovementTask, TaskArea, TaskState

PHOTO_OWNER = "improvement_task"
DESCRIPTION_MAX, OWNER_MAX, NOTE_MAX = 1000, 80, 1000
Upload = tuple[bytes, str] | None


def _task_photo_visible(session: Session, viewer: Viewer, task_id: int) -> bool:
    row = session.exec(
        select(col(Engagement.id), col(Engagement.company_id))
        .join(ImprovementTask, col(ImprovementTask.engagement_id) == col(Engagement.id))
        .where(col(ImprovementTask.id) == task_id)
    ).first()
    if row is None or row[0] is None:
        return False
    return can_see_engagement(viewer, row[1], team_ids(session, row[0]))


register_owner(PHOTO_OWNER, _task_photo_visible)


def _photo(
    session: Session, store: MediaStore, upload: Upload, field: str, task_id: int, user_id: int
) -> int:
    if upload is None:
        raise FieldErrors.one(field, PHOTO_MESSAGES[MediaProblem.empty])
    try:
        photo = save_photo(
            session,
            store,
            upload[0],
            owner_kind=PHOTO_OWNER,
            owner_id=task_id,
            user_id=user_id,
            original_name=upload[1],
        )
    except MediaError as exc:
        raise FieldErrors.one(field, PHOTO_MESSAGES[exc.problem]) from None
    return id_of(photo)


def tasks_of(session: Session, engagement_id: int) -> list[ImprovementTask]:
    return list(
        session.exec(
            select(ImprovementTask)
            .where(col(ImprovementTask.engagement_id) == engagement_id)
            .order_by(col(ImprovementTask.id))
        )
    )


def log_task(
    session: Session,
    store: MediaStore,
    user_id: int,
    engagement: Engagement,
    form: Mapping[str, str],
    before: Upload,
) -> ImprovementTask:
    """A task found on site; every field is checked before anything (photo included) is stored."""
    if engagement.state not in (EngagementState.agreed, EngagementState.on_site):
        raise NotAllowed(_l("Tasks are logged while the engagement is under way."))
    errors: dict[str, Any] = {}
    area = (form.get("area") or "").strip()
    if area not in TaskArea.__members__:
        errors["area"] = _l("Choose an area.")
    what = _l("Describe the task.")
    description = text_field(form, "description", DESCRIPTION_MAX, errors, what, lines=True)
    owner = text_field(form, "owner", OWNER_MAX, errors, _l("Who at the company carries it out?"))
    due_on = None
    try:
        due_on = date.fromisoformat((form.get("due_on") or "").strip())
        if due_on < engagement.start_date:
            errors["due_on"] = _l("The due date is before the engagement starts.")
    except ValueError:
        errors["due_on"] = _l("Enter a date (YYYY-MM-DD).")
    if before is None:
        errors["before_photo"] = PHOTO_MESSAGES[MediaProblem.empty]
    if errors or due_on is None:
        raise FieldErrors(errors)
    task = ImprovementTask(
        engagement_id=id_of(engagement),
        area=area,
        description=description,
        owner=owner,
        due_on=due_on,
        found_by_id=user_id,
    )
    session.add(task)
    session.flush()
    task.before_photo_id = _photo(session, store, before, "before_photo", id_of(task), user_id)
    session.add(task)
    audit(session, user_id, "task_logged", Entity.engagement, engagement.id, task=task.id, area=area)
    return task


def close_task(
    session: Session,
    store: MediaStore,
    user_id: int,
    engagement: Engagement,
    task: ImprovementTask,
    form: Mapping[str, str],
    after: Upload,
) -> None:
    """Solved: after photo and note; only an open task, only once (conditional update)."""
    if engagement.state not in (EngagementState.agreed, EngagementState.on_site):
        raise NotAllowed(_l("Tasks are closed while the engagement is under way."))
    errors: dict[str, Any] = {}
    note = text_field(form, "close_note", NOTE_MAX, errors, _l("Say what was done."), lines=True)
    if after is None:
        errors["after_photo"] = PHOTO_MESSAGES[MediaProblem.empty]
    if errors:
        raise FieldErrors(errors)
    photo_id = _photo(session, store, after, "after_photo", id_of(task), user_id)
    closed = session.exec(
        sa.update(ImprovementTask)
        .where(col(ImprovementTask.id) == task.id, col(ImprovementTask.state) == TaskState.open)
        .values(
            state=TaskState.solved.value,
            after_photo_id=photo_id,
            close_note=note,
            closed_at=utcnow(),
            closed_by_id=user_id,
        )
    ).rowcount
    if closed != 1:
        raise NotAllowed(_l("This task has already been closed."))
    session.refresh(task)
    audit(session, user_id, "task_solved", Entity.engagement, engagement.id, task=task.id)
