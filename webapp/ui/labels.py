"""Translated display names of the short state strings stored in the database."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "company_status": {
        "applied": _l("Applied"),
        "active": _l("Active"),
        "completed": _l("Completed"),
        "withdrawn": _l("Withdrawn"),
    },
    "size": {"micro": _l("Micro"), "small": _l("Small"), "medium": _l("Medium")},
    "run_status": {
        "running": _l("Running"),
        "proposed": _l("Proposed"),
        "approved": _l("Approved"),
        "discarded": _l("Discarded"),
        "failed": _l("Failed"),
    },
    "trigger": {"manual": _l("Manual"), "weekly": _l("Weekly"), "new_companies": _l("New companies")},
    "diff": {
        "new": _l("New"),
        "changed": _l("Changed"),
        "kept": _l("Kept"),
        "ended": _l("Ended"),
        "without": _l("Without a mentor"),
    },
    "unmatched_why": {
        "industry": _l("no mentor of their industry"),
        "distance": _l("no qualified mentor near enough"),
        "full": _l("the qualified mentors are full"),
        "conflict": _l("conflict of interest"),
        "municipalities": _l("the limit of municipalities per mentor"),
        "other": _l("other reasons"),
    },
    "attention": {
        "declined": _l("Declined"),
        "reschedule": _l("Reschedule requested"),
        "unanswered": _l("Offer unanswered"),
        "day_off": _l("On the mentor's day off"),
        "no_report": _l("No report"),
    },
    "review_sort": {
        "company": _l("Company"),
        "change": _l("Change"),
        "mentor": _l("Mentor"),
        "municipality": _l("Municipality"),
        "km": _l("Distance"),
        "fit": _l("Fit"),
    },
    "slot": {
        "proposed": _l("Offered"),
        "confirmed": _l("Confirmed"),
        "declined": _l("Declined"),
        "cancelled": _l("Cancelled"),
        "done": _l("Done"),
    },
    "weekday": {
        0: _l("Monday"),
        1: _l("Tuesday"),
        2: _l("Wednesday"),
        3: _l("Thursday"),
        4: _l("Friday"),
        5: _l("Saturday"),
        6: _l("Sunday"),
    },
    "role": {"coordinator": _l("Coordinator"), "mentor": _l("Mentor"), "company": _l("Company")},
    "yesno": {"yes": _l("Yes"), "no": _l("No")},
}


def label(group: str, value) -> str:
    return str(LABELS[group].get(value, value))
