"""Column definitions shared by the company and mentor imports, and so by the record forms and
the API, which check a record as a one-row file.

A column has a canonical name, the headers it is known by (English and Korean), a parser that
turns a cell into a value or raises ValueError with a message (in the current language) naming
the problem, and the longest text its database column holds. Every cell is refused if it holds
a line break or another control character (webapp.core.inputs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlmodel import SQLModel

from webapp.core.inputs import decimal_number, has_control_characters, whole_number
from webapp.directory.importing.problems import Problem
from webapp.directory.importing.reader import Table


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]
    parse: Callable[[str], Any] = str
    required: bool = False
    default: Any = None
    max_length: int | None = None  # of the text, from the model's column (with_lengths)


def with_lengths(model: type[SQLModel], columns: list[Column]) -> list[Column]:
    """The columns with the text length `model`'s same-named columns allow: what PostgreSQL would
    refuse with an error and SQLite would store regardless is refused here, for every way in."""
    table_columns = model.__table__.columns  # type: ignore[attr-defined]
    return [
        replace(c, max_length=getattr(table_columns[c.name].type, "length", None))
        if c.name in table_columns
        else c
        for c in columns
    ]


def header_key(header: str) -> str:
    return re.sub(r"[\s_\-·/()]+", " ", header.strip().lower()).strip()


def parse_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = whole_number(text.replace(",", ""))
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
        if not low <= value <= high:
            raise ValueError(
                _("%(value)s is not between %(low)s and %(high)s.", value=value, low=low, high=high)
            )
        return value

    return parse


def parse_float(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = decimal_number(text)
        except ValueError:
            raise ValueError(_("Enter a number.")) from None
        if not low <= value <= high:
            raise ValueError(
                _("%(value)s is not between %(low)s and %(high)s.", value=value, low=low, high=high)
            )
        return value

    return parse


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.replace(".", "-").replace("/", "-"))
    except ValueError:
        raise ValueError(_("Enter a date (YYYY-MM-DD).")) from None


def parse_choice(choices: dict[str, Any], allowed: str = "") -> Callable[[str], Any]:
    """Accepts any key of `choices` (case-insensitive) and returns its canonical value."""
    lowered = {k.lower(): v for k, v in choices.items()}
    allowed = allowed or ", ".join(sorted(set(choices.values())))

    def parse(text: str) -> str:
        try:
            return lowered[text.strip().lower()]
        except KeyError:
            raise ValueError(
                _("%(value)s is not one of %(allowed)s.", value=repr(text), allowed=allowed)
            ) from None

    return parse


def parse_email(text: str) -> str:
    email = text.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValueError(_("%(value)s is not an email address.", value=repr(text)))
    return email


def parse_bool(text: str) -> bool:
    return parse_choice(
        {
            "yes": True,
            "y": True,
            "true": True,
            "1": True,
            "예": True,
            "o": True,
            "no": False,
            "n": False,
            "false": False,
            "0": False,
            "아니오": False,
            "x": False,
        },
        allowed="yes/no (예/아니오)",
    )(text)


def bind_headers(table: Table, columns: list[Column]) -> tuple[dict[str, int], list[Problem]]:
    """Which cell index holds each column, and problems for missing or repeated columns."""
    by_header = {header_key(h): c for c in columns for h in (c.name, *c.headers)}
    positions: dict[str, int] = {}
    problems = []
    for index, header in enumerate(table.headers):
        column = by_header.get(header_key(header))
        if column is None:
            continue  # extra columns in a coordinator's sheet are ignored
        if column.name in positions:
            problems.append(Problem(_("This column appears twice."), header=header))
        positions[column.name] = index
    for column in columns:
        if column.required and column.name not in positions:
            problems.append(
                Problem(
                    _(
                        "A required column is missing: %(column)s (also accepted: %(headers)s).",
                        column=column.name,
                        headers=", ".join(column.headers),
                    )
                )
            )
    return positions, problems


def parse_row(
    number: int, cells: list[str], columns: list[Column], positions: dict[str, int]
) -> tuple[dict[str, Any], list[Problem]]:
    """One row's values by column name, and its problems."""
    values: dict[str, Any] = {}
    problems = []
    for column in columns:
        text = cells[positions[column.name]].strip() if column.name in positions else ""
        values[column.name] = None
        if not text:
            if column.required:
                problems.append(Problem(_("Required."), number, column.name))
            values[column.name] = column.default
            continue
        if has_control_characters(text):
            problems.append(
                Problem(_("Holds a line break or another control character."), number, column.name)
            )
            continue
        try:
            value = column.parse(text)
        except ValueError as exc:
            problems.append(Problem(str(exc), number, column.name))
            continue
        if column.max_length is not None and isinstance(value, str) and len(value) > column.max_length:
            problems.append(
                Problem(_("At most %(limit)s characters.", limit=column.max_length), number, column.name)
            )
            continue
        values[column.name] = value
    return values, problems
