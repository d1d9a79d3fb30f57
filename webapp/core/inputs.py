"""The input rules every way in shares (spreadsheet import, forms, the JSON API, query strings).

Python's int() and float() accept full-width and Arabic-Indic digits and underscores (U+FF11,
U+0661, "1_0"), and any text may carry line breaks or control characters that break calendar
feeds and emails later. Numbers are therefore read from ASCII digits only, and text fields
refuse control characters; the import's columns, the record forms, the API and the query
arguments all call these.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,18}(\.[0-9]{1,18})?")


def whole_number(text: str) -> int:
    """A whole number written in ASCII digits; ValueError otherwise."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text.strip()):
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


def decimal_number(text: str) -> float:
    """A decimal number written in ASCII digits with an optional point; ValueError otherwise
    (no exponents, no nan or inf)."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text.strip()):
        raise ValueError(f"{text!r} is not a number")
    return float(text)


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs and other control characters (Unicode category Cc), which no name,
    address or phone number holds."""
    return any(unicodedata.category(char) == "Cc" for char in text)


def whole_number_params(
    raw: Mapping[str, Any], limits: Mapping[str, tuple[int, int]], defaults: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, str]]:
    """Named whole-number settings (a solver's parameters) checked against their (low, high)
    limits: the cleaned values over the defaults, and per-field errors (English message ids).
    Empty values mean "not set": the default, or the rule stays off."""
    cleaned: dict[str, int] = dict(defaults)
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if name not in limits:
            errors[name] = "unknown parameter"
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        low, high = limits[name]
        try:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            number = whole_number(value) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            errors[name] = "must be a whole number"
            continue
        if not low <= number <= high:
            errors[name] = f"must be between {low} and {high}"
            continue
        cleaned[name] = number
    return cleaned, errors
