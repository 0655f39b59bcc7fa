from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from enterprises.filters import UNIT_AND_TEAM_CHOICES
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.filters import ProjectFilterSet
from workforce.models import RosterEntry

from .status import ContractStatus

ON_SITE_CHOICES = [("on", "在场"), ("off", "离场")]


class ContractLedgerFilter(ProjectFilterSet):
    """Filters of the contract list; the queryset must carry annotate_contract_status()."""

    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "姓名/手机号"})
    )
    status = django_filters.ChoiceFilter(
        method="filter_status", label="合同状态", choices=ContractStatus.choices, empty_label="全部"
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="unit", label="所属企业", queryset=ParticipatingUnit.objects.none(), empty_label="全部"
    )
    team = django_filters.ModelChoiceFilter(
        field_name="team", label="班组", queryset=Team.objects.none(), empty_label="全部"
    )
    on_site = django_filters.ChoiceFilter(
        method="filter_on_site", label="人员状态", choices=ON_SITE_CHOICES, empty_label="全部"
    )

    class Meta:
        model = RosterEntry
        fields = ["q", "status", "unit", "team", "on_site"]

    project_choices = UNIT_AND_TEAM_CHOICES

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(person__phone__contains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(contract_status=value)

    def filter_on_site(self, queryset, name, value):
        return queryset.filter(exit_date__isnull=(value == "on"))
