"""Company and mentor lists (search, filters, pages) and their add / edit / deactivate forms.

Both kinds share the views; what differs (fields, filters, columns) is data in FORMS and
the list templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import col, select

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.audit import Entity, audit
from webapp.core.inputs import whole_number
from webapp.core.request_db import db
from webapp.desk.steering import steering_of
from webapp.directory.location_check import location_warning
from webapp.directory.models import Mentor, MentorIndustry
from webapp.directory.queries import (
    company_filters,
    current_assignment,
    login_of,
    mentor_assignments,
    mentor_filters,
    mentor_loads,
    paginate,
)
from webapp.directory.records import MODELS, RecordInvalid, as_fields, choices, deactivate, find, save
from webapp.engagements.columns import COMPANY_FORM_FIELDS, MENTOR_FORM_FIELDS
from webapp.matching.models import Assignment, AssignmentState
from webapp.ui.i18n import local_name
from webapp.ui.labels import options


@dataclass(frozen=True)
class FormField:
    name: str
    label: object
    type: str = "text"  # text | number | email | tel | date | select
    options: str | tuple = ()  # "municipalities", "industries" or ((value, label), ...)
    required: bool = False
    help: object = ""
    attrs: dict = field(default_factory=dict)


STATUS_OPTIONS = options("company_status")
LOCATION = (
    FormField("municipality", _l("Municipality"), "select", "municipalities", required=True),
    FormField("address", _l("Address")),
    FormField(
        "lat",
        _l("Latitude"),
        "number",
        attrs={"step": "any"},
        help=_l("Leave latitude and longitude empty to use the municipality office."),
    ),
    FormField("lon", _l("Longitude"), "number", attrs={"step": "any"}),
)
FORMS = {
    "companies": (
        FormField(
            "business_reg_no",
            _l("Business registration number"),
            required=True,
            help=_l("123-45-67890; cannot be changed later."),
        ),
        FormField("name", _l("Company name"), required=True),
        FormField("industry", _l("Industry"), "select", "industries", required=True),
        *LOCATION,
        FormField(
            "size",
            _l("Size"),
            "select",
            options("size"),
        ),
        FormField("employees", _l("Employees"), "number", attrs={"min": 0}),
        FormField(
            "priority",
            _l("Priority"),
            "number",
            attrs={"min": 1, "max": 5},
            help=_l("1 (normal) to 5 (most urgent)."),
        ),
        FormField("status", _l("Status"), "select", STATUS_OPTIONS),
        FormField("joined_on", _l("Joined on"), "date"),
        FormField("contact_name", _l("Contact person")),
        FormField("contact_email", _l("Contact email"), "email"),
        FormField("contact_phone", _l("Contact phone"), "tel"),
        *(FormField(**f) for f in COMPANY_FORM_FIELDS),
    ),
    "mentors": (
        FormField("email", _l("Email"), "email", required=True, help=_l("Cannot be changed later.")),
        FormField("name", _l("Name"), required=True),
        FormField("phone", _l("Phone"), "tel"),
        *LOCATION,
        FormField("capacity", _l("Capacity (companies at once)"), "number", attrs={"min": 0, "max": 50}),
        FormField(
            "industries",
            _l("Industries and fit"),
            required=True,
            help=_l("KSIC codes with fit 1-100, e.g. C29:100; C28:60"),
        ),
        FormField("active", _l("Active"), "select", (("yes", _l("Yes")), ("no", _l("No")))),
        *(FormField(**f) for f in MENTOR_FORM_FIELDS),
    ),
}
TITLES = {"companies": (_l("Companies"), _l("New company")), "mentors": (_l("Mentors"), _l("New mentor"))}


def option_lists(municipalities, industries) -> dict[str, list[tuple[str, str]]]:
    """Select options: municipalities by English name (what the importer parses), industries by code."""
    return {
        "municipalities": [(m.name_en, local_name(m)) for m in municipalities],
        "industries": [(i.code, f"{i.code} {local_name(i)}") for i in industries],
    }


def get_record(kind: str, record_id: int):
    record = find(db(), kind, record_id)
    if record is None:
        abort(404)
    return record


@bp.get("/<any(companies, mentors):kind>")
def record_list(kind: str):
    session = db()
    filters = company_filters if kind == "companies" else mentor_filters
    page = paginate(
        session, filters(select(MODELS[kind]), request.args), request.args.get("page", 1, type=whole_number)
    )
    municipalities, industries = choices(session)
    extra: dict[str, Any] = {}
    if kind == "companies":
        ids = [c.id for c in page.items]
        rows = session.exec(
            select(Assignment, Mentor)
            .join(Mentor, col(Mentor.id) == Assignment.mentor_id)
            .where(Assignment.state == AssignmentState.approved, col(Assignment.company_id).in_(ids))
        )
        extra["mentor_of"] = {a.company_id: m for a, m in rows}
    else:
        extra["loads"] = mentor_loads(session)
        extra["fits"] = {}
        for row in session.exec(
            select(MentorIndustry).where(col(MentorIndustry.mentor_id).in_([m.id for m in page.items]))
        ):
            extra["fits"].setdefault(row.mentor_id, []).append(row.industry_code)
    filter_options = {
        "municipalities": [(m.id, local_name(m)) for m in municipalities],
        "industries": option_lists(municipalities, industries)["industries"],
    }
    return render_template(
        f"directory/{kind}.html",
        kind=kind,
        page=page,
        args=request.args,
        filter_options=filter_options,
        statuses=STATUS_OPTIONS,
        place_names={m.id: local_name(m) for m in municipalities},
        title=TITLES[kind][0],
        **extra,
    )


def _form(kind: str, values: dict, errors: dict, record=None, status: int = 200, **login_section):
    municipalities, industries = choices(db())
    related: Any = None
    login = None
    if record is not None:
        related = (
            current_assignment(db(), record.id)
            if kind == "companies"
            else mentor_assignments(db(), record.id)
        )
        if kind == "companies" and related is not None:
            related = (related, db().get(Mentor, related.mentor_id))
        login = login_of(db(), kind, record.id)
    return render_template(
        "directory/record_form.html",
        kind=kind,
        fields=FORMS[kind],
        values=values,
        errors=errors,
        record=record,
        related=related,
        title=TITLES[kind],
        options=option_lists(municipalities, industries),
        login=login,
        steering=steering_of(db(), kind, record) if record is not None else None,
        **login_section,
    ), status


def record_page(kind: str, record, status: int = 200, **login_section):
    """A record's page as stored, with what the login section has to show (webapp.accounts.logins)."""
    return _form(kind, as_fields(db(), kind, record), {}, record, status, **login_section)


