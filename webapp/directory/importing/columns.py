"""Column definitions shared by the company and mentor imports.

A column has a canonical name, the headers it is known by (English and Korean) and a parser
that turns a cell into a value or raises ValueError with a message naming the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from webapp.directory.importing.reader import Table


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]
    parse: Callable[[str], Any] = str
    required: bool = False
    default: Any = None


def header_key(header: str) -> str:
    return re.sub(r"[\s_\-·/()]+", " ", header.strip().lower()).strip()


def parse_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise ValueError(f"{value} is not between {low} and {high}")
        return value

    return parse


def parse_float(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise ValueError(f"{value} is not between {low} and {high}")
        return value

    return parse


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.replace(".", "-").replace("/", "-"))
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_choice(choices: dict[str, Any], allowed: str = "") -> Callable[[str], Any]:
    """Accepts any key of `choices` (case-insensitive) and returns its canonical value."""
    lowered = {k.lower(): v for k, v in choices.items()}
    allowed = allowed or ", ".join(sorted(set(choices.values())))

    def parse(text: str) -> str:
        try:
            return lowered[text.strip().lower()]
        except KeyError:
            raise ValueError(f"{text!r} is not one of {allowed}") from None

    return parse


def parse_email(text: str) -> str:
    email = text.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValueError(f"{text!r} is not an email address")
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


def bind_headers(table: Table, columns: list[Column]) -> tuple[dict[str, int], list[str]]:
    """Which cell index holds each column, and errors for missing or repeated columns."""
    by_header = {header_key(h): c for c in columns for h in (c.name, *c.headers)}
    positions: dict[str, int] = {}
    errors = []
    for index, header in enumerate(table.headers):
        column = by_header.get(header_key(header))
        if column is None:
            continue  # extra columns in a coordinator's sheet are ignored
        if column.name in positions:
            errors.append(f"header: column {column.name} appears twice ({header!r})")
        positions[column.name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(
                f"header: missing column {column.name} (also accepted: {', '.join(column.headers)})"
            )
    return positions, errors


def parse_row(
    number: int, cells: list[str], columns: list[Column], positions: dict[str, int]
) -> tuple[dict[str, Any], list[str]]:
    """One row's values by column name, and its row-numbered errors."""
    values: dict[str, Any] = {}
    errors = []
    for column in columns:
        text = cells[positions[column.name]].strip() if column.name in positions else ""
        if not text:
            if column.required:
                errors.append(f"row {number}, {column.name}: is required")
            values[column.name] = column.default
            continue
        try:
            values[column.name] = column.parse(text)
        except ValueError as exc:
            errors.append(f"row {number}, {column.name}: {exc}")
            values[column.name] = None
    return values, errors
