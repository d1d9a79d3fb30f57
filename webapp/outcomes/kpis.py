"""The KPI formulas (program-facts.md): each standard indicator's raw inputs, unit, direction and
formula, in exact decimal arithmetic; and the improvement, which the app computes, never a person.

Pure: no Flask, no database. Each input is checked on its own (a whole number, not negative, more
than zero where it divides) and against the others (defective at most produced); a failure is a
FieldErrors naming the form field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from flask_babel import lazy_gettext as _l

from webapp.outcomes.errors import ENTER_NUMBER, FieldErrors
from webapp.outcomes.models import Direction, KpiKind

VALUE_STEP = Decimal("0.0001")  # stored precision of a computed value
PERCENT_STEP = Decimal("0.1")  # shown precision of an improvement
HUNDRED = Decimal(100)
MAX_INPUT = Decimal("1e15")

InputKind = Literal["count", "decimal", "date"]
Values = dict[str, Any]


@dataclass(frozen=True)
class Input:
    name: str
    label: Any
    kind: InputKind
    positive: bool = False  # zero is refused (it divides)


@dataclass(frozen=True)
class KpiDefinition:
    kind: KpiKind
    label: Any
    unit: Any
    direction: Direction
    inputs: tuple[Input, ...]
    formula: Callable[[Values], Decimal]
    formula_text: Any
    cross_check: Callable[[Values], dict[str, Any]] = field(default=lambda _v: {})


def _at_most(part: str, whole: str, whole_label: Any) -> Callable[[Values], dict[str, Any]]:
    def check(values: Values) -> dict[str, Any]:
        if values[part] > values[whole]:
            return {part: _l("Cannot be more than %(other)s.", other=whole_label)}
        return {}

    return check


def _completion_after_order(values: Values) -> dict[str, Any]:
    if values["completed_on"] < values["ordered_on"]:
        return {"completed_on": _l("The completion date is before the order date.")}
    return {}


PRODUCED = _l("Units produced")
SHIPMENTS = _l("Shipments")
DEFINITIONS: dict[KpiKind, KpiDefinition] = {
    d.kind: d
    for d in (
        KpiDefinition(
            KpiKind.productivity,
            _l("Productivity"),
            _l("units/h"),
            Direction.up,
            (Input("units", PRODUCED, "count"), Input("hours", _l("Production hours"), "decimal", True)),
            lambda v: Decimal(v["units"]) / v["hours"],
            _l("units produced / production hours"),
        ),
        KpiDefinition(
            KpiKind.defect_rate,
            _l("Process defect rate"),
            "%",
            Direction.down,
            (Input("defective", _l("Defective units"), "count"), Input("produced", PRODUCED, "count", True)),
            lambda v: Decimal(v["defective"]) * HUNDRED / v["produced"],
            _l("defective / produced x 100"),
            _at_most("defective", "produced", PRODUCED),
        ),
        KpiDefinition(
            KpiKind.unit_cost,
            _l("Unit manufacturing cost"),
            _l("KRW/unit"),
            Direction.down,
            (
                Input("cost", _l("Manufacturing cost (KRW)"), "count", True),
                Input("units", PRODUCED, "count", True),
            ),
            lambda v: Decimal(v["cost"]) / v["units"],
            _l("manufacturing cost / units produced"),
        ),
        KpiDefinition(
            KpiKind.lead_time,
            _l("Manufacturing lead time"),
            _l("days"),
            Direction.down,
            (
                Input("ordered_on", _l("Production order date"), "date"),
                Input("completed_on", _l("Completion date"), "date"),
            ),
            lambda v: Decimal((v["completed_on"] - v["ordered_on"]).days),
            _l("completion date - production order date"),
            _completion_after_order,
        ),
        KpiDefinition(
            KpiKind.on_time_delivery,
            _l("On-time delivery rate"),
            "%",
            Direction.up,
            (
                Input("on_time", _l("On-time shipments"), "count"),
                Input("shipments", SHIPMENTS, "count", True),
            ),
            lambda v: Decimal(v["on_time"]) * HUNDRED / v["shipments"],
            _l("on-time shipments / shipments x 100"),
            _at_most("on_time", "shipments", SHIPMENTS),
        ),
    )
}
CUSTOM_INPUTS = (Input("value", _l("Value"), "decimal"),)


def inputs_of(kind: str) -> tuple[Input, ...]:
    return DEFINITIONS[KpiKind(kind)].inputs if kind != KpiKind.custom else CUSTOM_INPUTS


def _parse(spec: Input, text: str) -> Any:
    if spec.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(_l("Enter a date (YYYY-MM-DD).")) from None
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(ENTER_NUMBER) from None
    if not number.is_finite() or abs(number) >= MAX_INPUT:
        raise ValueError(ENTER_NUMBER)
    if spec.kind == "count" and number != number.to_integral_value():
        raise ValueError(_l("Enter a whole number."))
    if number < 0:
        raise ValueError(_l("Must not be negative."))
    if spec.positive and number == 0:
        raise ValueError(_l("Must be more than zero."))
    return int(number) if spec.kind == "count" else number


def measure(kind: str, form: Mapping[str, str], prefix: str) -> tuple[dict[str, str], Decimal]:
    """Read one measurement's raw inputs (form fields `<prefix>-<input>`) and compute its value.

    Returns the inputs as stored (text) and the value; raises FieldErrors naming the fields.
    """
    specs = inputs_of(kind)
    values: Values = {}
    errors: dict[str, Any] = {}
    for spec in specs:
        text = (form.get(f"{prefix}-{spec.name}") or "").strip()
        if not text:
            errors[f"{prefix}-{spec.name}"] = _l("Required.")
            continue
        try:
            values[spec.name] = _parse(spec, text)
        except ValueError as exc:
            errors[f"{prefix}-{spec.name}"] = exc.args[0]
    if errors:
        raise FieldErrors(errors)
    if kind == KpiKind.custom:
        value = values["value"]
    else:
        definition = DEFINITIONS[KpiKind(kind)]
        crossed = definition.cross_check(values)
        if crossed:
            raise FieldErrors({f"{prefix}-{name}": message for name, message in crossed.items()})
        value = definition.formula(values)
    stored = {name: v.isoformat() if isinstance(v, date) else str(v) for name, v in values.items()}
    return stored, value.quantize(VALUE_STEP, rounding=ROUND_HALF_UP)


def parse_target(text: str, field_name: str = "target") -> Decimal:
    """A target (in the indicator's unit) typed by a person."""
    text = (text or "").strip()
    if not text:
        raise FieldErrors.one(field_name, _l("Required."))
    try:
        number = _parse(Input(field_name, "", "decimal"), text)
    except ValueError as exc:
        raise FieldErrors.one(field_name, exc.args[0]) from None
    return Decimal(number).quantize(VALUE_STEP, rounding=ROUND_HALF_UP)


def check_target(direction: str, baseline: Decimal, target: Decimal, field_name: str = "target") -> None:
    """A target must improve on the baseline in the indicator's direction."""
    if direction == Direction.up and target <= baseline:
        raise FieldErrors.one(
            field_name, _l("The target must be higher than the baseline (higher is better).")
        )
    if direction == Direction.down and target >= baseline:
        raise FieldErrors.one(field_name, _l("The target must be lower than the baseline (lower is better)."))


def change_pct(baseline: Decimal | None, value: Decimal | None) -> Decimal | None:
    """Signed change from the baseline in % (lead time -39%); None when it cannot be computed."""
    if baseline is None or value is None or baseline == 0:
        return None
    return ((value - baseline) * HUNDRED / baseline).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def gain_pct(direction: str, change: Decimal | None) -> Decimal | None:
    """A change in % (`change_pct`) with the sign of "better": positive is an improvement in either
    direction."""
    if change is None:
        return None
    return change if direction == Direction.up else -change


def target_met(direction: str, target: Decimal | None, actual: Decimal | None) -> bool | None:
    if target is None or actual is None:
        return None
    return actual >= target if direction == Direction.up else actual <= target
