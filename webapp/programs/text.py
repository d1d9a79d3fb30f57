"""The program pages' words: state labels, form choices, the fields' names, and `Refused`, the
one shape of this package's refusals (problems by field, in the reader's language)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlmodel import Session, col, select

from matcher.routing import explain
from webapp.core.inputs import whole_number
from webapp.directory.models import Industry, Municipality
from webapp.ui.i18n import local_name

LABELS = {
    "eligibility": {"pending": _l("Pending"), "eligible": _l("Eligible"), "ineligible": _l("Not eligible")},
    "decision": {
        "pending": _l("Undecided"),
        "selected": _l("Selected"),
        "waitlisted": _l("Waiting list"),
        "rejected": _l("Not selected"),
    },
    "inspection": {
        "proposed": _l("Offered"),
        "confirmed": _l("Confirmed"),
        "declined": _l("Another time asked"),
        "done": _l("Inspected"),
        "cancelled": _l("Withdrawn"),
    },
    "recommendation": {
        "": _l("Not yet"),
        "recommend": _l("Recommend"),
        "conditional": _l("Recommend with conditions"),
        "not_recommended": _l("Do not recommend"),
    },
    "mode": {"resident": _l("Resident teams"), "visiting": _l("Visiting mentors")},
    "cohort_status": {
        "draft": _l("Draft"),
        "applications_open": _l("Applications open"),
        "selection": _l("Selection"),
        "running": _l("Running"),
        "closed": _l("Closed"),
    },
    "start_from": {"technopark": _l("Jeonbuk Technopark (Jeonju)"), "home": _l("First mentor's home")},
    "routing": {"running": _l("Planning…"), "done": _l("Routes planned"), "failed": _l("Failed")},
    "source": {"form": _l("Online application form"), "import": _l("Spreadsheet import")},
    "stage": {
        "applied": _l("Applied"),
        "eligible": _l("Eligible"),
        "inspected": _l("Inspected"),
        "scored": _l("Scored"),
        "selected": _l("Selected"),
    },
}

# Why the router left an applicant without a place: the routing contract's fixed English (stored
# as the router gave it) in the page's language.
UNSERVED = {
    explain.NOT_ALLOWED: _l("No pair's day is open to it."),
    explain.UNREACHABLE: _l("No pair can reach it within the times it can be visited."),
    explain.TOO_BIG: _l("It needs more than any pair's day can hold."),
    explain.NO_ROOM_ALLOWED: _l("The pair days open to it are full."),
    explain.DISPLACED: _l("Left out: placing it would push out inspections that come first."),
    explain.DISPLACED_EQUAL: _l("Left out: the pairs that can reach it are fully booked."),
    explain.NO_ROOM: _l("Left out: no pair that can reach it has time left."),
}


def unserved_reason(reason: str) -> str:
    return str(UNSERVED.get(reason, reason))


# What the forms call their fields, for a refusal shown away from its field (a flash).
FIELDS = {
    "business_reg_no": _l("Business registration number"),
    "contact_name": _l("Contact person"),
    "contact_phone": _l("Phone"),
    "contact_email": _l("Email"),
    "reason": _l("Reason"),
    "note": _l("Note"),
    "evaluator": _l("Evaluator"),
    "mentor_a": _l("First mentor"),
    "mentor_b": _l("Second mentor"),
    "start_from": _l("The day starts at"),
}


class Refused(ValueError):
    """A change refused, nothing stored: what is wrong, by field (the form's field name, or a
    word such as "decision" for the request as a whole).

    Messages are lazy texts (or texts already translated, such as the import's problems), so
    they read in the language of whoever sees them: the page's on pages, English in the API.
    `conflict` marks a refusal by the current state (someone acted first, scores closed), not
    by what was typed: 409 rather than 400 or 422.
    """

    def __init__(self, errors: Mapping[str, str | LazyString], *, conflict: bool = False):
        self.errors = dict(errors)
        self.conflict = conflict
        super().__init__(self.errors)

    def __str__(self) -> str:
        return "; ".join(f"{field}: {text}" for field, text in self.errors.items())

    def messages(self) -> dict[str, str]:
        """Field -> message as plain text. Templates get these, never the lazy texts (a lazy
        text passes as markup: a value the user typed in it would not be escaped)."""
        return {field: str(text) for field, text in self.errors.items()}

    def text(self) -> str:
        """Every problem in one line, each after the name its form gives the field."""
        return " ".join(
            f"{FIELDS[field]}: {text}" if field in FIELDS else str(text)
            for field, text in self.errors.items()
        )


Errors = dict[str, LazyString]
REQUIRED = _l("Required.")


def int_field(form, name: str, low: int, high: int, errors: Errors, *, optional: bool = False) -> int | None:
    """The form's whole number `name` within low..high (ASCII digits, commas allowed), or None
    with its error in `errors`."""
    text = (form.get(name) or "").strip().replace(",", "")
    if not text:
        if not optional:
            errors[name] = REQUIRED
        return None
    try:
        value = whole_number(text)
    except ValueError:
        errors[name] = _l("Enter a whole number.")
        return None
    if not low <= value <= high:
        errors[name] = _l("%(value)s is not between %(low)s and %(high)s.", value=value, low=low, high=high)
        return None
    return value


def label(group: str, value) -> str:
    return str(LABELS[group].get(value, value))


def form_choices(session: Session) -> dict:
    municipalities = sorted(session.exec(select(Municipality)), key=local_name)
    industries = list(session.exec(select(Industry).order_by(col(Industry.code))))
    return {
        "municipality_choices": [(m.name_en, local_name(m)) for m in municipalities],
        "industry_choices": [(i.code, f"{i.code} {local_name(i)}") for i in industries],
    }
