"""Translated display names of the states and kinds stored as short strings, keyed by their
enums (so a new state without a label fails tests/ui/test_labels.py), and the select options made
from them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from webapp.accounts.models import Role
from webapp.directory.models import CompanySize, CompanyStatus
from webapp.matching.models import AssignmentState, RunStatus, RunTrigger
from webapp.matching.service import DiffKind
from webapp.visits.models import SlotState

VOCABULARIES: dict[str, type[StrEnum]] = {
    "company_status": CompanyStatus,
    "size": CompanySize,
    "run_status": RunStatus,
    "trigger": RunTrigger,
    "assignment_state": AssignmentState,
    "diff": DiffKind,
    "slot": SlotState,
    "role": Role,
}
LABELS: dict[str, dict[Any, Any]] = {
    "company_status": {
        CompanyStatus.applied: _l("Applied"),
        CompanyStatus.active: _l("Active"),
        CompanyStatus.completed: _l("Completed"),
        CompanyStatus.withdrawn: _l("Withdrawn"),
    },
    "size": {
        CompanySize.micro: _l("Micro"),
        CompanySize.small: _l("Small"),
        CompanySize.medium: _l("Medium"),
    },
    "run_status": {
        RunStatus.running: _l("Running"),
        RunStatus.proposed: _l("Proposed"),
        RunStatus.approved: _l("Approved"),
        RunStatus.discarded: _l("Discarded"),
        RunStatus.failed: _l("Failed"),
    },
    "trigger": {
        RunTrigger.manual: _l("Manual"),
        RunTrigger.weekly: _l("Weekly"),
        RunTrigger.new_companies: _l("New companies"),
    },
    "assignment_state": {
        AssignmentState.proposed: _l("Proposed"),
        AssignmentState.approved: _l("Approved"),
        AssignmentState.ended: _l("Ended"),
    },
    "diff": {
        DiffKind.new: _l("New"),
        DiffKind.changed: _l("Changed"),
        DiffKind.kept: _l("Kept"),
        DiffKind.ended: _l("Ended"),
    },
    # The run review's kinds of row: the diff's, and companies left without a mentor.
    "review_kind": {
        DiffKind.new: _l("New"),
        DiffKind.changed: _l("Changed"),
        DiffKind.kept: _l("Kept"),
        DiffKind.ended: _l("Ended"),
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
    "review_sort": {
        "company": _l("Company"),
        "change": _l("Change"),
        "mentor": _l("Mentor"),
        "municipality": _l("Municipality"),
        "km": _l("Distance"),
        "fit": _l("Fit"),
    },
    "attention": {
        "declined": _l("Declined"),
        "reschedule": _l("Reschedule requested"),
        "unanswered": _l("Offer unanswered"),
        "day_off": _l("On the mentor's day off"),
        "closure": _l("On a closure day"),
        "no_report": _l("No report"),
    },
    "slot": {
        SlotState.proposed: _l("Offered"),
        SlotState.confirmed: _l("Confirmed"),
        SlotState.declined: _l("Declined"),
        SlotState.cancelled: _l("Cancelled"),
        SlotState.done: _l("Done"),
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
    "role": {
        Role.coordinator: _l("Coordinator"),
        Role.mentor: _l("Mentor"),
        Role.company: _l("Company"),
        Role.evaluator: _l("Evaluator"),  # translated in webapp/programs/translations
    },
    "yesno": {"yes": _l("Yes"), "no": _l("No")},
}


def label(group: str, value: Any) -> str:
    return str(LABELS[group].get(value, value))


def options(group: str) -> tuple[tuple[str, Any], ...]:
    """(value, lazy label) pairs for a select, in the enum's order."""
    return tuple((member.value, LABELS[group][member]) for member in VOCABULARIES[group])
