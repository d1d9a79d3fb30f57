"""Helpers of the outcomes' tests: fill a KPI sheet, read rows back."""

from __future__ import annotations

from sqlmodel import Session, select

from webapp.outcomes.models import KpiIndicator

PRODUCTIVITY_PLAN = {"baseline-units": "1200", "baseline-hours": "160", "target": "9"}  # 7.5 -> 9 units/h


def indicators(app, engagement_id: int) -> list[KpiIndicator]:
    with Session(app.extensions["engine"]) as s:
        return list(s.exec(select(KpiIndicator).where(KpiIndicator.engagement_id == engagement_id)))


def planned_sheet(client, engagement_id: int, lock: bool = True) -> int:
    """Productivity on the sheet with its baseline and target (locked by default); its id."""
    base = f"/outcomes/engagements/{engagement_id}/kpis"
    assert client.post(base, data={"kind": "productivity"}).status_code == 302
    (indicator,) = [i for i in indicators(client.application, engagement_id) if i.kind == "productivity"]
    assert client.post(f"{base}/{indicator.id}/plan", data=PRODUCTIVITY_PLAN).status_code == 302
    if lock:
        assert client.post(f"{base}/lock").status_code == 302
    return indicator.id
