import django_filters
from django import forms
from django.db.models import Q

from jmzhgd.core.filters import BootstrapFilterSet

from .models import ApiCredential


class CredentialFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "用途/App Key/项目"})
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=[("active", "有效"), ("revoked", "已吊销")], method="filter_status"
    )

    class Meta:
        model = ApiCredential
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(app_key__icontains=value) | Q(projects__name__icontains=value)
        ).distinct()

    def filter_status(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=(value == "active"))
