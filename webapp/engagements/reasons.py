"""The planner's reasons (English, part of its contract) in the page's language, with mentors'
names for their refs and industries' names; stored runs and the API keep the English. A reason
this module does not know is shown as it is. Also the page's words for skills and dates."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import g
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from webapp.core.clock import local_time
from webapp.core.db import id_of
from webapp.core.request_db import db
from webapp.directory.models import Mentor
from webapp.matching.reasons import industry_label
from webapp.ui.field_messages import localized
from webapp.ui.labels import label

SKILLS = {
    "automation": _l("automation"),
    "quality": _l("quality"),
    "logistics": _l("logistics"),
    "it": _l("IT"),
    "safety": _l("safety"),
    "layout": _l("layout"),
    "equipment": _l("equipment"),
}
FIXED = {
    "pinned (running or agreed engagement)": _l("kept: agreed or under way"),
    "kept as planned": _l("kept as planned"),
    "not selected within the time limit (a valid team is free; a longer search may serve it)": _l(
        "not selected within the time limit (a valid team is free; a longer search may serve it)"
    ),
}
KM = r"(?P<limit>[0-9.e+]+) km"
NEED = r"(?P<need>a team of \d+|a mentor)"
PATTERNS = [
    (
        re.compile(r"lead (?P<mentor>\S+): same industry (?P<industry>\S+) \(fit (?P<fit>\d+)\)"),
        lambda v: _l("lead %(mentor)s: same industry %(industry)s (fit %(fit)s)", **v),
    ),
    (
        re.compile(r"no member of industry (?P<industry>\S+) \(pinned team\)"),
        lambda v: _l("no member of industry %(industry)s (agreed team)", **v),
    ),
    (re.compile(r"covers (?P<skills>.+)"), lambda v: _l("covers %(skills)s", **v)),
    (re.compile(r"(?:team )?lives (?P<km>[\d-]+) km away"), lambda v: _l("lives %(km)s km away", **v)),
    (
        re.compile(rf"no valid team: (?P<n>\d+) mentor\(s\) within {KM}, {NEED} is needed"),
        lambda v: _l("no valid team: %(n)s mentor(s) within %(limit)s km, %(need)s needed", **v),
    ),
    (
        re.compile(
            rf"no valid team: excluded by mentors within {KM} \(conflict of interest\), {NEED} is needed"
        ),
        lambda v: _l(
            "no valid team: excluded by the mentors within %(limit)s km (conflict of interest), "
            "%(need)s needed",
            **v,
        ),
    ),
    (
        re.compile(rf"no valid team: no mentor of industry (?P<industry>\S+) within {KM}"),
        lambda v: _l("no valid team: no mentor of industry %(industry)s within %(limit)s km", **v),
    ),
    (
        re.compile(rf"no valid team: no mentor within {KM} holds skill (?P<skills>\S+)"),
        lambda v: _l("no valid team: no mentor within %(limit)s km has the skill %(skills)s", **v),
    ),
    (
        re.compile(
            rf"no valid team: no {NEED} within {KM} covers industry (?P<industry>\S+) and its skills together"
        ),
        lambda v: _l(
            "no valid team: no %(need)s within %(limit)s km covers industry %(industry)s "
            "and its skills together",
            **v,
        ),
    ),
    (
        re.compile(r"quota (?P<track>\S+) reached by higher-scored applicants"),
        lambda v: _l("quota of %(track)s reached by higher-scored applicants", **v),
    ),
    (
        re.compile(r"quota (?P<track>\S+) reached \(.*\)"),
        lambda v: _l(
            "quota of %(track)s reached (the lower-scored applicants selected fit the free weeks)", **v
        ),
    ),
    (
        re.compile(r"qualified mentors busy in every possible window \(weeks (?P<first>\d+)-(?P<last>\d+)\)"),
        lambda v: _l("qualified mentors are busy in every possible window (weeks %(first)s-%(last)s)", **v),
    ),
    (
        re.compile(
            r"too late in the year: (?P<n>\d+) weeks from week (?P<week>\d+) "
            r"end after the year's (?P<h>\d+) weeks"
        ),
        lambda v: _l(
            "too late in the year: %(n)s weeks from week %(week)s end after the year's %(h)s weeks", **v
        ),
    ),
]


def mentor_label(ref: str) -> str:
    """A mentor's name for an instance ref ("m-3"); a scenario's added mentor is "+1"."""
    kind, _, number = ref.partition("-")
    if kind != "m" or not number.isdigit():
        return str(_l("added mentor %(n)s", n=number))
    return _mentor_names().get(int(number), ref)


def _mentor_names() -> dict[int, str]:
    """Every mentor's name, read once per request (a plan's charts name hundreds of bars)."""
    if "mentor_names" not in g:
        g.mentor_names = {id_of(m): m.name for m in db().exec(select(Mentor))}
    return g.mentor_names


def skill_label(skill: str) -> str:
    return str(SKILLS.get(skill, skill))


def _need(text: str) -> str:
    return str(_l("a mentor")) if text == "a mentor" else str(_l("a team of %(n)s", n=text.rsplit(" ", 1)[1]))


def reason_text(reason: str) -> str:
    if reason in FIXED:
        return str(FIXED[reason])
    for pattern, template in PATTERNS:
        if match := pattern.fullmatch(reason):
            values = match.groupdict()
            if "industry" in values:
                values["industry"] = industry_label(values["industry"])
            if "mentor" in values:
                values["mentor"] = mentor_label(values["mentor"])
            if "need" in values:
                values["need"] = _need(values["need"])
            if "skills" in values:
                values["skills"] = ", ".join(skill_label(s) for s in values["skills"].split(", "))
            return str(template(values))
    return reason


def day_text(day: date) -> str:
    """A date as people write it: 2026. 11. 30.(월) in Korean, Mon 30 Nov 2026 in English."""
    if str(get_locale()) == "ko":
        return f"{day.year}. {day.month}. {day.day}.({str(label('weekday', day.weekday()))[0]})"
    return format_date(day, "EEE d MMM yyyy")


def day_time_text(moment: datetime) -> str:
    """A stored time in Asia/Seoul as people write it: 2026. 11. 30.(월) 10:00."""
    local = local_time(moment)
    return f"{day_text(local.date())} {local:%H:%M}"


def month_text(day: date) -> str:
    return f"{day.month}월" if str(get_locale()) == "ko" else format_date(day, "MMM")


SCENARIO_MESSAGES = [
    (
        re.compile(r"write name \| municipality \| skills \| industries"),
        lambda v: _l("write: name | city or county | skills | industries"),
    ),
    (re.compile(r"unknown mentor"), lambda v: _l("Unknown mentor.")),
    (
        re.compile(r"(?P<item>'.*') is not an industry code with a fit 1-100 \(C29:90\)"),
        lambda v: _l("%(item)s is not an industry code with a fit from 1 to 100 (C29:90).", **v),
    ),
    (
        re.compile(r"engagements at once (?P<rest>.*)"),
        lambda v: _l("engagements at once: %(rest)s", rest=localized(v["rest"])),
    ),
    (re.compile(r"at most (?P<n>\d+) added mentors"), lambda v: _l("At most %(n)s added mentors.", **v)),
    (
        re.compile(r"give between (?P<low>\d+) and (?P<high>\d+) different mentor counts"),
        lambda v: _l("Give between %(low)s and %(high)s different numbers of mentors.", **v),
    ),
]
LINE = re.compile(r"line (?P<n>\d+): (?P<rest>.*)")


def scenario_message(message: str) -> str:
    """A scenario form's error ("line 2: ..."; several joined by "; ") in the page's language."""
    out = []
    for part in message.split("; "):
        line = LINE.fullmatch(part)
        text = line["rest"] if line else part
        for pattern, template in SCENARIO_MESSAGES:
            if match := pattern.fullmatch(text):
                text = str(template(match.groupdict()))
                break
        else:
            text = localized(text)
        out.append(str(_l("line %(n)s: %(message)s", n=line["n"], message=text)) if line else text)
    return "; ".join(out)
