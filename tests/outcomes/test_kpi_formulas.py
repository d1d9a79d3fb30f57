"""The KPI formulas and their edge cases (program-facts.md), and the computed improvement."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st

from webapp.outcomes.errors import FieldErrors
from webapp.outcomes.kpis import change_pct, check_target, gain_pct, measure, parse_target, target_met


def _measure(kind, **inputs):
    return measure(kind, {f"m-{k}": str(v) for k, v in inputs.items()}, "m")


@pytest.mark.parametrize(
    ("kind", "inputs", "value"),
    [
        ("productivity", {"units": 1200, "hours": 160}, Decimal("7.5")),
        ("productivity", {"units": "1,000", "hours": "3"}, Decimal("333.3333")),
        ("defect_rate", {"defective": 45, "produced": 1500}, Decimal("3")),
        ("defect_rate", {"defective": 0, "produced": 10}, Decimal("0")),
        ("unit_cost", {"cost": 12_500_000, "units": 5000}, Decimal("2500")),
        ("lead_time", {"ordered_on": "2026-03-02", "completed_on": "2026-03-16"}, Decimal("14")),
        ("lead_time", {"ordered_on": "2026-03-02", "completed_on": "2026-03-02"}, Decimal("0")),
        ("on_time_delivery", {"on_time": 188, "shipments": 200}, Decimal("94")),
        ("custom", {"value": "12.5"}, Decimal("12.5")),
    ],
)
def test_formulas(kind, inputs, value):
    stored, computed = _measure(kind, **inputs)
    assert computed == value
    assert set(stored) == set(inputs)


@pytest.mark.parametrize(
    ("kind", "inputs", "field", "message"),
    [
        ("productivity", {"units": 100, "hours": 0}, "m-hours", "Must be more than zero."),
        ("productivity", {"units": -5, "hours": 8}, "m-units", "Must not be negative."),
        ("productivity", {"units": "1.5", "hours": 8}, "m-units", "Enter a whole number."),
        ("productivity", {"units": "many", "hours": 8}, "m-units", "Enter a number."),
        ("productivity", {"units": "NaN", "hours": 8}, "m-units", "Enter a number."),
        ("productivity", {"units": "", "hours": 8}, "m-units", "Required."),
        ("defect_rate", {"defective": 5, "produced": 0}, "m-produced", "Must be more than zero."),
        (
            "defect_rate",
            {"defective": 11, "produced": 10},
            "m-defective",
            "Cannot be more than Units produced.",
        ),
        ("unit_cost", {"cost": 0, "units": 10}, "m-cost", "Must be more than zero."),
        ("on_time_delivery", {"on_time": 3, "shipments": 2}, "m-on_time", "Cannot be more than Shipments."),
        ("lead_time", {"ordered_on": "2026-03-10", "completed_on": "2026-03-02"}, "m-completed_on", "before"),
        (
            "lead_time",
            {"ordered_on": "2026-02-30", "completed_on": "2026-03-02"},
            "m-ordered_on",
            "YYYY-MM-DD",
        ),
    ],
)
def test_bad_inputs_name_the_field(app, kind, inputs, field, message):
    with pytest.raises(FieldErrors) as caught:
        _measure(kind, **inputs)
    assert list(caught.value.errors) == [field]
    with app.test_request_context(), force_locale("en"):
        assert message in str(caught.value.errors[field])


def test_improvement_is_direction_aware():
    assert change_pct(Decimal(10), Decimal("17.6")) == Decimal("76.0")
    assert gain_pct("higher", change_pct(Decimal(10), Decimal("17.6"))) == Decimal("76.0")
    assert change_pct(Decimal(20), Decimal("12.2")) == Decimal("-39.0")  # lead time -39%
    assert gain_pct("lower", change_pct(Decimal(20), Decimal("12.2"))) == Decimal("39.0")
    assert gain_pct("lower", change_pct(Decimal(20), Decimal(25))) == Decimal("-25.0")  # got worse
    assert change_pct(Decimal(0), Decimal(5)) is None  # no baseline to compare with
    assert change_pct(None, Decimal(5)) is None
    assert target_met("higher", Decimal(15), Decimal(15)) is True
    assert target_met("lower", Decimal(2), Decimal("2.1")) is False
    assert target_met("lower", None, Decimal(2)) is None


def test_target_must_point_the_right_way():
    check_target("higher", Decimal(10), Decimal(11))
    check_target("lower", Decimal(10), Decimal(9))
    for direction, target in (("higher", 10), ("higher", 9), ("lower", 10), ("lower", 11)):
        with pytest.raises(FieldErrors):
            check_target(direction, Decimal(10), Decimal(target))
    with pytest.raises(FieldErrors):
        parse_target("-3")
    assert parse_target("1,234.56789") == Decimal("1234.5679")


@given(
    produced=st.integers(min_value=1, max_value=10**9),
    share=st.fractions(min_value=0, max_value=1),
)
def test_defect_rate_is_exact_and_between_0_and_100(produced, share):
    defective = int(produced * share)
    _, value = _measure("defect_rate", defective=defective, produced=produced)
    assert Decimal(0) <= value <= Decimal(100)
    assert abs(value - Decimal(defective) * 100 / Decimal(produced)) <= Decimal("0.00005")


def test_lead_time_counts_calendar_days():
    _, value = _measure("lead_time", ordered_on=date(2026, 12, 28), completed_on=date(2027, 1, 4))
    assert value == 7


def test_charts_escape_labels_and_link_every_bar():
    from webapp.outcomes.charts import BarRow, stacked_bars

    svg = str(
        stacked_bars(
            [
                BarRow(
                    "<b>전주시</b> 아주 긴 이름의 시군 라벨",
                    {"completed": 3},
                    {"completed": "/x?a=1&b=2", "": "/y"},
                )
            ],
            ["completed"],
            {"completed": "완료"},
            "제목",
        )
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "<title>&lt;b&gt;전주시" in svg  # the full label as the tooltip, the shown one cut
    assert 'href="/x?a=1&amp;b=2"' in svg and ">3<" in svg
