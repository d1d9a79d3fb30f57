"""The province's dashboard (coordinators): placeholder until the figures land."""

from __future__ import annotations

from flask import render_template

from webapp.outcomes.views import bp


@bp.get("/province")
def province():
    return render_template("outcomes/index.html", rows=[])
