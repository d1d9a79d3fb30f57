"""Inspection planning: the pairs and their days, the routing instance built from the database,
the solve in the background, the routes stored as inspections, the company's confirmation or
request for another time, and replanning around what is confirmed.

Times in the routing instance are minutes since midnight (Asia/Seoul) of the window's first
day (routing-contract.md). A confirmed inspection is pinned: it goes into the instance as a
visit allowed only on its own shift at its own start time, with the top priority, so a replan
keeps it exactly; a company that asked for another time is not offered that day again.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import matcher
from webapp.core.audit import Entity, audit
from webapp.core.clock import local_time, seoul_today, utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.inputs import whole_number
from webapp.core.notifications import notify_mentor
from webapp.directory.importing.brn import format_brn
from webapp.directory.models import Mentor
from webapp.programs.application_models import Application, Eligibility
from webapp.programs.dates import korean_datetime, seoul_instant
from webapp.programs.inspection_models import (
    Inspection,
    InspectionPair,
    InspectionState,
    RoutingRun,
    RoutingStatus,
    StartPoint,
)
from webapp.programs.models import Cohort
from webapp.programs.text import Errors, Refused, int_field
from webapp.visits.closures import working_days

log = logging.getLogger(__name__)

# Jeonbuk Technopark's smart manufacturing innovation centre (Jeonju), where the mentors are based.
TECHNOPARK = {"lat": 35.8242, "lon": 127.1480}
PINNED_PRIORITY = 100
PRIORITY = 10
DEFAULT_TIME_LIMIT = 20.0  # seconds; the 200-applicant burst is planned well inside it
MAX_NOTE = 500


class InspectionError(Refused):
    """The inspections' step refused (nothing stored)."""


# --- the window and the pairs --------------------------------------------------------------


def window_days(session: Session, cohort: Cohort) -> list[date]:
    """The working days of the cohort's inspection window (no weekends, public holidays or
    closure days)."""
    if cohort.inspection_first_day is None or cohort.inspection_last_day is None:
        return []
    return working_days(session, cohort.inspection_first_day, cohort.inspection_last_day)


def save_window(session: Session, cohort: Cohort, form: dict[str, str], user_id: int) -> None:
    """The window's first and last day, the working day (HH:MM) and a visit's length. Commits;
    raises InspectionError naming every bad field."""
    errors: Errors = {}

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(form.get(name, "").strip())
        except ValueError:
            errors[name] = _l("Enter a date (YYYY-MM-DD).")
            return None

    def minutes(name: str) -> int | None:
        text = form.get(name, "").strip()
        try:
            hours, mins = (whole_number(x) for x in text.split(":"))
            if not (0 <= hours <= 24 and 0 <= mins < 60):
                raise ValueError
        except ValueError:
            errors[name] = _l("Enter a time (HH:MM).")
            return None
        return hours * 60 + mins

    first, last = day("first_day"), day("last_day")
    start, end = minutes("day_start"), minutes("day_end")
    length = int_field(form, "minutes", 30, 600, errors) or 0
    if first and last and last < first:
        errors["last_day"] = _l("Must not be before the first day.")
    elif first and last and (last - first).days > 62:
        errors["last_day"] = _l("The window is at most 62 days.")
    if start is not None and end is not None and end - start < max(length, 30):
        errors["day_end"] = _l("The day must be longer than one visit.")
    if errors or start is None or end is None:
        raise InspectionError(errors)
    cohort.inspection_first_day, cohort.inspection_last_day = first, last
    cohort.inspection_day_start, cohort.inspection_day_end, cohort.inspection_minutes = start, end, length
    cohort.updated_at = utcnow()
    session.add(cohort)
    audit(
        session,
        user_id,
        "inspection_window_saved",
        Entity.cohort,
        cohort.id,
        first=str(first),
        last=str(last),
    )
    session.commit()


def pairs_of(session: Session, cohort_id: int) -> list[InspectionPair]:
    return list(
        session.exec(
            select(InspectionPair)
            .where(InspectionPair.cohort_id == cohort_id)
            .order_by(col(InspectionPair.id))
        )
    )


