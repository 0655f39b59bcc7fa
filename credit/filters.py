from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from jmzhgd.core.filters import BootstrapFilterSet

from .codes import RecordKind, RecordStatus
from .models import CreditRecord


class CreditRecordFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="搜索",
        widget=forms.TextInput(attrs={"placeholder": "人员/企业名称、信用代码"}),
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=RecordKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=RecordStatus.choices, empty_label="全部")
    objection = django_filters.BooleanFilter(
        label="申诉待答复",
        method="with_pending_objection",
        widget=forms.Select(choices=[("", "全部"), ("true", "是")]),
    )

    class Meta:
        model = CreditRecord
        fields = ["q", "kind", "status", "objection"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code=value.upper())
        )

    def with_pending_objection(self, queryset, name, value):
        return queryset.filter(objections__status="pending").distinct() if value else queryset
