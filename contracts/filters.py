from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.filters import BootstrapFilterSet
from workforce.models import RosterEntry

from .status import ContractStatus

ON_SITE_CHOICES = [("on", "在场"), ("off", "离场")]


class ContractLedgerFilter(BootstrapFilterSet):
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

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = ParticipatingUnit.objects.filter(project=project).select_related(
            "enterprise"
        )
        self.filters["team"].queryset = Team.objects.filter(project=project)
        # The form was built before the querysets were narrowed: narrow its fields too.
        self.form.fields["unit"].queryset = self.filters["unit"].queryset
        self.form.fields["team"].queryset = self.filters["team"].queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(person__phone__contains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(contract_status=value)

    def filter_on_site(self, queryset, name, value):
        return queryset.filter(exit_date__isnull=(value == "on"))
