"""Importing companies or mentors from a spreadsheet through the page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.areas import coordinator_bp as bp
from webapp.core.audit import Entity, audit
from webapp.core.request_db import db
from webapp.directory.importing import IMPORTERS, ImportRejected, import_spreadsheet


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    if request.method == "GET":
        return render_template("directory/import.html", kind="companies", errors=[], field_errors={})
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    field_errors = {}
    if kind not in IMPORTERS:
        field_errors["kind"] = _("Choose what the file holds.")
    if upload is None or not upload.filename:
        field_errors["file"] = _("Choose a .csv or .xlsx file.")
    if field_errors:
        return render_template("directory/import.html", kind=kind, errors=[], field_errors=field_errors), 400
    try:
        result = import_spreadsheet(db(), kind, upload.filename, upload.read())
    except ImportRejected as exc:
        db().rollback()
        return render_template(
            "directory/import.html", kind=kind, errors=exc.errors, filename=upload.filename, field_errors={}
        ), 400
    audit(
        db(),
        current_user.id,
        "imported",
        Entity(kind),
        None,
        filename=upload.filename,
        created=result.created,
        updated=result.updated,
    )
    db().commit()
    flash(
        _(
            "%(file)s imported: %(created)d created, %(updated)d updated.",
            file=upload.filename,
            created=result.created,
            updated=result.updated,
        ),
        "success",
    )
    return redirect(url_for("coordinator.record_list", kind=kind))
