"""Visit slot proposer: for each approved mentor-company assignment, the next N candidate visit
slots that break no scheduling rule (see docs/slots.md). Pure: plain data in, plain data out."""

from .checker import check_schedule
from .domain import (
    CompanyCalendar,
    ConfirmedVisit,
    InvalidSlotRequest,
    MentorCalendar,
    Proposal,
    Slot,
    SlotAssignment,
    SlotRequest,
    SlotResult,
    SlotSettings,
    TimeRange,
    Window,
)
from .propose import propose_slots

__all__ = [
    "CompanyCalendar",
    "ConfirmedVisit",
    "InvalidSlotRequest",
    "MentorCalendar",
    "Proposal",
    "Slot",
    "SlotAssignment",
    "SlotRequest",
    "SlotResult",
    "SlotSettings",
    "TimeRange",
    "Window",
    "check_schedule",
    "propose_slots",
]