def add_pair(
    session: Session,
    cohort: Cohort,
    mentor_a: int,
    mentor_b: int,
    start_from: str,
    days: list[str],
    user_id: int,
) -> InspectionPair:
    """A pair of active mentors, none already in another pair of the cohort, working on some of
    the window's working days. Commits."""
    if mentor_a == mentor_b:
        raise InspectionError({"mentor_b": _l("Choose two different mentors.")})
    for field, mentor_id in (("mentor_a", mentor_a), ("mentor_b", mentor_b)):
        mentor = session.get(Mentor, mentor_id)
        if mentor is None or not mentor.active:
            raise InspectionError({field: _l("Choose an active mentor.")})
    busy = {m for p in pairs_of(session, id_of(cohort)) for m in (p.mentor_a_id, p.mentor_b_id)}
    for field, mentor_id in (("mentor_a", mentor_a), ("mentor_b", mentor_b)):
        if mentor_id in busy:
            raise InspectionError({field: _l("This mentor is already in a pair.")}, conflict=True)
    if start_from not in {s.value for s in StartPoint}:
        raise InspectionError({"start_from": _l("Choose where the day starts.")})
    allowed = {d.isoformat() for d in window_days(session, cohort)}
    if not allowed:
        raise InspectionError({"days": _l("Set the inspection window first.")}, conflict=True)
    chosen = sorted(set(days) & allowed) if days else sorted(allowed)
    if not chosen:
        raise InspectionError({"days": _l("Choose working days inside the window.")})
    pair = InspectionPair(
        cohort_id=id_of(cohort),
        mentor_a_id=mentor_a,
        mentor_b_id=mentor_b,
        start_from=start_from,
        days=chosen,
    )
    session.add(pair)
    try:
        session.flush()
    except IntegrityError:  # another coordinator put one of them in a pair a moment ago
        session.rollback()
        raise InspectionError({"mentor_a": _l("This mentor is already in a pair.")}, conflict=True) from None
    audit(
        session,
        user_id,
        "inspection_pair_added",
        Entity.inspection_pair,
        pair.id,
        mentors=[mentor_a, mentor_b],
    )
    session.commit()
    return pair


def remove_pair(session: Session, pair: InspectionPair, user_id: int) -> None:
    live = session.exec(
        select(Inspection).where(
            Inspection.pair_id == pair.id,
            col(Inspection.state).in_([InspectionState.confirmed.value, InspectionState.done.value]),
        )
    ).first()
    if live is not None:
        message = _l("This pair has confirmed inspections; it cannot be removed.")
        raise InspectionError({"pair": message}, conflict=True)
    session.execute(
        update(Inspection)
        .where(col(Inspection.pair_id) == pair.id, col(Inspection.state) == InspectionState.proposed.value)
        .values(state=InspectionState.cancelled.value, updated_at=utcnow())
    )
    for inspection in session.exec(select(Inspection).where(Inspection.pair_id == pair.id)):
        session.delete(inspection)
    session.delete(pair)
    audit(session, user_id, "inspection_pair_removed", Entity.inspection_pair, pair.id)
    session.commit()


def pair_name(session: Session, pair: InspectionPair) -> str:
    a, b = get_existing(session, Mentor, pair.mentor_a_id), get_existing(session, Mentor, pair.mentor_b_id)
    return f"{a.name} · {b.name}"


def pair_of_mentor(session: Session, cohort_id: int, mentor_id: int) -> InspectionPair | None:
    return session.exec(
        select(InspectionPair).where(
            InspectionPair.cohort_id == cohort_id,
            sa.or_(
                col(InspectionPair.mentor_a_id) == mentor_id, col(InspectionPair.mentor_b_id) == mentor_id
            ),
        )
    ).first()


# --- the routing instance ------------------------------------------------------------------


def shift_id(pair_id: int, day: date) -> str:
    return f"pair-{pair_id}/{day.isoformat()}"


