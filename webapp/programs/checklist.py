"""The inspection checklist filled on site: each readiness item of the cohort's checklist scored
1-5 with a note, photos taken on the spot, a recommendation and a summary. Saving a draft keeps
what is there; finishing needs every item and the recommendation and marks the inspection done.
A photo that is refused refuses the whole save (nothing half-written); the phone keeps the
typed form (static/draft.js), so nothing is lost either."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlmodel import Session

from webapp.core.audit import Entity, audit
from webapp.core.clock import utcnow
from webapp.core.db import get_existing, id_of
from webapp.core.media.images import MediaError
from webapp.core.media.service import save_photo
from webapp.core.media.storage import MediaStore
from webapp.core.media.uploads import MESSAGES as PHOTO_MESSAGES
from webapp.programs.inspection_models import Inspection, InspectionPair, InspectionState, Recommendation
from webapp.programs.models import Cohort
from webapp.programs.photos import OWNER
from webapp.programs.rubrics import CHECK_SCORES, checklist_of, hold
from webapp.programs.text import Refused

MAX_NOTE = 500
MAX_SUMMARY = 4000
OPEN_STATES = (InspectionState.proposed.value, InspectionState.confirmed.value, InspectionState.done.value)


class ChecklistInvalid(Refused):
    """The checklist refused (nothing stored)."""


def owned(session: Session, inspection_id: int, mentor_id: int | None) -> Inspection | None:
    """The inspection if the mentor is one of its pair."""
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or mentor_id is None:
        return None
    pair = get_existing(session, InspectionPair, inspection.pair_id)
    return inspection if mentor_id in (pair.mentor_a_id, pair.mentor_b_id) else None


def save(
    session: Session,
    inspection: Inspection,
    form,
    user_id: int,
    *,
    finish: bool,
    photos: Sequence[tuple[bytes, str]] = (),
    store: MediaStore | None = None,
) -> Inspection:
    """Store the checklist (a draft, or finished: then every item and the recommendation are
    required and the inspection is done). Commits; raises ChecklistInvalid, nothing stored."""
    if inspection.state not in OPEN_STATES:
        raise ChecklistInvalid({"inspection": _l("This inspection was withdrawn.")}, conflict=True)
    cohort_id = inspection.cohort_id
    items = checklist_of(get_existing(session, Cohort, cohort_id))
    errors: dict[str, LazyString] = {}
    checklist: dict[str, dict] = {}
    for item in items:
        key = item["key"]
        text = (form.get(f"score_{key}") or "").strip()
        note = (form.get(f"note_{key}") or "").strip()
        if len(note) > MAX_NOTE:
            errors[f"note_{key}"] = _l("At most %(limit)s characters.", limit=MAX_NOTE)
        score = None
        if text:
            if text.isdigit() and int(text) in CHECK_SCORES:
                score = int(text)
            else:
                errors[f"score_{key}"] = _l("Choose a score from 1 to 5.")
        elif finish:
            errors[f"score_{key}"] = _l("Choose a score from 1 to 5.")
        checklist[key] = {"score": score, "note": note}
    recommendation = form.get("recommendation") or ""
    if recommendation and recommendation not in {r.value for r in Recommendation}:
        errors["recommendation"] = _l("Choose a recommendation.")
    elif finish and not recommendation:
        errors["recommendation"] = _l("Choose a recommendation.")
    summary = (form.get("summary") or "").strip()
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = _l("At most %(limit)s characters.", limit=MAX_SUMMARY)
    if errors:
        raise ChecklistInvalid(errors)
    for data, name in photos:
        assert store is not None, "photos need the media store"
        try:
            save_photo(
                session,
                store,
                data,
                owner_kind=OWNER,
                owner_id=id_of(inspection),
                user_id=user_id,
                original_name=name,
            )
        except MediaError as exc:
            session.rollback()  # also removes the files of the photos stored before this one
            raise ChecklistInvalid({"photo": PHOTO_MESSAGES[exc.problem]}) from None
    # From here to the commit the cohort's checklist cannot change (rubrics.hold), and it must
    # still be the one checked above: the photos were processed before, outside the hold.
    hold(session, cohort_id)
    if checklist_of(get_existing(session, Cohort, cohort_id)) != items:
        session.rollback()
        raise ChecklistInvalid(
            {"inspection": _l("The checklist changed a moment ago; look again.")}, conflict=True
        )
    inspection.checklist = checklist
    inspection.recommendation = recommendation
    inspection.summary = summary
    inspection.updated_at = utcnow()
    if finish:
        inspection.state = InspectionState.done.value
        inspection.checked_at = utcnow()
        inspection.checked_by_id = user_id
    session.add(inspection)
    audit(
        session,
        user_id,
        "inspection_checked" if finish else "inspection_draft_saved",
        Entity.inspection,
        inspection.id,
    )
    session.commit()
    return inspection
