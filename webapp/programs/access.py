"""Who sees which application and inspection of the program year (the API's lists; the pages
reach the same records through their own links and the same rules): coordinators all; an
evaluator the applications assigned to them; a company the applications of its business
number; a mentor the applications their inspection pair visits."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from webapp.accounts.models import Role
from webapp.directory.models import Company
from webapp.programs.application_models import Application
from webapp.programs.evaluation_models import EvaluationAssignment
from webapp.programs.inspection_models import Inspection, InspectionPair


def visible_application_ids(who: Any) -> Any:
    """A subquery of the application ids `who` (a Principal) may see, or None for all."""
    if who.role == Role.coordinator:
        return None
    if who.role == Role.evaluator:
        return select(EvaluationAssignment.application_id).where(EvaluationAssignment.evaluator_id == who.id)
    if who.role == Role.company:
        own = select(Company.business_reg_no).where(Company.id == who.company_id).scalar_subquery()
        return select(Application.id).where(Application.business_reg_no == own)
    if who.role == Role.mentor:
        return (
            select(Inspection.application_id)
            .join(InspectionPair, col(InspectionPair.id) == Inspection.pair_id)
            .where(
                sa.or_(
                    col(InspectionPair.mentor_a_id) == who.mentor_id,
                    col(InspectionPair.mentor_b_id) == who.mentor_id,
                )
            )
        )
    return select(Application.id).where(sa.false())


def visible_applications(who: Any) -> Any:
    """Statement of the applications `who` may see."""
    ids = visible_application_ids(who)
    statement = select(Application)
    return statement if ids is None else statement.where(col(Application.id).in_(ids))


def visible_inspections(who: Any) -> Any:
    """Statement of the inspections `who` may see: those of the applications they may see
    (a mentor only their own pair's, whoever else inspected the same company before)."""
    statement = select(Inspection)
    if who.role == Role.mentor:
        mine = select(InspectionPair.id).where(
            sa.or_(
                col(InspectionPair.mentor_a_id) == who.mentor_id,
                col(InspectionPair.mentor_b_id) == who.mentor_id,
            )
        )
        return statement.where(col(Inspection.pair_id).in_(mine))
    ids = visible_application_ids(who)
    return statement if ids is None else statement.where(col(Inspection.application_id).in_(ids))
