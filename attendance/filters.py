"""Filters of the attendance pages. Choice fields are narrowed to the page's project (pattern 1)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import Direction, PersonCategory
from jmzhgd.core.filters import BootstrapFilterSet
from workforce.models import RosterEntry

from .models import AnomalyStatus, Device, Punch


def _id_tail_or_name(prefix: str, value: str) -> Q:
    """Name contains `value`, or — for 4 characters or fewer of an ID — the masked ID ends with it.
    ID numbers are stored encrypted: only their last 4 characters are searchable."""
    value = value.strip()
    condition = Q(**{f"{prefix}name__icontains": value})
    if value and len(value) <= 4:
        condition |= Q(**{f"{prefix}id_number_masked__iendswith": value})
    return condition


class ProjectFilterSet(BootstrapFilterSet):
    """A FilterSet whose unit/team choices are the given project's."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if "unit" in self.filters:
            self.form.fields["unit"].queryset = ParticipatingUnit.objects.filter(
                project=project
            ).select_related("enterprise")
        if "team" in self.filters:
            self.form.fields["team"].queryset = Team.objects.filter(project=project)
        if "device" in self.filters:
            self.form.fields["device"].queryset = Device.objects.filter(project=project)


class MonthFilter(ProjectFilterSet):
    """项目月考勤: the month itself and the roster filters (unit, team, 人员类别, name / ID tail)."""

    month = django_filters.CharFilter(
        method="keep", label="月份", widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="unit", queryset=ParticipatingUnit.objects.none(), label="所属企业", empty_label="全部企业"
    )
    team = django_filters.ModelChoiceFilter(
        field_name="team", queryset=Team.objects.none(), label="班组", empty_label="全部班组"
    )
    category = django_filters.ChoiceFilter(
        field_name="category", choices=PersonCategory.choices, label="人员类别", empty_label="全部类别"
    )
    q = django_filters.CharFilter(
        method="search",
        label="姓名/证件号后4位",
        widget=forms.TextInput(attrs={"placeholder": "姓名或证件号后4位"}),
    )

    class Meta:
        model = RosterEntry
        fields = ["month", "unit", "team", "category", "q"]

    def keep(self, queryset, name, value):
        return queryset  # the month selects the queryset itself (see the view)

    def search(self, queryset, name, value):
        return queryset.filter(_id_tail_or_name("person__", value))


class PunchFilter(ProjectFilterSet):
    """考勤明细: a day (default today) or a date range, unit, team, name / ID tail, direction, device."""

    date_from = django_filters.DateFilter(
        field_name="work_date",
        lookup_expr="gte",
        label="开始日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="work_date",
        lookup_expr="lte",
        label="结束日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="roster_entry__unit",
        queryset=ParticipatingUnit.objects.none(),
        label="所属企业",
        empty_label="全部企业",
    )
    team = django_filters.ModelChoiceFilter(
        field_name="roster_entry__team", queryset=Team.objects.none(), label="班组", empty_label="全部班组"
    )
    direction = django_filters.ChoiceFilter(
        field_name="direction", choices=Direction.choices, label="方向", empty_label="全部方向"
    )
    device = django_filters.ModelChoiceFilter(
        field_name="device", queryset=Device.objects.none(), label="设备", empty_label="全部设备"
    )
    q = django_filters.CharFilter(
        method="search",
        label="姓名/证件号后4位",
        widget=forms.TextInput(attrs={"placeholder": "姓名或证件号后4位"}),
    )

    class Meta:
        model = Punch
        fields = ["date_from", "date_to", "unit", "team", "direction", "device", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        condition = _id_tail_or_name("person__", value) | Q(name_as_sent__icontains=value)
        if len(value) <= 4:
            condition |= Q(id_number_masked__iendswith=value)
        return queryset.filter(condition)

    def clean_range(self) -> str | None:
        """A Chinese message when the range is backwards, else None."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            return "开始日期不能晚于结束日期。"
        return None


class AnomalyFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(
        field_name="anomaly_status", choices=AnomalyStatus.choices, label="处理状态", empty_label="全部状态"
    )
    q = django_filters.CharFilter(
        method="search",
        label="姓名/证件号后4位",
        widget=forms.TextInput(attrs={"placeholder": "上报姓名或证件号后4位"}),
    )

    class Meta:
        model = Punch
        fields = ["status", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(name_as_sent__icontains=value)
        if len(value) <= 4:
            condition |= Q(id_number_masked__iendswith=value)
        return queryset.filter(condition)
