"""Forms of the wage pages: they parse and show; the rules are in wages.services and wages.transitions."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from enterprises.models import Team
from jmzhgd.core.codes import Bank, District
from jmzhgd.core.forms import PlatformForm
from jmzhgd.core.money import AmountField, max_deposit

from .models import DepositForm, PayRule
from .months import DEFAULT_PAY_DAY

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_WIDGET = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})


class WageAccountForm(PlatformForm):
    bank_code = forms.ChoiceField(label="开户银行", choices=[("", "请选择")] + Bank.choices)
    branch_name = forms.CharField(label="开户支行", max_length=100)
    account_number = forms.CharField(
        label="专户账号", max_length=40, required=False, help_text="已登记时留空表示不修改"
    )
    opened_on = forms.DateField(label="开户日期", required=False, widget=DATE_WIDGET)
    deposit_amount = AmountField(label="工资保证金金额(元)", required=False, maximum=max_deposit)
    deposit_form = forms.ChoiceField(
        label="保证金形式", required=False, choices=[("", "—")] + DepositForm.choices
    )
    pay_day = forms.IntegerField(
        label="工资支付日期（每月几号支付上月工资）", min_value=1, max_value=31, initial=DEFAULT_PAY_DAY
    )


class GenerateForm(PlatformForm):
    team = forms.ModelChoiceField(label="班组", queryset=Team.objects.none())
    pay_month = forms.CharField(label="工资月份", widget=MONTH_WIDGET)
    pay_rule = forms.ChoiceField(label="计算方式", choices=PayRule.choices, initial=PayRule.MANUAL)
    rate = forms.CharField(label="日薪/计件单价(元)", required=False, max_length=40)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            Team.objects.filter(project=project)
            .normal()
            .select_related("unit__enterprise")
            .order_by("unit", "name")
        )
        self.fields["team"].label_from_instance = lambda t: f"{t.unit.enterprise.name} · {t.name}"
        if not self.is_bound:
            self.initial.setdefault("pay_month", f"{timezone.localdate():%Y-%m}")


class ReturnForm(PlatformForm):
    reason = forms.CharField(label="退回原因", max_length=200)


class PayForm(PlatformForm):
    balance_date = forms.DateField(label="发放日期", widget=DATE_WIDGET)
    voucher = forms.FileField(label="银行代发凭证（jpg/png/pdf）", required=False)


class ConfirmForm(PlatformForm):
    signature_scan = forms.FileField(label="工人签字扫描件（jpg/png/pdf）", required=False)


class BankResultForm(PlatformForm):
    file = forms.FileField(label="银行代发结果（xlsx：卡号、金额、状态）")


class ArrearsFilterForm(PlatformForm):
    district = forms.ChoiceField(label="区县", required=False, choices=[("", "全部")] + District.choices)
