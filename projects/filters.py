"""Filters of the supervisor's lists: projects, declarations, project accounts (each with a `q` search)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from jmzhgd.accounts.models import User
from jmzhgd.core.codes import District, ProjectCategory, ProjectStatus
from jmzhgd.core.filters import BootstrapFilterSet

from .models import Declaration, DeclarationStatus, Project


class ProjectFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "项目名称/编码"})
    )
    district = django_filters.ChoiceFilter(choices=District.choices, label="区县", empty_label="全部区县")
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label="状态", empty_label="全部状态")
    category = django_filters.ChoiceFilter(
        choices=ProjectCategory.choices, label="分类", empty_label="全部分类"
    )

    class Meta:
        model = Project
        fields = ["q", "district", "status", "category"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class DeclarationFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="搜索",
        widget=forms.TextInput(attrs={"placeholder": "申报编号/项目名称/建设单位"}),
    )
    status = django_filters.ChoiceFilter(
        choices=DeclarationStatus.choices, label="审核状态", empty_label="全部状态"
    )
    district = django_filters.ChoiceFilter(choices=District.choices, label="区县", empty_label="全部区县")

    class Meta:
        model = Declaration
        fields = ["q", "status", "district"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(name__icontains=value)
            | Q(builder_name__icontains=value)
            | Q(builder_code__icontains=value)
        )


class AccountFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "账号/项目名称/编码"})
    )
    district = django_filters.ChoiceFilter(
        field_name="project__district", choices=District.choices, label="区县", empty_label="全部区县"
    )
    is_active = django_filters.ChoiceFilter(
        choices=[("1", "启用"), ("0", "停用")], method="active", label="状态", empty_label="全部状态"
    )

    class Meta:
        model = User
        fields = ["q", "district", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(username__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
        )

    def active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")
