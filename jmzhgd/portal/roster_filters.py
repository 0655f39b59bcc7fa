"""花名册 filters: the roster page's filter, with its 合同 column (contracts.status)."""

from __future__ import annotations

import django_filters
from django import forms

from contracts.status import ContractStatus
from enterprises.filters import UNIT_AND_TEAM_CHOICES
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.filters import ProjectFilterSet
from jmzhgd.core.models import WorkType
from workforce.filters import person_search
from workforce.models import RosterEntry

SIGNED = "signed"


class RosterFilter(ProjectFilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "姓名/手机号/证件尾号"})
    )
    unit = django_filters.ModelChoiceFilter(
        label="所属企业", queryset=ParticipatingUnit.objects.none(), empty_label="全部"
    )
    team = django_filters.ModelChoiceFilter(
        label="所属班组", queryset=Team.objects.none(), empty_label="全部"
    )
    category = django_filters.ChoiceFilter(
        label="人员类别", choices=PersonCategory.choices, empty_label="全部"
    )
    work_type = django_filters.ModelChoiceFilter(
        label="工种", queryset=WorkType.objects.all(), empty_label="全部"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=[("on", "在场"), ("off", "离场")], method="filter_status", empty_label="全部"
    )
    contract = django_filters.ChoiceFilter(
        label="合同",
        choices=[(SIGNED, "已签订")] + list(ContractStatus.choices),
        method="filter_contract",
        empty_label="全部",
    )

    class Meta:
        model = RosterEntry
        fields = ["q", "unit", "team", "category", "work_type", "status", "contract"]

    project_choices = UNIT_AND_TEAM_CHOICES

    def search(self, queryset, name, value):
        return queryset.filter(person_search(value, "person__"))

    def filter_status(self, queryset, name, value):
        return queryset.filter(exit_date__isnull=(value == "on"))

    def filter_contract(self, queryset, name, value):
        # Needs the contract_status annotation (contracts.models.annotate_contract_status).
        if value == SIGNED:
            return queryset.exclude(contract_status=ContractStatus.NONE)
        return queryset.filter(contract_status=value)
