"""Translated names of the planning states and kinds shown on the pages (`plan_label` in templates)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "state": {
        "planned": _l("Planned"),
        "agreed": _l("Agreed"),
        "on_site": _l("On site"),
        "completed": _l("Completed"),
        "cancelled": _l("Cancelled"),
    },
    "status": {
        "running": _l("Running"),
        "proposed": _l("Proposed"),
        "approved": _l("Approved"),
        "discarded": _l("Discarded"),
        "failed": _l("Failed"),
        "solved": _l("Computed"),
    },
    "trigger": {
        "manual": _l("Manual"),
        "weekly": _l("Weekly"),
        "new_companies": _l("New applicants"),
        "scenario": _l("Scenario"),
    },
    "change": {
        "new": _l("New"),
        "moved": _l("Moved"),
        "team": _l("Team changed"),
        "moved_team": _l("Moved, team changed"),
        "dropped": _l("Dropped"),
        "kept": _l("Kept"),
    },
    "role": {"lead": _l("Lead"), "member": _l("Member")},
    "purpose": {
        "kickoff": _l("Kickoff meeting"),
        "midterm": _l("Mid-term check"),
        "completion": _l("Completion evaluation"),
    },
}


def plan_label(group: str, value) -> str:
    return str(LABELS[group].get(value, value))
