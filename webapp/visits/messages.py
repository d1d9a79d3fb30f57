"""The visit workflow's messages (plain English from webapp.visits.workflow) in the page's language."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from webapp.ui.labels import label

MESSAGES = {
    "that slot was just taken: the mentor confirmed another visit at that time": _l(
        "That slot was just taken: the mentor confirmed another visit at that time. Please pick another one."
    ),
    "this offer is no longer open; the offers on your page now are": _l(
        "This offer is no longer open (another time was confirmed, or your mentor changed). "
        "The times offered now are on your page."
    ),
    "the company confirms the slot it prefers": _l("The company confirms the slot it prefers."),
    "this slot has already started; pick a later one": _l("This slot has already started; pick a later one."),
    "a note saying which times would suit you is required": _l(
        "Write a note saying which times would suit you."
    ),
    "a reason is required": _l("Give a reason."),
    "a short report is required": _l("Write a short report."),
    "there are no offered slots to decline": _l("There are no offered slots to decline."),
    "this visit has already started and can no longer be cancelled": _l(
        "This visit has already started and can no longer be cancelled."
    ),
    "only the mentor can mark a visit done": _l("Only the mentor can mark a visit done."),
    "a visit can be marked done once it has started": _l("A visit can be marked done once it has started."),
}
_STATE = re.compile(r"this visit is (?P<state>\w+); it cannot be changed that way")
_TOO_LONG = re.compile(r".* is longer than (?P<limit>\d+) characters")


def visit_message(message: str) -> str:
    if message in MESSAGES:
        return str(MESSAGES[message])
    if match := _STATE.fullmatch(message):
        return str(
            _l(
                "This visit is %(state)s now; it cannot be changed that way.",
                state=label("slot", match["state"]),
            )
        )
    if match := _TOO_LONG.fullmatch(message):
        return str(_l("At most %(limit)s characters.", limit=match["limit"]))
    return message
