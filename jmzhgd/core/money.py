"""Amounts typed by a person, read from a workbook or sent by a client: one parser, one set of bounds.

A money amount is a `Decimal` written plainly (digits, at most one point, thousands commas allowed):
`NaN`, infinities and exponents (`1e30`, which Excel writes for a number it cannot show) are refused
as not a number, a negative as negative, more than two decimals as such, and anything above the
configured plausible maximum (settings.MONEY_MAX_*) with the limit named. The bound is checked before
any arithmetic, so no value reaches `quantize` or the database that either cannot hold.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .validators import normalise_text

PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
CENT = Decimal("0.01")


def max_wage() -> Decimal:
    """The most one worker's line may hold (应发, 代扣代缴, 实发, a bank result's 金额)."""
    return Decimal(settings.MONEY_MAX_WAGE)


def max_rate() -> Decimal:
    """The most a 日薪 or 计件单价 may be."""
    return Decimal(settings.MONEY_MAX_RATE)


def max_deposit() -> Decimal:
    """The most a project's 工资保证金 may be."""
    return Decimal(settings.MONEY_MAX_DEPOSIT)


def _text(value) -> str:
    if isinstance(value, bool):
        return "not a number"
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else "NaN"
    if isinstance(value, float):
        return repr(value)  # inf, nan and 1e+30 stay what they are and are refused below
    return normalise_text(value).replace(",", "")


def parse_decimal(
    value, label: str, *, maximum: Decimal, places: int = 2, required: bool = True, unit: str = "元"
) -> Decimal | None:
    """`value` as a Decimal of at most `places` decimals in 0..maximum; ValidationError in Chinese."""
    text = _text(value) if value is not None else ""
    if not text:
        if required:
            raise ValidationError(f"{label}不能为空。", code="required")
        return None
    if not PLAIN_NUMBER.fullmatch(text):
        raise ValidationError(f"{label}必须是数字（如 3600 或 3600.50）。", code="invalid")
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover — the pattern admits only plain numbers
        raise ValidationError(f"{label}必须是数字（如 3600 或 3600.50）。", code="invalid") from None
    if amount < 0:
        raise ValidationError(f"{label}不能为负数。", code="negative")
    if amount > maximum:
        raise ValidationError(f"{label}不能超过 {maximum:,}{unit}。", code="max_value")
    step = Decimal(1).scaleb(-places)
    if amount != amount.quantize(step):
        raise ValidationError(
            f"{label}最多保留{'两' if places == 2 else places}位小数。", code="max_decimal_places"
        )
    return amount.quantize(step)


def parse_amount(value, label: str, *, required: bool = True) -> Decimal | None:
    """A worker's money line in 元 (at most two decimals, 0..MONEY_MAX_WAGE)."""
    return parse_decimal(value, label, maximum=max_wage(), required=required)


def refuse_unplain_decimal(value, label: str) -> None:
    """For Django's DecimalField: `1e3`, `NaN` and `Infinity` are numbers to Decimal(), not to a person."""
    if value in (None, ""):
        return
    text = _text(value)
    if not PLAIN_NUMBER.fullmatch(text):
        raise ValidationError(f"{label}应填写数字（不能使用科学计数法）。", code="invalid")


class AmountField(forms.CharField):
    """A form field for a bounded amount, parsed by `parse_decimal` (its messages, its bounds)."""

    def __init__(self, *, maximum, places: int = 2, unit: str = "元", **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.maximum, self.places, self.unit = maximum, places, unit
        self.widget.attrs.update({"inputmode": "decimal"})

    def clean(self, value):
        value = super().clean(value)
        maximum = self.maximum() if callable(self.maximum) else self.maximum
        return parse_decimal(
            value,
            str(self.label),
            maximum=maximum,
            places=self.places,
            required=self.required,
            unit=self.unit,
        )
