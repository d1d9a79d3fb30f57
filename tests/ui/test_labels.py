"""Every stored state and kind has a translated label; select options follow the enums."""

from webapp.ui.labels import LABELS, VOCABULARIES, options


def test_every_member_of_every_vocabulary_has_a_label():
    for group, vocabulary in VOCABULARIES.items():
        assert set(LABELS[group]) == set(vocabulary), group


def test_options_are_the_enum_values_in_order(web_app):
    with web_app.test_request_context():
        assert [value for value, _ in options("company_status")] == [
            "applied",
            "active",
            "completed",
            "withdrawn",
        ]
        assert [str(text) for _, text in options("size")] == ["소상공인", "소기업", "중기업"]