def _submitted(kind: str) -> dict[str, str]:
    return {f.name: request.form.get(f.name, "").strip() for f in FORMS[kind]}


@bp.route("/<any(companies, mentors):kind>/new", methods=["GET", "POST"])
def record_new(kind: str):
    if request.method == "GET":
        return _form(kind, {}, {})
    values = _submitted(kind)
    try:
        record = save(db(), kind, values)
    except RecordInvalid as exc:
        return _form(kind, values, exc.errors, status=400)
    audit(db(), current_user.id, "created", Entity(kind), record.id)
    db().commit()
    flash(_("Saved."), "success")
    if warning := location_warning(db(), record):
        flash(warning, "error")
    return redirect(url_for("coordinator.record_edit", kind=kind, record_id=record.id))


@bp.route("/<any(companies, mentors):kind>/<id:record_id>", methods=["GET", "POST"])
def record_edit(kind: str, record_id: int):
    record = get_record(kind, record_id)
    if request.method == "GET":
        return _form(kind, as_fields(db(), kind, record), {}, record)
    values = _submitted(kind)
    try:
        save(db(), kind, values, existing=record)
    except RecordInvalid as exc:
        db().rollback()
        return _form(kind, values, exc.errors, get_record(kind, record_id), status=400)
    audit(db(), current_user.id, "updated", Entity(kind), record.id)
    db().commit()
    flash(_("Saved."), "success")
    if warning := location_warning(db(), record):
        flash(warning, "error")
    return redirect(url_for("coordinator.record_edit", kind=kind, record_id=record.id))


@bp.post("/<any(companies, mentors):kind>/<id:record_id>/deactivate")
def record_deactivate(kind: str, record_id: int):
    record = get_record(kind, record_id)
    deactivate(db(), record)
    audit(db(), current_user.id, "deactivated", Entity(kind), record.id)
    db().commit()
    flash(_("Withdrawn from the program.") if kind == "companies" else _("Mentor deactivated."), "success")
    return redirect(url_for("coordinator.record_edit", kind=kind, record_id=record.id))
