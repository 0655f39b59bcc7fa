"""List filters with a `q` search (docs/architecture.md pattern 3)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from jmzhgd.core.codes import CorpType, District, EnterpriseRegType, TeamType
from jmzhgd.core.filters import BootstrapFilterSet, ProjectFilterSet

from .models import Enterprise, ParticipatingUnit, Team

STATUS_CHOICES = [("on_site", "在场"), ("exited", "已退场")]


def _search(placeholder: str):
    return django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": placeholder})
    )


class StatusFilterMixin(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label="状态", empty_label="全部"
    )

    def filter_status(self, queryset, name, value):
        return queryset.filter(exit_date__isnull=(value == "on_site"))


class EnterpriseFilter(BootstrapFilterSet):
    q = _search("企业名称/统一社会信用代码")
    reg_type = django_filters.ChoiceFilter(
        choices=EnterpriseRegType.choices, label="登记注册类型", empty_label="全部"
    )
    district = django_filters.ChoiceFilter(choices=District.choices, label="所在区县", empty_label="全部")

    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label="本项目参建单位",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "reg_type", "district", "mine"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not (user and user.is_project_user):
            del self.filters["mine"]
            del self.form.fields["mine"]

    def filter_mine(self, queryset, name, value):
        in_project = Q(participations__project_id=self.user.project_id)
        return (queryset.filter(in_project) if value else queryset.exclude(in_project)).distinct()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))


class UnitFilter(StatusFilterMixin, BootstrapFilterSet):
    q = _search("企业名称/信用代码/项目负责人")
    corp_type = django_filters.ChoiceFilter(
        choices=CorpType.choices, label="参建单位类型", empty_label="全部"
    )

    class Meta:
        model = ParticipatingUnit
        fields = ["q", "corp_type", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__icontains=value.upper())
            | Q(pm_name__icontains=value)
        )


UNIT_CHOICES = {
    "unit": lambda project: ParticipatingUnit.objects.filter(project=project).select_related("enterprise")
}
UNIT_AND_TEAM_CHOICES = {**UNIT_CHOICES, "team": lambda project: Team.objects.filter(project=project)}


class TeamFilter(StatusFilterMixin, ProjectFilterSet):
    q = _search("班组名称/班组长/企业名称")
    unit = django_filters.ModelChoiceFilter(
        queryset=ParticipatingUnit.objects.none(), label="参建单位", empty_label="全部"
    )
    team_type = django_filters.ChoiceFilter(choices=TeamType.choices, label="班组类型", empty_label="全部")

    class Meta:
        model = Team
        fields = ["q", "unit", "team_type", "status"]

    project_choices = UNIT_CHOICES

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(leader_name__icontains=value)
            | Q(unit__enterprise__name__icontains=value)
        )
