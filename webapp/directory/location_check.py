"""Whether a company's or mentor's coordinates lie in the municipality given for it, by the
real boundaries (webapp.ui.boundaries). A mismatch is a warning, not an error: the simplified
borders are about 300 m coarse, and a company may sit just across a border."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from webapp.directory.models import Company, Mentor, Municipality
from webapp.ui.boundaries import municipality_at


def location_warning(session: Session, record: Company | Mentor) -> str | None:
    """A message in the page's language when the point is outside its municipality."""
    given = session.get(Municipality, record.municipality_id)
    found = municipality_at(record.lat, record.lon)
    if given is None or found == given.name_ko:
        return None
    if found is None:
        return _(
            "The coordinates (%(lat).4f, %(lon).4f) lie outside North Jeolla, not in %(given)s. Check them.",
            lat=record.lat,
            lon=record.lon,
            given=given.name_ko,
        )
    return _(
        "The coordinates (%(lat).4f, %(lon).4f) lie in %(found)s, not in %(given)s. Check them.",
        lat=record.lat,
        lon=record.lon,
        found=found,
        given=given.name_ko,
    )
