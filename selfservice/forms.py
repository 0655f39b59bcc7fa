"""工人自助查询 forms: the identity check and 【我要反映】. Malformed input is refused before any lookup."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from alerts.services import REPORT_KINDS, WAGES_KIND
from jmzhgd.core.captcha import captcha_field
from jmzhgd.core.forms import PlatformForm
from jmzhgd.core.months import month_back, parse_month
from jmzhgd.core.validators import normalise_text, validate_id_number, validate_name
from wages.arrears import pay_days_of
from wages.months import DEFAULT_PAY_DAY, pay_deadline

REPORT_MONTHS = 7  # the six months before this one (this month's wages are never due yet)


class SignIdentityForm(PlatformForm):
    """姓名 + 身份证号 (+ captcha): the signing link's identity step, whose phone is proven by a code;
    the lookup adds the phone's last 4 digits."""

    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    id_number = forms.CharField(
        label="身份证号", max_length=30, error_messages={"required": "请填写身份证号码。"}
    )
    captcha = captcha_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text")
        for name, field in self.fields.items():
            if name != "captcha":
                field.widget.attrs["class"] = "form-control"

    def clean_name(self):
        name = normalise_text(self.cleaned_data["name"])
        validate_name(name, "姓名")
        return name

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])


class LookupForm(SignIdentityForm):
    phone_last4 = forms.CharField(
        label="手机号后4位", max_length=8, error_messages={"required": "请填写登记手机号的后4位。"}
    )
    field_order = ["name", "id_number", "phone_last4", "captcha"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone_last4"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_phone_last4(self):
        digits = normalise_text(self.cleaned_data["phone_last4"])
        if not re.fullmatch(r"\d{4}", digits):
            raise ValidationError("请填写登记手机号的后4位数字。")
        return digits


class ReportForm(PlatformForm):
    project = forms.TypedChoiceField(label="项目", coerce=int, error_messages={"required": "请选择项目。"})
    kind = forms.ChoiceField(
        label="问题类型", choices=list(REPORT_KINDS.items()), error_messages={"required": "请选择问题类型。"}
    )
    text = forms.CharField(
        label="具体情况",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写反映的具体情况。", "max_length": "反映内容不能超过500字。"},
    )

    month = forms.ChoiceField(
        label="工资月份", required=False, help_text="反映工资问题时选择：哪个月的工资未按时足额发放"
    )

    def __init__(self, *args, projects=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = list(projects)
        self.today = today or timezone.localdate()
        # Only months whose wages are due are offered: a month's wages are due on the project's
        # 工资支付日期 of the next month (条例 art. 24), so the current month never is, and last month
        # only from that day on. With several projects a month due at any of them is offered, and
        # clean() checks it against the chosen project's pay day.
        self.pay_days = pay_days_of([choice[0] for choice in self.fields["project"].choices])
        earliest_pay_day = min(self.pay_days.values(), default=DEFAULT_PAY_DAY)
        this_month = self.today.replace(day=1)
        months = [month_back(this_month, n) for n in range(1, REPORT_MONTHS)]
        months = [m for m in months if pay_deadline(m, earliest_pay_day) <= self.today]
        self.fields["month"].choices = [("", "请选择")] + [
            (f"{m:%Y-%m}", f"{m.year}年{m.month}月") for m in months
        ]
        self.fields["month"].initial = f"{months[0]:%Y-%m}"  # the latest month already due
        self.fields["month"].error_messages["invalid_choice"] = "请选择近半年内已到发放日期的工资月份。"
        self.fields["project"].error_messages["invalid_choice"] = "只能反映本人所在项目的问题。"
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean(self):
        data = super().clean()
        if data.get("kind") == WAGES_KIND:
            if not data.get("month"):
                self.add_error("month", "反映工资问题请选择工资月份。")
            else:
                data["month"] = parse_month(data["month"])
                self._check_month_is_due(data)
        else:
            data["month"] = None  # only a wage report is about a month
        return data

    def _check_month_is_due(self, data) -> None:
        pay_day = self.pay_days.get(data.get("project"), DEFAULT_PAY_DAY)
        deadline = pay_deadline(data["month"], pay_day)
        if deadline > self.today:
            self.add_error(
                "month",
                f"{data['month'].year}年{data['month'].month}月的工资应在 {deadline:%Y-%m-%d} 前发放，"
                "尚未到期；到期后仍未发放再来反映。",
            )


class SignCodeForm(PlatformForm):
    code = forms.CharField(label="短信验证码", max_length=10, error_messages={"required": "请填写验证码。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"class": "form-control", "inputmode": "numeric", "autocomplete": "one-time-code"}
        )

    def clean_code(self):
        code = normalise_text(self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError("验证码为6位数字。")
        return code
