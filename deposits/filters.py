from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q

from jmzhgd.core.codes import District
from projects.models import Project


class CoverageFilter(django_filters.FilterSet):
    """Over the supervisor's projects, before they are grouped by 总包 and 区县."""

    q = django_filters.CharFilter(label="总承包单位", method="search")
    district = django_filters.ChoiceFilter(label="所在区县", choices=District.choices, empty_label="全部区县")
    cover = django_filters.ChoiceFilter(
        label="保证金",
        choices=[("none", "无保证金"), ("held", "有保证金"), ("used", "已动用待补足")],
        empty_label="全部",
        method="by_cover",
    )

    class Meta:
        model = Project
        fields = ["q", "district", "cover"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(contractor_name__icontains=value) | Q(contractor_code__iexact=value))

    def by_cover(self, queryset, name, value):
        # Applied to the projects: a contractor's projects share their cover, so the groups stay whole.
        from .models import Deposit, DepositStatus

        held = Deposit.objects.held()
        if value == "used":
            held = held.filter(status=DepositStatus.USED)
        covered = Exists(
            held.filter(contractor_code=OuterRef("contractor_code"), district=OuterRef("district"))
        )
        return queryset.filter(~covered if value == "none" else covered)