@dataclass
class Plan:
    """A routing instance and how to read its answer back."""

    instance: dict
    first_day: date
    pairs: dict[str, tuple[int, date]]  # shift id -> (pair id, day)
    applications: dict[str, int]  # visit id -> application id
    pinned: set[int]  # application ids with a confirmed (or done) inspection


def build_plan(session: Session, cohort: Cohort, offer_after: date | None = None) -> Plan:
    """The routing instance of the cohort: a shift per pair and working day, a visit per eligible
    applicant still to inspect, and the confirmed inspections pinned. New times are offered only
    on days after `offer_after` (default: today, Seoul), so a replan in the middle of the window
    offers no day that has passed."""
    days = window_days(session, cohort)
    if not days:
        raise InspectionError({"window": _l("Set the inspection window first.")}, conflict=True)
    first = days[0]
    start, end, length = cohort.inspection_day_start, cohort.inspection_day_end, cohort.inspection_minutes

    def clock(day: date, minutes: float) -> float:
        return (day - first).days * 1440 + minutes

    shifts, pair_of = [], {}
    working = set(days)
    for pair in pairs_of(session, id_of(cohort)):
        if pair.start_from == StartPoint.home.value:
            home = get_existing(session, Mentor, pair.mentor_a_id)
            depot = {"lat": home.lat, "lon": home.lon}
        else:
            depot = TECHNOPARK
        for text in pair.days:
            day = date.fromisoformat(text)
            if day not in working:
                continue
            sid = shift_id(id_of(pair), day)
            pair_of[sid] = (id_of(pair), day)
            shifts.append(
                {"id": sid, "start": depot, "end": depot, "from": clock(day, start), "to": clock(day, end)}
            )
    if not shifts:
        message = _l("Add at least one mentor pair with days in the window.")
        raise InspectionError({"pairs": message}, conflict=True)
    pair_days = sorted({day for _, day in pair_of.values()})
    after = seoul_today() if offer_after is None else offer_after
    applications = session.exec(
        select(Application)
        .where(Application.cohort_id == cohort.id, Application.eligibility == Eligibility.eligible.value)
        .order_by(col(Application.id))
    ).all()
    inspections = session.exec(select(Inspection).where(Inspection.cohort_id == cohort.id)).all()
    kept = {
        i.application_id: i
        for i in inspections
        if i.state in (InspectionState.confirmed.value, InspectionState.done.value)
    }
    refused_days: dict[int, set[date]] = {}
    for i in inspections:
        if i.state == InspectionState.declined.value:
            refused_days.setdefault(i.application_id, set()).add(i.day)
    visits, by_visit = [], {}
    for application in applications:
        vid = f"a-{application.id}"
        by_visit[vid] = id_of(application)
        visit = {"id": vid, "lat": application.lat, "lon": application.lon, "duration": length}
        pinned = kept.get(id_of(application))
        if pinned is not None:
            if pinned.state == InspectionState.done.value:
                continue  # inspected already: nothing to plan
            sid = shift_id(pinned.pair_id, pinned.day)
            # The agreed start, widened to its whole minute: a window of one fractional instant
            # is refused by the router's integer time scale (and the minute is what was agreed).
            begin = math.floor(clock(pinned.day, _minutes_of(pinned.starts_at)))
            visits.append(
                {**visit, "windows": [[begin, begin + 1]], "priority": PINNED_PRIORITY, "shifts": [sid]}
            )
            continue
        # New offers only on days to come (a replan in the middle of the window).
        allowed = [d for d in pair_days if d > after and d not in refused_days.get(id_of(application), set())]
        windows = [[clock(d, start), clock(d, end - length)] for d in allowed]
        if windows:
            visits.append({**visit, "windows": windows, "priority": PRIORITY})
    instance = {
        "version": 1,
        "travel": {"metric": "geo", "speed_kmh": 50, "road_factor": 1.3},
        "shifts": shifts,
        "visits": visits,
        "params": {"shift_cost": 0},
    }
    return Plan(instance, first, pair_of, by_visit, {a for a, i in kept.items()})


