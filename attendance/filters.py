"""Filters of the attendance pages. Choice fields are narrowed to the page's project (pattern 1)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from enterprises.filters import UNIT_AND_TEAM_CHOICES
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import Direction, PersonCategory
from jmzhgd.core.filters import BootstrapFilterSet, ProjectFilterSet
from workforce.models import RosterEntry

from .models import AnomalyStatus, Device, Punch


def _name_or_id_tail(value: str, name_field: str, masked_field: str) -> Q:
    """Name contains `value`, or — for 4 characters or fewer — the masked ID ends with it.
    ID numbers are stored encrypted: only their last 4 characters are searchable."""
    value = value.strip()
    condition = Q(**{f"{name_field}__icontains": value})
    if value and len(value) <= 4:
        condition |= Q(**{f"{masked_field}__iendswith": value})
    return condition


def _person_search(value: str) -> Q:
    return _name_or_id_tail(value, "person__name", "person__id_number_masked")


def _sent_search(value: str) -> Q:
    """A punch by the name and ID tail its device sent."""
    return _name_or_id_tail(value, "name_as_sent", "id_number_masked")


def _search(placeholder: str = "姓名或证件号后4位") -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method="search", label="姓名/证件号后4位", widget=forms.TextInput(attrs={"placeholder": placeholder})
    )


def _unit(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=ParticipatingUnit.objects.none(),
        label="所属企业",
        empty_label="全部企业",
    )


def _team(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=Team.objects.none(), label="班组", empty_label="全部班组"
    )


def _day(lookup_expr: str, label: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="work_date",
        lookup_expr=lookup_expr,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AttendanceFilterSet(ProjectFilterSet):
    """Unit, team and device choices are the given project's."""

    project_choices = {
        **UNIT_AND_TEAM_CHOICES,
        "device": lambda project: Device.objects.filter(project=project),
    }


class MonthFilter(AttendanceFilterSet):
    """项目月考勤: the month itself and the roster filters (unit, team, 人员类别, name / ID tail)."""

    month = django_filters.CharFilter(
        method="keep", label="月份", widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    )
    unit = _unit("unit")
    team = _team("team")
    category = django_filters.ChoiceFilter(
        field_name="category", choices=PersonCategory.choices, label="人员类别", empty_label="全部类别"
    )
    q = _search()

    class Meta:
        model = RosterEntry
        fields = ["month", "unit", "team", "category", "q"]

    def keep(self, queryset, name, value):
        return queryset  # the month selects the queryset itself (see the view)

    def search(self, queryset, name, value):
        return queryset.filter(_person_search(value))


class PunchFilter(AttendanceFilterSet):
    """考勤明细: a day (default today) or a date range, unit, team, name / ID tail, direction, device."""

    date_from = _day("gte", "开始日期")
    date_to = _day("lte", "结束日期")
    unit = _unit("roster_entry__unit")
    team = _team("roster_entry__team")
    direction = django_filters.ChoiceFilter(
        field_name="direction", choices=Direction.choices, label="方向", empty_label="全部方向"
    )
    device = django_filters.ModelChoiceFilter(
        field_name="device", queryset=Device.objects.none(), label="设备", empty_label="全部设备"
    )
    q = _search()

    class Meta:
        model = Punch
        fields = ["date_from", "date_to", "unit", "team", "direction", "device", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(_person_search(value) | _sent_search(value))

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
    q = _search("上报姓名或证件号后4位")

    class Meta:
        model = Punch
        fields = ["status", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(_sent_search(value))
