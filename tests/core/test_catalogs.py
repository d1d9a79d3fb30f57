"""The translation catalogs: Flask-Babel merges every package's catalog into one, and a later one
silently overrides an earlier one, so a text must read the same in every catalog that holds it;
and the committed .mo files must be compiled from the .po files beside them."""

from __future__ import annotations

import gettext
from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po

from webapp.config import translation_directories


def catalogs() -> list[Path]:
    found = [d / "ko" / "LC_MESSAGES" / "messages.po" for d in translation_directories()]
    return [po for po in found if po.is_file()]


def translations(po: Path) -> dict[tuple[str | None, str], str]:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    return {
        (message.context, message.id if isinstance(message.id, str) else message.id[0]): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def test_every_package_has_a_korean_catalog_found_by_the_app():
    names = {po.parts[-5] for po in catalogs()}
    assert {"webapp", "engagements", "outcomes", "programs", "media"} <= names


def test_a_text_reads_the_same_in_every_catalog():
    seen: dict[tuple[str | None, str], dict[str, str]] = defaultdict(dict)
    for po in catalogs():
        for key, text in translations(po).items():
            seen[key][str(po.parent.parent.parent.parent)] = text
    disagreements = {key: where for key, where in seen.items() if len(set(where.values())) > 1}
    assert disagreements == {}


def test_the_compiled_catalogs_match_their_sources():
    for po in catalogs():
        with po.with_suffix(".mo").open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for (context, msgid), text in translations(po).items():
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert got == text, f"{po}: {msgid!r} compiled as {got!r}, source says {text!r}"