def _minutes_of(moment) -> float:
    when = local_time(moment)
    return when.hour * 60 + when.minute + when.second / 60


# --- solving in the background and storing the routes --------------------------------------


class RoutingBusy(InspectionError):
    def __init__(self) -> None:
        message = _l("The inspections of this cohort are being planned already; wait for it.")
        super().__init__({"routing": message}, conflict=True)


def start_routing(session: Session, cohort: Cohort, user_id: int | None) -> RoutingRun:
    """Insert the running run (the database refuses a second one per cohort). Commits."""
    run = RoutingRun(cohort_id=id_of(cohort), started_by_id=user_id)
    session.add(run)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise RoutingBusy() from None
    return run


def finish_routing(app: Flask, run_id: int, time_limit: float = DEFAULT_TIME_LIMIT) -> None:
    """Solve the run's cohort and store the routes (beside the request or in the scheduler);
    `app` gives the secret the applicants' links are signed with."""
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as session:
        run = get_existing(session, RoutingRun, run_id)
        cohort = get_existing(session, Cohort, run.cohort_id)
        try:
            plan = build_plan(session, cohort)
            result = matcher.route(plan.instance, time_limit=time_limit)
            store_routes(session, cohort, run, plan, result)
        except Exception as exc:  # the run must end, whatever happened; the page shows the error
            log.exception("Routing run %s failed", run_id)
            session.rollback()
            run = get_existing(session, RoutingRun, run_id)
            run.status, run.error, run.finished_at = (
                RoutingStatus.failed.value,
                f"{exc.__class__.__name__}: {exc}",
                utcnow(),
            )
            session.add(run)
            session.commit()


def store_routes(
    session: Session, cohort: Cohort, run: RoutingRun, plan: Plan, result: dict, *, notify: bool = True
) -> None:
    """The router's answer as inspections: open offers withdrawn, confirmed ones kept (their
    order updated), a new offer per stop (mailed when its time changed). Commits."""
    now = utcnow()
    previous = {
        i.application_id: i
        for i in session.exec(
            select(Inspection).where(
                Inspection.cohort_id == cohort.id, Inspection.state == InspectionState.proposed.value
            )
        )
    }
    # Withdraw the open offers (those confirmed meanwhile stay: the update skips them).
    session.execute(
        update(Inspection)
        .where(
            col(Inspection.cohort_id) == cohort.id, col(Inspection.state) == InspectionState.proposed.value
        )
        .values(state=InspectionState.cancelled.value, updated_at=now)
    )
    session.flush()
    confirmed_now = set(
        session.exec(
            select(Inspection.application_id).where(
                Inspection.cohort_id == cohort.id,
                col(Inspection.state).in_([InspectionState.confirmed.value, InspectionState.done.value]),
            )
        )
    )
    offered = 0
    for route in result["routes"]:
        pair_id, day = plan.pairs[route["shift"]]
        for seq, stop in enumerate(route["stops"], start=1):
            application_id = plan.applications[stop["visit"]]
            starts = seoul_instant(plan.first_day, stop["start"])
            ends = seoul_instant(plan.first_day, stop["end"])
            travel = stop["arrive"] - (
                route["stops"][seq - 2]["end"] if seq > 1 else _shift_from(plan, route["shift"])
            )
            if application_id in confirmed_now:
                session.execute(
                    update(Inspection)
                    .where(
                        col(Inspection.application_id) == application_id,
                        col(Inspection.state) == InspectionState.confirmed.value,
                    )
                    .values(seq=seq, travel_minutes=round(travel, 1))
                )
                continue
            session.add(
                Inspection(
                    cohort_id=id_of(cohort),
                    application_id=application_id,
                    pair_id=pair_id,
                    run_id=run.id,
                    day=day,
                    seq=seq,
                    starts_at=starts,
                    ends_at=ends,
                    travel_minutes=round(travel, 1),
                )
            )
            old = previous.get(application_id)
            if notify and (old is None or old.starts_at != starts or old.pair_id != pair_id):
                _mail_offer(session, cohort, application_id, starts)
                offered += 1
    run.status = RoutingStatus.done.value
    run.finished_at = utcnow()
    run.visits = len(plan.instance["visits"])
    run.served = sum(len(r["stops"]) for r in result["routes"])
    run.travel_minutes = float(result["travel_minutes"])
    run.method = str(result.get("stats", {}).get("method", ""))[:120]
    run.unserved = [
        {"application": plan.applications[u["visit"]], "reason": u["reason"]} for u in result["unserved"]
    ]
    session.add(run)
    audit(
        session,
        run.started_by_id,
        "inspections_planned",
        Entity.cohort,
        cohort.id,
        run=run.id,
        offered=offered,
    )
    session.commit()


