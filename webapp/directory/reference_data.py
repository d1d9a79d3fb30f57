"""Loads the fixed reference tables (municipalities, KSIC divisions) from matcher's package data."""

from __future__ import annotations

from sqlmodel import Session, select

from matcher import reference
from webapp.directory.models import Industry, Municipality


def seed_reference_data(session: Session) -> None:
    """Insert or refresh the 14 municipalities and the KSIC divisions; safe to run repeatedly."""
    by_name = {m.name_en: m for m in session.exec(select(Municipality))}
    for row in reference.municipalities():
        municipality = by_name.get(row["name_en"]) or Municipality(**row)
        municipality.name_ko, municipality.kind = row["name_ko"], row["kind"]
        municipality.lat, municipality.lon = row["lat"], row["lon"]
        session.add(municipality)
    by_code = {i.code: i for i in session.exec(select(Industry))}
    for row in reference.industries():
        industry = by_code.get(row["code"]) or Industry(**row)
        industry.name_en, industry.name_ko = row["name_en"], row["name_ko"]
        session.add(industry)
    session.flush()
