"""Public overview page: what the program holds (replaced by role dashboards once sign-in lands)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import func
from sqlmodel import Session, select

from webapp.models import Company, Mentor, Municipality

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    with Session(current_app.extensions["engine"]) as session:
        rows = session.exec(
            select(Municipality.name_en, Municipality.name_ko, func.count(Company.id))
            .join(Company, Company.municipality_id == Municipality.id, isouter=True)
            .group_by(Municipality.id)
            .order_by(func.count(Company.id).desc())
        ).all()
        mentors = session.exec(select(func.count(Mentor.id)).where(Mentor.active)).one()
    return render_template("index.html", rows=rows, mentors=mentors,
                           companies=sum(count for *_, count in rows))
