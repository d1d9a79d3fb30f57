"""Shows the import's and the solver parameters' validation messages in the page's language.

Those messages are plain English strings made by code shared with the command line (e.g.
"row 7, priority: 9 is not between 1 and 5"); the pages translate the known shapes and pass
anything else through unchanged.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PATTERNS = [
    (r"is required", _l("Required.")),
    (
        r"(?P<value>'.*') is not 10 digits \(format 123-45-67890\)",
        _l("%(value)s is not 10 digits (123-45-67890)."),
    ),
    (r"(?P<value>'.*') has a wrong check digit", _l("%(value)s has a wrong check digit.")),
    (
        r"(?P<value>\S+) is not between (?P<low>\S+) and (?P<high>\S+)",
        _l("%(value)s is not between %(low)s and %(high)s."),
    ),
    (r"must be between (?P<low>\S+) and (?P<high>\S+)", _l("Must be between %(low)s and %(high)s.")),
    (r"(?P<value>'.*') is not a whole number|must be a whole number", _l("Enter a whole number.")),
    (r"(?P<value>'.*') is not a number", _l("Enter a number.")),
    (r"(?P<value>'.*') is not an email address", _l("%(value)s is not an email address.")),
    (r"(?P<value>'.*') is not a date \(YYYY-MM-DD\)", _l("Enter a date (YYYY-MM-DD).")),
    (
        r"(?P<value>'.*') is not one of the 14 cities and counties of North Jeolla",
        _l("%(value)s is not one of the 14 cities and counties of North Jeolla."),
    ),
    (
        r"(?P<value>'.*') is not a KSIC manufacturing division \(C10-C34\)",
        _l("%(value)s is not a KSIC manufacturing division (C10-C34)."),
    ),
    (r"(?P<value>'.*') is not one of (?P<allowed>.+)", _l("%(value)s is not one of %(allowed)s.")),
    (r"give both coordinates or neither", _l("Give both latitude and longitude, or neither.")),
    (r"is already registered", _l("Already registered.")),
    (r"is longer than (?P<limit>\d+) characters", _l("At most %(limit)s characters.")),
]
_COMPILED = [(re.compile(pattern), message) for pattern, message in PATTERNS]
_ROW = re.compile(r"row (?P<row>\d+), (?P<field>[\w/]+): (?P<rest>.*)", re.S)


def localized(message: str) -> str:
    """One validation message in the current language (unknown shapes unchanged)."""
    row = _ROW.fullmatch(message)
    if row:
        return _(
            "row %(row)s, %(field)s: %(message)s",
            row=row["row"],
            field=row["field"],
            message=localized(row["rest"]),
        )
    for pattern, text in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return str(text) % {k: v for k, v in match.groupdict().items() if v is not None}
    return message
