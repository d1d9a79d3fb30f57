"""Resolving what people write in spreadsheets to municipalities and KSIC divisions."""
from __future__ import annotations

import re

from sqlmodel import Session, select

from webapp.models import Industry, Municipality

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
                self.industries[name.lower()] = i

    def municipality(self, text: str) -> Municipality:
        found = self.municipalities.get(text.strip().lower())
        if found is None:
            raise ValueError(f"{text!r} is not one of the 14 cities and counties of North Jeolla")
        return found

    def industry(self, text: str) -> Industry:
        key = re.sub(r"\s+", " ", text.strip().lower())
        found = self.industries.get(key)
        if found is None:
            raise ValueError(f"{text!r} is not a KSIC manufacturing division (C10-C34)")
        return found
