"""Every notification the app sends, by code: its subject, its text with %(name)s parameters
and the label of its link. English is the message id (translated in the shared catalog);
webapp.core.notifications writes them in the reader's language.

N_ only marks a text for extraction (pybabel's default keywords); it is translated when used.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(text: str) -> str:
    return text


@dataclass(frozen=True)
class MessageText:
    subject: str
    body: str
    action: str = N_("Open in the app")


CATALOG: dict[str, MessageText] = {
    "slots_offered": MessageText(
        N_("Visit times offered by mentor %(mentor)s"),
        N_("Mentor %(mentor)s can visit %(company)s at these times. Please confirm one:\n%(times)s"),
        N_("Choose a time"),
    ),
    "slots_none_fit": MessageText(
        N_("No visit time fits your preferences yet"),
        N_(
            "No time of mentor %(mentor)s in the next %(weeks)s weeks fits the preferences of "
            "%(company)s (%(preferences)s). The coordinator has been told and will arrange a time "
            "with you; you can also widen your preferences when you decline."
        ),
    ),
    "visit_confirmed": MessageText(
        N_("Visit confirmed: %(company)s, %(when)s"),
        N_("%(company)s confirmed the visit of mentor %(mentor)s on %(when)s.\nAddress: %(address)s"),
        N_("Open my schedule"),
    ),
    "offers_declined": MessageText(
        N_("%(company)s declined the offered times"),
        N_(
            "%(company)s declined the offered visit times.\nSuits: %(preferences)s\nNote: %(note)s\n"
            "New times that fit are offered automatically."
        ),
    ),
    "visit_cancelled": MessageText(
        N_("Visit cancelled: %(company)s, %(when)s"),
        N_(
            "%(actor)s cancelled the visit of mentor %(mentor)s at %(company)s on %(when)s.\n"
            "Reason: %(reason)s\nThe next visits are offered as planned."
        ),
    ),
    "visit_reschedule": MessageText(
        N_("New time needed: %(company)s, %(when)s"),
        N_(
            "%(actor)s asked to move the visit of mentor %(mentor)s at %(company)s on %(when)s.\n"
            "Reason: %(reason)s\nNew times will be offered to %(company)s."
        ),
    ),
    "offers_withdrawn_day_off": MessageText(
        N_("Offered times on %(day)s withdrawn"),
        N_(
            "Mentor %(mentor)s is not available on %(day)s, so the visit times offered on that day "
            "were withdrawn. New times will be offered."
        ),
        N_("Choose a time"),
    ),
    "visit_on_day_off": MessageText(
        N_("Confirmed visit on a day off: %(company)s, %(day)s"),
        N_(
            "The confirmed visit of mentor %(mentor)s at %(company)s on %(when)s falls on a day off "
            "(%(day)s). Please cancel it or ask the company to reschedule it."
        ),
        N_("Open the schedule"),
    ),
    "reminder_day_before": MessageText(
        N_("Tomorrow: visit at %(company)s, %(when)s"),
        N_("Reminder: mentor %(mentor)s visits %(company)s tomorrow, %(when)s.\nAddress: %(address)s"),
    ),
    "reminder_morning": MessageText(
        N_("Today: visit at %(company)s, %(when)s"),
        N_("Reminder: mentor %(mentor)s visits %(company)s today, %(when)s.\nAddress: %(address)s"),
    ),
    "meeting_offered": MessageText(
        N_("Please confirm the time of your %(meeting)s"),
        N_(
            "Mentor %(mentor)s, the lead of your mentor team, offers these times for the %(meeting)s "
            "at %(company)s (%(address)s). Please confirm one:\n%(times)s"
        ),
        N_("Choose a time"),
    ),
    "inspection_notice": MessageText(
        N_("On-site inspection: %(company)s, %(when)s"),
        N_("%(what)s\n%(company)s: %(when)s\n%(note)s"),
        N_("Open my inspections"),
    ),
    "visit_cancelled_by_office": MessageText(
        N_("Visit cancelled by the programme office"),
        N_("The programme office cancelled the visit on %(when)s.\nReason: %(reason)s"),
    ),
    "mentor_reassigned_company": MessageText(
        N_("Your mentor is now %(mentor)s"),
        N_(
            "The programme office assigned mentor %(mentor)s to %(company)s from now on.\n"
            "Reason: %(reason)s\nThe app shows which visits stay and the times mentor %(mentor)s "
            "offers you."
        ),
        N_("Choose a time"),
    ),
    "mentor_reassigned_former": MessageText(
        N_("%(company)s now has another mentor"),
        N_(
            "The programme office assigned mentor %(mentor)s to %(company)s from now on.\n"
            "Reason: %(reason)s\nYour visits at %(company)s still to come are cancelled or handed "
            "over to mentor %(mentor)s."
        ),
        N_("Open my schedule"),
    ),
    "mentor_reassigned_new": MessageText(
        N_("New company for you: %(company)s"),
        N_(
            "The programme office assigned %(company)s to you (mentor %(mentor)s) from now on.\n"
            "Reason: %(reason)s\nIts visits appear in your schedule, and times from it are offered "
            "to the company."
        ),
        N_("Open my schedule"),
    ),
    "invitation": MessageText(
        N_("Your login to the Jeonbuk smart-factory mentoring app"),
        N_(
            "A login was made for you (%(email)s). Choose your password with the link below; it "
            "works once and until %(expires)s."
        ),
        N_("Set my password"),
    ),
}
