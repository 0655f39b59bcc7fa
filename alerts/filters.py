"""The 预警中心 filter: rule, district, project, state and age (days since first seen)."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from jmzhgd.core.codes import District
from jmzhgd.core.filters import BootstrapFilterSet

from .models import ACTIVE_STATES, Alert, AlertState
from .registry import rule_choices

PENDING = "pending"  # 未处理 and 处理中 together: what the page opens with
AGE_CHOICES = [("1", "1天以上"), ("3", "3天以上"), ("7", "7天以上"), ("30", "30天以上")]


class ProjectAlertFilter(BootstrapFilterSet):
    """A project's own list (项目总览 → 预警): rule, state and age."""

    rule = django_filters.ChoiceFilter(choices=rule_choices, label="预警规则", empty_label="全部规则")
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=[(PENDING, "待处理（未处理+处理中）"), *AlertState.choices],
        label="处理状态",
        empty_label="全部状态",
    )
    age = django_filters.ChoiceFilter(
        method="filter_age", choices=AGE_CHOICES, label="持续", empty_label="不限"
    )

    class Meta:
        model = Alert
        fields = ["rule", "state", "age"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state__in=ACTIVE_STATES) if value == PENDING else queryset.filter(state=value)

    def filter_age(self, queryset, name, value):
        return queryset.filter(first_seen_at__lte=timezone.now() - timedelta(days=int(value)))


class AlertFilter(ProjectAlertFilter):
    """The supervisor's 预警中心: also by district (narrowed to the supervisor's) and project."""

    district = django_filters.ChoiceFilter(
        field_name="project__district", choices=District.choices, label="区县", empty_label="全部区县"
    )
    project = django_filters.CharFilter(
        method="search_project", label="项目", widget=forms.TextInput(attrs={"placeholder": "项目名称/编码"})
    )

    class Meta:
        model = Alert
        fields = ["rule", "district", "project", "state", "age"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.is_superuser and user.districts:
            field = self.form.fields["district"]
            field.choices = [("", "全部区县")] + [c for c in District.choices if c[0] in user.districts]

    def search_project(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))
