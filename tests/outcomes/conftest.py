"""The outcomes' world: the web world plus a cohort with an engagement of company A, run by a team
of mentor A (lead); company B's engagement is run by mentor B. Both are on site, in their last week."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from webapp.core.clock import seoul_today
from webapp.core.db import session_scope
from webapp.engagements.models import Engagement, EngagementMember
from webapp.programs.models import Cohort


@pytest.fixture
def eng(web_app, world):
    today = seoul_today()
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=7)
    with session_scope(web_app.extensions["engine"]) as s:
        cohort = Cohort(name="2026 cohort", year=today.year, first_monday=start, weeks=44, status="running")
        s.add(cohort)
        s.flush()
        engagements = [
            Engagement(
                cohort_id=cohort.id,
                company_id=company,
                start_week=0,
                weeks=8,
                start_date=start,
                end_date=start + timedelta(weeks=8, days=-1),
                state="on_site",
            )
            for company in world.companies[:2]
        ]
        s.add_all(engagements)
        s.flush()
        for e, mentor in zip(engagements, world.mentors, strict=True):
            s.add(EngagementMember(engagement_id=e.id, mentor_id=mentor, role="lead"))
        return SimpleNamespace(cohort=cohort.id, a=engagements[0].id, b=engagements[1].id, start=start)
