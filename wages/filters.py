"""工资支付台账 filters: month, 参建单位, 班组, state (only the project's own units and teams)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from enterprises.filters import UNIT_AND_TEAM_CHOICES
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.filters import ProjectFilterSet
from jmzhgd.core.forms import EARLIEST_DATE, LATEST_DATE
from jmzhgd.core.months import parse_month

from .models import Payroll, PayrollStatus


def check_month(value) -> None:
    """A month the list can show: YYYY-MM within the platform's date range, named in the message."""
    start = parse_month(value) if value else None
    if value and (start is None or not EARLIEST_DATE <= start <= LATEST_DATE):
        raise ValidationError(
            f"月份应为 YYYY-MM 格式，在 {EARLIEST_DATE:%Y-%m} 至 {LATEST_DATE:%Y-%m} 之间，例如 2026-04。"
        )


class PayrollFilter(ProjectFilterSet):
    month = django_filters.CharFilter(
        method="filter_month",
        label="月份",
        validators=[check_month],
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
