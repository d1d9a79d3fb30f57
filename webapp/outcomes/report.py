"""The completion report of one engagement: KPIs before / target / after with the improvement,
tasks found and solved, before / after photos side by side; as a printable page and as a PDF.

The PDF is the same template rendered by WeasyPrint (docs/outcomes.md says why), with the photos
read from MEDIA_ROOT and nothing fetched from anywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import render_template, url_for
from sqlmodel import Session, col, select

from webapp.core.db import id_of
from webapp.core.media.models import Photo
from webapp.core.media.views import media_store
from webapp.directory.models import Company, Industry, Municipality
from webapp.engagements.access import Viewer
from webapp.engagements.models import Engagement
from webapp.outcomes.header import engagement_header
from webapp.outcomes.sheet import indicators, outcome_of
from webapp.outcomes.summary import kpi_row, task_counts
from webapp.outcomes.tasks import tasks_of

FONT_DIRS = ("/usr/share/fonts/truetype/nanum", "/usr/share/fonts/opentype/nanum")


def report_context(session: Session, engagement: Engagement) -> dict[str, Any]:
    found = tasks_of(session, id_of(engagement))
    photo_ids = {i for t in found for i in (t.before_photo_id, t.after_photo_id) if i}
    photos = (
        {p.id: p for p in session.exec(select(Photo).where(col(Photo.id).in_(photo_ids)))}
        if photo_ids
        else {}
    )
    company = session.get(Company, engagement.company_id)
    return {
        "rows": [kpi_row(i) for i in indicators(session, id_of(engagement))],
        "tasks": found,
        "counts": task_counts(found),
        "photos": photos,
        "report_outcome": outcome_of(session, id_of(engagement)),
        "industry": session.get(Industry, company.industry_code) if company else None,
        "report_municipality": session.get(Municipality, company.municipality_id) if company else None,
        "photo_src": photo_url,
    }


def photo_url(photo_id: int, size: str = "thumb") -> str:
    return url_for("media.thumbnail" if size == "thumb" else "media.photo", photo_id=photo_id)


def _font_face() -> str:
    """@font-face rules for NanumGothic (fonts-nanum), so Korean prints without the system's fontconfig."""
    for folder in FONT_DIRS:
        faces = [(Path(folder) / f"NanumGothic{s}.ttf", w) for s, w in (("", "normal"), ("Bold", "bold"))]
        found = [(path, weight) for path, weight in faces if path.is_file()]
        if found:
            return " ".join(
                f"@font-face {{ font-family: 'NanumGothic'; font-weight: {weight}; "
                f"src: url('{path.as_uri()}'); }}"
                for path, weight in found
            )
    return ""


def render_pdf(session: Session, viewer: Viewer, engagement: Engagement) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a PDF is asked for
    from weasyprint.urls import URLFetcher

    store = media_store()
    context = report_context(session, engagement)
    photos: dict[int, Photo] = context["photos"]
    context["photo_src"] = lambda photo_id, size="thumb": store.path(photos[photo_id].file_key, size).as_uri()
    allowed = [store.root.resolve().as_uri(), *(Path(d).as_uri() for d in FONT_DIRS)]

    class LocalFilesOnly(URLFetcher):
        """The photos and the fonts; nothing else is fetched, from anywhere."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not any(url.startswith(prefix + "/") for prefix in allowed):
                raise ValueError(f"not fetched: {url}")
            return super().fetch(url, headers)

    html = render_template(
        "outcomes/report_pdf.html",
        font_face=_font_face(),
        **context,
        **engagement_header(session, viewer, engagement, [], "report"),
    )
    fetcher = LocalFilesOnly(allowed_protocols=("file",))
    return HTML(string=html, url_fetcher=fetcher, base_url=store.root.resolve().as_uri()).write_pdf()
