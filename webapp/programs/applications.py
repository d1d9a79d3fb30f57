"""Applications to a cohort: one set of column rules for the public form and the coordinator's
spreadsheet import (as the directory's import does), the period check, the applicant's signed
link, and the emails.

A form is validated as one spreadsheet row, so an application is accepted from the page exactly
when it would be from a sheet. The database's unique (cohort, business number) settles two
submissions of one number racing each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.core.audit import Entity, audit
from webapp.core.clock import aware, utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.notifications import queue_email
from webapp.directory.importing.brn import format_brn, normalize_brn
from webapp.directory.importing.columns import (
    Column,
    bind_headers,
    parse_bool,
    parse_email,
    parse_float,
    parse_int,
    parse_row,
    with_lengths,
)
from webapp.directory.importing.lookups import LAT_RANGE, LON_RANGE, Lookups, place_errors
from webapp.directory.importing.problems import Problem
from webapp.directory.importing.reader import UnreadableFile, read_table
from webapp.programs.application_models import Application, Decision
from webapp.programs.dates import korean_datetime
from webapp.programs.models import Cohort, CohortStatus, CohortTrack
from webapp.programs.rubrics import basis
from webapp.programs.text import Refused

CONSENT_VERSION = (
    "2027-1"  # the personal-data notice the applicant agreed to (templates/programs/_consent.html)
)
MILLION = 1_000_000


def parse_phone(text: str) -> str:
    digits = re.sub(r"[\s\-().]", "", text)
    if not re.fullmatch(r"0\d{8,10}", digits):
        raise ValueError(_("%(value)s is not a phone number (e.g. 063-123-4567).", value=repr(text)))
    return text.strip()


# Texts are limited to their column's length in the table (with_lengths), as the directory's are.
COLUMNS = with_lengths(
    Application,
    [
        Column(
            "business_reg_no",
            ("business registration number", "brn", "사업자등록번호", "사업자번호"),
            normalize_brn,
            required=True,
        ),
        Column("company_name", ("company", "name", "회사명", "기업명", "업체명"), required=True),
        Column("representative", ("ceo", "대표자", "대표자명", "대표"), required=True),
        Column("industry", ("ksic", "industry code", "업종", "업종코드", "산업분류"), required=True),
        Column("municipality", ("city", "city county", "시군", "소재지"), required=True),
        Column("address", ("주소", "사업장 주소"), required=True),
        Column("lat", ("latitude", "위도"), parse_float(*LAT_RANGE)),
        Column("lon", ("longitude", "경도"), parse_float(*LON_RANGE)),
        # Revenue in million KRW (백만원), as Korean forms ask it.
        Column(
            "revenue",
            ("revenue million krw", "매출액", "매출액 백만원", "매출"),
            parse_int(0, 100_000_000),
            required=True,
        ),
        Column(
            "employees", ("staff", "종업원수", "직원수", "상시근로자수"), parse_int(0, 100_000), required=True
        ),
        Column(
            "previous_support",
            ("previous support", "이전 지원", "지원이력", "스마트공장 지원이력"),
            parse_bool,
            required=True,
        ),
        Column(
            "other_project",
            ("other project", "타 사업 진행", "타 스마트공장 사업"),
            parse_bool,
            default=False,
        ),
        Column("tax_arrears", ("tax arrears", "체납", "세금 체납"), parse_bool, default=False),
        Column("contact_name", ("contact", "담당자", "담당자명"), required=True),
        Column("contact_phone", ("phone", "contact phone", "전화번호", "연락처"), parse_phone, required=True),
        Column(
            "contact_email", ("email", "contact email", "이메일", "담당자 이메일"), parse_email, required=True
        ),
        Column("track", ("유형", "트랙", "신청유형", "신청 트랙"), required=True),
        Column("consent", ("개인정보 동의", "개인정보 수집 이용 동의", "동의"), parse_bool, required=True),
    ],
)
FORM_FIELDS = [c.name for c in COLUMNS if c.name not in ("lat", "lon")]
# Fields an applicant may change through the link (the business number is the key).
EDITABLE = [name for name in FORM_FIELDS if name not in ("business_reg_no", "consent")]
# What an applicant types to have its link mailed again (resend_links).
RESEND_COLUMNS = [c for c in COLUMNS if c.name in ("business_reg_no", "contact_email")]
# The contact a coordinator corrects (correct_contact).
CONTACT_COLUMNS = [c for c in COLUMNS if c.name in ("contact_name", "contact_phone", "contact_email")]
CONTACT_FIELDS = [c.name for c in CONTACT_COLUMNS]


class ApplicationInvalid(Refused):
    """The form's fields refused (nothing stored)."""


