"""花名册 and 人员库 filters. An ID number is encrypted, so it is found by its digest (the whole
number) or by the last characters of its masked form (尾号)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from contracts.status import ContractStatus
from enterprises.filters import UNIT_AND_TEAM_CHOICES
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.filters import BootstrapFilterSet, ProjectFilterSet
from jmzhgd.core.models import WorkType
from jmzhgd.core.pii import id_digest, phone_digest
from jmzhgd.core.validators import normalise_text

from .models import Person, RosterEntry

SIGNED = "signed"


def person_search(value: str, prefix: str = "") -> Q:
    """Name, the whole phone number or its last 4 digits, the whole ID number or its last digits (up
    to 4, from the masked form). Phones are encrypted, so a part of one other than the last 4 digits
    finds nothing."""
    text = normalise_text(value).upper()
    if not text:
        return Q()
    query = Q(**{f"{prefix}name__icontains": text})
    phone = text.removeprefix("+86").replace("-", "")
    if phone.isdigit() and len(phone) >= 7:
        query |= Q(**{f"{prefix}phone_digest": phone_digest(phone)})
    elif len(text) == 4 and text.isdigit():
        query |= Q(**{f"{prefix}phone_last4": text})
    if len(text) <= 4 and text.rstrip("X").isdigit():
        query |= Q(**{f"{prefix}id_number_masked__endswith": text})
    elif len(text) >= 8:
        query |= Q(**{f"{prefix}id_number_digest": id_digest(text)})
    return query


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
        # Needs the contract_status annotation (contracts.status.annotate_contract_status).
        if value == SIGNED:
            return queryset.exclude(contract_status=ContractStatus.NONE)
        return queryset.filter(contract_status=value)


class PersonPickFilter(BootstrapFilterSet):
    """Step 1 of the 人员进场 wizard: the 人员库, searched."""

    q = django_filters.CharFilter(
        method="search",
        label="搜索",
        widget=forms.TextInput(attrs={"placeholder": "姓名/手机号/证件号码或尾号"}),
    )

    class Meta:
        model = Person
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(person_search(value))
