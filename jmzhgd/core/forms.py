"""What every form of the platform shares: plausible dates, compact codes, messages naming the field.

Django's stock messages read as a translation (「确保该变量包含不超过 64 字符 (目前字符数 65)。」,
「确认总共不超过 14 个数字.」) and never say which field they are about. `PlatformFormMixin` rewrites
each stock message into the platform's own Chinese, with the field's label and the limit, and leaves a
message a form wrote itself as it is. It also gives every date field one plausible range (ASVS 5.0
V2.2.1: a contract ending 9999-12-31 made later pages overflow) and compacts identifier fields
before their length limit is checked (a pasted leading space no longer costs the last character).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.core import validators as dv
from django.core.exceptions import ValidationError

from .money import PLAIN_NUMBER
from .validators import normalise_text

EARLIEST_DATE = date(1950, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_RANGE_TEXT = f"{EARLIEST_DATE:%Y-%m-%d} 至 {LATEST_DATE:%Y-%m-%d}"

# Identifiers typed or pasted from another system: 统一社会信用代码, 身份证号, 项目编码, phones, bank
# cards, 许可证号, 申报编号. White space inside them is never meaningful.
CODE_FIELD = re.compile(r"(code|id_number|phone|number|account|_no)$")


def check_plausible_date(value: date | None, label: str) -> date | None:
    """Refuse a date outside EARLIEST_DATE..LATEST_DATE, naming the field."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(f"{label}应在 {DATE_RANGE_TEXT} 之间。", code="date_range")
    return value


def day_after(value: date | None) -> date | None:
    """The next day, or None where there is none to show (no date, or the calendar's last day)."""
    if value is None or value >= date.max:
        return None
    return value + timedelta(days=1)


def _stock_messages(field: forms.Field) -> dict:
    """The error messages Django itself gives this kind of field."""
    stock = {}
    for cls in reversed(type(field).__mro__):
        stock.update(getattr(cls, "default_error_messages", {}))
    return stock


def _messages_for(field: forms.Field, label: str) -> dict:
    if isinstance(field, forms.DateField):
        invalid = f"{label}应为有效日期，格式 YYYY-MM-DD。"
    elif isinstance(field, forms.DecimalField | forms.FloatField):  # both subclass IntegerField
        invalid = f"{label}应填写数字。"
    elif isinstance(field, forms.IntegerField):
        invalid = f"{label}应填写整数。"
    else:
        invalid = f"{label}格式不正确。"
    return {
        "required": f"请填写{label}。",
        "invalid": invalid,
        "invalid_choice": f"{label}的选项无效，请重新选择。",
        "invalid_list": f"{label}的选项无效，请重新选择。",
        "invalid_pk_value": f"{label}的选项无效，请重新选择。",
        "missing": f"请上传{label}。",
        "empty": f"上传的{label}是空文件。",
        "no_name": f"{label}没有文件名，请重新选择文件。",
        "max_length": f"{label}的文件名太长。",
        "contradiction": f"{label}不能同时上传新文件又删除原文件。",
        "invalid_image": f"{label}不是有效的图片。",
    }


def _replace_validators(field: forms.Field, label: str) -> None:
    replaced = []
    for validator in field.validators:
        if isinstance(validator, dv.MaxLengthValidator):
            n = validator.limit_value
            validator = dv.MaxLengthValidator(n, f"{label}最多 {n} 个字，当前 %(show_value)d 个。")
        elif isinstance(validator, dv.MinLengthValidator):
            n = validator.limit_value
            validator = dv.MinLengthValidator(n, f"{label}至少 {n} 个字，当前 %(show_value)d 个。")
        elif isinstance(validator, dv.MaxValueValidator):
            validator = dv.MaxValueValidator(validator.limit_value, f"{label}不能大于 %(limit_value)s。")
        elif isinstance(validator, dv.MinValueValidator):
            validator = dv.MinValueValidator(validator.limit_value, f"{label}不能小于 %(limit_value)s。")
        elif isinstance(validator, dv.DecimalValidator):
            validator = dv.DecimalValidator(validator.max_digits, validator.decimal_places)
            validator.messages = {
                "invalid": f"{label}应填写数字。",
                "max_digits": f"{label}最多 %(max)s 位数字。",
                "max_decimal_places": f"{label}最多 %(max)s 位小数。",
                "max_whole_digits": f"{label}的整数部分最多 %(max)s 位。",
            }
        elif isinstance(validator, dv.ProhibitNullCharactersValidator):
            validator = dv.ProhibitNullCharactersValidator(f"{label}不能包含空字符。")
        replaced.append(validator)
    field.validators = replaced


def _compact_before_limits(field: forms.CharField) -> None:
    """Remove white space before max_length is checked, and let the browser keep a pasted value whole
    (its maxlength would cut the last character of a code pasted with a leading space)."""
    parse = field.to_python

    def to_python(value):
        return parse(normalise_text(value) if isinstance(value, str) else value)

    field.to_python = to_python
    field.widget.attrs.pop("maxlength", None)


def apply_platform_rules(field: forms.Field, name: str) -> None:
    """Make one form field speak the platform's Chinese and keep its values plausible."""
    if getattr(field, "_platform_rules", False) or isinstance(field, forms.MultiValueField):
        return  # done already, or a compound field (the captcha) that words its own messages
    field._platform_rules = True
    label = str(field.label or name)
    stock = _stock_messages(field)
    ours = _messages_for(field, label)
    for key, message in list(field.error_messages.items()):
        if key in ours and str(message) == str(stock.get(key)):
            field.error_messages[key] = ours[key]
    _replace_validators(field, label)
    if isinstance(field, forms.DateField):
        field.validators.append(lambda value: check_plausible_date(value, label))
        field.widget.attrs.setdefault("min", f"{EARLIEST_DATE:%Y-%m-%d}")
        field.widget.attrs.setdefault("max", f"{LATEST_DATE:%Y-%m-%d}")
    elif type(field) is forms.CharField and CODE_FIELD.search(name) and not field.disabled:
        _compact_before_limits(field)
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        _plain_numbers_only(field)


def _plain_numbers_only(field: forms.Field) -> None:
    """Decimal() and float() read `NaN`, `Infinity` and `1e309`; a person types none of them. They are
    refused with the field's own message before Django's parser sees them (docs/security.md,
    "Amounts")."""
    parse = field.to_python

    def to_python(value):
        text = value.strip() if isinstance(value, str) else value
        if (
            text not in (None, "")
            and not isinstance(text, Decimal | int)
            and not PLAIN_NUMBER.fullmatch(str(text))
        ):
            raise ValidationError(field.error_messages["invalid"], code="invalid")
        return parse(value)

    field.to_python = to_python


class PlatformFormMixin:
    """Every form of the platform inherits this first; a form that replaces `self.fields` after
    __init__ calls `apply_platform_rules_to_fields()` again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_platform_rules_to_fields()

    def apply_platform_rules_to_fields(self) -> None:
        for name, field in self.fields.items():
            apply_platform_rules(field, name)
            if self.prefix and field.label:
                # A formset's forms are table rows under one header, without a <label> per input:
                # each input still needs an accessible name (WCAG 2.1 SC 4.1.2).
                field.widget.attrs.setdefault("aria-label", str(field.label))


class PlatformForm(PlatformFormMixin, forms.Form):
    """A plain form of the platform (filter sets use it as their form class)."""