class ApplicationsClosed(ValueError):
    """The cohort takes no applications now."""


def is_open(cohort: Cohort) -> bool:
    now = utcnow()
    return (
        cohort.status == CohortStatus.applications_open.value
        and cohort.applications_open_at is not None
        and cohort.applications_close_at is not None
        and aware(cohort.applications_open_at) <= now < aware(cohort.applications_close_at)
    )


def open_cohorts(session: Session) -> list[Cohort]:
    cohorts = session.exec(
        select(Cohort).where(Cohort.status == CohortStatus.applications_open.value).order_by(col(Cohort.year))
    )
    return [c for c in cohorts if is_open(c)]


def tracks_of(session: Session, cohort: Cohort) -> list[CohortTrack]:
    return list(
        session.exec(
            select(CohortTrack).where(CohortTrack.cohort_id == id_of(cohort)).order_by(col(CohortTrack.code))
        )
    )


def _check_references(
    session: Session,
    cohort: Cohort,
    rows: list[tuple[int, dict[str, Any]]],
    *,
    updating: Application | None = None,
    reimport: bool = False,
) -> list[Problem]:
    """Municipality, industry, track, consent, coordinates and duplicates (in the rows and the
    cohort). `reimport`: a number already in the cohort is no duplicate when its application came
    from an import and is undecided (importing the file again updates it)."""
    lookups = Lookups(session)
    codes = {t.code.lower(): t.code for t in tracks_of(session, cohort)}
    taken = {
        a.business_reg_no: a
        for a in session.exec(select(Application).where(Application.cohort_id == cohort.id))
    }
    first_row: dict[str, int] = {}
    errors: list[Problem] = []
    for number, values in rows:
        errors.extend(place_errors(lookups, number, values))
        if values.get("track"):
            code = codes.get(values["track"].strip().lower())
            if code is None:
                message = _(
                    "%(value)s is not a track of this cohort (%(allowed)s).",
                    value=repr(values["track"]),
                    allowed=", ".join(codes.values()),
                )
                errors.append(Problem(message, number, "track"))
            values["track"] = code
        if values.get("consent") is False:
            message = _("Without consent to the personal-data notice we cannot take the application.")
            errors.append(Problem(message, number, "consent"))
        brn = values.get("business_reg_no")
        if not brn or updating is not None:
            continue
        if brn in first_row:
            message = _(
                "%(value)s already appears in row %(row)s.", value=format_brn(brn), row=first_row[brn]
            )
            errors.append(Problem(message, number, "business_reg_no"))
        elif brn in taken and not (reimport and _updatable(taken[brn])):
            errors.append(Problem(_duplicate(taken[brn], reimport), number, "business_reg_no"))
        first_row.setdefault(brn, number)
    return errors


def _updatable(application: Application) -> bool:
    """An application a coordinator's file may update: imported (not the applicant's own form,
    which the applicant corrects through the link) and not decided yet."""
    return application.source == "import" and application.decision == Decision.pending.value


def _duplicate(application: Application, reimport: bool) -> str:
    brn = format_brn(application.business_reg_no)
    if reimport and application.source == "import":
        return _("%(value)s is decided already; its application no longer changes.", value=brn)
    if reimport:
        return _("%(value)s applied through the form; the company corrects it through its link.", value=brn)
    return _("%(value)s has already applied to this cohort.", value=brn)


def _by_field(problems: list[Problem]) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in problems:
        found.setdefault((problem.column or "").split("/")[0], problem.message)
    return found


