"""The solver's reasons (plain English from matcher.explain, part of its JSON contract) in the
page's language. Stored runs keep the English; only the pages translate it. A reason this module
does not know is shown as it is."""

from __future__ import annotations

import re

from flask import g
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from webapp.core.request_db import db
from webapp.directory.models import Industry, Mentor
from webapp.ui.i18n import local_name

FIXED = {
    "pinned (confirmed visits)": _l("pinned (confirmed visits)"),
    "pinned by a coordinator": _l("pinned by a coordinator"),  # matching.service.PINNED_BY_COORDINATOR
    "reassigned by a coordinator": _l("reassigned by a coordinator"),  # desk.reassign.REASSIGNED
    "kept for stability": _l("kept for stability"),
    "same mentor as before": _l("same mentor as before"),
    "less than 1 km away": _l("less than 1 km away"),
}
KM = r"(?P<limit>[0-9.e+]+) km"
PATTERNS = [  # (the English form, its translation given the matched values)
    (
        re.compile(r"same industry (?P<industry>\S+) \(fit (?P<fit>\d+)\)"),
        lambda v: _l("same industry %(industry)s (fit %(fit)s)", **v),
    ),
    (re.compile(r"(?P<km>\d+) km away"), lambda v: _l("%(km)s km away", **v)),
    (re.compile(r"priority (?P<priority>\d+)"), lambda v: _l("priority %(priority)s", **v)),
    (
        re.compile(r"no mentor of industry (?P<industry>\S+)"),
        lambda v: _l("no mentor of industry %(industry)s", **v),
    ),
    (
        re.compile(rf"no qualified mentor within {KM} \(nearest is (?P<nearest>\d+) km away\)"),
        lambda v: _l("no qualified mentor within %(limit)s km (nearest is %(nearest)s km away)", **v),
    ),
    (
        re.compile(rf"no qualified mentor within {KM}"),
        lambda v: _l("no qualified mentor within %(limit)s km", **v),
    ),
    (
        re.compile(rf"excluded by every qualified mentor within {KM} \(conflict of interest\)"),
        lambda v: _l("excluded by every qualified mentor within %(limit)s km (conflict of interest)", **v),
    ),
    (
        re.compile(rf"all (?P<n>\d+) qualified mentor\(s\) within {KM} are full"),
        lambda v: _l("all %(n)s qualified mentor(s) within %(limit)s km are full", **v),
    ),
    (
        re.compile(
            rf"the (?P<n>\d+) qualified mentor\(s\) within {KM} with free places already cover "
            r"(?P<k>\d+) municipalities \(max_municipalities_per_mentor\)"
        ),
        lambda v: _l(
            "the %(n)s qualified mentor(s) within %(limit)s km with free places already cover "
            "%(k)s municipalities (the limit per mentor)",
            **v,
        ),
    ),
]


def industry_label(code: str) -> str:
    """A KSIC code with its name in the page's language, e.g. "C29 기타 기계 및 장비 제조업".
    The industries are read once per request (a page shows a reason on every row)."""
    if "industries" not in g:
        g.industries = {industry.code: industry for industry in db().exec(select(Industry))}
    industry = g.industries.get(code)
    return f"{code} {local_name(industry)}" if industry else code


INFEASIBLE = re.compile(r"no assignment satisfies the side rules: (?P<details>.+)")
PINNED_TOO_WIDE = re.compile(
    r'mentor "m-(?P<mentor>\d+)" is pinned to companies in more than (?P<k>\d+) '
    r"municipalities \(max_municipalities_per_mentor = \d+\)"
)


def _mentor_name(mentor_id: int) -> str:
    mentor = db().get(Mentor, mentor_id)
    return mentor.name if mentor else f"#{mentor_id}"


def _infeasible(details: str) -> str:
    """The solver's note when confirmed visits alone break max_municipalities_per_mentor, with
    the webapp's mentor refs ("m-<id>") shown as names."""
    parts = []
    for part in details.split("; "):
        match = PINNED_TOO_WIDE.fullmatch(part)
        parts.append(
            str(
                _l(
                    "%(mentor)s has confirmed visits in more than %(k)s municipalities",
                    mentor=_mentor_name(int(match["mentor"])),
                    k=match["k"],
                )
            )
            if match
            else part
        )
    return str(
        _l(
            "no assignment keeps the limit of municipalities per mentor: %(details)s",
            details="; ".join(parts),
        )
    )


def reason_text(reason: str) -> str:
    if reason in FIXED:
        return str(FIXED[reason])
    if match := INFEASIBLE.fullmatch(reason):
        return _infeasible(match["details"])
    for pattern, template in PATTERNS:
        if match := pattern.fullmatch(reason):
            values = match.groupdict()
            if "industry" in values:
                values["industry"] = industry_label(values["industry"])
            return str(template(values))
    return reason
