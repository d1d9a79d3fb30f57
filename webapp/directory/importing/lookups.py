"""Shared steps of the imports: resolving municipalities and KSIC divisions from what people
write, coordinates, and writing records by key."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlmodel import Session, select

from webapp.core.clock import utcnow
from webapp.directory.importing.problems import Problem
from webapp.directory.models import Industry, Municipality

# A generous box around North Jeolla: coordinates outside it are typos (swapped lat/lon etc.).
LAT_RANGE = (35.0, 36.4)
LON_RANGE = (126.2, 128.1)


class Lookups:
    def __init__(self, session: Session):
        self.municipalities: dict[str, Municipality] = {}
        for m in session.exec(select(Municipality)):
            for name in (m.name_en, m.name_ko, m.name_ko.rstrip("시군")):
                self.municipalities[name.lower()] = m
        self.industries: dict[str, Industry] = {}
        for i in session.exec(select(Industry)):
            for name in (i.code, i.code[1:], i.name_en, i.name_ko):
                self.industries[industry_key(name)] = i

    def municipality(self, text: str) -> Municipality:
        found = self.municipalities.get(text.strip().lower())
        if found is None:
            raise ValueError(
                _("%(value)s is not one of the 14 cities and counties of North Jeolla.", value=repr(text))
            )
        return found

    def industry(self, text: str) -> Industry:
        """A KSIC division by code (C29, 29) or name, Korean or English, whole or its unambiguous
        beginning: 금속 가공, 금속가공제품 and "Fabricated metal" all name C25."""
        key = industry_key(text)
        found = self.industries.get(key)
        if found is None and len(key) >= 2:
            starting = {i.code: i for name, i in self.industries.items() if name.startswith(key)}
            found = next(iter(starting.values())) if len(starting) == 1 else None
        if found is None:
            raise ValueError(_("%(value)s is not a KSIC manufacturing division (C10-C34).", value=repr(text)))
        return found


def industry_key(name: str) -> str:
    """A KSIC name as compared: lower case, without spaces and without "제조업" (manufacture)."""
    return re.sub(r"\s+", "", name.lower()).replace("제조업", "")


def place_errors(lookups: Lookups, number: int, values: dict) -> list[Problem]:
    """Resolve a row's industry and municipality in place (None when unknown) and check its
    coordinates; the row's problems."""
    problems = []
    for field, lookup in (("industry", lookups.industry), ("municipality", lookups.municipality)):
        if values.get(field):
            try:
                values[field] = lookup(values[field])
            except ValueError as exc:
                problems.append(Problem(str(exc), number, field))
                values[field] = None
    return problems + coordinate_errors(number, values)


def coordinate_errors(number: int, values: dict) -> list[Problem]:
    if (values.get("lat") is None) != (values.get("lon") is None):
        return [Problem(_("Give both latitude and longitude, or neither."), number, "lat/lon")]
    return []


def set_place(record, values: dict) -> None:
    """Municipality, address and coordinates of a company or mentor; without coordinates the
    municipality's office stands in (addresses are not geocoded offline)."""
    municipality = values["municipality"]
    record.municipality_id = municipality.id
    record.address = values["address"]
    record.lat = values["lat"] if values["lat"] is not None else municipality.lat
    record.lon = values["lon"] if values["lon"] is not None else municipality.lon


def upsert_rows(session: Session, model, key: str, rows: list, fill) -> tuple[int, int]:
    """Insert or update one record per row, found by its `key` field; `fill(record, values)`
    sets the rest. Returns (created, updated)."""
    existing = {getattr(r, key): r for r in session.exec(select(model))}
    created = updated = 0
    for _number, values in rows:
        record = existing.get(values[key])
        if record is None:
            record = model(**{key: values[key]})
            created += 1
        else:
            updated += 1
        fill(record, values)
        record.updated_at = utcnow()
        session.add(record)
    return created, updated