def _declared(v: dict[str, Any]) -> dict[str, Any]:
    """The application's columns from a parsed form or spreadsheet row (references resolved)."""
    municipality = v["municipality"]
    return {
        "company_name": v["company_name"],
        "representative": v["representative"],
        "industry_code": v["industry"].code,
        "municipality_id": id_of(municipality),
        "address": v["address"],
        # Addresses are not geocoded offline: the city or county's office stands in.
        "lat": v["lat"] if v.get("lat") is not None else municipality.lat,
        "lon": v["lon"] if v.get("lon") is not None else municipality.lon,
        "revenue_krw": v["revenue"] * MILLION,
        "employees": v["employees"],
        "previous_support": v["previous_support"],
        "other_project": bool(v["other_project"]),
        "tax_arrears": bool(v["tax_arrears"]),
        "contact_name": v["contact_name"],
        "contact_phone": v["contact_phone"],
        "contact_email": v["contact_email"],
        "track": v["track"],
    }


def as_fields(session: Session, application: Application) -> dict[str, str]:
    """An application's values as form text (what correcting starts from)."""
    from webapp.directory.models import Municipality

    yes_no = {True: "yes", False: "no"}
    return {
        "business_reg_no": format_brn(application.business_reg_no),
        "company_name": application.company_name,
        "representative": application.representative,
        "industry": application.industry_code,
        "municipality": get_existing(session, Municipality, application.municipality_id).name_en,
        "address": application.address,
        "revenue": str(application.revenue_krw // MILLION),
        "employees": str(application.employees),
        "previous_support": yes_no[application.previous_support],
        "other_project": yes_no[application.other_project],
        "tax_arrears": yes_no[application.tax_arrears],
        "contact_name": application.contact_name,
        "contact_phone": application.contact_phone,
        "contact_email": application.contact_email,
        "track": application.track,
        "consent": "yes",
    }


def _form_row(data: Mapping[str, str], columns: list[Column]) -> tuple[dict[str, Any], list[Problem]]:
    """A form's fields read as one spreadsheet row of `columns`."""
    names = [c.name for c in columns]
    cells = [str(data.get(name, "") or "") for name in names]
    return parse_row(1, cells, columns, {n: i for i, n in enumerate(names)})


def _parse_form(session: Session, cohort: Cohort, data: Mapping[str, str], updating: Application | None):
    values, errors = _form_row(data, COLUMNS)
    errors = [*errors, *_check_references(session, cohort, [(1, values)], updating=updating)]
    return values, _by_field(errors)


def submit(session: Session, cohort: Cohort, data: Mapping[str, str], *, locale: str = "ko") -> Application:
    """A new application from the public form; checks, stores, mails the link. Commits.

    Raises ApplicationsClosed or ApplicationInvalid (field -> message).
    """
    if not is_open(cohort):
        raise ApplicationsClosed(cohort.name)
    values, errors = _parse_form(session, cohort, data, None)
    if errors:
        raise ApplicationInvalid(errors)
    application = Application(
        cohort_id=id_of(cohort),
        business_reg_no=values["business_reg_no"],
        consent_at=utcnow(),
        consent_version=CONSENT_VERSION,
        **_declared(values),
    )
    session.add(application)
    try:
        session.flush()
    except IntegrityError:  # the same number submitted a moment earlier
        session.rollback()
        raise ApplicationInvalid(
            {"business_reg_no": _l("This business number has already applied to this cohort.")}
        ) from None
    from webapp.programs.eligibility import assess

    assess(session, cohort, application)
    audit(session, None, "application_submitted", Entity.application, application.id, cohort=cohort.id)
    _mail_link(session, application, cohort, locale, first=True)
    session.commit()
    return application


def shown_basis(session: Session, application: Application) -> str:
    """The fingerprint of the application as a page shows it (`correct` compares it)."""
    return basis([as_fields(session, application)])


def correct(
    session: Session, application: Application, data: Mapping[str, str], shown: str, *, locale: str = "ko"
) -> Application:
    """The applicant corrects the application through the link until the period closes. `shown`
    is the fingerprint of the application the page showed (shown_basis): a change made meanwhile
    (a coordinator's contact correction) is never overwritten unseen. Commits; raises
    ApplicationInvalid (the fields), or with `conflict` when the application changed meanwhile."""
    cohort = get_existing(session, Cohort, application.cohort_id)
    if not is_open(cohort):
        raise ApplicationsClosed(cohort.name)
    data = {**data, "business_reg_no": application.business_reg_no, "consent": "yes"}
    values, errors = _parse_form(session, cohort, data, application)
    if errors:
        raise ApplicationInvalid(errors)
    # Hold the row (SQLite's writer lock, PostgreSQL's row lock) before comparing, so an edit
    # committed by now is seen and one to come waits for this one.
    session.connection().execute(
        update(Application)
        .where(col(Application.id) == application.id)
        .values(updated_at=col(Application.updated_at))
    )
    session.refresh(application)
    if shown != shown_basis(session, application):
        session.rollback()
        message = _l("Your application was changed a moment ago (the page now shows it); save again.")
        raise ApplicationInvalid({"application": message}, conflict=True)
    for name, value in _declared(values).items():
        setattr(application, name, value)
    application.updated_at = utcnow()
    session.add(application)
    from webapp.programs.eligibility import assess

    assess(session, cohort, application)
    audit(session, None, "application_corrected", Entity.application, application.id)
    _mail_link(session, application, cohort, locale, first=False)
    session.commit()
    return application


def import_applications(
    session: Session, cohort: Cohort, filename: str, data: bytes, user_id: int
) -> tuple[int, int]:
    """A coordinator's spreadsheet of applications (e.g. from another service's web form), by the
    directory import's rules: the whole file is checked first, and every problem is listed in
    the page's language by row and by the column as the file's header spells it (nothing
    stored); then every row is added, or updates the application of its business number that an
    earlier import added (so a file accepted once is accepted again). Returns (added, updated);
    the caller commits."""
    from webapp.directory.importing import MAX_ERRORS_LISTED, ImportRejected, _as_headed
    from webapp.programs.eligibility import assess

    try:
        table = read_table(filename, data)
    except UnreadableFile as exc:
        raise ImportRejected([Problem(str(exc))]) from None
    positions, errors = bind_headers(table, COLUMNS)
    if errors:
        raise ImportRejected(errors)
    if not table.rows:
        raise ImportRejected([Problem(_("The file has a header but no data rows."))])
    rows = []
    for number, cells in table.rows:
        values, row_errors = parse_row(number, cells, COLUMNS, positions)
        errors.extend(row_errors)
        rows.append((number, values))
    errors.extend(_check_references(session, cohort, rows, reimport=True))

    def rejected(problems: list[Problem]) -> ImportRejected:
        problems = [
            _as_headed(p, table.headers, positions) for p in sorted(problems, key=lambda p: p.row or 0)
        ]
        if len(problems) > MAX_ERRORS_LISTED:
            more = len(problems) - MAX_ERRORS_LISTED
            problems = [
                *problems[:MAX_ERRORS_LISTED],
                Problem(_("... and %(count)s more problems", count=more)),
            ]
        return ImportRejected(problems)

    if errors:
        raise rejected(errors)
    known = {
        a.business_reg_no: a
        for a in session.exec(select(Application).where(Application.cohort_id == cohort.id))
    }
    added = 0
    for number, values in rows:
        application = known.get(values["business_reg_no"])
        if application is None:
            application = Application(
                cohort_id=id_of(cohort),
                business_reg_no=values["business_reg_no"],
                consent_at=utcnow(),
                consent_version="import",
                source="import",
                **_declared(values),
            )
            session.add(application)
            try:
                session.flush()
            except IntegrityError:  # the same number applied through the form a moment ago
                problem = Problem(_duplicate(application, reimport=False), number, "business_reg_no")
                session.rollback()
                raise rejected([problem]) from None
            added += 1
        else:  # conditional: an application decided (or a form's) a moment ago is left alone
            changed = (
                session.connection()
                .execute(
                    update(Application)
                    .where(
                        col(Application.id) == application.id,
                        col(Application.source) == "import",
                        col(Application.decision) == Decision.pending.value,
                    )
                    .values(updated_at=utcnow(), **_declared(values))
                )
                .rowcount
            )
            if changed != 1:
                problem = Problem(_duplicate(application, reimport=True), number, "business_reg_no")
                session.rollback()
                raise rejected([problem])
            session.refresh(application)
        assess(session, cohort, application)
    updated = len(rows) - added
    audit(
        session,
        user_id,
        "applications_imported",
        Entity.cohort,
        cohort.id,
        rows=len(rows),
        added=added,
        updated=updated,
        file=filename,
    )
    return added, updated


# The applicant's link: signed with the app's secret and timed. Viewing works until it expires,
# correcting only while the period is open, answering the inspection once one is offered.
#
# LINK_MAX_AGE spans a cohort's cycle as the applicant lives it: the application period (four
# to six weeks), about two weeks of on-site inspections and one or two of the committee. Every
# email to the applicant (received, corrected, inspection offered, link asked for again) carries
# a link signed when it is written, so the latest email works for the whole span: the receipt
# of an application sent on the period's first day until the inspection offer, whose link then
# lasts past the committee's decision. An older link (or a forwarded one) stops working and
# leads to the page that mails a fresh one to the application's contact email (resend_links).
LINK_MAX_AGE = timedelta(days=60)
# The links mailed before links expired carried no time and were signed with the salt
# "programs-application"; they would fail a timed check anyway (no timestamp), and a new salt
# makes sure none of them is ever read as a timed one.
LINK_SALT = "programs-application-timed"
# Cohorts whose applicants can ask for their link again: taking applications, or selecting
# (inspections, committee, decisions). Once the cohort runs, the selected companies have logins.
RESEND_STATUSES = (CohortStatus.applications_open.value, CohortStatus.selection.value)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def link_token(application: Application) -> str:
    """A token for the application's link, signed now (it expires LINK_MAX_AGE from now)."""
    return _serializer().dumps([application.id, application.business_reg_no])


def from_token(session: Session, token: str) -> Application | None:
    """The application a link opens, or None when the link is forged, expired or one of the
    untimed links of before."""
    try:
        application_id, brn = _serializer().loads(token, max_age=int(LINK_MAX_AGE.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    application = session.get(Application, application_id) if isinstance(application_id, int) else None
    return application if application is not None and application.business_reg_no == brn else None


def public_url(path: str) -> str:
    """`/apply<path>` on this request's host, or on PUBLIC_URL outside a request (the background
    planner, the scheduler process)."""
    base = request.url_root if has_request_context() else current_app.config["PUBLIC_URL"]
    return f"{base.rstrip('/')}/apply{path}"


@dataclass(frozen=True)
class Link:
    """A freshly signed link to one application: the token (the email's secret), its URL and
    until when it opens."""

    token: str
    url: str
    expires: datetime


def fresh_link(application: Application) -> Link:
    token = link_token(application)
    return Link(token, public_url(f"/mine/{token}"), utcnow() + LINK_MAX_AGE)


def _mail_link(
    session: Session, application: Application, cohort: Cohort, locale: str, *, first: bool
) -> None:
    link = fresh_link(application)
    with force_locale(locale):
        subject = (
            _("Application received: %(cohort)s", cohort=cohort.name)
            if first
            else _("Application corrected: %(cohort)s", cohort=cohort.name)
        )
        body = _(
            "Thank you, %(company)s. Your application (business number %(brn)s, track %(track)s) is "
            "stored.\n\nSee and correct it until %(close)s at:\n%(link)s\n\nKeep this link to yourself: "
            "it opens your application without a password. The inspection time will be offered there.",
            company=application.company_name,
            brn=format_brn(application.business_reg_no),
            track=application.track,
            close=korean_datetime(cohort.applications_close_at, locale)
            if cohort.applications_close_at
            else "",
            link=link.url,
        )
    mail_applicant(session, application, link, subject, body, locale=locale)


def mail_applicant(
    session: Session, application: Application, link: Link, subject: str, body: str, *, locale: str
) -> None:
    """Queue an email to the applicant whose `body` carries `link`, adding until when the link
    works and where to ask for a new one. The link's token opens the application without a
    password, so the outbox keeps it only until the email is sent."""
    with force_locale(locale):
        note = _(
            "This link works until %(expires)s. After that, ask for a new one at:\n%(resend)s",
            expires=korean_datetime(link.expires, locale),
            resend=public_url("/link"),
        )
    queue_email(session, application.contact_email, subject, f"{body}\n\n{note}", secret=link.token)


def resend_links(session: Session, data: Mapping[str, str], *, locale: str = "ko") -> None:
    """Send me my link again: a fresh link to every application of a cohort in RESEND_STATUSES
    whose business number and contact email are the ones typed, mailed to that stored contact
    email. Commits. Raises ApplicationInvalid (field -> message) for a field not valid; otherwise
    the caller answers the same whether anything matched or not, so the form tells nobody who
    applied."""
    values, problems = _form_row(data, RESEND_COLUMNS)
    if problems:
        raise ApplicationInvalid(_by_field(problems))
    matches = session.exec(
        select(Application, Cohort)
        .join(Cohort, col(Cohort.id) == col(Application.cohort_id))
        .where(
            Application.business_reg_no == values["business_reg_no"],
            Application.contact_email == values["contact_email"],
            col(Cohort.status).in_(RESEND_STATUSES),
        )
    ).all()
    for application, cohort in matches:
        _mail_new_link(session, application, cohort, locale, None)
    session.commit()


def send_link(session: Session, application: Application, user_id: int, *, locale: str = "ko") -> None:
    """A coordinator mails a fresh link to the application's stored contact email (in Korean by
    default: the applicant's language is not stored). Commits."""
    _mail_new_link(
        session, application, get_existing(session, Cohort, application.cohort_id), locale, user_id
    )
    session.commit()


def _mail_new_link(
    session: Session, application: Application, cohort: Cohort, locale: str, user_id: int | None
) -> None:
    """A fresh link mailed to the stored contact email, asked for on the page (`user_id` None)
    or sent by a coordinator; audited."""
    link = fresh_link(application)
    words = {
        "company": application.company_name,
        "brn": format_brn(application.business_reg_no),
        "cohort": cohort.name,
        "link": link.url,
    }
    with force_locale(locale):
        subject = _("A new link to your application: %(cohort)s", cohort=cohort.name)
        if user_id is None:
            body = _(
                "%(company)s (business number %(brn)s): here is a new link to your application to "
                "%(cohort)s, as asked on our page:\n%(link)s\n\nKeep this link to yourself: it opens "
                "your application without a password. If you did not ask for it, ignore this email.",
                **words,
            )
        else:
            body = _(
                "%(company)s (business number %(brn)s): the program office sends you a new link to "
                "your application to %(cohort)s:\n%(link)s\n\nKeep this link to yourself: it opens "
                "your application without a password.",
                **words,
            )
    mail_applicant(session, application, link, subject, body, locale=locale)
    action = "application_link_resent" if user_id is None else "application_link_sent"
    audit(session, user_id, action, Entity.application, application.id)


def correct_contact(
    session: Session,
    application: Application,
    data: Mapping[str, str],
    shown: Mapping[str, str],
    user_id: int,
) -> dict[str, list[str]]:
    """A coordinator corrects the application's contact (CONTACT_FIELDS) by the form's column
    rules. `shown` holds the contact the page showed: the update is conditional on it, so an edit
    made meanwhile (by another coordinator or the applicant) is never overwritten unseen.
    Returns what changed (field -> [before, after]); commits. Raises ApplicationInvalid (field ->
    message), or ApplicationInvalid with `conflict` when the contact changed meanwhile."""
    values, problems = _form_row(data, CONTACT_COLUMNS)
    if problems:
        raise ApplicationInvalid(_by_field(problems))
    before = {name: shown.get(name, "") for name in CONTACT_FIELDS}
    changed = {name: [before[name], values[name]] for name in CONTACT_FIELDS if values[name] != before[name]}
    if not changed:
        return changed
    matched = (
        session.connection()
        .execute(
            update(Application)
            .where(
                col(Application.id) == application.id,
                *(getattr(Application, name) == before[name] for name in CONTACT_FIELDS),
            )
            .values(updated_at=utcnow(), **values)
        )
        .rowcount
    )
    if matched != 1:
        session.rollback()
        message = _l("Someone else changed the contact a moment ago; the page now shows it. Save again.")
        raise ApplicationInvalid({"contact": message}, conflict=True)
    audit(
        session, user_id, "application_contact_corrected", Entity.application, application.id, changed=changed
    )
    session.commit()
    session.refresh(application)
    return changed
