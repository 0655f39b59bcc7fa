"""工资支付台账 filters: month, 参建单位, 班组, state (only the project's own units and teams)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from enterprises.filters import UNIT_AND_TEAM_CHOICES
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.filters import ProjectFilterSet
from jmzhgd.core.forms import check_plausible_date

from .models import Payroll, PayrollStatus
from .months import parse_month


class MonthField(forms.CharField):
    """'YYYY-MM' within the platform's plausible dates; anything else is a message on the filter form
    (ASVS 5.0 V2.2.1) and the list is shown unfiltered by it."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        start = parse_month(value)
        if start is None:
            raise ValidationError("月份格式应为 YYYY-MM。")
        check_plausible_date(start, "月份")
        return value


class MonthFilter(django_filters.CharFilter):
    field_class = MonthField


class PayrollFilter(ProjectFilterSet):
    month = MonthFilter(
        method="filter_month",
        label="月份",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=ParticipatingUnit.objects.none(), label="参建单位", empty_label="全部"
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), label="班组", empty_label="全部")
    status = django_filters.ChoiceFilter(choices=PayrollStatus.choices, label="状态", empty_label="全部")

    class Meta:
        model = Payroll
        fields = ["month", "unit", "team", "status"]

    project_choices = UNIT_AND_TEAM_CHOICES

    def filter_month(self, queryset, name, value):
        start = parse_month(value)
        # A month that cannot be read matches nothing rather than everything.
        return queryset.filter(pay_month=start) if start else queryset.none()