def _shift_from(plan: Plan, sid: str) -> float:
    return next(s["from"] for s in plan.instance["shifts"] if s["id"] == sid)


def _mail_offer(session: Session, cohort: Cohort, application_id: int, starts) -> None:
    from webapp.programs.applications import fresh_link, mail_applicant

    application = get_existing(session, Application, application_id)
    link = fresh_link(application)
    with force_locale("ko"):
        subject = _("On-site inspection offered: %(when)s", when=korean_datetime(starts, "ko"))
        body = _(
            "%(company)s (business number %(brn)s): two mentors of %(cohort)s will inspect your site on "
            "%(when)s (about %(minutes)s minutes).\n\nConfirm this time, or ask for another, at:\n%(link)s",
            company=application.company_name,
            brn=format_brn(application.business_reg_no),
            cohort=cohort.name,
            when=korean_datetime(starts, "ko"),
            minutes=cohort.inspection_minutes,
            link=link.url,
        )
    mail_applicant(session, application, link, subject, body, locale="ko")


def latest_run(session: Session, cohort_id: int) -> RoutingRun | None:
    return session.exec(
        select(RoutingRun).where(RoutingRun.cohort_id == cohort_id).order_by(col(RoutingRun.id).desc())
    ).first()


def replan_due(session: Session) -> list[int]:
    """Cohorts where a company asked for another time and is not offered one yet."""
    declined = select(Inspection.cohort_id, Inspection.application_id).where(
        Inspection.state == InspectionState.declined.value
    )
    due = set()
    for cohort_id, application_id in session.exec(declined):
        live = session.exec(
            select(Inspection.id).where(
                Inspection.application_id == application_id,
                col(Inspection.state).in_(
                    [
                        s.value
                        for s in (InspectionState.proposed, InspectionState.confirmed, InspectionState.done)
                    ]
                ),
            )
        ).first()
        if live is None:
            due.add(cohort_id)
    return sorted(due)


def replan_declined(app: Flask, time_limit: float = DEFAULT_TIME_LIMIT) -> list[int]:
    """The scheduler's job: replan every cohort where a company asked for another time (the
    confirmed inspections stay). Returns the run ids."""
    runs = []
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        due = replan_due(session)
        for cohort_id in due:
            try:
                runs.append(id_of(start_routing(session, get_existing(session, Cohort, cohort_id), None)))
            except RoutingBusy:
                continue
    for run_id in runs:
        finish_routing(app, run_id, time_limit)
    return runs


# --- the company's answer ------------------------------------------------------------------


def offered_to(session: Session, application: Application) -> Inspection | None:
    return session.exec(
        select(Inspection).where(
            Inspection.application_id == application.id,
            col(Inspection.state).in_(
                [InspectionState.proposed.value, InspectionState.confirmed.value, InspectionState.done.value]
            ),
        )
    ).first()


def _answer(session: Session, application: Application, inspection_id: int, **values: str) -> Inspection:
    """The company's answer to its offered time, conditional on the time still being offered to
    it (a replan or another tab may have changed it a moment ago)."""
    changed = (
        session.connection()
        .execute(
            update(Inspection)
            .where(
                col(Inspection.id) == inspection_id,
                col(Inspection.application_id) == application.id,
                col(Inspection.state) == InspectionState.proposed.value,
            )
            .values(updated_at=utcnow(), **values)
        )
        .rowcount
    )
    if changed != 1:
        session.rollback()
        message = _l("This time is no longer offered; the page shows the current one.")
        raise InspectionError({"inspection": message}, conflict=True)
    inspection = get_existing(session, Inspection, inspection_id)
    session.refresh(inspection)
    return inspection


