"""The province's dashboard and the engagement lists behind its figures (coordinators)."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.ids import parse_id
from webapp.core.request_db import db
from webapp.outcomes.charts import BarRow, BoxRow, box_plots, columns, stacked_bars
from webapp.outcomes.figures import (
    BUCKETS,
    Filters,
    kpi_distributions,
    load_facts,
    survey_figures,
)
from webapp.outcomes.formatting import percent
from webapp.outcomes.labels import LABELS, cohort_years, industry_names, municipality_names, outcome_label
from webapp.outcomes.views import bp

GOAL_FACTORIES = 300  # the province's goal: smart factories built with the program by 2027
TOP_INDUSTRIES = 12


@bp.before_request
def _coordinators_only():
    if (
        request.endpoint
        and request.endpoint.startswith("outcomes.province")
        and current_user.is_authenticated
    ):
        if current_user.role != "coordinator":
            abort(403)


def _bucket_names() -> dict[str, str]:
    return {
        "completed": outcome_label("engagement_state", "completed"),
        "on_site": outcome_label("engagement_state", "on_site"),
        "planned": _("Planned or agreed"),
    }


def _list_url(filters: Filters, **more: Any) -> str:
    query: dict[str, Any] = {**filters.query(), **{k: str(v) for k, v in more.items()}}
    return url_for("outcomes.province_engagements", **query)


def _bar_rows(groups: dict, names: dict, base: Filters, field: str) -> list[BarRow]:
    rows = []
    for key, label in names.items():
        counts = groups.get(key, {})
        scoped = Filters(**{**base.__dict__, field: key})
        hrefs = {b: _list_url(scoped, bucket=b) for b in BUCKETS}
        hrefs[""] = _list_url(scoped)
        rows.append(BarRow(label, counts, hrefs))
    return rows


def _year_arg() -> int | None:
    year = request.args.get("year", "")
    return int(year) if year.isdecimal() and 2000 <= int(year) <= 2100 else None


@bp.get("/province")
def province():
    session = db()
    year = _year_arg()
    every_year = load_facts(session)
    facts = [f for f in every_year if year is None or f.year == year]
    base = Filters(year=year)
    names = _bucket_names()

    by_year: dict = {}
    for f in every_year:
        by_year.setdefault(f.year, {}).setdefault(f.bucket, 0)
        by_year[f.year][f.bucket] += 1
    completed_total = sum(1 for f in every_year if f.bucket == "completed")
    year_rows = _bar_rows(by_year, {y: str(y) for y in sorted(by_year)}, Filters(), "year")
    year_rows.append(
        BarRow(
            _("All years"),
            {b: sum(c.get(b, 0) for c in by_year.values()) for b in BUCKETS},
            {"": _list_url(Filters())},
        )
    )

    def grouped(key) -> dict:
        out: dict = {}
        for f in facts:
            counts = out.setdefault(key(f), {})
            counts[f.bucket] = counts.get(f.bucket, 0) + 1
        return out

    municipalities = municipality_names(session)
    tracks = sorted({f.company.track or "" for f in facts})
    by_industry = grouped(lambda f: f.company.industry_code)
    top = sorted(by_industry, key=lambda code: -sum(by_industry[code].values()))[:TOP_INDUSTRIES]
    industries = industry_names(session)

    distributions = kpi_distributions(facts)
    box_rows = [
        BoxRow(
            outcome_label("kpi", d.kind),
            d.values,
            d.median,
            d.quartiles,
            _list_url(base, kpi=d.kind, bucket="completed"),
            _(
                "n %(n)s · median %(median)s · %(met)s of %(with_target)s met the target",
                n=d.n,
                median=percent(d.median),
                met=d.met,
                with_target=d.with_target,
            ),
        )
        for d in distributions
    ]
    surveys = survey_figures(facts)
    completed = [f for f in facts if f.bucket == "completed"]
    charts = {
        "years": stacked_bars(year_rows, BUCKETS, names, _("Smart factories by year"), goal=GOAL_FACTORIES),
        "municipalities": stacked_bars(
            _bar_rows(grouped(lambda f: f.company.municipality_id), municipalities, base, "municipality"),
            BUCKETS, names, _("Engagements per city and county"),
        ),
        "tracks": stacked_bars(
            _bar_rows(grouped(lambda f: f.company.track or ""), {t: t or "—" for t in tracks}, base, "track"),
            BUCKETS, names, _("Engagements per track"),
        ),
        "industries": stacked_bars(
            _bar_rows(by_industry, {c: industries.get(c, c) for c in top}, base, "industry"),
            BUCKETS, names, _("Engagements per industry"),
        ),
        "kpis": box_plots(box_rows, _("KPI changes of completed engagements")) if box_rows else None,
        "satisfaction": columns(
            [(str(n), surveys.satisfaction.get(n, 0), "") for n in range(1, 6)],
            _("Satisfaction at completion"),
        ),
        "gains": columns(
            [(outcome_label("gains", g), surveys.gains.get(g, 0), "") for g in ("kept", "partly", "lost")],
            _("Gains kept at 6 and 12 months"), color="#1b7f3b",
        ),
    }  # fmt: skip
    flagged = sorted((f for f in facts if f.flagged), key=lambda f: (f.bucket == "completed", f.company.name))
    years = cohort_years(session)
    return render_template(
        "outcomes/province.html",
        charts=charts,
        year=year,
        years=years,
        goal=GOAL_FACTORIES,
        completed_total=completed_total,
        on_site=sum(1 for f in facts if f.bucket == "on_site"),
        planned=sum(1 for f in facts if f.bucket == "planned"),
        completed_count=len(completed),
        tasks_found=sum(f.tasks_found for f in facts),
        tasks_solved=sum(f.tasks_solved for f in facts),
        distributions=distributions,
        surveys=surveys,
        flagged=flagged,
        municipalities=municipalities,
        list_url=lambda **kw: _list_url(base, **kw),
        labels=LABELS,
    )


def _filters_from_args() -> Filters:
    args = request.args
    text = {k: (args.get(k) or "").strip() or None for k in ("track", "industry", "bucket", "kpi")}
    if text["bucket"] not in (None, *BUCKETS) or text["kpi"] not in (None, *LABELS["kpi"]):
        abort(400)
    flag = {"1": True, "0": False}
    return Filters(
        year=_year_arg(),
        municipality=parse_id(args.get("municipality")),
        track=args.get("track") if "track" in args else None,
        industry=text["industry"],
        bucket=text["bucket"],
        kpi=text["kpi"],
        met=flag.get(args.get("met", "")),
        flagged=flag.get(args.get("flagged", "")),
    )


@bp.get("/province/engagements")
def province_engagements():
    """The engagements behind a figure of the dashboard (its filters in the query)."""
    filters = _filters_from_args()
    facts = [
        f
        for f in load_facts(db(), municipality=filters.municipality, year=filters.year)
        if filters.matches(f)
    ]
    municipalities = municipality_names(db())
    return render_template(
        "outcomes/province_list.html",
        facts=facts,
        filters=filters,
        municipalities=municipalities,
        bucket_names=_bucket_names(),
        labels=LABELS,
    )
