from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from jmzhgd.core.filters import ProjectFilterSet

from .models import Training, TrainingType

DATE = forms.DateInput(attrs={"type": "date"})


class TrainingFilter(ProjectFilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "培训名称/培训人"})
    )
    training_type = django_filters.ChoiceFilter(
        label="培训类型", choices=TrainingType.choices, empty_label="全部"
    )
    date_from = django_filters.DateFilter(
        field_name="training_date", lookup_expr="gte", label="日期起", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="training_date", lookup_expr="lte", label="日期止", widget=DATE
    )

    class Meta:
        model = Training
        fields = ["q", "training_type", "date_from", "date_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(trainer__icontains=value))
