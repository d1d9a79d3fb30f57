"""Checklist photos through the shared pipeline (webapp.core.media: type by decoding, size limit,
resize, location metadata removed). Who sees an inspection's photos: coordinators, the pair's
mentors and the evaluators given that application."""

from __future__ import annotations

from sqlmodel import Session, col, select

from webapp.core.media.models import Photo
from webapp.core.media.service import Viewer, register_owner
from webapp.programs.evaluation_models import EvaluationAssignment
from webapp.programs.inspection_models import Inspection, InspectionPair

OWNER = "inspection"


def can_view(session: Session, viewer: Viewer, inspection_id: int) -> bool:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        return False
    if viewer.role == "coordinator":
        return True
    if viewer.role == "mentor":
        pair = session.get(InspectionPair, inspection.pair_id)
        return pair is not None and viewer.mentor_id in (pair.mentor_a_id, pair.mentor_b_id)
    if viewer.role == "evaluator":
        return (
            session.exec(
                select(EvaluationAssignment).where(
                    EvaluationAssignment.application_id == inspection.application_id,
                    EvaluationAssignment.evaluator_id == getattr(viewer, "id", None),
                )
            ).first()
            is not None
        )
    return False


def photos_of(session: Session, inspection_id: int) -> list[Photo]:
    return list(
        session.exec(
            select(Photo)
            .where(Photo.owner_kind == OWNER, Photo.owner_id == inspection_id)
            .order_by(col(Photo.id))
        )
    )


register_owner(OWNER, can_view)