def confirm(session: Session, application: Application, inspection_id: int) -> Inspection:
    """The company confirms its offered time (conditional on it still being offered). Commits."""
    inspection = _answer(session, application, inspection_id, state=InspectionState.confirmed.value)
    audit(session, None, "inspection_confirmed", Entity.inspection, inspection.id, application=application.id)
    _tell_pair(session, inspection, _("Inspection confirmed"), application, "")
    session.commit()
    return inspection


def decline(session: Session, application: Application, inspection_id: int, note: str) -> Inspection:
    """The company asks for another time, saying what would suit; it is replanned (not on that
    day) around the confirmed inspections. Commits."""
    note = (note or "").strip()
    if not note:
        raise InspectionError({"note": _l("Required.")})
    if len(note) > MAX_NOTE:
        raise InspectionError({"note": _l("At most %(limit)s characters.", limit=MAX_NOTE)})
    inspection = _answer(
        session, application, inspection_id, state=InspectionState.declined.value, decline_note=note
    )
    audit(session, None, "inspection_declined", Entity.inspection, inspection.id, note=note)
    _tell_pair(session, inspection, _("Inspection time declined"), application, note)
    session.commit()
    return inspection


def _tell_pair(
    session: Session, inspection: Inspection, subject: str, application: Application, note: str
) -> None:
    pair = get_existing(session, InspectionPair, inspection.pair_id)
    params = {
        "what": subject,
        "company": application.company_name,
        "when": korean_datetime(inspection.starts_at, "ko"),
        "note": note,
    }
    for mentor_id in (pair.mentor_a_id, pair.mentor_b_id):
        notify_mentor(session, mentor_id, "inspection_notice", params)


# --- a mentor's day ------------------------------------------------------------------------


@dataclass
class Stop:
    inspection: Inspection
    application: Application


def mentor_days(session: Session, mentor_id: int) -> list[tuple[Cohort, date, int]]:
    """(cohort, day, stops) of the mentor's inspection days, soonest first."""
    rows = session.exec(
        select(Cohort, col(Inspection.day), sa.func.count())
        .join(InspectionPair, col(InspectionPair.id) == Inspection.pair_id)
        .join(Cohort, col(Cohort.id) == Inspection.cohort_id)
        .where(
            sa.or_(
                col(InspectionPair.mentor_a_id) == mentor_id, col(InspectionPair.mentor_b_id) == mentor_id
            ),
            col(Inspection.state).in_(
                [InspectionState.proposed.value, InspectionState.confirmed.value, InspectionState.done.value]
            ),
        )
        .group_by(col(Cohort.id), col(Inspection.day))
        .order_by(col(Inspection.day))
    ).all()
    return [(c, d, n) for c, d, n in rows]


def day_stops(session: Session, mentor_id: int, day: date) -> tuple[InspectionPair | None, list[Stop]]:
    """The mentor's pair and its stops of `day` in driving order."""
    rows = session.exec(
        select(Inspection, Application, InspectionPair)
        .join(Application, col(Application.id) == Inspection.application_id)
        .join(InspectionPair, col(InspectionPair.id) == Inspection.pair_id)
        .where(
            Inspection.day == day,
            sa.or_(
                col(InspectionPair.mentor_a_id) == mentor_id, col(InspectionPair.mentor_b_id) == mentor_id
            ),
            col(Inspection.state).in_(
                [InspectionState.proposed.value, InspectionState.confirmed.value, InspectionState.done.value]
            ),
        )
        .order_by(col(Inspection.starts_at))
    ).all()
    pair = rows[0][2] if rows else None
    return pair, [Stop(i, a) for i, a, _ in rows]
