"""The demo program year shows every stage of the cycle."""

from __future__ import annotations

from sqlmodel import select

from webapp.programs.models import Cohort


def test_demo_program_year_shows_every_stage(session):
    from webapp.ops.demo import load_demo_data
    from webapp.programs.funnel import funnel
    from webapp.programs.inspection_models import Inspection

    load_demo_data(session)
    session.commit()
    cohort = session.exec(select(Cohort).where(Cohort.year == 2027)).one()
    totals = funnel(session, cohort).totals
    assert totals["applied"] == 200
    assert 0 < totals["eligible"] < 200 and totals["inspected"] > 0 and totals["scored"] > 0
    states = {i.state for i in session.exec(select(Inspection))}
    assert {"done", "confirmed", "proposed"} <= states
