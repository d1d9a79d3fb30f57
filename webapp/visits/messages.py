"""The visit workflow's refusals (VisitError codes from webapp.visits.workflow) in the page's
language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.ui.labels import label
from webapp.visits.workflow import VisitError, VisitErrorCode

MESSAGES = {
    VisitErrorCode.slot_taken: _l(
        "That slot was just taken: the mentor confirmed another visit at that time. Please pick another one."
    ),
    VisitErrorCode.offer_lapsed: _l(
        "This offer is no longer open (another time was confirmed, or your mentor changed). "
        "The times offered now are on your page."
    ),
    VisitErrorCode.company_confirms: _l("The company confirms the slot it prefers."),
    VisitErrorCode.slot_started: _l("This slot has already started; pick a later one."),
    VisitErrorCode.note_required: _l("Write a note saying which times would suit you."),
    VisitErrorCode.reason_required: _l("Give a reason."),
    VisitErrorCode.report_required: _l("Write a short report."),
    VisitErrorCode.nothing_to_decline: _l("There are no offered slots to decline."),
    VisitErrorCode.visit_started: _l("This visit has already started and can no longer be cancelled."),
    VisitErrorCode.mentor_marks_done: _l("Only the mentor can mark a visit done."),
    VisitErrorCode.not_started: _l("A visit can be marked done once it has started."),
}


def visit_message(error: VisitError) -> str:
    if error.code == VisitErrorCode.wrong_state:
        return str(
            _l(
                "This visit is %(state)s now; it cannot be changed that way.",
                state=label("slot", error.params["state"]),
            )
        )
    if error.code == VisitErrorCode.too_long:
        return str(_l("At most %(limit)s characters.", limit=error.params["limit"]))
    return str(MESSAGES[error.code])
