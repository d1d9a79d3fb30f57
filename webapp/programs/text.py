"""The program pages' words: state labels, form choices, and this package's validation messages
in the page's language (the shared shapes go through webapp.ui.field_messages)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from webapp.directory.models import Industry, Municipality
from webapp.ui.field_messages import localized
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
    "stage": {
        "applied": _l("Applied"),
        "eligible": _l("Eligible"),
        "inspected": _l("Inspected"),
        "scored": _l("Scored"),
        "selected": _l("Selected"),
    },
}

PATTERNS = [
    (r"(?P<value>'.*') is not a phone number", _l("%(value)s is not a phone number (e.g. 063-123-4567).")),
    (
        r"(?P<value>\S+) has already applied to this cohort",
        _l("%(value)s has already applied to this cohort."),
    ),
    (r"has already applied to this cohort", _l("This business number has already applied to this cohort.")),
    (
        r"(?P<value>'.*') is not one of (?P<allowed>[A-Z0-9, ]+)",
        _l("%(value)s is not a track of this cohort (%(allowed)s)."),
    ),
    (
        r"consent to the personal-data notice is required",
        _l("Without consent to the personal-data notice we cannot take the application."),
    ),
    (r"must be after the opening", _l("Must be after the opening.")),
    (r"an open cohort needs its application period", _l("An open cohort needs its application period.")),
    (r"must be a Monday", _l("Must be a Monday.")),
    (r"must not exceed the weeks of the horizon", _l("Must not exceed the weeks of the horizon.")),
    (r"(?P<value>\S+) appears twice", _l("%(value)s appears twice.")),
    (r"a cohort needs at least one track", _l("A cohort needs at least one track.")),
    (r"applications use track (?P<value>.+); keep it", _l("Applications use track %(value)s; keep it.")),
    (r"(?P<value>'.*') is not a date and time \(YYYY-MM-DD HH:MM\)", _l("Enter a date and time.")),
    (r"(?P<value>'.*') is not a time \(HH:MM\)", _l("Enter a time (HH:MM).")),
    (r"must not be before the first day", _l("Must not be before the first day.")),
    (r"the window is at most 62 days", _l("The window is at most 62 days.")),
    (r"the day must be longer than one visit", _l("The day must be longer than one visit.")),
    (r"choose two different mentors", _l("Choose two different mentors.")),
    (r"no such active mentor", _l("Choose an active mentor.")),
    (r"(this mentor|one of these mentors) is already in a pair", _l("This mentor is already in a pair.")),
    (r"choose the technopark or the first mentor's home", _l("Choose where the day starts.")),
    (r"set the inspection window first", _l("Set the inspection window first.")),
    (r"choose working days inside the window", _l("Choose working days inside the window.")),
    (
        r"add at least one mentor pair with days in the window",
        _l("Add at least one mentor pair with days in the window."),
    ),
    (
        r"this pair has confirmed inspections; it cannot be removed",
        _l("This pair has confirmed inspections; it cannot be removed."),
    ),
    (
        r"inspections of this cohort are being planned already; wait for it",
        _l("The inspections of this cohort are being planned already; wait for it."),
    ),
    (
        r"this time is no longer offered; the page shows the current one",
        _l("This time is no longer offered; the page shows the current one."),
    ),
    (r"no such evaluator", _l("No such evaluator.")),
    (
        r"has declared a conflict of interest with this company",
        _l("This evaluator has declared a conflict of interest with this company."),
    ),
    (r"create the committee's evaluators first", _l("Create the committee's evaluators first.")),
    (
        r"the coordinator has decided on this application; scores are closed",
        _l("The coordinator has decided on this application; scores are closed."),
    ),
    (r"choose selected, waitlisted or rejected", _l("Choose selected, waiting list or rejected.")),
    (r"only an eligible application can be decided", _l("Only an eligible application can be decided.")),
    (r"no evaluator has scored this application yet", _l("No evaluator has scored this application yet.")),
    (
        r"someone else decided on this application a moment ago; look again",
        _l("Someone else decided on this application a moment ago; look again."),
    ),
    (r"choose a score from 1 to 5", _l("Choose a score from 1 to 5.")),
    (r"choose a recommendation", _l("Choose a recommendation.")),
]
_COMPILED = [(re.compile(p), m) for p, m in PATTERNS]


def message(text: str) -> str:
    """One of this package's messages (or a shared shape) in the page's language."""
    text = str(text)
    for pattern, translated in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            return str(translated) % {k: v for k, v in match.groupdict().items() if v is not None}
    return localized(text)


def field_message(text: str) -> tuple[str, str]:
    """("field", translated message) of a service's "field: message" error."""
    field, _, rest = str(text).partition(": ")
    return (field, message(rest)) if rest else ("", message(text))


def label(group: str, value) -> str:
    return str(LABELS[group].get(value, value))


def form_choices(session: Session) -> dict:
    municipalities = sorted(session.exec(select(Municipality)), key=local_name)
    industries = list(session.exec(select(Industry).order_by(col(Industry.code))))
    return {
        "municipality_choices": [(m.name_en, local_name(m)) for m in municipalities],
        "industry_choices": [(i.code, f"{i.code} {local_name(i)}") for i in industries],
    }
